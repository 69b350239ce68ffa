// libFuzzer target: the Open Referral HSDS import (kiosk/directory/HsdsImport*,
// `kiosk resources import`).
// The input is a whole data package in one text: sections that each start with a line
//   === <file name>
// followed by the file's bytes, e.g. "=== datapackage.json", "=== services.csv",
// "=== data/schedules.csv" (names: letters, digits, '.', '_', '-'; at most one folder level;
// anything else is dropped, so nothing is written outside the package folder). The files go into
// a per-process temporary folder and ImportHsds reads them into an in-memory store, twice (a
// re-import replaces the first). Checks, besides "no crash, no UB, no leak": an import that fails
// changed nothing; one that succeeds has counts that add up (services, rows written, rows in the
// store, nothing removed from a fresh store, the same answer the second time); every stored row
// has an "hsds:" id, a name, known categories in order, a position in range or none, a web
// address or none, hours that survive their text form, and clean UTF-8 text; the search finds
// every row and a row by its own name; the printed report holds no control characters.
#include <fuzzer/FuzzedDataProvider.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kiosk/core/ClinicTime.h"
#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/HsdsImport.h"
#include "kiosk/directory/ResourceSearch.h"
#include "kiosk/store/Store.h"
#include "tests/fuzz/DirectoryRowChecks.h"

using namespace kiosk;
using namespace kiosk::directory;
using kiosk::fuzz::Require;
namespace fs = std::filesystem;

namespace {

// 2026-01-07T20:00:00Z: the import's day (schedules and costs valid on it).
const Instant kNow = Instant{Seconds{1767816000}};
constexpr size_t kMaxFiles = 32;

struct Process {
    fs::path root;  ///< this process's temporary folder
    fs::path package;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<ResourceSearch> search;  ///< over `store`
    std::optional<ClinicTime> time;
};

Process* g_process = nullptr;

void RemoveRoot() {
    if (g_process != nullptr) {
        g_process->search.reset();
        g_process->store.reset();
        std::error_code ec;
        fs::remove_all(g_process->root, ec);
    }
}

Process& Setup() {
    if (g_process != nullptr) {
        return *g_process;
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/kiosk-fuzz-hsds.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
        std::perror("fuzz_hsds: mkdtemp");
        std::abort();
    }
    g_process = new Process;
    g_process->root = pattern;
    g_process->package = g_process->root / "package";
    std::atexit(RemoveRoot);
    auto store = store::Store::Open(":memory:");
    if (!store) {
        std::fprintf(stderr, "fuzz_hsds: %s\n", store.error().log.c_str());
        std::abort();
    }
    g_process->store = std::move(store).value();
    g_process->search = std::make_unique<ResourceSearch>(*g_process->store);
    auto time = ClinicTime::ForZone("America/Los_Angeles");
    if (time) {
        g_process->time.emplace(time.value());
    }
    return *g_process;
}

bool SafePart(std::string_view part) {
    if (part.empty() || part.size() > 64 || part == "." || part == "..") {
        return false;
    }
    for (char c : part) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/// The input's files by name (a later section of the same name replaces an earlier one).
std::map<std::string, std::string> Split(std::string_view input) {
    std::map<std::string, std::string> files;
    std::string* current = nullptr;
    size_t pos = 0;
    while (pos < input.size()) {
        size_t end = input.find('\n', pos);
        const size_t next = end == std::string_view::npos ? input.size() : end + 1;
        std::string_view line = input.substr(pos, next - pos);
        pos = next;
        if (line.substr(0, 4) == "=== ") {
            std::string_view name = line.substr(4);
            while (!name.empty() &&
                   (name.back() == '\n' || name.back() == '\r' || name.back() == ' ')) {
                name.remove_suffix(1);
            }
            current = nullptr;
            const size_t slash = name.find('/');
            const bool ok = slash == std::string_view::npos ? SafePart(name)
                                                            : SafePart(name.substr(0, slash)) &&
                                                                  SafePart(name.substr(slash + 1));
            if (ok && (files.size() < kMaxFiles || files.count(std::string(name)) != 0)) {
                current = &files[std::string(name)];
                current->clear();
            }
            continue;
        }
        if (current != nullptr) {
            current->append(line);
        }
    }
    return files;
}

void WritePackage(const fs::path& dir, const std::map<std::string, std::string>& files) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    for (const auto& [name, text] : files) {
        const fs::path path = dir / name;
        if (name.find('/') != std::string::npos) {
            fs::create_directories(path.parent_path(), ec);
            if (ec) {
                continue;  // "data.csv/x": a file is in the way
            }
        }
        std::ofstream out(path, std::ios::binary);
        out << text;
    }
}

/// Well-formed UTF-8 with no control characters but the line feed.
bool CleanUtf8(std::string_view s) {
    return fuzz::ValidUtf8(s) && std::none_of(s.begin(), s.end(), [](char ch) {
               const auto c = static_cast<unsigned char>(ch);
               return (c < 0x20 && c != '\n') || c == 0x7F;
           });
}

void CheckRow(const store::ResourceRow& r) {
    Require(r.id.rfind("hsds:", 0) == 0 && r.id.size() > 5);
    Require(r.source == kHsdsSource);
    fuzz::CheckDirectoryRow(r);
    for (const auto& l : r.languages) {
        Require(CleanUtf8(l));
    }
    for (const std::string* s :
         {&r.name, &r.organization, &r.description, &r.address, &r.phone, &r.website, &r.hours_note,
          &r.eligibility, &r.cost, &r.what_to_bring, &r.updated}) {
        Require(CleanUtf8(*s));
    }
}

struct Issue {
    std::string file;
    long line;
    std::string what;
    bool operator==(const Issue&) const = default;
};

std::vector<Issue> Issues(const std::vector<HsdsIssue>& list) {
    std::vector<Issue> out;
    for (const auto& i : list) {
        Require(i.line >= 0 && !i.what.empty());
        out.push_back({i.file, i.line, i.what});
    }
    return out;
}

void CheckReportText(const HsdsReport& report, const fs::path& dir) {
    char* text = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&text, &size);
    Require(out != nullptr);
    PrintHsdsReport(report, dir, out, 20);
    std::fclose(out);
    for (size_t i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        Require(c >= 0x20 || c == '\n');
        Require(c != 0x7F);
    }
    std::free(text);
}

/// Every row, through the search (which also builds the directory index from the rows).
std::vector<store::ResourceRow> AllRows(Process& p, long long count) {
    store::ResourceQuery all;
    all.limit = 1000;
    store::ResourceContext context;
    context.now = kNow;
    auto found = p.search->Find(all, context);
    Require(found.ok());
    Require(found->total == count);
    Require(static_cast<long long>(found->hits.size()) == std::min<long long>(count, 1000));
    std::vector<store::ResourceRow> rows;
    for (auto& hit : found->hits) {
        rows.push_back(std::move(hit.resource));
    }
    return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Process& p = Setup();
    store::Store& st = *p.store;
    Require(st.Directory().RemoveNotIn(std::string(kHsdsSource), {}).ok());  // a fresh directory
    Require(st.Directory().Count().value() == 0);

    WritePackage(p.package, Split(std::string_view(reinterpret_cast<const char*>(data), size)));
    HsdsOptions options;
    options.now = kNow;
    options.batch = 3;  // several batches even for a small package
    auto first = ImportHsds(p.package, st, options);
    const long long count = st.Directory().Count().value();
    if (!first.ok()) {
        // Nothing changed: no organizations or services file, a bad header, an unreadable file.
        const ErrorCode code = first.error().code;
        Require(code == ErrorCode::kNotFound || code == ErrorCode::kInvalidInput);
        Require(!first.error().log.empty());
        Require(count == 0);
        if (std::getenv("KIOSK_FUZZ_VERBOSE") != nullptr) {
            std::fprintf(stderr, "not imported: %s\n", first.error().log.c_str());
        }
        return 0;
    }
    const HsdsReport& report = first.value();
    Require(report.version == "3.0" || report.version == "2.0");
    Require(report.version_from == "datapackage.json" ||
            report.version_from == "the files present");
    Require(report.applied == (report.services > 0));
    Require(report.imported >= report.services && report.removed == 0);
    Require(report.applied ? count > 0 && count <= report.imported : count == 0);
    const auto skipped = Issues(report.skipped);
    const auto notes = Issues(report.notes);
    for (size_t i = 1; i < skipped.size(); ++i) {
        Require(std::tie(skipped[i - 1].file, skipped[i - 1].line) <=
                std::tie(skipped[i].file, skipped[i].line));
    }
    CheckReportText(report, p.package);
    if (std::getenv("KIOSK_FUZZ_VERBOSE") != nullptr) {  // to look at one input: the report
        PrintHsdsReport(report, p.package, stderr);
    }

    const auto rows = AllRows(p, count);
    for (const auto& r : rows) {
        CheckRow(r);
        auto one = st.Directory().Resource(r.id);
        Require(one.ok() && one.value().has_value() && one.value()->name == r.name);
    }
    if (!rows.empty()) {
        // A resource is found by its own name (the case manager's most common search), also
        // when "open now" and the other filters are asked for.
        store::ResourceQuery byname;
        byname.text = rows.front().name;
        store::ResourceContext context;
        context.now = kNow;
        context.time = p.time ? &*p.time : nullptr;
        auto found = p.search->Find(byname, context);
        Require(found.ok() && found->total >= 1);
        FuzzedDataProvider in(data, size);
        store::ResourceQuery filtered;
        filtered.text = in.ConsumeRandomLengthString(16);
        filtered.open_now = in.ConsumeBool();
        filtered.free_only = in.ConsumeBool();
        filtered.language = in.ConsumeBool() ? "es" : "";
        filtered.categories = {std::string(kResourceCategories[in.ConsumeIntegralInRange<size_t>(
            0, kResourceCategories.size() - 1)])};
        context.origin_lat = 45.5;
        context.origin_lon = -122.6;
        filtered.max_km = in.ConsumeFloatingPointInRange<double>(0, 50);
        auto narrowed = p.search->Find(filtered, context);
        Require(narrowed.ok() && narrowed->total <= count);
    }

    // The same package again replaces the first import with the same rows.
    auto second = ImportHsds(p.package, st, options);
    Require(second.ok());
    Require(second->imported == report.imported && second->services == report.services);
    Require(second->removed == 0 && second->applied == report.applied);
    Require(st.Directory().Count().value() == count);
    Require(Issues(second->skipped) == skipped && Issues(second->notes) == notes);
    return 0;
}
