// ScanInput, the platform's seam between SDL's events and the model's keyboard-to-scan
// assembler: what reaches ImGui (the `deliver` callback) and what the model reads as a scan,
// with SDL events made and stamped by hand.
#include <doctest/doctest.h>

#include <SDL.h>

#include <cstring>
#include <string>
#include <vector>

#include "app/AppFixture.h"
#include "kiosk/platform/ScanInput.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

/// Events stamped by hand on SDL's tick clock.
struct EventMaker {
    Uint32 t = 1000;

    SDL_Event Text(char c) {
        SDL_Event e{};
        e.type = SDL_TEXTINPUT;
        e.text.timestamp = t;
        e.text.text[0] = c;
        return e;
    }
    SDL_Event Key(Uint32 type, SDL_Keycode sym) {
        SDL_Event e{};
        e.type = type;
        e.key.timestamp = t;
        e.key.keysym.sym = sym;
        return e;
    }
};

/// A ScanInput over a demo kiosk, recording what it hands on to ImGui.
struct Rig {
    AppFixture f;
    std::vector<SDL_Event> delivered;
    platform::ScanInput input{platform::ScanOptions{}, *f.model,
                              [this](SDL_Event& e) { delivered.push_back(e); }};
    EventMaker make;

    /// `text` typed `gap` ms apart, each letter a key-down, its text and a key-up; then Enter.
    void Type(const std::string& text, Uint32 gap) {
        for (char c : text) {
            Route(make.Key(SDL_KEYDOWN, static_cast<SDL_Keycode>(c)));
            Route(make.Text(c));
            Route(make.Key(SDL_KEYUP, static_cast<SDL_Keycode>(c)));
            make.t += gap;
        }
        Route(make.Key(SDL_KEYDOWN, SDLK_RETURN));
        Route(make.Key(SDL_KEYUP, SDLK_RETURN));
        make.t += gap;
    }
    void Route(SDL_Event e) { input.Route(e); }
    std::string DeliveredText() const {
        std::string out;
        for (const auto& e : delivered) {
            if (e.type == SDL_TEXTINPUT) {
                out += e.text.text;
            }
        }
        return out;
    }
    int Delivered(Uint32 type, SDL_Keycode sym = 0) const {
        int n = 0;
        for (const auto& e : delivered) {
            n += e.type == type && (sym == 0 || e.key.keysym.sym == sym) ? 1 : 0;
        }
        return n;
    }
};

}  // namespace

TEST_CASE("a scanner's burst is a check-in and none of its text or Enter reaches ImGui") {
    Rig r;
    r.Type(kJose, 3);
    r.input.AfterEvents();
    CHECK(r.f.Result().tone == ResultTone::kCheckedIn);
    CHECK(r.DeliveredText().empty());
    CHECK(r.Delivered(SDL_KEYDOWN, SDLK_RETURN) == 0);
    // Key-ups are handed on (ImGui would otherwise think the keys still held).
    CHECK(r.Delivered(SDL_KEYUP) > 0);
}

TEST_CASE("a person typing reaches ImGui letter by letter, in order, and checks no one in") {
    Rig r;
    const long long before = r.f.Count("SELECT count(*) FROM attendance");
    r.Type("hello", 250);
    r.input.AfterEvents();
    CHECK(r.DeliveredText() == "hello");
    CHECK(r.f.Count("SELECT count(*) FROM attendance") == before);
}

TEST_CASE("events that are not keys pass straight through; editing keys are typing") {
    Rig r;
    SDL_Event motion{};
    motion.type = SDL_MOUSEMOTION;
    motion.motion.x = 40;
    r.Route(motion);
    REQUIRE(r.delivered.size() == 1);
    CHECK(r.delivered[0].type == SDL_MOUSEMOTION);
    CHECK(r.delivered[0].motion.x == 40);

    r.Route(r.make.Key(SDL_KEYDOWN, SDLK_ESCAPE));
    r.input.AfterEvents();
    CHECK(r.Delivered(SDL_KEYDOWN, SDLK_ESCAPE) == 1);
}

TEST_CASE("the wait before the event loop is cut to the keys' deadline, never below zero") {
    Rig r;
    CHECK(r.input.LimitTimeout(500) == 500);  // nothing held: the loop's own timeout
    r.make.t = SDL_GetTicks();                // a key stamped now is held while it may be a scan
    r.Route(r.make.Text('K'));
    const int wait = r.input.LimitTimeout(5000);
    CHECK(wait >= 0);
    CHECK(wait < 5000);
}
