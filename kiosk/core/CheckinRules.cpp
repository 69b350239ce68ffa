// The scan decision. Order of questions: which block is live now, is the person in it already,
// and has the block progressed far enough that a second scan means "I'm leaving".
#include "kiosk/core/CheckinRules.h"

#include <algorithm>

namespace kiosk {

const char* DenyReasonText(DenyReason reason) {
    switch (reason) {
        case DenyReason::kNotAToken:
            return "not a kiosk card";
        case DenyReason::kUnknownCard:
            return "unknown card";
        case DenyReason::kRevokedCard:
            return "card revoked";
        case DenyReason::kNoSessionToday:
            return "no session today";
        case DenyReason::kTooEarly:
            return "too early: check-in not open yet";
        case DenyReason::kSessionsOver:
            return "today's sessions are over";
        case DenyReason::kAlreadyCheckedOut:
            return "already checked out of this block";
        case DenyReason::kStaffBadge:
            return "staff badge scanned for participant check-in";
        case DenyReason::kStorageFailed:
            return "could not save the check-in";
    }
    return "unknown";
}

std::vector<std::vector<SessionSlot>> GroupIntoBlocks(std::vector<SessionSlot> sessions,
                                                      Minutes gap) {
    std::sort(sessions.begin(), sessions.end(), [](const SessionSlot& a, const SessionSlot& b) {
        return a.start != b.start ? a.start < b.start : a.id < b.id;
    });
    std::vector<std::vector<SessionSlot>> blocks;
    Instant block_end{};
    for (auto& s : sessions) {
        if (blocks.empty() || s.start - block_end >= gap) {
            blocks.emplace_back();
            block_end = s.end;
        }
        block_end = std::max(block_end, s.end);
        blocks.back().push_back(std::move(s));
    }
    return blocks;
}

ScanDecision DecideScan(Instant now, const std::vector<SessionSlot>& today,
                        const std::vector<AttendanceMark>& marks, const CheckinWindows& windows) {
    ScanDecision d;
    if (today.empty()) {
        d.reason = DenyReason::kNoSessionToday;
        return d;
    }
    const auto blocks = GroupIntoBlocks(today, windows.block_gap);
    const std::vector<SessionSlot>* live = nullptr;
    bool any_later = false;
    for (const auto& block : blocks) {
        Instant block_end = block.front().end;
        for (const auto& s : block) {
            block_end = std::max(block_end, s.end);
        }
        if (now < block.front().start - windows.opens_before) {
            any_later = true;
            continue;
        }
        if (now < block_end) {
            live = &block;
            break;
        }
    }
    if (live == nullptr) {
        d.reason = any_later ? DenyReason::kTooEarly : DenyReason::kSessionsOver;
        return d;
    }

    auto in_block = [&](const std::string& id) {
        return std::any_of(live->begin(), live->end(),
                           [&](const SessionSlot& s) { return s.id == id; });
    };
    std::vector<const AttendanceMark*> open;
    bool any_mark = false;
    for (const auto& m : marks) {
        if (!in_block(m.session_id)) {
            continue;
        }
        any_mark = true;
        if (!m.checked_out) {
            open.push_back(&m);
        }
    }

    if (!open.empty()) {
        Instant last_start = live->front().start;
        for (const auto& s : *live) {
            last_start = std::max(last_start, s.start);
        }
        if (now >= last_start + windows.checkout_grace) {
            d.action = ScanAction::kCheckOut;
            for (const auto* m : open) {
                d.check_out.push_back(m->session_id);
            }
            return d;
        }
        d.action = ScanAction::kAlreadyIn;
        d.since = open.front()->checked_in;
        for (const auto* m : open) {
            d.since = std::min(d.since, m->checked_in);
        }
        return d;
    }
    if (any_mark) {
        d.reason = DenyReason::kAlreadyCheckedOut;
        return d;
    }
    d.action = ScanAction::kCheckIn;
    for (const auto& s : *live) {
        if (now < s.end) {
            d.check_in.push_back({s.id, now > s.start + windows.late_after});
        }
    }
    return d;
}

}  // namespace kiosk
