"""Document camera (高拍仪): the port, the page pipeline, the real camera and the simulator."""

from drivers.doccam.base import MAX_JPEG_BYTES, CapturedPage, DocCamError, DocCamPort
from drivers.doccam.simulator import SimDocCam

__all__ = ["MAX_JPEG_BYTES", "CapturedPage", "DocCamError", "DocCamPort", "SimDocCam"]
