"""Masking personal data for the admin's lists and logs: the shared rule of `domain.masking`
(王*英, 350***********123X, 138****5678), so a slip, a kiosk screen and the county's lists
show a person the same way."""

from __future__ import annotations

from domain.masking import mask_id_number, mask_name, mask_phone

__all__ = ["mask_id_number", "mask_name", "mask_phone"]
