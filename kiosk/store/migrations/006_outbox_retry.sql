-- Outbox items are independent (issue 12): one the server refuses or fails on waits with its own
-- backoff while the others go on. An item the server will not take from this kiosk at all
-- (401/403/404/405: a missing scope or resource type) is parked as blocked, shown to staff with
-- the server's words, and tried again only rarely; it never holds another item back.
ALTER TABLE outbox ADD COLUMN next_try_at INTEGER NOT NULL DEFAULT 0;  -- not before (epoch s)
ALTER TABLE outbox ADD COLUMN failures    INTEGER NOT NULL DEFAULT 0;  -- failed sends in a row
ALTER TABLE outbox ADD COLUMN blocked     INTEGER NOT NULL DEFAULT 0;  -- parked: see last_error
CREATE INDEX outbox_due ON outbox (state, next_try_at, seq);
