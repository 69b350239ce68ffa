// `kiosk resources import DIR`: runs the HSDS import into a kiosk's database and prints what it
// read, imported, removed and skipped, in words an IT person can act on (control bytes escaped).
#include <cstdio>

#include "kiosk/directory/HsdsImport.h"
#include "kiosk/store/Store.h"

namespace kiosk::directory {
namespace {

namespace fs = std::filesystem;

/// Report text is printed on a terminal: control bytes from the files are shown as \xNN.
std::string Printable(std::string_view text) {
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace

void PrintHsdsReport(const HsdsReport& report, const fs::path& dir, std::FILE* out,
                     size_t max_lines) {
    std::fprintf(out, "Read an Open Referral HSDS %s package from %s (version from %s).\n",
                 report.version.c_str(), Printable(dir.string()).c_str(),
                 report.version_from.c_str());
    for (const auto& [file, rows] : report.tables) {
        std::fprintf(out, "  %-32s %8lld rows\n", Printable(file).c_str(), rows);
    }
    if (report.applied) {
        std::fprintf(
            out,
            "Imported %lld resources from %lld services; removed %lld resources an earlier "
            "import had that this package no longer has.\n",
            report.imported, report.services, report.removed);
    } else {
        std::fprintf(out,
                     "Nothing was imported: no service in the package could be used. The resource "
                     "directory was left as it was.\n");
    }
    auto list = [&](const std::vector<HsdsIssue>& issues, const char* title) {
        if (issues.empty()) {
            return;
        }
        std::fprintf(out, "%s (%zu):\n", title, issues.size());
        for (size_t i = 0; i < issues.size() && i < max_lines; ++i) {
            const auto& issue = issues[i];
            if (issue.line > 0) {
                std::fprintf(out, "  %s line %ld: %s\n", Printable(issue.file).c_str(), issue.line,
                             Printable(issue.what).c_str());
            } else {
                std::fprintf(out, "  %s: %s\n",
                             Printable(issue.file.empty() ? "package" : issue.file).c_str(),
                             Printable(issue.what).c_str());
            }
        }
        if (issues.size() > max_lines) {
            std::fprintf(out, "  ... and %zu more\n", issues.size() - max_lines);
        }
    };
    list(report.skipped, "Rows left out");
    list(report.notes, "Rows kept without some part");
}

int RunResourcesImport(const std::string& dir, const std::string& data_dir, std::FILE* out) {
    const fs::path db = fs::path(data_dir) / "kiosk.db";
    std::error_code ec;
    if (!fs::is_directory(data_dir, ec)) {
        std::fprintf(out,
                     "kiosk resources import: %s is not a folder (is --data-dir the kiosk's data "
                     "directory?)\n",
                     Printable(data_dir).c_str());
        return 2;
    }
    auto store = store::Store::Open(db);
    if (!store) {
        std::fprintf(out, "kiosk resources import: cannot open %s: %s\n", db.c_str(),
                     Printable(store.error().log).c_str());
        return 2;
    }
    auto report = ImportHsds(dir, *store.value());
    if (!report) {
        std::fprintf(out, "kiosk resources import: %s\nNothing was changed.\n",
                     Printable(report.error().log).c_str());
        return 1;
    }
    PrintHsdsReport(report.value(), dir, out);
    if (auto total = store.value()->Directory().Count(); total) {
        std::fprintf(out, "The resource directory now holds %lld resources.\n", total.value());
    }
    return report->applied ? 0 : 1;
}

}  // namespace kiosk::directory
