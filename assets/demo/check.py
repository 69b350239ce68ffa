#!/usr/bin/python3
# Checks the demo data that generate.py writes (clinic.json, cards.csv): references resolve,
# credential hashes match the cards, PIN verifiers verify, the schedule and history keep the
# rules of SCREENS.md and FHIR.md, and no raw token leaks into clinic.json. Also checks the
# resource directory generate_directory.py writes (directory.json). Exit 1 on failure.

import base64
import csv
import hashlib
import json
import math
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
    check_directory(bundle)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


CATEGORIES = ("housing", "food", "employment", "transportation", "legal-aid", "health-care",
              "mental-health", "recovery-support", "childcare", "education", "clothing",
              "utilities", "money")
# Words that would name the clinic or its program on a printed referral (PRIVACY.md 6).
PROGRAM_WORDS = re.compile(r"cedar grove|intensive outpatient|\biop\b|treatment", re.IGNORECASE)


def km_between(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def check_directory(clinic_bundle):
    """directory.json: 150+ services in all 13 categories around the clinic, references that
    resolve, fictional phone numbers, varied hours, languages and costs, nothing naming the
    clinic's program."""
    text = (HERE / "directory.json").read_text(encoding="utf-8")
    bundle = json.loads(text)
    check(bundle["type"] == "collection", "directory bundle type")
    res = [e["resource"] for e in bundle["entry"]]
    by_ref = {f"{r['resourceType']}/{r['id']}": r for r in res}
    check(len(by_ref) == len(res), "directory: duplicate resource ids")
    words = text.replace("urn:iop-kiosk:", "")  # the kiosk's own code systems are not text
    check(not PROGRAM_WORDS.search(words), "directory names the clinic or its program: "
          + ", ".join(sorted({m.group(0) for m in PROGRAM_WORDS.finditer(words)})))
    site = next(e["resource"] for e in clinic_bundle["entry"] if e["resource"]["id"] == "site-main")
    clinic = (site["position"]["latitude"], site["position"]["longitude"])
    services = [r for r in res if r["resourceType"] == "HealthcareService"]
    check(len(services) >= 150, f"directory: only {len(services)} services")
    per_category = {c: 0 for c in CATEGORIES}
    languages, phones = set(), {}
    kinds = {"24/7": 0, "past midnight": 0, "weekend": 0, "evening": 0, "by appointment": 0,
             "free": 0, "charged": 0, "eligibility": 0, "what to bring": 0}
    for s in services:
        sid = s["id"]
        codes = [c["code"] for cc in s.get("category", []) for c in cc["coding"]
                 if c["system"] == "urn:iop-kiosk:resource-category"]
        check(codes and all(c in CATEGORIES for c in codes), f"{sid}: categories {codes}")
        for c in codes:
            per_category[c] = per_category.get(c, 0) + 1
        org = by_ref.get(s["providedBy"]["reference"])
        loc = by_ref.get(s["location"][0]["reference"])
        check(org is not None and loc is not None, f"{sid}: unresolved organization or location")
        if loc:
            km = km_between(clinic, (loc["position"]["latitude"], loc["position"]["longitude"]))
            check(0.3 <= km <= 25.0, f"{sid}: {km:.1f} km from the clinic")
        for holder in (s, org or {}):
            for t in holder.get("telecom", []):
                if t["system"] == "phone":
                    check(re.fullmatch(r"503-555-01\d\d", t["value"]) is not None
                          and t["value"] != "503-555-0142", f"{sid}: phone {t['value']}")
        if org and org.get("telecom"):
            phones.setdefault(org["telecom"][0]["value"], set()).add(org["id"])
        languages.update(c["code"] for cc in s["communication"] for c in cc["coding"])
        times = s.get("availableTime", [])
        kinds["24/7"] += any(t.get("allDay") and len(t["daysOfWeek"]) == 7 for t in times)
        kinds["past midnight"] += any(t.get("availableEndTime", "24") < t.get("availableStartTime", "0")
                                      for t in times)
        kinds["weekend"] += any({"sat", "sun"} & set(t["daysOfWeek"]) for t in times)
        kinds["evening"] += any(t.get("availableEndTime", "00") >= "19:00:00" for t in times)
        kinds["by appointment"] += not times and "availabilityExceptions" in s
        code = s["serviceProvisionCode"][0]["coding"][0]["code"]
        kinds["free" if code == "free" else "charged"] += 1
        kinds["eligibility"] += "eligibility" in s
        kinds["what to bring"] += any(e["url"] == "urn:iop-kiosk:what-to-bring"
                                      for e in s.get("extension", []))
    for c, n in per_category.items():
        check(n >= 8, f"directory: only {n} services in {c}")
    for tag in ("en", "es", "vi", "ru", "zh", "so"):
        check(tag in languages, f"directory: no service in {tag}")
    for kind, n in kinds.items():
        check(n >= 5, f"directory: only {n} services {kind}")
    for number, owners in phones.items():
        check(len(owners) == 1, f"directory: {number} shared by {sorted(owners)}")
    print(f"directory: {len(services)} services, "
          + ", ".join(f"{kind} {n}" for kind, n in kinds.items()))


if __name__ == "__main__":
    sys.exit(main())
