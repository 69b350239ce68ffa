// Private to kiosk/print: a small IPP client over libcups for the spooler thread: the server
// address (host:port or a socket; encrypted unless it is this box), Print-Job, Get-Job-Attributes,
// Get-Printer-Attributes and Cancel-Job, and CUPS states and reasons turned into PrintProblem
// values. Never included outside kiosk/print; never logs a job's title or contents.
#pragma once

#include <cups/cups.h>
#include <cups/ipp.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "kiosk/core/Log.h"
#include "kiosk/print/PrintSpooler.h"

namespace kiosk::print::cups_client {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr int kConnectMs = 3000;
constexpr double kRequestTimeoutS = 10.0;  // a cupsd that accepts but never answers
constexpr auto kPollInterval = std::chrono::milliseconds(250);
constexpr int kMaxPollFailures = 12;  // ~3 s of a cupsd that went away mid-job
constexpr std::size_t kMaxTitleBytes = 127;
constexpr std::size_t kMaxQueueNameBytes = 127;

// IPP enum values (RFC 8011), spelled out so the logic reads without the CUPS headers' names.
constexpr int kPrinterIdle = 3;
constexpr int kPrinterStopped = 5;
constexpr int kJobPending = 3;
constexpr int kJobHeld = 4;
constexpr int kJobProcessing = 5;
constexpr int kJobStopped = 6;
constexpr int kJobCanceled = 7;
constexpr int kJobAborted = 8;
constexpr int kJobCompleted = 9;

struct HttpDeleter {
    void operator()(http_t* http) const { httpClose(http); }
};
struct IppDeleter {
    void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using HttpPtr = std::unique_ptr<http_t, HttpDeleter>;
using IppPtr = std::unique_ptr<ipp_t, IppDeleter>;

/// libcups' default asks for a password on the terminal; a kiosk must fail instead.
inline const char* NoPassword(const char*, http_t*, const char*, const char*, void*) {
    return nullptr;
}

/// Gives up on a request that has waited kRequestTimeoutS without an answer.
inline int GiveUp(http_t*, void*) {
    return 0;
}

struct ServerAddress {
    std::string host;  ///< host name, address or socket path
    int port = 0;
    std::string uri_host;  ///< what printer URIs name: "localhost" for a socket
};

inline ServerAddress ParseServer(const std::string& server) {
    ServerAddress address;
    std::string spec = server.empty() ? std::string(cupsServer()) : server;
    address.port = ippPort();
    if (!spec.empty() && spec.front() == '/') {
        address.host = spec;
        address.uri_host = "localhost";
        return address;
    }
    // "host:port", "[v6]:port", "host" or a bare IPv6 address.
    const std::size_t colon = spec.rfind(':');
    const std::size_t bracket = spec.rfind(']');
    const bool one_colon = colon != std::string::npos && spec.find(':') == colon;
    if (colon != std::string::npos &&
        (one_colon || (bracket != std::string::npos && bracket < colon))) {
        const std::string port = spec.substr(colon + 1);
        if (!port.empty() && port.find_first_not_of("0123456789") == std::string::npos &&
            port.size() <= 5) {
            address.port = std::stoi(port);
            spec.resize(colon);
        }
    }
    if (spec.size() > 2 && spec.front() == '[' && spec.back() == ']') {
        spec = spec.substr(1, spec.size() - 2);
    }
    address.host = spec.empty() ? "localhost" : spec;
    address.uri_host = address.host;
    return address;
}

/// A referral names a participant: the connection to any CUPS server but this box's own (a
/// socket path, localhost, 127.0.0.1 or ::1 as written) must be encrypted. Any other name,
/// even one that happens to resolve to this box, counts as another host.
inline bool RequiresEncryption(const ServerAddress& address) {
    if (!address.host.empty() && address.host.front() == '/') {
        return false;
    }
    std::string host = address.host;
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return host != "localhost" && host != "127.0.0.1" && host != "::1";
}

inline std::string ServerName(const ServerAddress& address) {
    if (!address.host.empty() && address.host.front() == '/') {
        return address.host;
    }
    return address.host + ":" + std::to_string(address.port);
}

/// CUPS' queue name rules: printable, no spaces, '/', '#', '\\' or quotes.
inline bool IsQueueName(std::string_view name) {
    if (name.empty() || name.size() > kMaxQueueNameBytes) {
        return false;
    }
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '/' || c == '#' || c == '\\' || c == '\'' || c == '"') {
            return false;
        }
    }
    return true;
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.starts_with(prefix);
}
inline bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.ends_with(suffix);
}

/// Which problem printer-state-reasons describe, worst first. With `errors_only`, reasons
/// marked -report or -warning are ignored (a ready printer may carry stale ones).
inline PrintProblem ProblemFromReasons(const std::vector<std::string>& reasons, bool errors_only) {
    bool jam = false;
    bool paper = false;
    bool offline = false;
    for (const std::string& r : reasons) {
        if (errors_only && (EndsWith(r, "-report") || EndsWith(r, "-warning"))) {
            continue;
        }
        jam = jam || StartsWith(r, "media-jam");
        paper = paper || StartsWith(r, "media-empty") || StartsWith(r, "media-needed");
        offline = offline || StartsWith(r, "offline") || StartsWith(r, "connecting-to-device");
    }
    if (jam) {
        return PrintProblem::kPaperJam;
    }
    if (paper) {
        return PrintProblem::kOutOfPaper;
    }
    if (offline) {
        return PrintProblem::kOffline;
    }
    return PrintProblem::kNone;
}

struct PrinterInfo {
    int state = kPrinterIdle;
    bool accepting = true;
    std::vector<std::string> reasons;  ///< without "none"
    std::string message;               ///< printer-state-message

    /// CUPS' own words for logs and staff: "Out of paper (media-empty-error, paused)".
    std::string Detail() const {
        std::string text = message;
        if (!reasons.empty()) {
            std::string list;
            for (const std::string& r : reasons) {
                list += (list.empty() ? "" : ", ") + r;
            }
            text += (text.empty() ? "" : " ") + ("(" + list + ")");
        }
        if (!accepting) {
            text += std::string(text.empty() ? "" : "; ") + "not accepting jobs";
        }
        return text;
    }
};

struct JobInfo {
    int state = kJobPending;
    std::vector<std::string> reasons;
    std::string message;  ///< job-printer-state-message or job-state-message
};

/// The outcome of one IPP exchange: a response, or the problem that stopped it.
struct Failure {
    PrintProblem problem = PrintProblem::kJobFailed;
    std::string detail;
};

inline std::string AttrText(ipp_t* response, const char* name) {
    ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_ZERO);
    if (attr == nullptr) {
        return {};
    }
    const char* text = ippGetString(attr, 0, nullptr);
    return text != nullptr ? text : "";
}

inline std::vector<std::string> AttrKeywords(ipp_t* response, const char* name) {
    std::vector<std::string> out;
    ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_KEYWORD);
    for (int i = 0; attr != nullptr && i < ippGetCount(attr); ++i) {
        const char* text = ippGetString(attr, i, nullptr);
        if (text != nullptr && std::strcmp(text, "none") != 0) {
            out.emplace_back(text);
        }
    }
    return out;
}

/// A CUPS connection with the queue's URIs, used by one thread at a time.
class Cups {
  public:
    explicit Cups(const PrintOptions& options)
        : m_address(ParseServer(options.server)),
          m_encrypt(RequiresEncryption(m_address)),
          m_queue(options.queue),
          m_media(options.media) {
        char uri[HTTP_MAX_URI];
        httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr,
                         m_address.uri_host.c_str(), m_address.port, "/printers/%s",
                         m_queue.c_str());
        m_printer_uri = uri;
        m_resource = "/printers/" + m_queue;
    }

    const std::string& Server() const { return m_server_name; }

    /// Connects if not connected. nullopt on success.
    std::optional<Failure> Connect() {
        if (m_http) {
            return std::nullopt;
        }
        m_server_name = ServerName(m_address);
        cupsSetPasswordCB2(&NoPassword, nullptr);  // per thread in libcups
        m_http.reset(
            httpConnect2(m_address.host.c_str(), m_address.port, nullptr, AF_UNSPEC,
                         m_encrypt ? HTTP_ENCRYPTION_REQUIRED : HTTP_ENCRYPTION_IF_REQUESTED, 1,
                         kConnectMs, nullptr));
        if (!m_http) {
            std::string why;
            std::error_code ec;
            if (m_address.host.front() == '/' && !fs::exists(m_address.host, ec)) {
                why = "no socket there (is cupsd running?)";
            } else if (const char* text = cupsLastErrorString(); text != nullptr) {
                why = text;  // libcups' words: refused, timed out, host down
            }
            return Failure{PrintProblem::kCupsUnreachable,
                           "CUPS at " + m_server_name + " does not answer" +
                               (why.empty() ? "" : ": " + why) + EncryptionNote()};
        }
        httpSetTimeout(m_http.get(), kRequestTimeoutS, &GiveUp, nullptr);
        return std::nullopt;
    }

    void Disconnect() { m_http.reset(); }

    /// Get-Printer-Attributes for the queue.
    std::pair<std::optional<PrinterInfo>, std::optional<Failure>> Printer() {
        static const char* const kWanted[] = {"printer-state", "printer-state-reasons",
                                              "printer-state-message", "printer-is-accepting-jobs"};
        ipp_t* request = NewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
        ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                      static_cast<int>(std::size(kWanted)), nullptr, kWanted);
        auto [response, failure] = Exchange(request, nullptr);
        if (failure) {
            return {std::nullopt, failure};
        }
        PrinterInfo info;
        ipp_t* r = response.get();
        if (ipp_attribute_t* a = ippFindAttribute(r, "printer-state", IPP_TAG_ENUM)) {
            info.state = ippGetInteger(a, 0);
        }
        if (ipp_attribute_t* a =
                ippFindAttribute(r, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN)) {
            info.accepting = ippGetBoolean(a, 0) != 0;
        }
        info.reasons = AttrKeywords(r, "printer-state-reasons");
        info.message = AttrText(r, "printer-state-message");
        return {info, std::nullopt};
    }

    /// Print-Job with the PDF; the CUPS job id.
    std::pair<int, std::optional<Failure>> PrintPdf(const fs::path& pdf, const std::string& title) {
        ipp_t* request = NewRequest(IPP_OP_PRINT_JOB);
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, title.c_str());
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr,
                     "application/pdf");
        if (!m_media.empty()) {
            ippAddString(request, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", nullptr, m_media.c_str());
        }
        auto [response, failure] = Exchange(request, &pdf);
        if (failure) {
            return {0, failure};
        }
        ipp_attribute_t* id = ippFindAttribute(response.get(), "job-id", IPP_TAG_INTEGER);
        if (id == nullptr) {
            return {0, Failure{PrintProblem::kJobFailed, "CUPS accepted the job without an id"}};
        }
        return {ippGetInteger(id, 0), std::nullopt};
    }

    std::pair<std::optional<JobInfo>, std::optional<Failure>> Job(int job_id) {
        static const char* const kWanted[] = {"job-state", "job-state-reasons",
                                              "job-printer-state-message", "job-state-message"};
        ipp_t* request = NewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
        ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                      static_cast<int>(std::size(kWanted)), nullptr, kWanted);
        auto [response, failure] = Exchange(request, nullptr);
        if (failure) {
            return {std::nullopt, failure};
        }
        JobInfo info;
        if (ipp_attribute_t* a = ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM)) {
            info.state = ippGetInteger(a, 0);
        }
        info.reasons = AttrKeywords(response.get(), "job-state-reasons");
        info.message = AttrText(response.get(), "job-printer-state-message");
        if (info.message.empty()) {
            info.message = AttrText(response.get(), "job-state-message");
        }
        return {info, std::nullopt};
    }

    /// Best effort: a job we gave up on must not print later behind a retry.
    void Cancel(int job_id) {
        ipp_t* request = NewRequest(IPP_OP_CANCEL_JOB);
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
        auto [response, failure] = Exchange(request, nullptr);
        if (failure) {
            LogWarn("print",
                    "could not cancel CUPS job " + std::to_string(job_id) + ": " + failure->detail);
        }
    }

  private:
    /// Said with every connection failure to a server on another host.
    std::string EncryptionNote() const {
        return m_encrypt ? " (the kiosk prints to a CUPS server on another host only over an "
                           "encrypted connection: that server must offer TLS; see "
                           "[printer] server)"
                         : "";
    }

    ipp_t* NewRequest(ipp_op_t op) const {
        ipp_t* request = ippNewRequest(op);
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                     m_printer_uri.c_str());
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
                     cupsUser());
        return request;
    }

    /// Sends `request` (consumed), with `file` as its document when given.
    std::pair<IppPtr, std::optional<Failure>> Exchange(ipp_t* request, const fs::path* file) {
        if (auto failure = Connect()) {
            ippDelete(request);
            return {nullptr, failure};
        }
        IppPtr response(file != nullptr ? cupsDoFileRequest(m_http.get(), request,
                                                            m_resource.c_str(), file->c_str())
                                        : cupsDoRequest(m_http.get(), request, m_resource.c_str()));
        const ipp_status_t status = cupsLastError();  // per thread in libcups
        const std::string text = cupsLastErrorString() ? cupsLastErrorString() : "";
        if (response && status <= IPP_STATUS_OK_EVENTS_COMPLETE) {
            return {std::move(response), std::nullopt};
        }
        Failure failure;
        failure.detail = text.empty() ? ippErrorString(status) : text;
        switch (status) {
            case IPP_STATUS_ERROR_NOT_FOUND:
                failure.problem = PrintProblem::kNoQueue;
                failure.detail = "no CUPS queue named '" + m_queue + "' (" + failure.detail + ")";
                break;
            case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
                failure.problem = PrintProblem::kStopped;
                break;
            case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
            case IPP_STATUS_ERROR_INTERNAL:
                if (!response) {
                    // No answer at all: the connection broke or timed out.
                    failure.problem = PrintProblem::kCupsUnreachable;
                    failure.detail =
                        "CUPS at " + m_server_name + ": " + failure.detail + EncryptionNote();
                    Disconnect();
                    break;
                }
                [[fallthrough]];
            default:
                failure.problem = PrintProblem::kJobFailed;
                break;
        }
        return {nullptr, failure};
    }

    ServerAddress m_address;
    bool m_encrypt = true;
    std::string m_server_name;
    std::string m_queue;
    std::string m_media;
    std::string m_printer_uri;
    std::string m_resource;
    HttpPtr m_http;
};

/// The problem a stopped queue or a stuck job shows: the reasons say why, else "stopped".
inline PrintProblem StoppedProblem(const PrinterInfo& printer) {
    const PrintProblem problem = ProblemFromReasons(printer.reasons, false);
    return problem == PrintProblem::kNone ? PrintProblem::kStopped : problem;
}

inline std::string TitleForCups(const std::string& title) {
    std::string clean;
    for (const char c : title) {
        clean += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
    }
    if (clean.size() > kMaxTitleBytes) {
        std::size_t cut = kMaxTitleBytes;
        while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) {
            --cut;  // never split a UTF-8 sequence
        }
        clean.resize(cut);
    }
    return clean.empty() ? std::string("Document") : clean;
}

}  // namespace kiosk::print::cups_client
