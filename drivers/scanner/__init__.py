"""QR/barcode scanner: the port, the decoders, the camera scanner and the simulator."""

from drivers.scanner.base import Debouncer, ScannerError, ScannerPort
from drivers.scanner.decode import BackendUnavailable, Code, decode_file, decode_image
from drivers.scanner.simulator import SimScanner

__all__ = [
    "BackendUnavailable",
    "Code",
    "Debouncer",
    "ScannerError",
    "ScannerPort",
    "SimScanner",
    "decode_file",
    "decode_image",
]
