#!/usr/bin/env python3
"""The Debian package (issue 13 item 4): `.ci/package` makes iop-kiosk_<version>_<arch>.deb from
the build's binary, lintian finds no error in it, and dpkg installs, upgrades, removes and purges
it in a throw-away root, its maintainer scripts running there as on a kiosk box.

The root: this machine's /usr, /etc and /var as the lower layers of overlay mounts whose upper
layers are on a tmpfs, with a /tmp, /run, /proc and /dev of its own, all in a mount namespace of
its own (`unshare --mount`): the package's dependencies are really there (this machine's, which
.ci/packages.txt installs), dpkg's database is this machine's as it was, and nothing written
reaches the machine. dpkg runs chrooted in it. No systemd runs there, so /run/systemd/system
exists and a `systemctl` first on PATH records what the scripts ask of systemd.

  1. install: the files (binary, assets, unit, sysusers, tmpfiles, PAM, example config, manual
     page, copyright); conffiles; no kiosk.toml (the admin writes it); user iop-kiosk (no login,
     in video and render, not input); /var/lib/iop-kiosk 0700; the audit key made (0640,
     root:iop-kiosk); systemd reloaded, the kiosk neither enabled nor started. Then the README's
     steps: the admin writes kiosk.toml and `iop-kiosk doctor` as the kiosk's user passes.
  2. upgrade to a newer build (same tree, version bumped): the admin's kiosk.toml, the audit key
     and the data kept, no question asked; a running kiosk restarted (try-restart)
  3. remove: the program and unit gone, the kiosk stopped; config, key and data kept
  4. purge: /etc/iop-kiosk, the data and cache folders and the package's conffiles gone; nothing
     named iop-kiosk left on the box but the user (kept on purge: docs/INSTALL.md says why)

  package_test.py --build-dir BUILD --source-dir SRC [--artifacts DIR] [--keep]
Needs root (mounts, chroot), unshare, dpkg, help2man and lintian. Exit 77 (skipped) when not root.
"""

import argparse
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
import kioskrig as rig  # noqa: E402
from kioskrig import Failure, log  # noqa: E402

NAMESPACE_FLAG = "KIOSK_PACKAGE_TEST_NAMESPACE"
SYSTEMCTL_SHIM = "#!/bin/sh\n# package_test: no systemd runs in this root; what was asked of it\n" \
                 'echo "$*" >> /tmp/systemctl.calls\n'
ADMIN_CONFIG = """# the clinic's own (written by package_test)
[clinic]
site_location_id = "site-main"
timezone = "America/Los_Angeles"

[kiosk]
id = "lobby-1"
"""


def check(cond, what):
    rig.expect(cond, what)
    log("ok: " + what)


def run(cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, **kw)
    if r.returncode != 0:
        raise Failure(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    return r.stdout + r.stderr


def make_package(source, build, out, version=None):
    cmd = [source / ".ci/package", "--build-dir", build, "--out", out]
    cmd += ["--version", version, "--no-lintian"] if version else []
    r = subprocess.run([str(c) for c in cmd], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    print(r.stdout + r.stderr, end="", flush=True)  # lintian's findings go in the test's log
    if r.returncode != 0:
        raise Failure(f".ci/package exited {r.returncode}")
    if not version:
        tags = [l[:2] for l in r.stdout.splitlines() if l[:2] in ("E:", "W:", "I:", "O:")]
        check("E:" not in tags, f"lintian: no error ({tags.count('W:')} warnings, {tags.count('I:')} "
              f"notes, {tags.count('O:')} overridden)")
    return Path(r.stdout.strip().splitlines()[-1])


class Root:
    """The throw-away root (see above); its mounts end with this process's mount namespace."""

    def __init__(self, work):
        self.path = work / "root"
        layers = work / "layers"
        for d in (self.path, layers):
            d.mkdir()
        run(["mount", "-t", "tmpfs", "-o", "size=1g,mode=0755", "tmpfs", layers])
        for d in ("usr", "etc", "var"):
            for part in (self.path / d, layers / d, layers / f"{d}.work"):
                part.mkdir()
            run(["mount", "-t", "overlay", "overlay", "-o",
                 f"lowerdir=/{d},upperdir={layers / d},workdir={layers / d}.work", self.path / d])
        for link in ("bin", "lib", "lib64", "sbin"):
            if Path("/" + link).is_symlink():
                (self.path / link).symlink_to(os.readlink("/" + link))
        for d in ("proc", "dev", "tmp", "run"):
            (self.path / d).mkdir()
        run(["mount", "--rbind", "/dev", self.path / "dev"])
        run(["mount", "-t", "proc", "proc", self.path / "proc"])
        run(["mount", "-t", "tmpfs", "-o", "mode=1777", "tmpfs", self.path / "tmp"])
        run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", self.path / "run"])
        self.layers = layers

    def unmount(self):
        """Everything mounted under the work folder, so that removing it removes only files."""
        def mounted():
            return [l.split()[1] for l in Path("/proc/self/mounts").read_text().splitlines()
                    if l.split()[1].startswith(str(self.path.parent) + "/")]
        for point in reversed(mounted()):  # the last mounted first
            subprocess.run(["umount", "-l", point], capture_output=True)
        if mounted():
            raise Failure(f"still mounted: {mounted()}")

    def __truediv__(self, rel):
        return self.path / rel.lstrip("/")

    def sh(self, *cmd, ok=True):
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               "LC_ALL": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive", "HOME": "/root"}
        r = subprocess.run(["chroot", str(self.path), *cmd], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, env=env)
        if ok and r.returncode != 0:
            raise Failure(f"{' '.join(cmd)} in the root exited {r.returncode}:\n{r.stdout}{r.stderr}")
        return r

    def dpkg(self, *args):
        out = self.sh("dpkg", *args)
        print(out.stdout + out.stderr, end="", flush=True)
        return out.stdout + out.stderr

    def status(self):
        r = self.sh("dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Version}", "iop-kiosk", ok=False)
        return r.stdout.strip() if r.returncode == 0 else "not known"

    def user(self):
        rows = [l.split(":") for l in (self / "etc/passwd").read_text().splitlines()]
        return next((r for r in rows if r[0] == "iop-kiosk"), None)

    def members(self, group):
        row = next((l.split(":") for l in (self / "etc/group").read_text().splitlines()
                    if l.split(":")[0] == group), None)
        return row[3].split(",") if row else []

    def calls(self):
        f = self / "tmp/systemctl.calls"
        text = f.read_text() if f.exists() else ""
        f.unlink(missing_ok=True)
        return text.splitlines()

    def leftovers(self):
        """Paths named iop-kiosk that the root's writes made (not overlay whiteouts)."""
        found = []
        for top in ("usr", "etc", "var"):
            for dirpath, dirs, files in os.walk(self.layers / top):
                for name in dirs + files:
                    p = Path(dirpath) / name
                    if "iop-kiosk" in name and not stat.S_ISCHR(p.lstat().st_mode):
                        found.append("/" + str(p.relative_to(self.layers)))
        return found

    def start_clean(self):
        """No trace of an earlier kiosk on the machine the root is made of."""
        if self.status() != "not known":
            self.sh("dpkg", "--purge", "iop-kiosk")
        if self.user():
            self.sh("userdel", "iop-kiosk")
        for p in ("etc/iop-kiosk", "var/lib/iop-kiosk", "var/cache/iop-kiosk"):
            self.sh("rm", "-rf", "/" + p)
        # man-db's trigger would index every manual page of the machine: off, as in a chroot build.
        (self / "var/lib/man-db/auto-update").unlink(missing_ok=True)
        # A container image's "start no services" policy (exit 101) is no kiosk box's.
        (self / "usr/sbin/policy-rc.d").unlink(missing_ok=True)
        (self / "run/systemd/system").mkdir(parents=True)
        shim = self / "usr/local/sbin/systemctl"
        shim.parent.mkdir(parents=True, exist_ok=True)
        shim.write_text(SYSTEMCTL_SHIM)
        shim.chmod(0o755)


def mode_owner(path, root):
    st = path.stat()
    names = {int(r.split(":")[2]): r.split(":")[0] for r in (root / "etc/group").read_text().splitlines()}
    users = {int(r.split(":")[2]): r.split(":")[0] for r in (root / "etc/passwd").read_text().splitlines()}
    return f"{stat.S_IMODE(st.st_mode):04o} {users.get(st.st_uid)}:{names.get(st.st_gid)}"


def check_installed(root, version):
    check(root.status() == f"ii  {version}", f"dpkg: iop-kiosk {version} installed ({root.status()})")
    for f in ("usr/bin/iop-kiosk", "usr/share/iop-kiosk/assets/fonts/NotoSans-Regular.ttf",
              "usr/share/iop-kiosk/assets/i18n/es.mo", "usr/share/iop-kiosk/assets/demo/clinic.json",
              "usr/share/iop-kiosk/udev/70-iop-kiosk-scanner.rules", "usr/lib/sysusers.d/iop-kiosk.conf",
              "usr/lib/tmpfiles.d/iop-kiosk.conf", "etc/pam.d/iop-kiosk", "etc/iop-kiosk/kiosk.toml.example",
              "usr/share/man/man1/iop-kiosk.1.gz", "usr/share/doc/iop-kiosk/copyright"):
        check((root / f).is_file(), f"installed: /{f}")
    unit = (root / "usr/lib/systemd/system/iop-kiosk.service").read_text()
    check("ExecStart=/usr/bin/cage -d -- /usr/bin/iop-kiosk --config /etc/iop-kiosk/kiosk.toml" in unit,
          "the unit runs /usr/bin/iop-kiosk under cage with /etc/iop-kiosk/kiosk.toml")
    conffiles = root.sh("dpkg-query", "-W", "-f=${Conffiles}", "iop-kiosk").stdout.split()
    check({"/etc/iop-kiosk/kiosk.toml.example", "/etc/pam.d/iop-kiosk"} <= set(conffiles)
          and "/etc/iop-kiosk/kiosk.toml" not in conffiles, "conffiles: the example and PAM file, not kiosk.toml")
    check(root.sh("iop-kiosk", "--version").stdout.strip() != "", "/usr/bin/iop-kiosk runs in the root")


def install(root, deb, version):
    root.dpkg("-i", "/tmp/" + deb.name)
    check_installed(root, version)
    check(not (root / "etc/iop-kiosk/kiosk.toml").exists(), "no kiosk.toml: the admin writes it")
    user = root.user()
    check(user is not None and user[5:] == ["/var/lib/iop-kiosk", "/usr/sbin/nologin"],
          f"user iop-kiosk made, home /var/lib/iop-kiosk, no login shell ({user})")
    check("iop-kiosk" in root.members("video") and "iop-kiosk" in root.members("render")
          and "iop-kiosk" not in root.members("input"), "iop-kiosk is in video and render, not input")
    data = root / "var/lib/iop-kiosk"
    check(mode_owner(data, root) == "0700 iop-kiosk:iop-kiosk", f"/var/lib/iop-kiosk: {mode_owner(data, root)}")
    key = root / "etc/iop-kiosk/audit.key"
    check(key.is_file() and mode_owner(key, root) == "0640 root:iop-kiosk",
          f"the audit key made on install: {mode_owner(key, root) if key.exists() else 'missing'}")
    check("/usr/bin/iop-kiosk" in root.leftovers(), "the root's own writes are told apart (for the purge's check)")
    calls = root.calls()
    check("--system daemon-reload" in calls and not any("start" in c or "enable" in c for c in calls),
          f"systemd reloaded; the kiosk neither enabled nor started ({calls})")


def admin_setup(root):
    """README: write the config, then `iop-kiosk doctor` as the kiosk's user."""
    config = root / "etc/iop-kiosk/kiosk.toml"
    config.write_text(ADMIN_CONFIG)
    root.sh("chown", "root:iop-kiosk", "/etc/iop-kiosk/kiosk.toml")
    config.chmod(0o640)
    doctor = root.sh("runuser", "-u", "iop-kiosk", "--", "iop-kiosk", "doctor", "--config",
                     "/etc/iop-kiosk/kiosk.toml", ok=False)
    print(doctor.stdout + doctor.stderr, end="")
    check(doctor.returncode == 0 and "PASS  audit" in doctor.stdout and "PASS  config" in doctor.stdout,
          f"iop-kiosk doctor as iop-kiosk: the config and the installed audit key pass (exit {doctor.returncode})")
    root.sh("runuser", "-u", "iop-kiosk", "--", "sh", "-c", "echo kept > /var/lib/iop-kiosk/marker")


def upgrade(root, deb, version):
    key = (root / "etc/iop-kiosk/audit.key").read_bytes()
    uid = root.user()[2]
    out = root.dpkg("-i", "/tmp/" + deb.name)
    check_installed(root, version)
    check("Configuration file" not in out, "no conffile question on the upgrade")
    check((root / "etc/iop-kiosk/kiosk.toml").read_text() == ADMIN_CONFIG
          and mode_owner(root / "etc/iop-kiosk/kiosk.toml", root) == "0640 root:iop-kiosk",
          "upgrade: the admin's kiosk.toml kept as it was")
    check((root / "etc/iop-kiosk/audit.key").read_bytes() == key, "upgrade: the audit key kept")
    check((root / "var/lib/iop-kiosk/marker").read_text() == "kept\n" and root.user()[2] == uid,
          "upgrade: the data folder and the user kept")
    changelog = root.sh("zcat", "/usr/share/doc/iop-kiosk/changelog.gz").stdout
    check(changelog.startswith(f"iop-kiosk ({version})"), f"the changelog names {version}")
    calls = root.calls()
    check("try-restart iop-kiosk.service" in calls, f"upgrade: a running kiosk is restarted ({calls})")


def remove_and_purge(root):
    root.dpkg("-r", "iop-kiosk")
    check(root.status().startswith("rc "), f"removed, its config kept ({root.status()})")
    for f in ("usr/bin/iop-kiosk", "usr/lib/systemd/system/iop-kiosk.service", "usr/share/iop-kiosk"):
        check(not (root / f).exists(), f"remove: /{f} gone")
    for f in ("etc/iop-kiosk/kiosk.toml", "etc/iop-kiosk/audit.key", "var/lib/iop-kiosk/marker"):
        check((root / f).exists(), f"remove: /{f} kept")
    calls = root.calls()
    check("stop iop-kiosk.service" in calls, f"remove: the kiosk stopped ({calls})")

    root.dpkg("--purge", "iop-kiosk")
    check(root.status() == "not known", "purged: dpkg knows no iop-kiosk")
    for f in ("etc/iop-kiosk", "etc/pam.d/iop-kiosk", "var/lib/iop-kiosk", "var/cache/iop-kiosk"):
        check(not (root / f).exists(), f"purge: /{f} gone")
    left = root.leftovers()
    check(left == [], f"purge: nothing named iop-kiosk left ({left})")
    check(root.user() is not None and root.user()[6] == "/usr/sbin/nologin",
          "purge: the user iop-kiosk stays, without a login shell")


def body(args, work, stack):
    deb1 = make_package(args.source_dir, args.build_dir, work / "v1")
    version = deb1.name.split("_")[1]
    newer = f"{version}+upgrade1"
    deb2 = make_package(args.source_dir, args.build_dir, work / "v2", newer)
    check(deb2.name == f"iop-kiosk_{newer}_{deb1.name.split('_')[2]}", f"the newer build: {deb2.name}")
    root = Root(work)
    stack.callback(root.unmount)
    root.start_clean()
    for deb in (deb1, deb2):
        (root / "tmp" / deb.name).write_bytes(deb.read_bytes())
    try:
        log(f"installing {deb1.name}")
        install(root, deb1, version)
        admin_setup(root)
        log(f"upgrading to {deb2.name}")
        upgrade(root, deb2, newer)
        log("removing and purging")
        remove_and_purge(root)
    except Failure as e:
        log(f"FAIL: {e}")  # before the unmount, which could fail too
        raise


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True, type=Path)
    ap.add_argument("--source-dir", required=True, type=Path)
    ap.add_argument("--artifacts", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("SKIPPED: the package test needs root (mounts, chroot)")
        return 77
    if os.environ.get(NAMESPACE_FLAG) != "1":  # again, in a mount namespace of its own
        os.environ[NAMESPACE_FLAG] = "1"
        os.execvp("unshare", ["unshare", "--mount", "--propagation", "private", "--",
                              sys.executable, *sys.argv])
    rig.install_signal_handlers()
    try:
        rig.need_tools("dpkg", "chroot", "help2man", "lintian", "cpack")
    except Failure as e:
        return rig.fail(str(e))
    work = Path(tempfile.mkdtemp(prefix="package-test-"))
    # rig.run_e2e unmounts the root (its ExitStack) before it removes the work folder, which it
    # does only after a pass: an unmount that fails is a failure, and the folder is left alone.
    return rig.run_e2e("package_tests", work, lambda stack: body(args, work, stack),
                       args.artifacts, args.keep, ignore=("root", "layers", "*.deb"))


if __name__ == "__main__":
    sys.exit(main())
