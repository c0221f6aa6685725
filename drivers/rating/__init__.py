"""Rating buttons (服务评价器): the port, USB HID (evdev) and serial devices, the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from typing import TYPE_CHECKING

from drivers.descriptor import lazy_exports
from drivers.rating.device import DEVICE

if TYPE_CHECKING:
    from drivers.rating.base import OnLevel, PressFilter, RatingError, RatingPort
    from drivers.rating.simulator import SimRatingDevice

__all__ = ["DEVICE", "OnLevel", "PressFilter", "RatingError", "RatingPort", "SimRatingDevice"]

__getattr__ = lazy_exports(
    __name__,
    {
        "OnLevel": "drivers.rating.base",
        "PressFilter": "drivers.rating.base",
        "RatingError": "drivers.rating.base",
        "RatingPort": "drivers.rating.base",
        "SimRatingDevice": "drivers.rating.simulator",
    },
)
