#!/usr/bin/env python3
"""Full screen everywhere (issue 13.5): the demo kiosk without --windowed fills the screen and
lays out for it, on a bare X server (Xvfb, no window manager: the usual xinit kiosk), under a
desktop window manager (openbox) and under cage (Wayland); a windowed kiosk resized by the window
manager lays out again.

Each X case reads what a user sees: the kiosk window's geometry equals the screen's (xwininfo),
and OCR of the screenshot finds the clinic name, the heading and the last group of the day.
The screen (1920x1080) is larger than the size a window is created with (1280x800), so a window
that is not made full screen shows. Under cage, whose headless output cannot be captured here
(wlroots 0.15's screencopy with the pixman renderer gives a black frame), the size the kiosk
draws at must be the output's (1280x720, wlroots' headless mode).
"""

import argparse
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kioskrig import (  # noqa: E402
    Failure, Kiosk, Run, Xvfb, clock_args, contains, fold, log, need_tools, run_e2e,
    wait_for)

SCREEN = (1920, 1080)
CAGE_OUTPUT = (1280, 720)  # wlroots' headless output mode
AT = "08:50"  # the demo's day then runs from its 09:00 group to its last one, all on screen


def day_groups(assets):
    """The demo clinic's name and its groups on the anchor's day, in order (the welcome screen's
    list when the kiosk's clock starts at AT)."""
    demo = Path(assets) / "demo"
    bundle = json.loads((demo / "clinic.json").read_text(encoding="utf-8"))
    anchor = next(e["valueDateTime"] for e in bundle["meta"]["extension"]
                  if e["url"] == "urn:iop-kiosk:demo-anchor")
    appts = sorted((e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Appointment"), key=lambda a: a["start"])
    names = [a["serviceType"][0]["text"] for a in appts if a["start"][:10] == anchor[:10]]
    site = next(e["resource"]["name"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Location" and e["resource"]["id"] == "site-main")
    return site, names


class Case:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.clinic, groups = day_groups(args.assets)
        self.must = [self.clinic, "Scan your card to check in", groups[-1]]

    def kiosk(self, name, display, extra=(), env=None, wrap=()):
        """The demo kiosk on `display`, or run by the command `wrap` (cage) when given."""
        data = self.work / f"data-{name}"
        xdg = self.work / f"xdg-{name}"
        argv = [*wrap, self.args.kiosk, "--demo", "--data-dir", str(data), "--assets",
                self.args.assets, *clock_args(AT), *extra]
        return Kiosk(argv[0], display, self.work / f"kiosk-{name}.log", argv[1:],
                     env={"XDG_DATA_HOME": str(xdg), "XDG_CONFIG_HOME": str(xdg), **(env or {})})

    def read(self, ppm, name, must=None):
        """OCR of a screenshot (saved as shot-NAME.png): every phrase of `must` must show."""
        must = self.must if must is None else must
        path = self.work / f"shot-{name}.png"
        texts = []
        for variant in range(3):
            text, _ = Run.ocr(ppm, str(self.work / f"shot-{name}"), variant=variant,
                              save_as=path if variant == 0 else None)
            texts.append(text)
            missing = [m for m in must if not contains(fold(" ".join(texts)), m)]
            if not missing:
                log(f"  {name}: OCR finds {must}")
                return path
        raise Failure(f"{name}: the screen does not show {missing} (screenshot {path}); OCR:\n"
                      + " ".join(texts))


def x_shot(display, window="root"):
    return subprocess.run(["import", "-window", window, "ppm:-"], env=dict(os.environ, DISPLAY=display),
                          capture_output=True, check=True, timeout=30).stdout


def geometry(display, window):
    """(x, y, width, height) of a window on the screen, from xwininfo."""
    out = subprocess.run(["xwininfo", "-id", window], env=dict(os.environ, DISPLAY=display),
                         capture_output=True, text=True, check=True, timeout=10).stdout
    get = {k: int(re.search(rf"{k}:\s+(-?\d+)", out).group(1))
           for k in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")}
    return tuple(get.values())


def ready_size(kiosk):
    m = re.search(r"ready: first frame drawn .*\((\d+)x(\d+)\)", kiosk.log_text())
    return (int(m.group(1)), int(m.group(2))) if m else None


def full_screen_on_x(case, stack, name, display):
    kiosk = case.kiosk(name, display)
    stack.callback(kiosk.stop)
    kiosk.start()
    want = (0, 0, *SCREEN)
    wait_for(f"{name}: the kiosk window at {want}",
             lambda: geometry(display, kiosk.window) == want, timeout=10, every=0.2)
    log(f"  {name}: the window is {geometry(display, kiosk.window)}, the screen {SCREEN}")
    if ready_size(kiosk) != SCREEN:
        raise Failure(f"{name}: the first frame was laid out for {ready_size(kiosk)}, not {SCREEN}")
    path = case.read(x_shot(display), name)
    kiosk.stop()
    return path


def start_openbox(stack, work, display):
    env = dict(os.environ, DISPLAY=display, HOME=str(work))
    wm = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdin=subprocess.DEVNULL,
                          stdout=open(work / "openbox.log", "wb"), stderr=subprocess.STDOUT)
    stack.callback(lambda: (wm.terminate(), wm.wait(10)))

    def managed():
        r = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                           capture_output=True, text=True)
        return "window id" in r.stdout
    wait_for("openbox to manage the screen", managed, timeout=20, every=0.2)


def resized(case, stack, display):
    """A windowed kiosk that the window manager resizes lays out for its new size."""
    kiosk = case.kiosk("resize", display, ["--windowed", "1024x640"])
    stack.callback(kiosk.stop)
    kiosk.start()
    kiosk.xdo(["windowsize", "--sync", kiosk.window, "1600", "1000"])
    wait_for("the kiosk to lay out again for 1600x1000",
             lambda: "laid out again for 1600x1000" in kiosk.log_text(), timeout=15)
    x, y, w, h = geometry(display, kiosk.window)
    if (w, h) != (1600, 1000):
        raise Failure(f"resize: the window is {w}x{h}, not 1600x1000")
    case.read(x_shot(display, kiosk.window), "resized")
    kiosk.stop()


def under_cage(case, stack, work):
    runtime = work / "cage-runtime"
    runtime.mkdir(mode=0o700)
    home = work / "cage-home"
    home.mkdir()
    drop = []
    if os.geteuid() == 0:  # cage refuses to run as root
        nobody = pwd.getpwnam("nobody")
        for p in (runtime, home):
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
        os.chmod(work, 0o777)
        drop = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    env = {"XDG_RUNTIME_DIR": str(runtime), "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
           "WLR_LIBINPUT_NO_DEVICES": "1", "SDL_VIDEODRIVER": "wayland", "HOME": str(home)}
    kiosk = case.kiosk("cage", "", env=env, wrap=[*drop, shutil.which("cage"), "-d", "--"])
    stack.callback(kiosk.stop)
    kiosk.start(find_window=False)
    if ready_size(kiosk) != CAGE_OUTPUT:
        raise Failure(f"cage: the kiosk drew at {ready_size(kiosk)}, not the output's {CAGE_OUTPUT}")
    log(f"  cage: the kiosk draws at {ready_size(kiosk)}, the output's size")
    kiosk.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--artifacts", help="work folder, kept on a failure")
    ap.add_argument("--keep", action="store_true", help="keep the screenshots on success too")
    args = ap.parse_args()
    need_tools("Xvfb", "xdotool", "xwininfo", "xprop", "import", "convert", "tesseract", "openbox",
               "cage", "setpriv")
    if args.artifacts:
        work = Path(args.artifacts).resolve()
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="kiosk-fullscreen-"))
    case = Case(args, work)

    def body(stack):
        log("bare X server (Xvfb, no window manager), full screen")
        xvfb = Xvfb(work / "xvfb-bare.log", f"{SCREEN[0]}x{SCREEN[1]}")
        stack.callback(xvfb.stop)
        full_screen_on_x(case, stack, "xvfb", xvfb.display)
        log("a desktop with a window manager (openbox), full screen, then a window resized")
        xwm = Xvfb(work / "xvfb-wm.log", f"{SCREEN[0]}x{SCREEN[1]}")
        stack.callback(xwm.stop)
        start_openbox(stack, work, xwm.display)
        full_screen_on_x(case, stack, "wm", xwm.display)
        resized(case, stack, xwm.display)
        log("cage (Wayland), full screen")
        under_cage(case, stack, work)

    return run_e2e("full screen under Xvfb, a window manager and cage", work, body, args.artifacts,
                   args.keep, ignore=("data-*", "xdg-*", "cage-*"))


if __name__ == "__main__":
    sys.exit(main())
