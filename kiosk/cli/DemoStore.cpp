// The demo clinic's database (DemoStore.h); the clinic itself is kiosk/app's DemoClinic.
#include "kiosk/cli/DemoStore.h"

#include "kiosk/app/DemoClinic.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"

namespace kiosk::cli {
namespace {

constexpr auto kDemoFreshFor = std::chrono::hours{8};

}  // namespace

Result<std::unique_ptr<store::Store>> OpenDemoStore(const std::filesystem::path& db,
                                                    const platform::AssetPaths& assets,
                                                    const KioskConfig& config, Instant now,
                                                    Instant day_end, const AuditKey& key) {
    if (std::filesystem::exists(db)) {
        auto existing = store::Store::Open(db, key);
        if (existing) {
            auto seeded = existing.value()->Sync().GetMeta("demo_seeded_at");
            if (seeded && seeded.value()) {
                auto at = ParseDateTime(*seeded.value());
                if (at && now - at.value() < kDemoFreshFor && now >= at.value()) {
                    LogInfo("main", "demo clinic from " + *seeded.value() + " reused (" +
                                        db.string() + ")");
                    return existing;
                }
            }
        }
        LogInfo("main", "demo clinic is stale or unreadable: laying it out anew around now");
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(db.string() + suffix);
        }
    }
    auto fresh = store::Store::Open(db, key);
    if (!fresh) {
        return fresh.error();
    }
    if (auto s = SeedDemoClinic(*fresh.value(), assets.assets / "demo" / "clinic.json",
                                config.site_location_id, now, day_end);
        !s) {
        return s.error();
    }
    LogInfo("main", "demo clinic loaded into " + db.string());
    return fresh;
}

}  // namespace kiosk::cli
