// The built-in demo clinic (assets/demo/clinic.json): its schedule is re-laid around the moment
// the kiosk starts, so a demo check-in works at any hour, then it goes into the store through
// the same FHIR mapping that sync uses; likewise its resource directory (directory.json).
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Store.h"

namespace kiosk {

inline constexpr std::string_view kDemoAnchorExtension = "urn:iop-kiosk:demo-anchor";

/// Shifts every time in the bundle (Appointment start/end, Encounter period, identifier
/// periods) by one offset, chosen so the anchor (a block start, in Bundle.meta.extension)
/// lands 10 minutes after `now` rounded down to 5 minutes. When the anchor's block (the
/// sessions that follow it back to back) would then run past `day_end`, the clinic's next
/// midnight, it is laid to end there instead: late in the evening "now" falls inside the block,
/// so the demo still has a group on today's list to check in to.
Status RebaseDemoBundle(nlohmann::json& bundle, Instant now, Instant day_end = Instant::max());

/// Reads, re-bases and stores the demo bundle, and the demo resource directory when
/// directory.json lies next to it; records when in meta "demo_seeded_at".
Status SeedDemoClinic(store::Store& store, const std::filesystem::path& bundle_file,
                      const std::string& site_id, Instant now, Instant day_end = Instant::max());

/// Stores the demo resource directory (a FHIR collection Bundle of HealthcareService,
/// Organization and Location) through the directory mapping sync uses; returns how many
/// resources it holds. Services the mapping cannot use are an error: the demo must be whole.
Result<size_t> SeedDemoDirectory(store::Store& store, const std::filesystem::path& directory_file);

}  // namespace kiosk
