#!/usr/bin/python3
# Owns the kiosk's demo data: writes clinic.json (a FHIR R4 collection Bundle of a fictional IOP
# clinic and its reference week, Mon 2026-01-05 to Sun 2026-01-11) and cards.csv (the raw card
# tokens and staff PINs). Every random value is seeded, so a rerun is byte-identical.
# Needs only the stdlib and python3-nacl; nothing in the kiosk imports this script.

import base64
import csv
import hashlib
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import nacl.bindings
import nacl.pwhash

HERE = Path(__file__).resolve().parent
SEED = "cedar-grove-demo-1"
TZ = timezone(timedelta(hours=-8))     # America/Los_Angeles in January: PST all week
MONDAY = date(2026, 1, 5)              # first day of the reference week
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ANCHOR = "2026-01-07T09:00:00-08:00"   # Wednesday's adult morning block: the kiosk re-bases here
HISTORY_DAYS = (0, 1)                  # attendance already recorded for Monday and Tuesday
REVOKED_AT = "2026-01-01T00:00:00-08:00"

CREDENTIAL = "urn:iop-kiosk:credential-sha256"
ATTENDANCE = "urn:iop-kiosk:attendance"
PIN_EXT = "urn:iop-kiosk:pin-argon2id"
ROLE_SYSTEM = "urn:iop-kiosk:role"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

ROOMS = {"oak": "Oak Room", "maple": "Maple Room", "willow": "Willow Room",
         "birch": "Birch Room", "family": "Family Room"}

# id, kiosk role, given name(s), family name, gender
STAFF = [
    ("prac-01", "facilitator", "Rosa", "Delgado", "female"),
    ("prac-02", "facilitator", "Daniel", "Whitaker", "male"),
    ("prac-03", "facilitator", "Begoña", "Ibarra", "female"),
    ("prac-04", "facilitator", "Marcus", "Reyes", "male"),
    ("prac-05", "facilitator", "Hannah", "Lindqvist", "female"),
    ("prac-06", "front-desk", "Tomás", "Aguilar", "male"),
    ("prac-07", "front-desk", "Grace", "O'Neill", "female"),
    ("prac-08", "case-manager", "Lucía", "Fernández", "female"),
    ("prac-09", "case-manager", "Samuel", "Brooks", "male"),
]

# "given|family|gender[|sessions]": the optional 4th field lists the only sessions of the block
# (1-based) the person is enrolled in, e.g. "12" = first two. Ids are assigned in this order.
MORNING = """José|Núñez|male, Linda|Patterson|female, Andre|Jackson|male,
    Guadalupe|Ramírez|female, Brian|Kowalski|male|12, Ana Sofía|Morales|female,
    Dennis|Nguyen|male, Carmen|Ortiz|female, Raúl|Domínguez|male|23, Jennifer|Walsh|female,
    Luis Ángel|Peña|male, Patricia|Gómez|female, Robert|Chen|male, Megan|Sullivan|female,
    Joaquín|Medina|male, Sarah|Goldberg|female"""
EVENING = """Miguel|Santos|male, Ashley|Turner|female, Christopher|Lee|male, Rocío|Jiménez|female,
    Jamal|Robinson|male, Emily|Carter|female, Francisco|Vargas|male, Nicole|Brennan|female|23,
    Alejandro|Ruiz|male, Karen|Mitchell|female, Jordan|Ellis|other, Teresa|Muñoz|female,
    David|Morgan|male, Yolanda|Cruz|female"""
TEENS = """Mateo|Flores|male, Isabella|Ramos|female, Ethan|Park|male, Sofía|Castañeda|female,
    Noah|Williams|male, Valeria|Ibáñez|female, Liam|Murphy|male, Camila|Ochoa|female,
    Aiden|Price|male, Riley|Navarro|other"""
REVOKED = """Héctor|Salazar|male, Diane|Foster|female"""   # lost cards; still in the morning track

# id, relationship code, display, given, family, gender, the adolescent's index in TEENS
FAMILY = [
    ("rel-01", "MTH", "mother", "Rosario", "Castañeda", "female", 3),
    ("rel-02", "FTH", "father", "James", "Park", "male", 2),
    ("rel-03", "GRMTH", "grandmother", "Dolores", "Acosta", "female", 0),
]

# Tracks: days of the week (0 = Monday) and the sessions of one block
# (start, end, group name, room, facilitator). Gaps under 30 minutes make each day one block.
# Adults meet three times a week for three back-to-back hours, so a full week reaches the 9 h
# target exactly (ASAM 2.1); adolescents have four shorter blocks against their 6 h target.
TRACKS = [
    ("am", (0, 2, 4), [("09:00", "10:00", "Process Group", "oak", "prac-01"),
                       ("10:00", "11:00", "DBT Skills", "maple", "prac-02"),
                       ("11:00", "12:00", "Relapse Prevention", "oak", "prac-01")]),
    ("pm", (0, 1, 3), [("18:00", "19:00", "Psychoeducation", "willow", "prac-03"),
                       ("19:00", "20:00", "CBT Skills", "willow", "prac-04"),
                       ("20:00", "21:00", "Process Group", "willow", "prac-03")]),
    ("teen", (0, 1, 2, 3), [("15:30", "16:30", "Teen Process Group", "birch", "prac-05"),
                            ("16:40", "17:30", "DBT Skills for Teens", "birch", "prac-02"),
                            ("17:40", "18:30", "Mindfulness & Coping", "birch", "prac-05")]),
]
# On Thursday the adolescents' last session is family therapy, with their family members.
FAMILY_SESSION = (3, "teen", 3, "Family Therapy", "family", "prac-04")

# Per track and history day: how many enrolled people were absent, late (> 10 min), left early.
ATTENDANCE_MIX = {"am": (2, 2, 1), "pm": (2, 1, 1), "teen": (1, 1, 1)}


def rng(*key):
    """An independent seeded stream per purpose and resource, so editing one person's data
    never changes anyone else's token, PIN or times."""
    return random.Random("/".join((SEED,) + key))


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


def ref(kind, rid):
    return {"reference": f"{kind}/{rid}"}


def make_token(rid):
    """PRIVACY.md rule 5: 'K1.' + 24 random bytes (192 bits) as unpadded base64url."""
    token = "K1." + base64.urlsafe_b64encode(rng("token", rid).randbytes(24)).decode()
    assert len(token) == 35 and "=" not in token
    return token


def credential(token, revoked=False):
    ident = {"system": CREDENTIAL, "value": sha256_hex(token)}
    if revoked:
        ident["period"] = {"end": REVOKED_AT}
    return ident


def make_pin(rid):
    r = rng("pin", rid)
    return str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(r.choice((3, 4, 5))))


def pin_verifier(pin, rid):
    """The exact string libsodium's crypto_pwhash_str makes (argon2id, interactive limits), but
    with a seeded salt instead of a random one, so clinic.json is byte-identical across runs.
    Acceptable only because these PINs are published in cards.csv anyway."""
    ops = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
    mem = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
    salt = rng("salt", rid).randbytes(nacl.pwhash.argon2id.SALTBYTES)
    digest = nacl.bindings.crypto_pwhash_alg(32, pin.encode(), salt, ops, mem,
                                             nacl.bindings.crypto_pwhash_ALG_ARGON2ID13)
    b64 = lambda raw: base64.b64encode(raw).decode().rstrip("=")  # noqa: E731 (argon2's own b64)
    verifier = f"$argon2id$v=19$m={mem // 1024},t={ops},p=1${b64(salt)}${b64(digest)}"
    assert nacl.pwhash.argon2id.verify(verifier.encode(), pin.encode())
    return verifier


def human_name(given, family):
    return [{"family": family, "given": given.split()}]


def birth_date(rid, youngest, oldest):
    """A birthday that makes the person youngest..oldest years old on the week's Monday."""
    r = rng("birth", rid)
    age = r.randint(youngest, oldest)
    return (MONDAY.replace(year=MONDAY.year - age) - timedelta(days=r.randint(0, 364))).isoformat()


def at(day, hhmm):
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), TZ).replace(
        hour=hour, minute=minute)


def iso(moment):
    return moment.isoformat()


def parse_people(spec):
    rows = []
    for item in spec.replace("\n", " ").split(","):
        given, family, gender, *only = [part.strip() for part in item.split("|")]
        rows.append((given, family, gender, {int(c) - 1 for c in only[0]} if only else None))
    return rows


def build_sites():
    site = {
        "resourceType": "Location", "id": "site-main",
        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/timezone",
                       "valueCode": "America/Los_Angeles"}],
        "status": "active", "name": "Cedar Grove Health", "mode": "instance",
        "telecom": [{"system": "phone", "value": "+1-503-555-0142", "use": "work"}],
        "address": {"use": "work", "line": ["4820 SE Cedar Grove Ave"], "city": "Portland",
                    "state": "OR", "postalCode": "97215", "country": "US"},
        "physicalType": {"coding": [{"system": PHYSICAL_TYPE, "code": "si", "display": "Site"}]},
        "position": {"longitude": -122.6158, "latitude": 45.5123},
        "hoursOfOperation": [{"daysOfWeek": list(DAYS[:5]), "openingTime": "08:00:00",
                              "closingTime": "21:30:00"}],
    }
    rooms = [{"resourceType": "Location", "id": f"room-{key}", "status": "active", "name": name,
              "mode": "instance",
              "physicalType": {"coding": [{"system": PHYSICAL_TYPE, "code": "ro",
                                           "display": "Room"}]},
              "partOf": ref("Location", "site-main")} for key, name in ROOMS.items()]
    return [site] + rooms


def build_staff(cards):
    practitioners, roles = [], []
    for pid, role, given, family, gender in STAFF:
        token, pin = make_token(pid), make_pin(pid)
        cards.append((role, f"{given} {family}", token, pin))
        practitioners.append({
            "resourceType": "Practitioner", "id": pid,
            "extension": [{"url": PIN_EXT, "valueString": pin_verifier(pin, pid)}],
            "identifier": [credential(token)], "active": True,
            "name": human_name(given, family), "gender": gender})
        roles.append({
            "resourceType": "PractitionerRole", "id": pid.replace("prac-", "role-"), "active": True,
            "practitioner": ref("Practitioner", pid), "location": [ref("Location", "site-main")],
            "code": [{"coding": [{"system": ROLE_SYSTEM, "code": role}]}]})
    return practitioners + roles


def build_people(cards):
    """Patients in id order (morning, evening, adolescents, revoked) and family members.
    Returns the resources and, per track, each member's reference and partial enrolment."""
    groups = [("am", MORNING, 19, 64, False), ("pm", EVENING, 19, 64, False),
              ("teen", TEENS, 13, 17, False), ("am", REVOKED, 19, 64, True)]
    patients, members, teen_ids = [], {"am": [], "pm": [], "teen": []}, []
    for track, spec, youngest, oldest, revoked in groups:
        for given, family, gender, only in parse_people(spec):
            pid = f"pat-{len(patients) + 1:02d}"
            token = make_token(pid)
            cards.append(("revoked" if revoked else "participant", f"{given} {family}", token, ""))
            patients.append({
                "resourceType": "Patient", "id": pid, "identifier": [credential(token, revoked)],
                "active": True, "name": human_name(given, family), "gender": gender,
                "birthDate": birth_date(pid, youngest, oldest)})
            members[track].append((f"Patient/{pid}", only, revoked))
            if track == "teen":
                teen_ids.append(pid)
    relatives = []
    for rid, code, display, given, family, gender, teen in FAMILY:
        token = make_token(rid)
        cards.append(("family", f"{given} {family}", token, ""))
        relatives.append({
            "resourceType": "RelatedPerson", "id": rid, "identifier": [credential(token)],
            "active": True, "patient": ref("Patient", teen_ids[teen]),
            "relationship": [{"coding": [{"system": ROLE_CODE, "code": code, "display": display}]}],
            "name": human_name(given, family), "gender": gender})
    return patients + relatives, members


def build_schedule(members):
    """One Appointment per session of the week. Returns the resources and the blocks of the
    history days: (track, day) -> [(appointment, room, [enrolled subject references])]."""
    appointments, history = [], {}
    family_refs = [f"RelatedPerson/{row[0]}" for row in FAMILY]
    for track, days, sessions in TRACKS:
        for day in days:
            block = []
            for n, (start, end, group, room, facilitator) in enumerate(sessions, 1):
                enrolled = [who for who, only, _ in members[track] if only is None or n - 1 in only]
                if FAMILY_SESSION[:3] == (day, track, n):
                    group, room, facilitator = FAMILY_SESSION[3:]
                    enrolled = enrolled + family_refs
                actors = [f"Location/room-{room}", f"Practitioner/{facilitator}"] + enrolled
                appt = {
                    "resourceType": "Appointment", "id": f"appt-{DAYS[day]}-{track}{n}",
                    "status": "booked", "serviceType": [{"text": group}],
                    "start": iso(at(day, start)), "end": iso(at(day, end)),
                    "participant": [{"actor": {"reference": a}, "status": "accepted"}
                                    for a in actors]}
                appointments.append(appt)
                block.append((appt, room, enrolled))
            if day in HISTORY_DAYS:
                history[(track, day)] = block
    appointments.sort(key=lambda a: (a["start"], a["id"]))
    return appointments, history


def encounter(appt, room, subject, start, end):
    return {
        "resourceType": "Encounter", "id": f"enc-{appt['id'][5:]}-{subject.split('/')[1]}",
        "identifier": [{"system": ATTENDANCE, "value": sha256_hex(f"{appt['id']}/{subject}")}],
        "status": "finished", "class": {"system": ACT_CODE, "code": "AMB"},
        "subject": {"reference": subject},
        "appointment": [{"reference": f"Appointment/{appt['id']}"}],
        "period": {"start": iso(start), "end": iso(end)},
        "location": [{"location": ref("Location", f"room-{room}")}]}


def build_history(members, history):
    """Finished Encounters for the history days. Each period is the time the person was present
    in that session (clamped to the session), so summing periods gives true weekly hours."""
    encounters = []
    for (track, day), block in sorted(history.items(), key=lambda item: (item[0][1], item[0][0])):
        r = rng("attendance", DAYS[day], track)
        pool = [who for who, _, revoked in members[track] if not revoked]  # revoked: no shows
        r.shuffle(pool)
        absent, late, left = ATTENDANCE_MIX[track]
        for i, who in enumerate(pool):
            mine = [s for s in block if who in s[2]]
            first, last = (datetime.fromisoformat(mine[k][0]["start"]) for k in (0, -1))
            if i < absent:
                continue
            minutes = r.randint(11, 25) if i < absent + late else r.randint(-12, 8)
            arrive = first + timedelta(minutes=minutes)
            leave = None
            if absent + late <= i < absent + late + left:
                leave = last + timedelta(minutes=r.randint(12, 35))
            for appt, room, _ in mine:
                start = max(arrive, datetime.fromisoformat(appt["start"]))
                end = datetime.fromisoformat(appt["end"])
                end = min(leave, end) if leave else end
                if start < end:
                    encounters.append((appt["start"], appt["id"], who,
                                       encounter(appt, room, who, start, end)))
    return [row[-1] for row in sorted(encounters, key=lambda row: row[:3])]


def main():
    cards = []
    resources = build_sites() + build_staff(cards)
    people, members = build_people(cards)
    appointments, history = build_schedule(members)
    resources += people + appointments + build_history(members, history)
    bundle = {
        "resourceType": "Bundle", "id": "cedar-grove-demo",
        # R4's Bundle has no 'extension' element (it is a Resource, not a DomainResource);
        # meta.extension is the valid place for the demo anchor.
        "meta": {"extension": [{"url": "urn:iop-kiosk:demo-anchor", "valueDateTime": ANCHOR}]},
        "type": "collection",
        "entry": [{"resource": res} for res in resources]}
    with open(HERE / "clinic.json", "w", encoding="utf-8", newline="\n") as out:
        json.dump(bundle, out, ensure_ascii=False, indent=2)
        out.write("\n")
    with open(HERE / "cards.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("role", "name", "token", "pin"))
        writer.writerows(cards)
    counts = {}
    for res in resources:
        counts[res["resourceType"]] = counts.get(res["resourceType"], 0) + 1
    print(", ".join(f"{kind} {n}" for kind, n in counts.items()), f"| cards {len(cards)}")


if __name__ == "__main__":
    main()
