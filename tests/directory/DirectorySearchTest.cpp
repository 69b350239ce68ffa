// The community resource directory on a real SQLite file: storing, replacing and removing
// resources, and searching them as a case manager would (prefixes, several words, accents,
// typos, each filter, ranking), including changes another connection made and hostile text.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "StoreTestSupport.h"
#include "TestSupport.h"
#include "kiosk/core/GeoDistance.h"
#include "kiosk/directory/ResourceSearch.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;
using kiosk::test::LosAngeles;

namespace {

constexpr double kClinicLat = 44.0521;  // Eugene, OR
constexpr double kClinicLon = -123.0868;
constexpr double kDegreesPerKm = 1 / 111.195;  // of latitude

ResourceRow Row(std::string id, std::string name, std::string organization,
                std::vector<std::string> categories, std::string hours,
                std::optional<double> km_north, std::vector<std::string> languages, bool free,
                std::string description = "") {
    ResourceRow r;
    r.id = "fhir:HealthcareService/" + id;
    r.source = "fhir";
    r.name = std::move(name);
    r.organization = std::move(organization);
    r.organization_ref = "Organization/" + id;
    r.service_ref = "HealthcareService/" + id;
    r.categories = std::move(categories);
    r.hours = OpeningHours::Parse(hours).value();
    if (km_north) {
        r.latitude = kClinicLat + *km_north * kDegreesPerKm;
        r.longitude = kClinicLon;
    }
    r.languages = std::move(languages);
    r.free = free;
    r.cost = free ? "Free" : "$5 sliding scale";
    r.description = std::move(description);
    return r;
}

// A small town's directory; the comments say what each row is there to show.
std::vector<ResourceRow> Directory() {
    return {
        // Name match, open on weekdays, near.
        Row("housing-authority", "Lane County Housing Authority", "Lane County", {"housing"},
            "Mon-Fri 09:00-17:00", 2, {"en", "es"}, true, "Rental help and vouchers."),
        // Housing only in the description; open overnight.
        Row("shelter", "Emergency Shelter", "St. Vincent de Paul", {"housing"}, "Daily 19:00-07:00",
            5, {"en"}, true, "Beds for the night; housing referrals."),
        Row("pantry", "Food Pantry North", "FOOD for Lane County", {"food"}, "Tue,Thu 10:00-14:00",
            3, {"en", "es"}, true, "Groceries once a week."),
        // Accents in the name and the description; Spanish only; not free.
        Row("clinica", "Clínica Familiar", "Centro Latino", {"health-care"}, "Mon-Sat 08:00-18:00",
            1, {"es"}, false, "Atención médica para toda la familia."),
        Row("worksource", "Employment Services", "WorkSource Lane", {"employment"},
            "Mon-Fri 08:00-17:00", 4, {"en", "vi"}, true, "Job search and training."),
        // No coordinates, hours not known.
        Row("legal", "Legal Aid Society", "Oregon Law Center", {"legal-aid"}, "", std::nullopt,
            {"en"}, true, "Eviction defense and housing rights."),
        Row("recovery", "Late Night Recovery Meeting", "Serenity Lane", {"recovery-support"},
            "Fri 22:00-02:00", 6, {"en"}, true, "Peer support."),
        // Name match, open, but far.
        Row("springfield", "Springfield Housing Resource Center", "City of Springfield",
            {"housing", "money"}, "Mon-Fri 09:00-17:00", 10, {"en"}, false,
            "Deposits and utility help."),
        // Name match, closed on Wednesdays.
        Row("weekend-housing", "Weekend Housing Desk", "Lane County", {"housing"},
            "Sat,Sun 10:00-14:00", 1, {"en"}, true),
    };
}

ResourceContext Wednesday(int hour, int minute) {
    // 2026-01-07 is a Wednesday.
    return {At(hour, minute), &LosAngeles(), kClinicLat, kClinicLon};
}

ResourceResults Search(directory::ResourceSearch& search, ResourceQuery q,
                       ResourceContext ctx = Wednesday(10, 0)) {
    auto r = search.Find(q, ctx);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    return std::move(r).value();
}

ResourceResults Search(directory::ResourceSearch& search, const std::string& text) {
    ResourceQuery q;
    q.text = text;
    return Search(search, q);
}

// "housing-authority,springfield": the short ids of the hits, in order.
std::string Ids(const ResourceResults& r) {
    std::string out;
    for (const auto& h : r.hits) {
        if (!out.empty()) {
            out += ',';
        }
        out += h.resource.id.substr(std::string("fhir:HealthcareService/").size());
    }
    return out;
}

std::unique_ptr<Store> Loaded(const test::TempDir& dir) {
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Directory().Upsert(Directory()).ok());
    return store;
}

}  // namespace

TEST_CASE("a resource is stored with every field and read back the same") {
    test::TempDir dir;
    auto store = Loaded(dir);
    CHECK(store->Directory().Count().value() == 9);
    auto row = Directory()[3];
    row.address = "1200 Pearl St, Eugene, OR 97401";
    row.phone = "+1 541-555-0100";
    row.website = "https://example.org/clinica";
    row.hours_note = "Closed on holidays";
    row.eligibility = "Adults; no insurance needed";
    row.what_to_bring = "Photo ID, \"proof\" of address";
    row.updated = "2026-01-02T10:00:00Z";
    REQUIRE(store->Directory().Upsert({row}).ok());
    auto back = store->Directory().Resource(row.id);
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    const ResourceRow& b = back.value().value();
    CHECK(b.id == row.id);
    CHECK(b.source == "fhir");
    CHECK(b.name == "Clínica Familiar");
    CHECK(b.organization == row.organization);
    CHECK(b.organization_ref == row.organization_ref);
    CHECK(b.service_ref == row.service_ref);
    CHECK(b.description == row.description);
    CHECK(b.categories == std::vector<std::string>{"health-care"});
    CHECK(b.address == row.address);
    CHECK(b.latitude == row.latitude);
    CHECK(b.longitude == row.longitude);
    CHECK(b.phone == row.phone);
    CHECK(b.website == row.website);
    CHECK(b.hours == row.hours);
    CHECK(b.hours.ToString() == "Mon-Sat 08:00-18:00");
    CHECK(b.hours_note == row.hours_note);
    CHECK(b.languages == std::vector<std::string>{"es"});
    CHECK(b.eligibility == row.eligibility);
    CHECK(b.cost == "$5 sliding scale");
    CHECK_FALSE(b.free);
    CHECK(b.what_to_bring == row.what_to_bring);
    CHECK(b.updated == row.updated);
    CHECK_FALSE(store->Directory().Resource("fhir:HealthcareService/nope").value().has_value());
    CHECK(store->Directory().Count().value() == 9);
}

TEST_CASE("a resource without an id or with half a position is refused, and nothing is saved") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    auto rows = Directory();
    rows[4].id.clear();
    auto s = store->Directory().Upsert(rows);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kInvalidInput);
    rows = Directory();
    rows[2].longitude.reset();
    CHECK(store->Directory().Upsert(rows).error().log.find("pantry") != std::string::npos);
    CHECK(store->Directory().Count().value() == 0);
}

TEST_CASE("a prefix finds whole words; every word typed must match") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    auto r = Search(search, "hous");
    CHECK(r.total == 5);  // three names, the shelter's and legal aid's descriptions
    CHECK(r.corrections.empty());
    CHECK(Search(search, "housing").total == 5);
    CHECK(Search(search, "Ho").total == 5);
    CHECK(Ids(Search(search, "food pantry")) == "pantry");
    CHECK(Ids(Search(search, "pantry foo")) == "pantry");
    CHECK(Ids(Search(search, "foo pa")) == "pantry");
    CHECK(Ids(Search(search, "fo pa")) == "pantry,shelter");  // "Beds for ... de Paul"
    CHECK(Search(search, "housing pantry").total == 0);
    CHECK(Ids(Search(search, "legal aid")) == "legal");  // the category's words are indexed
    CHECK(Ids(Search(search, "recovery-support")) == "recovery");
    CHECK(Ids(Search(search, "vouchers")) == "housing-authority");  // description
}

TEST_CASE("accents and case do not matter") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    CHECK(Ids(Search(search, "clinica")) == "clinica");
    CHECK(Ids(Search(search, "CLÍNICA familiar")) == "clinica");
    CHECK(Ids(Search(search, "atencion medica")) == "clinica");
    CHECK(Ids(Search(search, "Atención")) == "clinica");
    CHECK(Search(search, "clinica").hits.at(0).resource.name == "Clínica Familiar");
}

TEST_CASE("small typos are corrected to the nearest indexed word, and said so") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    auto r = Search(search, "housng");
    CHECK(r.total == 5);
    REQUIRE(r.corrections.size() == 1);
    CHECK(r.corrections[0] == std::pair<std::string, std::string>{"housng", "housing"});

    r = Search(search, "emploment");
    CHECK(Ids(r) == "worksource");
    CHECK(r.corrections ==
          std::vector<std::pair<std::string, std::string>>{{"emploment", "employment"}});

    r = Search(search, "fod pantry");
    CHECK(Ids(r) == "pantry");
    CHECK(r.corrections == std::vector<std::pair<std::string, std::string>>{{"fod", "food"}});

    // Swapped letters, a word of 8+ letters two edits away, the typed spelling reported.
    CHECK(Search(search, "huosing").total == 5);
    r = Search(search, "Emplymnet");
    CHECK(Ids(r) == "worksource");
    CHECK(r.corrections.at(0).first == "Emplymnet");
    CHECK(r.corrections.at(0).second == "employment");

    // Too far, or too short to guess: no results, no made-up correction.
    r = Search(search, "hxxxing");
    CHECK(r.total == 0);
    CHECK(r.corrections.empty());
    CHECK(Search(search, "xq").total == 0);
    // A word that matches is never "corrected".
    CHECK(Search(search, "shelter").corrections.empty());
}

TEST_CASE("each filter narrows the results") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    ResourceQuery q;
    q.categories = {"food", "employment"};
    CHECK(Ids(Search(search, q)) == "worksource,pantry");  // open first: pantry is closed Wed

    q = {};
    q.language = "es";
    auto r = Search(search, q);
    CHECK(r.total == 3);
    q.language = "ES-mx";  // primary subtag, any case
    CHECK(Search(search, q).total == 3);
    q.language = "vi";
    CHECK(Ids(Search(search, q)) == "worksource");
    q.language = "fr";
    CHECK(Search(search, q).total == 0);

    q = {};
    q.free_only = true;
    q.text = "housing";
    CHECK(Search(search, q).total == 4);  // Springfield is not free

    q = {};
    q.max_km = 3.5;
    r = Search(search, q);
    CHECK(r.total == 4);  // clinica 1, weekend 1, authority 2, pantry 3; legal aid has no place
    for (const auto& h : r.hits) {
        REQUIRE(h.km.has_value());
        CHECK(*h.km <= 3.5);
    }
    q.max_km = 0.5;
    CHECK(Search(search, q).total == 0);
    q.max_km = 3.5;
    CHECK(Search(search, q, {At(10, 0), &LosAngeles(), std::nullopt, std::nullopt}).total == 0);

    q = {};
    q.open_now = true;
    r = Search(search, q);  // Wednesday 10:00
    CHECK(Ids(r) == "clinica,housing-authority,worksource,springfield");
    for (const auto& h : r.hits) {
        CHECK(h.open.open);
    }
    CHECK(Ids(Search(search, q, Wednesday(20, 0))) == "shelter");

    q = {};
    q.categories = {"housing"};
    q.open_now = true;
    q.free_only = true;
    q.language = "es";
    CHECK(Ids(Search(search, q)) == "housing-authority");
    q.categories = {"not-a-category"};
    CHECK(Search(search, q).total == 0);
}

TEST_CASE("ranking: every word in the name first, then open now, then nearer, then by name") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    auto r = Search(search, "housing");
    // Name matches: authority (open, 2 km), springfield (open, 10 km), weekend (closed, 1 km);
    // then description matches: shelter (closed at 10:00, 5 km), legal aid (no hours, no place).
    CHECK(Ids(r) == "housing-authority,springfield,weekend-housing,shelter,legal");
    CHECK(r.hits[0].name_match);
    CHECK(r.hits[2].name_match);
    CHECK_FALSE(r.hits[3].name_match);
    CHECK(r.hits[0].open.open);
    CHECK(r.hits[0].open.changes_at == At(17, 0));
    CHECK_FALSE(r.hits[2].open.open);
    CHECK(r.hits[2].open.changes_at == At(10, 0, 10));  // Saturday
    CHECK(r.hits[0].km.value() == doctest::Approx(2.0).epsilon(0.001));
    CHECK_FALSE(r.hits[4].km.has_value());

    // The organization counts as the name: "lane" is in four organizations or names.
    r = Search(search, "lane county");
    CHECK(Ids(r) == "housing-authority,weekend-housing,pantry");

    // No text: open first, then nearer, then name; without an origin, by name.
    ResourceQuery all;
    r = Search(search, all);
    CHECK(r.total == 9);
    CHECK(Ids(r) ==
          "clinica,housing-authority,worksource,springfield,"
          "weekend-housing,pantry,shelter,recovery,legal");
    r = Search(search, all, {At(10, 0), &LosAngeles(), std::nullopt, std::nullopt});
    CHECK(Ids(r) ==
          "clinica,worksource,housing-authority,springfield,"
          "shelter,pantry,recovery,legal,weekend-housing");
    // Without a clock nothing is known to be open: by name only.
    r = Search(search, all, {At(10, 0), nullptr, std::nullopt, std::nullopt});
    CHECK(Ids(r) ==
          "clinica,shelter,worksource,pantry,housing-authority,"
          "recovery,legal,springfield,weekend-housing");
    CHECK_FALSE(r.hits[0].open.open);

    all.limit = 3;
    r = Search(search, all);
    CHECK(r.total == 9);
    CHECK(Ids(r) == "clinica,housing-authority,worksource");
    all.limit = 0;
    CHECK(Search(search, all).hits.empty());
}

TEST_CASE("open now includes last night's hours past midnight") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    ResourceQuery q;
    q.text = "recovery";
    q.open_now = true;
    // Saturday 2026-01-10 at 01:00: Friday's 22:00-02:00 meeting is still on.
    auto r = Search(search, q, {At(1, 0, 10), &LosAngeles(), kClinicLat, kClinicLon});
    REQUIRE(Ids(r) == "recovery");
    CHECK(r.hits[0].open.changes_at == At(2, 0, 10));
    CHECK(Search(search, q, {At(2, 0, 10), &LosAngeles(), kClinicLat, kClinicLon}).total == 0);
    CHECK(Search(search, q, {At(23, 0, 9), &LosAngeles(), kClinicLat, kClinicLon}).total == 1);
}

TEST_CASE("upsert replaces by id and re-indexes; nothing found by the old words") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    CHECK(Search(search, "pantry").total == 1);
    auto row = Directory()[2];
    row.name = "Community Kitchen";
    row.description = "Hot meals daily.";
    row.categories = {"food", "clothing"};
    REQUIRE(store->Directory().Upsert({row}).ok());
    CHECK(store->Directory().Count().value() == 9);
    CHECK(Search(search, "pantry").total == 0);
    CHECK(Ids(Search(search, "kitchen meals")) == "pantry");
    ResourceQuery q;
    q.categories = {"clothing"};
    CHECK(Ids(Search(search, q)) == "pantry");
    SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT count(*) FROM resource_fts WHERE resource_fts MATCH 'pantry'")
              .getInt() == 0);
    CHECK(db.execAndGet("SELECT count(*) FROM resource_fts WHERE resource_fts MATCH 'kitchen'")
              .getInt() == 1);
}

TEST_CASE("upserts inside the caller's transaction commit or roll back with it") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    directory::ResourceSearch search(*store);
    auto s = store->Transaction([&](store::WriteTx& tx) -> Status {
        if (auto u = store->Directory().Upsert(tx, Directory()); !u) {
            return u;
        }
        return MakeError(ErrorCode::kConflict, "changed my mind");
    });
    CHECK_FALSE(s.ok());
    CHECK(store->Directory().Count().value() == 0);
    CHECK(Search(search, "housing").total == 0);
    REQUIRE(store
                ->Transaction(
                    [&](store::WriteTx& tx) { return store->Directory().Upsert(tx, Directory()); })
                .ok());
    CHECK(Search(search, "housing").total == 5);
}

TEST_CASE("RemoveResourcesNotIn removes only that source's missing resources") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    ResourceRow hsds = Directory()[0];
    hsds.id = "hsds:svc-9";
    hsds.source = "hsds";
    hsds.name = "Tenant Hotline";
    REQUIRE(store->Directory().Upsert({hsds}).ok());
    CHECK(Search(search, "hotline").total == 1);
    REQUIRE(store->Directory()
                .RemoveNotIn("fhir", {"fhir:HealthcareService/pantry",
                                      "fhir:HealthcareService/shelter", "fhir:other"})
                .ok());
    CHECK(store->Directory().Count().value() == 3);
    CHECK(store->Directory().Resource("hsds:svc-9").value().has_value());
    CHECK(Search(search, "housing").total == 2);  // the shelter and the hotline
    CHECK(Search(search, "hotline").total == 1);
    REQUIRE(store->Directory().RemoveNotIn("hsds", {}).ok());
    CHECK(store->Directory().Count().value() == 2);
    CHECK(Search(search, "hotline").total == 0);
}

TEST_CASE("changes made through another connection are seen by the next search") {
    test::TempDir dir;
    auto ui = Loaded(dir);
    directory::ResourceSearch search(*ui);
    auto sync = test::OpenStoreIn(dir);  // the sync thread has its own Store
    CHECK(Search(search, "kitchen").total == 0);
    auto row = Directory()[2];
    row.id = "fhir:HealthcareService/kitchen";
    row.name = "Community Kitchen";
    REQUIRE(sync->Directory().Upsert({row}).ok());
    CHECK(Ids(Search(search, "kitchen")) == "kitchen");
    CHECK(ui->Directory().Count().value() == 10);
    REQUIRE(sync->Directory().RemoveNotIn("fhir", {row.id}).ok());
    CHECK(Search(search, "housing").total == 0);
    CHECK(Search(search, ResourceQuery{}).total == 1);
    // Even a change made by plain SQL (a repair, another tool) is noticed: triggers bump it.
    {
        SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE resource SET name = 'Soup Kitchen Downtown'");
    }
    CHECK(Search(search, "downtown").total == 1);
}

TEST_CASE("an empty directory and no match are empty results, not errors") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    directory::ResourceSearch search(*store);
    CHECK(Search(search, "housing").total == 0);
    CHECK(Search(search, ResourceQuery{}).total == 0);
    REQUIRE(store->Directory().Upsert(Directory()).ok());
    auto r = Search(search, "zzzzzz");
    CHECK(r.total == 0);
    CHECK(r.hits.empty());
}

TEST_CASE("hostile search text never errors, never crashes and never reaches SQL") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    const std::vector<std::string> hostile = {
        "\"",
        "\"\"\"",
        "*",
        "housing*",
        "\"housing",
        "NEAR(housing food)",
        "NEAR(",
        "housing NOT food",
        "housing OR food",
        "housing AND",
        "-housing",
        "^housing",
        "name:housing",
        "{name}: housing",
        "'; DROP TABLE resource; --",
        "housing' OR '1'='1",
        "(((",
        ")",
        "+",
        "\\",
        "%_%",
        std::string(100000, 'a'),
        std::string(5000, '"'),
        "hous" + std::string(3000, ' ') + "ing",
        std::string("\xff\xfe\xc3", 3),
        std::string("hou\0sing", 8),
        "\xe2\x80\x8b",  // a zero-width space only
        "🏠 housing",
    };
    for (const auto& text : hostile) {
        ResourceQuery q;
        q.text = text;
        auto r = search.Find(q, Wednesday(10, 0));
        REQUIRE_MESSAGE(r.ok(), text.substr(0, 40));
        CHECK(r->hits.size() <= 50);
    }
    // Operators are words like any other, so they must all match: none does here.
    CHECK(Search(search, "housing OR food").total == 0);
    CHECK(Search(search, "\"housing").total == 5);
    CHECK(Search(search, "-housing").total == 5);
    CHECK(Search(search, "^hous*").total == 5);
    CHECK(store->Directory().Count().value() == 9);
    ResourceQuery odd;
    odd.limit = -5;
    CHECK(Search(search, odd).hits.empty());
    odd.limit = 1 << 30;
    CHECK(Search(search, odd).hits.size() == 9);
    odd.max_km = -1;
    CHECK(Search(search, odd).total == 0);
}

TEST_CASE("the in-memory index finds exactly what FTS5 finds, word by word") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement vocab(db, "SELECT term FROM resource_vocab");
    int terms = 0;
    while (vocab.executeStep()) {
        const std::string term = vocab.getColumn(0).getString();
        for (const std::string& prefix : {term, term.substr(0, 2), term.substr(0, 1)}) {
            SQLite::Statement fts(db,
                                  "SELECT count(*) FROM resource_fts WHERE resource_fts MATCH ?");
            fts.bind(1, "\"" + prefix + "\"*");
            REQUIRE(fts.executeStep());
            CHECK_MESSAGE(Search(search, prefix).total == fts.getColumn(0).getInt64(), prefix);
        }
        ++terms;
    }
    CHECK(terms > 60);
}

TEST_CASE("a search inside a transaction sees its writes, and a rollback is not remembered") {
    test::TempDir dir;
    auto store = Loaded(dir);
    directory::ResourceSearch search(*store);
    CHECK(Search(search, "kitchen").total == 0);
    auto row = Directory()[2];
    row.name = "Community Kitchen";
    auto s = store->Transaction([&](store::WriteTx& tx) -> Status {
        if (auto u = store->Directory().Upsert(tx, {row}); !u) {
            return u;
        }
        CHECK(Search(search, "kitchen").total == 1);
        return MakeError(ErrorCode::kConflict, "roll back");
    });
    CHECK_FALSE(s.ok());
    CHECK(store->Directory().Count().value() == 9);
    // Another change now reaches the same generation number the rolled-back one had.
    row.name = "Community Garden";
    REQUIRE(store->Directory().Upsert({row}).ok());
    CHECK(Search(search, "kitchen").total == 0);
    CHECK(Search(search, "garden").total == 1);
}

TEST_CASE("a large load rebuilds the FTS5 index at once and agrees with row-by-row upkeep") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    directory::ResourceSearch search(*store);
    const std::vector<std::string> words = {"harbor", "meadow",  "pantry", "shelter", "clinic",
                                            "legal",  "transit", "garden", "library", "market"};
    std::vector<ResourceRow> rows;
    for (int i = 0; i < 2600; ++i) {
        ResourceRow r = Directory()[static_cast<size_t>(i) % 9];
        r.id = "hsds:bulk-" + std::to_string(i);
        r.source = "hsds";
        r.name = words[static_cast<size_t>(i) % words.size()] + " " +
                 words[static_cast<size_t>(i / 10) % words.size()] + " " + std::to_string(i);
        rows.push_back(r);
    }
    REQUIRE(store->Directory().Upsert(rows).ok());  // 2,600 rows into an empty table: rebuilt
    SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
    auto fts_count = [&](const std::string& word) {
        SQLite::Statement q(db, "SELECT count(*) FROM resource_fts WHERE resource_fts MATCH ?");
        q.bind(1, "\"" + word + "\"*");
        REQUIRE(q.executeStep());
        return q.getColumn(0).getInt64();
    };
    auto agree = [&] {
        for (const auto& w : words) {
            CHECK_MESSAGE(Search(search, w).total == fts_count(w), w);
            CHECK_MESSAGE(Search(search, w.substr(0, 2)).total == fts_count(w.substr(0, 2)), w);
        }
        CHECK(db.execAndGet("SELECT count(*) FROM meta WHERE key = 'directory.bulk'").getInt() ==
              0);
    };
    CHECK(fts_count("harbor") == 494);  // first word 260 times, second 260, both 26
    agree();

    // Small changes after it are indexed row by row again.
    ResourceRow one = rows[0];
    one.name = "Lighthouse Outreach";
    REQUIRE(store->Directory().Upsert({one}).ok());
    CHECK(fts_count("lighthouse") == 1);
    agree();

    // Removing most of them rebuilds again; the rest stays findable.
    std::vector<std::string> keep;
    for (int i = 0; i < 300; ++i) {
        keep.push_back("hsds:bulk-" + std::to_string(i));
    }
    REQUIRE(store->Directory().RemoveNotIn("hsds", keep).ok());
    CHECK(store->Directory().Count().value() == 300);
    CHECK(fts_count("lighthouse") == 1);
    agree();
    REQUIRE(store->Directory().RemoveNotIn("hsds", {}).ok());
    CHECK(fts_count("harbor") == 0);
    agree();
}

TEST_CASE("distances are great-circle kilometres; the fast comparison agrees with them") {
    CHECK(HaversineKm(44.0521, -123.0868, 45.5152, -122.6784) ==
          doctest::Approx(165.85).epsilon(1e-3));
    CHECK(HaversineKm(51.5007, -0.1246, 40.6892, -74.0445) ==
          doctest::Approx(5574.85).epsilon(1e-4));
    CHECK(HaversineKm(0, 0, 0, 180) == doctest::Approx(20015.11).epsilon(1e-4));
    CHECK(HaversineKm(10, 20, 10, 20) == 0);
    const UnitVector clinic = ToUnitVector(kClinicLat, kClinicLon);
    for (double km : {0.1, 1.0, 5.0, 50.0, 500.0}) {
        const double lat = kClinicLat + km * kDegreesPerKm;
        const double chord2 = ChordSquared(clinic, ToUnitVector(lat, kClinicLon));
        const double real = HaversineKm(kClinicLat, kClinicLon, lat, kClinicLon);
        CHECK(chord2 <= KmToChordSquared(real * 1.0001));
        CHECK(chord2 >= KmToChordSquared(real * 0.9999));
    }
    CHECK(KmToChordSquared(1e9) == doctest::Approx(4.0));
    CHECK(KmToChordSquared(-3) == 0);
}
