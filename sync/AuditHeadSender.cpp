// What the server returns is checked against what was asked (FHIR.md "Never trust a response"):
// a conditional create that answers with another resource is a failure, not a success, and a
// search result counts only when its tag names this kiosk's head.
#include "sync/AuditHeadSender.h"

#include <cctype>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "sync/JsonText.h"
#include "sync/OutboxPayloads.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr const char* kSentKey = "sync.audit_head_sent";
constexpr const char* kDcmSystem = "http://dicom.nema.org/resources/ontology/DCM";

json Device(const std::string& kiosk_id) {
    return json{{"identifier", json{{"system", kDeviceSystem}, {"value", kiosk_id}}},
                {"display", "kiosk " + kiosk_id}};
}

json Detail(const char* type, const std::string& value) {
    return json{{"type", type}, {"valueString", value}};
}

const json* Member(const json& j, const char* key) {
    if (!j.is_object()) {
        return nullptr;
    }
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

bool Hex(const std::string& s, std::size_t size) {
    if (s.size() != size) {
        return false;
    }
    for (char c : s) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) ||
            std::isupper(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

/// The entity detail of that type, "" when absent.
std::string DetailOf(const json& event, const char* type) {
    const json* entities = Member(event, "entity");
    if (entities == nullptr || !entities->is_array()) {
        return {};
    }
    for (const json& entity : *entities) {
        const json* details = Member(entity, "detail");
        if (details == nullptr || !details->is_array()) {
            continue;
        }
        for (const json& d : *details) {
            if (StringMember(d, "type") == type) {
                return StringMember(d, "valueString");
            }
        }
    }
    return {};
}

}  // namespace

std::string AuditHeadIdentifier(const std::string& kiosk_id, const store::AuditHead& head) {
    return kiosk_id + "/" + head.chain + "/" + std::to_string(head.seq);
}

json BuildAuditHeadEvent(const store::AuditHead& head, const AuditHeadOptions& options) {
    const std::string id = AuditHeadIdentifier(options.kiosk_id, head);
    json source{{"observer", Device(options.kiosk_id)}};
    if (!options.site_id.empty()) {
        source["site"] = options.site_id;
    }
    return json{
        {"resourceType", "AuditEvent"},
        {"meta",
         json{{"tag", json::array({json{{"system", kAuditHeadSystem}, {"code", id}},
                                   json{{"system", kDeviceSystem}, {"code", options.kiosk_id}}})}}},
        {"type",
         json{{"system", kDcmSystem}, {"code", "110100"}, {"display", "Application Activity"}}},
        {"subtype", json::array({json{{"system", "urn:iop-kiosk:audit"},
                                      {"code", "audit-head"},
                                      {"display", "audit log head"}}})},
        {"recorded", FormatDateTimeUtc(head.at)},
        {"outcome", "0"},
        {"agent", json::array({json{{"who", Device(options.kiosk_id)}, {"requestor", false}}})},
        {"source", source},
        {"entity",
         json::array({json{
             {"what", json{{"identifier", json{{"system", kAuditHeadSystem}, {"value", id}}}}},
             {"name", id},
             {"detail",
              json::array({Detail("chain", head.chain), Detail("seq", std::to_string(head.seq)),
                           Detail("hash", head.hash),
                           Detail("hash-kind", head.keyed ? "hmac-sha256" : "sha256")})}}})}};
}

std::optional<store::AuditHead> ParseAuditHeadEvent(const json& event,
                                                    const std::string& kiosk_id) {
    if (StringMember(event, "resourceType") != "AuditEvent") {
        return std::nullopt;
    }
    const json* meta = Member(event, "meta");
    const json* tags = meta != nullptr ? Member(*meta, "tag") : nullptr;
    if (tags == nullptr || !tags->is_array()) {
        return std::nullopt;
    }
    const std::string prefix = kiosk_id + "/";
    for (const json& tag : *tags) {
        const std::string code = StringMember(tag, "code");
        if (StringMember(tag, "system") != kAuditHeadSystem || code.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::string rest = code.substr(prefix.size());  // <chain>/<seq>
        const auto slash = rest.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
            rest.find_first_not_of("0123456789", slash + 1) != std::string::npos ||
            rest.size() - slash > 18) {
            continue;
        }
        store::AuditHead head;
        head.chain = rest.substr(0, slash);
        head.seq = std::stoll(rest.substr(slash + 1));
        head.hash = DetailOf(event, "hash");
        head.keyed = DetailOf(event, "hash-kind") == "hmac-sha256";
        auto at = ParseDateTime(StringMember(event, "recorded"));
        if (!Hex(head.hash, 64) || DetailOf(event, "chain") != head.chain || !at) {
            continue;
        }
        head.at = at.value();
        return head;
    }
    return std::nullopt;
}

Result<std::vector<store::AuditHead>> FetchAuditHeads(FhirClient& client,
                                                      const std::string& kiosk_id) {
    std::vector<store::AuditHead> heads;
    auto searched = client.Search("AuditEvent",
                                  "_tag=" + QueryValue(std::string(kDeviceSystem) + "|" + kiosk_id),
                                  [&](const json& event) -> Status {
                                      if (auto head = ParseAuditHeadEvent(event, kiosk_id)) {
                                          heads.push_back(std::move(*head));
                                      }
                                      return Ok{};
                                  });
    if (!searched) {
        return searched.error();
    }
    return heads;
}

long long AuditHeadSender::MaybeSend(store::Store& store, FhirClient& client, Instant now) {
    auto fail = [&](const std::string& why) -> long long {
        if (why != m_last_failure) {
            LogWarn("sync", "the audit log's head did not reach the server: " + why +
                                "; the next round tries again");
        }
        m_last_failure = why;
        return 0;
    };
    auto head = store.Audit().LatestHead();
    if (!head) {
        return fail(head.error().log);
    }
    if (!head.value() || head.value()->chain.empty()) {
        return 0;  // nothing written yet, or a database from before migration 008
    }
    const store::AuditHead& h = *head.value();
    const std::string id = AuditHeadIdentifier(m_options.kiosk_id, h);
    auto sent = store.Sync().GetMeta(kSentKey);
    if (!sent) {
        return fail(sent.error().log);
    }
    if ((sent.value() && *sent.value() == id) ||
        (m_last_sent && now - *m_last_sent < m_options.every)) {
        return 0;
    }
    auto created =
        client.ConditionalCreate(BuildAuditHeadEvent(h, m_options),
                                 "_tag=" + QueryValue(std::string(kAuditHeadSystem) + "|" + id));
    if (!created && created.error().code != ErrorCode::kConflict) {
        return fail(created.error().log);
    }
    if (created && created->status != 201) {
        auto theirs = ParseAuditHeadEvent(created->resource, m_options.kiosk_id);
        if (!theirs || AuditHeadIdentifier(m_options.kiosk_id, *theirs) != id) {
            return fail("the server answered the conditional create of " + id +
                        " with another resource (does it support _tag searches?)");
        }
        if (theirs->hash != h.hash) {
            LogError("sync", "the server already holds a different hash for audit row " +
                                 std::to_string(h.seq) + " (" + id +
                                 "): the audit log here was rewritten; run 'kiosk audit "
                                 "verify --config'");
        }
    }
    if (auto s = store.Sync().SetMetaMany({{kSentKey, id}}); !s) {
        LogWarn("sync", "could not note the audit head sent: " + s.error().log);
    }
    m_last_sent = now;
    m_last_failure.clear();
    LogDebug("sync", "audit log head " + id + " is on the server");
    return h.seq;
}

}  // namespace kiosk::sync
