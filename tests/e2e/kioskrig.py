"""The one rig of the end-to-end tests (tests/e2e/*_e2e.py, tests/bench/budget.py): Xvfb
displays, the loopback FHIR test server with a throwaway PKI, generated clinics, the real kiosk
started on a display and driven like a keyboard-wedge scanner (xdotool), its log and SQLite file
read back; and for the screen tests the demo kiosk's run (Run), its screen read by colour and OCR,
and the demo clinic's facts (Demo). Standard library only.
"""

import base64
import concurrent.futures
import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import re
import random
import select
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import logcheck  # tests/e2e, beside this file
import xdisplay

ROOT = Path(__file__).resolve().parents[2]
SERVER_DIR = ROOT / "tests" / "fhir-server"
WINDOW_TITLE = "IOP Kiosk"
CONTROL = "rig-control"
ATTENDANCE = "urn:iop-kiosk:attendance"
CREDENTIAL = "urn:iop-kiosk:credential-sha256"
# The line CheckinService logs after each committed scan, before the screen confirms it.
CONFIRMED = re.compile(r"\[checkin\] confirmed: (\S+) person=(\S+)(?: sessions=(\S+))?")
READY = re.compile(r"\] ready: first frame drawn")


class Failure(Exception):
    pass


def exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # runs the finally blocks that stop everything


def install_signal_handlers():
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, exit_on_signal)


def need_tools(*tools):
    import shutil
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        raise Failure("missing tool(s): " + ", ".join(missing))


def stop(proc, sig=signal.SIGTERM, timeout=10):
    """Stops a child; returns its exit status (or 'killed' when it had to be SIGKILLed)."""
    if proc is None:
        return None
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return "killed"


def start_run(args, prefix):
    """The common start of a proof run: signal handlers, the tools it needs, a fresh work folder
    (--artifacts or a temporary one) and a random generator with a printed, repeatable seed."""
    install_signal_handlers()
    need_tools("Xvfb", "xdotool", "node")
    seed = args.seed if args.seed is not None else int(time.time())
    work = Path(args.artifacts).resolve() if args.artifacts else Path(tempfile.mkdtemp(prefix=prefix))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work, seed, random.Random(seed)


def attendance_identifier(session_id, person_ref):
    return hashlib.sha256(f"{session_id}/{person_ref}".encode()).hexdigest()


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------------------------
# X server (key autorepeat pushed out to 30 s: on a loaded machine a late key release would
# otherwise repeat a card's character)


class Xvfb:
    def __init__(self, logfile, size="1280x800"):
        self.size = size
        self.proc, self.display = xdisplay.start_xvfb(
            size, logfile, extra=("-ardelay", "30000", "-arinterval", "30000"), error=Failure)

    def stop(self):
        stop(self.proc)


# --------------------------------------------------------------------------------------------
# FHIR test server


def make_pki(directory):
    subprocess.run(["bash", str(SERVER_DIR / "make-test-pki.sh"), str(directory)], check=True,
                   stdout=subprocess.DEVNULL)
    return Path(directory)


class FhirServer:
    """tests/fhir-server/server.mjs on a free loopback port, seeded with a bundle."""

    def __init__(self, pki, seed, logfile, rebase_demo=False, start_timeout=300):
        if not (SERVER_DIR / "node_modules").is_dir():
            raise Failure(f"{SERVER_DIR}/node_modules is missing: run npm ci there "
                          "(.ci/setup.sh --with-tests)")
        args = ["node", str(SERVER_DIR / "server.mjs"), "--port", "0", "--cert",
                str(pki / "server.crt"), "--key", str(pki / "server.key"), "--seed", str(seed),
                "--control-token", CONTROL, "--log"]
        if rebase_demo:
            args.append("--rebase-demo")
        self.logfile = Path(logfile)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=open(logfile, "w"),
                                     text=True, preexec_fn=xdisplay.die_with_parent)
        ready, _, _ = select.select([self.proc.stdout], [], [], start_timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("listening "):
            self.proc.kill()
            raise Failure(f"the FHIR test server did not start: {line!r}; see {logfile}")
        self.base = line.split()[1]
        self.origin = self.base.rsplit("/fhir/", 1)[0]
        self.ca = pki / "ca.crt"
        self.ctx = ssl.create_default_context(cafile=str(self.ca))

    def call(self, method, url, body=None, control=False):
        headers = {"Content-Type": "application/json"}
        if control:
            headers["Authorization"] = f"Bearer {CONTROL}"
        req = urllib.request.Request(url, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(req, context=self.ctx, timeout=600) as r:
            return json.loads(r.read())

    def encounters(self):
        """identifier value -> list of Encounter resources carrying it (every page)."""
        seen = {}
        url = f"{self.base}/Encounter?_count=1000"
        while url:
            page = self.call("GET", url)
            for e in page.get("entry", []):
                r = e["resource"]
                for ident in r.get("identifier", []):
                    if ident.get("system") == ATTENDANCE:
                        seen.setdefault(ident["value"], []).append(r)
            url = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
        return seen

    def encounters_with(self, identifier):
        q = urllib.parse.quote(f"{ATTENDANCE}|{identifier}", safe="")
        page = self.call("GET", f"{self.base}/Encounter?identifier={q}")
        return [e["resource"] for e in page.get("entry", [])]

    def stats(self):
        """The server's request counts since the last reset_stats()."""
        return self.call("GET", f"{self.origin}/__control/stats", control=True)

    def reset_stats(self):
        self.call("POST", f"{self.origin}/__control/reset", {"data": False, "stats": True},
                  control=True)

    def stop(self):
        stop(self.proc)


def write_config(path, server, kiosk_id, data_dir, timezone, interval=5, site="site-main",
                 head_minutes=None):
    """A kiosk config, and its audit key beside it (outside the data dir, as on a real box:
    <config>.audit.key, 32 random bytes, mode 0640, made once and kept across rewrites)."""
    key = Path(f"{path}.audit.key")
    if not key.exists():
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        os.chmod(key, 0o640)
    audit = f'[audit]\nkey_file = "{key}"\n'
    if head_minutes is not None:
        audit += f"head_interval_minutes = {head_minutes}\n"
    Path(path).write_text(
        f'[server]\nurl = "{server.base}"\nca_file = "{server.ca}"\n'
        f"sync_interval_seconds = {interval}\n"
        f'[clinic]\nsite_location_id = "{site}"\ntimezone = "{timezone}"\n'
        f'[kiosk]\nid = "{kiosk_id}"\ndata_dir = "{data_dir}"\n' + audit)
    return Path(path)


# --------------------------------------------------------------------------------------------
# Generated clinics


def card_token(label):
    """A valid version-1 card token (K1. + 32 URL-safe base64 characters), fixed per label."""
    body = base64.urlsafe_b64encode(hashlib.sha256(label.encode()).digest()).decode()[:32]
    return "K1." + body


def midday_zone(now):
    """A fixed-offset zone (Etc/GMT-N means UTC+N) where it is around midday at `now`, so a
    session laid around now is on the clinic's today whatever the hour."""
    offset = 12 - now.astimezone(dt.timezone.utc).hour
    offset = max(-12, min(14, offset))
    if offset == 0:
        return "Etc/UTC"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def clinic_bundle(zone, patients, sessions, per_session):
    """A FHIR collection Bundle: site, rooms, one facilitator, `patients` patients with cards
    (token = card_token(f"p{i}")), and `sessions` = [(id, start, end, group name, [patient
    indexes])]. Returns (bundle, tokens by patient index)."""
    entries = [{"resourceType": "Location", "id": "site-main", "name": "Rig Clinic",
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/timezone",
                               "valueCode": zone}]}]
    rooms = 8
    entries += [{"resourceType": "Location", "id": f"room-{r}", "name": f"Room {r}",
                 "partOf": {"reference": "Location/site-main"}} for r in range(rooms)]
    entries.append({"resourceType": "Practitioner", "id": "prac-0",
                    "identifier": [{"system": CREDENTIAL,
                                    "value": hashlib.sha256(b"rig-staff-0").hexdigest()}],
                    "name": [{"given": ["Staff"], "family": "Zero"}]})
    entries.append({"resourceType": "PractitionerRole", "id": "role-0", "active": True,
                    "practitioner": {"reference": "Practitioner/prac-0"},
                    "location": [{"reference": "Location/site-main"}],
                    "code": [{"coding": [{"system": "urn:iop-kiosk:role", "code": "facilitator"}]}]})
    tokens = {}
    for p in range(patients):
        tokens[p] = card_token(f"p{p}")
        entries.append({"resourceType": "Patient", "id": f"pat-{p}",
                        "identifier": [{"system": CREDENTIAL,
                                        "value": hashlib.sha256(tokens[p].encode()).hexdigest()}],
                        "name": [{"given": [f"Given{p}"], "family": f"Family{p % 97}"}],
                        "birthDate": "1985-01-01"})
    for n, (sid, start, end, group, people) in enumerate(sessions):
        entries.append({"resourceType": "Appointment", "id": sid, "status": "booked",
                        "serviceType": [{"text": group}], "start": iso(start), "end": iso(end),
                        "participant": [{"actor": {"reference": f"Location/room-{n % rooms}"},
                                         "status": "accepted"},
                                        {"actor": {"reference": "Practitioner/prac-0"},
                                         "status": "accepted"}]
                        + [{"actor": {"reference": f"Patient/pat-{p}"}, "status": "accepted"}
                           for p in people]})
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for r in entries]}, tokens


def one_group_server(work, patients, group):
    """A FhirServer seeded with a clinic of `patients` participants in one group that starts 5
    minutes from now, in a zone where it is about midday. Returns (server, zone, tokens)."""
    now = dt.datetime.now(dt.timezone.utc)
    zone = midday_zone(now)
    start = now + dt.timedelta(minutes=5)
    bundle, tokens = clinic_bundle(
        zone, patients, [("appt-now", start, start + dt.timedelta(minutes=50), group,
                          list(range(patients)))], patients)
    seed = Path(work) / "seed.json"
    seed.write_text(json.dumps(bundle))
    server = FhirServer(make_pki(Path(work) / "pki"), seed, Path(work) / "server.log")
    return server, zone, tokens


def run_e2e(name, work, body, artifacts=None, keep=False, ignore=()):
    """Runs body(stack), which registers on the ExitStack what to stop at the end (servers,
    displays, in reverse order); prints PASS or FAIL, keeps the work folder as keep_work does and
    returns the exit status."""
    ok = False
    try:
        with contextlib.ExitStack() as stack:
            body(stack)
        ok = True
        print(f"PASS: {name}", flush=True)
        return 0
    except Failure as e:
        return fail(str(e))
    finally:
        keep_work(work, ok, artifacts, keep, ignore)


def keep_work(work, ok, artifacts=None, keep=False, ignore=()):
    """A test's work folder at its end: removed after a pass (unless `keep`); otherwise copied to
    `artifacts` (or left where it is) and named on stderr."""
    if ok and not keep:
        shutil.rmtree(work, ignore_errors=True)
        return
    dest = Path(artifacts) if artifacts and not ok else Path(work)
    if dest != Path(work):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(work, dest, ignore=shutil.ignore_patterns(*ignore))
    print(f"artifacts kept in {dest}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The kiosk


class Kiosk:
    """One kiosk process on a display, its log file appended to across restarts."""

    def __init__(self, binary, display, logfile, args, env=None):
        self.binary = binary
        self.display = display
        self.logfile = Path(logfile)
        self.args = list(args)
        self.env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER="dummy", **(env or {}))
        self.proc = None
        self.window = None
        self.log_offset = 0  # where the current process's lines start

    # 90 s: a sanitizer build of the kiosk, three starting at once on 2 cores, has taken over 30 s.
    def start(self, ready_timeout=90, find_window=True):
        """Starts the kiosk; returns seconds from spawn to 'ready: first frame drawn'."""
        self.log_offset = self.logfile.stat().st_size if self.logfile.exists() else 0
        started = time.monotonic()
        with open(self.logfile, "ab") as out:
            self.proc = subprocess.Popen([self.binary] + self.args, env=self.env,
                                         preexec_fn=xdisplay.die_with_parent, stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=out)
        with open(self.logfile, "rb") as f:
            f.seek(self.log_offset)
            text = ""
            while True:
                text += f.read().decode("utf-8", "replace")
                if READY.search(text):
                    break
                if self.proc.poll() is not None:
                    raise Failure(f"the kiosk exited with {self.proc.returncode} before it was "
                                  f"ready; its log:\n{text[-3000:]}")
                if time.monotonic() - started > ready_timeout:
                    raise Failure(f"the kiosk was not ready within {ready_timeout} s:\n{text[-3000:]}")
                time.sleep(0.01)
        took = time.monotonic() - started
        if find_window:
            wid = self.xdo(["search", "--sync", "--onlyvisible", "--pid", str(self.proc.pid),
                            "--name", f"^{WINDOW_TITLE}$"], timeout=10).split()
            if not wid:
                raise Failure(f"no visible window titled {WINDOW_TITLE!r}")
            self.window = wid[0]
        return took

    def xdo(self, argv, timeout=20):
        r = subprocess.run(["xdotool"] + argv, env=self.env, capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise Failure(f"xdotool {' '.join(argv)} failed: {r.stderr.strip()}")
        return r.stdout

    def scan(self, token, delay_ms=5):
        # Two calls: chained after windowfocus, xdotool would aim the keys at that window with
        # XSendEvent, which SDL ignores.
        self.xdo(["windowfocus", "--sync", self.window])
        self.xdo(["type", "--delay", str(delay_ms), "--", token])
        self.xdo(["key", "Return"])

    def scan_and_read(self, token, wait=5.0):
        """Scans once and waits until the kiosk has read the card (confirmed it, or refused it for
        another reason than 'not a kiosk card'). A scan read as something else is a failure:
        the kiosk reads every scan whole, so nothing here scans again. Returns the kiosk's log
        lines about the scan."""
        offset = self.logfile.stat().st_size
        self.scan(token)
        deadline = time.monotonic() + wait
        text = ""
        while time.monotonic() < deadline:
            with open(self.logfile, "rb") as f:
                f.seek(offset)
                text = f.read().decode("utf-8", "replace")
            if "[checkin] confirmed:" in text or ("scan refused" in text
                                                  and "not-a-card" not in text):
                return text
            if "not-a-card" in text:
                raise Failure(f"a card's scan was not read whole; the log:\n{text[-1500:]}")
            time.sleep(0.02)
        raise Failure(f"the kiosk did not read a card within {wait} s; the log:\n{text[-1500:]}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        return stop(self.proc)

    def log_text(self, whole=True):
        with open(self.logfile, "rb") as f:
            if not whole:
                f.seek(self.log_offset)
            return f.read().decode("utf-8", "replace")

    def confirmed(self, whole=True):
        """[(kind, person, [session ids])] of every confirmed scan in the log."""
        return [(m.group(1), m.group(2), (m.group(3) or "").split(",") if m.group(3) else [])
                for m in CONFIRMED.finditer(self.log_text(whole))]

    def rss_kb(self):
        return status_kb(self.proc.pid, "VmRSS")


def sync_once(binary, config, timeout=600):
    r = subprocess.run([binary, "sync", "--once", "--config", str(config)], capture_output=True,
                       text=True, timeout=timeout)
    return r.returncode, (r.stdout + r.stderr).strip()


def db_rows(db, sql, args=(), timeout=30):
    """The rows of one query on a kiosk.db, opened read-only (the kiosk may be running)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=timeout)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def outbox_pending(db):
    return db_rows(db, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]


def wait_for(what, predicate, timeout=60, every=0.5):
    """Polls `predicate` until it holds; a Failure naming `what` after `timeout` seconds. For
    waiting on the state a test needs (a row, a log line) instead of sleeping a fixed time."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(every)


def log(msg, t0=[time.monotonic()]):
    print(f"[{time.monotonic() - t0[0]:6.1f}s] {msg}", flush=True)


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr, flush=True)
    return 1


# --------------------------------------------------------------------------------------------
# Screen tests of the demo kiosk (checkin, staff, resources, camera; lobby's OCR): one Xvfb, the
# kiosk with --demo, xdotool for keys and taps, screenshots (ImageMagick) read back by colour and
# by OCR (tesseract), and kiosk.db read with sqlite3.

WIDTH, HEIGHT = 1280, 800
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
# A screen test's run: X server, the demo kiosk, screen, keyboard, database.


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
        self.xvfb = Xvfb(self.work / "xvfb.log", f"{WIDTH}x{HEIGHT}")
        self.display = self.xvfb.display
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
        if self.xvfb is not None:
            self.xvfb.stop()
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

    @staticmethod
    def ocr(ppm, stem, lang="eng", variant=0, save_as=None):
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
        return db_rows(self.db, sql, params, timeout=5)

    def counts(self):
        return {t: self.query(f"SELECT count(*) FROM {t}")[0][0] for t in ("attendance", "outbox", "audit")}


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


def run_command(args, timeout=120, env=None, stdin=None):
    """(exit status, stdout and stderr together) of a command run to its end."""
    r = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, input=stdin)
    return r.returncode, (r.stdout + r.stderr).strip()


def expect_logged(ok, what, detail=""):
    """A Failure naming `what` (and `detail`, the command's output) unless `ok`; logs it if so."""
    if not ok:
        raise Failure(f"{what}\n{detail}".rstrip())
    log(f"ok: {what}")

def add_screen_options(ap, at_default):
    """The options every screen test takes (ctest passes them; tests/e2e/CMakeLists.txt)."""
    ap.add_argument("--kiosk", required=True, help="the kiosk binary")
    ap.add_argument("--assets", required=True, help="the source tree's assets folder")
    ap.add_argument("--artifacts", help="work folder, emptied first and removed on success: where the "
                    "screenshots, OCR text, kiosk log and data stay on a failure (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the screenshots even on success")
    ap.add_argument("--ready-timeout", type=float, default=20.0)
    add_clock_option(ap, at_default)


SCREEN_TOOLS = ("Xvfb", "xdotool", "tesseract", "import", "convert")


def missing_screen_tools(*more):
    """Installs the signal handlers and names the tools a screen test lacks ("" when none)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, exit_on_signal)
    return ", ".join(t for t in SCREEN_TOOLS + more if shutil.which(t) is None)


def check_stopped_kiosk(run, status):
    """After the kiosk's SIGTERM: it stopped cleanly, logged no error and its log keeps the
    privacy rules (logcheck.py). Returns the log's text."""
    logtext = run.kiosk_log.read_text(errors="replace")
    expect(status == 0, f"the kiosk did not stop cleanly on SIGTERM: {status}\n{logtext[-3000:]}")
    errors = [line for line in logtext.splitlines() if line.startswith("kiosk error")]
    expect(not errors, "the kiosk logged errors:\n" + "\n".join(errors))
    bad_lines = logcheck.problems(logtext, Path(run.args.assets) / "demo" / "cards.csv")
    expect(not bad_lines, "the kiosk's log breaks the privacy rules:\n" + "\n".join(bad_lines[:10]))
    return logtext


# --------------------------------------------------------------------------------------------
# Reading a screen: OCR lookups over Run.look


def last_log_line(run):
    lines = [l for l in run.kiosk_log.read_text(errors="replace").splitlines() if "[checkin]" in l or "[staff]" in l]
    return lines[-1] if lines else "(nothing)"


def word_at(words, label, fallback, below=0.0, above=1e9):
    """Centre of the first OCR word equal to `label` (folded) between `below` and `above` on the
    screen, else the layout's position."""
    want = fold(label)
    for word, x, y in words:
        if fold(word).strip(".:,;!?•*+·‹› ") == want and below <= y <= above:
            return x, y
    log(f"    ({label!r} not found by OCR: using the layout's position {fallback})")
    return fallback


def look(run, name, must=(), must_not=(), names_must_not=False):
    """Screenshot now, OCR, check; returns (folded text, word boxes)."""
    time.sleep(0.4)  # three frames after the last input have been drawn by then
    return run.look(run.grab(), name, must=must, must_not=must_not, names_must_not=names_must_not).result()


def until_text(run, name, phrase, timeout, must_not=(), also=()):
    """Screenshots until OCR (with its fallback variants) finds `phrase` and the `also` phrases;
    fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(0.4)
        started = time.monotonic()
        job = run.look(run.grab(), name, must=[phrase, *also], must_not=must_not, names_must_not=False)
        try:
            return job.result()
        except Failure:
            if started > deadline:  # OCR is slow: the deadline is for taking screenshots
                raise
            run.ocr_jobs.remove(job)  # a screen caught too early is not a failure
