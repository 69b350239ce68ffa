#!/usr/bin/python3
"""One writer per data directory (issue 12.8), with the real kiosk binary run more than once on
the same --data-dir:

  1. a kiosk runs (under Xvfb); a second kiosk on the same directory refuses to start at once,
     naming the first one's pid, and writes nothing there;
  2. `kiosk sync --once` and `kiosk resources import` on that directory refuse at once too,
     saying the running kiosk syncs by itself and how to stop it;
  3. with the kiosk stopped, a command that finds another command's lock (here flock(1) holding
     it for 3 s) waits for it and then runs; one held for longer than 30 s is refused after 30 s.

usage: datadir_lock_e2e.py --kiosk BIN [--artifacts DIR]
Needs Xvfb and flock(1). Standard library only.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kioskrig as rig  # noqa: E402

failures = []


def check(ok, what, output=""):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)
        if output:
            print("      output was:\n" + "\n".join("      | " + line for line in output.splitlines()))


def run(argv, timeout=90):
    started = time.monotonic()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr, time.monotonic() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--artifacts", type=Path)
    args = ap.parse_args()
    rig.install_signal_handlers()
    rig.need_tools("Xvfb", "flock")
    work = Path(tempfile.mkdtemp(prefix="kiosk-lock-e2e-"))
    if args.artifacts:
        shutil.rmtree(args.artifacts, ignore_errors=True)
        args.artifacts.mkdir(parents=True)
        work = args.artifacts
    data = work / "data"
    config = work / "kiosk.toml"
    # A server nobody answers on: the commands get as far as the lock, and no further.
    key = work / "audit.key"  # the kiosk does not start without its audit key
    subprocess.run([args.kiosk, "audit", "init-key", "--out", str(key)], check=True,
                   capture_output=True)
    config.write_text('[server]\nurl = "https://127.0.0.1:1/fhir/R4"\n[kiosk]\n'
                      f'data_dir = "{data}"\n[audit]\nkey_file = "{key}"\n')
    hsds = work / "hsds"
    hsds.mkdir()
    xvfb = kiosk = None
    try:
        xvfb = rig.Xvfb(work / "xvfb.log")
        kiosk = rig.Kiosk(args.kiosk, xvfb.display, work / "kiosk-1.log",
                          ["--config", str(config), "--windowed", "1280x800"])
        kiosk.start(find_window=False)
        pid = kiosk.proc.pid
        check((data / "kiosk.lock").read_text().strip() == f"{pid} kiosk",
              "the running kiosk's lock file names it")

        before = sorted(p.name for p in data.iterdir())
        env = dict(kiosk.env)
        second = subprocess.run([args.kiosk, "--config", str(config), "--windowed", "1280x800"],
                                env=env, capture_output=True, text=True, timeout=60)
        out = second.stdout + second.stderr
        check(second.returncode == 1, f"a second kiosk on the same data dir exits 1 (was {second.returncode})", out)
        check(f"{data} is in use by 'kiosk' (pid {pid})" in out, "... and names the first one and its pid", out)
        check("ready: first frame drawn" not in out, "... without opening a window", out)
        check(sorted(p.name for p in data.iterdir()) == before, "... and without writing in the data dir")
        check(kiosk.alive(), "the first kiosk runs on")

        code, out, took = run([args.kiosk, "sync", "--once", "--config", str(config)])
        check(code == 1 and f"is in use by 'kiosk' (pid {pid})" in out and
              "A running kiosk syncs and imports by itself" in out and "systemctl stop iop-kiosk" in out,
              f"kiosk sync --once beside it is refused with what to do (exit {code})", out)
        check(took < 10, f"... at once ({took:.1f} s), not after a wait")
        code, out, _ = run([args.kiosk, "resources", "import", str(hsds), "--data-dir", str(data)])
        check(code == 1 and f"is in use by 'kiosk' (pid {pid})" in out,
              f"kiosk resources import beside it is refused (exit {code})", out)

        status = kiosk.stop()
        check(status == 0, f"the kiosk stops cleanly (exit {status})")

        # Another command holds the lock for 3 s: sync --once waits, then runs (and then finds
        # no server, which it says in its own words).
        holder = subprocess.Popen(["flock", str(data / "kiosk.lock"), "sleep", "3"])
        time.sleep(0.5)
        code, out, took = run([args.kiosk, "sync", "--once", "--config", str(config)])
        holder.wait()
        check(2.0 <= took and "is in use" not in out and "cannot connect" in out,
              f"with a command's lock held 3 s, sync --once waits ({took:.1f} s) and then runs", out)

        holder = subprocess.Popen(["flock", str(data / "kiosk.lock"), "sleep", "40"])
        time.sleep(0.5)
        code, out, took = run([args.kiosk, "sync", "--once", "--config", str(config)])
        rig.stop(holder)
        check(code == 1 and "is in use by another process, still after 30 s" in out and 29 <= took < 40,
              f"a lock held longer: refused after 30 s ({took:.1f} s, exit {code})", out)
    finally:
        if kiosk:
            kiosk.stop()
        if xvfb:
            xvfb.stop()
        if not args.artifacts:
            shutil.rmtree(work, ignore_errors=True)
    print(f"datadir_lock_e2e: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
