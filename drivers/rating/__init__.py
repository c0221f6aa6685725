"""Rating buttons (服务评价器): the port, USB HID (evdev) and serial devices, the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from drivers.rating.device import DEVICE

if TYPE_CHECKING:
    from drivers.rating.base import OnLevel, PressFilter, RatingError, RatingPort
    from drivers.rating.simulator import SimRatingDevice

__all__ = ["DEVICE", "OnLevel", "PressFilter", "RatingError", "RatingPort", "SimRatingDevice"]

_LAZY = {
    "OnLevel": "drivers.rating.base",
    "PressFilter": "drivers.rating.base",
    "RatingError": "drivers.rating.base",
    "RatingPort": "drivers.rating.base",
    "SimRatingDevice": "drivers.rating.simulator",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
