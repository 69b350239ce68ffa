#!/usr/bin/python3
"""`kiosk doctor --config FILE` end to end: the real kiosk binary against the real test FHIR
server (tests/fhir-server/server.mjs over HTTPS with a throwaway PKI, mutual TLS and a bearer
token; its CapabilityStatement is open to anyone, as on most real servers, so the token is judged
on a search for the site) and a private cupsd (tests/print/private-cupsd.sh). A healthy box exits
0 with PASS lines; each fault (wrong CA, wrong pin, no client certificate, missing or wrong token,
a token file or client key others may read, a plain-http url, server down, skewed server clock,
unwritable/corrupt/readable data, missing camera, missing CUPS queue, missing audit key) gives its
FAIL line, a "->" advice line and exit 1. The token never appears in the output. A config with
several mistakes lists them all, and the checks it still allows run (a misspelt key does not hide
a missing CA file); usage errors exit 2. The server's CapabilityStatement declares all the kiosk
uses (PASS capability), and a server started with --undeclare Appointment:date gets a WARN
naming that parameter.

usage: doctor_e2e.py --kiosk BIN --server-dir tests/fhir-server --print-dir tests/print
Needs root (the private cupsd, an immutable data directory); exits 77 otherwise.
"""

import argparse
import os
import re
import select
import shutil
import json
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resources_e2e import QUEUE, PrivateCups  # noqa: E402  (the private cupsd with a cups-pdf queue)
TOKEN = "doctor-e2e-Secret-7f3a9c21"
WRONG_TOKEN = "doctor-e2e-Wrong-0000"
CONTROL = "doctor-e2e-control"

failures = []


def check(ok, what, output=""):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)
        if output:
            print("      output was:\n" + "\n".join("      | " + line for line in output.splitlines()))


class Server:
    """server.mjs on a free loopback port; prints one "listening URL" line when ready."""

    def __init__(self, server_dir, pki, work, extra=()):
        seed = work / "seed.json"  # the site the config names, so the token can be tried on it
        seed.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Location", "id": "site-main", "name": "Main clinic"}}]}))
        args = ["node", str(server_dir / "server.mjs"), "--port", "0", "--cert", str(pki / "server.crt"),
                "--key", str(pki / "server.key"), "--client-ca", str(pki / "ca.crt"), "--seed", str(seed),
                "--require-token", str(work / "server-token"), "--open-metadata", "--control-token", CONTROL,
                *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=open(work / "server.log", "a"), text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("listening "):
            self.proc.kill()
            sys.exit(f"the test FHIR server did not start: {line!r}; see {work / 'server.log'}")
        self.url = line.split()[1]
        self.origin = self.url.rsplit("/fhir/", 1)[0]
        self.ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
        self.ctx.load_cert_chain(str(pki / "client.crt"), str(pki / "client.key"))

    def fault(self, fault):
        """Queues one fault of the server's /__control API for the next matching request."""
        req = urllib.request.Request(f"{self.origin}/__control/faults", method="POST",
                                     data=json.dumps({"faults": [fault]}).encode(),
                                     headers={"Authorization": f"Bearer {CONTROL}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=self.ctx, timeout=30) as r:
            r.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def pin_of(cert):
    """curl's sha256//base64 pin of a certificate's public key."""
    pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(cert)], capture_output=True, check=True)
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub.stdout, capture_output=True,
                         check=True)
    dgst = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=der.stdout, capture_output=True, check=True)
    b64 = subprocess.run(["base64", "-w0"], input=dgst.stdout, capture_output=True, check=True)
    return "sha256//" + b64.stdout.decode().strip()


def write_config(path, s):
    """A kiosk config from the settings dict `s`."""
    pins = ", ".join(f'"{p}"' for p in s.get("pins", []))
    lines = ["[server]", f'url = "{s["url"]}"']
    for key in ("ca_file", "client_cert", "client_key", "token_file"):
        if s.get(key):
            lines.append(f'{key} = "{s[key]}"')
    if pins:
        lines.append(f"pinned_public_keys = [{pins}]")
    lines += ["[kiosk]", f'data_dir = "{s["data_dir"]}"', "[scanner]", f'camera_device = "{s.get("camera", "")}"',
              "[printer]", f'queue = "{s.get("queue", "")}"', f'server = "{s.get("print_server", "")}"']
    if s.get("key_file"):
        lines += ["[audit]", f'key_file = "{s["key_file"]}"']
    path.write_text("\n".join(lines) + "\n")


def doctor(kiosk, config):
    r = subprocess.run([kiosk, "doctor", "--config", str(config)], capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def line_of(output, verdict, name):
    """The report line for check `name`, if its verdict is `verdict`."""
    for line in output.splitlines():
        if re.match(rf"^{verdict}  {re.escape(name)}\s", line):
            return line
    return None


def expect_fail(kiosk, work, settings, name, words, advice, label):
    config = work / f"{label}.toml"
    write_config(config, settings)
    code, out = doctor(kiosk, config)
    line = line_of(out, "FAIL", name)
    check(code == 1, f"{label}: exit status 1 (was {code})", out)
    check(line is not None and words in line, f"{label}: 'FAIL  {name}' says '{words}'", out)
    lines = out.splitlines()
    nxt = lines[lines.index(line) + 1] if line in lines and lines.index(line) + 1 < len(lines) else ""
    check(nxt.strip().startswith("->") and advice in nxt, f"{label}: the next line advises '{advice}'", out)
    check(TOKEN not in out and WRONG_TOKEN not in out, f"{label}: no token in the output", out)
    check("checks:" in lines[-1] and "failed" in lines[-1], f"{label}: a summary line last", out)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--server-dir", required=True, type=Path)
    ap.add_argument("--print-dir", required=True, type=Path)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("doctor_e2e: needs root (private cupsd, immutable directory): skipped")
        return 77
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="kiosk-doctor-e2e-"))
    server = cups = None
    data = work / "data"
    try:
        pki = work / "pki"
        subprocess.run(["bash", str(args.server_dir / "make-test-pki.sh"), str(pki)], check=True)
        (work / "server-token").write_text(TOKEN + "\n")
        for name, text in (("token", TOKEN), ("wrong-token", WRONG_TOKEN)):
            (work / name).write_text(text + "\n")
            os.chmod(work / name, 0o640)  # as the README installs it: root and the kiosk's group
        server = Server(args.server_dir, pki, work)
        cups = PrivateCups(args.print_dir / "private-cupsd.sh", args.print_dir / "kiosk-tray-backend.sh", work)
        data.mkdir(mode=0o700)
        key = work / "audit.key"  # made the way the README's install step makes it
        r = subprocess.run([args.kiosk, "audit", "init-key", "--out", str(key)], capture_output=True, text=True)
        check(r.returncode == 0 and oct(key.stat().st_mode & 0o777) == "0o640", "audit init-key made a 0640 key",
              r.stdout + r.stderr)
        good = {"key_file": key, "url": server.url, "ca_file": pki / "ca.crt", "pins": [pin_of(pki / "server.crt")],
                "client_cert": pki / "client.crt", "client_key": pki / "client.key", "token_file": work / "token",
                "data_dir": data, "queue": QUEUE, "print_server": cups.sock}

        # A first sync makes the database (the server has no clinic yet: that round may fail).
        write_config(work / "good.toml", good)
        subprocess.run([args.kiosk, "sync", "--once", "--config", str(work / "good.toml")],
                       capture_output=True, timeout=120)
        check((data / "kiosk.db").exists(), "kiosk sync --once made kiosk.db")
        os.chmod(data / "kiosk.db", 0o600)

        code, out = doctor(args.kiosk, work / "good.toml")
        print(out)
        check(code == 0, f"healthy: exit status 0 (was {code})", out)
        for name in ("config", "data dir", "database", "outbox", "audit", "secrets", "server", "clock",
                     "capability", "printer"):
            check(line_of(out, "PASS", name) is not None, f"healthy: PASS {name}", out)
        for name in ("camera", "scanner"):
            check(line_of(out, "SKIP", name) is not None, f"healthy: SKIP {name} (not configured)", out)
        server_line = line_of(out, "PASS", "server") or ""
        check(re.search(rf"{re.escape(server.url)} answered in \d+ ms \(TLS verified by ca_file, pin ok, "
                        r"client certificate accepted, token accepted\)", server_line) is not None,
              "healthy: the server line names the URL, the time and what was verified", out)
        check(f"queue {QUEUE} on {cups.sock} ready, accepting jobs" in (line_of(out, "PASS", "printer") or ""),
              "healthy: the printer queue is ready", out)
        check(TOKEN not in out, "healthy: no token in the output", out)
        check(out.splitlines()[-1].startswith("12 checks: 10 passed, 0 warnings, 0 failed, 2 skipped"),
              "healthy: the summary counts", out)

        # As beside a running kiosk: another connection holds a write transaction on the WAL
        # database; an item has waited two days and one was refused.
        con = sqlite3.connect(data / "kiosk.db", isolation_level=None)
        check(con.execute("PRAGMA journal_mode").fetchone()[0] == "wal", "the kiosk's database is in WAL mode")
        now = int(time.time())
        con.execute("INSERT INTO outbox (kind, subject, created_at) VALUES ('attendance', 'e2e-old', ?)",
                    (now - 2 * 86400 - 60,))
        con.execute("INSERT INTO outbox (kind, subject, created_at, state, last_error) "
                    "VALUES ('attendance', 'e2e-refused', ?, 'rejected', 'HTTP 422')", (now - 600,))
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO outbox (kind, subject, created_at) VALUES ('attendance', 'e2e-open', ?)", (now,))
        out = expect_fail(args.kiosk, work, good, "outbox",
                          "1 item waiting, the oldest for 2 d 0 h (over 1 d 0 h); 1 item was refused by the server",
                          "staff status screen", "old and refused outbox items, database in use")
        check(line_of(out, "PASS", "database") is not None, "database in use: still read and PASS", out)
        con.execute("ROLLBACK")
        con.execute("DELETE FROM outbox WHERE subject LIKE 'e2e-%'")
        con.close()

        expect_fail(args.kiosk, work, {**good, "ca_file": pki / "untrusted-ca.crt"}, "server",
                    "TLS verification failed", "ca_file", "wrong CA file")
        expect_fail(args.kiosk, work, {**good, "pins": [pin_of(pki / "untrusted-server.crt")]}, "server",
                    "pin mismatch", "pinned_public_keys", "wrong pin")
        expect_fail(args.kiosk, work, {**good, "client_cert": "", "client_key": ""}, "server",
                    "the server asks for a client certificate and none is configured", "client_cert",
                    "no client certificate")
        expect_fail(args.kiosk, work, {**good, "client_cert": pki / "untrusted-server.crt",
                                       "client_key": pki / "untrusted-server.key"}, "server",
                    "client certificate refused", "client_cert", "client certificate of an untrusted CA")
        # /metadata answers without a token: the search for the site is what tells.
        expect_fail(args.kiosk, work, {**good, "token_file": ""}, "server",
                    "/Location?_id=site-main&_count=1 refused the kiosk (HTTP 401): it wants a bearer token",
                    "token_file", "missing token")
        expect_fail(args.kiosk, work, {**good, "token_file": work / "wrong-token"}, "server",
                    "/Location?_id=site-main&_count=1 refused the kiosk (HTTP 401): the token was not accepted",
                    "token_file", "wrong token")
        os.chmod(work / "token", 0o644)
        expect_fail(args.kiosk, work, good, "secrets", "is open to any user on this box", "chmod 0640",
                    "world-readable token file")
        os.chmod(work / "token", 0o640)
        os.chmod(pki / "client.key", 0o660)
        expect_fail(args.kiosk, work, good, "secrets", "can be changed by group", "chmod g-w",
                    "group-writable client key")
        os.chmod(pki / "client.key", 0o600)
        expect_fail(args.kiosk, work, {**good, "url": server.url.replace("https://", "http://", 1)}, "config",
                    "uses plain http://", "correct", "plain-http server url")
        server.fault({"action": "garbage", "match": {"method": "GET", "path": "/metadata"}})
        expect_fail(args.kiosk, work, good, "server", "answered HTTP 200 but not as a FHIR server", "[server] url",
                    "non-FHIR answer")
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        expect_fail(args.kiosk, work, {**good, "url": f"https://127.0.0.1:{closed}/fhir/R4"}, "server",
                    f"cannot reach 127.0.0.1:{closed}", "(getent hosts 127.0.0.1) and that the server is up",
                    "server down")
        expect_fail(args.kiosk, work, {**good, "camera": "/dev/video-kiosk-e2e-missing"}, "camera",
                    "no camera at /dev/video-kiosk-e2e-missing", "/dev/v4l/by-id/", "missing camera")
        expect_fail(args.kiosk, work, {**good, "queue": "NoSuchQueue"}, "printer",
                    "no CUPS queue NoSuchQueue", "lpstat -p", "missing CUPS queue")
        expect_fail(args.kiosk, work, {**good, "key_file": work / "no-such.key"}, "audit",
                    f"{work / 'no-such.key'}: the file does not exist",
                    f"kiosk audit init-key --out {work / 'no-such.key'}", "missing audit key")

        # Data: readable by everyone, unwritable (immutable, which binds root too), corrupt.
        os.chmod(data, 0o755)
        os.chmod(data / "kiosk.db", 0o644)
        expect_fail(args.kiosk, work, good, "data dir", "any user on this box can read kiosk.db", "chmod 700",
                    "world-readable database")
        os.chmod(data, 0o700)
        os.chmod(data / "kiosk.db", 0o600)
        subprocess.run(["chattr", "+i", str(data)], check=True)
        try:
            expect_fail(args.kiosk, work, good, "data dir", "cannot write there", "chown", "unwritable data dir")
        finally:
            subprocess.run(["chattr", "-i", str(data)], check=True)
        db = data / "kiosk.db"
        size = db.stat().st_size
        with open(db, "r+b") as f:  # wreck every page after the header page
            f.seek(4096)
            f.write(os.urandom(max(size - 4096, 8192)))
        for extra in ("kiosk.db-wal", "kiosk.db-shm"):
            (data / extra).unlink(missing_ok=True)
        out = expect_fail(args.kiosk, work, good, "database", str(db), "somewhere safe", "corrupt database")
        check(line_of(out, "SKIP", "outbox") is not None, "corrupt database: outbox not read", out)
        db.unlink()
        code, out = doctor(args.kiosk, work / "good.toml")
        check(code == 0 and "first start will create it" in (line_of(out, "WARN", "database") or ""),
              "no database: a WARN, exit 0", out)
        check(not db.exists(), "no database: the doctor did not create one")

        # The server's clock 10 minutes ahead of ours.
        server.stop()
        server = Server(args.server_dir, pki, work, extra=("--date-skew", "600"))
        # (the URL's port changed with the restart)
        write_config(work / "skew.toml", {**good, "url": server.url})
        code, out = doctor(args.kiosk, work / "skew.toml")
        check(code == 1, f"skewed clock: exit status 1 (was {code})", out)
        check(re.search(r"this box's clock is (9|10) min behind the server's", line_of(out, "FAIL", "clock") or ""),
              "skewed clock: FAIL clock says how far and which way", out)

        # A server whose CapabilityStatement leaves out a search parameter the kiosk sends (it still
        # supports it): a WARN naming it, exit 0.
        server.stop()
        server = Server(args.server_dir, pki, work, extra=("--undeclare", "Appointment:date"))
        write_config(work / "undeclared.toml", {**good, "url": server.url})
        code, out = doctor(args.kiosk, work / "undeclared.toml")
        check(code == 0, f"undeclared search parameter: exit status 0 (was {code})", out)
        warn = line_of(out, "WARN", "capability") or ""
        check("does not declare what the kiosk uses: Appointment search by 'date'" in warn
              and ";" not in warn, "undeclared search parameter: WARN capability names it, and only it", out)

        # A broken config: its FAIL names file, line and key; --data-dir still checks the data;
        # nothing is sent to the server on a server setting that is wrong.
        bad = work / "bad.toml"
        bad.write_text(f'[server]\nurl = "{server.url}"\nsync_interval_seconds = "soon"\n')
        r = subprocess.run([args.kiosk, "doctor", "--config", str(bad), "--data-dir", str(data)],
                           capture_output=True, text=True, timeout=60)
        out = r.stdout + r.stderr
        check(r.returncode == 1, f"invalid config: exit status 1 (was {r.returncode})", out)
        check(f"{bad}:3: 'server.sync_interval_seconds'" in (line_of(out, "FAIL", "config") or ""),
              "invalid config: FAIL config names the file, line and key", out)
        check(line_of(out, "PASS", "data dir") is not None, "invalid config: --data-dir is still checked", out)
        check(all("'server.sync_interval_seconds' has a bad value" in (line_of(out, "SKIP", n) or "")
                  for n in ("server", "clock")),
              "invalid config: server and clock are SKIP, naming the bad key", out)

        # Every problem in one go: a misspelt key in one section and a missing CA file in another
        # (and a bad paper size) are all reported by one run (issue 13.6).
        several = work / "several.toml"
        write_config(several, {**good, "url": server.url, "ca_file": str(work / "no-such-ca.crt")})
        several.write_text(several.read_text().replace("camera_device", "camra_device")
                           .replace("[printer]\n", '[printer]\npaper = "legal"\n'))
        code, out = doctor(args.kiosk, several)
        fails = [line for line in out.splitlines() if line.startswith("FAIL  config")]
        check(code == 1, f"several mistakes: exit status 1 (was {code})", out)
        check(any("'scanner.camra_device' is not a known key" in f for f in fails)
              and any("'printer.paper' must be" in f for f in fails) and len(fails) == 2,
              "several mistakes: a FAIL config line for each, with file and line", out)
        check(f"server.ca_file {work / 'no-such-ca.crt'} cannot be read" in (line_of(out, "FAIL", "server") or ""),
              "several mistakes: the missing CA file is reported in the same run", out)
        check("'printer.paper' has a bad value" in (line_of(out, "SKIP", "printer") or ""),
              "several mistakes: the printer, whose setting is bad, is not checked on a default", out)

        # No --config: the installed service's file; usage errors (CLI11's too) exit 2.
        r = subprocess.run([args.kiosk, "doctor"], capture_output=True, text=True, timeout=60)
        check("/etc/iop-kiosk/kiosk.toml" in (line_of(r.stdout, "FAIL", "config") or line_of(r.stdout, "PASS", "config") or ""),
              "no --config: doctor reads /etc/iop-kiosk/kiosk.toml", r.stdout + r.stderr)
        for argv in (["doctor", "--no-such-option"], ["doctor", "--config"], ["--no-such-option"],
                     ["no-such-command", "x"]):
            r = subprocess.run([args.kiosk, *argv], capture_output=True, text=True, timeout=30)
            check(r.returncode == 2, f"kiosk {' '.join(argv)}: usage error, exit 2 (was {r.returncode})",
                  r.stdout + r.stderr)
    finally:
        subprocess.run(["chattr", "-i", str(data)], capture_output=True)
        if server:
            server.stop()
        if cups:
            cups.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"doctor_e2e: {len(failures)} failed, in {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
