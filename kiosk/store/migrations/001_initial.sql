-- The local store: a cache of today's and this week's clinic, what the kiosk recorded, the outbox
-- of what must reach the server, and an append-only hash-chained audit log.
-- Times are UTC seconds since the epoch. People are FHIR references ("Patient/pat-1").

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE site (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    timezone TEXT
);

CREATE TABLE room (
    id      TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    name    TEXT NOT NULL
);

-- Participants, family members and staff: only what today's and this week's sessions need.
CREATE TABLE person (
    ref    TEXT PRIMARY KEY,
    given  TEXT NOT NULL,
    family TEXT NOT NULL,
    cohort TEXT CHECK (cohort IN ('adult', 'adolescent'))
);

CREATE TABLE staff_role (
    person_ref TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('facilitator', 'front-desk', 'case-manager')),
    PRIMARY KEY (person_ref, role)
) WITHOUT ROWID;

CREATE TABLE staff_pin (
    person_ref TEXT PRIMARY KEY,
    verifier   TEXT NOT NULL
);

-- Card credentials by SHA-256 of the token; the token itself is never stored (PRIVACY.md 11).
CREATE TABLE credential (
    hash        TEXT PRIMARY KEY CHECK (length(hash) = 64),
    person_ref  TEXT NOT NULL,
    valid_from  INTEGER,
    valid_until INTEGER
);
CREATE INDEX credential_person ON credential (person_ref);

CREATE TABLE session (
    id              TEXT PRIMARY KEY,
    group_name      TEXT NOT NULL,
    room_id         TEXT,
    facilitator_ref TEXT,
    start_at        INTEGER NOT NULL,
    end_at          INTEGER NOT NULL CHECK (end_at > start_at),
    status          TEXT NOT NULL DEFAULT 'booked'
);
CREATE INDEX session_start ON session (start_at);

CREATE TABLE enrolment (
    session_id TEXT NOT NULL,
    person_ref TEXT NOT NULL,
    PRIMARY KEY (session_id, person_ref)
) WITHOUT ROWID;
CREATE INDEX enrolment_person ON enrolment (person_ref, session_id);

-- One row per person per session, keyed by the FHIR Encounter identifier (FHIR.md), so the
-- same check-in recorded twice, here or at another kiosk, is one row.
CREATE TABLE attendance (
    identifier     TEXT PRIMARY KEY,
    session_id     TEXT NOT NULL,
    person_ref     TEXT NOT NULL,
    checked_in_at  INTEGER NOT NULL,
    checked_out_at INTEGER CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at),
    source         TEXT NOT NULL CHECK (source IN ('scan', 'manual', 'auto', 'server')),
    recorded_by    TEXT NOT NULL,
    UNIQUE (session_id, person_ref)
);
CREATE INDEX attendance_person ON attendance (person_ref);

-- What must reach the server, in order. A row leaves 'pending' only when the server has it
-- ('delivered') or refused it for good ('rejected', kept and shown to staff).
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    delivered_at INTEGER
);
CREATE INDEX outbox_state ON outbox (state, seq);

-- Append-only and hash-chained (PRIVACY.md 9): hash = SHA-256 over prev_hash and the row.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
