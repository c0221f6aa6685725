"""Rating buttons (服务评价器): the port, USB HID (evdev) and serial devices, the simulator."""

from drivers.rating.base import OnLevel, PressFilter, RatingError, RatingPort
from drivers.rating.simulator import SimRatingDevice

__all__ = ["OnLevel", "PressFilter", "RatingError", "RatingPort", "SimRatingDevice"]
