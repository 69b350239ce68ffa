"""Shared rig for the crash, soak and budget runs (tests/e2e/crash_e2e.py, soak_e2e.py,
tests/bench/budget.py): Xvfb displays, the loopback FHIR test server with a throwaway PKI,
generated clinics, the real kiosk started on a display and driven like a keyboard-wedge scanner
(xdotool), and its log and SQLite file read back. Standard library only.
"""

import base64
import contextlib
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
import urllib.parse
import urllib.request
from pathlib import Path

import xdisplay  # tests/e2e, beside this file

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


def outbox_pending(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    finally:
        con.close()


def log(msg, t0=[time.monotonic()]):
    print(f"[{time.monotonic() - t0[0]:6.1f}s] {msg}", flush=True)


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr, flush=True)
    return 1
