"""Document camera (高拍仪): the port, the page pipeline, the real camera and the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from drivers.doccam.device import DEVICE

if TYPE_CHECKING:
    from drivers.doccam.base import MAX_JPEG_BYTES, CapturedPage, DocCamError, DocCamPort
    from drivers.doccam.simulator import SimDocCam

__all__ = ["DEVICE", "MAX_JPEG_BYTES", "CapturedPage", "DocCamError", "DocCamPort", "SimDocCam"]

_LAZY = {
    "MAX_JPEG_BYTES": "drivers.doccam.base",
    "CapturedPage": "drivers.doccam.base",
    "DocCamError": "drivers.doccam.base",
    "DocCamPort": "drivers.doccam.base",
    "SimDocCam": "drivers.doccam.simulator",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
