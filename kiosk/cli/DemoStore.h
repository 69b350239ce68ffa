// The demo clinic's database: kept across restarts for a few hours, then laid out anew around
// the present from the assets' demo/clinic.json.
#pragma once

#include <filesystem>
#include <memory>

#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Config.h"
#include "kiosk/platform/AssetPaths.h"
#include "kiosk/store/Store.h"

namespace kiosk::cli {

/// Opens `db`: reused when seeded less than 8 hours before `now`; otherwise removed and seeded
/// again within the clinic's day (it ends at `day_end`).
Result<std::unique_ptr<store::Store>> OpenDemoStore(const std::filesystem::path& db,
                                                    const platform::AssetPaths& assets,
                                                    const KioskConfig& config, Instant now,
                                                    Instant day_end, const AuditKey& key);

}  // namespace kiosk::cli
