"""`xiangli-kiosk`: run the kiosk, and the small commands a technician uses from a shell."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from datetime import date
from pathlib import Path

from kiosk import idnumber
from kiosk.workdays import UnknownYear, WorkCalendar


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("xiangli")
    except Exception:
        return "0.1.0+source"


VERSION = _version()


# On a packaged kiosk (packaging/kiosk): the installer's inbox and the county's signing keys.
PACKAGED_INCOMING = "/var/lib/xiangli/updates/incoming"
PACKAGED_UPDATE_KEYS = "/etc/xiangli/update-keys"


def _existing_dir(path: str) -> Path | None:
    """Update downloads only where the package made the folder: never on a developer's machine."""
    return Path(path) if path and Path(path).is_dir() else None


def default_data_dir() -> Path:
    return Path(os.environ.get("XIANGLI_DATA", Path.home() / ".local/share/xiangli"))


def run_kiosk(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from ui.app import KioskApp, KioskConfig, prepare_qt_environment
    from ui.sdnotify import SystemdLink

    prepare_qt_environment()
    app = QGuiApplication(sys.argv[:1])
    env = os.environ
    config = KioskConfig(
        data_dir=Path(args.data),
        hub_url=args.hub,
        terminal_code=args.terminal_code,
        printer_out=Path(args.printer_out) if args.printer_out else None,
        locale=args.locale,
        devices_path=Path(env["XIANGLI_DEVICES"]) if env.get("XIANGLI_DEVICES") else None,
        hub_ca=Path(env["XIANGLI_HUB_CA"]) if env.get("XIANGLI_HUB_CA") else None,
        updates_incoming=_existing_dir(env.get("XIANGLI_UPDATES_INCOMING", PACKAGED_INCOMING)),
        update_keys=_existing_dir(env.get("XIANGLI_UPDATE_KEYS", PACKAGED_UPDATE_KEYS)),
    )
    # The station's own details, from /etc/xiangli/kiosk.conf on a packaged kiosk.
    config.station = env.get("XIANGLI_STATION_NAME") or config.station
    config.station_phone = env.get("XIANGLI_STATION_PHONE") or config.station_phone
    config.station_hours = env.get("XIANGLI_STATION_HOURS") or config.station_hours
    if env.get("XIANGLI_IDLE_TIMEOUT_S", "").isdigit():
        config.idle_s = int(env["XIANGLI_IDLE_TIMEOUT_S"])
    kiosk = KioskApp(config)
    window = kiosk.load_ui()
    if args.windowed:
        window.show()
    else:
        window.showFullScreen()
    systemd = SystemdLink(window, lambda: kiosk.nav.page != "home")
    systemd.start()
    kiosk.start()
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    # Python handles signals only between bytecodes: wake it regularly while Qt waits.
    tick = QTimer()
    tick.start(500)
    tick.timeout.connect(lambda: None)
    code = app.exec()
    systemd.stop()
    kiosk.stop()
    return code


def run_sync_once(args: argparse.Namespace) -> int:
    from kiosk.store import Store
    from sync.client import SyncClient, SyncError

    store = Store(Path(args.data) / "kiosk.sqlite3")
    terminal_id = store.get_value("terminal.id")
    if not terminal_id:
        print("本机尚未初始化（先运行一次 xiangli-kiosk）", file=sys.stderr)
        return 2
    client = SyncClient(store, args.hub, terminal_id)
    try:
        summary = client.sync_once()
    except SyncError as e:
        print(f"同步失败：{e.message_zh}（待上传 {store.pending_count()} 条）", file=sys.stderr)
        return 1
    print(
        f"同步完成：上传 {summary.pushed} 条，被拒 {summary.rejected} 条，"
        f"下载 {summary.pulled} 条变更，待上传 {store.pending_count()} 条"
    )
    return 0


def run_enrol(args: argparse.Namespace) -> int:
    """Enrol this kiosk with a one-time code from the county (or the text of its QR code), as
    the technician's screen does: a fresh key pair, the public key sent with the code."""
    from kiosk.store import Store
    from sync.enrol import EnrolError, enrol

    data = Path(args.data)
    if not (data / "kiosk.sqlite3").exists():
        print("本机尚未初始化（先运行一次 xiangli-kiosk）", file=sys.stderr)
        return 2
    store = Store(data / "kiosk.sqlite3")
    ca = os.environ.get("XIANGLI_HUB_CA", "")
    try:
        identity = enrol(store, args.hub or "", args.code, verify=ca or True)
    except EnrolError as e:
        print(f"登记失败：{e.message_zh}（{e.kind}）", file=sys.stderr)
        return 1
    print(f"登记成功：终端编号 {identity.terminal_code}，终端ID {identity.terminal_id}")
    print("请重启乡里办（sudo systemctl restart xiangli-kiosk）后使用新身份。")
    return 0


def run_seed(args: argparse.Namespace) -> int:
    """Demo and benchmark data only: N applications from simulated villagers, queued to sync."""
    from kiosk.catalog import load_demo_catalog
    from kiosk.store import Store
    from sync.seed import seed_cases
    from ui.app import ensure_terminal

    store = Store(Path(args.data) / "kiosk.sqlite3")
    catalog = load_demo_catalog()
    terminal = ensure_terminal(store, args.terminal_code, catalog.region_code)
    count = seed_cases(store, args.cases, terminal=terminal, catalog=catalog)
    print(f"已生成 {count} 件演示办件（仅供演示和性能测试），待上传 {store.pending_count()} 条")
    return 0


def run_workdays(args: argparse.Namespace) -> int:
    try:
        start = date.fromisoformat(args.date)
        print(WorkCalendar.builtin().add_workdays(start, args.n).isoformat())
    except UnknownYear as e:
        print(str(e), file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"日期或天数不正确：{e}", file=sys.stderr)
        return 2
    return 0


def run_id_check(args: argparse.Namespace) -> int:
    verdict = idnumber.check(args.number)
    masked = idnumber.mask(args.number)
    print(f"{masked}：有效" if verdict else f"{masked}：无效，{verdict.reason}")
    return 0 if verdict else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xiangli-kiosk", description="乡里办 village self-service kiosk"
    )
    p.add_argument("--version", action="version", version=f"xiangli-kiosk {VERSION}")
    p.add_argument("--data", default=str(default_data_dir()), help="data folder (SQLite store)")
    p.add_argument("--hub", default=os.environ.get("XIANGLI_HUB_URL"), help="county hub URL")
    # --data and --hub are taken before or after the command (`sync --once --hub URL`, as the
    # README shows); after it, SUPPRESS keeps an absent option from overwriting the one before.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=argparse.SUPPRESS, help="data folder (SQLite store)")
    common.add_argument("--hub", default=argparse.SUPPRESS, help="county hub URL")
    sub = p.add_subparsers(dest="cmd")
    run = sub.add_parser("run", parents=[common], help="run the kiosk (the default)")
    for parser in (p, run):
        parser.add_argument(
            "--windowed", action="store_true", help="a window instead of full screen"
        )
        parser.add_argument(
            "--terminal-code", default=os.environ.get("XIANGLI_TERMINAL_CODE", "K001")
        )
        parser.add_argument(
            "--printer-out", default=None, help="simulated printer: write slips here"
        )
        parser.add_argument(
            "--locale",
            default=os.environ.get("XIANGLI_LOCALE", "zh_CN"),
            choices=["zh_CN", "en"],
            help="zh_CN (the default) or en, for technicians",
        )
    s = sub.add_parser("sync", parents=[common], help="one full push and pull, then exit")
    s.add_argument("--once", action="store_true", required=True)
    en = sub.add_parser(
        "enrol", parents=[common], help="enrol this kiosk with the county's one-time code"
    )
    en.add_argument("code", help="the code (ABCD-EFGH-JKLM) or the text of its QR code")
    sd = sub.add_parser(
        "seed", parents=[common], help="demo and benchmark data only: N simulated applications"
    )
    sd.add_argument("--cases", type=int, required=True)
    sd.add_argument("--terminal-code", default=os.environ.get("XIANGLI_TERMINAL_CODE", "K001"))
    w = sub.add_parser("workdays", help="working-day arithmetic")
    wsub = w.add_subparsers(dest="wcmd", required=True)
    add = wsub.add_parser("add", help="the date N working days after DATE")
    add.add_argument("date")
    add.add_argument("n", type=int)
    i = sub.add_parser("id", help="resident ID numbers")
    isub = i.add_subparsers(dest="icmd", required=True)
    chk = isub.add_parser("check", help="is this ID number valid, and if not why")
    chk.add_argument("number")
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    if args.cmd == "sync":
        if not args.hub:
            print("请用 --hub 指定县级平台地址", file=sys.stderr)
            return 2
        return run_sync_once(args)
    if args.cmd == "enrol":
        return run_enrol(args)
    if args.cmd == "seed":
        return run_seed(args)
    if args.cmd == "workdays":
        return run_workdays(args)
    if args.cmd == "id":
        return run_id_check(args)
    return run_kiosk(args)


if __name__ == "__main__":
    sys.exit(main())
