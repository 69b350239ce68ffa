#include "kiosk/platform/AssetPaths.h"

#include <cstdlib>
#include <system_error>
#include <vector>

namespace kiosk::platform {
namespace fs = std::filesystem;

namespace {

fs::path ExecutableDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

bool HasMo(const fs::path& dir) {
    return fs::exists(dir / "en.mo");
}

}  // namespace

Result<AssetPaths> FindAssets(const fs::path& override_dir) {
    std::vector<fs::path> candidates;
    if (!override_dir.empty()) {
        candidates.push_back(override_dir);
    } else {
        if (const char* env = std::getenv("KIOSK_ASSETS_DIR"); env != nullptr && *env != '\0') {
            candidates.emplace_back(env);
        }
        const fs::path exe_dir = ExecutableDir();
        if (!exe_dir.empty()) {
            candidates.push_back(exe_dir.parent_path() / "share" / "iop-kiosk" / "assets");
        }
        candidates.emplace_back(KIOSK_SOURCE_ASSETS);
    }
    for (const auto& dir : candidates) {
        if (!fs::exists(dir / "fonts" / "NotoSans-Regular.ttf")) {
            continue;
        }
        AssetPaths paths{dir, dir / "i18n"};
        if (!HasMo(paths.i18n)) {
            paths.i18n = KIOSK_BUILD_I18N_DIR;
        }
        if (!HasMo(paths.i18n)) {
            return MakeError(ErrorCode::kConfig, "translation catalogues (.mo) not found next to " +
                                                     dir.string() + " or in " +
                                                     KIOSK_BUILD_I18N_DIR +
                                                     ": rebuild or reinstall the kiosk");
        }
        return paths;
    }
    return MakeError(
        ErrorCode::kConfig,
        "the kiosk's assets (fonts, demo clinic) were not found; looked in " +
            (candidates.empty() ? std::string("nowhere") : candidates.front().string()) +
            " and the install location. Use --assets DIR");
}

fs::path DefaultDemoDataDir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
        return fs::path(xdg) / "iop-kiosk" / "demo";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return fs::path(home) / ".local" / "share" / "iop-kiosk" / "demo";
    }
    return fs::temp_directory_path() / "iop-kiosk-demo";
}

fs::path DefaultDemoKeyFile() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
        return fs::path(xdg) / "iop-kiosk" / "demo" / "audit.key";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return fs::path(home) / ".config" / "iop-kiosk" / "demo" / "audit.key";
    }
    return fs::temp_directory_path() / "iop-kiosk-demo-config" / "audit.key";
}

}  // namespace kiosk::platform
