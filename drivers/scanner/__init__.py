"""QR/barcode scanner: the port, the decoders, the camera scanner and the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from drivers.scanner.device import DEVICE

if TYPE_CHECKING:
    from drivers.scanner.base import Debouncer, ScannerError, ScannerPort
    from drivers.scanner.decode import BackendUnavailable, Code, decode_file, decode_image
    from drivers.scanner.simulator import SimScanner

__all__ = [
    "DEVICE",
    "BackendUnavailable",
    "Code",
    "Debouncer",
    "ScannerError",
    "ScannerPort",
    "SimScanner",
    "decode_file",
    "decode_image",
]

_LAZY = {
    "Debouncer": "drivers.scanner.base",
    "ScannerError": "drivers.scanner.base",
    "ScannerPort": "drivers.scanner.base",
    "BackendUnavailable": "drivers.scanner.decode",
    "Code": "drivers.scanner.decode",
    "decode_file": "drivers.scanner.decode",
    "decode_image": "drivers.scanner.decode",
    "SimScanner": "drivers.scanner.simulator",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
