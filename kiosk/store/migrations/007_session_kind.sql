-- What the lobby may show of a session (PRIVACY.md 13). kind: a 'group' is listed on the public
-- schedule by its name; an 'individual' (one-to-one) appointment never is, and its confirmation
-- says time and room only. The store decides it from codes (the Appointment's "system|code"
-- codings, one a line) under the config's [sessions] rules, else from the enrolment.
-- name_withheld: the lobby shows a neutral label instead of group_name, which names someone
-- enrolled in the session.
--
-- Rows saved before this migration may carry an Appointment's free-text description as their
-- name: they keep codes NULL, which the store reads as "name withheld" until the session is
-- saved again, and the next pull is a full one, which saves every session of the week again.
-- The built-in demo lays its clinic out anew.
ALTER TABLE session ADD COLUMN kind TEXT NOT NULL DEFAULT 'individual'
    CHECK (kind IN ('group', 'individual'));
ALTER TABLE session ADD COLUMN codes TEXT;
ALTER TABLE session ADD COLUMN name_withheld INTEGER NOT NULL DEFAULT 1
    CHECK (name_withheld IN (0, 1));
DELETE FROM meta WHERE key = 'sync.full_at';
DELETE FROM meta WHERE key = 'demo_seeded_at';
