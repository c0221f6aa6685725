"""One descriptor per device package, and everything loops over them (issue 17): the
configuration file, building, health and the technician's settings. A device added by its
descriptor alone is configured, built, probed and offered to the technician."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from drivers import doccam, idcard, printer, rating, scanner
from drivers import registry as reg
from drivers.descriptor import DeviceDescriptor, Setting, State


def test_each_package_registers_its_descriptor_once() -> None:
    assert reg.DEVICES == (
        printer.DEVICE,
        scanner.DEVICE,
        idcard.DEVICE,
        rating.DEVICE,
        doccam.DEVICE,
    )
    assert len(set(reg.NAMES)) == len(reg.DEVICES)
    for d in reg.DEVICES:
        assert d.kinds[0] == "sim" and d.label_zh
        assert d.config().kind == "sim"  # the default is the simulator
        assert (d.test == "listen") == bool(d.listens)
        for kind, required in d.required.items():
            assert kind in d.kinds and set(required) <= {f for f in d.config.__dataclass_fields__}


@dataclass(frozen=True)
class ScaleConfig:
    kind: Literal["sim", "serial"] = "sim"
    port: str = ""
    max_kg: int = 150


class SimScale:
    def probe(self) -> None:
        return None


def _scale_health(dev: Any, c: ScaleConfig) -> tuple[State, str]:
    if c.kind == "serial" and not Path(c.port).exists():
        return "missing", "体重秤没有连接。"
    return "ok", ""


def _scale_check(values: Any, problems: list[str]) -> None:
    if values.get("max_kg", 150) > 300:
        problems.append("体重秤量程不能超过 300 公斤")


SCALE = DeviceDescriptor(
    name="scale",
    label_zh="体重秤",
    config=ScaleConfig,
    kinds=("sim", "serial"),
    settings=(Setting("kind", "体重秤类型"), Setting("max_kg", "量程（公斤）", ("150", "300"))),
    build=lambda c: SimScale(),
    health=_scale_health,
    test="read_card",
    test_label_zh="称一下",
    required={"serial": {"port": "串口"}},
    check=_scale_check,
)


@pytest.fixture
def with_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sixth device, registered as a new package would be: one more entry in DEVICES."""
    devices = (*reg.DEVICES, SCALE)
    monkeypatch.setattr(reg, "DEVICES", devices)
    monkeypatch.setattr(reg, "BY_NAME", {d.name: d for d in devices})
    monkeypatch.setattr(reg, "NAMES_ZH", {d.name: d.label_zh for d in devices})


@pytest.mark.usefixtures("with_scale")
def test_a_device_added_by_its_descriptor_is_configured_built_and_probed(tmp_path: Path) -> None:
    config = reg.config_from_dict({"scale": {"kind": "serial", "port": str(tmp_path / "ttyS9")}})
    assert config.scale.port.endswith("ttyS9") and config.printer.kind == "sim"
    with pytest.raises(reg.ConfigError) as bad:
        reg.config_from_dict({"scale": {"kind": "serial", "max_kg": 500}})
    assert "体重秤选择了 serial，但没有填写串口（port）" in bad.value.problems
    assert "体重秤量程不能超过 300 公斤" in bad.value.problems
    devices = reg.build_devices(config)
    assert isinstance(devices.scale, SimScale)
    by = {h.name: h for h in reg.health(devices)}
    assert list(by) == list(reg.NAMES)[:5] + ["scale"]
    assert by["scale"].state == "missing" and by["scale"].label_zh == "体重秤"
    settings = reg.SettingsFile(tmp_path / "devices.json")
    fields = {f.key: f for f in settings.fields()}
    assert fields["scale.kind"].choices == ("sim", "serial")
    assert fields["scale.max_kg"].label == "量程（公斤）"
    assert fields["scale.max_kg"].choices == ("150", "300")


def test_the_settings_file_checks_before_it_writes(tmp_path: Path) -> None:
    path = tmp_path / "devices.json"
    settings = reg.SettingsFile(path)
    raw = settings.current()
    assert raw == reg.DeviceConfig().to_dict()  # no file yet: every device simulated
    raw["printer"]["width_mm"] = 70
    assert settings.problems(raw) == ["打印机纸宽只能是 58 或 80（毫米）"]
    raw["printer"]["width_mm"] = 58
    assert settings.problems(raw) == []
    settings.save(raw)
    assert json.loads(path.read_text(encoding="utf-8"))["printer"]["width_mm"] == 58
    path.write_text("{broken", encoding="utf-8")
    assert settings.current() == reg.DeviceConfig().to_dict()  # the page still opens


def test_every_setting_on_the_page_is_a_real_setting_with_its_choices() -> None:
    fields = reg.SettingsFile("unused.json").fields()
    keys = [f.key for f in fields]
    assert len(keys) == len(set(keys))
    for f in fields:
        name, key = f.key.split(".", 1)
        d = reg.BY_NAME[name]
        assert key in d.config.__dataclass_fields__
        if key == "kind":
            assert f.choices == d.kinds
    assert {f.key: f.choices for f in fields}["printer.width_mm"] == ("58", "80")


def test_a_descriptor_naming_an_unknown_setting_is_refused() -> None:
    with pytest.raises(ValueError):
        DeviceDescriptor(
            name="x",
            label_zh="某设备",
            config=ScaleConfig,
            kinds=("sim",),
            settings=(Setting("no_such", "没有"),),
            build=lambda c: None,
            health=_scale_health,
            test="listen",
            test_label_zh="",
        )
