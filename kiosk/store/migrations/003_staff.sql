-- Staff screens (SCREENS.md 4-6, PRIVACY.md 7): wrong-PIN counts and badge locks that survive a
-- restart, and why staff changed an attendance by hand (the sync engine sends it as Provenance).

-- One row per badge holder that ever entered a wrong PIN. failures counts wrong PINs since the
-- last good one or the last lock; locked_until is set when the count reaches the limit.
CREATE TABLE staff_pin_lock (
    person_ref   TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until INTEGER
);

-- Every manual check-in, check-out and undo, keyed by the attendance identifier (the Encounter
-- identifier). An undo deletes the attendance row (so a later real scan can check the person in
-- again) and keeps what was withdrawn here: withdrawn_check_in is that row's check-in time.
CREATE TABLE attendance_change (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    identifier         TEXT NOT NULL,
    session_id         TEXT NOT NULL,
    person_ref         TEXT NOT NULL,
    activity           TEXT NOT NULL CHECK (activity IN ('check-in', 'check-out', 'undo')),
    reason_code        TEXT NOT NULL,  -- forgot-card, phone-dead, scanner-fault, left-early, other, mistake
    reason_text        TEXT NOT NULL,  -- the reason in words (the typed text for 'other')
    staff_ref          TEXT NOT NULL,  -- the Practitioner who did it
    kiosk_id           TEXT NOT NULL,
    at                 INTEGER NOT NULL,
    withdrawn_check_in INTEGER
);
CREATE INDEX attendance_change_identifier ON attendance_change (identifier, seq);
