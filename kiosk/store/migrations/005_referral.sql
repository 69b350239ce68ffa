-- Referrals made by case managers (SCREENS.md 7, PRIVACY.md 6 and 9): what was given to whom, by
-- whom, in which language, and whether it printed. Each resource of a referral goes to the
-- server as its own ServiceRequest (identifier request_id; the referral id is its requisition).

CREATE TABLE referral (
    id           TEXT PRIMARY KEY,                 -- UUID made when the referral is saved
    created_at   INTEGER NOT NULL,
    staff_ref    TEXT NOT NULL,                    -- the case manager (Practitioner)
    person_ref   TEXT NOT NULL,                    -- the participant (Patient)
    kiosk_id     TEXT NOT NULL,
    language     TEXT NOT NULL,                    -- of the printed page
    paper        TEXT NOT NULL CHECK (paper IN ('letter', 'a4')),
    name_printed INTEGER NOT NULL DEFAULT 0,       -- the case manager ticked "first name"
    print_state  TEXT NOT NULL DEFAULT 'saved'
                 CHECK (print_state IN ('saved', 'printing', 'printed', 'failed')),
    print_detail TEXT NOT NULL DEFAULT '',         -- the printer's words when it failed
    printed_at   INTEGER
);

CREATE TABLE referral_item (
    referral_id   TEXT NOT NULL REFERENCES referral (id),
    position      INTEGER NOT NULL,
    request_id    TEXT NOT NULL UNIQUE,            -- UUID: the ServiceRequest identifier
    resource_id   TEXT NOT NULL,                   -- resource.id at the time (it may go away)
    resource_name TEXT NOT NULL,
    category      TEXT NOT NULL,
    PRIMARY KEY (referral_id, position)
);
