#!/usr/bin/env python3
"""End-to-end check-in test: drives the real kiosk binary under Xvfb the way a person would.

It starts its own X server (Xvfb, display number chosen by the server through -displayfd) and the
kiosk on the demo clinic with a fresh data dir, then types card tokens the way a USB keyboard-wedge
scanner does (xdotool), reads the screen back with OCR (tesseract) and checks kiosk.db (sqlite3).

  1. welcome screen: prompt, schedule, no participant's name (PRIVACY 1, 4)
  2. a morning participant checks in: green result naming the group, not the person; 3 attendance
     rows (source 'scan'), 3 pending outbox rows, an audit 'check-in' row
  3. the same card again within the duplicate window repeats the green answer and writes nothing;
     after the window it reads "already checked in (since ...)" and still writes nothing
  4. garbage (over the amber answer: the newest scan wins), and a revoked card:
     "Please see the front desk", nothing written to attendance, nothing of the payload shown back
     (PRIVACY 3, 12); a tap closes a result
  5. a result clears itself after ~6 s and the welcome screen is back (PRIVACY 2)
  6. Spanish: "Español" on the welcome screen (found by its colour), another participant checks in,
     "... registrada"; after it clears the welcome screen is English again
  7. SIGTERM stops the kiosk cleanly; the local store and the log hold none of the scanned raw
     tokens (PRIVACY 11); the audit rows' hash chain links up
  8. a card typed while the previous answer clears is read whole (one scan, never repeated)

OCR runs in the background, one screenshot at a time, while the screen keeps being watched (each
result is only up for 6 s); every OCR check is waited for before the test passes.

Needs Xvfb, xdotool, tesseract (+eng; +spa is used when installed), ImageMagick (import, convert).
Exits non-zero with the missing tool named when one of them is missing. Standard library only.

  checkin_e2e.py --kiosk build/bin/kiosk --assets assets [--artifacts DIR] [--keep]

On a failure the screenshots (shots/NN-name.png, with the OCR text next to them), the kiosk's log
and its data dir are kept: in --artifacts DIR when given (ctest: build/tests/e2e/
checkin_e2e_artifacts), else in a temporary folder; the message names it.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kioskrig import (  # noqa: E402  (the shared rig)
    BUTTON, DUPLICATE_SECONDS, HEIGHT, MAX_LATENCY, MISSING_TOOL, RESULT_MIN, RESULT_SECONDS, WIDTH,
    Demo, Failure, Run, add_screen_options, check_stopped_kiosk, contains, expect, log,
    missing_screen_tools)


def find_language_button(ppm):
    """The welcome screen's language buttons sit bottom-left (kiosk/ui/WelcomeScreen.cpp); the one
    not chosen has the plain button colour (kButton in kiosk/ui/Palette.h)."""
    found = Run.find_colour(ppm, BUTTON, (0, int(HEIGHT * 0.8), WIDTH // 2, HEIGHT))
    if found:
        return found[0], found[1], "by its colour"
    return WIDTH * 226 / 1280, HEIGHT * 739 / 800, "from the 1280x800 layout"


def run_steps(run, demo):
    jose = demo.card("participant", "José Núñez")
    jose_ref = demo.ref(jose["token"])
    expect(jose_ref == "Patient/pat-01", f"José's card maps to {jose_ref}, expected Patient/pat-01")
    jose_sessions = demo.sessions_for(jose_ref)
    expect(len(jose_sessions) == 3, f"José is in {jose_sessions} of the demo block, expected 3 sessions")
    revoked = demo.card("revoked")
    staff = demo.card("facilitator")
    other, other_ref = demo.other_morning_participant(jose_ref)
    other_sessions = demo.sessions_for(other_ref)
    spa = "spa" in run.langs
    es_lang = "spa+eng" if spa else "eng"
    jose_name_forms = ("José", "Jose", "Núñez", "Nunez")

    # 1. Welcome -------------------------------------------------------------------------------
    log("1. welcome screen")
    ppm, _ = run.wait_tone("welcome", time.monotonic(), 5, "welcome")

    def has_group(folded):
        if not any(contains(folded, g) for g in demo.group_names):
            return f"none of the block's groups {demo.group_names} is on the schedule"
        return None

    run.look(ppm, "welcome", must=["Scan your card", "Today's groups"], check=has_group)
    before = run.counts()
    expect(not run.query("SELECT 1 FROM attendance WHERE source = 'scan'"),
           "a fresh demo database already holds scanned attendance")

    # 2. Check in ------------------------------------------------------------------------------
    log(f"2. check in: {jose_ref}, {len(jose_sessions)} sessions")
    t_scan = run.scan(jose["token"])
    ppm, jose_latency = run.wait_tone("checked-in", t_scan, MAX_LATENCY, "check-in")
    log(f"    green result {jose_latency:.2f} s after Enter")
    run.look(ppm, "checked-in", must=["checked in", "Process Group"],
             must_not=jose_name_forms + (jose["token"][3:15],))
    rows = run.query("SELECT identifier, session_id FROM attendance WHERE person_ref = ? AND source = 'scan'",
                     (jose_ref,))
    expect(len(rows) == 3, f"expected 3 scanned attendance rows for {jose_ref}, found {len(rows)}: {rows}")
    expect(sorted(r[1] for r in rows) == jose_sessions,
           f"checked in to {sorted(r[1] for r in rows)}, expected {jose_sessions}")
    ids = sorted(r[0] for r in rows)
    out = run.query("SELECT subject FROM outbox WHERE kind = 'encounter' AND state = 'pending'")
    expect(sorted(o[0] for o in out) == ids,
           f"pending encounter outbox subjects {sorted(o[0] for o in out)} != attendance ids {ids}")
    audit = run.query("SELECT action, subject, detail FROM audit WHERE action = 'check-in' AND subject = ?",
                      (jose_ref,))
    expect(len(audit) == 1, f"expected one audit 'check-in' row for {jose_ref}, found {audit}")
    after_checkin = run.counts()
    expect(after_checkin["attendance"] == before["attendance"] + 3,
           f"attendance grew {before['attendance']} -> {after_checkin['attendance']}, expected +3")
    log(f"    db: 3 attendance rows (scan), 3 pending outbox rows, audit {audit[0]}")

    # 3. Same card again: within the duplicate window, then after it ---------------------------
    log("3. same card again, 4 s later (within the duplicate window)")
    time.sleep(max(0.0, t_scan + 4.0 - time.monotonic()))
    t_rep = run.scan(jose["token"])
    ppm, _ = run.wait_tone("checked-in", t_rep, MAX_LATENCY, "duplicate scan")
    time.sleep(0.7)  # let a wrongly recorded second check-in land before counting
    expect(run.counts() == after_checkin,
           f"a repeat scan within {DUPLICATE_SECONDS} s wrote rows: {after_checkin} -> {run.counts()}")
    # The repeat restarts the result's timer: once the first answer would have cleared, the screen
    # must still show the green answer. The first clears at the latest 6 s after it was processed
    # (by when it showed); the repeat at the earliest RESULT_MIN after its Enter.
    lo = t_scan + jose_latency + RESULT_SECONDS + 0.1
    hi = t_rep + RESULT_MIN - 0.1
    if hi - lo >= 0.4:
        time.sleep(max(0.0, (lo + hi) / 2 - 0.1 - time.monotonic()))
        t_grab = time.monotonic()
        ppm = run.grab()
        grabbed = time.monotonic()
        tone = run.tone(ppm)
        if lo <= t_grab and grabbed <= hi:
            if tone != "checked-in":
                raise Failure(f"duplicate scan: {grabbed - t_scan:.1f} s after the first scan and "
                              f"{grabbed - t_rep:.1f} s after the repeat the screen is {tone}, expected "
                              f"the repeated green answer (see {run.save(ppm, 'duplicate-repeat')})")
            log(f"    still green {grabbed - t_scan:.1f} s after the first scan: the answer was repeated")
            run.look(ppm, "duplicate-repeat", must=["checked in"], must_not=jose_name_forms)
        else:
            log("    (timer-restart check inconclusive: the screenshot took too long)")
    else:
        log("    (skipped the timer-restart check: the first answer or the repeat came too late)")

    log(f"3. same card again, after the {DUPLICATE_SECONDS} s window")
    # Waits for the state this step needs: the repeated answer gone, the duplicate window over.
    run.wait_tone("welcome", t_rep, RESULT_SECONDS + MAX_LATENCY + 2, "repeat clears",
                  not_before=t_rep + RESULT_MIN)
    time.sleep(max(0.0, t_scan + DUPLICATE_SECONDS + 0.8 - time.monotonic()))
    t_again = run.scan(jose["token"])
    ppm, latency = run.wait_tone("already-in", t_again, MAX_LATENCY, "already checked in")
    log(f"    amber result {latency:.2f} s after Enter")

    def has_since(folded):
        if not re.search(r"since \d{1,2}[:.]\d{2}", folded):
            return "no 'since H:MM'"
        return None

    run.look(ppm, "already-in", must=["already checked in"], must_not=jose_name_forms, check=has_since)
    time.sleep(0.3)
    now_counts = run.counts()
    expect(now_counts["attendance"] == after_checkin["attendance"]
           and now_counts["outbox"] == after_checkin["outbox"],
           f"'already checked in' wrote rows: {after_checkin} -> {now_counts}")

    # 4. Not a card, a revoked card ------------------------------------------------------------
    # (A staff badge opens staff sign-in instead: tests/e2e/staff_e2e.py covers it.)
    garbage = "'; DROP TABLE attendance; --"
    refusals = [("garbage", garbage, None),
                ("revoked", revoked["token"], demo.ref(revoked["token"]))]
    t_enter = None
    for i, (label, payload, ref) in enumerate(refusals):
        log(f"4. {label}" + (f" ({ref})" if ref else ": " + payload))
        counts_before = run.counts()
        t_enter = run.scan(payload)
        # The first one arrives over the amber answer: the newest scan wins (SCREENS 3).
        ppm, latency = run.wait_tone("front-desk", t_enter, MAX_LATENCY, label)
        log(f"    red result {latency:.2f} s after Enter")
        run.look(ppm, label, must=["Please see the front desk"],
                 must_not=("checked in", "DROP TABLE", "not found", "revoked", "discharged",
                           payload[3:15] if ref else "attendance"))
        time.sleep(0.3)
        now_counts = run.counts()
        expect(now_counts["attendance"] == after_checkin["attendance"]
               and now_counts["outbox"] == counts_before["outbox"],
               f"{label}: attendance/outbox changed {counts_before} -> {now_counts}")
        if ref:
            expect(not run.query("SELECT 1 FROM attendance WHERE person_ref = ? AND source = 'scan'", (ref,)),
                   f"{label}: a scanned attendance row exists for {ref}")
        new_audit = run.query("SELECT action, subject, detail FROM audit WHERE seq > ?",
                              (run.query("SELECT coalesce(max(seq), 0) FROM audit")[0][0]
                               - (now_counts["audit"] - counts_before["audit"]),))
        expect(all(a[0] != "check-in" for a in new_audit), f"{label}: audit says {new_audit}")
        log(f"    db: attendance unchanged; audit {new_audit}")
        if i < len(refusals) - 1:
            t_tap = run.tap(WIDTH / 2, HEIGHT * 0.75)  # "Tap to close"
            _, latency = run.wait_tone("welcome", t_tap, MAX_LATENCY, "tap to close")
            log(f"    a tap closed it in {latency:.2f} s")

    # 5. The last answer clears itself ---------------------------------------------------------
    log("5. the result clears itself")
    ppm, waited = run.wait_tone("welcome", t_enter, RESULT_SECONDS + MAX_LATENCY + 2, "auto-clear",
                                not_before=t_enter + RESULT_MIN)
    log(f"    back to welcome {waited:.1f} s after the scan")
    expect(RESULT_MIN <= waited <= RESULT_SECONDS + MAX_LATENCY + 1,
           f"the result cleared {waited:.1f} s after the scan, expected {RESULT_SECONDS} s")
    run.look(ppm, "welcome-again", must=["Scan your card", "Today's groups"],
                   must_not=["front desk", "checked in", "Tap to close"])

    # 6. Spanish -------------------------------------------------------------------------------
    log(f"6. Español, then {other_ref} checks in")
    x, y, how = find_language_button(ppm)
    log(f"    'Español' at ({x:.0f}, {y:.0f}), found {how}")
    t = run.tap(x, y)
    ppm, latency = run.wait_change(ppm, (int(HEIGHT * 0.15), int(HEIGHT * 0.35)), t, MAX_LATENCY, "language switch")
    time.sleep(0.2)  # ImGui settles a click over a few frames
    ppm = run.grab()
    log(f"    the prompt changed {latency:.2f} s after the tap")
    run.look(ppm, "welcome-es", must=["Grupos de hoy", "su tarjeta"], must_not=["Scan your card"], lang=es_lang)
    t = run.scan(other["token"])
    ppm, latency = run.wait_tone("checked-in", t, MAX_LATENCY, "Spanish check-in")
    log(f"    green result {latency:.2f} s after Enter")
    run.look(ppm, "checked-in-es", must=["registrada"] + (["su llegada"] if spa else []),
             must_not=["checked in"], lang=es_lang)
    rows = run.query("SELECT session_id FROM attendance WHERE person_ref = ? AND source = 'scan'", (other_ref,))
    expect(sorted(r[0] for r in rows) == other_sessions,
           f"{other_ref}: checked in to {sorted(r[0] for r in rows)}, expected {other_sessions}")
    ppm, waited = run.wait_tone("welcome", t, RESULT_SECONDS + MAX_LATENCY + 2, "Spanish auto-clear",
                                not_before=t + RESULT_MIN)
    log(f"    back to welcome {waited:.1f} s after the scan")
    expect(RESULT_MIN <= waited <= RESULT_SECONDS + MAX_LATENCY + 1,
           f"the Spanish result cleared {waited:.1f} s after the scan, expected {RESULT_SECONDS} s")
    run.look(ppm, "welcome-en-again", must=["Scan your card", "Today's groups"],
             must_not=["registrada", "Grupos de hoy", "Escanee"])
    scan_across_clear(run, demo, exclude={jose_ref, other_ref})
    log("   (waiting for the OCR checks)")
    run.finish_ocr()
    return [jose["token"], other["token"], revoked["token"], staff["token"]]


def scan_across_clear(run, demo, exclude):
    """A card scanned while the previous answer times out must still be read whole, in one scan.
    The answer clears between RESULT_MIN and RESULT_SECONDS after its Enter; the next card is
    typed slowly (40 ms a key, about 1.4 s) from just before that span to past its end, so the
    clear falls between two of its keys whatever the kiosk's clock."""
    card = next(c for c in demo.cards if c["role"] == "participant" and demo.ref(c["token"]) not in exclude
                and demo.sessions_for(demo.ref(c["token"])))
    log(f"8. a card scanned while the previous answer clears ({demo.ref(card['token'])})")
    t = run.scan("not-a-card")
    run.wait_tone("front-desk", t, MAX_LATENCY, "not-a-card")
    time.sleep(max(0.0, t + RESULT_MIN - 0.25 - time.monotonic()))
    typing = time.monotonic()
    run.xdo(["windowfocus", "--sync", run.window])
    run.xdo(["type", "--delay", "40", "--", card["token"]])
    typed = time.monotonic()
    # On a loaded machine the kiosk's clear can lag the last key: wait for the state this step
    # needs (the answer gone), well inside the 3 s a typed line is kept, before the Enter.
    before_enter = run.tone(run.grab())
    while before_enter != "welcome" and time.monotonic() < typed + 2.0:
        time.sleep(0.05)
        before_enter = run.tone(run.grab())
    sent = time.monotonic()
    run.xdo(["key", "Return"])
    log(f"    typed from {typing - t:.2f} s to {typed - t:.2f} s after the red answer's Enter, "
        f"Enter at {sent - t:.2f} s")
    expect(typing - t < RESULT_MIN and before_enter == "welcome",
           f"the answer was to clear while the card was typed (typing {typing - t:.2f}-"
           f"{sent - t:.2f} s after its Enter; the screen before Enter: {before_enter})")
    deadline = sent + MAX_LATENCY
    while True:  # waits for the answer to this scan, which is either colour
        ppm = run.grab()
        tone = run.tone(ppm)
        if tone in ("checked-in", "front-desk") or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if tone != "checked-in":
        tail = "\n".join(run.kiosk_log.read_text(errors="replace").splitlines()[-3:])
        raise Failure(f"a valid card typed while the previous answer cleared got {tone} (see "
                      f"{run.save(ppm, 'scan-across-clear')}); the kiosk's log ends:\n{tail}")
    log("    checked in: the scan was read whole")


def after_stop(run, tokens, status):
    """Checks once the kiosk has stopped: clean exit, no raw tokens at rest, audit chain linked."""
    log("7. stop and inspect the store")
    check_stopped_kiosk(run, status)
    blob = b"".join(p.read_bytes() for p in run.data.glob("kiosk.db*"))
    for t in tokens:
        expect(t.encode() not in blob and t[3:].encode() not in blob,
               "kiosk.db holds a raw card token (PRIVACY 11)")
    expect(run.query("PRAGMA integrity_check")[0][0] == "ok", "kiosk.db fails PRAGMA integrity_check")
    chain = run.query("SELECT seq, prev_hash, hash FROM audit ORDER BY seq")
    for prev, row in zip(chain, chain[1:]):
        expect(row[1] == prev[2], f"audit row {row[0]}: prev_hash does not match row {prev[0]}'s hash")
    log(f"    clean exit, {len(chain)} audit rows chained, no raw tokens in the store, no token or name in the log")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_screen_options(ap, "10:00")
    args = ap.parse_args()
    missing = missing_screen_tools()
    if missing:
        print(f"FAIL: {missing} not installed (run .ci/test, which installs them)", flush=True)
        return MISSING_TOOL
    if not os.access(args.kiosk, os.X_OK):
        print(f"FAIL: {args.kiosk} is not an executable", flush=True)
        return 1

    run = Run(args)
    ok = False
    stopped = False
    try:
        run.demo = Demo(args.assets)
        if "eng" not in run.langs:
            print("FAIL: tesseract has no 'eng' language data (install tesseract-ocr-eng)", flush=True)
            return MISSING_TOOL
        log(f"e2e check-in test in {run.work} (OCR languages: {', '.join(sorted(run.langs))})")
        run.start_xvfb()
        run.start_kiosk()
        tokens = run_steps(run, run.demo)
        status = run.stop()
        stopped = True
        after_stop(run, tokens, status)
        ok = True
    except (Failure, subprocess.TimeoutExpired, subprocess.CalledProcessError,
            concurrent.futures.TimeoutError) as e:
        print(f"\nFAIL: {e}", flush=True)
        if not stopped:
            run.stop()
            stopped = True
        for other in run.pending_ocr_failures():
            if other != str(e):
                print(f"\nALSO FAILED: {other}", flush=True)
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
