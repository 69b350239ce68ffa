-- The community resource directory (issue 6): one row per service at one place, as the screens,
-- the printed referral and the FHIR/HSDS mappings see it (store/ResourceRecords.h), an FTS5
-- index over its words, and a generation counter that tells every connection's search cache
-- that the directory changed. Lists are JSON arrays of strings; hours are OpeningHours' text.

CREATE TABLE resource (
    num              INTEGER PRIMARY KEY,  -- rowid: the FTS5 index's key, never shown
    id               TEXT NOT NULL UNIQUE, -- "fhir:HealthcareService/hs-1", "hsds:<service id>"
    source           TEXT NOT NULL,        -- "fhir" or "hsds"
    name             TEXT NOT NULL,
    organization     TEXT NOT NULL DEFAULT '',
    organization_ref TEXT NOT NULL DEFAULT '',
    service_ref      TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    categories       TEXT NOT NULL DEFAULT '[]',  -- ["housing", "legal-aid"]
    address          TEXT NOT NULL DEFAULT '',
    latitude         REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude        REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    phone            TEXT NOT NULL DEFAULT '',
    website          TEXT NOT NULL DEFAULT '',
    hours            TEXT NOT NULL DEFAULT '',    -- "Mon-Fri 09:00-17:00; Sun 22:00-02:00"
    hours_note       TEXT NOT NULL DEFAULT '',
    languages        TEXT NOT NULL DEFAULT '[]',  -- ["en", "es"]
    eligibility      TEXT NOT NULL DEFAULT '',
    cost             TEXT NOT NULL DEFAULT '',
    free             INTEGER NOT NULL DEFAULT 0 CHECK (free IN (0, 1)),
    what_to_bring    TEXT NOT NULL DEFAULT '',
    updated          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX resource_source ON resource (source);

-- External content: the words live once, in resource. The category codes tokenize to their
-- words ("legal-aid" -> legal, aid). remove_diacritics 2 makes "clinica" find "Clínica";
-- prefix indexes make short prefixes ("ho", "foo") cheap.
CREATE VIRTUAL TABLE resource_fts USING fts5 (
    name, organization, categories, description, eligibility,
    content = 'resource', content_rowid = 'num',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
-- Every indexed word with the number of resources holding it (typo correction's vocabulary).
CREATE VIRTUAL TABLE resource_vocab USING fts5vocab (resource_fts, 'row');

-- Bumped by every change to resource, whoever makes it, in the same transaction: a search
-- compares it with the generation its in-memory cache was built from.
INSERT INTO meta (key, value) VALUES ('directory.generation', '0');

CREATE TRIGGER resource_changed_insert AFTER INSERT ON resource
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory.generation';
END;
CREATE TRIGGER resource_changed_delete AFTER DELETE ON resource
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory.generation';
END;
CREATE TRIGGER resource_changed_update AFTER UPDATE ON resource
BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'directory.generation';
END;

-- Keep resource_fts in step, row by row, except while the meta key 'directory.bulk' exists: a
-- large load sets it, writes its rows and rebuilds the whole index at the end, in one
-- transaction (six times faster than row by row), so no one else ever sees the key.
CREATE TRIGGER resource_fts_insert AFTER INSERT ON resource
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'directory.bulk')
BEGIN
    INSERT INTO resource_fts (rowid, name, organization, categories, description, eligibility)
    VALUES (new.num, new.name, new.organization, new.categories, new.description,
            new.eligibility);
END;
CREATE TRIGGER resource_fts_delete AFTER DELETE ON resource
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'directory.bulk')
BEGIN
    INSERT INTO resource_fts (resource_fts, rowid, name, organization, categories, description,
                              eligibility)
    VALUES ('delete', old.num, old.name, old.organization, old.categories, old.description,
            old.eligibility);
END;
CREATE TRIGGER resource_fts_update AFTER UPDATE ON resource
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'directory.bulk')
BEGIN
    INSERT INTO resource_fts (resource_fts, rowid, name, organization, categories, description,
                              eligibility)
    VALUES ('delete', old.num, old.name, old.organization, old.categories, old.description,
            old.eligibility);
    INSERT INTO resource_fts (rowid, name, organization, categories, description, eligibility)
    VALUES (new.num, new.name, new.organization, new.categories, new.description,
            new.eligibility);
END;
