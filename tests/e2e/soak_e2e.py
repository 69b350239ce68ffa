#!/usr/bin/env python3
"""Soak: a simulated clinic day at 60x with three kiosks on one test FHIR server.

Seeds the loopback FHIR test server (tests/fhir-server, throwaway PKI) with a generated clinic:
sessions every 90 minutes from 07:30 (clinic time), each with 20 of the clinic's participants.
Three kiosks run on three Xvfb displays with `--test-clock START,60` (the TEST-ONLY clock of
kiosk/core/ScaledClock.h), all on the same simulated day. Through the simulated window each
participant arrives 40 minutes before to 5 minutes after their session's start and scans their
card at their usual kiosk; most scan again to leave 20-45 minutes into the session (the others
are closed automatically at the session's end). Every 2 s the kiosks' resident memory (VmRSS,
/proc/PID/status) is sampled.

It checks that every card typed was confirmed as expected (checked in, then checked out), that
after warm-up (the first 20 % of the run) each kiosk's resident memory grew less than 5 %
(median of the last 10 % of samples against the median just after warm-up), and, once the
outboxes are empty, that every confirmed check-in is one Encounter on the server (searched by
identifier), with a period end for each confirmed check-out, and no identifier twice.

  soak_e2e.py --kiosk build/bin/kiosk [--hours 2] [--rate 60] [--artifacts DIR]

--hours 2 (the ctest size) simulates 07:00-09:00 in 2 minutes; --hours 14 a whole clinic day
(07:00-21:00) in 14 minutes. Needs Xvfb, xdotool, node and tests/fhir-server/node_modules.
"""

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402
from kioskrig import Failure, log  # noqa: E402

KIOSKS = 3
PARTICIPANTS = 60
PER_SESSION = 20
ZONE = "America/Los_Angeles"
SAMPLE_S = 2.0


def plan(day_start, hours, rnd):
    """Sessions of the simulated day and the scans (sim time, person, 'in'|'out', session)."""
    sessions, scans = [], []
    window_end = day_start + dt.timedelta(hours=hours)
    t = day_start + dt.timedelta(minutes=30)
    n = 0
    while t < day_start + dt.timedelta(hours=14):
        people = sorted(rnd.sample(range(PARTICIPANTS), PER_SESSION))
        end = t + dt.timedelta(minutes=50)
        sessions.append((f"appt-{n}", t, end, f"Group {n % 6}", people))
        for p in people:
            arrive = t + dt.timedelta(seconds=rnd.randrange(-40 * 60, 5 * 60))
            if arrive < window_end:
                scans.append((arrive, p, "in", f"appt-{n}"))
            if rnd.random() < 0.75:
                leave = t + dt.timedelta(seconds=rnd.randrange(20 * 60, 45 * 60))
                if leave < window_end:
                    scans.append((leave, p, "out", f"appt-{n}"))
        t += dt.timedelta(minutes=90)
        n += 1
    scans.sort()
    return sessions, scans


def median(v):
    s = sorted(v)
    return (s[(len(s) - 1) // 2] + s[len(s) // 2]) / 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", default=str(rig.ROOT / "build" / "bin" / "kiosk"))
    ap.add_argument("--hours", type=float, default=2.0, help="simulated clinic hours from 07:00")
    ap.add_argument("--rate", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--max-growth", type=float, default=5.0, help="percent (default 5)")
    ap.add_argument("--artifacts")
    args = ap.parse_args()
    work, seed, rnd = rig.start_run(args, "soak-e2e-")

    zone = ZoneInfo(ZONE)
    today = dt.datetime.now(zone).date()
    day_start = dt.datetime.combine(today, dt.time(7, 0), zone)
    sessions, scans = plan(day_start, args.hours, rnd)
    bundle, tokens = rig.clinic_bundle(ZONE, PARTICIPANTS, sessions, PER_SESSION)
    (work / "clinic.json").write_text(json.dumps(bundle))
    home = {p: p % KIOSKS for p in range(PARTICIPANTS)}
    log(f"soak: {args.hours:g} clinic hours from {day_start.isoformat()} at {args.rate:g}x, "
        f"{len(scans)} scans at {KIOSKS} kiosks, seed {seed}, in {work}")

    procs = []
    server = None
    t_all = time.monotonic()
    try:
        pki = rig.make_pki(work / "pki")
        server = rig.FhirServer(pki, work / "clinic.json", work / "server.log")
        kiosks, configs = [], []
        for k in range(KIOSKS):
            x = rig.Xvfb(work / f"xvfb-{k}.log")
            procs.append(x)
            cfg = rig.write_config(work / f"kiosk-{k}.toml", server, f"soak-{k}", work / f"data-{k}",
                                   ZONE, 5)
            configs.append(cfg)
            kiosks.append(rig.Kiosk(args.kiosk, x.display, work / f"kiosk-{k}.log",
                                    ["--config", str(cfg), "--windowed", "1280x800"]))
        # One simulated timeline: kiosk k gets the simulated time of its own launch.
        real0 = time.monotonic()

        def sim_now():
            return day_start + dt.timedelta(seconds=(time.monotonic() - real0) * args.rate)

        for k in kiosks:
            k.args += ["--test-clock", f"{rig.iso(sim_now())},{args.rate:g}"]
            k.start()
            procs.append(k)
        for k, kiosk in enumerate(kiosks):  # wait for the first pulls
            db = work / f"data-{k}" / "kiosk.db"
            deadline = time.monotonic() + 120
            while True:
                try:
                    con = rig.sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                    n = con.execute("SELECT count(*) FROM session").fetchone()[0]
                    con.close()
                except rig.sqlite3.Error:
                    n = 0
                if n >= len(sessions):
                    break
                if time.monotonic() > deadline:
                    raise Failure(f"kiosk {k} did not pull the clinic in 120 s")
                time.sleep(0.2)
        log(f"kiosks ready and pulled at simulated {sim_now().strftime('%H:%M')}")

        end_sim = day_start + dt.timedelta(hours=args.hours)
        rss = [[] for _ in kiosks]
        next_sample = time.monotonic()
        i = 0
        expected = []  # (kiosk, kind, person, session)
        while sim_now() < end_sim:
            now = time.monotonic()
            if now >= next_sample:
                for k, kiosk in enumerate(kiosks):
                    if not kiosk.alive():
                        raise Failure(f"kiosk {k} died:\n" + kiosk.log_text()[-2000:])
                    rss[k].append(kiosk.rss_kb())
                next_sample += SAMPLE_S
            if i < len(scans) and scans[i][0] <= sim_now():
                at, p, what, sid = scans[i]
                k = home[p]
                kiosks[k].scan_and_read(tokens[p])
                expected.append((k, "checked-in" if what == "in" else "checked-out",
                                 f"Patient/pat-{p}", sid))
                i += 1
                continue
            time.sleep(0.02)
        log(f"simulated window over: {i} scans typed; waiting for the outboxes")
        time.sleep(1.0)
        deadline = time.monotonic() + 180
        while any(rig.outbox_pending(work / f"data-{k}" / "kiosk.db") for k in range(KIOSKS)):
            if time.monotonic() > deadline:
                raise Failure("the outboxes did not empty within 180 s")
            time.sleep(1.0)

        problems = []
        confirmed = []
        for k, kiosk in enumerate(kiosks):
            got = kiosk.confirmed()
            confirmed += [(k, kind, person, sess) for kind, person, sess in got]
        # Each card typed was confirmed, at its kiosk, as the check-in or check-out it was meant
        # to be. Which session it went to is the kiosk's call on its own clock: on a loaded
        # machine a scan typed a second late is a simulated minute late at 60x.
        have = {(k, kind, person) for k, kind, person, _ in confirmed}
        for e in expected:
            if e[:3] not in have:
                problems.append(f"not confirmed as expected: {e}")
        on_server = server.encounters()
        for ident, found in on_server.items():
            if len(found) != 1:
                problems.append(f"identifier {ident[:12]} is on the server {len(found)} times")
        outs = {(person, s) for _, kind, person, sess in confirmed if kind == "checked-out" for s in sess}
        ins = {(person, s) for _, kind, person, sess in confirmed if kind == "checked-in" for s in sess}
        for person, s in ins:
            found = on_server.get(rig.attendance_identifier(s, person), [])
            if len(found) != 1:
                problems.append(f"{person} {s}: {len(found)} Encounters on the server")
            elif (person, s) in outs and not found[0].get("period", {}).get("end"):
                problems.append(f"{person} {s}: checked out, but the Encounter has no period end")

        print()
        print("| kiosk | samples | RSS after warm-up | RSS at end | max | growth |")
        print("|---|---|---|---|---|---|")
        for k, series in enumerate(rss):
            n = len(series)
            if n < 10:
                problems.append(f"kiosk {k}: only {n} RSS samples")
                continue
            base = median(series[n // 5:n * 3 // 10 + 1])
            end = median(series[n * 9 // 10:])
            growth = (end / base - 1) * 100
            print(f"| soak-{k} | {n} | {base / 1024:.1f} MB | {end / 1024:.1f} MB | "
                  f"{max(series[n // 5:]) / 1024:.1f} MB | {growth:+.2f} % |")
            if growth >= args.max_growth:
                problems.append(f"kiosk {k}: resident memory grew {growth:.1f} % after warm-up")
        print(f"\n{len(expected)} scans typed, {len(confirmed)} confirmed ({len(ins)} check-ins, "
              f"{len(outs)} check-outs), {len(on_server)} Encounters on the server; "
              f"{time.monotonic() - t_all:.0f} s in all; load {open('/proc/loadavg').read().split()[0]}")
        for k, kiosk in enumerate(kiosks):
            status = kiosk.stop()
            if status != 0:
                problems.append(f"kiosk {k} exit status after SIGTERM: {status}")
        if problems:
            raise Failure("\n  ".join([f"{len(problems)} problem(s):"] + problems[:30]))
        print("PASS: memory flat and every check-in and check-out delivered once")
        if not args.artifacts:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    except Failure as e:
        print(f"FAIL: {e}\n(logs and data kept in {work}; seed {seed})", file=sys.stderr)
        return 1
    finally:
        for p in reversed(procs):
            p.stop()
        if server:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
