// What kind of appointment a session is (PRIVACY.md 13): a group, which the lobby may list by
// its name, or a one-to-one, which the lobby never lists and confirms by time and room only.
// Decided from codes the clinic's config names ([sessions]), else from who takes part.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

enum class SessionKind { kIndividual, kGroup };

/// "group" / "individual": the session.kind column (migration 007).
std::string_view SessionKindName(SessionKind kind);

/// Codes ("system|code") matched against an Appointment's serviceCategory, serviceType and
/// appointmentType codings. The defaults are the kiosk's own marker codes and the CPT codes of
/// group and of individual, family and diagnostic psychotherapy.
struct SessionKindRules {
    std::vector<std::string> group_codes{
        "urn:iop-kiosk:session-kind|group",
        "http://www.ama-assn.org/go/cpt|90853",  // group psychotherapy
        "http://www.ama-assn.org/go/cpt|90849",  // multiple-family group psychotherapy
    };
    std::vector<std::string> individual_codes{
        "urn:iop-kiosk:session-kind|individual",
        "http://www.ama-assn.org/go/cpt|90791",  // psychiatric diagnostic evaluation (intake)
        "http://www.ama-assn.org/go/cpt|90792",  // the same with medical services
        "http://www.ama-assn.org/go/cpt|90832",  // psychotherapy, 30 minutes
        "http://www.ama-assn.org/go/cpt|90834",  // psychotherapy, 45 minutes
        "http://www.ama-assn.org/go/cpt|90837",  // psychotherapy, 60 minutes
        "http://www.ama-assn.org/go/cpt|90846",  // family psychotherapy, without the patient
        "http://www.ama-assn.org/go/cpt|90847",  // family psychotherapy, with the patient
    };
};

/// The kind of a session with these codes and these participants ("Patient/..",
/// "RelatedPerson/.."). An individual code wins over a group code (when in doubt, stay off the
/// public schedule). With neither, a session is a group when two or more patients take part,
/// or, with no patient, two or more family members. Anything else - one patient (with or
/// without family), one family member, nobody at all - is one-to-one.
SessionKind ClassifySession(const std::vector<std::string>& codes,
                            const std::vector<std::string>& person_refs,
                            const SessionKindRules& rules);

/// Whether `entry` reads "system|code": one '|', both sides present, no spaces or control
/// characters in the system, none but single inner spaces in the code.
bool IsSystemCode(std::string_view entry);

}  // namespace kiosk
