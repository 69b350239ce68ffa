#!/usr/bin/env python3
"""The lobby shows only what is public by construction (issue 12, PRIVACY.md 13), end to end.

Seeds the loopback FHIR test server (tests/fhir-server, throwaway PKI) with a clinic whose every
free-text field that could reach a lobby screen is hostile: Appointment description, comment,
patientInstruction, appointmentType and specialty text, reasonCode text, reasonReference and
participant displays; Location description and alias; Patient names, address and telecom. Its
Appointments, laid around now:

  appt-dbt     "DBT Skills", three patients (Jane Doe among them)           a group: listed
  appt-rob     "Medication Review", Robert Smith alone                     one-to-one: not listed
  appt-medrev  "Medication Review", three patients, coded med-review      the config says
               (the config's [sessions] individual_codes)                   one-to-one: not listed
  appt-art     "Art Studio", one patient, coded art (group_codes)          a group: listed
  appt-doe     "Doe Family Support", Jane Doe enrolled                     a group: "Group session"
  appt-coded   no serviceType, the kiosk's group marker                    a group: "Group session"
  appt-intake  no serviceType, description "Intake - Maria Lopez (F10.20   one patient: not listed
               alcohol dependence)": the bug a real clinic met

  1. `kiosk sync --once` pulls it; its log warns about appt-doe by Appointment id, names nobody
  2. the kiosk starts under Xvfb with that data; the welcome screen, read back with OCR
     (tesseract): DBT Skills, Art Studio and two "Group session" lines with their rooms and
     times; none of the hostile words (names, diagnosis words, "Medication Review", "Intake"...)
  3. Jane's card: green, "<time>  DBT Skills, Cedar Room"; nothing hostile
  4. Robert's card (his one-to-one only): green, "<time>  Pine Room"; no "Medication Review"
  5. kiosk.db has both check-ins; the kiosk's log names nobody above debug and holds no token

Uses the shared rig, kioskrig.py (server, PKI, Xvfb, kiosk process, cards, screenshots, tones,
OCR). Needs Xvfb, xdotool, tesseract (+eng), ImageMagick, node and tests/fhir-server/node_modules.

  lobby_e2e.py --kiosk build/bin/kiosk [--artifacts DIR] [--keep]

Screenshots (shots/NN-name.png, OCR text beside them) stay in --artifacts DIR (ctest:
build/tests/e2e/lobby_e2e_artifacts) after a failure, or always with --keep.
"""

import argparse
import concurrent.futures
import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from difflib import SequenceMatcher
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402
import logcheck  # noqa: E402
from kioskrig import Failure, log  # noqa: E402

MED_REVIEW = "http://clinic.example/services|med-review"
ART = "http://clinic.example/services|art"
GROUP_MARKER = "urn:iop-kiosk:session-kind|group"

PEOPLE = {  # patient id -> (given, family); the first three hold cards
    "pat-jane": ("Jane", "Doe"),
    "pat-rob": ("Robert", "Smith"),
    "pat-maria": ("Maria", "Lopez"),
    "pat-kim": ("Kimberly", "Okafor"),
    "pat-omar": ("Omar", "Haddad"),
}
CARDS = ("pat-jane", "pat-rob", "pat-maria")

# What must never show in the lobby: every name, the diagnosis words, the one-to-one services.
HOSTILE_WORDS = sorted({w for n in PEOPLE.values() for w in n} | {
    "F10", "alcohol", "dependence", "opioid", "withdrawal", "relapsed", "Medication", "Review",
    "Intake", "Methadone", "Suboxone", "Mendez", "overdose", "probation"})
HOSTILE_TEXT = "Intake - Jane Doe (F10.20 alcohol dependence)"
# Phrases checked however the rest reads (hostile_check runs only once every `must` is found).
HOSTILE_PHRASES = ("Medication Review", "Intake", "Jane Doe", "Robert Smith", "F10.20", "alcohol")


def ceil5(t):
    t = t.replace(second=0, microsecond=0)
    return t + dt.timedelta(minutes=(5 - t.minute % 5) % 5)


def clock_text(t, zone):
    """The kiosk's 12-hour clock text ("1:05 PM") of an instant in the clinic's zone."""
    local = t.astimezone(ZoneInfo(zone))
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def free_text(who):
    """Every free-text field of an Appointment a careless server fills in."""
    return {
        "description": HOSTILE_TEXT,
        "comment": f"{who} relapsed; opioid withdrawal, on probation",
        "patientInstruction": "Bring your Suboxone and Methadone cards",
        "appointmentType": {"text": "Intake"},
        "specialty": [{"text": "Addiction psychiatry, Dr. Mendez"}],
        "reasonCode": [{"text": "F10.20 alcohol dependence"}],
        "reasonReference": [{"display": "overdose last week"}],
    }


def appointment(aid, start, minutes, room, people, service=None, codes=(), category=()):
    a = {"resourceType": "Appointment", "id": aid, "status": "booked",
         "start": rig.iso(start), "end": rig.iso(start + dt.timedelta(minutes=minutes)),
         "participant": [
             {"actor": {"reference": f"Location/{room}", "display": "Jane Doe's usual room"},
              "status": "accepted"},
             {"actor": {"reference": "Practitioner/prac-1", "display": "Dr. Mendez"},
              "status": "accepted"}]
         + [{"actor": {"reference": f"Patient/{p}",
                       "display": " ".join(PEOPLE[p]) + " (F10.20)"}, "status": "accepted"}
            for p in people]}
    a.update(free_text(" ".join(PEOPLE[people[0]])))
    if service is not None or codes:
        st = {"coding": [{"system": c.split("|")[0], "code": c.split("|")[1],
                          "display": "Medication Review" if c == MED_REVIEW else None}
                         for c in codes]}
        st["coding"] = [{k: v for k, v in c.items() if v is not None} for c in st["coding"]]
        if service is not None:
            st["text"] = service
        a["serviceType"] = [st]
    if category:
        a["serviceCategory"] = [{"coding": [{"system": c.split("|")[0], "code": c.split("|")[1]}
                                            for c in category]}]
    return a


def clinic(zone, t0):
    """The seed bundle and the card tokens by patient id."""
    hostile_place = {"description": "Methadone and Suboxone clinic; Jane Doe's detox",
                     "alias": ["Jane Doe's room", "F10.20 ward"]}
    entries = [dict({"resourceType": "Location", "id": "site-main", "name": "Lakeside Clinic",
                     "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/timezone",
                                    "valueCode": zone}]}, **hostile_place)]
    for rid, name in (("room-cedar", "Cedar Room"), ("room-pine", "Pine Room"),
                      ("room-oak", "Oak Room"), ("room-willow", "Willow Room")):
        entries.append(dict({"resourceType": "Location", "id": rid, "name": name,
                             "partOf": {"reference": "Location/site-main"}}, **hostile_place))
    entries.append({"resourceType": "Practitioner", "id": "prac-1",
                    "name": [{"given": ["Luis"], "family": "Mendez", "prefix": ["Dr."]}]})
    tokens = {}
    for pid, (given, family) in PEOPLE.items():
        patient = {"resourceType": "Patient", "id": pid, "birthDate": "1984-02-29",
                   "name": [{"use": "official", "given": [given], "family": family,
                             "text": f"{given} {family}"}],
                   "telecom": [{"system": "phone", "value": "555-0100"}],
                   "address": [{"text": "Sober living house, 12 Elm St"}]}
        if pid in CARDS:
            tokens[pid] = rig.card_token(f"lobby-{pid}")
            patient["identifier"] = [{"system": rig.CREDENTIAL,
                                      "value": rig.hashlib.sha256(tokens[pid].encode()).hexdigest()}]
        entries.append(patient)
    m = dt.timedelta(minutes=1)
    entries += [
        appointment("appt-dbt", t0, 60, "room-cedar", ["pat-jane", "pat-kim", "pat-omar"],
                    "DBT Skills"),
        appointment("appt-rob", t0, 30, "room-pine", ["pat-rob"], "Medication Review"),
        appointment("appt-medrev", t0 + 20 * m, 30, "room-willow",
                    ["pat-maria", "pat-kim", "pat-omar"], "Medication Review", codes=[MED_REVIEW]),
        appointment("appt-art", t0 + 90 * m, 60, "room-oak", ["pat-maria"], "Art Studio",
                    codes=[ART]),
        appointment("appt-doe", t0 + 180 * m, 50, "room-cedar", ["pat-jane", "pat-kim"],
                    "Doe Family Support"),
        appointment("appt-coded", t0 + 240 * m, 20, "room-oak", ["pat-maria"],
                    category=[GROUP_MARKER]),
        appointment("appt-intake", t0 + 270 * m, 30, "room-pine", ["pat-maria"]),
    ]
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in entries]}
    return bundle, tokens


def hostile_check(folded):
    """The hostile words on screen: exact whole words, and close OCR misreadings of the long ones."""
    words = re.findall(r"[a-z0-9]+", folded)
    found = []
    for bad in HOSTILE_WORDS:
        b = rig.fold(bad)
        if rig.contains_word(folded, b):
            found.append(bad)
        elif len(b) >= 6 and any(SequenceMatcher(None, b, w).ratio() >= 0.85 for w in words):
            found.append(bad + " (as OCR read it)")
    return f"shows hostile text {found} (PRIVACY 13)" if found else None


def find_phrase(words, phrase):
    """Where OCR read `phrase` as consecutive words: [(x, y) of its first word's centre]."""
    want = rig.fold(phrase).split()
    texts = [rig.fold(w[0]) for w in words]
    return [(words[i][1], words[i][2]) for i in range(len(words) - len(want) + 1)
            if texts[i:i + len(want)] == want]


def schedule_rows(words, rows):
    """Each (time, group, room) of `rows` as the welcome screen lays a line out: the group right
    of its time on the same line, the room under the group. Problems, or None."""
    problems = []
    for time_text, group, room in rows:
        ok = any(abs(ty - gy) < 12 and gx > tx and any(abs(rx - gx) < 80 and 10 < ry - gy < 60
                                                       for rx, ry in find_phrase(words, room))
                 for tx, ty in find_phrase(words, time_text) for gx, gy in find_phrase(words, group))
        if not ok:
            problems.append(f"no schedule line '{time_text}  {group}' over '{room}'")
    return "; ".join(problems) or None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", default=str(rig.ROOT / "build" / "bin" / "kiosk"))
    ap.add_argument("--artifacts", help="keep screenshots, logs and data here")
    ap.add_argument("--keep", action="store_true", help="keep the artifacts after a pass")
    args = ap.parse_args()
    rig.install_signal_handlers()
    rig.need_tools("Xvfb", "xdotool", "node", "tesseract", "import", "convert")
    work = Path(args.artifacts).resolve() if args.artifacts else Path(tempfile.mkdtemp(prefix="lobby-e2e-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    now = dt.datetime.now(dt.timezone.utc)
    zone = rig.midday_zone(now)
    t0 = ceil5(now) + dt.timedelta(minutes=10)
    bundle, tokens = clinic(zone, t0)
    (work / "clinic.json").write_text(json.dumps(bundle, indent=1))
    with open(work / "cards.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["role", "name", "token"])
        for pid in CARDS:
            w.writerow(["participant", " ".join(PEOPLE[pid]), tokens[pid]])
    at = {a["id"]: clock_text(dt.datetime.fromisoformat(a["start"].replace("Z", "+00:00")), zone)
          for a in (e["resource"] for e in bundle["entry"]) if a["resourceType"] == "Appointment"}

    run = rig.Run(argparse.Namespace(artifacts=str(work / "screen")))
    server = xvfb = kiosk = None
    ok = False
    try:
        pki = rig.make_pki(work / "pki")
        server = rig.FhirServer(pki, work / "clinic.json", work / "server.log")
        config = rig.write_config(work / "kiosk.toml", server, "lobby-1", work / "data", zone)
        with open(config, "a") as f:
            f.write(f'[sessions]\ngroup_codes = ["{GROUP_MARKER}", "{ART}"]\n'
                    f'individual_codes = ["urn:iop-kiosk:session-kind|individual", "{MED_REVIEW}"]\n')
        db = work / "data" / "kiosk.db"

        log(f"1. kiosk sync --once against the seeded server ({zone}, first session {at['appt-dbt']})")
        code, out = rig.sync_once(args.kiosk, config)
        (work / "sync-once.log").write_text(out)
        if code != 0 or "skipped a resource" in out:
            raise Failure(f"the first sync failed or skipped resources:\n{out}")
        if not re.search(r"warn \[store\] Appointment/appt-doe: its service type names someone", out):
            raise Failure(f"no warning about appt-doe's name in the sync's log:\n{out}")
        kinds = dict(rig.db_rows(
            db, "SELECT id, kind || CASE name_withheld WHEN 1 THEN ' (name withheld)' ELSE '' END "
            "FROM session"))
        log(f"   stored: {kinds}")

        log("2. the welcome screen")
        xvfb = rig.Xvfb(work / "xvfb.log")
        kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk.log",
                          ["--config", str(config), "--windowed", "1280x800"])
        kiosk.start()
        run.display, run.kiosk, run.kiosk_log, run.window = (xvfb.display, kiosk.proc,
                                                             kiosk.logfile, kiosk.window)
        run.db = db
        ppm, _ = run.wait_tone("welcome", time.monotonic(), 10, "welcome")
        rows = [(at["appt-dbt"], "DBT Skills", "Cedar Room"), (at["appt-art"], "Art Studio", "Oak Room"),
                (at["appt-doe"], "Group session", "Cedar Room"),
                (at["appt-coded"], "Group session", "Oak Room")]
        _, words = run.look(ppm, "welcome", names_must_not=False, check=hostile_check,
                            must_not=HOSTILE_PHRASES,
                            must=["groups", "Lakeside Clinic"] + [w for row in rows for w in row]
                            ).result(timeout=180)
        if problem := schedule_rows(words, rows):
            raise Failure(f"welcome: {problem}; see {run.shots}")

        log(f"3. Jane's card: her group, {at['appt-dbt']} DBT Skills in the Cedar Room")
        t = time.monotonic()
        said = kiosk.scan_and_read(tokens["pat-jane"])
        if "confirmed: checked-in person=Patient/pat-jane sessions=appt-dbt" not in said:
            raise Failure(f"Jane's scan was not confirmed for appt-dbt:\n{said}")
        ppm, latency = run.wait_tone("checked-in", t, 10, "group check-in")
        run.look(ppm, "group-checked-in", names_must_not=False, check=hostile_check,
                 must_not=HOSTILE_PHRASES,
                 must=["checked in", f"{at['appt-dbt']} DBT Skills, Cedar Room"]
                 ).result(timeout=180)

        log(f"4. Robert's card: his one-to-one, {at['appt-rob']} in the Pine Room, and nothing else")
        run.wait_tone("welcome", time.monotonic(), 15, "the group result clears")
        t = time.monotonic()
        said = kiosk.scan_and_read(tokens["pat-rob"])
        if "confirmed: checked-in person=Patient/pat-rob sessions=appt-rob" not in said:
            raise Failure(f"Robert's scan was not confirmed for appt-rob:\n{said}")
        ppm, latency = run.wait_tone("checked-in", t, 10, "one-to-one check-in")

        def time_and_room_only(folded):
            line = re.search(re.escape(rig.fold(at["appt-rob"])) + r"\s+pine room", folded)
            return hostile_check(folded) or (None if line else
                                             f"no line '{at['appt-rob']}  Pine Room'")
        run.look(ppm, "one-to-one-checked-in", names_must_not=False, check=time_and_room_only,
                 must_not=HOSTILE_PHRASES,
                 must=["checked in", at["appt-rob"], "Pine Room"]).result(timeout=180)

        log("5. kiosk.db and the log")
        rows = run.query("SELECT person_ref, session_id FROM attendance WHERE source = 'scan' "
                         "ORDER BY person_ref")
        if rows != [("Patient/pat-jane", "appt-dbt"), ("Patient/pat-rob", "appt-rob")]:
            raise Failure(f"attendance rows {rows}")
        status = kiosk.stop()
        if status != 0:
            raise Failure(f"the kiosk stopped with {status}")
        # The sync's lines and the kiosk's: no name above debug, no card token.
        sync_lines = "\n".join(l for l in out.splitlines() if logcheck.LINE.match(l))
        problems = logcheck.problems(kiosk.log_text() + "\n" + sync_lines, work / "cards.csv")
        if problems:
            raise Failure("the kiosk's log breaks the rules:\n  " + "\n  ".join(problems[:10]))
        ok = True
    except (Failure, Failure, subprocess.TimeoutExpired, subprocess.CalledProcessError,
            concurrent.futures.TimeoutError) as e:
        print(f"\nFAIL: {e}", flush=True)
    finally:
        for proc in (kiosk, xvfb, server):
            if proc is not None:
                proc.stop()
        run.ocr_pool.shutdown(wait=True, cancel_futures=True)
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        print(f"{'PASS' if ok else 'FAILED'}; artifacts: {work if not ok or args.keep else 'removed'}",
              flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
