"""Document camera (高拍仪): the port, the page pipeline, the real camera and the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from typing import TYPE_CHECKING

from drivers.descriptor import lazy_exports
from drivers.doccam.device import DEVICE

if TYPE_CHECKING:
    from drivers.doccam.base import MAX_JPEG_BYTES, CapturedPage, DocCamError, DocCamPort
    from drivers.doccam.simulator import SimDocCam

__all__ = ["DEVICE", "MAX_JPEG_BYTES", "CapturedPage", "DocCamError", "DocCamPort", "SimDocCam"]

__getattr__ = lazy_exports(
    __name__,
    {
        "MAX_JPEG_BYTES": "drivers.doccam.base",
        "CapturedPage": "drivers.doccam.base",
        "DocCamError": "drivers.doccam.base",
        "DocCamPort": "drivers.doccam.base",
        "SimDocCam": "drivers.doccam.simulator",
    },
)
