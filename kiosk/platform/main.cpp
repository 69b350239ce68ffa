// kiosk: the lobby check-in program. Parses the command line, finds config, data and assets,
// opens the store (seeding the demo clinic when asked), then runs the window.
#include <CLI/CLI.hpp>
#include <date/tz.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "kiosk/app/AppModel.h"
#include "kiosk/app/DemoClinic.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "kiosk/platform/AssetPaths.h"
#include "kiosk/platform/KioskWindow.h"
#include "kiosk/print/CardSheet.h"

namespace fs = std::filesystem;
using namespace kiosk;

namespace {

constexpr auto kDemoFreshFor = std::chrono::hours{8};

int Fail(const std::string& what) {
    LogError("main", what);
    return 1;
}

Result<std::pair<int, int>> ParseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0;
    if (std::sscanf(text.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 320 ||
        h < 240 || w > 7680 || h > 4320) {
        return MakeError(ErrorCode::kConfig, "--windowed takes WIDTHxHEIGHT, like 1280x800");
    }
    return std::make_pair(w, h);
}

Status EnsureDataDir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return MakeError(ErrorCode::kStorage, "cannot create data directory " + dir.string() + ": " + ec.message());
    }
    ::chmod(dir.c_str(), 0700);  // attendance is health information: owner only
    return Ok{};
}

/// The demo keeps its check-ins across restarts for a few hours; after that its clinic is laid
/// out anew around the present.
Result<std::unique_ptr<store::Store>> OpenDemoStore(const fs::path& db, const platform::AssetPaths& assets,
                                                     const KioskConfig& config) {
    const Instant now = SystemClock().Now();
    if (fs::exists(db)) {
        auto existing = store::Store::Open(db);
        if (existing) {
            auto seeded = existing.value()->GetMeta("demo_seeded_at");
            if (seeded && seeded.value()) {
                auto at = ParseDateTime(*seeded.value());
                if (at && now - at.value() < kDemoFreshFor && now >= at.value()) {
                    LogInfo("main", "demo clinic from " + *seeded.value() + " reused (" + db.string() + ")");
                    return existing;
                }
            }
        }
        LogInfo("main", "demo clinic is stale or unreadable: laying it out anew around now");
        for (const char* suffix : {"", "-wal", "-shm"}) {
            fs::remove(db.string() + suffix);
        }
    }
    auto fresh = store::Store::Open(db);
    if (!fresh) {
        return fresh.error();
    }
    if (auto s = SeedDemoClinic(*fresh.value(), assets.assets / "demo" / "clinic.json",
                                config.site_location_id, now);
        !s) {
        return s.error();
    }
    LogInfo("main", "demo clinic loaded into " + db.string());
    return fresh;
}

/// kiosk cards: a printable PDF sheet of QR cards; the demo's cards when no list is given.
int PrintCards(const std::string& csv, const std::string& out, const std::string& paper_name,
               const std::string& assets_dir) {
    auto paper = print::ParsePaperSize(paper_name);
    if (!paper) {
        return Fail(paper.error().log);
    }
    fs::path list = csv;
    const bool demo = csv.empty();
    if (demo) {
        auto assets = platform::FindAssets(assets_dir);
        if (!assets) {
            return Fail(assets.error().log);
        }
        list = assets->assets / "demo" / "cards.csv";
    }
    auto cards = print::ReadCardsCsv(list);
    if (!cards) {
        return Fail(cards.error().log);
    }
    if (auto s = print::WriteCardSheetPdf(cards.value(), out, paper.value(), demo); !s) {
        return Fail(s.error().log);
    }
    std::printf("%zu cards written to %s\n", cards->size(), out.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"IOP clinic lobby kiosk: participants check in to their group sessions by scanning their card."};
    cli.set_version_flag("--version", PROJECT_VERSION);
    bool demo = false;
    std::string config_file, data_dir, windowed, assets_dir, log_level = "info";
    auto* demo_opt = cli.add_flag("--demo", demo, "run on the built-in demo clinic (offline, no server)");
    cli.add_option("--config", config_file, "configuration file (TOML), see config/kiosk.example.toml")
        ->check(CLI::ExistingFile)
        ->excludes(demo_opt);
    cli.add_option("--data-dir", data_dir, "where the local database lives (overrides the config)");
    cli.add_option("--windowed", windowed, "run in a window of this size instead of full screen, e.g. 1280x800");
    cli.add_option("--assets", assets_dir, "folder with the kiosk's fonts, catalogues and demo clinic");
    cli.add_option("--log-level", log_level, "debug, info, warn or error")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
    auto* cards_cmd = cli.add_subcommand("cards", "write a printable PDF sheet of QR cards");
    std::string cards_csv, cards_out, cards_paper = "letter";
    cards_cmd->add_option("--csv", cards_csv, "card list with columns role,name,token (default: the demo's cards)")
        ->check(CLI::ExistingFile);
    cards_cmd->add_option("--out", cards_out, "the PDF to write")->required();
    cards_cmd->add_option("--paper", cards_paper, "letter or a4");
    CLI11_PARSE(cli, argc, argv);
    if (*cards_cmd) {
        return PrintCards(cards_csv, cards_out, cards_paper, assets_dir);
    }

    SetLogLevel(log_level == "debug"  ? LogLevel::kDebug
                : log_level == "warn" ? LogLevel::kWarn
                : log_level == "error" ? LogLevel::kError
                                       : LogLevel::kInfo);
    if (!demo && config_file.empty()) {
        std::fprintf(stderr, "kiosk: say --demo to try the built-in demo clinic, or --config FILE.\n%s",
                     cli.help().c_str());
        return 2;
    }
    auto assets = platform::FindAssets(assets_dir);
    if (!assets) {
        return Fail(assets.error().log);
    }
    Result<KioskConfig> config = demo ? LoadConfig(assets->assets / "demo" / "kiosk.toml") : LoadConfig(config_file);
    if (!config) {
        return Fail(config.error().log);
    }
    KioskConfig& cfg = config.value();
    if (demo) {
        try {  // the demo shows the visitor's own clock
            cfg.timezone = std::string(date::current_zone()->name());
        } catch (const std::exception&) {
        }
        cfg.data_dir = platform::DefaultDemoDataDir();
    }
    if (!data_dir.empty()) {
        cfg.data_dir = data_dir;
    }
    auto clinic_time = ClinicTime::ForZone(cfg.timezone);
    if (!clinic_time) {
        return Fail(cfg.source.string() + ": clinic.timezone: " + clinic_time.error().log);
    }
    if (auto s = EnsureDataDir(cfg.data_dir); !s) {
        return Fail(s.error().log);
    }
    const fs::path db = cfg.data_dir / "kiosk.db";
    auto store = demo ? OpenDemoStore(db, assets.value(), cfg) : store::Store::Open(db);
    if (!store) {
        return Fail(store.error().log);
    }
    std::map<std::string, Catalog> catalogs;
    for (const auto& lang : cfg.languages) {
        auto c = Catalog::LoadMo(assets->i18n / (lang + ".mo"), lang);
        if (!c) {
            return Fail(c.error().log);
        }
        catalogs.emplace(lang, std::move(c).value());
    }
    LogInfo("main", "kiosk " + cfg.kiosk_id + " starting; data in " + cfg.data_dir.string() + "; time zone " + cfg.timezone);

    SystemClock clock;
    AppModel model(cfg, clock, clinic_time.value(), *store.value(), std::move(catalogs));
    platform::WindowOptions options;
    options.fonts_dir = assets->assets / "fonts";
    if (!windowed.empty()) {
        auto size = ParseSize(windowed);
        if (!size) {
            return Fail(size.error().log);
        }
        options.windowed = size.value();
    }
    if (auto s = platform::RunKioskWindow(model, options); !s) {
        return Fail(s.error().log);
    }
    return 0;
}
