"""Devices of the kiosk: one package per device (printer, scanner, ID-card reader).

Each package has a `base.py` port (a few methods the UI calls), the real implementation(s), a
`simulator.py` for tests and demos, and a `python -m drivers.<device>` entry for technicians.
Drivers know no screen and no sync: they reach the person only through the ports' return
values, typed errors with a Chinese message, and callbacks the UI passes in.
"""
