from __future__ import annotations

import queue
import string
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from drivers.input_events import KEYCODES
from drivers.scanner import ScannerPort
from drivers.scanner.base import Debouncer, ScannerError
from drivers.scanner.wedge import US_LAYOUT, KeyDecoder, WedgeScanner, keystrokes
from kiosk.caseno import make_case_no, qr_payload
from tests.drivers.fakes import FakeInputDevice

K = KEYCODES
TYPABLE = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ")


def _decode(events: list[tuple[int, int]], decoder: KeyDecoder | None = None) -> list[str]:
    d = decoder or KeyDecoder(clock=lambda: 0.0)
    return [t for c, v in events if (t := d.feed(c, v)) is not None]


@given(st.lists(TYPABLE.filter(bool), max_size=5))
def test_typed_text_comes_back(reads: list[str]) -> None:
    events = [e for r in reads for e in keystrokes(r)]
    assert _decode(events) == reads


@given(st.lists(st.tuples(st.sampled_from(sorted(K.values())), st.integers(0, 2)), max_size=80))
def test_any_event_sequence_is_safe(events: list[tuple[int, int]]) -> None:
    for text in _decode(events):
        assert text and "\n" not in text
        assert set(text) <= {ch for pair in US_LAYOUT.values() for ch in pair}


def test_shift_caps_keypad_and_right_shift() -> None:
    d = KeyDecoder(clock=lambda: 0.0)
    ev = [
        (K["KEY_RIGHTSHIFT"], 1),
        (K["KEY_X"], 1),
        (K["KEY_BACKSLASH"], 1),
        (K["KEY_RIGHTSHIFT"], 0),
        (K["KEY_CAPSLOCK"], 1),
        (K["KEY_L"], 1),
        (K["KEY_1"], 1),  # caps lock does not shift digits
        (K["KEY_LEFTSHIFT"], 1),
        (K["KEY_B"], 1),  # shift under caps lock: lower case
        (K["KEY_LEFTSHIFT"], 0),
        (K["KEY_KP7"], 1),
        (K["KEY_KPENTER"], 1),
    ]
    assert _decode(ev, d) == ["X|L1b7"]


def test_release_and_repeat_type_nothing_and_empty_enter_is_no_read() -> None:
    ev = [
        (K["KEY_A"], 1),
        (K["KEY_A"], 2),
        (K["KEY_A"], 0),
        (K["KEY_ENTER"], 1),
        (K["KEY_ENTER"], 1),
    ]
    assert _decode(ev) == ["a"]


def test_a_pause_drops_the_partial_read() -> None:
    now = [0.0]
    d = KeyDecoder(max_gap_s=0.5, clock=lambda: now[0])
    d.feed(K["KEY_Q"], 1)  # a stray key
    now[0] = 5.0
    assert _decode(list(keystrokes("AB12")), d) == ["AB12"]


def test_wedge_scanner_grabs_decodes_and_debounces() -> None:
    fake = FakeInputDevice()
    payload = qr_payload(make_case_no(date(2025, 9, 26), "K001", 7), "01JD0")
    opened: list[str] = []

    def opener(path: str) -> FakeInputDevice:
        opened.append(path)
        fake.grab()
        return fake

    scanner = WedgeScanner("/dev/input/by-id/usb-scanner-event-kbd", opener=opener)
    assert isinstance(scanner, ScannerPort)
    got: queue.Queue[str] = queue.Queue()
    scanner.start(got.put)
    for _ in range(2):  # the villager scans twice in a row: one read
        fake.push(*((1, c, v) for c, v in keystrokes(payload)))
    fake.push(*((1, c, v) for c, v in keystrokes("OTHER")))
    assert got.get(timeout=3) == payload
    assert got.get(timeout=3) == "OTHER"
    assert fake.grabbed and opened == ["/dev/input/by-id/usb-scanner-event-kbd"]
    scanner.stop()
    assert fake.closed.wait(2) and not fake.grabbed
    assert got.empty()


def test_wedge_unplugged_reports_scanner_error() -> None:
    fake = FakeInputDevice()
    errors: queue.Queue[ScannerError] = queue.Queue()
    scanner = WedgeScanner("/dev/x", Debouncer(), errors.put, opener=lambda p: fake)
    scanner.start(lambda t: None)
    fake.unplug()
    err = errors.get(timeout=3)
    assert err.code == "wedge_lost" and "扫码枪" in err.message_zh
    scanner.stop()
    assert scanner.probe() is not None
