// Where the kiosk's shipped files are: fonts, translation catalogues and the demo clinic.
// Installed: <prefix>/share/iop-kiosk; in a build tree: the source tree's assets/.
#pragma once

#include <filesystem>

#include "kiosk/core/Result.h"

namespace kiosk::platform {

struct AssetPaths {
    std::filesystem::path assets;  ///< holds fonts/, demo/, i18n/*.po
    std::filesystem::path i18n;    ///< holds the compiled <lang>.mo catalogues
};

/// `override_dir` (from --assets) wins, then $KIOSK_ASSETS_DIR, then the install location next
/// to the binary, then the build tree's.
Result<AssetPaths> FindAssets(const std::filesystem::path& override_dir);

/// The data directory for the demo when none is given: $XDG_DATA_HOME/iop-kiosk/demo.
std::filesystem::path DefaultDemoDataDir();

/// The demo's audit key, kept apart from its data: $XDG_CONFIG_HOME/iop-kiosk/demo/audit.key.
std::filesystem::path DefaultDemoKeyFile();

}  // namespace kiosk::platform
