"""The technician's menu: device tests with visible results, settings, sync, logs, backup, leaving."""

from __future__ import annotations

import logging
from pathlib import Path

from drivers.idcard.simulator import DEMO_CARD
from kiosk.idnumber import mask
from tests.gui.admin.conftest import sign_in_tech
from tests.gui.rules import check_screen
from ui.app import KioskApp
from ui.driving import exists, find, tap, text_of


def test_devices_each_with_a_test_and_its_result(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    assert not check_screen(w, "tech home")
    tap(w, "openDevices")
    assert "正常" in text_of(w, "health_printer")
    tap(w, "test_printer")
    assert "测试页已打印" in text_of(w, "result_printer")
    assert staff.devices.printer.jobs[-1][0].kind == "test_page"
    tap(w, "test_idcard")
    assert mask(DEMO_CARD.id_number) in text_of(w, "result_idcard")
    assert DEMO_CARD.id_number not in text_of(w, "result_idcard")
    staff.devices.scanner.feed_text("XLB1|TEST-CODE")
    assert "XLB1|TEST-CODE" in text_of(w, "result_scanner") and staff.nav.page == "techDevices"
    for level in (5, 1):
        staff.devices.rating.press(level)
        assert f"{level} ·" in text_of(w, "result_rating")
    tap(w, "test_doccam")
    image = find(w, "doccamImage")
    assert Path(image.property("source").toLocalFile()).stat().st_size > 1000
    assert not check_screen(w, "devices")
    tap(w, "staffExit")
    # After the session a scan is a villager's again (opens their case's progress).
    staff.devices.scanner.feed_text("not-a-receipt")
    assert staff.nav.page == "progress"


def test_settings_are_validated_before_saving(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "openConfig")
    assert not check_screen(w, "config")
    cfg = staff.techConfig  # type: ignore[attr-defined]
    cfg.setValue("printer.width_mm", "70")
    cfg.setValue("idle_s", "5")
    tap(w, "saveConfig")
    assert "没有保存" in text_of(w, "configMessage") and "58 或 80" in cfg.message
    devices_json = staff.config.data_dir / "devices.json"
    assert not devices_json.exists()
    cfg.setValue("printer.width_mm", "58")
    cfg.setValue("idle_s", "90")
    tap(w, "saveConfig")
    assert "已保存" in cfg.message and "重启" in cfg.message
    assert '"width_mm": 58' in devices_json.read_text(encoding="utf-8")
    assert staff.session.idle_s == 90


def test_sync_state_and_sync_now_without_a_hub(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "openSync")
    assert "未设置县级平台地址" in text_of(w, "syncLine_0")
    assert not check_screen(w, "sync")
    tap(w, "syncNow")
    assert "离线" in text_of(w, "syncResult")


def test_logs_are_masked(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    logging.getLogger("xiangli.test").warning(
        "读卡 %s 姓名：王秀英 电话 13812345678", DEMO_CARD.id_number
    )
    sign_in_tech(staff)
    tap(w, "openLogs")
    logs = text_of(w, "logText")
    assert "读卡" in logs and DEMO_CARD.id_number not in logs and "王秀英" not in logs
    assert "13812345678" not in logs
    assert not check_screen(w, "logs")


def test_backup_and_restore_through_a_folder(staff: KioskApp, tmp_path: Path) -> None:
    w = staff.window  # type: ignore[attr-defined]
    stick = tmp_path / "usb"
    stick.mkdir()
    sign_in_tech(staff)
    tap(w, "openBackup")
    assert not check_screen(w, "backup")
    staff.techConfig.setFolder(str(stick))  # type: ignore[attr-defined]
    tap(w, "backupButton")
    [saved] = list(stick.glob("xiangli-*.xlbk"))  # encrypted (kiosk.backup)
    assert "已备份" in text_of(w, "backupMessage")
    (stick / "xiangli-not-a-store.xlbk").write_text("hello")
    tap(w, "listBackups")
    staff.techConfig.chooseBackup(str(stick / "xiangli-not-a-store.xlbk"))  # type: ignore[attr-defined]
    tap(w, "restoreYes")
    assert "不是乡里办" in text_of(w, "backupMessage") or "损坏" in text_of(w, "backupMessage")
    staff.techConfig.chooseBackup(str(saved))  # type: ignore[attr-defined]
    assert exists(w, "restoreConfirm")
    tap(w, "restoreYes")
    assert "重启" in text_of(w, "backupMessage")


def test_leaving_kiosk_mode_asks_first(staff: KioskApp) -> None:
    w = staff.window  # type: ignore[attr-defined]
    left: list[bool] = []
    staff.tech.leave = lambda: left.append(True)  # type: ignore[attr-defined]
    sign_in_tech(staff)
    tap(w, "askLeave")
    assert exists(w, "leaveConfirm") and not left
    assert not check_screen(w, "leave confirm")
    tap(w, "leaveNo")
    tap(w, "askLeave")
    tap(w, "leaveYes")
    assert left == [True] and staff.nav.page == "home"
