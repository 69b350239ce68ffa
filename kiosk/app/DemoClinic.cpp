#include "kiosk/app/DemoClinic.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "kiosk/core/Iso8601.h"
#include "kiosk/directory/DirectoryMapping.h"
#include "sync/FhirMapping.h"

namespace kiosk {
namespace {

using nlohmann::json;

Result<json> ReadJson(const std::filesystem::path& file, const char* what) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return MakeError(ErrorCode::kConfig,
                         std::string("cannot read the demo ") + what + " " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    json doc = json::parse(text.str(), nullptr, false);
    if (doc.is_discarded()) {
        return MakeError(ErrorCode::kInvalidInput, file.string() + " is not valid JSON");
    }
    return doc;
}

bool Shift(json& holder, const char* key, Seconds offset) {
    auto it = holder.find(key);
    if (it == holder.end() || !it->is_string()) {
        return true;
    }
    auto t = ParseDateTime(it->get<std::string>());
    if (!t) {
        return false;
    }
    *it = FormatDateTimeUtc(t.value() + offset);
    return true;
}

bool ShiftIdentifiers(json& resource, Seconds offset) {
    auto ids = resource.find("identifier");
    if (ids == resource.end() || !ids->is_array()) {
        return true;
    }
    for (auto& id : *ids) {
        if (auto p = id.find("period"); p != id.end() && p->is_object()) {
            if (!Shift(*p, "start", offset) || !Shift(*p, "end", offset)) {
                return false;
            }
        }
    }
    return true;
}

/// The end of the block that starts at `anchor`: Appointments that follow one another with at
/// most a short break, as a participant's block of groups does.
Instant BlockEnd(const json& bundle, Instant anchor) {
    constexpr Minutes kBreak{15};
    std::vector<std::pair<Instant, Instant>> sessions;
    for (const auto& e : bundle.value("entry", json::array())) {
        const json* r = e.is_object() && e.contains("resource") ? &e["resource"] : nullptr;
        if (r == nullptr || !r->is_object() || r->value("resourceType", "") != "Appointment") {
            continue;
        }
        auto start = ParseDateTime(r->value("start", ""));
        auto end = ParseDateTime(r->value("end", ""));
        if (start && end && start.value() >= anchor && end.value() > start.value()) {
            sessions.emplace_back(start.value(), end.value());
        }
    }
    std::sort(sessions.begin(), sessions.end());
    Instant end = anchor;
    for (const auto& [s, e] : sessions) {
        if (s > end + kBreak) {
            break;
        }
        end = std::max(end, e);
    }
    return end;
}

}  // namespace

Status RebaseDemoBundle(json& bundle, Instant now, Instant day_end) {
    std::optional<Instant> anchor;
    if (auto meta = bundle.find("meta"); meta != bundle.end()) {
        for (const auto& e : meta->value("extension", json::array())) {
            if (e.value("url", "") == kDemoAnchorExtension) {
                if (auto t = ParseDateTime(e.value("valueDateTime", "")); t) {
                    anchor = t.value();
                }
            }
        }
    }
    if (!anchor) {
        return MakeError(ErrorCode::kInvalidInput, "demo bundle has no meta.extension '" +
                                                       std::string(kDemoAnchorExtension) + "'");
    }
    auto floor5 = [](Instant t) {
        const auto minute = std::chrono::floor<Minutes>(t);
        return Instant{minute - minute.time_since_epoch() % Minutes{5}};
    };
    Instant target = floor5(now) + Minutes{10};
    const Seconds block = BlockEnd(bundle, *anchor) - *anchor;
    if (day_end != Instant::max() && target + block > day_end) {
        target = floor5(day_end - block);
    }
    const Seconds offset = target - *anchor;
    auto entries = bundle.find("entry");
    if (entries == bundle.end() || !entries->is_array()) {
        return Ok{};
    }
    for (auto& e : *entries) {
        if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) {
            continue;
        }
        json& r = e["resource"];
        const std::string type = r.value("resourceType", "");
        bool ok = ShiftIdentifiers(r, offset);
        if (type == "Appointment") {
            ok = ok && Shift(r, "start", offset) && Shift(r, "end", offset);
        } else if (type == "Encounter" && r.contains("period")) {
            ok = ok && Shift(r["period"], "start", offset) && Shift(r["period"], "end", offset);
        }
        if (!ok) {
            return MakeError(ErrorCode::kInvalidInput,
                             "demo bundle: " + type + "/" + r.value("id", "?") + " has a bad date");
        }
    }
    return Ok{};
}

Status SeedDemoClinic(store::Store& store, const std::filesystem::path& bundle_file,
                      const std::string& site_id, Instant now, Instant day_end) {
    auto read = ReadJson(bundle_file, "clinic");
    if (!read) {
        return read.error();
    }
    json& bundle = read.value();
    if (auto s = RebaseDemoBundle(bundle, now, day_end); !s) {
        return s;
    }
    auto batch = sync::MapBundle(bundle, sync::MappingContext{site_id, now});
    if (!batch) {
        return MakeError(ErrorCode::kInvalidInput, bundle_file.string() + ": " + batch.error().log);
    }
    if (auto s = store.Clinic().Apply(batch.value()); !s) {
        return s;
    }
    // Weekly hours need no re-basing: the directory goes in as it is.
    if (const auto directory = bundle_file.parent_path() / "directory.json";
        std::filesystem::exists(directory)) {
        if (auto n = SeedDemoDirectory(store, directory); !n) {
            return n.error();
        }
    }
    return store.Transaction([&](store::WriteTx& tx) {
        return store.Sync().SetMeta(tx, "demo_seeded_at", FormatDateTimeUtc(now));
    });
}

Result<size_t> SeedDemoDirectory(store::Store& store, const std::filesystem::path& directory_file) {
    auto bundle = ReadJson(directory_file, "resource directory");
    if (!bundle) {
        return bundle.error();
    }
    auto mapped = directory::MapDirectoryBundle(bundle.value());
    if (!mapped.skipped.empty()) {
        return MakeError(ErrorCode::kInvalidInput,
                         directory_file.string() + ": " + mapped.skipped.front() + " (and " +
                             std::to_string(mapped.skipped.size() - 1) + " more)");
    }
    if (auto s = store.Directory().Upsert(mapped.rows); !s) {
        return s.error();
    }
    return mapped.rows.size();
}

}  // namespace kiosk
