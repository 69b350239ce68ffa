// `kiosk resources import DIR`: an Open Referral HSDS data package (datapackage.json and CSV
// files, HSDS 3.0 or the older 2.0.1/1.x layout) into the resource directory, source "hsds".
// One row per service at a location (or per service without one); a re-import replaces the
// previous one. Bad rows are skipped and reported by file and line, never fatal. Depends on
// core and store (and DirectoryMapping's vocabulary) only.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Store.h"

namespace kiosk::directory {

inline constexpr std::string_view kHsdsSource = "hsds";

struct HsdsOptions {
    /// Schedules and cost options no longer (or not yet) valid on this day are left out.
    Instant now{};
    /// Rows per UpsertResources call (one transaction each).
    size_t batch = 2000;
};

/// A row the import left out or kept only in part.
struct HsdsIssue {
    std::string file;  ///< "services.csv"; "" for the package as a whole
    long line = 0;     ///< the line the row starts on (the header is line 1); 0 for a whole file
    std::string what;  ///< "unknown service 'svc-9'", "bad time '25:00' in opens_at"
};

struct HsdsReport {
    std::string version;       ///< "3.0", or "2.0" for the HSDS 2.0.1 / 1.x layout
    std::string version_from;  ///< "datapackage.json" or "the files present"
    /// Data rows read per file, in the order read.
    std::vector<std::pair<std::string, long long>> tables;
    long long services = 0;  ///< services that gave at least one resource
    long long imported = 0;  ///< resources written
    long long removed = 0;   ///< earlier "hsds" resources the package no longer has
    /// False when no service could be imported: the directory was then left as it was, so a
    /// wrong folder or a broken export never empties it.
    bool applied = false;
    std::vector<HsdsIssue> skipped;  ///< rows left out, in file order
    std::vector<HsdsIssue> notes;    ///< rows kept without some part; absent optional files
};

/// Imports the package in `dir`. Errors (nothing changed): no organizations or services file
/// (the message names it), a file that cannot be read, or the store failing.
Result<HsdsReport> ImportHsds(const std::filesystem::path& dir, store::Store& store,
                              const HsdsOptions& options = {});

/// The report in words for the clinic's IT person (at most `max_lines` skipped rows listed).
void PrintHsdsReport(const HsdsReport& report, const std::filesystem::path& dir, std::FILE* out,
                     size_t max_lines = 50);

/// `kiosk resources import DIR --data-dir D`: imports into D/kiosk.db and prints the report.
/// Exit status 0 when imported (even with skipped rows), 1 when the package could not be
/// imported (nothing changed), 2 when the kiosk's database cannot be opened.
int RunResourcesImport(const std::string& dir, const std::string& data_dir, std::FILE* out);

}  // namespace kiosk::directory
