#!/usr/bin/python3
# Checks the demo data that generate.py writes (clinic.json, cards.csv): references resolve,
# credential hashes match the cards, PIN verifiers verify, the schedule and history keep the
# rules of SCREENS.md and FHIR.md, and no raw token leaks into clinic.json. Exit 1 on failure.

import base64
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import nacl.exceptions
import nacl.pwhash

HERE = Path(__file__).resolve().parent
TOKEN = re.compile(r"K1\.[A-Za-z0-9_-]{32}")
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def verifies(verifier, pin):
    try:
        return nacl.pwhash.argon2id.verify(verifier.encode(), pin.encode())
    except nacl.exceptions.InvalidkeyError:
        return False


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    text = (HERE / "clinic.json").read_text(encoding="utf-8")
    bundle = json.loads(text)
    cards = list(csv.DictReader((HERE / "cards.csv").open(encoding="utf-8", newline="")))
    res = [e["resource"] for e in bundle["entry"]]
    by_ref = {f"{r['resourceType']}/{r['id']}": r for r in res}
    check(len(by_ref) == len(res), "duplicate resource ids")
    check(bundle["type"] == "collection", "bundle type")
    anchor = bundle["meta"]["extension"][0]
    check(anchor == {"url": "urn:iop-kiosk:demo-anchor",
                     "valueDateTime": "2026-01-07T09:00:00-08:00"}, "anchor")

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "reference":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)
    for r in res:
        for target in refs(r):
            check(target in by_ref, f"{r['id']}: unresolved {target}")

    kinds = Counter(r["resourceType"] for r in res)
    expected = {"Location": 6, "Practitioner": 9, "PractitionerRole": 9, "Patient": 42,
                "RelatedPerson": 3, "Appointment": 30}
    for kind, n in expected.items():
        check(kinds[kind] == n, f"count {kind} {kinds[kind]} != {n}")
    roles = Counter(c["role"] for c in cards)
    check(roles == Counter({"facilitator": 5, "front-desk": 2, "case-manager": 2, "participant": 40,
                            "revoked": 2, "family": 3}), f"card roles {roles}")

    # Cards: grammar, 24 random bytes, hash present in FHIR exactly once, never raw in the JSON.
    credentials = {}
    for r in res:
        for ident in r.get("identifier", []):
            if ident["system"] == "urn:iop-kiosk:credential-sha256":
                check(ident["value"] not in credentials, f"duplicate credential {r['id']}")
                credentials[ident["value"]] = (r, ident)
    check(len(credentials) == len(cards), "one credential per card")
    check(not TOKEN.search(text), "raw token in clinic.json")
    for card in cards:
        token = card["token"]
        check(TOKEN.fullmatch(token) is not None, f"token grammar {token}")
        check(len(base64.urlsafe_b64decode(token[3:])) == 24, "token bytes")
        owner, ident = credentials.get(sha(token), (None, None))
        check(owner is not None, f"no credential for {card['name']}")
        if owner is None:
            continue
        names = owner["name"][0]
        check(card["name"] == " ".join(names["given"] + [names["family"]]), f"name {card['name']}")
        revoked = "period" in ident
        check(revoked == (card["role"] == "revoked"), f"revocation {card['name']}")
        if owner["resourceType"] == "Practitioner":
            pin = card["pin"]
            check(re.fullmatch(r"\d{4,6}", pin) is not None, f"pin {pin}")
            verifier = owner["extension"][0]["valueString"]
            check(verifies(verifier, pin), f"pin {card['name']}")
            check(not verifies(verifier, "0000"), "pin accepts 0000")
            role = by_ref[f"PractitionerRole/role-{owner['id'][5:]}"]
            check(role["code"][0]["coding"][0]["code"] == card["role"], f"role {card['name']}")
        else:
            check(card["pin"] == "", "pin on a participant card")

    # Ages on the week's Monday.
    monday = date(2026, 1, 5)
    for r in res:
        if r["resourceType"] == "Patient":
            born = date.fromisoformat(r["birthDate"])
            age = monday.year - born.year - ((monday.month, monday.day) < (born.month, born.day))
            check(13 <= age <= 17 or 19 <= age <= 64, f"age {r['id']} {age}")

    # Schedule: one room, one facilitator, -08:00 inside the week, blocks with < 30 min gaps.
    appts = [r for r in res if r["resourceType"] == "Appointment"]
    days = {}
    for a in appts:
        start, end = datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"])
        check(a["start"].endswith("-08:00") and a["end"].endswith("-08:00"), f"offset {a['id']}")
        check(date(2026, 1, 5) <= start.date() <= date(2026, 1, 11) and start < end, a["id"])
        actors = [p["actor"]["reference"] for p in a["participant"]]
        check(all(p["status"] == "accepted" for p in a["participant"]), f"status {a['id']}")
        check(sum(x.startswith("Location/room-") for x in actors) == 1, f"room {a['id']}")
        check(sum(x.startswith("Practitioner/") for x in actors) == 1, f"facilitator {a['id']}")
        check(len(set(actors)) == len(actors), f"duplicate participant {a['id']}")
        family = a["serviceType"][0]["text"] == "Family Therapy"
        check(family == any(x.startswith("RelatedPerson/") for x in actors), f"family {a['id']}")
        days.setdefault(a["id"].split("-")[1] + a["id"].split("-")[2][:-1], []).append((start, end))
    for key, sessions in days.items():
        sessions.sort()
        for (_, end), (start, _) in zip(sessions, sessions[1:]):
            check(timedelta(0) <= start - end < timedelta(minutes=30), f"block gap {key}")

    # Weekly targets (9 h adults, 6 h adolescents): everyone enrolled in a whole track can reach
    # theirs; only the few enrolled in part of a block fall short.
    scheduled = Counter()
    for a in appts:
        hours = (datetime.fromisoformat(a["end"]) - datetime.fromisoformat(a["start"])) / timedelta(hours=1)
        for p in a["participant"]:
            if p["actor"]["reference"].startswith("Patient/"):
                scheduled[p["actor"]["reference"]] += hours
    short = []
    for r in res:
        if r["resourceType"] != "Patient":
            continue
        born = date.fromisoformat(r["birthDate"])
        target = 6 if (monday.year - born.year) < 18 else 9
        if scheduled[f"Patient/{r['id']}"] < target:
            short.append(r["id"])
    check(len(short) <= 3, f"cannot reach the weekly target: {short}")

    # History: Monday and Tuesday only, enrolled subjects, deterministic identifiers.
    seen = set()
    encs = [r for r in res if r["resourceType"] == "Encounter"]
    for e in encs:
        appt = by_ref[e["appointment"][0]["reference"]]
        subject = e["subject"]["reference"]
        actors = [p["actor"]["reference"] for p in appt["participant"]]
        check(subject in actors and subject.startswith("Patient/"), f"not enrolled {e['id']}")
        value = sha(f"{appt['id']}/{subject}")
        check(e["identifier"][0] == {"system": "urn:iop-kiosk:attendance", "value": value}, e["id"])
        check(value not in seen, f"duplicate attendance {e['id']}")
        seen.add(value)
        check(e["location"][0]["location"]["reference"] in actors, f"room {e['id']}")
        start, end = (datetime.fromisoformat(e["period"][k]) for k in ("start", "end"))
        check(datetime.fromisoformat(appt["start"]) <= start < end
              <= datetime.fromisoformat(appt["end"]), f"period {e['id']}")
        check(end <= datetime.fromisoformat(anchor["valueDateTime"]), f"after anchor {e['id']}")
        check(e["status"] == "finished" and e["class"]["code"] == "AMB", e["id"])
    late = sum(datetime.fromisoformat(e["period"]["start"]) - datetime.fromisoformat(
        by_ref[e["appointment"][0]["reference"]]["start"]) > timedelta(minutes=10) for e in encs)
    early = sum(datetime.fromisoformat(e["period"]["end"]) < datetime.fromisoformat(
        by_ref[e["appointment"][0]["reference"]]["end"]) for e in encs)
    check(late >= 3 and early >= 2, f"late {late}, left early {early}")

    print(f"{len(res)} resources {dict(kinds)}, {len(cards)} cards, "
          f"{late} late and {early} left-early encounters")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
