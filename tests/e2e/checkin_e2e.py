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
import csv
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import logcheck  # noqa: E402
import xdisplay  # noqa: E402

WIDTH, HEIGHT = 1280, 800
WINDOW_TITLE = "IOP Kiosk"
MISSING_TOOL = 2  # a failure: CI installs every tool, so a missing one is a broken setup

# The kiosk's palette (kiosk/ui/Palette.h): used to wait for a screen and to check its tone.
TONES = {
    "welcome": (0x10, 0x22, 0x3A),
    "checked-in": (0x1B, 0x5E, 0x20),
    "checked-out": (0x0D, 0x47, 0xA1),
    "already-in": (0x7A, 0x4A, 0x00),
    "front-desk": (0xB7, 0x1C, 0x1C),
}
BUTTON = (0x2B, 0x4A, 0x72)
# Background points: corners and the bottom centre are plain background on every screen.
PROBES = ((4, 4), (WIDTH - 5, 4), (WIDTH // 2, HEIGHT - 5))

RESULT_SECONDS = 6      # assets/demo/kiosk.toml [lobby] result_seconds
# The kiosk keeps time in whole seconds (kiosk/core/Clock.h), so a result shows for between
# RESULT_SECONDS - 1 and RESULT_SECONDS after the scan.
RESULT_MIN = RESULT_SECONDS - 1.05
DUPLICATE_SECONDS = 10  # the default duplicate_scan_seconds
MAX_LATENCY = 3.0       # seconds from Enter to the result on screen (0.1-0.2 s on an idle machine)


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # runs the finally blocks that stop Xvfb and the kiosk


class Failure(Exception):
    pass


T_START = time.monotonic()


def log(msg):
    print(f"[{time.monotonic() - T_START:5.1f}s] {msg}", flush=True)


def fold(text):
    """Lower case, no accents, straight quotes, single spaces: what OCR text is compared in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def contains(haystack_folded, needle):
    return fold(needle) in haystack_folded


def contains_word(haystack_folded, word):
    return re.search(r"(?<![a-z0-9])" + re.escape(fold(word)) + r"(?![a-z0-9])", haystack_folded) is not None


# --------------------------------------------------------------------------------------------
# Demo clinic facts, read from the same files the kiosk loads.


class Demo:
    def __init__(self, assets):
        demo = Path(assets) / "demo"
        with open(demo / "cards.csv", newline="", encoding="utf-8") as f:
            self.cards = list(csv.DictReader(f))
        with open(demo / "clinic.json", encoding="utf-8") as f:
            bundle = json.load(f)
        resources = [e["resource"] for e in bundle["entry"]]

        # sha256(token) -> "Patient/pat-01" (PRIVACY 11: FHIR holds only the hash)
        self.ref_by_hash = {}
        for r in resources:
            for ident in r.get("identifier", []):
                if ident.get("system") == "urn:iop-kiosk:credential-sha256":
                    self.ref_by_hash[ident["value"]] = f"{r['resourceType']}/{r['id']}"

        anchor = None
        for ext in bundle.get("meta", {}).get("extension", []):
            if ext.get("url") == "urn:iop-kiosk:demo-anchor":
                anchor = datetime.fromisoformat(ext["valueDateTime"])
        if anchor is None:
            raise Failure("clinic.json has no urn:iop-kiosk:demo-anchor")

        # The block the demo lays around "now": the anchor session plus the sessions of that day
        # that follow each other less than 30 minutes apart (SCREENS 2).
        appts = sorted((r for r in resources if r["resourceType"] == "Appointment"),
                       key=lambda a: datetime.fromisoformat(a["start"]))
        day = [a for a in appts if datetime.fromisoformat(a["start"]).date() == anchor.date()]
        first = next((a for a in day if datetime.fromisoformat(a["start"]) == anchor), None)
        if first is None:
            raise Failure(f"no Appointment starts at the demo anchor {anchor}")
        self.block = [first]
        for a in day[day.index(first) + 1:]:
            gap = datetime.fromisoformat(a["start"]) - datetime.fromisoformat(self.block[-1]["end"])
            if timedelta(0) <= gap < timedelta(minutes=30):
                self.block.append(a)
        self.group_names = [a["serviceType"][0]["text"] for a in self.block]
        self.block_start_participants = [p["actor"]["reference"] for p in first["participant"]
                                         if p["actor"]["reference"].startswith("Patient/")]

        # Names that must never show in the lobby: everyone who holds a participant-side card.
        self.person_names = [c["name"] for c in self.cards
                             if c["role"] in ("participant", "revoked", "family")]
        self.name_words = sorted({w for n in self.person_names for w in re.split(r"[\s'-]+", n)
                                  if len(fold(w)) >= 3})

    def ref(self, token):
        return self.ref_by_hash.get(hashlib.sha256(token.encode()).hexdigest())

    def card(self, role, name=None):
        for c in self.cards:
            if c["role"] == role and (name is None or c["name"] == name):
                return c
        raise Failure(f"cards.csv has no {role} card" + (f" for {name}" if name else ""))

    def sessions_for(self, ref):
        return sorted(a["id"] for a in self.block
                      if any(p["actor"]["reference"] == ref for p in a["participant"]))

    def other_morning_participant(self, exclude_ref):
        for ref in self.block_start_participants:
            if ref == exclude_ref:
                continue
            for c in self.cards:
                if c["role"] == "participant" and self.ref(c["token"]) == ref:
                    return c, ref
        raise Failure("no second participant card in the morning block")


# --------------------------------------------------------------------------------------------
# The run: X server, kiosk, screen, keyboard, database.


class Run:
    def __init__(self, args):
        self.args = args
        if args.artifacts:  # a fixed place (the build tree's), so failure messages name it
            self.work = Path(args.artifacts).resolve()
            shutil.rmtree(self.work, ignore_errors=True)
            self.work.mkdir(parents=True)
        else:
            self.work = Path(tempfile.mkdtemp(prefix="kiosk-e2e-"))
        self.shots = self.work / "shots"
        self.shots.mkdir()
        self.data = self.work / "data"
        self.db = self.data / "kiosk.db"
        self.kiosk_log = self.work / "kiosk.log"
        self.kiosk_args = clock_args(getattr(args, "at", "now"))  # more options: a test clock, ...
        self.xvfb = None
        self.kiosk = None
        self.display = None
        self.window = None
        self.shot_no = 0
        self.t0 = time.monotonic()
        self.langs = self._tesseract_langs()
        self.ocr_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.ocr_jobs = []

    # ---- processes

    def start_xvfb(self):
        self.xvfb, self.display = xdisplay.start_xvfb(f"{WIDTH}x{HEIGHT}", self.work / "xvfb.log",
                                                      error=Failure)
        log(f"  Xvfb on display {self.display}")

    def env(self):
        e = dict(os.environ)
        e["DISPLAY"] = self.display
        e["SDL_AUDIODRIVER"] = "dummy"
        e["XDG_DATA_HOME"] = str(self.work / "xdg")  # nothing of the user's demo data is touched
        e["XDG_CONFIG_HOME"] = str(self.work / "xdg-config")  # nor the demo's audit key
        return e

    @property
    def demo_key(self):
        """The audit key the demo made on its first run, in its own config folder."""
        return self.work / "xdg-config" / "iop-kiosk" / "demo" / "audit.key"

    def start_kiosk(self):
        cmd = [self.args.kiosk, "--demo", "--data-dir", str(self.data),
               "--windowed", f"{WIDTH}x{HEIGHT}", "--assets", self.args.assets, *self.kiosk_args]
        started = time.monotonic()
        with open(self.kiosk_log, "wb") as out:
            self.kiosk = subprocess.Popen(cmd, env=self.env(), preexec_fn=xdisplay.die_with_parent,
                                          stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        deadline = started + self.args.ready_timeout
        while True:
            text = self.kiosk_log.read_text(errors="replace")
            m = re.search(r"\] ready: .*", text)
            if m:
                log(f"  kiosk ready after {time.monotonic() - started:.1f} s ({m.group(0).strip()})")
                break
            if self.kiosk.poll() is not None:
                raise Failure(f"the kiosk exited with status {self.kiosk.returncode} before it was "
                              f"ready; its log:\n{text}")
            if time.monotonic() > deadline:
                raise Failure(f"the kiosk did not log 'ready: first frame drawn' within "
                              f"{self.args.ready_timeout} s; its log:\n{text}")
            time.sleep(0.05)
        wid = self.xdo(["search", "--sync", "--onlyvisible", "--name", f"^{WINDOW_TITLE}$"],
                       timeout=10).split()
        if not wid:
            raise Failure(f"no visible window titled {WINDOW_TITLE!r}")
        self.window = wid[0]

    def stop(self):
        """SIGTERM the kiosk (it must stop cleanly), then the X server. Returns the kiosk's status."""
        status = None
        if self.kiosk is not None and self.kiosk.poll() is None:
            self.kiosk.send_signal(signal.SIGTERM)
            try:
                status = self.kiosk.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kiosk.kill()
                self.kiosk.wait()
                status = "hung: killed after SIGTERM + 10 s"
        elif self.kiosk is not None:
            status = f"had already exited with {self.kiosk.returncode}"
        if self.xvfb is not None and self.xvfb.poll() is None:
            self.xvfb.terminate()
            try:
                self.xvfb.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.xvfb.kill()
                self.xvfb.wait()
        return status

    def check_alive(self):
        if self.kiosk.poll() is not None:
            raise Failure(f"the kiosk exited with status {self.kiosk.returncode} during the test; "
                          f"its log:\n{self.kiosk_log.read_text(errors='replace')}")

    # ---- input

    def xdo(self, argv, timeout=10):
        r = subprocess.run(["xdotool"] + argv, env=self.env(), capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise Failure(f"xdotool {' '.join(argv)} failed: {r.stderr.strip()}")
        return r.stdout

    def scan(self, payload):
        """What a keyboard-wedge scanner does: the payload as key presses, then Enter."""
        self.check_alive()
        self.xdo(["windowfocus", "--sync", self.window])
        self.xdo(["type", "--delay", "5", "--", payload])
        sent = time.monotonic()  # the kiosk cannot see Enter before this
        self.xdo(["key", "Return"])
        return sent

    def tap(self, x, y):
        self.check_alive()
        self.xdo(["mousemove", str(int(x)), str(int(y)), "click", "1"])
        return time.monotonic()

    # ---- screen

    def grab(self):
        r = subprocess.run(["import", "-display", self.display, "-window", "root", "-depth", "8", "ppm:-"],
                           capture_output=True, timeout=10)
        if r.returncode != 0 or not r.stdout.startswith(b"P6"):
            raise Failure(f"screenshot failed: {r.stderr.decode(errors='replace')}")
        return r.stdout

    @staticmethod
    def pixels(ppm):
        """(width, height, offset of the first pixel) of an 8-bit binary PPM."""
        fields, pos = [], 0
        while len(fields) < 4:  # P6 width height maxval, whitespace separated
            while ppm[pos:pos + 1].isspace():
                pos += 1
            start = pos
            while not ppm[pos:pos + 1].isspace():
                pos += 1
            fields.append(ppm[start:pos])
        if int(fields[3]) != 255:
            raise Failure(f"screenshot is not 8 bits a channel (maxval {int(fields[3])})")
        return int(fields[1]), int(fields[2]), pos + 1

    @classmethod
    def pixel(cls, ppm, x, y):
        width, _, off = cls.pixels(ppm)
        off += (y * width + x) * 3
        return tuple(ppm[off:off + 3])

    @classmethod
    def find_colour(cls, ppm, rgb, box, step=2, tolerance=6):
        """Centre of the pixels of colour rgb inside box (x0, y0, x1, y1), or None."""
        width, _, off = cls.pixels(ppm)
        xs, ys = [], []
        for y in range(box[1], box[3], step):
            row = off + y * width * 3
            for x in range(box[0], box[2], step):
                i = row + x * 3
                if all(abs(ppm[i + k] - rgb[k]) <= tolerance for k in range(3)):
                    xs.append(x)
                    ys.append(y)
        if len(xs) < 50:
            return None
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2

    @classmethod
    def tone(cls, ppm):
        votes = {}
        for x, y in PROBES:
            rgb = cls.pixel(ppm, x, y)
            name, dist = min(((n, sum((a - b) ** 2 for a, b in zip(rgb, c))) for n, c in TONES.items()),
                             key=lambda t: t[1])
            key = name if dist < 3 * 12 ** 2 else f"other{rgb}"
            votes[key] = votes.get(key, 0) + 1
        best = max(votes.items(), key=lambda kv: kv[1])
        return best[0] if best[1] >= 2 else "mixed" + str(sorted(votes))

    def wait_tone(self, want, since, timeout, what, not_before=None):
        """Polls the screen until its background has tone `want`; returns (ppm, seconds since
        `since`). Each screenshot costs about 0.1 s of CPU, so a wait for something due later
        sleeps until `not_before` first."""
        deadline = time.monotonic() + timeout
        if not_before is not None:
            time.sleep(max(0.0, not_before - time.monotonic()))
        seen = None
        while True:
            self.check_alive()
            ppm = self.grab()
            seen = self.tone(ppm)
            now = time.monotonic()
            if seen == want:
                return ppm, now - since
            if now > deadline:
                path = self.save(ppm, f"timeout-{what}")
                raise Failure(f"{what}: the screen did not turn {want} within {timeout:.1f} s "
                              f"(it shows {seen}); see {path}")
            time.sleep(0.05)

    def shot_path(self, name):
        self.shot_no += 1
        return self.shots / f"{self.shot_no:02d}-{name}.png"

    @staticmethod
    def write_png(ppm, path):
        subprocess.run(["convert", "ppm:-", str(path)], input=ppm, check=True, timeout=30)
        return path

    def wait_change(self, before, rows, since, timeout, what):
        """Polls the screen until rows (y0, y1) differ from the screenshot `before`."""
        width, _, off = self.pixels(before)
        a, b = off + rows[0] * width * 3, off + rows[1] * width * 3
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            ppm = self.grab()
            if ppm[a:b] != before[a:b]:
                return ppm, time.monotonic() - since
            if time.monotonic() > deadline:
                raise Failure(f"{what}: the screen did not change within {timeout:.1f} s "
                              f"(see {self.save(ppm, 'timeout-' + what)})")
            time.sleep(0.05)

    def save(self, ppm, name):
        return self.write_png(ppm, self.shot_path(name))

    @staticmethod
    def _tesseract_langs():
        try:
            r = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20)
        except OSError:
            return set()
        return {line.strip() for line in (r.stdout + r.stderr).splitlines()[1:] if line.strip()}

    def ocr(self, ppm, stem, lang="eng", variant=0, save_as=None):
        """Text and word boxes of a screenshot. White text on coloured ground reads best grey,
        negated and upscaled 2x; the other variants are fallbacks for a phrase not found.
        save_as: also write the screenshot itself there (one ImageMagick run for both)."""
        base = f"{stem}.ocr{variant}"
        prep = [["-colorspace", "Gray", "-negate", "-resize", "200%"],
                ["-colorspace", "Gray", "-resize", "200%"],
                ["-colorspace", "Gray", "-negate", "-resize", "300%", "-threshold", "55%"]][variant]
        scale = {0: 2, 1: 2, 2: 3}[variant]
        save = ["-write", str(save_as)] if save_as else []
        subprocess.run(["convert", "ppm:-"] + save + prep + [f"{base}.png"], input=ppm, check=True, timeout=30)
        # One thread: OpenMP makes tesseract about 3x slower on a screen this size.
        r = subprocess.run(["tesseract", f"{base}.png", str(base), "-l", lang, "--psm", "3", "txt", "tsv"],
                           env=dict(os.environ, OMP_THREAD_LIMIT="1"), capture_output=True, text=True,
                           timeout=60)
        if r.returncode != 0:
            raise Failure(f"tesseract failed: {r.stderr.strip()}")
        text = Path(f"{base}.txt").read_text(encoding="utf-8", errors="replace")
        words = []
        for line in Path(f"{base}.tsv").read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) == 12 and cols[11].strip():
                left, top, w, h = (int(v) / scale for v in cols[6:10])
                words.append((cols[11].strip(), left + w / 2, top + h / 2))
        os.unlink(f"{base}.png")  # the screenshot itself is kept; the prepared copy is not needed
        return text, words

    def look(self, ppm, name, must=(), must_not=(), names_must_not=True, lang="eng", check=None):
        """Saves the screenshot now and OCRs it in the background (one OCR at a time, so that the
        screen keeps being watched meanwhile): phrases that must and must not show, compared
        case- and accent-insensitively, no participant's name, and check(folded_text) if given.
        Returns a future of (folded text, word boxes); its result() raises the Failure."""
        path = self.shot_path(name)
        job = self.ocr_pool.submit(self._look, ppm, path, name, tuple(must), tuple(must_not),
                                   names_must_not, lang, check)
        self.ocr_jobs.append(job)
        return job

    def _look(self, ppm, path, name, must, must_not, names_must_not, lang, check):
        stem = str(path.with_suffix(""))
        text, words = self.ocr(ppm, stem, lang, save_as=path)
        texts = [text]
        folded = fold(text)
        missing = [m for m in must if not contains(folded, m)]
        variant = 1
        while missing and variant <= 2:
            more, more_words = self.ocr(ppm, stem, lang, variant)
            texts.append(more)
            words += more_words
            folded = fold(" ".join(texts))
            missing = [m for m in must if not contains(folded, m)]
            variant += 1
        problems = [f"expected {m!r}" for m in missing]
        problems += [f"must not show {m!r}" for m in must_not if contains(folded, m)]
        if names_must_not:
            shown = [w for w in self.demo.name_words if contains_word(folded, w)]
            problems += [f"shows a participant's name {w!r} (PRIVACY 1)" for w in shown]
        if check is not None and not missing:
            problem = check(folded)
            if problem:
                problems.append(problem)
        if problems:
            raise Failure(f"{name}: " + "; ".join(problems) + f"\n  screenshot: {path}\n  OCR text:\n"
                          + "\n".join("    | " + line for line in " ".join(texts).splitlines() if line.strip()))
        log(f"    {path.name}: OCR ok: " + re.sub(r"\s+", " ", text).strip()[:150])
        return folded, words

    def finish_ocr(self, timeout=120):
        """Waits for every OCR check; raises the first failure (in screen order)."""
        deadline = time.monotonic() + timeout
        for job in self.ocr_jobs:
            job.result(timeout=max(0.1, deadline - time.monotonic()))

    def pending_ocr_failures(self):
        out = []
        for job in self.ocr_jobs:
            try:
                job.result(timeout=60)
            except Exception as e:  # noqa: BLE001 - reported after the main failure
                out.append(str(e))
        return out

    # ---- database

    def query(self, sql, params=()):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def counts(self):
        return {t: self.query(f"SELECT count(*) FROM {t}")[0][0] for t in ("attendance", "outbox", "audit")}


# --------------------------------------------------------------------------------------------
# The steps.


def add_clock_option(ap, default):
    """--at: the hour the kiosk's clock starts at, so what the demo lays out around "now" is
    the same at whatever hour the test runs."""
    ap.add_argument("--at", default=default, metavar="HH:MM",
                    help=f"the local time of day the kiosk's clock starts at today, running at "
                         f"real speed (default {default}); 'now' for the real clock")


def clock_args(at):
    """The kiosk's options for --at: a test clock from today at local HH:MM, at rate 1."""
    if at == "now":
        return []
    hour, minute = (int(x) for x in at.split(":"))
    start = datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
    return ["--test-clock", f"{start.isoformat()},1"]


def expect(cond, msg):
    if not cond:
        raise Failure(msg)


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
    logtext = run.kiosk_log.read_text(errors="replace")
    expect(status == 0, f"the kiosk did not stop cleanly on SIGTERM: {status}\n{logtext[-3000:]}")
    errors = [line for line in logtext.splitlines() if line.startswith("kiosk error")]
    expect(not errors, "the kiosk logged errors:\n" + "\n".join(errors))
    bad_lines = logcheck.problems(logtext, Path(run.args.assets) / "demo" / "cards.csv")
    expect(not bad_lines, "the kiosk's log breaks the privacy rules:\n" + "\n".join(bad_lines[:10]))
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
    ap.add_argument("--kiosk", required=True, help="the kiosk binary")
    ap.add_argument("--assets", required=True, help="the source tree's assets folder")
    ap.add_argument("--artifacts", help="work folder, emptied first and removed on success: where the "
                    "screenshots, OCR text, kiosk log and data stay on a failure (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the screenshots even on success")
    ap.add_argument("--ready-timeout", type=float, default=20.0)
    add_clock_option(ap, "10:00")
    args = ap.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)

    missing = [t for t in ("Xvfb", "xdotool", "tesseract", "import", "convert") if shutil.which(t) is None]
    if missing:
        print(f"FAIL: {', '.join(missing)} not installed (run .ci/test, which installs them)", flush=True)
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
