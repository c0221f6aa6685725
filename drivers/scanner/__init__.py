"""QR/barcode scanner: the port, the decoders, the camera scanner and the simulator.

Only the descriptor (`DEVICE`, drivers.descriptor) is imported with the package; the rest loads
at its first use, so the kiosk can list its devices at start-up without loading their code.
"""

from typing import TYPE_CHECKING

from drivers.descriptor import lazy_exports
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

__getattr__ = lazy_exports(
    __name__,
    {
        "Debouncer": "drivers.scanner.base",
        "ScannerError": "drivers.scanner.base",
        "ScannerPort": "drivers.scanner.base",
        "BackendUnavailable": "drivers.scanner.decode",
        "Code": "drivers.scanner.decode",
        "decode_file": "drivers.scanner.decode",
        "decode_image": "drivers.scanner.decode",
        "SimScanner": "drivers.scanner.simulator",
    },
)
