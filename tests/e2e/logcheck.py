"""What the kiosk's log may hold (issue 7, PRIVACY.md): levelled lines, never a raw card token,
and no person's name above debug level. Shared by the end-to-end tests, which read the log of the
real binary after it stopped."""
import csv
import re

LINE = re.compile(r"^kiosk (debug|info|warn|error) \[[a-z-]+\] ")


def people(cards_csv):
    """(tokens, names) of every card in a card list (role,name,token[,pin])."""
    tokens, names = [], []
    with open(cards_csv, newline="") as f:
        for row in csv.DictReader(f):
            tokens.append(row["token"])
            names.append(row["name"])
    return tokens, names


def problems(logtext, cards_csv):
    """Every line that breaks the rules, with the reason; empty when the log is fine."""
    tokens, names = people(cards_csv)
    words = set()
    for name in names:
        words.update(w for w in name.split() if len(w) >= 4)
    name_re = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words)) + r")\b")
    found = []
    for n, line in enumerate(logtext.splitlines(), 1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            found.append(f"line {n} is not a levelled kiosk line: {line[:120]!r}")
            continue
        for t in tokens:
            if t in line or t[3:] in line:
                found.append(f"line {n} holds a raw card token")
        hit = name_re.search(line)
        if hit and m.group(1) != "debug":
            found.append(f"line {n} names a person ({hit.group(1)!r}) at {m.group(1)} level: {line[:160]!r}")
    return found
