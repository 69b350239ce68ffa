#!/usr/bin/env python3
"""Sync benchmark: the real `kiosk sync --once` against the loopback FHIR test server.

Generates a clinic group (default 10,000 patients, 2,000 appointments this ISO week at one site,
50,000 HealthcareServices with 10,000 Organizations and 10,000 Locations), seeds the test server
with it (fresh test PKI, port 0), then measures with the real binary:

  1. the first pull into an empty store (everything the week needs, plus the directory);
  2. a delta pull with nothing changed;
  3. the push of N check-ins queued offline (written to the SQLite file the way the app writes
     them: attendance + outbox "encounter"), one conditional create per Encounter, plus the
     delta pull that follows in the same round.

For each: wall time, FHIR requests made (the server's /__control/stats), and the kiosk's peak
resident memory (wait4 rusage). Also checks that every check-in is on the server exactly once.
A benchmark to run by hand, not a ctest:

  /usr/bin/python3 tests/bench/sync_bench.py [--kiosk build/bin/kiosk] [--patients 10000]
      [--appointments 2000] [--services 50000] [--checkins 1000]

Needs node and tests/fhir-server/node_modules (npm ci). Standard library only.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))
import kioskrig as rig  # noqa: E402  (the test server, its PKI)

ZONE = "America/Los_Angeles"


def iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def week_bounds(now):
    local = now.astimezone(ZoneInfo(ZONE))
    monday = (local - dt.timedelta(days=local.isoweekday() - 1)).date()
    start = dt.datetime.combine(monday, dt.time(0), ZoneInfo(ZONE))
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), ZoneInfo(ZONE))
    return start, end


def ref(r):
    return {"reference": r}


def generate(args, now):
    start, end = week_bounds(now)
    rooms = 20
    entries = [{"resourceType": "Location", "id": "site-main", "name": "Bench Clinic",
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/timezone", "valueCode": ZONE}]}]
    entries += [{"resourceType": "Location", "id": f"room-{r}", "name": f"Room {r}",
                 "partOf": ref("Location/site-main")} for r in range(rooms)]
    staff = 50
    for s in range(staff):
        entries.append({"resourceType": "Practitioner", "id": f"prac-{s}",
                        "identifier": [{"system": "urn:iop-kiosk:credential-sha256",
                                        "value": hashlib.sha256(f"staff-{s}".encode()).hexdigest()}],
                        "name": [{"given": ["Staff"], "family": f"M{s}"}]})
        entries.append({"resourceType": "PractitionerRole", "id": f"role-{s}", "active": True,
                        "practitioner": ref(f"Practitioner/prac-{s}"), "location": [ref("Location/site-main")],
                        "code": [{"coding": [{"system": "urn:iop-kiosk:role", "code": "facilitator"}]}]})
    for p in range(args.patients):
        entries.append({"resourceType": "Patient", "id": f"pat-{p}",
                        "identifier": [{"system": "urn:iop-kiosk:credential-sha256",
                                        "value": hashlib.sha256(f"tok-{p}".encode()).hexdigest()}],
                        "name": [{"given": [f"Given{p}"], "family": f"Family{p % 997}"}],
                        "birthDate": "1990-01-01" if p % 7 else "2011-06-01"})
    per_appt = max(1, (2 * args.patients) // max(1, args.appointments))
    span = (end - start).total_seconds() - 3 * 3600
    appointments = []
    for a in range(args.appointments):
        t = start + dt.timedelta(seconds=int(span * a / max(1, args.appointments)))
        people = sorted({(a * per_appt // 2 + k) % args.patients for k in range(per_appt)})
        appointments.append((f"appt-{a}", people))
        entries.append({"resourceType": "Appointment", "id": f"appt-{a}", "status": "booked",
                        "serviceType": [{"text": f"Group {a % 12}"}], "start": iso(t),
                        "end": iso(t + dt.timedelta(minutes=50)),
                        "participant": [{"actor": ref(f"Location/room-{a % rooms}"), "status": "accepted"},
                                        {"actor": ref(f"Practitioner/prac-{a % staff}"), "status": "accepted"}]
                        + [{"actor": ref(f"Patient/pat-{p}"), "status": "accepted"} for p in people]})
    orgs = max(1, args.services // 5)
    for o in range(orgs):
        entries.append({"resourceType": "Organization", "id": f"org-{o}", "name": f"Community Org {o}",
                        "telecom": [{"system": "phone", "value": f"+1-503-555-{o % 10000:04d}"}]})
        entries.append({"resourceType": "Location", "id": f"dir-loc-{o}", "name": f"Office {o}",
                        "address": {"line": [f"{o} Main St"], "city": "Portland", "state": "OR"},
                        "position": {"latitude": 45.5 + (o % 100) / 1000, "longitude": -122.6 - (o % 77) / 1000}})
    categories = ["housing", "food", "employment", "transportation", "legal", "health"]
    for h in range(args.services):
        o = h % orgs
        entries.append({"resourceType": "HealthcareService", "id": f"hs-{h}", "active": True,
                        "name": f"{categories[h % 6].title()} help {h}",
                        "providedBy": ref(f"Organization/org-{o}"), "location": [ref(f"Location/dir-loc-{o}")],
                        "category": [{"text": categories[h % 6]}],
                        "availableTime": [{"daysOfWeek": ["mon", "tue", "wed"], "availableStartTime": "09:00:00",
                                           "availableEndTime": "17:00:00"}]})
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in entries]}
    return bundle, appointments


def peak_rss_mb(pid):
    """VmHWM: the peak resident set of the process image (wait4's ru_maxrss would also count
    the Python parent it was forked from)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def run_kiosk(kiosk, config):
    t0 = time.monotonic()
    out_file = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([kiosk, "sync", "--once", "--config", str(config)],
                            stdout=out_file, stderr=subprocess.STDOUT, text=True)
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        peak = max(peak, peak_rss_mb(proc.pid))
        time.sleep(0.05)
    wall = time.monotonic() - t0
    out_file.seek(0)
    out = out_file.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"kiosk sync failed:\n{out}")
    return wall, peak, usage.ru_utime + usage.ru_stime, out.strip()


def server_ms(log, offset):
    """Sum of the server's own time per request (its --log lines) written after `offset`."""
    total = 0
    with open(log, "rb") as f:
        f.seek(offset)
        for line in f.read().decode("utf-8", "replace").splitlines():
            if line.endswith("ms") and " -> " in line:
                total += int(line.rsplit(" ", 1)[1][:-2])
    return total / 1000.0


def queue_checkins(db, appointments, count, now):
    con = sqlite3.connect(db)
    queued = []
    t = int(now.timestamp())
    with con:
        for appt, people in appointments:
            for p in people:
                if len(queued) >= count:
                    break
                person = f"Patient/pat-{p}"
                ident = hashlib.sha256(f"{appt}/{person}".encode()).hexdigest()
                if con.execute("SELECT 1 FROM attendance WHERE identifier = ?", (ident,)).fetchone():
                    continue
                con.execute("INSERT INTO attendance (identifier, session_id, person_ref, checked_in_at, "
                            "source, recorded_by) VALUES (?, ?, ?, ?, 'scan', 'bench')", (ident, appt, person, t))
                con.execute("INSERT INTO outbox (kind, subject, created_at) VALUES ('encounter', ?, ?)", (ident, t))
                queued.append(ident)
            if len(queued) >= count:
                break
    con.close()
    return queued


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", default="build/bin/kiosk")
    ap.add_argument("--patients", type=int, default=10000)
    ap.add_argument("--appointments", type=int, default=2000)
    ap.add_argument("--services", type=int, default=50000)
    ap.add_argument("--checkins", type=int, default=1000)
    args = ap.parse_args()
    kiosk = str(Path(args.kiosk).resolve())
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        tmp = Path(tmp)
        pki = tmp / "pki"
        rig.make_pki(pki)
        now = dt.datetime.now(dt.timezone.utc)
        bundle, appointments = generate(args, now)
        seed = tmp / "seed.json"
        seed.write_text(json.dumps(bundle))
        print(f"seed: {len(bundle['entry'])} resources, {seed.stat().st_size / 1e6:.1f} MB")
        t0 = time.monotonic()
        server = rig.FhirServer(pki, seed, tmp / "server.log", start_timeout=1800)  # a large seed
        seeded_at = time.monotonic()
        print(f"server seeded and listening in {seeded_at - t0:.1f} s: {server.base}")
        try:
            config = rig.write_config(tmp / "kiosk.toml", server, "bench-1", tmp / "data", ZONE)
            rows = []

            log = tmp / "server.log"

            def measure(name):
                server.reset_stats()
                offset = log.stat().st_size
                wall, rss, cpu, out = run_kiosk(kiosk, config)
                stats = server.stats()
                busy = server_ms(log, offset)
                rows.append((name, wall, stats["total"], rss, cpu, busy))
                print(f"{name}: {wall:.1f} s, {stats['total']} requests, peak RSS {rss:.0f} MB, "
                      f"kiosk CPU {cpu:.1f} s, server busy {busy:.1f} s\n  {out}\n  {stats['requests']}")

            # The kiosk's cursors overlap by 120 s: data younger than that is seen again by the
            # next delta. A clinic's data is older; wait so the delta shows the steady state.
            time.sleep(max(0.0, seeded_at + 125 - time.monotonic()))
            measure("first pull")
            db = tmp / "data" / "kiosk.db"
            con = sqlite3.connect(db)
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("person", "session", "enrolment", "credential", "directory_resource")}
            con.close()
            print(f"  store: {counts}, {db.stat().st_size / 1e6:.1f} MB")
            measure("delta pull, nothing changed")
            queued = queue_checkins(db, appointments, args.checkins, now)
            measure(f"push {len(queued)} check-ins (+ delta pull)")
            encounters = 0
            url = f"{server.base}/Encounter?_count=1000&_elements=identifier"
            seen = {}
            while url:
                page = server.call("GET", url, control=False)
                for e in page.get("entry", []):
                    for ident in e["resource"].get("identifier", []):
                        seen[ident["value"]] = seen.get(ident["value"], 0) + 1
                    encounters += 1
                url = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
            once = sum(1 for q in queued if seen.get(q) == 1)
            print(f"  on the server: {encounters} Encounters; {once} of {len(queued)} check-ins exactly once")
            print("\n| step | wall time | requests | kiosk peak RSS | kiosk CPU | server busy |")
            print("|---|---|---|---|---|---|")
            for name, wall, total, rss, cpu, busy in rows:
                print(f"| {name} | {wall:.1f} s | {total} | {rss:.0f} MB | {cpu:.1f} s | {busy:.1f} s |")
            if once != len(queued):
                sys.exit(1)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
