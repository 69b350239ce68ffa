// The credential identifiers' change, and its If-Match write with a re-read on 412.
#include "sync/CredentialWrite.h"

#include "kiosk/core/Iso8601.h"
#include "sync/FhirMapping.h"
#include "sync/JsonText.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

/// Whether a credential identifier still works at `at`: no period.end, or one after `at` (a
/// date-only end works through that day).
bool OpenAt(const json& id, Instant at) {
    const auto period = id.find("period");
    if (period == id.end() || !period->is_object()) {
        return true;
    }
    const std::string end = StringMember(*period, "end");
    if (end.empty()) {
        return true;
    }
    if (auto t = ParseDateTime(end)) {
        return t.value() > at;
    }
    return end.substr(0, 10) >= FormatDateTimeUtc(at).substr(0, 10);
}

bool IsCredential(const json& id) {
    return id.is_object() && StringMember(id, "system") == kCredentialSystem;
}

}  // namespace

bool ApplyCredentialChange(json& resource, const store::CredentialFact& fact) {
    const bool issue = fact.action == "issue";
    const auto found = resource.find("identifier");
    if (!issue && (found == resource.end() || !found->is_array())) {
        return false;  // no identifiers: no card to revoke
    }
    json& ids = resource["identifier"];
    if (!ids.is_array()) {
        ids = json::array();
    }
    if (issue) {
        for (const auto& id : ids) {
            if (IsCredential(id) && StringMember(id, "value") == fact.new_hash) {
                return false;  // sent before: done
            }
        }
    }
    bool changed = false;
    for (auto& id : ids) {
        if (IsCredential(id) && OpenAt(id, fact.at)) {
            id["period"]["end"] = FormatDateTimeUtc(fact.at);
            changed = true;
        }
    }
    if (issue) {
        ids.push_back({{"system", kCredentialSystem}, {"value", fact.new_hash}});
        changed = true;
    }
    return changed;
}

bool ApplyPinVerifier(json& practitioner, const std::string& verifier) {
    json& extensions = practitioner["extension"];
    if (!extensions.is_array()) {
        extensions = json::array();
    }
    json kept = json::array();
    bool there = false;
    for (const auto& e : extensions) {
        if (e.is_object() && StringMember(e, "url") == kPinExtension) {
            there = there || StringMember(e, "valueString") == verifier;
            continue;
        }
        kept.push_back(e);
    }
    if (there && kept.size() + 1 == extensions.size()) {
        return false;
    }
    kept.push_back({{"url", kPinExtension}, {"valueString", verifier}});
    extensions = std::move(kept);
    return true;
}

Result<UpdateOutcome> UpdateWithRetry(FhirClient& client, const std::string& ref,
                                      const std::function<bool(json&)>& change) {
    const auto slash = ref.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == ref.size()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "'" + ref + "' is not a reference such as Patient/ID");
    }
    const std::string type = ref.substr(0, slash);
    const std::string id = ref.substr(slash + 1);
    for (int round = 0; round < kMaxConflicts; ++round) {
        auto read = client.Read(type, id);
        if (!read) {
            return read.error();
        }
        if (!read.value()) {
            return MakeError(ErrorCode::kNotFound,
                             "the server has no " + ref + " (deleted, or a typo?)");
        }
        FhirAnswer current = std::move(read).value().value();
        if (!change(current.resource)) {
            return UpdateOutcome{true, current.version};
        }
        auto updated = client.Update(current.resource, current.version);
        if (updated) {
            return UpdateOutcome{false, updated->version};
        }
        if (updated.error().code != ErrorCode::kConflict) {
            return updated.error();
        }
        // 412: someone changed it since the read; read again and re-apply.
    }
    return MakeError(ErrorCode::kNetwork, ref + " kept changing on the server; will try again");
}

Result<UpdateOutcome> WriteCredential(FhirClient& client, const store::CredentialFact& fact) {
    return UpdateWithRetry(client, fact.person_ref,
                           [&](json& resource) { return ApplyCredentialChange(resource, fact); });
}

}  // namespace kiosk::sync
