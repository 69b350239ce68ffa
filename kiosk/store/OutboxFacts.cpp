// The outbox payloads: small JSON objects with UTC times. A member that is absent or not a
// string reads as "" (a fuzzer found json::value() throwing on a number).
#include "kiosk/store/OutboxFacts.h"

#include <nlohmann/json.hpp>

#include "kiosk/core/Iso8601.h"

namespace kiosk::store {
namespace {

using nlohmann::json;

Result<json> ParseObject(const std::string& text, const char* kind) {
    json j = json::parse(text, nullptr, false);
    if (!j.is_object()) {
        return MakeError(ErrorCode::kInvalidInput,
                         std::string("the ") + kind + " payload is not a JSON object");
    }
    return j;
}

std::string Text(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<Instant> TimeField(const json& j, const char* key, const char* kind) {
    auto t = ParseDateTime(Text(j, key));
    if (!t) {
        return MakeError(ErrorCode::kInvalidInput, std::string("the ") + kind + " payload's " +
                                                       key +
                                                       " is not a date-time: " + t.error().log);
    }
    return t.value();
}

}  // namespace

std::string ManualChangePayload(const ManualChangeFact& p) {
    return json{{"attendance", p.attendance_identifier},
                {"agent", p.agent_ref},
                {"activity", p.activity},
                {"reason", p.reason},
                {"kiosk", p.kiosk_id},
                {"recorded", FormatDateTimeUtc(p.recorded)}}
        .dump();
}

Result<ManualChangeFact> ParseManualChangePayload(const std::string& text) {
    auto j = ParseObject(text, "provenance");
    if (!j) {
        return j.error();
    }
    auto at = TimeField(j.value(), "recorded", "provenance");
    if (!at) {
        return at.error();
    }
    const json& o = j.value();
    ManualChangeFact p{Text(o, "attendance"), Text(o, "agent"), Text(o, "activity"),
                       Text(o, "reason"),     Text(o, "kiosk"), at.value()};
    if (p.attendance_identifier.empty() || p.agent_ref.empty()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "the provenance payload names no attendance or no agent");
    }
    return p;
}

std::string ReferralPayload(const ReferralFact& r) {
    return json{{"referral", r.referral_id},
                {"patient", r.patient_ref},
                {"requester", r.requester_ref},
                {"performer", r.performer_ref},
                {"service", r.service_ref},
                {"category", r.category},
                {"note", r.note},
                {"authored", FormatDateTimeUtc(r.authored)},
                {"requisition", r.requisition_id},
                {"performer_display", r.performer_display},
                {"service_display", r.service_display}}
        .dump();
}

Result<ReferralFact> ParseReferralPayload(const std::string& text) {
    auto j = ParseObject(text, "referral");
    if (!j) {
        return j.error();
    }
    auto at = TimeField(j.value(), "authored", "referral");
    if (!at) {
        return at.error();
    }
    const json& o = j.value();
    ReferralFact r{Text(o, "referral"),       Text(o, "patient"),
                   Text(o, "requester"),      Text(o, "performer"),
                   Text(o, "service"),        Text(o, "category"),
                   Text(o, "note"),           at.value(),
                   Text(o, "requisition"),    Text(o, "performer_display"),
                   Text(o, "service_display")};
    if (r.referral_id.empty() || r.patient_ref.rfind("Patient/", 0) != 0) {
        return MakeError(
            ErrorCode::kInvalidInput,
            "the referral payload needs a referral id and a Patient (a ServiceRequest's "
            "subject cannot be a family member)");
    }
    return r;
}

std::string CredentialPayload(const CredentialFact& c) {
    return json{{"person", c.person_ref},
                {"action", c.action},
                {"hash", c.new_hash},
                {"at", FormatDateTimeUtc(c.at)}}
        .dump();
}

Result<CredentialFact> ParseCredentialPayload(const std::string& text) {
    auto j = ParseObject(text, "credential");
    if (!j) {
        return j.error();
    }
    auto at = TimeField(j.value(), "at", "credential");
    if (!at) {
        return at.error();
    }
    const json& o = j.value();
    CredentialFact c{Text(o, "person"), Text(o, "action"), Text(o, "hash"), at.value()};
    const bool issue = c.action == "issue";
    const bool hex = c.new_hash.size() == 64 &&
                     c.new_hash.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (c.person_ref.find('/') == std::string::npos || (!issue && c.action != "revoke") ||
        (issue && !hex) || (!issue && !c.new_hash.empty())) {
        return MakeError(ErrorCode::kInvalidInput,
                         "the credential payload needs a person reference, an action (issue or "
                         "revoke) and, to issue, the new card's hex SHA-256");
    }
    return c;
}

}  // namespace kiosk::store
