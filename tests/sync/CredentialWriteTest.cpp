// The change of a person's credential identifiers, without a server: issue ends what is open and
// appends once, revoke ends what is open, and applying either again changes nothing.
#include <doctest/doctest.h>

#include "TestSupport.h"
#include "kiosk/core/Iso8601.h"
#include "sync/CredentialWrite.h"

using namespace kiosk;
using namespace kiosk::sync;
using kiosk::test::At;
using nlohmann::json;

namespace {

const std::string kOld(64, 'a');
const std::string kNew(64, 'b');

json Credential(const std::string& hash, const std::string& end = {}) {
    json id{{"system", "urn:iop-kiosk:credential-sha256"}, {"value", hash}};
    if (!end.empty()) {
        id["period"]["end"] = end;
    }
    return id;
}

}  // namespace

TEST_CASE("issuing ends the open credentials, keeps other identifiers and is idempotent") {
    json patient{
        {"resourceType", "Patient"},
        {"id", "p1"},
        {"identifier", json::array({json{{"system", "urn:mrn"}, {"value", "123"}}, Credential(kOld),
                                    Credential(std::string(64, 'c'), "2020-01-01"),
                                    Credential(std::string(64, 'd'), "2099-01-01")})}};
    const store::CredentialFact fact{"Patient/p1", "issue", kNew, At(9, 0)};
    REQUIRE(ApplyCredentialChange(patient, fact));
    const json& ids = patient["identifier"];
    REQUIRE(ids.size() == 5);
    CHECK(ids[0] == json{{"system", "urn:mrn"}, {"value", "123"}});
    CHECK(ids[1]["period"]["end"] == FormatDateTimeUtc(At(9, 0)));
    CHECK(ids[2]["period"]["end"] == "2020-01-01");  // ended long ago: left as it was
    CHECK(ids[3]["period"]["end"] == FormatDateTimeUtc(At(9, 0)));  // would have run on
    CHECK(ids[4] == Credential(kNew));
    const json once = patient;
    CHECK_FALSE(ApplyCredentialChange(patient, fact));
    CHECK(patient == once);
}

TEST_CASE("revoking ends every open credential once; a person without any gets none") {
    json patient{
        {"resourceType", "Patient"}, {"id", "p1"}, {"identifier", json::array({Credential(kOld)})}};
    const store::CredentialFact fact{"Patient/p1", "revoke", "", At(9, 0)};
    REQUIRE(ApplyCredentialChange(patient, fact));
    CHECK(patient["identifier"][0]["period"]["end"] == FormatDateTimeUtc(At(9, 0)));
    CHECK_FALSE(ApplyCredentialChange(patient, fact));
    json none{{"resourceType", "Patient"}, {"id", "p2"}};
    CHECK_FALSE(ApplyCredentialChange(none, fact));
    // An issue to a person with no identifiers at all makes the list.
    REQUIRE(ApplyCredentialChange(none, {"Patient/p2", "issue", kNew, At(9, 0)}));
    CHECK(none["identifier"] == json::array({Credential(kNew)}));
}

TEST_CASE("a PIN verifier replaces the earlier one and keeps other extensions") {
    json prac{{"resourceType", "Practitioner"},
              {"id", "prac-1"},
              {"extension",
               json::array({json{{"url", "urn:other"}, {"valueString", "kept"}},
                            json{{"url", "urn:iop-kiosk:pin-argon2id"}, {"valueString", "old"}}})}};
    REQUIRE(ApplyPinVerifier(prac, "$argon2id$new"));
    REQUIRE(prac["extension"].size() == 2);
    CHECK(prac["extension"][0]["valueString"] == "kept");
    CHECK(prac["extension"][1] ==
          json{{"url", "urn:iop-kiosk:pin-argon2id"}, {"valueString", "$argon2id$new"}});
    CHECK_FALSE(ApplyPinVerifier(prac, "$argon2id$new"));  // already there: nothing to send
    json bare{{"resourceType", "Practitioner"}, {"id", "prac-2"}};
    REQUIRE(ApplyPinVerifier(bare, "$argon2id$v"));
    CHECK(bare["extension"].size() == 1);
}
