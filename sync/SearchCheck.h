// What a FHIR search asked for, checked again on what came back (FHIR.md "Never trust a
// response"): a server that does not support a parameter may drop it and answer with everything,
// so every resource of every search is matched against each parameter the kiosk sent before it
// is used. Used by FhirClient for searches and conditional-create answers.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"

namespace kiosk::sync {

class SearchCheck {
  public:
    /// The check for `type?query` (an encoded query, as sent). A parameter the kiosk cannot
    /// check is an error (kConfig): a search whose answer cannot be verified is not sent.
    static Result<SearchCheck> For(std::string type, std::string_view query);

    /// True when `resource` is of the type asked and satisfies every parameter.
    bool Matches(const nlohmann::json& resource) const;

    const std::string& Type() const { return m_type; }

  private:
    enum class Kind { kId, kIdentifier, kCoding, kReference, kDate };
    struct Param {
        std::string name;
        Kind kind = Kind::kId;
        std::vector<std::string> values;  ///< OR-ed (comma-separated in the query)
        std::string prefix;               ///< dates: ge, gt, le, lt, eq
        std::optional<Instant> at;        ///< dates
    };
    bool Holds(const Param& p, const nlohmann::json& resource) const;

    std::string m_type;
    std::vector<Param> m_params;
};

/// Of several resources that all match a search for one kiosk identifier (a server whose
/// conditional create was not atomic made duplicates), the one every kiosk picks: the lowest id
/// (numeric ids by value, others by text).
const nlohmann::json* StableChoice(const std::vector<nlohmann::json>& matches);

}  // namespace kiosk::sync
