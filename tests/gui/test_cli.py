"""`xiangli-kiosk`'s small commands, and its parser for the kiosk itself."""

from __future__ import annotations

import pytest

from ui.cli import build_parser, main


def test_run_takes_every_option_the_session_passes() -> None:
    for argv in (["run", "--locale", "en", "--windowed"], ["--windowed"], ["run"]):
        args = build_parser().parse_args(argv)
        assert args.locale in ("zh_CN", "en") and hasattr(args, "printer_out")


def test_workdays_and_id_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workdays", "add", "2026-09-29", "3"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-09"
    assert main(["workdays", "add", "2027-12-30", "1"]) == 1
    assert "2027年的节假日安排尚未发布" in capsys.readouterr().err
    assert main(["id", "check", "11010519491231002X"]) == 0
    out = capsys.readouterr().out
    assert "有效" in out and "11010519491231002X" not in out  # masked even here
    assert main(["id", "check", "110105194912310021"]) == 1
    assert "校验位" in capsys.readouterr().out


def test_seed_makes_demo_cases_waiting_to_sync(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.store import Store

    assert main(["--data", str(tmp_path), "seed", "--cases", "5"]) == 0
    assert "5" in capsys.readouterr().out
    assert Store(tmp_path / "kiosk.sqlite3").pending_count() == 5
