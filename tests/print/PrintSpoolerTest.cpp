// The print spooler against a real CUPS scheduler: each test starts a private cupsd
// (private-cupsd.sh: its own config, spool and logs in a temp folder, a unix socket, no auth)
// with a cups-pdf queue and a test backend that plays an out-of-paper or jammed printer. Needs
// root and cups-daemon, cups-client, printer-driver-cups-pdf; without cupsd the tests skip,
// unless KIOSK_REQUIRE_CUPS=1 (CI) makes that a failure.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "TestSupport.h"
#include "kiosk/print/PrintSpooler.h"
#include "kiosk/print/ReferralSheet.h"
#include "print/PrintTestSupport.h"

namespace fs = std::filesystem;
using kiosk::print::PaperSize;
using kiosk::print::PrintOptions;
using kiosk::print::PrintProblem;
using kiosk::print::PrintSpooler;
using kiosk::print::PrintState;
using kiosk::print::PrintStatus;
using kiosk::print::ReferralDocument;
using kiosk::print::ReferralEntry;
using kiosk::print::WriteReferralPdf;
using kiosk::test::FindTool;
using kiosk::test::PdfText;
using kiosk::test::ReadFile;
using kiosk::test::Run;
using kiosk::test::RunResult;
using kiosk::test::TempDir;
using kiosk::test::Tool;
using kiosk::test::WriteFile;

namespace doctest {
template <>
struct StringMaker<PrintProblem> {
    static String convert(PrintProblem p) {
        static const char* const kNames[] = {
            "kNone",    "kNoQueue",         "kStopped",   "kOutOfPaper", "kPaperJam",
            "kOffline", "kCupsUnreachable", "kJobFailed", "kTimedOut"};
        return kNames[static_cast<int>(p)];
    }
};
template <>
struct StringMaker<PrintState> {
    static String convert(PrintState s) {
        static const char* const kNames[] = {"kQueued", "kPrinting", "kDone", "kFailed"};
        return kNames[static_cast<int>(s)];
    }
};
}  // namespace doctest

namespace {

const fs::path kTestDir = KIOSK_PRINT_TEST_DIR;
const fs::path kCupsPdfBackend = "/usr/lib/cups/backend/cups-pdf";
const fs::path kCupsPdfPpd = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd";

bool CupsRequired() {
    const char* v = std::getenv("KIOSK_REQUIRE_CUPS");
    return v != nullptr && std::string(v) == "1";
}

/// Why this machine cannot run a private cupsd, or "" when it can.
std::string WhyNoCups() {
    if (FindTool(KIOSK_CUPSD, "cupsd").empty()) {
        return "cupsd not found (install cups-daemon)";
    }
    if (FindTool(KIOSK_LPADMIN, "lpadmin").empty() || FindTool(KIOSK_LPSTAT, "lpstat").empty()) {
        return "lpadmin/lpstat not found (install cups-client)";
    }
    if (geteuid() != 0) {
        return "not root: a private cupsd with the cups-pdf backend needs root";
    }
    return {};
}

/// Skips the test with a message, or fails it when CI requires CUPS.
#define REQUIRE_CUPS_OR_SKIP()                                \
    do {                                                      \
        const std::string why_not = WhyNoCups();              \
        if (!why_not.empty()) {                               \
            if (CupsRequired()) {                             \
                FAIL("KIOSK_REQUIRE_CUPS=1 but " << why_not); \
            }                                                 \
            MESSAGE("skipped: " << why_not);                  \
            return;                                           \
        }                                                     \
    } while (false)

std::string Tail(const std::string& text, std::size_t n = 3000) {
    return text.size() > n ? text.substr(text.size() - n) : text;
}

/// A private cupsd for one test, stopped (and its cups-pdf config removed) on destruction.
class PrivateCups {
  public:
    PrivateCups() {
        std::random_device rd;
        m_instance = "kiosk-test-" + std::to_string(getpid()) + "-" + std::to_string(rd() % 100000);
        const std::string script = (kTestDir / "private-cupsd.sh").string();
        const std::string backend = (kTestDir / "kiosk-tray-backend.sh").string();
        const std::string cupsd = FindTool(KIOSK_CUPSD, "cupsd");
        const std::string dir = m_dir.path().string();
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            setpgid(0, 0);  // our own group, so a crash of the test cannot orphan cupsd's output
            execl("/bin/sh", "sh", script.c_str(), dir.c_str(), m_instance.c_str(), cupsd.c_str(),
                  backend.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        // Ready when the scheduler answers on its socket (a second or two).
        for (int i = 0; i < 200; ++i) {
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                FAIL("the private cupsd exited at start: " << ErrorLog());
            }
            if (fs::exists(Socket()) &&
                Lp("lpstat", {"-r"}).out.find("is running") != std::string::npos) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("the private cupsd did not answer within 10 s: " << ErrorLog());
    }
    ~PrivateCups() { Stop(); }
    PrivateCups(const PrivateCups&) = delete;
    PrivateCups& operator=(const PrivateCups&) = delete;

    void Stop() {
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            int status = 0;
            waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
        std::error_code ec;
        fs::remove(PdfConf(), ec);  // the script does it too; a backstop if it was killed
    }

    std::string Socket() const { return (m_dir.path() / "cups.sock").string(); }
    fs::path Tray() const { return m_dir.path() / "tray"; }
    fs::path PdfOut() const { return m_dir.path() / "pdf-out"; }
    fs::path PdfConf() const {
        return fs::path("/etc/cups") / ("cups-pdf-" + m_instance + ".conf");
    }
    std::string ErrorLog() const { return Tail(ReadFile(m_dir.path() / "log" / "error_log")); }

    /// A CUPS command-line tool against this scheduler (stderr merged into out).
    RunResult Lp(const std::string& tool, std::vector<std::string> args) const {
        std::string path;
        if (tool == "lpadmin") {
            path = FindTool(KIOSK_LPADMIN, tool);
        } else if (tool == "cupsenable") {
            path = FindTool(KIOSK_CUPSENABLE, tool);
        } else if (tool == "cupsdisable") {
            path = FindTool(KIOSK_CUPSDISABLE, tool);
        } else {
            path = FindTool(KIOSK_LPSTAT, tool);
        }
        REQUIRE_MESSAGE(!path.empty(), tool << " not found (install cups-client)");
        std::vector<std::string> argv = {path, "-h", Socket()};
        argv.insert(argv.end(), args.begin(), args.end());
        return Run(argv, true);
    }

    void AddPdfQueue(const std::string& name) {
        const bool installed = fs::exists(kCupsPdfBackend) && fs::exists(kCupsPdfPpd);
        REQUIRE_MESSAGE(installed, "cups-pdf is not installed (printer-driver-cups-pdf)");
        // cups-filters' pdftops hands a PostScript printer a 300 dpi raster of each page when it
        // renders with Ghostscript; poppler keeps the text, which the test reads back.
        const RunResult r =
            Lp("lpadmin", {"-p", name, "-E", "-v", "cups-pdf:/" + m_instance, "-P",
                           kCupsPdfPpd.string(), "-o", "pdftops-renderer-default=pdftops"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    }

    void AddTrayQueue(const std::string& name) {
        const RunResult r =
            Lp("lpadmin", {"-p", name, "-E", "-v", "kiosk-tray:" + Tray().string(), "-m", "raw"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.out);
    }

    /// Jobs CUPS still has to print on `queue` (lpstat -o).
    std::string Unfinished(const std::string& queue) const {
        return Lp("lpstat", {"-W", "not-completed", "-o", queue}).out;
    }

  private:
    TempDir m_dir;
    std::string m_instance;
    pid_t m_pid = -1;
};

ReferralDocument Referral() {
    ReferralDocument doc;
    doc.paper = PaperSize::kLetter;
    doc.labels.title = "Places that can help";
    doc.labels.date_line = "November 22, 2026";
    doc.labels.address = "Address";
    doc.labels.phone = "Phone";
    doc.labels.hours = "Hours";
    doc.labels.what_to_bring = "What to bring";
    doc.labels.page_of = "Page {n} of {total}";
    doc.labels.footer = "Call ahead: hours can change.";
    ReferralEntry e;
    e.name = "Eastside Food Pantry";
    e.address = "1420 Alvarado Street, Los Angeles";
    e.phone = "(213) 555-0142";
    e.hours = {"Mon-Fri 9:00 AM - 5:00 PM"};
    e.what_to_bring = "A photo ID";
    e.qr_text = "https://example.org/pantry";
    e.qr_caption = "Website";
    doc.entries = {e};
    return doc;
}

fs::path WriteReferral(const fs::path& dir) {
    const fs::path pdf = dir / "referral.pdf";
    REQUIRE(WriteReferralPdf(Referral(), pdf).ok());
    return pdf;
}

/// Polls a ticket until it is done or failed (CUPS works at its own pace; the bound only stops
/// a broken test from hanging).
PrintStatus WaitForEnd(const PrintSpooler& spooler, long ticket, int seconds = 60) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        const PrintStatus status = spooler.Status(ticket);
        if (status.state == PrintState::kDone || status.state == PrintState::kFailed) {
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("ticket " << ticket << " did not end within " << seconds << " s");
    return {};
}

std::vector<fs::path> FilesIn(const fs::path& dir, const std::string& extension) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == extension) {
            files.push_back(entry.path());
        }
    }
    return files;
}

}  // namespace

TEST_CASE("a referral goes through a private cupsd to cups-pdf and comes out with its text") {
    REQUIRE_CUPS_OR_SKIP();
    PrivateCups cups;
    cups.AddPdfQueue("kiosk-pdf");
    TempDir work;
    const fs::path pdf = WriteReferral(work.path());

    PrintSpooler spooler(
        PrintOptions{"kiosk-pdf", cups.Socket(), 60, 30, MediaKeyword(PaperSize::kLetter)});
    const PrintStatus ready = spooler.CheckQueue();
    CHECK(ready.state == PrintState::kDone);
    CHECK(ready.problem == PrintProblem::kNone);

    const long ticket = spooler.Submit(pdf, "Referral");
    CHECK(ticket > 0);
    const PrintStatus done = WaitForEnd(spooler, ticket);
    CHECK_MESSAGE(done.state == PrintState::kDone, done.detail << "\n" << cups.ErrorLog());
    CHECK(done.problem == PrintProblem::kNone);
    CHECK(done.cups_job > 0);

    // cups-pdf writes the PDF it made from the job under its title, after CUPS has already
    // called the job complete: wait for the file, then read the page back.
    std::vector<fs::path> out;
    std::string text;
    for (int i = 0; i < 100 && text.find("Eastside Food Pantry") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        out = FilesIn(cups.PdfOut(), ".pdf");
        if (out.size() == 1) {
            text = Run({Tool(KIOSK_PDFTOTEXT, "pdftotext"), "-enc", "UTF-8", out[0].string(), "-"})
                       .out;
        }
    }
    REQUIRE_MESSAGE(out.size() == 1, cups.ErrorLog());
    CHECK(out[0].filename().string().find("Referral") != std::string::npos);
    CHECK_MESSAGE(text.find("Eastside Food Pantry") != std::string::npos, text);
    CHECK(text.find("(213) 555-0142") != std::string::npos);
    CHECK(text.find("A photo ID") != std::string::npos);
    // The job asked for Letter: the printer did not fit the page onto its default A4.
    CHECK(kiosk::test::PdfPageSize(out[0]).find("612 x 792 pts") != std::string::npos);
    CHECK(fs::exists(pdf));  // the spooler never removes or changes the file

    // Unknown tickets are failures, never a crash.
    const PrintStatus unknown = spooler.Status(ticket + 100);
    CHECK(unknown.state == PrintState::kFailed);
    CHECK(unknown.problem == PrintProblem::kJobFailed);
}

TEST_CASE(
    "stopped, missing, out of paper and unreachable are plain reasons; a retry after "
    "loading paper prints once") {
    REQUIRE_CUPS_OR_SKIP();
    PrivateCups cups;
    cups.AddTrayQueue("kiosk-tray");
    TempDir work;
    const fs::path pdf = WriteReferral(work.path());
    PrintSpooler spooler(PrintOptions{"kiosk-tray", cups.Socket(), 60, 30, ""});

    // A queue staff disabled, with their reason.
    REQUIRE(cups.Lp("cupsdisable", {"-r", "Out for repair", "kiosk-tray"}).exit_code == 0);
    PrintStatus status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
    CHECK(status.state == PrintState::kFailed);
    CHECK(status.problem == PrintProblem::kStopped);
    CHECK_MESSAGE(status.detail.find("Out for repair") != std::string::npos, status.detail);
    CHECK(status.cups_job == 0);
    CHECK(spooler.CheckQueue().problem == PrintProblem::kStopped);
    CHECK(cups.Unfinished("kiosk-tray").empty());
    REQUIRE(cups.Lp("cupsenable", {"kiosk-tray"}).exit_code == 0);

    // A queue name nobody created.
    {
        PrintSpooler nowhere(PrintOptions{"no-such-queue", cups.Socket(), 60, 30, ""});
        status = WaitForEnd(nowhere, nowhere.Submit(pdf, "Referral"));
        CHECK(status.state == PrintState::kFailed);
        CHECK(status.problem == PrintProblem::kNoQueue);
        CHECK_MESSAGE(status.detail.find("no-such-queue") != std::string::npos, status.detail);
        CHECK(nowhere.CheckQueue().problem == PrintProblem::kNoQueue);
    }
    // No queue configured at all, and a file that is not there.
    {
        PrintSpooler unset(PrintOptions{"", cups.Socket(), 60, 30, ""});
        CHECK(WaitForEnd(unset, unset.Submit(pdf, "Referral")).problem == PrintProblem::kNoQueue);
        status = WaitForEnd(spooler, spooler.Submit(work.path() / "gone.pdf", "Referral"));
        CHECK(status.problem == PrintProblem::kJobFailed);
        CHECK(status.detail.find("gone.pdf") != std::string::npos);
    }

    // The printer runs out of paper: its backend says media-empty-error and stops the queue,
    // which would hold our job silently. The spooler says so and cancels the job.
    status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
    CHECK(status.state == PrintState::kFailed);
    CHECK(status.cups_job > 0);
    const bool paper_reason = status.problem == PrintProblem::kOutOfPaper ||
                              (status.problem == PrintProblem::kStopped &&
                               status.detail.find("media-empty") != std::string::npos);
    CHECK_MESSAGE(paper_reason, status.problem << ": " << status.detail);
    CHECK_MESSAGE(status.detail.find("media-empty") != std::string::npos, status.detail);
    CHECK(spooler.CheckQueue().problem == PrintProblem::kOutOfPaper);
    CHECK(cups.Unfinished("kiosk-tray").empty());

    // Staff load paper and resume the queue; the retry prints, and only the retry.
    WriteFile(cups.Tray() / "paper", "");
    REQUIRE(cups.Lp("cupsenable", {"kiosk-tray"}).exit_code == 0);
    status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
    CHECK_MESSAGE(status.state == PrintState::kDone, status.detail << "\n" << cups.ErrorLog());
    CHECK(status.problem == PrintProblem::kNone);
    const auto printed = FilesIn(cups.Tray(), ".pdf");
    REQUIRE(printed.size() == 1);
    CHECK(PdfText(printed[0]).find("Eastside Food Pantry") != std::string::npos);
    CHECK(spooler.CheckQueue().state == PrintState::kDone);

    // The scheduler goes away.
    cups.Stop();
    status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
    CHECK(status.state == PrintState::kFailed);
    CHECK(status.problem == PrintProblem::kCupsUnreachable);
    CHECK_MESSAGE(status.detail.find("cups.sock") != std::string::npos, status.detail);
    CHECK(spooler.CheckQueue().problem == PrintProblem::kCupsUnreachable);
}

TEST_CASE("a jam while printing and a job that never ends are given up on and cancelled") {
    REQUIRE_CUPS_OR_SKIP();
    PrivateCups cups;
    cups.AddTrayQueue("kiosk-tray");
    TempDir work;
    const fs::path pdf = WriteReferral(work.path());
    WriteFile(cups.Tray() / "paper", "");

    SUBCASE("jam") {
        WriteFile(cups.Tray() / "jam", "");
        PrintSpooler spooler(PrintOptions{"kiosk-tray", cups.Socket(), 60, 1, ""});
        const PrintStatus status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
        CHECK(status.state == PrintState::kFailed);
        CHECK_MESSAGE(status.problem == PrintProblem::kPaperJam, status.detail);
        CHECK(status.detail.find("media-jam") != std::string::npos);
    }
    SUBCASE("no end") {
        WriteFile(cups.Tray() / "slow", "");
        PrintSpooler spooler(PrintOptions{"kiosk-tray", cups.Socket(), 2, 30, ""});
        const PrintStatus status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
        CHECK(status.state == PrintState::kFailed);
        CHECK_MESSAGE(status.problem == PrintProblem::kTimedOut, status.detail);
    }
    // Either way CUPS no longer has the job, so nothing prints behind a retry.
    std::string unfinished = cups.Unfinished("kiosk-tray");
    for (int i = 0; i < 100 && !unfinished.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        unfinished = cups.Unfinished("kiosk-tray");
    }
    CHECK_MESSAGE(unfinished.empty(), unfinished);
    CHECK(FilesIn(cups.Tray(), ".pdf").empty());
}

TEST_CASE("no scheduler at the configured address is kCupsUnreachable") {
    TempDir dir;
    const fs::path pdf = WriteReferral(dir.path());
    for (const std::string& server :
         {(dir.path() / "no-cups.sock").string(), std::string("127.0.0.1:1")}) {
        CAPTURE(server);
        PrintSpooler spooler(PrintOptions{"kiosk", server, 60, 30, ""});
        const PrintStatus status = WaitForEnd(spooler, spooler.Submit(pdf, "Referral"));
        CHECK(status.state == PrintState::kFailed);
        CHECK_MESSAGE(status.problem == PrintProblem::kCupsUnreachable, status.detail);
        CHECK_MESSAGE(status.detail.find(server) != std::string::npos, status.detail);
        const PrintStatus check = spooler.CheckQueue();
        CHECK(check.state == PrintState::kFailed);
        CHECK(check.problem == PrintProblem::kCupsUnreachable);
    }
}

TEST_CASE("a CUPS server on another host is used only over an encrypted connection") {
    using kiosk::print::CupsRequiresEncryption;
    for (const char* local : {"/run/cups/cups.sock", "localhost", "LocalHost:631", "127.0.0.1",
                              "127.0.0.1:8631", "::1", "[::1]:631"}) {
        CHECK_MESSAGE(!CupsRequiresEncryption(local), local);
    }
    for (const char* remote : {"print.clinic.example", "print.clinic.example:631", "10.0.0.5:631",
                               "[fd00::5]:631", "127.0.0.2:631"}) {
        CHECK_MESSAGE(CupsRequiresEncryption(remote), remote);
    }

    // A print server on "another host" (127.0.0.2, which is not a name of this box's own CUPS)
    // that speaks plain HTTP only: refused, and the reason says encryption.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    ::inet_pton(AF_INET, "127.0.0.2", &address.sin_addr);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 8) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    const std::string server = "127.0.0.2:" + std::to_string(ntohs(address.sin_port));
    std::atomic<int> answered{0};
    std::thread plain([&] {
        for (;;) {
            const int client = ::accept(listener, nullptr, nullptr);
            if (client < 0) {
                return;
            }
            char request[4096];
            (void)::recv(client, request, sizeof request, 0);
            const char reply[] =
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            (void)::send(client, reply, sizeof reply - 1, MSG_NOSIGNAL);
            ++answered;
            ::close(client);
        }
    });
    TempDir dir;
    PrintSpooler spooler(PrintOptions{"kiosk", server, 20, 10, ""});
    const PrintStatus status =
        WaitForEnd(spooler, spooler.Submit(WriteReferral(dir.path()), "Referral"));
    ::shutdown(listener, SHUT_RDWR);
    ::close(listener);
    plain.join();
    CHECK(answered > 0);
    CHECK(status.state == PrintState::kFailed);
    CHECK_MESSAGE(status.problem == PrintProblem::kCupsUnreachable, status.detail);
    CHECK_MESSAGE(status.detail.find("only over an encrypted connection") != std::string::npos,
                  status.detail);
    CHECK_MESSAGE(status.detail.find(server) != std::string::npos, status.detail);
}
