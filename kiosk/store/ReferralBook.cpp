// The referral and referral_item tables (migration 005).
#include "kiosk/store/ReferralBook.h"

#include "kiosk/store/Connection.h"

namespace kiosk::store {

Status ReferralBook::Insert(WriteTx&, const Referral& r) {
    return Guard("save referral", [&]() -> Status {
        if (r.items.empty()) {
            return MakeError(ErrorCode::kInvalidInput, "a referral needs at least one resource");
        }
        SQLite::Statement q(
            m_db.db,
            "INSERT INTO referral (id, created_at, staff_ref, person_ref, kiosk_id, "
            "language, paper, name_printed, print_state, print_detail, printed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, r.id);
        q.bind(2, static_cast<int64_t>(Epoch(r.created_at)));
        q.bind(3, r.staff_ref);
        q.bind(4, r.person_ref);
        q.bind(5, r.kiosk_id);
        q.bind(6, r.language);
        q.bind(7, r.paper);
        q.bind(8, r.name_printed ? 1 : 0);
        q.bind(9, r.print_state);
        q.bind(10, r.print_detail);
        BindTime(q, 11, r.printed_at);
        q.exec();
        SQLite::Statement item(m_db.db,
                               "INSERT INTO referral_item (referral_id, position, request_id, "
                               "resource_id, resource_name, category) VALUES (?, ?, ?, ?, ?, ?)");
        int position = 0;
        for (const auto& i : r.items) {
            item.bind(1, r.id);
            item.bind(2, position++);
            item.bind(3, i.request_id);
            item.bind(4, i.resource_id);
            item.bind(5, i.resource_name);
            item.bind(6, i.category);
            item.exec();
            item.reset();
        }
        return Ok{};
    });
}

Status ReferralBook::SetPrintState(WriteTx&, const std::string& id, const std::string& state,
                                   const std::string& detail, Instant at) {
    return Guard("record referral printing", [&]() -> Status {
        SQLite::Statement q(m_db.db,
                            "UPDATE referral SET print_state = ?, print_detail = ?, "
                            "printed_at = CASE WHEN ? = 'printed' THEN ? ELSE printed_at END "
                            "WHERE id = ?");
        q.bind(1, state);
        q.bind(2, detail);
        q.bind(3, state);
        q.bind(4, static_cast<int64_t>(Epoch(at)));
        q.bind(5, id);
        if (q.exec() != 1) {
            return MakeError(ErrorCode::kNotFound, "no referral " + id);
        }
        return Ok{};
    });
}

Result<std::optional<Referral>> ReferralBook::ById(const std::string& id) {
    return Guard("read referral", [&]() -> Result<std::optional<Referral>> {
        SQLite::Statement q(m_db.db,
                            "SELECT created_at, staff_ref, person_ref, kiosk_id, language, paper, "
                            "name_printed, print_state, print_detail, printed_at FROM referral "
                            "WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<Referral>();
        }
        Referral r;
        r.id = id;
        r.created_at = AsInstant(q.getColumn(0));
        r.staff_ref = q.getColumn(1).getString();
        r.person_ref = q.getColumn(2).getString();
        r.kiosk_id = q.getColumn(3).getString();
        r.language = q.getColumn(4).getString();
        r.paper = q.getColumn(5).getString();
        r.name_printed = q.getColumn(6).getInt() != 0;
        r.print_state = q.getColumn(7).getString();
        r.print_detail = q.getColumn(8).getString();
        r.printed_at = AsOptInstant(q.getColumn(9));
        SQLite::Statement items(m_db.db,
                                "SELECT request_id, resource_id, resource_name, category FROM "
                                "referral_item WHERE referral_id = ? ORDER BY position");
        items.bind(1, id);
        while (items.executeStep()) {
            r.items.push_back({items.getColumn(0).getString(), items.getColumn(1).getString(),
                               items.getColumn(2).getString(), items.getColumn(3).getString()});
        }
        return std::optional<Referral>(std::move(r));
    });
}

Result<std::vector<std::string>> ReferralBook::InPrintState(const std::string& state) {
    return Guard("read referrals by print state", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_db.db,
                            "SELECT id FROM referral WHERE print_state = ? ORDER BY created_at");
        q.bind(1, state);
        return Strings(q);
    });
}

}  // namespace kiosk::store
