// One mutex around one write per line, so lines from the main, sync and scan threads never mix.
// Whether stderr is the journal is decided once (JOURNAL_STREAM names stderr's device:inode).
#include "kiosk/core/Log.h"

#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace kiosk {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;

const char* Name(LogLevel l) {
    switch (l) {
        case LogLevel::kDebug:
            return "debug";
        case LogLevel::kInfo:
            return "info";
        case LogLevel::kWarn:
            return "warn";
        case LogLevel::kError:
            return "error";
    }
    return "?";
}

int SyslogPriority(LogLevel l) {
    switch (l) {
        case LogLevel::kDebug:
            return 7;
        case LogLevel::kInfo:
            return 6;
        case LogLevel::kWarn:
            return 4;
        case LogLevel::kError:
            return 3;
    }
    return 6;
}

bool StderrIsJournal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) {
        return false;
    }
    struct stat st {};
    if (fstat(fileno(stderr), &st) != 0) {
        return false;
    }
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) {
        return false;
    }
    return dev == static_cast<unsigned long long>(st.st_dev) &&
           ino == static_cast<unsigned long long>(st.st_ino);
}

bool IsTokenChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

bool StartsWithNoCase(std::string_view text, std::size_t at, std::string_view word) {
    if (text.size() - at < word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        char c = text[at + i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c != word[i]) {
            return false;
        }
    }
    return true;
}
}  // namespace

void SetLogLevel(LogLevel level) {
    g_level = static_cast<int>(level);
}

bool ParseLogLevel(std::string_view text, LogLevel& level) {
    for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
        if (text == Name(l)) {
            level = l;
            return true;
        }
    }
    return false;
}

std::string ScrubSecrets(std::string_view text) {
    constexpr std::size_t kMinSecretRun = 12;     // a card token's body is 22+
    constexpr std::size_t kMinCredentialRun = 8;  // after "Bearer " or "token="
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t skip = 0;  // length of a marker word that may be followed by a secret
        if (text.compare(i, 3, "K1.") == 0) {
            skip = 3;
        } else if (text.compare(i, 7, "Bearer ") == 0) {
            skip = 7;
        } else if (StartsWithNoCase(text, i, "token=")) {
            skip = 6;
        }
        if (skip > 0) {
            std::size_t run = 0;
            while (i + skip + run < text.size() &&
                   (IsTokenChar(text[i + skip + run]) || text[i + skip + run] == '.' ||
                    text[i + skip + run] == '~' || text[i + skip + run] == '+' ||
                    text[i + skip + run] == '/' || text[i + skip + run] == '=')) {
                ++run;
            }
            if (run >= (skip == 3 ? kMinSecretRun : kMinCredentialRun)) {
                out.append(text.substr(i, skip));
                out += "[redacted]";
                i += skip + run;
                continue;
            }
        }
        out.push_back(text[i]);
        ++i;
    }
    return out;
}

std::string FormatLogLine(LogLevel level, std::string_view area, std::string_view message,
                          bool journald) {
    std::string line;
    if (journald) {
        line = "<" + std::to_string(SyslogPriority(level)) + ">";
    } else {
        line = std::string("kiosk ") + Name(level) + " ";
    }
    line += "[";
    line += area;
    line += "] ";
    line += ScrubSecrets(message);
    for (char& c : line) {  // one record per line, whatever the message held
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return line;
}

void Log(LogLevel level, std::string_view area, std::string_view message) {
    if (static_cast<int>(level) < g_level.load()) {
        return;
    }
    static const bool journald = StderrIsJournal();
    const std::string line = FormatLogLine(level, area, message, journald);
    std::lock_guard lock(g_mutex);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
}

}  // namespace kiosk
