// The pieces the kiosk's commands share (CommandSupport.h).
#include "kiosk/cli/CommandSupport.h"

#include <sys/stat.h>

#include "kiosk/core/Log.h"

namespace kiosk::cli {

int Fail(const std::string& what) {
    LogError("main", what);
    return 1;
}

Status EnsureDataDir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return MakeError(ErrorCode::kStorage,
                         "cannot create data directory " + dir.string() + ": " + ec.message());
    }
    ::chmod(dir.c_str(), 0700);  // attendance is health information: owner only
    return Ok{};
}

}  // namespace kiosk::cli
