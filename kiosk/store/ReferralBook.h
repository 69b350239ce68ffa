// Referrals (migration 005): the case manager's referral and its resources, and how printing
// went. The app writes them in one transaction with their outbox items and audit rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;

/// A referral as saved: who made it for whom, and the resources in it.
struct ReferralItem {
    std::string request_id;  ///< UUID: the ServiceRequest's identifier
    std::string resource_id;
    std::string resource_name;
    std::string category;
};

struct Referral {
    std::string id;  ///< UUID (the ServiceRequests' requisition)
    Instant created_at;
    std::string staff_ref;
    std::string person_ref;
    std::string kiosk_id;
    std::string language;
    std::string paper;  ///< "letter" or "a4"
    bool name_printed = false;
    std::string print_state = "saved";  ///< "saved", "printing", "printed", "failed"
    std::string print_detail;
    std::optional<Instant> printed_at;
    std::vector<ReferralItem> items;
};

class ReferralBook {
  public:
    explicit ReferralBook(Connection& connection) : m_db(connection) {}
    ReferralBook(const ReferralBook&) = delete;
    ReferralBook& operator=(const ReferralBook&) = delete;

    /// kInvalidInput for a referral without resources.
    Status Insert(WriteTx& tx, const Referral& referral);
    /// Records how printing went ("printing", "printed", "failed" with the printer's words).
    Status SetPrintState(WriteTx& tx, const std::string& id, const std::string& state,
                         const std::string& detail, Instant at);
    Result<std::optional<Referral>> ById(const std::string& id);
    /// Ids of the referrals in a print state ("printing": a print the kiosk did not see end).
    Result<std::vector<std::string>> InPrintState(const std::string& state);

  private:
    Connection& m_db;
};

}  // namespace kiosk::store
