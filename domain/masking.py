"""Masking personal data where the full value is not needed: slips, screens, lists, logs.

One rule for kiosk, drivers and hub: show enough for a person to recognise their own record,
not enough to misuse it.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """'王*英' / '王*' / '欧**娜': the surname and the last character stay."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """'350***********123X': the first three and last four characters stay."""
    n = number.strip().upper()
    if len(n) <= 7:
        return "*" * len(n)
    return n[:3] + "*" * (len(n) - 7) + n[-4:]


def mask_phone(phone: str) -> str:
    """'138****5678' for a mobile number; other numbers keep only their last four digits."""
    p = phone.strip().replace(" ", "").replace("-", "")
    if len(p) <= 4:
        return "*" * len(p)
    if len(p) == 11 and p.startswith("1"):
        return p[:3] + "****" + p[-4:]
    return "*" * (len(p) - 4) + p[-4:]
