-- What the sync engine (sync/) keeps: payloads for outbox kinds that have no row of their own,
-- what it knows of its own resources on the server, family members' patients, and the community
-- resource directory as the server sends it. Pull cursors live in meta ("sync.cursor.<Type>").

-- JSON for 'provenance' and 'referral' items; NULL for 'encounter' (built from attendance).
ALTER TABLE outbox ADD COLUMN payload TEXT;

-- One row per resource this kiosk wrote or found on the server, keyed by its kiosk identifier
-- (attendance identifier, referral UUID, provenance key). server_json is the last version seen,
-- so an update keeps what other systems added and can go out with If-Match in one request.
CREATE TABLE sync_remote (
    identifier    TEXT PRIMARY KEY,
    resource_type TEXT NOT NULL,
    server_id     TEXT NOT NULL,
    version_id    TEXT NOT NULL DEFAULT '',
    server_json   TEXT NOT NULL DEFAULT '',
    pushed_state  TEXT NOT NULL DEFAULT ''  -- the state this kiosk last confirmed on the server
);

-- RelatedPerson.patient: a family member's Encounter has the patient as subject (R4).
CREATE TABLE related_person (
    ref         TEXT PRIMARY KEY,
    patient_ref TEXT NOT NULL
);

-- HealthcareService, Organization and Location of the resource directory (FHIR.md), verbatim.
CREATE TABLE directory_resource (
    type         TEXT NOT NULL,
    id           TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    json         TEXT NOT NULL,
    UNIQUE (type, id)
);
