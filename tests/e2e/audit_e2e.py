#!/usr/bin/env python3
"""The keyed audit log end to end (issue 12 item 6, PRIVACY.md 9): the real kiosk under Xvfb
(scans typed like a keyboard-wedge scanner) and the real FHIR test server (throwaway PKI), with
the real `kiosk audit` commands. Uses the shared rig (kioskrig.py).

  1. a configured kiosk whose audit key file is missing does not start: the error names the file
     and `kiosk audit init-key --out FILE`; that command makes a 0640 key of 32 bytes and refuses
     to overwrite it;
  2. four check-ins; the sync thread sends the audit log's head as an AuditEvent (tag
     urn:iop-kiosk:audit-head|<kiosk>/<chain>/<seq>), one per head; `kiosk audit verify --config`
     says OK against the server's newest head and leaves kiosk.db byte for byte as it was;
  3. the log cut short after its head went to the server (trigger dropped, last rows deleted):
     the chain alone still holds (`--key`, exit 0, says it was not checked against the server),
     but `--config` reports TRUNCATED with the rows removed, exit 1;
  4. a row rewritten with a recomputed plain SHA-256 (what the unkeyed chain allowed): exit 1,
     BROKEN at that row; usage errors exit 2.

Needs Xvfb, xdotool, node (npm ci in tests/fhir-server).
  audit_e2e.py --kiosk build/bin/kiosk [--artifacts DIR]
"""

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402

KIOSK_ID = "audit-e2e"
HEAD = "urn:iop-kiosk:audit-head"


run = rig.run_command
expect = rig.expect_logged


def server_heads(server):
    """tag code -> AuditEvent, for every head of this kiosk the server holds."""
    q = urllib.parse.quote(f"urn:iop-kiosk:device|{KIOSK_ID}", safe="")
    heads, url = {}, f"{server.base}/AuditEvent?_tag={q}&_count=1000"
    while url:
        page = server.call("GET", url)
        for e in page.get("entry", []):
            for tag in e["resource"]["meta"].get("tag", []):
                if tag["system"] == HEAD:
                    heads.setdefault(tag["code"], []).append(e["resource"])
        url = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
    return heads


def db_value(db, sql):
    return rig.db_rows(db, sql)[0][0]


def digest(paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.exists() else b"<none>")
    return h.hexdigest()


def plain_hash(prev, seq, at, actor, action, subject, detail):
    """The unkeyed row hash (kiosk/store/AuditLog.cpp before migration 008)."""
    buf = prev
    for field in (str(seq), str(at), actor, action, subject, detail):
        buf += f"|{len(field.encode())}:{field}"
    return hashlib.sha256(buf.encode()).hexdigest()


def key_and_start(args, work, config, key, xvfb):
    """Step 1: no key, no start; init-key makes one and keeps it."""
    key.unlink()
    env = dict(os.environ, DISPLAY=xvfb.display, SDL_AUDIODRIVER="dummy")
    code, out = run([args.kiosk, "--config", str(config), "--windowed", "1280x800"], 60, env)
    expect(code != 0 and str(key) in out and f"audit init-key --out {key}" in out,
           "without its key file the kiosk does not start, naming the file and the command", out)
    code, out = run([args.kiosk, "audit", "init-key", "--out", str(key)])
    expect(code == 0 and key.stat().st_size == 32 and (key.stat().st_mode & 0o777) == 0o640,
           "audit init-key made a key: 32 bytes, mode 0640", out)
    before = key.read_bytes()
    code, out = run([args.kiosk, "audit", "init-key", "--out", str(key)])
    expect(code == 1 and "already exists" in out and key.read_bytes() == before,
           "audit init-key refuses to overwrite a key", out)


def check_in(args, work, config, tokens, xvfb, server, db):
    """Step 2: four check-ins; their head reaches the server."""
    kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk.log",
                      ["--config", str(config), "--windowed", "1280x800"])
    kiosk.start()
    try:
        for p in range(4):
            text = kiosk.scan_and_read(tokens[p])
            expect("confirmed: checked-in" in text, f"pat-{p} checked in", text[-1500:])
        last = db_value(db, "SELECT max(seq) FROM audit")
        chain = db_value(db, "SELECT value FROM meta WHERE key = 'audit.chain'")
        want = f"{KIOSK_ID}/{chain}/{last}"
        deadline = time.monotonic() + 60
        while want not in server_heads(server):
            if time.monotonic() > deadline:
                raise rig.Failure(f"the head {want} did not reach the server: "
                                  f"{sorted(server_heads(server))}")
            time.sleep(0.5)
    finally:
        kiosk.stop()
    heads = server_heads(server)
    expect(all(len(v) == 1 for v in heads.values()), "one AuditEvent per head, none twice",
           json.dumps({k: len(v) for k, v in heads.items()}))
    event = heads[want][0]
    detail = {d["type"]: d["valueString"] for d in event["entity"][0]["detail"]}
    stored = db_value(db, f"SELECT hash FROM audit WHERE seq = {last}")
    expect(detail["hash"] == stored and detail["hash-kind"] == "hmac-sha256",
           f"the head on the server is row {last}'s keyed hash", json.dumps(event))
    expect("Patient/" not in json.dumps(event), "the AuditEvent names nobody")
    return last


def verify_ok(args, config, db, last):
    """Step 2's end: OK against the server's head, and kiosk.db untouched."""
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
    before = digest(files)
    version = db_value(db, "PRAGMA user_version")
    code, out = run([args.kiosk, "audit", "verify", "--config", str(config)])
    expect(code == 0 and "OK:" in out and f"newest head of this log is row {last}" in out,
           f"audit verify --config: OK, the server's head at row {last} agrees", out)
    expect(digest(files) == before and db_value(db, "PRAGMA user_version") == version,
           "audit verify left kiosk.db as it was (read-only, not migrated)")


def cut_short(args, work, config, key, db, last):
    """Step 3: the last two rows removed after the head went to the server."""
    shutil.copy(db, work / "intact.db")
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_no_delete")
    con.execute(f"DELETE FROM audit WHERE seq > {last - 2}")
    con.commit()
    con.close()
    code, out = run([args.kiosk, "audit", "verify", "--data-dir", str(db.parent), "--key", str(key)])
    expect(code == 0 and "not checked against the server" in out,
           "the shortened chain still holds by itself (--key only)", out)
    code, out = run([args.kiosk, "audit", "verify", "--config", str(config)])
    expect(code == 1 and "TRUNCATED" in out and f"rows {last - 1} to {last} were removed" in out,
           "audit verify --config: TRUNCATED against the server's head, exit 1", out)
    shutil.copy(work / "intact.db", db)


def rewrite_plain(args, work, key, db):
    """Step 4: the last row changed and given a recomputed plain hash."""
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_no_update")
    seq, at, actor, action, _subject, detail, prev = con.execute(
        "SELECT seq, at, actor, action, subject, detail, prev_hash FROM audit "
        "ORDER BY seq DESC LIMIT 1").fetchone()
    forged = plain_hash(prev, seq, at, actor, action, "Patient/someone-else", detail)
    con.execute("UPDATE audit SET subject = 'Patient/someone-else', hash = ? WHERE seq = ?",
                (forged, seq))
    con.commit()
    con.close()
    code, out = run([args.kiosk, "audit", "verify", "--data-dir", str(db.parent), "--key", str(key)])
    expect(code == 1 and f"BROKEN at row {seq}" in out and "without the key" in out,
           "a row rewritten with a recomputed plain hash: BROKEN, exit 1", out)


def usage_errors(args, work, key, data):
    for argv, what in (([], "neither --config nor --key"),
                       (["--key", str(work / "none.key"), "--data-dir", str(data)], "no key"),
                       (["--key", str(key), "--data-dir", str(work / "nowhere")], "no database")):
        code, out = run([args.kiosk, "audit", "verify"] + argv)
        expect(code == 2, f"usage: {what} exits 2", out)
    expect(not (work / "nowhere").exists(), "verify made no data directory")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--artifacts", help="where to keep logs on a failure")
    args = ap.parse_args()
    args.kiosk = str(Path(args.kiosk).resolve())
    rig.install_signal_handlers()
    rig.need_tools("Xvfb", "xdotool", "node")
    work = Path(tempfile.mkdtemp(prefix="audit-e2e-"))

    def body(stack):
        server, zone, tokens = rig.one_group_server(work, 4, "Audit Group")
        stack.callback(server.stop)
        xvfb = rig.Xvfb(work / "xvfb.log")
        stack.callback(xvfb.stop)
        data = work / "data"
        config = rig.write_config(work / "kiosk.toml", server, KIOSK_ID, data, zone, interval=5,
                                  head_minutes=0)
        key = Path(f"{config}.audit.key")

        key_and_start(args, work, config, key, xvfb)
        code, out = rig.sync_once(args.kiosk, config)
        expect(code == 0, "kiosk sync --once pulled the clinic", out)
        db = data / "kiosk.db"
        last = check_in(args, work, config, tokens, xvfb, server, db)

        verify_ok(args, config, db, last)
        cut_short(args, work, config, key, db, last)
        rewrite_plain(args, work, key, db)
        usage_errors(args, work, key, data)

    return rig.run_e2e("audit e2e", work, body, args.artifacts)


if __name__ == "__main__":
    sys.exit(main())
