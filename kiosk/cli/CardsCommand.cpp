// `kiosk cards`: reads the card list (CSV) and writes the sheet through kiosk/print.
#include "kiosk/cli/CardsCommand.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "kiosk/cli/CommandSupport.h"
#include "kiosk/platform/AssetPaths.h"
#include "kiosk/print/CardSheet.h"

namespace kiosk::cli {

void CardsCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand("cards", "write a printable PDF sheet of QR cards");
    m_cmd
        ->add_option("--csv", m_csv,
                     "card list with columns role,name,token (default: the demo's cards)")
        ->check(CLI::ExistingFile);
    m_cmd->add_option("--out", m_out, "the PDF to write")->required();
    m_cmd->add_option("--paper", m_paper, "letter or a4");
}

int CardsCommand::Run() {
    auto paper = print::ParsePaperSize(m_paper);
    if (!paper) {
        return Fail(paper.error().log);
    }
    std::filesystem::path list = m_csv;
    const bool demo = m_csv.empty();
    if (demo) {
        auto assets = platform::FindAssets(m_kiosk.assets_dir);
        if (!assets) {
            return Fail(assets.error().log);
        }
        list = assets->assets / "demo" / "cards.csv";
    }
    auto cards = print::ReadCardsCsv(list);
    if (!cards) {
        return Fail(cards.error().log);
    }
    if (auto s = print::WriteCardSheetPdf(cards.value(), m_out, paper.value(), demo); !s) {
        return Fail(s.error().log);
    }
    std::printf("%zu cards written to %s\n", cards->size(), m_out.c_str());
    return 0;
}

}  // namespace kiosk::cli
