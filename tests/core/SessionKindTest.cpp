// Group or one-to-one (PRIVACY.md 13): codes the config names decide, an individual code over a
// group code; without them two or more patients make a group, and anything less stays off the
// public schedule.
#include <doctest/doctest.h>

#include "kiosk/core/SessionKind.h"

using namespace kiosk;

namespace {

const std::string kGroupCode = "urn:iop-kiosk:session-kind|group";
const std::string kIndividualCode = "urn:iop-kiosk:session-kind|individual";
const std::string kMedReview = "http://clinic.example/services|med-review";

}  // namespace

TEST_CASE("without codes, who takes part decides: two or more patients are a group") {
    const SessionKindRules rules;
    struct Case {
        std::vector<std::string> people;
        SessionKind expect;
    };
    const Case cases[] = {
        {{"Patient/a", "Patient/b"}, SessionKind::kGroup},
        {{"Patient/a", "Patient/b", "RelatedPerson/m"}, SessionKind::kGroup},
        {{"RelatedPerson/m", "RelatedPerson/n"}, SessionKind::kGroup},  // a family members' group
        {{"Patient/a"}, SessionKind::kIndividual},
        // A family session: one patient and their family is still one person's appointment.
        {{"Patient/a", "RelatedPerson/m", "RelatedPerson/n"}, SessionKind::kIndividual},
        {{"RelatedPerson/m"}, SessionKind::kIndividual},
        {{}, SessionKind::kIndividual},  // nobody: the real clinic's "Intake - <name>" had none
        {{"Patient/a", "Patient/a"}, SessionKind::kIndividual},  // listed twice, still one
    };
    for (const auto& c : cases) {
        CAPTURE(c.people.size());
        CHECK(ClassifySession({}, c.people, rules) == c.expect);
    }
}

TEST_CASE("codes the config names win over participants; an individual code over a group code") {
    SessionKindRules rules;
    rules.individual_codes.push_back(kMedReview);
    const std::vector<std::string> one{"Patient/a"};
    const std::vector<std::string> many{"Patient/a", "Patient/b", "Patient/c"};
    CHECK(ClassifySession({kGroupCode}, one, rules) == SessionKind::kGroup);
    CHECK(ClassifySession({"http://www.ama-assn.org/go/cpt|90853"}, one, rules) ==
          SessionKind::kGroup);
    CHECK(ClassifySession({kIndividualCode}, many, rules) == SessionKind::kIndividual);
    CHECK(ClassifySession({kMedReview}, many, rules) == SessionKind::kIndividual);
    CHECK(ClassifySession({kGroupCode, kMedReview}, many, rules) == SessionKind::kIndividual);
    CHECK(ClassifySession({"http://www.ama-assn.org/go/cpt|90834"}, many, rules) ==
          SessionKind::kIndividual);
    // A code nobody named leaves it to the participants; so does the same code in another system.
    CHECK(ClassifySession({"http://clinic.example/services|dbt"}, many, rules) ==
          SessionKind::kGroup);
    CHECK(ClassifySession({"http://other.example|med-review"}, many, rules) == SessionKind::kGroup);
    // Lists replace the defaults: without the kiosk's marker it is just an unknown code.
    SessionKindRules own;
    own.group_codes = {"http://clinic.example/services|dbt"};
    CHECK(ClassifySession({"http://clinic.example/services|dbt"}, one, own) == SessionKind::kGroup);
    CHECK(ClassifySession({kIndividualCode}, many, own) == SessionKind::kIndividual);
}

TEST_CASE("a code entry reads system|code") {
    for (const char* good : {"urn:iop-kiosk:session-kind|group", "http://x.example/cs|a b",
                             "http://www.ama-assn.org/go/cpt|90853"}) {
        CHECK_MESSAGE(IsSystemCode(good), good);
    }
    for (const char* bad :
         {"", "group", "|group", "http://x|", "http://x|a|b", "http://x |a", "http://x| a",
          "http://x|a ", "http://x|a  b", "http://x|a\nb", "http://x\t|a"}) {
        CHECK_FALSE_MESSAGE(IsSystemCode(bad), bad);
    }
}
