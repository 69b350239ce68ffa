#!/usr/bin/env python3
"""End-to-end staff test: sign in on the real kiosk binary under Xvfb, open a roster, fix one by
hand, and wait out the idle lock (issue 5; SCREENS.md 4-6, PRIVACY.md 7-9).

Uses the shared rig (kioskrig.py): X server, kiosk, keyboard (xdotool), screenshots and OCR.

  1. two participants check in at the lobby (green)
  2. "Staff" on the welcome screen asks for a badge; a participant's card is refused there and
     checks nobody in
  3. a facilitator's badge opens the PIN pad; a wrong PIN (typed on the keyboard) says so and is
     counted; the PIN being typed shows as dots, never as digits; the right PIN opens home
  4. Rosters: today's sessions open on the running group, "2 of 17 arrived", past the ended
     rows the demo lays before it at the clock's hour (--at, 17:45 by default); the group's
     roster; a manual check-in with a reason (source 'manual', the facilitator as recorded_by, a provenance item,
     an attendance_change row, an audit row); paging on, OCR finds the statuses of the people
     checked in earlier ("Arrived H:MM")
  5. no input: the countdown shows in the last 15 s, then the screen locks itself; OCR finds no
     participant's name anywhere on the lobby screen
  Then: `kiosk audit verify` says the chain holds (exit 0) and names the row of a tampered copy
  (exit 1).

  staff_e2e.py --kiosk build/bin/kiosk --assets assets [--at HH:MM|now] [--artifacts DIR] [--keep]
"""

import argparse
import concurrent.futures
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kioskrig import (  # noqa: E402  (the shared rig)
    HEIGHT, MAX_LATENCY, MISSING_TOOL, WIDTH, Demo, Failure, Run, add_screen_options,
    check_stopped_kiosk, contains, expect, fold, last_log_line, log, look, missing_screen_tools,
    until_text, word_at)

IDLE_LOCK = 90   # the default [staff] idle_lock_seconds (assets/demo/kiosk.toml keeps it)
COUNTDOWN = 15   # the countdown shows this long before the lock


def scan(run, payload):
    """A card, typed as slowly as a person types (60 ms a key), then Enter: the kiosk reads that
    as a scan too (typed text + Enter), whatever the kiosk is drawing meanwhile
    (kiosk/scan/KeyScanAssembler)."""
    run.check_alive()
    run.xdo(["windowfocus", "--sync", run.window])
    run.xdo(["type", "--delay", "60", "--", payload], timeout=20)
    sent = time.monotonic()
    run.xdo(["key", "Return"])
    return sent


def scan_expect(run, payload, what, tone=None, phrase=None):
    """Scans once and waits until the screen shows `tone` or OCR finds `phrase`. A scan read
    wrong is a failure: the kiosk reads every scan whole, so it is never scanned again."""
    t = scan(run, payload)
    if tone is None:
        return until_text(run, what, phrase, 3)
    deadline = t + MAX_LATENCY
    seen = None
    while time.monotonic() < deadline:
        seen = run.tone(run.grab())
        if seen in (tone, "front-desk"):
            break
        time.sleep(0.05)
    if seen != tone:
        raise Failure(f"{what}: the scan was read as {seen}; the kiosk's log: {last_log_line(run)}")
    return None


def process_group_row(words, room_word, fallback_y=292):
    """The y of the "Process" word whose row's room line (just below it) names `room_word`."""
    rooms = [y for word, x, y in words if fold(word).strip(".,") == fold(room_word)]
    for word, x, y in words:
        if fold(word) == "process" and any(0 < ry - y < 45 for ry in rooms):
            return y
    log(f"    (no Process Group row in the {room_word} room found by OCR: using y={fallback_y})")
    return fallback_y


def run_steps(run, demo):
    jose = demo.card("participant", "José Núñez")
    linda = demo.card("participant", "Linda Patterson")
    andre = demo.card("participant", "Andre Jackson")
    rosa = demo.card("facilitator", "Rosa Delgado")
    rosa_ref = demo.ref(rosa["token"])
    expect(rosa_ref == "Practitioner/prac-01", f"Rosa's badge maps to {rosa_ref}")

    # 1. Two check-ins at the lobby --------------------------------------------------------------
    log("1. two participants check in")
    run.wait_tone("welcome", time.monotonic(), 5, "welcome")
    welcome = look(run, "welcome", must=["Scan your card", "Staff"], names_must_not=True)
    for card in (jose, linda):
        scan_expect(run, card["token"], f"check-in {card['name']}", tone="checked-in")
        t = run.tap(WIDTH / 2, HEIGHT * 0.75)
        run.wait_tone("welcome", t, 3, "tap to close")
        time.sleep(1.0)
    arrived = {r[0] for r in run.query("SELECT DISTINCT person_ref FROM attendance WHERE source = 'scan'")}
    expect(arrived == {demo.ref(jose["token"]), demo.ref(linda["token"])}, f"scanned attendance for {arrived}")

    # 2. Staff -> badge; a participant's card is refused there ----------------------------------
    log("2. Staff, then a participant's card at the badge step")
    x, y = word_at(welcome[1], "Staff", (626, 739), below=HEIGHT * 0.8)
    run.tap(x, y)
    until_text(run, "badge", "Scan your staff badge", 5)
    before = run.counts()
    scan_expect(run, andre["token"], "badge-participant", phrase="participant's card")
    expect(run.counts()["attendance"] == before["attendance"], "a participant's card at the badge step checked in")
    refused = run.query("SELECT count(*) FROM audit WHERE action = 'staff-sign-in-refused' AND subject = ?",
                        (demo.ref(andre["token"]),))[0][0]
    expect(refused == 1, f"expected one 'staff-sign-in-refused' audit row for Andre, found {refused}")

    # 3. Badge, wrong PIN, right PIN ------------------------------------------------------------
    log("3. badge and PIN")
    scan_expect(run, rosa["token"], "pin", phrase="Enter your PIN")
    run.xdo(["type", "--delay", "120", "--", "0000"])
    run.xdo(["key", "Return"])
    until_text(run, "wrong-pin", "Wrong PIN", 8)
    failures = run.query("SELECT failures FROM staff_pin_lock WHERE person_ref = ?", (rosa_ref,))
    expect(failures == [(1,)], f"staff_pin_lock after one wrong PIN: {failures}")
    run.xdo(["type", "--delay", "120", "--", rosa["pin"]])
    time.sleep(1.2)  # typed slowly enough to be text, not a scanner's burst
    folded, _ = look(run, "pin-typed", must=["Enter your PIN"])
    expect(rosa["pin"] not in folded.replace(" ", ""), "the PIN pad shows the PIN's digits")
    run.xdo(["key", "Return"])
    folded, words = until_text(run, "home", "Rosters", 8, also=["Kiosk status", "Sign out", "Rosa Delgado"])
    signed = run.query("SELECT count(*) FROM audit WHERE action = 'staff-sign-in' AND actor = ?", (rosa_ref,))[0][0]
    expect(signed == 1, f"expected one 'staff-sign-in' audit row, found {signed}")
    expect(run.query("SELECT failures FROM staff_pin_lock WHERE person_ref = ?", (rosa_ref,)) == [(0,)],
           "a good PIN did not reset the wrong-PIN count")

    # 4. Rosters ----------------------------------------------------------------------------------
    log("4. rosters")
    run.tap(*word_at(words, "Rosters", (230, 310)))
    folded, words = until_text(run, "sessions", "Today's rosters", 5, also=["Process Group", "2 of 17 arrived"])
    # The block's Process Group is the one in the Oak Room: at some hours the demo also lays an
    # earlier Process Group (Willow Room) on the same day, listed first.
    gy = process_group_row(words, "Oak")
    run.tap(WIDTH / 2, gy)
    folded, words = until_text(run, "roster", "Process Group, Oak Room", 5, also=["Not yet", "Check in"])
    views = run.query("SELECT count(*) FROM audit WHERE action = 'roster-view' AND actor = ?", (rosa_ref,))[0][0]
    expect(views == 1, f"expected one 'roster-view' audit row, found {views}")

    # A manual check-in for the first person not yet here (sorted by status: first on the page).
    first_row_y = word_at(words, "Check", (1177, 326), below=280)[1]
    run.tap(1177, first_row_y)
    folded, words = until_text(run, "fix-dialog", "Check in by hand", 5, also=["Forgot card", "Why?"])
    who = re.search(r"check in by hand: (.+)", folded)
    run.tap(*word_at(words, "Forgot", (108, 233)))
    time.sleep(0.5)
    why_y = word_at(words, "Why?", (60, 177))[1]
    run.tap(*word_at(words, "Check", (95, 333), below=why_y + 40))
    until_text(run, "fixed", "checked in by hand", 5)
    manual = run.query("SELECT person_ref, session_id FROM attendance WHERE source = 'manual' AND recorded_by = ?",
                       (rosa_ref,))
    expect(len(manual) == 3, f"a manual check-in should cover the 3 sessions of the block: {manual}")
    person = manual[0][0]
    prov = run.query("SELECT count(*) FROM outbox o JOIN attendance a ON a.identifier = o.subject "
                     "WHERE o.kind = 'provenance' AND a.person_ref = ? AND o.payload LIKE '%forgot card%'",
                     (person,))[0][0]
    expect(prov == 3, f"expected 3 provenance outbox items for {person}, found {prov}")
    changes = run.query("SELECT count(*) FROM attendance_change WHERE person_ref = ? AND activity = 'check-in' "
                        "AND reason_code = 'forgot-card' AND staff_ref = ?", (person, rosa_ref))[0][0]
    expect(changes == 3, f"expected 3 attendance_change rows, found {changes}")
    audit = run.query("SELECT detail FROM audit WHERE action = 'manual-check-in' AND actor = ? AND subject = ?",
                      (rosa_ref, person))
    expect(len(audit) == 1 and "forgot card" in audit[0][0], f"manual-check-in audit: {audit}")
    log(f"    {who.group(1) if who else person} checked in by hand: 3 rows, 3 provenance items, audited")

    # Page on to the people who arrived (sorted last): their statuses as OCR reads them.
    # What each arrival's status must read: "Arrived H:MM" at their check-in time (the kiosk
    # shows local time; this script runs in the same time zone).
    expected = {}
    for name, card in (("Jose N", jose), ("Linda Patterson", linda)):
        at = run.query("SELECT min(checked_in_at) FROM attendance WHERE person_ref = ? AND source = 'scan'",
                       (demo.ref(card["token"]),))[0][0]
        t = time.localtime(at)
        expected[name] = f"arrived {t.tm_hour % 12 or 12}:{t.tm_min:02d}"
    seen = {}
    t_last_input = time.monotonic()
    def shows(folded, status):
        return re.search(re.escape(status) + r"(?![0-9])", folded.replace(".", ":")) is not None

    for page in range(6):
        time.sleep(0.4)  # three frames after the last input have been drawn by then
        ppm = run.grab()
        folded, words = run.look(ppm, f"roster-page{page + 1}", names_must_not=False).result()
        # OCR may read a row's name and its status pill as separate columns: the page must hold
        # the name and that person's status, wherever it places them. White text on a green
        # pill is the hardest for OCR: a page that shows the name but not the status is read
        # again with the other preparations (grey, thresholded) before it counts as missing.
        for name, status in expected.items():
            if not contains(folded, name):
                continue
            if shows(folded, status):
                seen[name] = status
                continue
            job = run.look(ppm, f"roster-page{page + 1}-again", must=[status], names_must_not=False)
            try:
                again, _ = job.result()
                if shows(again, status):
                    seen[name] = status
            except Failure:
                run.ocr_jobs.remove(job)
        if len(seen) == len(expected):
            break
        x, y = word_at(words, "›", (282, 690), below=HEIGHT * 0.6)
        t_last_input = run.tap(x, y)
    expect(len(seen) == len(expected), f"paging through the roster did not show {expected} (saw {seen})")
    log(f"    statuses: {seen}")

    # 5. The idle lock ----------------------------------------------------------------------------
    log("5. no input: countdown, then the lock")
    time.sleep(max(0.0, t_last_input + IDLE_LOCK - COUNTDOWN + 3 - time.monotonic()))
    look(run, "countdown", must=["Locking in", "Touch the screen"])
    deadline = t_last_input + IDLE_LOCK + 6
    while True:
        time.sleep(0.5)
        ppm = run.grab()
        text, _ = run.ocr(ppm, str(run.shot_path("lock-wait").with_suffix("")))
        if contains(fold(text), "Scan your card"):
            break
        if time.monotonic() > deadline:
            raise Failure(f"the staff screen did not lock within {IDLE_LOCK} s of the last input:\n{text}")
    log(f"    locked {time.monotonic() - t_last_input:.1f} s after the last input")
    run.look(ppm, "locked", must=["Scan your card", "Today's groups"],
             must_not=["Sign out", "Roster", "Rosa Delgado", "Arrived", "Not yet"],
             names_must_not=True).result()
    lock = run.query("SELECT detail FROM audit WHERE action = 'staff-lock' AND actor = ?", (rosa_ref,))
    expect(len(lock) == 1 and lock[0][0].startswith("idle"), f"staff-lock audit rows: {lock}")


def after_stop(run, status):
    log("6. kiosk audit verify")
    # Staff saw names on the rosters all along; none of them may be in the log at info level.
    check_stopped_kiosk(run, status)
    ok = subprocess.run([run.args.kiosk, "audit", "verify", "--data-dir", str(run.data),
                         "--key", str(run.demo_key)], capture_output=True, text=True, timeout=30)
    expect(ok.returncode == 0 and "OK" in ok.stdout, f"audit verify on the kiosk's data: {ok.returncode} {ok.stdout}{ok.stderr}")
    log(f"    {ok.stdout.strip()}")
    tampered = run.work / "tampered"
    tampered.mkdir()
    shutil.copy(run.db, tampered / "kiosk.db")
    con = sqlite3.connect(tampered / "kiosk.db")
    con.executescript("DROP TRIGGER audit_no_update; "
                      "UPDATE audit SET detail = 'nothing to see' WHERE seq = 3;")
    con.close()
    bad = subprocess.run([run.args.kiosk, "audit", "verify", "--data-dir", str(tampered),
                          "--key", str(run.demo_key)], capture_output=True, text=True, timeout=30)
    expect(bad.returncode == 1 and "row 3" in bad.stdout, f"audit verify on a tampered copy: {bad.returncode} {bad.stdout}{bad.stderr}")
    log(f"    tampered copy: {bad.stdout.strip()}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # At 17:45 the demo lays the evening before's six sessions early on today's list: the
    # rosters page must open past them, on the running group.
    add_screen_options(ap, "17:45")
    args = ap.parse_args()
    missing = missing_screen_tools()
    if missing:
        print(f"FAIL: {missing} not installed (run .ci/test, which installs them)", flush=True)
        return MISSING_TOOL

    run = Run(args)
    ok = False
    stopped = False
    try:
        run.demo = Demo(args.assets)
        log(f"e2e staff test in {run.work}")
        run.start_xvfb()
        run.start_kiosk()
        run_steps(run, run.demo)  # every OCR check in it is waited for where it is made
        status = run.stop()
        stopped = True
        after_stop(run, status)
        ok = True
    except (Failure, subprocess.TimeoutExpired, subprocess.CalledProcessError,
            concurrent.futures.TimeoutError) as e:
        print(f"\nFAIL: {e}", flush=True)
    finally:
        if not stopped:
            run.stop()
        run.ocr_pool.shutdown(wait=True, cancel_futures=True)
        elapsed = time.monotonic() - run.t0
        if ok and not args.keep:
            shutil.rmtree(run.work, ignore_errors=True)
            print(f"PASS in {elapsed:.1f} s", flush=True)
        else:
            print(f"{'PASS' if ok else 'FAILED'} in {elapsed:.1f} s; screenshots, OCR text and the "
                  f"kiosk's log are in {run.work}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
