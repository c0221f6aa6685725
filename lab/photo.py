"""Reading the photo the kiosk stored from the lab's document camera: the black bars that the
camera's far side (lab/guest/camera_side.py) puts on its page, found again in the JPEG after
the kiosk's pipeline found the page, straightened and compressed it."""

from __future__ import annotations

import importlib.util
from typing import Any

from lab import GUEST


def bars(jpeg: bytes) -> list[float]:
    """The dark horizontal bars in the photo, top to bottom, each as its length over the
    longest one's (a scale- and crop-free signature of the page)."""
    import cv2
    import numpy as np

    img: Any = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:
        raise ValueError("not a picture")
    dark = img < 110
    share = dark.mean(axis=1)
    rows = share > 0.08
    runs: list[tuple[int, int]] = []
    start = None
    for y, on in enumerate(rows.tolist() + [False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= 3:  # a JPEG's ringing is thinner than a bar
                runs.append((start, y))
            start = None
    lengths = [int(dark[(a + b) // 2].sum()) for a, b in runs]
    if not lengths:
        return []
    longest = max(lengths)
    return [round(n / longest, 3) for n in lengths]


def camera_side() -> Any:
    """The far side's module (lab/guest/camera_side.py, a program of the VM's own Python)."""
    spec = importlib.util.spec_from_file_location("camera_side", GUEST / "camera_side.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_bars() -> list[float]:
    """What the far side draws, in the same terms."""
    drawn = camera_side().BARS
    longest = max(share for _, share in drawn)
    return [round(share / longest, 3) for _, share in sorted(drawn)]


def same_page(found: list[float], tolerance: float = 0.06) -> bool:
    want = expected_bars()
    return len(found) == len(want) and all(
        abs(a - b) <= tolerance for a, b in zip(found, want, strict=True)
    )
