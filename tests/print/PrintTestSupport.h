// Helpers the print tests share: running poppler's tools and other programs without a shell,
// reading their PGM rasters and decoding QR codes on a rasterised page with ZXing's reader.
// Test-only; depends on doctest, ZXing and POSIX, never on kiosk internals.
#pragma once

#include <doctest/doctest.h>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace kiosk::test {

/// The program at `configured` (what CMake found), else `name` on PATH, else "".
inline std::string FindTool(const std::string& configured, const std::string& name) {
    if (!configured.empty() && configured.find("NOTFOUND") == std::string::npos &&
        access(configured.c_str(), X_OK) == 0) {
        return configured;
    }
    if (const char* path = std::getenv("PATH")) {
        std::istringstream dirs(path);
        std::string dir;
        while (std::getline(dirs, dir, ':')) {
            const std::filesystem::path candidate = std::filesystem::path(dir) / name;
            if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) {
                return candidate.string();
            }
        }
    }
    return {};
}

/// The tool CMake found, else the first one on PATH, else a failed test naming the package.
inline std::string Tool(const std::string& configured, const std::string& name,
                        const std::string& package = "poppler-utils") {
    std::string found = FindTool(configured, name);
    if (found.empty()) {
        FAIL(name << " not found at build time or on PATH: install " << package
                  << "; without it the printed pages cannot be checked");
    }
    return found;
}

struct RunResult {
    int exit_code = -1;
    std::string out;
};

/// Runs a program directly (no shell) and captures its stdout (and its stderr too with
/// `merge_stderr`; otherwise stderr goes to the test log).
inline RunResult Run(const std::vector<std::string>& argv, bool merge_stderr = false) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        if (merge_stderr) {
            dup2(fds[1], STDERR_FILENO);
        }
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> args;
        for (const std::string& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    RunResult result;
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        result.out.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> pixels;
};

/// Binary PGM (P5, 8-bit), as pdftoppm -gray writes it.
inline GreyImage ReadPgm(const std::filesystem::path& path) {
    const std::string data = ReadFile(path);
    std::size_t pos = 0;
    auto next_token = [&]() {
        while (pos < data.size()) {
            if (data[pos] == '#') {
                pos = data.find('\n', pos);
            } else if (std::isspace(static_cast<unsigned char>(data[pos]))) {
                ++pos;
            } else {
                break;
            }
        }
        const std::size_t start = pos;
        while (pos < data.size() && !std::isspace(static_cast<unsigned char>(data[pos]))) {
            ++pos;
        }
        return data.substr(start, pos - start);
    };
    REQUIRE_MESSAGE(next_token() == "P5", path.string() << " is not a binary PGM");
    GreyImage image;
    image.width = std::stoi(next_token());
    image.height = std::stoi(next_token());
    REQUIRE(std::stoi(next_token()) == 255);
    ++pos;  // the single whitespace byte before the raster
    const auto size =
        static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
    REQUIRE(data.size() - pos == size);
    image.pixels.assign(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end());
    return image;
}

inline int PdfPageCount(const std::filesystem::path& pdf) {
    const RunResult info = Run({Tool(KIOSK_PDFINFO, "pdfinfo"), pdf.string()});
    REQUIRE(info.exit_code == 0);
    const std::size_t at = info.out.find("Pages:");
    REQUIRE(at != std::string::npos);
    return std::stoi(info.out.substr(at + 6));
}

inline std::string PdfPageSize(const std::filesystem::path& pdf) {
    const RunResult info = Run({Tool(KIOSK_PDFINFO, "pdfinfo"), pdf.string()});
    REQUIRE(info.exit_code == 0);
    const std::size_t at = info.out.find("Page size:");
    REQUIRE(at != std::string::npos);
    return info.out.substr(at, info.out.find('\n', at) - at);
}

/// The text of the whole PDF (pages separated by form feeds), or of page `page` (from 1).
inline std::string PdfText(const std::filesystem::path& pdf, int page = 0) {
    std::vector<std::string> argv = {Tool(KIOSK_PDFTOTEXT, "pdftotext"), "-enc", "UTF-8"};
    if (page > 0) {
        argv.insert(argv.end(), {"-f", std::to_string(page), "-l", std::to_string(page)});
    }
    argv.insert(argv.end(), {pdf.string(), "-"});
    const RunResult text = Run(argv);
    REQUIRE(text.exit_code == 0);
    return text.out;
}

/// Page `page` (from 1) of `pdf` rasterised in grey at `dpi`, as a scanner would see it.
inline GreyImage RasterisePage(const std::filesystem::path& pdf, int page,
                               const std::filesystem::path& dir, int dpi = 150,
                               int scale_to_width = 0) {
    const std::filesystem::path prefix = dir / ("page" + std::to_string(page));
    std::vector<std::string> argv = {Tool(KIOSK_PDFTOPPM, "pdftoppm"),
                                     "-gray",
                                     "-f",
                                     std::to_string(page),
                                     "-l",
                                     std::to_string(page),
                                     "-singlefile"};
    if (scale_to_width > 0) {
        argv.insert(argv.end(),
                    {"-scale-to-x", std::to_string(scale_to_width), "-scale-to-y", "-1"});
    } else {
        argv.insert(argv.end(), {"-r", std::to_string(dpi)});
    }
    argv.insert(argv.end(), {pdf.string(), prefix.string()});
    const RunResult ppm = Run(argv);
    REQUIRE(ppm.exit_code == 0);
    return ReadPgm(std::filesystem::path(prefix).concat(".pgm"));
}

/// Every QR text ZXing reads on one page rasterised at 150 dpi in grey, as a phone camera or a
/// scanner would see a printout. Each must be ECC level M.
inline std::vector<std::string> DecodePage(const std::filesystem::path& pdf, int page,
                                           const std::filesystem::path& dir) {
    const GreyImage image = RasterisePage(pdf, page, dir);
    const ZXing::ImageView view(image.pixels.data(), image.width, image.height,
                                ZXing::ImageFormat::Lum);
    const auto results =
        ZXing::ReadBarcodes(view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
    std::vector<std::string> texts;
    for (const auto& r : results) {
        CHECK(r.isValid());
        CHECK(r.ecLevel() == "M");
        texts.push_back(r.text());
    }
    return texts;
}

}  // namespace kiosk::test
