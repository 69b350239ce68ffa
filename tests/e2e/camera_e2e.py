#!/usr/bin/env python3
"""End-to-end camera check-in: replayed camera frames of a demo card check the person in.

The real kiosk binary runs on the demo clinic under Xvfb with `--camera-replay DIR` (a test
switch: the camera thread decodes the pictures of DIR in name order, and those added later), so
the frames go through the same thread, decoder, de-duplication and scan queue as a V4L2 camera's.
The test "holds up a card" by dropping generated frames (tests/scan scan_make_frames) into DIR:

  1. frames of an empty lobby: nothing happens, the welcome screen stays
  2. José's card held up for 1.5 s (45 frames, moving a little): green "checked in" within a
     second or so, naming no one; 3 attendance rows (source 'scan'), an audit 'check-in' row; the
     card in view for 45 frames is ONE scan (the kiosk logs one "scan read")
  3. a QR code holding SQL, a terminal escape and a NUL: red "Please see the front desk", nothing
     written, nothing of it shown
  4. the revoked demo card: red, nothing written
  5. a facilitator's badge held up at the Staff step, her PIN typed: the kiosk status page says
     the camera is working (the state of the camera thread, read live)
  Then: SIGTERM stops the kiosk cleanly and neither its log nor kiosk.db holds a raw token.

Uses the shared rig (kioskrig.py: X server, screenshots, tones, OCR, database). Exits non-zero
when a tool is missing (CI installs them all).

  camera_e2e.py --kiosk build/bin/kiosk --make-frames build/tests/scan/scan_make_frames \\
                --assets assets [--artifacts DIR] [--keep]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402  (the shared rig)
from kioskrig import Failure, expect, log  # noqa: E402

FPS = 30                  # the demo config's camera_fps (the default)
CARD_FRAMES = 45          # 1.5 s of a card held up
EMPTY_FRAMES = 20
MAX_LATENCY = 3.0         # frames dropped -> green on screen (about 0.2-0.5 s on an idle machine)


class Frames:
    """Generated frames, staged once, then fed to the kiosk's replay folder in name order."""

    def __init__(self, tool, work):
        self.tool = tool
        self.stage = work / "stage"
        self.replay = work / "replay"
        self.stage.mkdir()
        self.replay.mkdir()
        self.counter = 0

    def make(self, name, count, empty=0, text=None, raw=None, seed=1):
        out = self.stage / name
        out.mkdir()
        cmd = [self.tool, "--out", str(out), "--count", str(count), "--empty", str(empty),
               "--size", "1280x720", "--module", "5", "--seed", str(seed), "--format", "pgm"]
        if text is not None:
            cmd += ["--text", text]
        if raw is not None:
            cmd += ["--raw-hex", raw.hex()]
        subprocess.run(cmd, check=True, timeout=120)
        return sorted(out.iterdir())

    def feed(self, files):
        """Adds frames to the replay folder: written under a name the replay ignores, then renamed,
        so the kiosk never reads half a file. Returns when the last one is in place."""
        for f in files:
            self.counter += 1
            tmp = self.replay / f"incoming-{self.counter}.part"
            shutil.copyfile(f, tmp)
            os.rename(tmp, self.replay / f"frame-{self.counter:06d}{f.suffix}")
        return time.monotonic()


def scans_logged(run):
    return len(re.findall(r"\[camera\] scan read", run.kiosk_log.read_text(errors="replace")))


def wait_scans(run, n, timeout=5.0):
    """Waits until the kiosk has logged `n` camera scans."""
    deadline = time.monotonic() + timeout
    while scans_logged(run) < n and time.monotonic() < deadline:
        time.sleep(0.05)


def run_steps(run, demo, frames):
    jose = demo.card("participant", "José Núñez")
    jose_ref = demo.ref(jose["token"])
    jose_sessions = demo.sessions_for(jose_ref)
    revoked = demo.card("revoked")
    jose_name_forms = ("José", "Jose", "Núñez", "Nunez")
    log("   generating frames")
    empty = frames.make("empty", 0, empty=EMPTY_FRAMES, seed=3)
    card = frames.make("jose", CARD_FRAMES, text=jose["token"], seed=5)
    hostile_bytes = b"'; DROP TABLE attendance; --\x1b[31m\x00K1." + jose["token"][3:].encode()
    hostile = frames.make("hostile", 30, raw=hostile_bytes, seed=7)
    revoked_frames = frames.make("revoked", 30, text=revoked["token"], seed=9)

    # 1. An empty lobby ---------------------------------------------------------------------
    log("1. empty lobby frames")
    frames.feed(empty)
    time.sleep(EMPTY_FRAMES / FPS + 0.5)
    ppm, _ = run.wait_tone("welcome", time.monotonic(), 5, "welcome")
    run.look(ppm, "welcome", must=["Scan your card"])
    expect(scans_logged(run) == 0, "frames with no code produced a scan")
    log_text = run.kiosk_log.read_text(errors="replace")
    expect("replay of" in log_text and "working" in log_text,
           f"the camera thread did not report the replay working; log:\n{log_text[-2000:]}")
    before = run.counts()

    # 2. José holds up his card --------------------------------------------------------------
    log(f"2. {jose_ref}'s card in view for {CARD_FRAMES} frames")
    t_card = time.monotonic()
    frames.feed(card)
    frames.feed(empty)  # and takes it away
    ppm, latency = run.wait_tone("checked-in", t_card, 5, "camera check-in")
    log(f"    green {latency:.2f} s after the card's frames started arriving")
    expect(latency <= MAX_LATENCY, f"camera check-in took {latency:.2f} s to show")
    run.look(ppm, "checked-in", must=["checked in"], must_not=jose_name_forms + (jose["token"][3:15],))
    time.sleep(CARD_FRAMES / FPS + 0.5)  # every card frame decoded by now
    rows = run.query("SELECT session_id FROM attendance WHERE person_ref = ? AND source = 'scan'", (jose_ref,))
    expect(sorted(r[0] for r in rows) == jose_sessions,
           f"checked in to {sorted(r[0] for r in rows)}, expected {jose_sessions}")
    audit = run.query("SELECT count(*) FROM audit WHERE action = 'check-in' AND subject = ?", (jose_ref,))
    expect(audit[0][0] == 1, f"expected one audit 'check-in' row, found {audit[0][0]}")
    expect(scans_logged(run) == 1,
           f"a card in view for {CARD_FRAMES} frames gave {scans_logged(run)} scans, expected 1")
    after_checkin = run.counts()
    expect(after_checkin["attendance"] == before["attendance"] + len(jose_sessions),
           f"attendance {before['attendance']} -> {after_checkin['attendance']}")

    # 3. A hostile code -----------------------------------------------------------------------
    log("3. a QR code with SQL, an escape sequence and a NUL")
    t = time.monotonic()
    frames.feed(hostile)
    frames.feed(empty)
    ppm, latency = run.wait_tone("front-desk", t, 5, "hostile code")
    run.look(ppm, "hostile", must=["Please see the front desk"], must_not=["DROP", "TABLE", "checked in"])
    wait_scans(run, 2)  # the store is written before the screen answers
    expect(run.counts()["attendance"] == after_checkin["attendance"], "the hostile code wrote attendance")
    expect(scans_logged(run) == 2, f"expected 2 scans so far, the kiosk logged {scans_logged(run)}")

    # 4. A revoked card -----------------------------------------------------------------------
    log("4. the revoked card")
    t_tap = run.tap(rig.WIDTH / 2, rig.HEIGHT * 0.75)  # close the red answer first
    run.wait_tone("welcome", t_tap, 3, "tap to close")
    t = time.monotonic()
    frames.feed(revoked_frames)
    frames.feed(empty)
    ppm, _ = run.wait_tone("front-desk", t, 5, "revoked card")
    run.look(ppm, "revoked", must=["Please see the front desk"], must_not=["revoked", "checked in"])
    wait_scans(run, 3)
    now = run.counts()
    expect(now["attendance"] == after_checkin["attendance"] and now["outbox"] == after_checkin["outbox"],
           f"the revoked card changed attendance/outbox: {after_checkin} -> {now}")

    # 5. Staff sign-in with the badge at the camera; the status page shows the camera ------------
    log("5. a badge at the camera, the PIN, then Kiosk status")
    rosa = demo.card("facilitator", "Rosa Delgado")
    badge_frames = frames.make("rosa", 30, text=rosa["token"], seed=11)
    t_tap = run.tap(rig.WIDTH / 2, rig.HEIGHT * 0.75)
    run.wait_tone("welcome", t_tap, 3, "tap to close")
    _, words = rig.look(run, "welcome-staff", must=["Staff"])
    run.tap(*rig.word_at(words, "Staff", (626, 739), below=rig.HEIGHT * 0.8))
    rig.until_text(run, "badge-step", "badge", 5)
    frames.feed(badge_frames)
    frames.feed(empty)
    rig.until_text(run, "pin", "Enter your PIN", 5)
    run.xdo(["type", "--delay", "120", "--", rosa["pin"]])
    run.xdo(["key", "Return"])
    _, words = rig.until_text(run, "home", "Kiosk status", 8)
    run.tap(*rig.word_at(words, "status", (626, 420)))
    # "Working" can only be the camera's line: nothing else on the page has that state.
    rig.until_text(run, "kiosk-status", "Camera", 5, also=["Working", "replay of"])
    run.finish_ocr()
    return [jose["token"], revoked["token"], rosa["token"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    rig.add_screen_options(ap, "10:00")
    ap.add_argument("--make-frames", required=True, help="the scan_make_frames tool (tests/scan)")
    args = ap.parse_args()
    missing = rig.missing_screen_tools()
    if missing:
        print(f"FAIL: {missing} not installed (run .ci/test, which installs them)", flush=True)
        return rig.MISSING_TOOL
    for exe in (args.kiosk, args.make_frames):
        if not os.access(exe, os.X_OK):
            print(f"FAIL: {exe} is not an executable", flush=True)
            return 1

    run_args = argparse.Namespace(**vars(args))
    work = Path(args.artifacts).resolve() if args.artifacts else Path(tempfile.mkdtemp(prefix="kiosk-camera-e2e-"))
    run_args.artifacts = str(work)
    run = rig.Run(run_args)  # empties and creates `work`
    frames = Frames(args.make_frames, run.work)
    run.kiosk_args += ["--camera-replay", str(frames.replay)]
    ok = False
    status = None
    try:
        run.demo = rig.Demo(args.assets)
        log(f"e2e camera test in {run.work}")
        run.start_xvfb()
        run.start_kiosk()
        tokens = run_steps(run, run.demo, frames)
        status = run.stop()
        rig.check_stopped_kiosk(run, status)
        blob = b"".join(p.read_bytes() for p in run.data.glob("kiosk.db*"))
        for t in tokens:
            expect(t[3:].encode() not in blob, "kiosk.db holds a raw card token (PRIVACY 11)")
        log("5. clean exit; no raw token in the log or the store")
        ok = True
    except (Failure, subprocess.TimeoutExpired, subprocess.CalledProcessError) as e:
        print(f"\nFAIL: {e}", flush=True)
    finally:
        if status is None:
            run.stop()
        run.ocr_pool.shutdown(wait=True, cancel_futures=True)
        elapsed = time.monotonic() - run.t0
        if ok and not args.keep:
            shutil.rmtree(run.work, ignore_errors=True)
            print(f"PASS in {elapsed:.1f} s", flush=True)
        else:
            print(f"{'PASS' if ok else 'FAILED'} in {elapsed:.1f} s; screenshots, frames and the kiosk's "
                  f"log are in {run.work}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
