#!/usr/bin/env python3
"""Idle CPU of the kiosk's welcome screen, under Xvfb.

Starts its own X server (Xvfb, display chosen through -displayfd) and the kiosk on the demo clinic
with a fresh data dir, waits for "ready" plus a settling time, then samples the kiosk's
utime+stime (/proc/PID/stat, all threads) once a second and prints the per-second CPU use in % of
one core: median, p90, max, and the total over the run, plus the kiosk's resident memory at the
end. Exits 1 when the median is above --max-median.

/proc/PID/stat counts in clock ticks (10 ms with USER_HZ 100), so a per-second sample has a
resolution of 1 %; the second line, from the scheduler's own ns counters
(/proc/PID/task/*/schedstat), is exact. A benchmark to run by hand, not a ctest:

  /usr/bin/python3 tests/bench/idle_cpu.py [--kiosk build/bin/kiosk] [--seconds 60] [--max-median 1.0]

Needs Xvfb. Standard library only.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import xdisplay  # noqa: E402
from kioskrig import stop  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # runs the finally blocks that stop Xvfb and the kiosk


def cpu_ticks(pid):
    """utime + stime of the whole process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces
    return int(fields[11]) + int(fields[12])      # fields 14 and 15 of proc(5)


def cpu_ns(pid):
    """Time on CPU of all the process's threads, in ns (None when schedstat is unavailable)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass  # a thread that just ended
    except FileNotFoundError:
        return None
    return total


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    ap = argparse.ArgumentParser(description="Idle CPU of the kiosk's welcome screen under Xvfb.")
    ap.add_argument("--kiosk", default=str(ROOT / "build" / "bin" / "kiosk"))
    ap.add_argument("--assets", default=str(ROOT / "assets"))
    ap.add_argument("--seconds", type=int, default=60, help="how many 1 s samples (default 60)")
    ap.add_argument("--settle", type=float, default=3.0, help="seconds to wait after 'ready' (default 3)")
    ap.add_argument("--max-median", type=float, default=1.0,
                    help="fail when the median CPU %% of one core is above this (default 1.0)")
    ap.add_argument("--size", default="1280x800", help="screen and window size (default 1280x800)")
    ap.add_argument("--audio-driver", default="dummy",
                    help="SDL_AUDIODRIVER for the kiosk (default dummy; 'none' leaves it without audio)")
    ap.add_argument("--verbose", action="store_true", help="print every sample")
    args = ap.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)

    if shutil.which("Xvfb") is None:
        print("Xvfb is not installed", file=sys.stderr)
        return 2
    if args.seconds < 1:
        ap.error("--seconds must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    xvfb = kiosk = None
    try:
        xvfb, display = xdisplay.start_xvfb(args.size, work / "xvfb.log")
        env = dict(os.environ, DISPLAY=display, SDL_AUDIODRIVER=args.audio_driver, XDG_DATA_HOME=str(work / "xdg"),
                   XDG_CONFIG_HOME=str(work / "xdg-config"))
        klog_path = work / "kiosk.log"
        with open(klog_path, "wb") as klog:
            kiosk = subprocess.Popen([args.kiosk, "--demo", "--data-dir", str(work / "data"),
                                      "--windowed", args.size, "--assets", args.assets],
                                     env=env, preexec_fn=xdisplay.die_with_parent, stdin=subprocess.DEVNULL,
                                     stdout=klog, stderr=klog)
        deadline = time.monotonic() + 20
        while True:
            text = klog_path.read_text(errors="replace")
            m = re.search(r"ready: .*", text)
            if m:
                break
            if kiosk.poll() is not None or time.monotonic() > deadline:
                print(f"the kiosk did not get ready; its log:\n{text}", file=sys.stderr)
                return 2
            time.sleep(0.05)
        print(f"kiosk pid {kiosk.pid} on {display} (SDL_AUDIODRIVER={args.audio_driver}): {m.group(0).strip()}")
        print(f"settling {args.settle:g} s, then {args.seconds} samples, 1 a second ...", flush=True)
        time.sleep(args.settle)

        pid = kiosk.pid
        x_start = cpu_ticks(xvfb.pid)
        t_prev, c_prev, n_prev = time.monotonic(), cpu_ticks(pid), cpu_ns(pid)
        t_start, c_start, n_start = t_prev, c_prev, n_prev
        pct, pct_ns = [], []
        next_at = t_prev + 1.0
        for i in range(args.seconds):
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += 1.0
            if kiosk.poll() is not None:
                print(f"the kiosk exited with {kiosk.returncode} during the run", file=sys.stderr)
                return 2
            t, c, n = time.monotonic(), cpu_ticks(pid), cpu_ns(pid)
            dt = t - t_prev
            pct.append((c - c_prev) / TICKS / dt * 100)
            if n is not None and n_prev is not None:
                pct_ns.append((n - n_prev) / 1e9 / dt * 100)
            if args.verbose:
                print(f"  {i + 1:4d}  {pct[-1]:6.2f} %" + (f"  ({pct_ns[-1]:.3f} % exact)" if pct_ns else ""))
            t_prev, c_prev, n_prev = t, c, n
        wall = t_prev - t_start
        total_s = (c_prev - c_start) / TICKS
        rss, hwm = status_kb(pid, "VmRSS"), status_kb(pid, "VmHWM")
        x_total = (cpu_ticks(xvfb.pid) - x_start) / TICKS

        med = median(pct)
        print()
        print("| samples | median % | p90 % | max % | total CPU | average % | VmRSS | VmHWM |")
        print("|---|---|---|---|---|---|---|---|")
        print(f"| {len(pct)} x 1 s | {med:.2f} | {percentile(pct, 90):.2f} | {max(pct):.2f} | "
              f"{total_s:.2f} s in {wall:.1f} s | {total_s / wall * 100:.3f} | {rss / 1024:.1f} MiB | "
              f"{hwm / 1024:.1f} MiB |")
        if len(pct_ns) == len(pct):
            total_ns = (n_prev - n_start) / 1e9
            print(f"| schedstat (exact) | {median(pct_ns):.3f} | {percentile(pct_ns, 90):.3f} | "
                  f"{max(pct_ns):.3f} | {total_ns:.3f} s | {total_ns / wall * 100:.3f} | | |")
        print(f"\n% = of one core. Xvfb used {x_total:.2f} s of CPU meanwhile. "
              f"kiosk VmRSS {rss} kB (peak {hwm} kB).")
        if med > args.max_median:
            print(f"FAIL: median {med:.2f} % is above --max-median {args.max_median:g} %")
            return 1
        print(f"OK: median {med:.2f} % <= {args.max_median:g} %")
        return 0
    finally:
        status = stop(kiosk)
        stop(xvfb)
        if status not in (0, None):
            print(f"note: the kiosk's exit status after SIGTERM was {status}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
