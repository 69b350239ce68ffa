// scan_make_frames: writes generated camera frames (PNG) for the e2e test and for trying
// `kiosk decode` or `kiosk --camera-replay` by hand.
//   scan_make_frames --out DIR [--text T | --raw-hex HEX] [--count N] [--empty N] [--size WxH]
//                    [--module PX] [--first-index N] [--seed S] [--format png|pgm]
// Frames with the code vary a little (position, tilt, noise) like a hand-held card.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "FrameGen.h"

using namespace kiosk::scan;
using namespace kiosk::scan::test;

int main(int argc, char** argv) {
    std::string out, text, format = "png";
    bool raw = false;
    int count = 10, empty = 0, width = 1280, height = 720, first = 0;
    double module = 6;
    unsigned long long seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--out")
            out = v;
        else if (k == "--text")
            text = v;
        else if (k == "--raw-hex") {
            raw = true;
            for (std::size_t j = 0; j + 1 < v.size(); j += 2) {
                text.push_back(
                    static_cast<char>(std::strtoul(v.substr(j, 2).c_str(), nullptr, 16)));
            }
        } else if (k == "--count")
            count = std::atoi(v.c_str());
        else if (k == "--empty")
            empty = std::atoi(v.c_str());
        else if (k == "--size")
            std::sscanf(v.c_str(), "%dx%d", &width, &height);
        else if (k == "--module")
            module = std::atof(v.c_str());
        else if (k == "--first-index")
            first = std::atoi(v.c_str());
        else if (k == "--seed")
            seed = std::strtoull(v.c_str(), nullptr, 10);
        else if (k == "--format")
            format = v;
        else {
            std::fprintf(stderr, "scan_make_frames: unknown option %s\n", k.c_str());
            return 2;
        }
    }
    if (out.empty()) {
        std::fprintf(stderr, "scan_make_frames: --out DIR is required\n");
        return 2;
    }
    const auto background = StandardSet(width, height, 0, 1, seed)[0];
    int index = first;
    for (int i = 0; i < empty + count; ++i) {
        SceneSpec s = background;
        s.noise_seed =
            seed * 1000 + static_cast<unsigned long long>(i) + 1;  // one scene, new noise
        if (i >= empty && !text.empty()) {
            s.text = text;
            s.raw_bytes = raw;
            s.module_px = module;
            s.center_x = 0.5 + 0.04 * ((i % 5) - 2);
            s.center_y = 0.5 + 0.03 * ((i % 3) - 1);
            s.tilt_x_deg = 8.0 * ((i % 4) - 1.5);
            s.rotation_deg = 3.0 * ((i % 7) - 3);
        }
        char name[64];
        std::snprintf(name, sizeof name, "/frame-%06d.%s", index++,
                      format == "pgm" ? "pgm" : "png");
        if (!SaveGrey(RenderScene(s), out + name)) {
            std::fprintf(stderr, "scan_make_frames: cannot write %s%s\n", out.c_str(), name);
            return 1;
        }
    }
    return 0;
}
