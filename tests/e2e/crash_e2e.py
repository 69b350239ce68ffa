#!/usr/bin/env python3
"""Crash consistency: kill -9 the real kiosk at random moments during bursts of check-ins.

Seeds the loopback FHIR test server (tests/fhir-server, throwaway PKI) with a generated clinic
(enough participants for the run, sessions that started 20 minutes ago so a second scan checks
out), starts the kiosk under Xvfb with a config for that server, waits for its first pull, then
repeats ITERATIONS times:

  1. type a burst of cards into the window as a keyboard-wedge scanner does (xdotool): check-ins,
     and check-outs of people checked in a while before;
  2. SIGKILL the kiosk at a random moment of the burst (its sync thread is often mid-push: each
     check-in wakes it at once);
  3. restart it, and with it running check kiosk.db: `PRAGMA integrity_check` is ok and every
     scan the kiosk confirmed so far (its log line "[checkin] confirmed: checked-in|checked-out
     person=... sessions=...", written after the commit and before the screen confirms) is
     exactly one attendance row per session with the Encounter identifier, checked out when the
     confirmation said so, with an outbox item for it.

At the end the kiosk is stopped, `kiosk sync --once` runs until the outbox is empty, and every
confirmed check-in is exactly one Encounter on the server (searched by identifier), with a
period end when it was checked out; no identifier is on the server twice.

  crash_e2e.py --kiosk build/bin/kiosk [--iterations 200] [--burst 3] [--seed N]
               [--artifacts DIR]

Needs Xvfb, xdotool, node and tests/fhir-server/node_modules. Standard library only.
"""

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402
from kioskrig import Failure, log  # noqa: E402

PER_SESSION = 50
OUT_LAG = 30  # a person's check-out is typed 30 cards after their check-in (> 10 s later)


def schedule(patients):
    """The order cards are typed in: person i checks in, person i - OUT_LAG checks out."""
    events = []
    for i in range(patients):
        events.append(i)
        if i >= OUT_LAG:
            events.append(i - OUT_LAG)
    return events


class Burst(threading.Thread):
    """Types cards one after the other until told to stop or the window is gone."""

    def __init__(self, kiosk, tokens):
        super().__init__(daemon=True)
        self.kiosk, self.tokens, self.typed = kiosk, tokens, 0
        self.stop_now = threading.Event()

    def run(self):
        for token in self.tokens:
            if self.stop_now.is_set():
                return
            try:
                self.kiosk.scan(token)
            except (Failure, rig.subprocess.TimeoutExpired):
                return  # the kiosk was killed under it
            self.typed += 1


def check_local(db, confirmed):
    """Checks kiosk.db against every confirmed scan so far; returns the number checked."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchall()
        if ok != [("ok",)]:
            raise Failure(f"PRAGMA integrity_check: {ok}")
        rows = {}
        for ident, session, person, out in con.execute(
                "SELECT identifier, session_id, person_ref, checked_out_at FROM attendance"):
            rows.setdefault((session, person), []).append((ident, out))
        queued = {s for (s,) in con.execute("SELECT subject FROM outbox WHERE kind = 'encounter'")}
    finally:
        con.close()
    for kind, person, sessions in confirmed:
        if kind not in ("checked-in", "checked-out"):
            continue
        for s in sessions:
            found = rows.get((s, person), [])
            if len(found) != 1:
                raise Failure(f"confirmed {kind} {person} {s}: {len(found)} attendance rows")
            ident, out = found[0]
            if ident != rig.attendance_identifier(s, person):
                raise Failure(f"{person} {s}: identifier {ident} is not sha256(session/person)")
            if kind == "checked-out" and out is None:
                raise Failure(f"confirmed check-out of {person} from {s} is not in kiosk.db")
            if ident not in queued:
                raise Failure(f"confirmed {kind} {person} {s} has no outbox item")
    return len(confirmed)


def pending_identifiers(db):
    return [s for (s,) in rig.db_rows(
        db, "SELECT subject FROM outbox WHERE kind = 'encounter' AND state = 'pending'")]


def wait_for_pull(db, patients, kiosk, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not kiosk.alive():
            raise Failure("the kiosk exited during its first pull:\n" + kiosk.log_text()[-3000:])
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            n = con.execute("SELECT count(*) FROM enrolment").fetchone()[0]
            con.close()
            if n >= patients:
                return
        except sqlite3.Error:
            pass
        time.sleep(0.5)
    raise Failure(f"the kiosk did not pull the clinic within {timeout} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", default=str(rig.ROOT / "build" / "bin" / "kiosk"))
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--burst", type=int, default=3, help="cards typed per burst (default 3)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    ap.add_argument("--artifacts", help="keep the logs and data here (default: a temp folder)")
    args = ap.parse_args()
    work, seed, rnd = rig.start_run(args, "crash-e2e-")
    log(f"crash test: {args.iterations} kills, bursts of {args.burst}, seed {seed}, in {work}")

    patients = args.iterations * args.burst // 2 + OUT_LAG + 20
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    zone = rig.midday_zone(now)
    start, end = now - dt.timedelta(minutes=20), now + dt.timedelta(hours=8)
    sessions = [(f"appt-{n}", start, end, f"Group {n}", list(range(p, min(patients, p + PER_SESSION))))
                for n, p in enumerate(range(0, patients, PER_SESSION))]
    session_of = {p: sid for sid, _, _, _, people in sessions for p in people}
    bundle, tokens = rig.clinic_bundle(zone, patients, sessions, PER_SESSION)
    (work / "clinic.json").write_text(json.dumps(bundle))
    order = schedule(patients)

    t0 = time.monotonic()
    xvfb = server = kiosk = None
    try:
        pki = rig.make_pki(work / "pki")
        server = rig.FhirServer(pki, work / "clinic.json", work / "server.log")
        xvfb = rig.Xvfb(work / "xvfb.log")
        config = rig.write_config(work / "kiosk.toml", server, "crash-1", work / "data", zone, 5)
        db = work / "data" / "kiosk.db"
        kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk.log",
                          ["--config", str(config), "--windowed", "1280x800"])
        kiosk.start()
        wait_for_pull(db, patients, kiosk)
        log(f"{patients} participants in {len(sessions)} sessions pulled ({zone}); "
            f"setup took {time.monotonic() - t0:.1f} s")

        cursor = 0
        kills_pending = kills_in_window = 0
        starts = []
        loop_t0 = time.monotonic()
        confirmed = []
        for it in range(1, args.iterations + 1):
            if cursor + args.burst > len(order):
                raise Failure("ran out of cards: make more participants")
            cards = [tokens[p] for p in order[cursor:cursor + args.burst]]
            cursor += args.burst
            burst = Burst(kiosk, cards)
            burst.start()
            # A card takes ~0.25 s to type; the kill lands anywhere in the burst.
            time.sleep(rnd.uniform(0.0, 0.3 * args.burst + 0.2))
            try:
                pending_before = len(pending_identifiers(db))
            except sqlite3.Error:
                pending_before = 0
            kiosk.kill9()
            burst.stop_now.set()
            burst.join(timeout=30)
            confirmed += kiosk.confirmed(whole=False)
            pending = pending_identifiers(db)
            kills_pending += pending_before > 0
            # On the server but not marked delivered: killed between the write and the mark.
            kills_in_window += any(server.encounters_with(i) for i in pending)
            starts.append(kiosk.start())
            check_local(db, confirmed)
            if it % 25 == 0 or it == args.iterations:
                log(f"{it} kills: {len(confirmed)} confirmed scans all in kiosk.db, integrity ok; "
                    f"{kills_pending} with items pending, {kills_in_window} between a server write "
                    f"and its local mark")
        loop_s = time.monotonic() - loop_t0

        status = kiosk.stop()
        if status != 0:
            raise Failure(f"the kiosk's exit status after SIGTERM was {status}")
        for attempt in range(6):
            rc, out = rig.sync_once(args.kiosk, config)
            if rc == 0 and rig.outbox_pending(db) == 0:
                break
            time.sleep(2)
        else:
            raise Failure(f"the outbox did not drain: {out}")
        log(f"synced: {out}")
        on_server = server.encounters()
        dupes = {k: len(v) for k, v in on_server.items() if len(v) != 1}
        if dupes:
            raise Failure(f"identifiers on the server more than once: {dupes}")
        checked_in = {}
        for kind, person, sess in confirmed:
            for s in sess:
                ident = rig.attendance_identifier(s, person)
                if kind == "checked-in":
                    checked_in.setdefault(ident, False)
                elif kind == "checked-out":
                    checked_in[ident] = True
                if session_of[int(person.split("-")[1])] != s:
                    raise Failure(f"{person} confirmed for {s}, not their session")
        for ident, out in checked_in.items():
            found = on_server.get(ident, [])
            if len(found) != 1:
                raise Failure(f"confirmed attendance {ident[:12]}: {len(found)} Encounters on the server")
            if out and not found[0].get("period", {}).get("end"):
                raise Failure(f"confirmed check-out {ident[:12]} has no period end on the server")
        kinds = {}
        for kind, _, _ in confirmed:
            kinds[kind] = kinds.get(kind, 0) + 1
        # A run whose kills all landed before the kiosk confirmed anything proves nothing.
        if kinds.get("checked-in", 0) < args.iterations // 4:
            raise Failure(f"only {kinds.get('checked-in', 0)} confirmed check-ins in "
                          f"{args.iterations} bursts: the scans are not reaching the kiosk")
        if cursor > 4 * OUT_LAG and not kinds.get("checked-out"):
            raise Failure("no confirmed check-out: the second scans are not checking people out")
        starts.sort()
        print()
        print("| kills | confirmed scans | in / out / other | kills with outbox pending | "
              "kills between server write and local mark | Encounters checked | restart median / max | "
              "loop time |")
        print("|---|---|---|---|---|---|---|---|")
        print(f"| {args.iterations} | {len(confirmed)} | {kinds.get('checked-in', 0)} / "
              f"{kinds.get('checked-out', 0)} / "
              f"{len(confirmed) - kinds.get('checked-in', 0) - kinds.get('checked-out', 0)} | "
              f"{kills_pending} | {kills_in_window} | {len(checked_in)} | "
              f"{starts[len(starts) // 2]:.2f} / {starts[-1]:.2f} s | {loop_s:.0f} s |")
        print(f"\nPASS: {args.iterations} kill -9s; every confirmed scan was in kiosk.db exactly once "
              f"after each restart and is one Encounter on the server (seed {seed}, "
              f"{time.monotonic() - t0:.0f} s in all)")
        if not args.artifacts:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    except Failure as e:
        print(f"FAIL: {e}\n(logs and data kept in {work}; seed {seed})", file=sys.stderr)
        return 1
    finally:
        if kiosk:
            kiosk.stop()
        if server:
            server.stop()
        if xvfb:
            xvfb.stop()


if __name__ == "__main__":
    sys.exit(main())
