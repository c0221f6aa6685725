from __future__ import annotations

import json
import queue
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.input_events import KEYCODES, InputDeviceError, keycode
from drivers.rating import PressFilter, RatingError, RatingPort, SimRatingDevice
from drivers.rating.hid import HidRatingDevice
from drivers.rating.serialport import FrameParser, SerialRatingDevice, byte_level_map
from kiosk.evaluations import Level
from tests.drivers.fakes import FakeInputDevice, FakeSerial

ROOT = Path(__file__).resolve().parents[2]


def test_sim_presses_deliver_levels() -> None:
    got: list[Level] = []
    sim = SimRatingDevice()
    assert isinstance(sim, RatingPort)
    assert not sim.press(5)  # not started: nobody is listening
    sim.start(got.append)
    assert sim.press(5) and sim.press(1)
    sim.plugged = False
    assert not sim.press(3)
    assert sim.probe() is not None
    sim.plugged = True
    sim.stop()
    assert got == [Level.VERY_SATISFIED, Level.VERY_DISSATISFIED]
    with pytest.raises(ValueError):
        sim.press(6)


def test_press_filter_drops_bounces_not_other_levels() -> None:
    now = [0.0]
    f = PressFilter(0.8, clock=lambda: now[0])
    assert f.accept(Level(5))
    now[0] = 0.1
    assert not f.accept(Level(5))
    assert f.accept(Level(4))
    now[0] = 1.0
    assert f.accept(Level(5))


def _collect(dev: HidRatingDevice | SerialRatingDevice, n: int) -> list[object]:
    q: queue.Queue[object] = queue.Queue()
    dev.on_error = q.put
    dev.start(q.put)
    out = [q.get(timeout=3) for _ in range(n)]
    dev.stop()
    return out


def test_hid_device_maps_keys_grabs_and_ignores_release_and_repeat() -> None:
    fake = FakeInputDevice()
    dev = HidRatingDevice(
        "/dev/input/fake", {"F1": 5, "F5": 1}, opener=lambda p: fake.grab() or fake
    )
    q: queue.Queue[object] = queue.Queue()
    dev.start(q.put)
    fake.push((1, KEYCODES["KEY_F5"], 1), (1, KEYCODES["KEY_F5"], 2), (1, KEYCODES["KEY_F5"], 0))
    fake.keys(KEYCODES["KEY_A"], KEYCODES["KEY_F1"])  # A is not a rating key
    assert q.get(timeout=3) == Level.VERY_DISSATISFIED
    assert q.get(timeout=3) == Level.VERY_SATISFIED
    assert fake.grabbed
    dev.stop()
    assert fake.closed.wait(2) and not fake.grabbed
    assert q.empty()


def test_hid_unplug_and_missing_device_are_errors() -> None:
    fake = FakeInputDevice()
    dev = HidRatingDevice("/dev/input/fake", opener=lambda p: fake)
    errors: queue.Queue[RatingError] = queue.Queue()
    dev.on_error = errors.put
    dev.start(lambda lv: None)
    fake.unplug()
    assert errors.get(timeout=3).code == "lost"
    dev.stop()

    def missing(path: str) -> FakeInputDevice:
        raise InputDeviceError("missing", "没有找到设备")

    dev = HidRatingDevice("/dev/input/none", opener=missing, on_error=errors.put)
    dev.start(lambda lv: None)
    assert errors.get(timeout=3).code == "missing"
    dev.stop()
    assert dev.probe() is not None  # the path does not exist


def test_key_map_validation_in_chinese() -> None:
    with pytest.raises(ValueError, match="未知的按键"):
        HidRatingDevice("/x", {"KEY_NOPE": 5})
    with pytest.raises(ValueError, match="1到5"):
        HidRatingDevice("/x", {"KEY_1": 9})
    assert keycode("1") == KEYCODES["KEY_1"] and keycode("f2") == KEYCODES["KEY_F2"]
    assert keycode(30) == 30


def test_serial_device_reads_frames_from_its_thread() -> None:
    fake = FakeSerial([b"\xaa\x55\x01\x0d", b"\xaa", b"\x55\x05\x0d\x00"])
    dev = SerialRatingDevice(
        "/dev/ttyFAKE",
        byte_map={"0x01": 5, 5: 1},
        header=b"\xaa\x55",
        trailer=b"\x0d",
        serial_factory=lambda p, b: fake,
    )
    assert _collect(dev, 2) == [Level(5), Level(1)]
    assert fake.closed.wait(2)


def test_serial_missing_and_lost() -> None:
    def missing(p: str, b: int) -> FakeSerial:
        raise OSError("could not open port")

    out = _collect(SerialRatingDevice("/dev/ttyNONE", serial_factory=missing), 1)
    assert isinstance(out[0], RatingError) and out[0].code == "missing"
    fake = FakeSerial([b"1"])
    fake.fail_after = True
    out = _collect(SerialRatingDevice("/dev/ttyFAKE", serial_factory=lambda p, b: fake), 2)
    assert out[0] == Level(5)
    assert isinstance(out[1], RatingError) and out[1].code == "lost"


# --- the frame parser, with hypothesis ---

BYTE_MAP = {0x01: 5, 0x02: 4, 0x03: 3, 0x04: 2, 0x05: 1}
HEADER, TRAILER = b"\xaa\x55", b"\x0d"
levels = st.lists(st.integers(1, 5), max_size=20)
noise = st.binary(max_size=12).filter(lambda b: 0xAA not in b)


def _frame(level: int) -> bytes:
    code = {v: k for k, v in BYTE_MAP.items()}[level]
    return HEADER + bytes([code]) + TRAILER


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


@given(st.lists(st.tuples(noise, st.integers(1, 5))), noise, st.lists(st.integers(0, 400)))
def test_framed_levels_survive_noise_and_any_split(
    parts: list[tuple[bytes, int]], tail: bytes, cuts: list[int]
) -> None:
    data = b"".join(n + _frame(lv) for n, lv in parts) + tail
    p = FrameParser(BYTE_MAP, HEADER, TRAILER)
    got = [int(x) for c in _chunks(data, cuts) for x in p.feed(c)]
    assert got == [lv for _, lv in parts]


@given(st.binary(max_size=200), st.lists(st.integers(0, 200)))
def test_random_bytes_never_raise_and_split_does_not_matter(data: bytes, cuts: list[int]) -> None:
    whole = FrameParser(BYTE_MAP, HEADER, TRAILER).feed(data)
    p = FrameParser(BYTE_MAP, HEADER, TRAILER)
    assert [x for c in _chunks(data, cuts) for x in p.feed(c)] == whole
    assert len(whole) <= data.count(HEADER)
    assert len(p._buf) < p.frame_len  # the buffer stays bounded


@given(st.binary(max_size=100))
def test_headerless_map_takes_only_mapped_bytes(data: bytes) -> None:
    got = FrameParser({0x31: 5, 0x35: 1}).feed(data)
    assert got == [Level(5) if b == 0x31 else Level(1) for b in data if b in (0x31, 0x35)]


def test_corrupt_frame_is_dropped_not_misread() -> None:
    p = FrameParser(BYTE_MAP, HEADER, TRAILER)
    assert p.feed(HEADER + b"\x09\x0d" + HEADER + b"\x01\xff" + _frame(3)) == [Level(3)]
    with pytest.raises(ValueError, match="字节"):
        byte_level_map({"0x1FF": 5})
    with pytest.raises(ValueError, match="帧头"):
        FrameParser(BYTE_MAP, b"", b"\x0d")


def test_cli_sim_prints_json_lines() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "drivers.rating", "--sim", "5", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(x) for x in run.stdout.splitlines()]
    assert lines == [{"level": 5, "label": "非常满意"}, {"level": 2, "label": "不满意"}]
