// Private to kiosk/store: deciding each stored session's kind and whether its name is withheld
// (PRIVACY.md 13), inside ClinicCache's transactions.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "kiosk/store/Connection.h"

namespace kiosk::store {

/// A session's codes as the session.codes column holds them: one a line.
std::string JoinCodes(const std::vector<std::string>& codes);
/// After a batch's upserts: decides kind and name_withheld again for the batch's sessions and
/// for every session a person of the batch is enrolled in (a name may have changed). Logs a
/// warning, naming the Appointment only, for a group whose name names someone enrolled in it.
Status DecideSessionsAfter(SQLite::Database& db, const SessionKindRules& rules,
                           const ClinicBatch& batch);
/// Decides every stored session again (a changed config).
Status DecideAllSessions(SQLite::Database& db, const SessionKindRules& rules);

}  // namespace kiosk::store
