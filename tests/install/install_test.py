#!/usr/bin/env python3
"""Install on a kiosk box (issue 7): what `cmake --install` puts on the box, and the INSTALLED
kiosk talking to systemd the way the iop-kiosk.service unit runs it.

  1. `DESTDIR=<tmp> cmake --install <build> --prefix /usr`: the binary (usr/bin/iop-kiosk), its
     fonts, demo clinic and compiled .mo catalogues (usr/share/iop-kiosk/assets), the unit, the
     sysusers.d/tmpfiles.d/PAM files and /etc/iop-kiosk/kiosk.toml.example; no audit key (the
     installed `iop-kiosk audit init-key` makes one, 0640, and will not overwrite it); a second
     install leaves a clinic's own kiosk.toml alone
  2. systemd-sysusers and systemd-tmpfiles applied to a scratch root: user iop-kiosk in video
     and render but not input (the scanner comes by the shipped udev rule), /var/lib/iop-kiosk
     0700 owned by it
  3. `systemd-analyze verify` of the installed unit prints nothing (and does catch a broken copy)
  4. the installed binary, --demo under Xvfb, with NOTIFY_SOCKET on a datagram socket this test
     binds: it finds the INSTALLED assets (its log names them); READY=1 comes after the first
     frame; WATCHDOG=1 every half WATCHDOG_USEC, without redrawing (idle CPU stays low); a window
     close request (WM_DELETE_WINDOW) and Alt+F4 do not end it full screen; SIGTERM ends it with
     exit 0 and STOPPING=1
  5. --windowed: WATCHDOG_PID = its parent still pings (as under cage); a close request ends it
     (exit 0, STOPPING=1). WATCHDOG_PID = an unrelated process: no pings
  6. under cage itself (headless wlroots, pixman renderer, as user nobody when root), started
     like systemd does (WATCHDOG_PID = cage's pid): the kiosk gets a GL context on Wayland,
     sends READY=1 and WATCHDOG=1; the unit's own ExecStop= line stops it (STOPPING=1) and cage
     with it, cleanly; when cage is killed the kiosk ends by itself with a failure status.
     Then once more under strace: every system call cage, Xwayland and the kiosk make is in the
     unit's SystemCallFilter=@system-service (as systemd-analyze syscall-filter expands it).
     Skipped with a message when cage or Xwayland (cage 0.1.4 needs it) is not installed.

  install_test.py --build-dir BUILD --source-dir SRC [--artifacts DIR] [--keep]
Needs cmake, systemd (systemd-analyze, -sysusers, -tmpfiles), Xvfb, xdotool, strace. Standard
library only.
"""

import argparse
import ctypes
import ctypes.util
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
import xdisplay  # noqa: E402

T0 = time.monotonic()
WATCHDOG_USEC = 2_000_000  # pings expected every 1 s
CLOSE_WAIT = 2.5           # seconds a close request gets to (wrongly) end the kiosk


class Failure(Exception):
    pass


def log(msg):
    print(f"[{time.monotonic() - T0:5.1f}s] {msg}", flush=True)


def check(cond, what):
    if not cond:
        raise Failure(what)
    log("ok: " + what)


# ------------------------------------------------------------------------------------------
# 1-3: the installed tree
# ------------------------------------------------------------------------------------------

def install(build, destdir):
    env = dict(os.environ, DESTDIR=str(destdir))
    r = subprocess.run(["cmake", "--install", str(build), "--prefix", "/usr"], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"cmake --install failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def check_tree(root, source):
    binary = root / "usr/bin/iop-kiosk"
    check(binary.is_file() and os.access(binary, os.X_OK), "usr/bin/iop-kiosk is installed, executable")
    assets = root / "usr/share/iop-kiosk/assets"
    for rel in ("fonts/NotoSans-Regular.ttf", "fonts/NotoSans-Bold.ttf", "fonts/OFL.txt",
                "demo/kiosk.toml", "demo/clinic.json", "demo/cards.csv", "demo/directory.json"):
        check((assets / rel).is_file(), f"assets/{rel} installed")
    langs = sorted(p.stem for p in (source / "assets/i18n").glob("*.po"))
    for lang in langs:
        mo = assets / "i18n" / f"{lang}.mo"
        check(mo.is_file() and mo.read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde"),
              f"i18n/{lang}.mo installed (a compiled catalogue)")
    check(not list(assets.rglob("*.py")) and not list(assets.rglob("*.po")),
          "no generator scripts or .po sources among the installed assets")

    unit = root / "usr/lib/systemd/system/iop-kiosk.service"
    check(unit.is_file(), "usr/lib/systemd/system/iop-kiosk.service installed")
    text = unit.read_text()
    check(re.search(r"@[A-Z_]+@", text) is None, "the unit has no unconfigured @VARIABLES@")
    directives = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            directives.setdefault(k.strip(), []).append(v.strip())
    exec_start = directives["ExecStart"][0].split()
    check(exec_start[0].endswith("/cage") and "-d" in exec_start and "-s" not in exec_start,
          "ExecStart runs cage -d (no decorations) without -s (no VT switching)")
    check(exec_start[exec_start.index("--") + 1:] ==
          ["/usr/bin/iop-kiosk", "--config", "/etc/iop-kiosk/kiosk.toml"],
          "ExecStart names the installed binary and /etc/iop-kiosk/kiosk.toml")
    for k, v in (("Type", "notify"), ("NotifyAccess", "all"), ("Restart", "always"),
                 ("User", "iop-kiosk"), ("StateDirectory", "iop-kiosk"), ("StateDirectoryMode", "0700"),
                 ("Conflicts", "getty@tty1.service"), ("TTYPath", "/dev/tty1"),
                 ("PAMName", "iop-kiosk"), ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes")):
        check(directives.get(k, [None])[0] == v, f"unit: {k}={v}")
    check("WatchdogSec" in directives, "unit: WatchdogSec= is set")
    check(directives.get("SystemCallFilter") == ["@system-service", "mincore"],
          "unit: SystemCallFilter=@system-service, and mincore (EGL's platform detection)")
    for k, v in (("SystemCallErrorNumber", "EPERM"),
                 ("ProtectProc", "invisible"), ("ProcSubset", "pid")):
        check(directives.get(k, [None])[0] == v, f"unit: {k}={v}")
    allowed = set(directives.get("DeviceAllow", []))
    for rule in ("char-drm rw", "char-video4linux rw", "char-input r", "char-alsa rw", "/dev/tty1 rw"):
        check(rule in allowed, f"unit: DeviceAllow={rule}")
    check("char-input rw" not in allowed and not any(a.startswith("/dev/input") for a in allowed),
          "unit: input devices are only read")
    check("SDL_VIDEODRIVER=wayland" in " ".join(directives.get("Environment", [])),
          "unit: SDL_VIDEODRIVER=wayland")

    check((root / "usr/lib/sysusers.d/iop-kiosk.conf").is_file(), "sysusers.d/iop-kiosk.conf installed")
    rule = root / "usr/share/iop-kiosk/udev/70-iop-kiosk-scanner.rules"
    rule_lines = [l for l in rule.read_text().splitlines() if l and not l.startswith("#")] if rule.is_file() else []
    check(rule_lines == ['SUBSYSTEM=="input", KERNEL=="event*", SYMLINK=="input/by-id/SCANNER-NAME", '
                         'OWNER="iop-kiosk", MODE="0600"'],
          "share/iop-kiosk/udev/70-iop-kiosk-scanner.rules installed: one rule giving the scanner to iop-kiosk")
    check((root / "usr/lib/tmpfiles.d/iop-kiosk.conf").is_file(), "tmpfiles.d/iop-kiosk.conf installed")
    check((root / "etc/pam.d/iop-kiosk").is_file(), "etc/pam.d/iop-kiosk installed")
    example = root / "etc/iop-kiosk/kiosk.toml.example"
    check(example.is_file() and example.read_text() == (source / "config/kiosk.example.toml").read_text(),
          "etc/iop-kiosk/kiosk.toml.example is config/kiosk.example.toml")
    check(not (root / "etc/iop-kiosk/kiosk.toml").exists(), "no kiosk.toml is made by the install")
    # The audit key is made on the box (README step 4), never by the install: a key in an image
    # would be every box's key.
    key = root / "etc/iop-kiosk/audit.key"
    check(not key.exists(), "no audit key is made by the install")
    made = subprocess.run([str(binary), "audit", "init-key", "--out", str(key)], capture_output=True)
    check(made.returncode == 0 and key.stat().st_size == 32 and (key.stat().st_mode & 0o777) == 0o640,
          "the installed binary's 'audit init-key' makes a 0640 key of 32 bytes")
    again = subprocess.run([str(binary), "audit", "init-key", "--out", str(key)], capture_output=True)
    check(again.returncode == 1, "'audit init-key' refuses to overwrite it")
    key.unlink()
    return unit


def check_users_and_dirs(root, work):
    """sysusers.d and tmpfiles.d applied to a scratch root holding a copy of this box's users."""
    sysroot = work / "sysroot"
    (sysroot / "etc").mkdir(parents=True)
    for f in ("passwd", "group", "shadow", "gshadow"):
        if Path("/etc", f).exists():
            shutil.copy(Path("/etc", f), sysroot / "etc" / f)
    for cmd in (["systemd-sysusers", f"--root={sysroot}", str(root / "usr/lib/sysusers.d/iop-kiosk.conf")],
                ["systemd-tmpfiles", f"--root={sysroot}", "--create",
                 str(root / "usr/lib/tmpfiles.d/iop-kiosk.conf")]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise Failure(f"{cmd[0]} failed: {r.stderr}")
    users = {l.split(":")[0]: l.split(":") for l in (sysroot / "etc/passwd").read_text().splitlines()}
    check("iop-kiosk" in users and users["iop-kiosk"][6] == "/usr/sbin/nologin" and int(users["iop-kiosk"][2]) != 0,
          "sysusers: user iop-kiosk, unprivileged, no login shell")
    groups = {l.split(":")[0]: l.split(":")[3].split(",") for l in (sysroot / "etc/group").read_text().splitlines()}
    for g in ("video", "render"):
        check("iop-kiosk" in groups.get(g, []), f"sysusers: iop-kiosk is in group {g}")
    check("iop-kiosk" not in groups.get("input", []),
          "sysusers: iop-kiosk is not in group input (it could read every keyboard)")
    st = (sysroot / "var/lib/iop-kiosk").stat()
    check(oct(st.st_mode & 0o7777) == "0o700" and st.st_uid == int(users["iop-kiosk"][2]),
          "tmpfiles: /var/lib/iop-kiosk is 0700 and owned by iop-kiosk")


def verify_unit(unit, work):
    def run(path):
        r = subprocess.run(["systemd-analyze", "verify", "--man=no", str(path)], capture_output=True, text=True)
        return r.returncode, (r.stdout + r.stderr).strip()
    rc, out = run(unit)
    check(rc == 0 and out == "", "systemd-analyze verify: the installed unit is clean" + (f"\n{out}" if out else ""))
    bad = work / "bad" / unit.name
    bad.parent.mkdir()
    bad.write_text(unit.read_text().replace("ExecStart=", "ExecStart=/nonexistent/", 1))
    rc, out = run(bad)
    check(rc != 0 and "not executable" in out, "systemd-analyze verify does catch a broken copy")


# ------------------------------------------------------------------------------------------
# 4-6: the installed binary and systemd's notify protocol
# ------------------------------------------------------------------------------------------

class NotifySocket:
    """The service manager's end of sd_notify: a Unix datagram socket; every message is kept
    with its arrival time."""

    def __init__(self, path):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        os.chmod(self.path, 0o777)  # the kiosk may run as another user (cage as nobody)
        self.messages = []  # (time, {key: value})

    def pump(self, seconds):
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return
            fields = dict(l.split("=", 1) for l in data.decode().splitlines() if "=" in l)
            self.messages.append((time.monotonic(), fields))

    def wait_for(self, key, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for t, m in self.messages:
                if key in m:
                    return t, m
            self.pump(min(0.2, max(0.0, end - time.monotonic())))
        return None

    def times(self, key, since=0.0):
        return [t for t, m in self.messages if key in m and t >= since]

    def close(self):
        self.sock.close()


class X11:
    """Just enough Xlib (ctypes) to send a window the WM_DELETE_WINDOW close request a window
    manager sends on Alt+F4 or its close button."""

    def __init__(self, display):
        self.x = ctypes.CDLL(ctypes.util.find_library("X11"))
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XInternAtom.restype = ctypes.c_ulong
        self.x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
        self.x.XFlush.argtypes = [ctypes.c_void_p]
        self.x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise Failure(f"cannot open X display {display}")

    def close_request(self, window):
        class ClientMessage(ctypes.Structure):
            _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                        ("display", ctypes.c_void_p), ("window", ctypes.c_ulong),
                        ("message_type", ctypes.c_ulong), ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]

        class XEvent(ctypes.Union):
            _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]

        ev = XEvent()
        ev.xclient.type = 33  # ClientMessage
        ev.xclient.window = window
        ev.xclient.message_type = self.x.XInternAtom(self.dpy, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.l[0] = self.x.XInternAtom(self.dpy, b"WM_DELETE_WINDOW", 0)
        ev.xclient.l[1] = 0  # CurrentTime
        self.x.XSendEvent(self.dpy, window, 0, 0, ctypes.byref(ev))
        self.x.XFlush(self.dpy)

    def shut(self):
        self.x.XCloseDisplay(self.dpy)


def find_window(display, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = subprocess.run(["xdotool", "search", "--name", "^IOP Kiosk$"], capture_output=True, text=True,
                           env=dict(os.environ, DISPLAY=display))
        ids = r.stdout.split()
        if ids:
            return int(ids[-1])
        time.sleep(0.2)
    raise Failure("the kiosk's window did not appear")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Kiosk:
    def __init__(self, cmd, env, logfile):
        self.logfile = logfile
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(logfile, "w"),
                                     preexec_fn=xdisplay.die_with_parent)

    def log_text(self):
        return Path(self.logfile).read_text(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()


def kiosk_env(work, name, notify, display=None, extra=None):
    home = work / f"home-{name}"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": str(WATCHDOG_USEC), "LANG": "C.UTF-8"}
    if display:
        env["DISPLAY"] = display
    # A sanitizer build (.ci/run's second pass) keeps its settings in this otherwise clean,
    # systemd-like environment.
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(extra or {})
    return env


def check_ready(notify, kiosk, what, timeout=30):
    got = notify.wait_for("READY", timeout)
    check(got is not None, f"{what}: READY=1 arrives")
    check("ready: first frame drawn" in kiosk.log_text(),
          f"{what}: READY=1 came after the first frame was drawn (the log says so first)")
    return got[0]


def check_watchdog(notify, since, seconds, what):
    notify.pump(seconds)
    pings = notify.times("WATCHDOG", since)
    half = WATCHDOG_USEC / 2e6
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    check(len(pings) >= int(seconds / half) - 1 and len(pings) <= int(seconds / half) + 2,
          f"{what}: {len(pings)} WATCHDOG=1 in {seconds:.0f} s (one per {half:.1f} s expected)")
    check(gaps and max(gaps) < half * 1.6 and min(gaps) > half * 0.5,
          f"{what}: pings {min(gaps):.2f}-{max(gaps):.2f} s apart, well inside WATCHDOG_USEC")


def stop_with_sigterm(kiosk, notify, what, pid=None):
    os.kill(pid or kiosk.proc.pid, signal.SIGTERM)
    got = notify.wait_for("STOPPING", 10)
    check(got is not None, f"{what}: SIGTERM -> STOPPING=1")


def run_fullscreen(root, work, display, x11):
    notify = NotifySocket(work / "notify-full.sock")
    binary = root / "usr/bin/iop-kiosk"
    kiosk = Kiosk([str(binary), "--demo"], kiosk_env(work, "full", notify, display), work / "kiosk-full.log")
    try:
        ready_at = check_ready(notify, kiosk, "full screen")
        assets = root / "usr/share/iop-kiosk/assets"
        check(f"assets in {assets} (translations in {assets / 'i18n'})" in kiosk.log_text(),
              "the installed binary uses the installed assets and .mo files, not the build tree's")
        window = find_window(display)
        geo = subprocess.run(["xdotool", "getwindowgeometry", str(window)], capture_output=True, text=True,
                             env=dict(os.environ, DISPLAY=display)).stdout
        check("1280x800" in geo, "full screen: the window covers the whole 1280x800 screen")
        notify.pump(1.0)  # let the first frames settle before measuring idle
        cpu0, t0 = cpu_seconds(kiosk.proc.pid), time.monotonic()
        check_watchdog(notify, ready_at, 6.0, "full screen")
        cpu = (cpu_seconds(kiosk.proc.pid) - cpu0) / (time.monotonic() - t0)
        check(cpu < 0.03, f"idle with the watchdog on: {cpu * 100:.1f}% of a core (pinging does not redraw)")

        before = time.monotonic()
        x11.close_request(window)
        notify.pump(CLOSE_WAIT)
        check(kiosk.alive(), "full screen: a close request (WM_DELETE_WINDOW) does not end the kiosk")
        check("request to close the window was ignored" in kiosk.log_text(),
              "full screen: the ignored close request is logged")
        subprocess.run(["xdotool", "key", "alt+F4"], env=dict(os.environ, DISPLAY=display))
        notify.pump(1.0)
        check(kiosk.alive(), "full screen: Alt+F4 does not end the kiosk")
        check(len(notify.times("WATCHDOG", before)) >= 2, "full screen: the watchdog keeps coming after them")

        stop_with_sigterm(kiosk, notify, "full screen")
        rc = kiosk.proc.wait(timeout=15)
        check(rc == 0, f"full screen: SIGTERM ends the kiosk with exit 0 (got {rc})")
        check("stopping (Terminated)" in kiosk.log_text(), "full screen: the log says it stopped on SIGTERM")
    finally:
        kiosk.stop()
        notify.close()


def run_windowed(root, work, display, x11):
    binary = root / "usr/bin/iop-kiosk"
    # WATCHDOG_PID = this test, the kiosk's parent: what cage's child sees under systemd.
    notify = NotifySocket(work / "notify-win.sock")
    kiosk = Kiosk([str(binary), "--demo", "--windowed", "1024x700"],
                  kiosk_env(work, "win", notify, display, {"WATCHDOG_PID": str(os.getpid())}),
                  work / "kiosk-win.log")
    try:
        ready_at = check_ready(notify, kiosk, "windowed")
        check_watchdog(notify, ready_at, 3.0, "windowed, WATCHDOG_PID = the parent")
        x11.close_request(find_window(display))
        got = notify.wait_for("STOPPING", 10)
        check(got is not None, "windowed: a close request -> STOPPING=1")
        rc = kiosk.proc.wait(timeout=15)
        check(rc == 0, f"windowed: a close request ends the kiosk with exit 0 (got {rc})")
        check("stopping (window closed)" in kiosk.log_text(), "windowed: the log says the window was closed")
    finally:
        kiosk.stop()
        notify.close()

    # Someone else's watchdog (pid 1 is neither the kiosk nor its parent): not pinged.
    notify = NotifySocket(work / "notify-other.sock")
    kiosk = Kiosk([str(binary), "--demo", "--windowed", "1024x700"],
                  kiosk_env(work, "other", notify, display, {"WATCHDOG_PID": "1"}), work / "kiosk-other.log")
    try:
        ready_at = check_ready(notify, kiosk, "WATCHDOG_PID of another process")
        notify.pump(2.5)
        check(notify.times("WATCHDOG", ready_at - 5) == [], "WATCHDOG_PID of another process: no pings")
        stop_with_sigterm(kiosk, notify, "WATCHDOG_PID of another process")
        check(kiosk.proc.wait(timeout=15) == 0, "WATCHDOG_PID of another process: exit 0")
    finally:
        kiosk.stop()
        notify.close()


def start_cage(root, work, name):
    """cage (headless wlroots, pixman) running the installed kiosk, started the way systemd does:
    WATCHDOG_PID is cage's pid. As nobody when root: cage refuses to run as root."""
    runtime = work / f"cage-runtime-{name}"
    runtime.mkdir(mode=0o700)
    notify = NotifySocket(work / f"notify-cage-{name}.sock")
    env = kiosk_env(work, f"cage-{name}", notify, extra={
        "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1", "SDL_VIDEODRIVER": "wayland"})
    drop = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for p in (runtime, Path(env["HOME"])):
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
        drop = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    # exec keeps the shell's pid: WATCHDOG_PID is cage's pid, as systemd sets it for the unit.
    cmd = ["/bin/sh", "-c", 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$@"', "sh", *drop,
           shutil.which("cage"), "-d", "--", str(root / "usr/bin/iop-kiosk"), "--demo"]
    cage = Kiosk(cmd, env, work / f"cage-{name}.log")
    got = notify.wait_for("READY", 40)
    if got is None:
        cage.stop()
        raise Failure(f"under cage ({name}): no READY=1 within 40 s; see cage-{name}.log")
    children = Path(f"/proc/{cage.proc.pid}/task/{cage.proc.pid}/children").read_text().split()
    kiosk_pid = next((int(c) for c in children
                      if Path(f"/proc/{c}/exe").resolve() == (root / "usr/bin/iop-kiosk").resolve()), None)
    if kiosk_pid is None:
        cage.stop()
        raise Failure(f"under cage ({name}): the kiosk is not cage's child")
    return cage, notify, kiosk_pid, got[0]


def syscall_groups():
    """Every @group of `systemd-analyze syscall-filter`, its names with nested groups expanded."""
    out = subprocess.run(["systemd-analyze", "syscall-filter"], capture_output=True, text=True,
                         check=True).stdout
    groups, current = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            current = groups.setdefault(line.strip(), [])
        elif current is not None and line.strip() and not line.strip().startswith("#"):
            current.append(line.strip())

    def expand(name, seen=()):
        names = set()
        for item in groups.get(name, []):
            names |= expand(item, seen + (name,)) if item.startswith("@") and item not in seen else {item}
        return names
    return expand


def check_syscalls_under_cage(root, work, unit):
    """cage, Xwayland and the kiosk under strace -f, started as in start_cage: each system call
    they make must pass the unit's SystemCallFilter."""
    filt = [item for l in unit.read_text().splitlines() if l.startswith("SystemCallFilter=")
            for item in l.split("=", 1)[1].split()]
    allowed = set()
    expand = syscall_groups()
    for item in filt:
        allowed |= expand(item) if item.startswith("@") else {item}
    check(len(allowed) > 300, f"systemd-analyze expands SystemCallFilter= to {len(allowed)} calls")
    summary = work / "strace-summary.txt"
    summary.touch()
    runtime = work / "cage-runtime-strace"
    runtime.mkdir(mode=0o700)
    notify = NotifySocket(work / "notify-cage-strace.sock")
    env = kiosk_env(work, "cage-strace", notify, extra={
        "XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1", "SDL_VIDEODRIVER": "wayland"})
    drop = []
    if os.geteuid() == 0:  # strace runs as the user cage runs as, so setpriv is not traced
        nobody = pwd.getpwnam("nobody")
        for p in (runtime, Path(env["HOME"]), summary):
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
        drop = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    cmd = [*drop, shutil.which("strace"), "-f", "-qq", "-c", "-U", "name", "-o", str(summary),
           shutil.which("cage"), "-d", "--", str(root / "usr/bin/iop-kiosk"), "--demo"]
    traced = Kiosk(cmd, env, work / "cage-strace.log")
    try:
        check(notify.wait_for("READY", 90) is not None, "under cage and strace: READY=1")
        time.sleep(3)  # a few frames and watchdog rounds
        # strace -> cage -> kiosk: SIGTERM to the kiosk, as the unit's ExecStop= does; cage and
        # then strace (writing its summary) end with it.
        children = lambda pid: Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        cage = children(traced.proc.pid)[0]
        kiosk = next(c for c in children(cage)
                     if Path(f"/proc/{c}/exe").resolve() == (root / "usr/bin/iop-kiosk").resolve())
        os.kill(int(kiosk), signal.SIGTERM)
        traced.proc.wait(timeout=60)
    finally:
        traced.stop()
        notify.close()
    used = {l.split()[-1] for l in summary.read_text().splitlines()
            if l.strip() and not l.startswith(("syscall", "-")) and l.split()[-1] != "total"}
    check(len(used) > 30, f"strace counted {len(used)} different system calls")
    outside = sorted(used - allowed)
    check(not outside, "every system call of cage, Xwayland and the kiosk passes the unit's SystemCallFilter="
          + (f"; outside: {', '.join(outside)}" if outside else ""))


def run_under_cage(root, work, unit):
    if shutil.which("cage") is None or not Path("/usr/bin/Xwayland").exists():
        log("SKIPPED: the kiosk under cage needs the Debian packages cage and xwayland")
        return False
    cage, notify, kiosk_pid, ready_at = start_cage(root, work, "stop")
    try:
        log("ok: under cage: READY=1 arrives (the kiosk has a GL context on Wayland and drew a frame)")
        check("watchdog every" in cage.log_text(), "under cage: watchdog on although WATCHDOG_PID is cage's pid")
        check_watchdog(notify, ready_at, 3.0, "under cage")
        # `systemctl stop`: the unit's own ExecStop= line, with $MAINPID = cage, as systemd runs it.
        exec_stop = next(l.split("=", 1)[1] for l in unit.read_text().splitlines() if l.startswith("ExecStop="))
        argv = shlex.split(exec_stop.replace("$$", "$"))
        stopper = subprocess.Popen(argv, env=dict(os.environ, MAINPID=str(cage.proc.pid)))
        check(notify.wait_for("STOPPING", 10) is not None, "under cage: the unit's ExecStop= -> STOPPING=1")
        rc = cage.proc.wait(timeout=15)  # reaped here as systemd reaps it: ExecStop= waits for that
        check(rc == 0, f"under cage: cage ends with the kiosk, cleanly (exit {rc})")
        check(stopper.wait(timeout=5) == 0, "under cage: ExecStop= returns once cage has ended")
        check("Assertion" not in cage.log_text(), "under cage: cage did not abort")
    finally:
        cage.stop()
        notify.close()

    # The compositor crashes: the kiosk must not linger (it would spin in SDL_GL_SwapWindow).
    cage, notify, kiosk_pid, ready_at = start_cage(root, work, "crash")
    status = None
    try:
        os.kill(cage.proc.pid, signal.SIGKILL)
        cage.proc.wait()
        end = time.monotonic() + 10
        while time.monotonic() < end and status is None:
            pid, st = os.waitpid(kiosk_pid, os.WNOHANG)  # this test is its subreaper
            status = os.waitstatus_to_exitcode(st) if pid else None
            time.sleep(0.1)
        check(status is not None and status != 0,
              f"cage killed: the kiosk ends by itself, with a failure status ({status})")
        check("compositor) went away" in cage.log_text(), "cage killed: the kiosk says the display went away")
    finally:
        if status is None:
            try:
                os.kill(kiosk_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        cage.stop()
        notify.close()
    check_syscalls_under_cage(root, work, unit)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("--source-dir", required=True, type=Path)
    ap.add_argument("--artifacts", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    for tool in ("cmake", "systemd-analyze", "systemd-sysusers", "systemd-tmpfiles", "Xvfb", "xdotool", "strace"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} not found (.ci/packages.txt lists what to install)", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, lambda s, f: sys.exit(128 + s))
    ctypes.CDLL(None, use_errno=True).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: cage's orphans come here
    work = Path(tempfile.mkdtemp(prefix="install-test-"))
    os.chmod(work, 0o755)  # cage runs as nobody and must reach the installed tree
    root = work / "root"
    xvfb = None
    ok = False
    try:
        log(f"installing into DESTDIR={root}")
        install(args.build_dir, root)
        unit = check_tree(root, args.source_dir)
        (root / "etc/iop-kiosk/kiosk.toml").write_text("# the clinic's own\n")
        install(args.build_dir, root)
        check((root / "etc/iop-kiosk/kiosk.toml").read_text() == "# the clinic's own\n",
              "installing again leaves a clinic's own kiosk.toml alone")
        check_users_and_dirs(root, work)
        verify_unit(unit, work)

        xvfb, display = xdisplay.start_xvfb("1280x800", work / "xvfb.log", error=Failure)
        x11 = X11(display)
        run_fullscreen(root, work, display, x11)
        run_windowed(root, work, display, x11)
        x11.shut()
        run_under_cage(root, work, unit)
        ok = True
        log("PASS")
    except (Failure, subprocess.TimeoutExpired) as e:
        log(f"FAIL: {e}")
    finally:
        if xvfb:
            xvfb.terminate()
            xvfb.wait()
        if not ok and args.artifacts:
            shutil.rmtree(args.artifacts, ignore_errors=True)
            shutil.copytree(work, args.artifacts, symlinks=True,
                            ignore=shutil.ignore_patterns("*.sock", "wayland-*", "root"))
            log(f"logs kept in {args.artifacts}")
        if args.keep or (not ok and not args.artifacts):
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
