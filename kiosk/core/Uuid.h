// Random (version 4) UUIDs for the identifiers the kiosk makes itself: referrals and their
// ServiceRequests (FHIR.md). libsodium's CSPRNG; no clock or host in them.
#pragma once

#include <string>

namespace kiosk {

/// "6f1c2a9e-0d4b-4c55-9b1a-1f2e3d4c5b6a": lower-case, version 4, RFC 4122 variant.
std::string NewUuid();

}  // namespace kiosk
