-- The audit chain becomes keyed (PRIVACY.md 9). Until now each row's hash was a plain SHA-256
-- over the previous hash and the row, which anyone who can edit kiosk.db can recompute after
-- changing a row. From here on a row's hash is HMAC-SHA256 under the audit key, a file kept
-- outside the data directory ([audit] key_file), so the chain cannot be rebuilt without it.
--
-- Rows written before this migration keep their plain-hash check, up to the boundary recorded
-- here: rows with seq < audit.keyed_from are plain, every later row is keyed (kiosk/store/
-- AuditLog.cpp). The first row at the boundary chains on from the last plain row's hash, so
-- nothing before it can be removed or changed without breaking the link either.
--
-- audit.chain names this database's chain: it goes into every keyed row's HMAC and into the
-- heads sent to the server (`<kiosk id>/<chain>/<seq>`), so a database started anew after
-- damage has a chain of its own instead of clashing with the old one's heads.
--
-- The boundary and the chain are ordinary rows here; the kiosk seals them on its first start
-- with the key (meta audit.seal = HMAC over both), so moving the boundary to pass keyed rows
-- off as plain ones breaks the seal.
INSERT INTO meta (key, value) SELECT 'audit.keyed_from', coalesce(max(seq), 0) + 1 FROM audit;
INSERT INTO meta (key, value) VALUES ('audit.chain', lower(hex(randomblob(8))));
