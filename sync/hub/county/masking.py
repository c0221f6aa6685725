"""Masking personal data for lists and logs: show enough to recognise, not enough to misuse."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """`350102199001011234` -> `350***********1234` (first 3 and last 4 kept)."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """`张三` -> `张*`, `欧阳娜娜` -> `欧***`."""
    return value[:1] + "*" * (len(value) - 1) if value else ""


def mask_phone(value: str) -> str:
    """`13812345678` -> `138****5678`."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
