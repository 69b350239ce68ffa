"""Xvfb on a free display number, for the end-to-end tests, the install test and the benches:
the one place that starts it (-displayfd), waits for its display number and ties its life to
the test's (PR_SET_PDEATHSIG), so no X server is left behind."""

import ctypes
import os
import select
import signal
import subprocess
import time


def die_with_parent():
    """Child side of Popen: SIGTERM when the test dies, even by SIGKILL (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def start_xvfb(size, logfile, extra=(), error=RuntimeError, timeout=15):
    """Starts Xvfb with one WIDTHxHEIGHT screen (more options in `extra`), its output in
    `logfile`. Returns (process, ":N"); raises `error` when no display number comes in time."""
    rfd, wfd = os.pipe()
    with open(logfile, "wb") as err:
        proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(wfd), "-screen", "0", f"{size}x24", "-nolisten", "tcp",
             "-noreset", *extra],
            pass_fds=(wfd,), preexec_fn=die_with_parent, stdin=subprocess.DEVNULL,
            stdout=err, stderr=err)
    os.close(wfd)
    buf = b""
    deadline = time.monotonic() + timeout
    try:
        while not buf.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or proc.poll() is not None:
                proc.kill()
                tail = open(logfile, errors="replace").read()[-2000:]
                raise error(f"Xvfb did not report a display number within {timeout} s "
                            f"({logfile}):\n{tail}")
            if select.select([rfd], [], [], left)[0]:
                chunk = os.read(rfd, 64)
                if not chunk:
                    break
                buf += chunk
    finally:
        os.close(rfd)
    if not buf.strip().isdigit():
        proc.kill()
        raise error(f"Xvfb -displayfd gave {buf!r}")
    return proc, ":" + buf.strip().decode()
