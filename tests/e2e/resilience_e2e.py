#!/usr/bin/env python3
"""Resilience end to end (issue 7): a full disk and a damaged database, with the real kiosk under
Xvfb (driven like a keyboard-wedge scanner with xdotool, read back with OCR) and the real FHIR
test server (tests/fhir-server/server.mjs, throwaway PKI). Uses the shared rig (kioskrig.py).

  (a) full disk: the data dir is on a small tmpfs the test mounts; a filler file takes the last
      byte; a participant scans: the screen says the kiosk can't save check-ins (and never
      "checked in"), kiosk.db has no row for them, PRAGMA integrity_check is ok, the log names the
      disk and what to do. The filler is deleted; the same card scans again: "You're checked in"
      with no restart, and after sync its Encounter is on the server exactly once; so is that
      of a check-in that waited in the outbox while the sync thread met the full disk.
  (b) damaged database: two check-ins are delivered, two more wait (the server answers 503); the
      kiosk stops, the page holding the clinic's people in the middle of kiosk.db is overwritten;
      at start: the loud log line, kiosk.db.corrupt-<stamp> exists, the log and `kiosk sync
      --once` report "2 unsent item(s) recovered"; the clinic comes back from the server (a
      delivered participant scanning again reads "already checked in") and each of the four
      check-ins is on the server exactly once.

Needs root (mount), Xvfb, xdotool, tesseract, ImageMagick (import), node: exits 77 when not root.
  resilience_e2e.py --kiosk build/bin/kiosk [--artifacts DIR]
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402
from kioskrig import DUPLICATE_SECONDS, db_rows, fold, wait_for  # noqa: E402

SKIP = 77


def screen_text(display, shots, name):
    """A screenshot of the whole display, read with tesseract; folded (see checkin_e2e.fold)."""
    png = shots / f"{name}.png"
    subprocess.run(["import", "-display", display, "-window", "root", str(png)], check=True,
                   timeout=30)
    text = subprocess.run(["tesseract", str(png), "-", "-l", "eng"], capture_output=True,
                          text=True, timeout=60).stdout
    (shots / f"{name}.txt").write_text(text)
    return fold(text)


def wait_screen(display, shots, name, want, timeout=8.0):
    """OCR until every phrase of `want` shows (the result is up for 6 s); the last text."""
    deadline = time.monotonic() + timeout
    n = 0
    while True:
        text = screen_text(display, shots, f"{name}-{n}")
        if all(fold(w) in text for w in want) or time.monotonic() > deadline:
            return text
        n += 1


def fill_disk(path):
    """Writes `path` until the filesystem refuses another byte."""
    with open(path, "ab", buffering=0) as f:
        chunk = b"\0" * 65536
        while True:
            try:
                f.write(chunk)
            except OSError:
                if len(chunk) == 1:
                    return
                chunk = chunk[: len(chunk) // 2]


def full_disk(args, work, server, zone, tokens, xvfb, shots):
    mnt = work / "tmpfs"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mnt)],
                   check=True)
    kiosk = None
    try:
        data = mnt / "data"
        config = rig.write_config(work / "a.toml", server, "kiosk-a", data, zone, interval=5)
        code, out = rig.sync_once(args.kiosk, config)
        if code != 0:
            raise rig.Failure(f"first sync failed: {out}")
        db = data / "kiosk.db"
        kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk-a.log",
                          ["--config", str(config), "--windowed", "1280x800"])
        kiosk.start()
        # One check-in waits in the outbox (the server answers 503), so the sync thread has
        # writes to make while the disk is full.
        server.call("POST", f"{server.origin}/__control/faults",
                    {"faults": [{"action": "status", "status": 503}], "count": 100000},
                    control=True)
        if "confirmed: checked-in" not in kiosk.scan_and_read(tokens[5]):
            raise rig.Failure("pat-5 was not checked in before the disk filled")
        time.sleep(DUPLICATE_SECONDS + 1)
        filler = mnt / "filler"
        fill_disk(filler)
        # The WAL may have room left from earlier writes: empty it, then take that space too.
        con = sqlite3.connect(str(db), timeout=30)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        fill_disk(filler)
        rig.log(f"(a) disk full: {shutil.disk_usage(mnt).free} bytes free")
        server.call("POST", f"{server.origin}/__control/reset", {"data": False, "stats": True},
                    control=True)
        log_at = kiosk.logfile.stat().st_size
        # The 503s above left the sync thread in backoff with full jitter: its next round may be
        # a minute away (27 s has been seen), so wait out the longest it can have drawn.
        wait_for("a sync round on the full disk",
                 lambda: "[sync]" in kiosk.log_text()[log_at:], 90)

        person = "Patient/pat-0"
        text = kiosk.scan_and_read(tokens[0])
        if "confirmed:" in text:
            raise rig.Failure(f"a check-in was confirmed on a full disk:\n{text}")
        seen = wait_screen(xvfb.display, shots, "a1-full", ["save check-ins", "front desk"])
        if "save check-ins" not in seen or "checked in" in seen:
            raise rig.Failure(f"full disk: the screen read {seen!r}")
        rows = db_rows(db, "SELECT count(*) FROM attendance WHERE person_ref = ?", (person,))
        if rows[0][0] != 0:
            raise rig.Failure("full disk: an attendance row was saved for a refused scan")
        if db_rows(db, "PRAGMA integrity_check")[0][0] != "ok":
            raise rig.Failure("full disk: integrity_check is not ok")
        if not re.search(r"The disk holding \S*data is full \([0-9.]+ MB free\): free space",
                         kiosk.log_text()):
            raise rig.Failure("full disk: the log does not name the disk and what to do")
        rig.log("(a) refused with the message, nothing saved, integrity ok, log names the disk")

        filler.unlink()
        time.sleep(DUPLICATE_SECONDS + 1)
        text = kiosk.scan_and_read(tokens[0])
        if f"confirmed: checked-in person={person}" not in text:
            raise rig.Failure(f"after freeing space the card was not checked in:\n{text}")
        seen = wait_screen(xvfb.display, shots, "a2-freed", ["checked in"])
        if "you're checked in" not in seen:
            raise rig.Failure(f"after freeing space the screen read {seen!r}")
        wait_for("the Encounter to be sent", lambda: rig.outbox_pending(db) == 0, 60)
        for who in (person, "Patient/pat-5"):
            key = rig.attendance_identifier("appt-now", who)
            found = server.encounters_with(key)
            if len(found) != 1:
                raise rig.Failure(f"full disk: {len(found)} Encounters on the server for {who}")
        if db_rows(db, "PRAGMA integrity_check")[0][0] != "ok":
            raise rig.Failure("after recovery: integrity_check is not ok")
        rig.log("(a) space freed: checked in without a restart, Encounter on the server once")
    finally:
        if kiosk is not None and kiosk.alive():
            kiosk.stop()
        subprocess.run(["umount", str(mnt)], check=False)


def damage_page_of(db, table):
    """Overwrites the root page of `table` (a small table: all its rows) with junk bytes."""
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * size)
        f.write(b"\x5a" * size)
    return root, pages


def corrupt_db(args, work, server, zone, tokens, xvfb, shots):
    data = work / "b-data"
    config = rig.write_config(work / "b.toml", server, "kiosk-b", data, zone, interval=5)
    code, out = rig.sync_once(args.kiosk, config)
    if code != 0:
        raise rig.Failure(f"first sync failed: {out}")
    db = data / "kiosk.db"
    kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk-b.log",
                      ["--config", str(config), "--windowed", "1280x800"])
    people = {p: f"Patient/pat-{p}" for p in (1, 2, 3, 4)}
    idents = {p: rig.attendance_identifier("appt-now", ref) for p, ref in people.items()}
    try:
        kiosk.start()
        for p in (1, 2):
            if "confirmed: checked-in" not in kiosk.scan_and_read(tokens[p]):
                raise rig.Failure(f"pat-{p} was not checked in")
        wait_for("two Encounters delivered", lambda: rig.outbox_pending(db) == 0, 60)
        faults_from = len(kiosk.log_text())
        server.call("POST", f"{server.origin}/__control/faults",
                    {"faults": [{"action": "status", "status": 503}], "count": 100000},
                    control=True)
        for p in (3, 4):
            time.sleep(0.5)
            if "confirmed: checked-in" not in kiosk.scan_and_read(tokens[p]):
                raise rig.Failure(f"pat-{p} was not checked in")
        wait_for("a sync round to meet the 503s", lambda: "503" in kiosk.log_text()[faults_from:], 60)
        if rig.outbox_pending(db) != 2:
            raise rig.Failure(f"expected 2 waiting items, found {rig.outbox_pending(db)}")
        kiosk.stop()
        root, pages = damage_page_of(db, "person")
        rig.log(f"(b) 2 delivered, 2 waiting; page {root} of {pages} (table person) overwritten")
        server.call("POST", f"{server.origin}/__control/reset", {"data": False, "stats": True},
                    control=True)

        kiosk.start()
        log = kiosk.log_text(whole=False)
        if not re.search(r"kiosk error \[store\] DATABASE DAMAGED: \S+kiosk\.db", log) and \
                "DATABASE DAMAGED" not in log:
            raise rig.Failure(f"no loud line about the damaged database:\n{log[-2000:]}")
        aside = sorted(data.glob("kiosk.db.corrupt-*"))
        if not any(re.fullmatch(r"kiosk\.db\.corrupt-\d{8}T\d{6}", a.name) for a in aside):
            raise rig.Failure(f"no set-aside file in {data}: {[a.name for a in data.iterdir()]}")
        if "2 unsent item(s) recovered, nothing unsent was lost" not in log:
            raise rig.Failure(f"the log does not report the recovered items:\n{log[-2000:]}")
        rig.log(f"(b) at start: loud line, {aside[0].name} set aside, 2 items recovered")
        # One writer per data directory: `kiosk sync --once` runs with the kiosk stopped.
        kiosk.stop()
        code, out = rig.sync_once(args.kiosk, config)
        if code != 0 or "2 unsent item(s) recovered" not in out:
            raise rig.Failure(f"`kiosk sync --once` does not report the recovery ({code}):\n{out}")
        kiosk.start()
        wait_for("the salvaged items to be sent", lambda: rig.outbox_pending(db) == 0, 60)
        wait_for("the clinic to come back",
                 lambda: db_rows(db, "SELECT count(*) FROM person")[0][0] > 0, 60)
        wait_for("the delivered Encounters to come back with a pull",
                 lambda: db_rows(db, "SELECT count(*) FROM attendance WHERE person_ref = ?",
                                 (people[1],))[0][0] > 0, 60)
        text = kiosk.scan_and_read(tokens[1])
        if f"confirmed: already-in person={people[1]}" not in text:
            raise rig.Failure(f"a delivered participant was not 'already checked in':\n{text}")
        seen = wait_screen(xvfb.display, shots, "b1-already", ["already checked in"])
        if "already checked in" not in seen:
            raise rig.Failure(f"after the rebuild the screen read {seen!r}")
        for p, ident in idents.items():
            n = len(server.encounters_with(ident))
            if n != 1:
                raise rig.Failure(f"pat-{p}: {n} Encounters on the server (want exactly 1)")
        if db_rows(db, "PRAGMA integrity_check")[0][0] != "ok":
            raise rig.Failure("the new database fails integrity_check")
        rig.log("(b) rebuilt from the server; 4 check-ins on the server exactly once")
    finally:
        if kiosk.alive():
            kiosk.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--artifacts", help="where to keep screenshots and logs on a failure")
    ap.add_argument("--only", choices=["a", "b"], help="run only (a) full disk or (b) damaged db")
    ap.add_argument("--keep", action="store_true", help="keep the work folder even on success")
    args = ap.parse_args()
    args.kiosk = str(Path(args.kiosk).resolve())
    if os.geteuid() != 0:
        print("SKIP: needs root to mount a small tmpfs", flush=True)
        return SKIP
    rig.install_signal_handlers()
    rig.need_tools("Xvfb", "xdotool", "tesseract", "import", "node", "mount")
    work = Path(tempfile.mkdtemp(prefix="resilience-e2e-"))
    shots = work / "shots"
    shots.mkdir()

    def body(stack):
        server, zone, tokens = rig.one_group_server(work, 6, "Resilience Group")
        stack.callback(server.stop)
        xvfb = rig.Xvfb(work / "xvfb.log")
        stack.callback(xvfb.stop)
        if args.only in (None, "a"):
            full_disk(args, work, server, zone, tokens, xvfb, shots)
        if args.only in (None, "b"):
            corrupt_db(args, work, server, zone, tokens, xvfb, shots)

    return rig.run_e2e("resilience e2e", work, body, args.artifacts, args.keep, ignore=("tmpfs",))


if __name__ == "__main__":
    sys.exit(main())
