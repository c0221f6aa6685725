"""One lab session on the host: the kiosk .debs, the image, the VM, and the hands and eyes the
scenarios use (tap by the name of a QML item, wait for what the screen shows, screenshots,
the kiosk's database, the far sides of the devices).

The screen is read through the lab's probe inside the kiosk (item names, places, texts) and
photographed with grim through the compositor; it is touched only through the uinput touch
screen. Figures of each step go to `figures` for the report.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from lab import CACHE, GUEST, ROOT
from lab.debs import build_kiosk_debs, field, system_depends
from lab.image import build as build_image
from lab.vm import VM, Result

DB = "/var/lib/xiangli/kiosk/kiosk.sqlite3"
UNIT = "xiangli-kiosk.service"
RUNTIME_PACKAGE = "xiangli-kiosk-runtime"
FINGER = "/run/lab/touch.sock"  # touch_side.py's socket: "tap X Y", "down X Y", "up", "mt-tap X Y"
PROBE = "/run/xiangli/lab-probe.sock"  # the probe in the kiosk (lab/guest/probe)
WIDTH, HEIGHT = 1920, 1080


class LabError(AssertionError):
    pass


class Lab:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.shots = out / "screenshots"
        self.logs = out / "logs"
        for d in (self.shots, self.logs):
            d.mkdir(parents=True, exist_ok=True)
        self.share = CACHE / "share"
        self.vm: VM | None = None
        self.debs: list[Path] = []
        self.figures: dict[str, Any] = {}
        self.installed = False
        self.state: dict[str, Any] = {}  # what one scenario leaves for the next (the case)
        self.tap_log: list[str] = []  # each tap and what reached the kiosk (logs/taps.txt)

    # -- preparing -----------------------------------------------------------------------------
    def prepare(self) -> None:
        t0 = time.monotonic()
        given = _env("XIANGLI_LAB_DEBS")
        if given:
            self.debs = sorted(Path(given).glob("xiangli-kiosk*.deb"))
        else:
            self.debs = build_kiosk_debs(CACHE / "debs", log=self.logs / "build-deb.log")
        self.figures["deb_build_s"] = round(time.monotonic() - t0)
        t1 = time.monotonic()
        # The runtime (Python libraries and Qt) goes into the image, at the host's speed; the
        # app package is what scenario 1 installs in the VM (lab/image.py, docs/DECISIONS.md).
        runtime = [d for d in self.debs if field(d, "Package") == RUNTIME_PACKAGE]
        image = build_image(system_depends(self.debs), self.logs / "image.log", runtime)
        self.figures["image_s"] = round(time.monotonic() - t1)
        self.figures["image"] = image.folder.name
        if runtime:
            self.figures["runtime_in_image"] = field(runtime[0], "Version")
        # The share: the guest programs, the .debs, and what the guest writes for the report.
        shutil.rmtree(self.share, ignore_errors=True)
        (self.share / "debs").mkdir(parents=True)
        (self.share / "out").mkdir()
        shutil.copytree(GUEST, self.share / "guest")
        for deb in self.debs:
            if deb not in runtime:
                shutil.copy2(deb, self.share / "debs" / deb.name)
        self.vm = VM(image, CACHE / "vm", self.share)
        self.vm.create_overlay()
        self.boot()
        t2 = time.monotonic()
        self.vm.sh("bash /lab/guest/setup.sh", timeout=180)
        self.figures["devices_s"] = round(time.monotonic() - t2)

    def install(self) -> None:
        """Scenario 1's steps: dpkg -i of the fresh app .deb (offline: the image has every
        dependency, the kiosk's runtime among them), the station's settings, then kiosk mode as
        INSTALL.md says."""
        t0 = time.monotonic()
        # --force-unsafe-io: no fsync per unpacked file (each one costs a host flush under
        # emulation); the power-cut scenario is about the kiosk's data, not dpkg's.
        r = self.run("dpkg --force-unsafe-io -i /lab/debs/*.deb", timeout=1800)
        self.figures["dpkg_s"] = round(time.monotonic() - t0)
        self.figures["dpkg_rc"] = r.rc
        (self.logs / "dpkg-i.txt").write_text(r.out + r.err)
        if r.rc != 0:
            raise LabError(f"dpkg -i failed ({r.rc}): {(r.out + r.err)[-1500:]}")
        conf = {
            "XIANGLI_TERMINAL_CODE": "LB01",
            "XIANGLI_STATION_NAME": "试验村便民服务站",
            "XIANGLI_STATION_PHONE": "0593-7620199",
            "XIANGLI_UPDATE_WINDOW": "00:00-23:59",  # scenario 7 runs at any hour
            "XIANGLI_UPDATE_HEALTH_S": "20",
        }
        edits = " ".join(f"-e {shlex.quote(f's|^#*{k}=.*|{k}={v}|')}" for k, v in conf.items())
        appends = "".join(
            f"grep -q '^{k}=' /etc/xiangli/kiosk.conf || echo '{k}={v}' >> /etc/xiangli/kiosk.conf; "
            for k, v in conf.items()
        )
        self.sh(
            f"sed -i {edits} /etc/xiangli/kiosk.conf; {appends}"
            "install -m 0644 /lab/guest/units/devices.json /etc/xiangli/devices.json; "
            "mkdir -p /etc/systemd/system/xiangli-kiosk.service.d; "
            "install -m 0644 /lab/guest/units/kiosk-lab.conf "
            "/etc/systemd/system/xiangli-kiosk.service.d/lab.conf; systemctl daemon-reload"
        )
        self.installed = True

    def start_kiosk(self, timeout: float = 900) -> float:
        """`xiangli-mode kiosk` as INSTALL.md says, then wait for the home screen. Not for READY:
        `systemctl start` of a Type=notify unit returns only at READY=1, which scenario 1
        checks on its own; here the lab only needs the kiosk on screen."""
        t0 = time.monotonic()
        self.sh("(xiangli-mode kiosk > /run/lab/xiangli-mode.log 2>&1 &)")
        self.wait_for("homePage", timeout=timeout)
        took = time.monotonic() - t0
        self.figures.setdefault("kiosk_start_s", []).append(round(took))
        return took

    def boot(self) -> float:
        assert self.vm is not None
        t0 = time.monotonic()
        self.vm.start()
        self.vm.wait_agent(timeout_s=400)
        took = time.monotonic() - t0
        self.figures.setdefault("boots_s", []).append(round(took))
        self.figures["accel"] = self.vm.accel
        return took

    def close(self) -> None:
        if self.vm is not None:
            try:
                self.collect_logs()
            except Exception:  # the VM may be gone; the report still gets written
                pass
            self.vm.stop()
            self.vm.copy_console(self.logs / "console.log")

    def collect_logs(self) -> None:
        for name, cmd in {
            "kiosk.log": f"journalctl -b -u {UNIT} --no-pager -o short-monotonic | tail -n 3000",
            "update.log": "cat /var/log/xiangli/update.log",
            "journal.txt": "journalctl -b --no-pager -o short-monotonic | tail -n 3000",
            "dpkg.log": "cat /var/log/dpkg.log",
        }.items():
            r = self.run(cmd, timeout=60)
            (self.logs / name).write_text(r.out + r.err)
        (self.logs / "taps.txt").write_text("".join(f"{line}\n" for line in self.tap_log))

    # -- the guest -----------------------------------------------------------------------------
    def run(self, cmd: str, timeout: float = 120):
        assert self.vm is not None
        return self.vm.run(cmd, timeout)

    def sh(self, cmd: str, timeout: float = 120) -> str:
        assert self.vm is not None
        return self.vm.sh(cmd, timeout)

    def ask(self, path: str, send: str, timeout: float) -> Result:
        assert self.vm is not None
        return self.vm.ask(path, send, timeout)

    def read_bytes(self, path: str) -> bytes:
        return base64.b64decode(self.sh(f"base64 -w0 {shlex.quote(path)}"))

    def sql(self, query: str, *args: object) -> list[list[Any]]:
        """A read-only query of the kiosk's database (WAL: what the kiosk has committed)."""
        script = (
            "import json, sqlite3, sys\n"
            f"c = sqlite3.connect('file:{DB}?mode=ro', uri=True)\n"
            "q, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])\n"
            "print(json.dumps([list(r) for r in c.execute(q, a)]))\n"
        )
        cmd = (
            f"python3 -c {shlex.quote(script)} {shlex.quote(json.dumps(query))} "
            f"{shlex.quote(json.dumps(list(args)))}"
        )
        return json.loads(self.sh(cmd))

    def unit(self) -> dict[str, str]:
        out = self.sh(
            f"systemctl show -p ActiveState -p SubState -p NRestarts -p MainPID "
            f"-p StatusText -p Result -p WatchdogUSec {UNIT}"
        )
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def watchdog_for_this_run(self, seconds: float) -> float:
        """Set the running kiosk's watchdog to `seconds` until its next start, as the kiosk
        itself may (sd_notify's WATCHDOG_USEC=, which systemd clears at each start), and
        return the value systemd reports afterwards.

        The unit takes notifications from kiosk-main only (NotifyAccess=main): the message goes
        with kiosk-main's PID in its credentials, which root may name (SCM_CREDENTIALS)."""
        main_pid = int(self.unit().get("MainPID", "0"))
        if main_pid <= 0:
            raise LabError(f"{UNIT} has no main process")
        script = (
            "import socket, struct, sys\n"
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
            "creds = struct.pack('iII', int(sys.argv[1]), 0, 0)\n"
            "s.sendmsg([sys.argv[2].encode()], "
            "[(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, creds)], 0, '/run/systemd/notify')\n"
        )
        self.sh(
            f"python3 -c {shlex.quote(script)} {main_pid} WATCHDOG_USEC={int(seconds * 1_000_000)}"
        )
        deadline = time.monotonic() + 30
        while True:
            now = timespan_s(self.unit().get("WatchdogUSec", ""))
            if now == seconds or time.monotonic() > deadline:
                return now
            time.sleep(0.5)

    def kiosk_pid(self) -> int | None:
        """The kiosk's Python process (kiosk-main's child), not the compositor."""
        r = self.run("pgrep -u xiangli -f 'ui.cli run' | head -n1")
        return int(r.out.strip()) if r.out.strip() else None

    # -- the screen ----------------------------------------------------------------------------
    def probe(self, request: str, patience: float = 180) -> Any:
        """Ask the probe in the kiosk: "items" (what the screen shows), "stats", "input".

        The probe answers on the kiosk's GUI thread, which under the emulated CPU is busy for
        tens of seconds while a page loads (the probe gives up after 20 s): asked again until
        `patience` runs out. The longest wait goes to the report (probe_wait_max_s)."""
        started = time.monotonic()
        while True:
            r = self.ask(PROBE, request, timeout=30)
            if r.rc != 0 or not r.out.strip():
                raise LabError(f"the probe did not answer: {r.err[-300:]}")
            answer = json.loads(r.out)
            busy = answer.get("error") == "the GUI thread did not answer"
            if not busy or time.monotonic() - started > patience:
                break
        waited = round(time.monotonic() - started)
        self.figures["probe_wait_max_s"] = max(self.figures.get("probe_wait_max_s", 0), waited)
        if "error" in answer:
            raise LabError(f"probe: {answer['error']} (asked for {waited} s)")
        return answer["value"]

    def items(self) -> list[dict[str, Any]]:
        return self.probe("items")

    def input_seen(self) -> dict[str, Any]:
        """The presses and touches that reached the kiosk's window so far."""
        return self.probe("input")

    def find(self, name: str) -> dict[str, Any] | None:
        try:
            items = self.items()
        except LabError:
            return None
        for item in items:
            if item["name"] == name:
                return item
        return None

    def shows(self, name: str) -> bool:
        return self.find(name) is not None

    def text(self, name: str) -> str:
        item = self.find(name)
        if item is None:
            raise LabError(f"{name!r} is not on the screen")
        return item["text"] or ""

    def wait_for(self, name: str, timeout: float = 60, text: str | None = None) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            item = self.find(name)
            if item is not None and (text is None or text in (item["text"] or "")):
                return item
            if time.monotonic() > deadline:
                what = f"{name!r}" + (f" saying {text!r}" if text else "")
                last_tap = f"; last tap: {self.tap_log[-1]}" if self.tap_log else ""
                raise LabError(
                    f"waited {timeout:.0f} s for {what}{last_tap}; on screen: {self.names()}"
                )
            time.sleep(0.7)

    def wait_until(self, cond, timeout: float = 60, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise LabError(f"waited {timeout:.0f} s for {what}")
            time.sleep(0.7)

    def names(self) -> list[str]:
        try:
            return [i["name"] for i in self.items()][:60]
        except LabError as e:
            return [str(e)]

    def first(self, prefix: str, timeout: float = 90) -> str:
        """The first shown item whose name starts with `prefix`, once one shows (the page that
        has them may still be loading after the tap that opens it)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                for item in self.items():
                    if item["name"].startswith(prefix):
                        return item["name"]
            except LabError:
                pass
            if time.monotonic() > deadline:
                raise LabError(f"nothing named {prefix}* on the screen: {self.names()}")
            time.sleep(0.7)

    def tap(self, name: str, timeout: float = 90) -> None:
        """A finger on the middle of the item, through uinput, once the item has stopped
        moving: a page slides in for a while under the emulated CPU, and a tap on where a
        button was half-way through the slide misses it."""
        item = self.wait_for(name, timeout)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            # At least one frame drawn between the two reads: a page still sliding moves its
            # items from one frame to the next.
            time.sleep(0.3)
            self.drawn()
            again = self.find(name)
            if again is None:
                item = self.wait_for(name, timeout)
                continue
            geometry = [again[k] for k in ("x", "y", "w", "h")]
            if geometry == [item[k] for k in ("x", "y", "w", "h")]:
                item = again
                break
            item = again
        if not item["enabled"]:
            raise LabError(f"{name!r} is disabled")
        x, y = int(item["x"] + item["w"] / 2), int(item["y"] + item["h"] / 2)
        if not (0 <= x < WIDTH and 0 <= y < HEIGHT):
            raise LabError(f"{name!r} is off the screen at {x},{y}")
        # Each tap is checked at the kiosk's window (the probe counts what reaches it). One that
        # never arrives was lost below the kiosk (libinput or the compositor, whose timers run
        # late under the emulated CPU: "your system is too slow" in the journal) and is sent
        # once more, as a villager taps again; the report counts them (taps_lost). One that
        # arrived and did nothing is the kiosk's, and the scenario fails on what follows.
        for _attempt in range(2):
            before = self.input_seen()
            sent = time.monotonic()
            self.finger(f"tap {x} {y}")
            seen = self._input_after(before, "release", sent, 30)
            arrived = seen["press"] > before["press"] and seen["release"] > before["release"]
            fate = (
                f"reached the window in {time.monotonic() - sent:.1f} s, last {seen['last']}"
                if arrived
                else f"lost (press +{seen['press'] - before['press']},"
                f" release +{seen['release'] - before['release']} in 30 s)"
            )
            self.tap_log.append(f"{name} at {x},{y}: {fate}")
            if arrived:
                return
            self.figures["taps_lost"] = self.figures.get("taps_lost", 0) + 1
        raise LabError(
            f"two taps on {name!r} never reached the kiosk's window: {self.tap_log[-2:]}"
        )

    def _input_after(
        self, before: dict[str, Any], count: str, sent: float, limit: float
    ) -> dict[str, Any]:
        """What the probe has seen reach the window, once its `count` ("press", "release") has
        grown past `before`, or when `limit` seconds after `sent` have passed."""
        seen = before
        while time.monotonic() - sent < limit:
            seen = self.input_seen()
            if seen[count] > before[count]:
                break
            time.sleep(0.5)
        return seen

    def hold(self, name: str, seconds: float) -> None:
        """A finger held on the item for `seconds` counted from when the press reached the
        kiosk's window: under the emulated CPU the GUI thread may be busy when the finger goes
        down, and a press it takes late, just before the lift, is a short press to Qt (the staff
        gesture, a MouseArea's pressAndHold, then never fires: lab-17's backup scenario)."""
        self.wait_for(name)
        self.drawn()
        item = self.wait_for(name)
        x, y = int(item["x"] + item["w"] / 2), int(item["y"] + item["h"] / 2)
        before = self.input_seen()
        sent = time.monotonic()
        self.finger(f"down {x} {y}")
        try:
            seen = self._input_after(before, "press", sent, 60)
            arrived = time.monotonic()
            time.sleep(seconds)
        finally:
            self.finger("up")
        fate = (
            f"press reached the window in {arrived - sent:.1f} s, held {seconds} s from then"
            if seen["press"] > before["press"]
            else "press not seen at the window in 60 s"
        )
        self.tap_log.append(f"hold {name} at {x},{y}: {fate}")

    def drawn(self, limit: float = 15) -> None:
        """Until the kiosk has drawn a frame asked for now, or `limit` seconds: what the probe
        reads after it is laid out as the screen shows it (Qt lays out rows and flows only
        before it draws; see lab/guest/probe)."""
        before = self.probe("redraw", patience=20)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.probe("stats", patience=20)["frames_swapped"] > before:
                return
            time.sleep(0.3)
        self.figures["redraws_late"] = self.figures.get("redraws_late", 0) + 1

    def finger(self, words: str) -> None:
        """The lab's finger (touch_side.py, uinput): "tap X Y", "down X Y", "up", "mt-tap X Y"."""
        r = self.ask(FINGER, words, timeout=60)
        if r.rc != 0 or r.out.strip() != "ok":
            raise LabError(f"the finger did not {words!r}: {(r.err or r.out).strip()[-300:]}")

    def screenshot(self, name: str) -> Path:
        """The compositor's picture of the screen (grim, wlr-screencopy), into the report.

        Taken once the kiosk has drawn a frame asked for now (`drawn`): the probe reads a text
        as soon as QML has it, and the frame that shows it is drawn later (lab-c1's camera shot
        showed 正在拍… after the probe had read 已拍1页)."""
        try:
            self.drawn()
            time.sleep(0.5)  # from the kiosk's buffer to the compositor's output
        except LabError:
            pass  # a shot of whatever shows is still worth having
        cmd = (
            "uid=$(id -u xiangli); export XDG_RUNTIME_DIR=/run/user/$uid; "
            "sock=$(ls $XDG_RUNTIME_DIR | grep -E '^wayland-[0-9]+$' | head -n1); "
            f"WAYLAND_DISPLAY=$sock grim /lab/out/{name}.png"
        )
        self.sh(cmd, timeout=90)
        dest = self.shots / f"{name}.png"
        shutil.move(self.share / "out" / f"{name}.png", dest)
        return dest

    # -- devices' far sides --------------------------------------------------------------------
    def speaker(self) -> dict[str, float]:
        """What the kiosk's voice played so far (the WAV behind ALSA's default device)."""
        return json.loads(self.sh("python3 /usr/local/lib/xiangli-lab/speaker_side.py measure"))

    def printer_jobs(self) -> list[str]:
        out = self.sh("ls /var/lib/lab/printer/jobs 2>/dev/null || true")
        return sorted(f"/var/lib/lab/printer/jobs/{n}" for n in out.split())

    def printer(self, state: str) -> None:
        self.sh(f"python3 /usr/local/lib/xiangli-lab/printer_side.py set {state}")

    def card(self, mode: str) -> None:
        self.sh(f"python3 /usr/local/lib/xiangli-lab/idcard_side.py set {mode}")

    def hid(self, device: str, action: str, arg: str) -> None:
        node = self.sh(f"cat /run/lab/hidg-{device}").strip()
        self.sh(
            f"python3 /usr/local/lib/xiangli-lab/hid_side.py {action} {node} {shlex.quote(arg)}"
        )


def _env(name: str) -> str:
    import os

    return os.environ.get(name, "")


def git_describe() -> str:
    r = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return r.stdout.strip()


def timespan_s(text: str) -> float:
    """systemd's time span as `systemctl show` prints it ("5min", "1min 30s", "60s", "500ms")
    or a unit file holds it (a bare number is seconds: "WatchdogSec=60") in seconds; 0 for
    "infinity", "0" or anything else."""
    if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", text):
        return float(text)
    units = {"h": 3600, "min": 60, "s": 1, "ms": 1e-3, "us": 1e-6}
    part = r"(\d+(?:\.\d+)?)\s*(h|min|ms|us|s)\b"
    if not re.fullmatch(rf"\s*(?:{part}\s*)+", text):
        return 0
    return sum(float(n) * units[u] for n, u in re.findall(part, text))
