"""乡里办 core: the domain and application services, and the local store.

Plain Python only: no Qt, no devices, no network (see the import contracts in setup.cfg).
"""

import sys as _sys


def _load_sqlite_utils_without_numpy() -> None:
    """sqlite-utils imports NumPy, if installed, only to accept NumPy values in inserts, which
    the kiosk never makes; that import is a fifth of the kiosk's start-up (~0.12 s). Load
    sqlite-utils once with NumPy hidden; NumPy itself imports normally afterwards."""
    if "sqlite_utils" in _sys.modules or "numpy" in _sys.modules:
        return
    _sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        if _sys.modules.get("numpy", 0) is None:
            del _sys.modules["numpy"]


_load_sqlite_utils_without_numpy()
