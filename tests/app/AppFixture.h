// A kiosk without a window: the real store (a file in a temp dir) seeded with the demo clinic
// laid out around a fake clock, the real catalogues, and the AppModel driven by hand.
#pragma once

#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>

#include "FakeClock.h"
#include "TestSupport.h"
#include "kiosk/app/AppModel.h"
#include "kiosk/app/DemoClinic.h"

namespace kiosk::test {

// Demo cards (assets/demo/cards.csv). José and Linda are in the adult morning block, which the
// demo lays out to start 10 minutes after the clock below.
inline const std::string kJose = "K1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX";
inline const std::string kLinda = "K1.8jjLH1LaiRuYIpLNJQs8OImmMH17-2Ze";
inline const std::string kFacilitatorRosa = "K1.WFzBcerPgEmh7LaR7IS66fvfxuSNMKqL";
inline const std::string kRosaPin = "783582";
inline const std::string kFrontDeskTomas = "K1.oXxFE7XF82LV93F2AzN39mHsn_rSsrjf";
inline const std::string kTomasPin = "12887";
inline const std::string kCaseManagerLucia = "K1.9C3RlIA1Q2KXf-QoR0agSBGYlxPhDKS0";
inline const std::string kLuciaPin = "6576";

struct AppFixture {
    /// `start`: the fake clock's first reading, which the demo is laid out around (as `kiosk
    /// --demo` does, within the clinic's day).
    explicit AppFixture(std::function<void(KioskConfig&)> tweak = {},
                        Instant start = At(8, 0, 4, 3))
        : clock(start) {
        config.timezone = "America/Los_Angeles";
        config.kiosk_id = "test-lobby";
        if (tweak) {
            tweak(config);
        }
        store = store::Store::Open(dir.path() / "kiosk.db", kiosk::test::TestAuditKey()).value();
        REQUIRE(SeedDemoClinic(*store, std::string(KIOSK_TEST_ASSETS) + "/demo/clinic.json",
                               "site-main", clock.Now(), LosAngeles().EndOfDay(clock.Now()))
                    .ok());
        std::map<std::string, Catalog> catalogs;
        for (const char* lang : {"en", "es"}) {
            catalogs.emplace(
                lang,
                Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/" + lang + ".mo", lang).value());
        }
        model = std::make_unique<AppModel>(config, clock, LosAngeles(), *store, std::move(catalogs),
                                           StaffEnvironment{}, [this] { ++sync_wakes; });
    }

    void Scan(const std::string& payload) { model->OnScan(payload); }
    void Wait(Seconds s) {
        clock.Advance(s);
        model->Tick();
    }
    const ResultView& Result() const { return model->View().result; }
    const StaffView& Staff() const { return model->View().staff; }

    /// A staff badge scanned in the lobby, then the PIN typed on a keyboard and Enter; waits for
    /// the argon2id check (a worker thread) to answer.
    void SignIn(const std::string& badge, const std::string& pin) {
        Scan(badge);
        for (char c : pin) {
            model->OnText(std::string(1, c));
        }
        model->OnEnter();
        model->SettleForTests();
    }
    /// What staff touched on screen, e.g. Do(intent::roster::CheckIn{"Patient/pat-01"}).
    void Do(const StaffIntent& intent) {
        UiIntents in;
        in.staff.push_back(intent);
        model->OnIntents(in);
    }
    Screen Showing() const { return model->View().screen; }

    long long Count(const std::string& sql) const {
        SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt64();
    }

    /// Every string on screen right now, joined, for privacy checks.
    std::string AllText() const {
        const FrameView& v = model->View();
        std::string all = v.result.title + "\n" + v.result.close_hint;
        for (const auto& l : v.result.lines) {
            all += "\n" + l;
        }
        const WelcomeView& w = v.welcome;
        all += "\n" + w.clinic_name + "\n" + w.prompt + "\n" + w.hint + "\n" + w.schedule_title;
        for (const auto& s : w.schedule) {
            all += "\n" + s.time + " " + s.group + " " + s.room;
        }
        const StaffView& st = v.staff;
        all +=
            "\n" + st.title + "\n" + st.signed_in_as + "\n" + st.notice + "\n" + st.pin.staff_name;
        all += "\n" + st.home.greeting + "\n" + st.roster.heading + "\n" + st.roster.detail;
        for (const auto& l : st.roster.lines) {
            all += "\n" + l.name + " " + l.status + " " + l.hours;
        }
        for (const auto& l : st.sessions.sessions) {
            all += "\n" + l.group + " " + l.facilitator + " " + l.arrived;
        }
        if (st.correction) {
            all += "\n" + st.correction->title;
        }
        return all;
    }

    TempDir dir;
    FakeClock clock;
    KioskConfig config;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<AppModel> model;
    int sync_wakes = 0;  ///< times the model woke the sync thread (OutboxWake)
};

}  // namespace kiosk::test
