#!/usr/bin/env python3
"""Cards issued and revoked for a clinic (issue 13 item 1), end to end: the real `kiosk card`
commands against the real FHIR test server (throwaway PKI), and the real kiosk B under Xvfb
(scans typed like a keyboard-wedge scanner) that learns them by its own sync thread's pulls.

  1. `kiosk card issue --person` writes a one-card PDF (its QR read back with pdftoppm and
     `kiosk decode`); on the server the Patient's earlier credential identifier got period.end
     and the new one was appended;
  2. kiosk B, after its next pull: the new card checks in, the earlier card is refused;
  3. `kiosk card revoke --reason`: after B's next pull the card is refused there;
  4. `kiosk staff badge` and `kiosk staff pin --pin-stdin` (a run like 1234 is refused): after
     B's next pull the new badge and PIN sign in there, the earlier badge is refused;
  5. `kiosk card issue --csv` issues one card per row; a server that cannot be reached is a clear
     error (exit 1) that changes nothing.

Authentication is a switch: --server-toml 'LINES' adds lines to every config's [server] section
(for instance auth = "smart-backend" with its client_id and key, once the kiosk has it), so the
same steps run with SMART Backend Services on.

Needs Xvfb, xdotool, node (npm ci in tests/fhir-server), pdftoppm.
  cards_e2e.py --kiosk build/bin/kiosk [--artifacts DIR] [--server-toml LINES]
"""

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402

CREDENTIAL = "urn:iop-kiosk:credential-sha256"
PIN = "2580"


run = rig.run_command
expect = rig.expect_logged


def config_for(work, server, kiosk_id, zone, extra):
    """A kiosk config (rig.write_config) with `extra` lines added to its [server] section."""
    path = rig.write_config(work / f"{kiosk_id}.toml", server, kiosk_id, work / kiosk_id, zone,
                            interval=5)
    if extra:
        text = path.read_text().replace("[server]\n", f"[server]\n{extra.strip()}\n", 1)
        path.write_text(text)
    return path


def credentials(server, ref):
    """The credential identifiers the server holds for `ref`, in order."""
    patient = server.call("GET", f"{server.base}/{ref}")
    return [i for i in patient.get("identifier", []) if i.get("system") == CREDENTIAL]


def token_on_card(args, work, pdf):
    """The token the PDF's one QR code holds, read as a scanner would read a printed card."""
    stem = work / f"{pdf.stem}-page"
    code, out = run(["pdftoppm", "-gray", "-r", "200", "-singlefile", str(pdf), str(stem)])
    expect(code == 0, "pdftoppm rendered the card", out)
    code, out = run([args.kiosk, "decode", f"{stem}.pgm"])
    words = out.split()
    expect(code == 0 and len(words) == 4 and words[1] == "ok" and words[3] == "token=valid",
           "the card's QR holds a valid kiosk token", out)
    return words[2]


def valid_until(db, token):
    rows = rig.db_rows(db, "SELECT valid_until FROM credential WHERE hash = ?",
                       (hashlib.sha256(token.encode()).hexdigest(),))
    return rows[0][0] if rows else "missing"


def issue_one(args, work, server, config_a, old_token):
    """Step 1."""
    pdf = work / "card.pdf"
    code, out = run([args.kiosk, "card", "issue", "--config", str(config_a), "--person",
                     "Patient/pat-0", "--out", str(pdf)])
    expect(code == 0 and pdf.is_file() and "1 card(s) issued" in out,
           "kiosk card issue --person wrote the card", out)
    token = token_on_card(args, work, pdf)
    expect(token != old_token and token not in out, "a fresh token, never printed to the terminal")
    held = credentials(server, "Patient/pat-0")
    expect(len(held) == 2 and held[0]["value"] == hashlib.sha256(old_token.encode()).hexdigest()
           and "end" in held[0].get("period", {})
           and held[1]["value"] == hashlib.sha256(token.encode()).hexdigest()
           and "period" not in held[1],
           "the server ended the earlier credential and holds the new one", str(held))
    return token


def at_kiosk_b(args, work, server, config_b, db_b, xvfb, tokens, new_token, config_a):
    """Steps 2, 3 and 4."""
    kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk-b.log",
                      ["--config", str(config_b), "--windowed", "1280x800"])
    kiosk.start()
    try:
        rig.wait_for("kiosk B's pull of the new card", lambda: valid_until(db_b, new_token) is None)
        text = kiosk.scan_and_read(tokens[0])
        expect("confirmed:" not in text, "the earlier card is refused at kiosk B", text[-1500:])
        text = kiosk.scan_and_read(new_token)
        expect("confirmed: checked-in person=Patient/pat-0" in text,
               "the new card checks in at kiosk B", text[-1500:])

        code, out = run([args.kiosk, "card", "revoke", "--config", str(config_a), "--person",
                         "Patient/pat-0", "--reason", "lost"])
        expect(code == 0 and "every card revoked" in out, "kiosk card revoke", out)
        rig.wait_for("kiosk B's pull of the revocation",
                     lambda: valid_until(db_b, new_token) not in (None, "missing"))
        time.sleep(rig.DUPLICATE_SECONDS + 1)  # not a repeat of the same card's answer
        text = kiosk.scan_and_read(new_token)
        expect("confirmed:" not in text and "scan refused" in text,
               "the revoked card is refused at kiosk B", text[-1500:])
        staff_badge_and_pin(args, work, server, config_a, db_b, kiosk)
    finally:
        kiosk.stop()
    log = kiosk.log_text()
    expect(new_token not in log and new_token[3:] not in log, "no token in kiosk B's log")
    expect(PIN not in log, "no PIN in kiosk B's log")


def staff_badge_and_pin(args, work, server, config_a, db_b, kiosk):
    """Step 4, with kiosk B running."""
    pdf = work / "badge.pdf"
    code, out = run([args.kiosk, "staff", "badge", "--config", str(config_a), "--practitioner",
                     "Practitioner/prac-0", "--out", str(pdf)])
    expect(code == 0 and pdf.is_file(), "kiosk staff badge wrote the badge", out)
    badge = token_on_card(args, work, pdf)
    held = credentials(server, "Practitioner/prac-0")
    expect(len(held) == 2 and "end" in held[0].get("period", {})
           and held[1]["value"] == hashlib.sha256(badge.encode()).hexdigest(),
           "the server ended the earlier badge and holds the new one", str(held))
    code, out = run([args.kiosk, "staff", "pin", "--config", str(config_a), "--practitioner",
                     "Practitioner/prac-0", "--pin-stdin"], stdin="1234\n")
    expect(code == 1 and "run of digits" in out, "a run like 1234 is refused as a PIN", out)
    code, out = run([args.kiosk, "staff", "pin", "--config", str(config_a), "--practitioner",
                     "Practitioner/prac-0", "--pin-stdin"], stdin=PIN + "\n")
    expect(code == 0 and PIN not in out, "kiosk staff pin stored the verifier", out)
    rig.wait_for("kiosk B's pull of the badge and the PIN",
                 lambda: valid_until(db_b, badge) is None and rig.db_rows(
                     db_b, "SELECT count(*) FROM staff_pin WHERE person_ref = ? AND verifier "
                     "LIKE '$argon2id$v=19$m=65536,t=2,p=1$%'", ("Practitioner/prac-0",))[0][0] == 1)
    offset = kiosk.logfile.stat().st_size
    kiosk.scan(badge)
    kiosk.xdo(["type", "--delay", "20", PIN])
    kiosk.xdo(["key", "Return"])

    def signed_in():
        with open(kiosk.logfile, "rb") as f:
            f.seek(offset)
            return "Practitioner/prac-0 signed in" in f.read().decode("utf-8", "replace")
    rig.wait_for("the new badge and PIN signing in at kiosk B", signed_in, timeout=30)
    rig.log("ok: the new badge and PIN sign in at kiosk B")


def bulk_and_unreachable(args, work, server, config_a, zone, tokens):
    """Step 5."""
    people = work / "people.csv"
    people.write_text("person,note\nPatient/pat-1,first\n\"Patient/pat-2\",second\n")
    pdf = work / "cards.pdf"
    code, out = run([args.kiosk, "card", "issue", "--config", str(config_a), "--csv", str(people),
                     "--out", str(pdf)])
    expect(code == 0 and pdf.is_file() and "2 card(s) issued" in out,
           "kiosk card issue --csv wrote two cards", out)
    for p in (1, 2):
        held = credentials(server, f"Patient/pat-{p}")
        expect(len(held) == 2 and "end" in held[0].get("period", {}),
               f"pat-{p} has a new card and the earlier one ended", str(held))
    dead = work / "dead.toml"
    dead.write_text(config_a.read_text().replace(server.base, "https://127.0.0.1:9/fhir/R4"))
    code, out = run([args.kiosk, "card", "issue", "--config", str(dead), "--person",
                     "Patient/pat-3", "--out", str(work / "dead.pdf")])
    expect(code == 1 and "cannot reach the clinic server" in out
           and not (work / "dead.pdf").exists(),
           "an unreachable server is a clear error and no card", out)
    expect(len(credentials(server, "Patient/pat-3")) == 1, "pat-3's card is unchanged")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--artifacts", help="where to keep logs on a failure")
    ap.add_argument("--server-toml", default="",
                    help="lines added to each config's [server] section (authentication)")
    args = ap.parse_args()
    args.kiosk = str(Path(args.kiosk).resolve())
    rig.install_signal_handlers()
    rig.need_tools("Xvfb", "xdotool", "node", "pdftoppm")
    work = Path(tempfile.mkdtemp(prefix="cards-e2e-"))

    def body(stack):
        server, zone, tokens = rig.one_group_server(work, 4, "Cards Group")
        stack.callback(server.stop)
        xvfb = rig.Xvfb(work / "xvfb.log")
        stack.callback(xvfb.stop)
        config_a = config_for(work, server, "kiosk-a", zone, args.server_toml)
        config_b = config_for(work, server, "kiosk-b", zone, args.server_toml)
        code, out = rig.sync_once(args.kiosk, config_b)
        expect(code == 0, "kiosk B pulled the clinic", out)
        new_token = issue_one(args, work, server, config_a, tokens[0])
        at_kiosk_b(args, work, server, config_b, work / "kiosk-b" / "kiosk.db", xvfb, tokens,
                   new_token, config_a)
        bulk_and_unreachable(args, work, server, config_a, zone, tokens)

    return rig.run_e2e("cards e2e", work, body, args.artifacts)


if __name__ == "__main__":
    sys.exit(main())
