"""Resident ID numbers (居民身份证号码, GB 11643): validation and masking.

Numbers starting 81/82/83 (Hong Kong, Macao, Taiwan residence permits) and the 2023 foreign
permanent resident card (starting 9) follow the same check-digit rule and are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.masking import mask_id_number
from domain.masking import mask_name as mask_name  # re-exported: one rule for kiosk and hub

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# First two digits of mainland province-level regions, plus permits (81-83) and foreigners (9x).
_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
    "97",
    "98",
    "99",
}


@dataclass(frozen=True)
class IdCheck:
    valid: bool
    reason: str = ""  # Chinese, fit to show a villager

    def __bool__(self) -> bool:
        return self.valid


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(number: str) -> str:
    return number.strip().replace(" ", "").upper()


def check(number: str) -> IdCheck:
    n = normalize(number)
    if len(n) != 18:
        return IdCheck(False, f"身份证号码应为18位，您输入了{len(n)}位")
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return IdCheck(False, "身份证号码前17位应为数字，最后一位为数字或X")
    if n[:2] not in _PROVINCES:
        return IdCheck(False, "身份证号码的地区代码不正确")
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return IdCheck(False, "身份证号码中的出生日期不存在")
    if born.year < 1900 or born > date.today():
        return IdCheck(False, "身份证号码中的出生日期不正确")
    if check_digit(n[:17]) != n[17]:
        return IdCheck(False, "身份证号码校验位不对，请核对后重新输入")
    return IdCheck(True)


def is_valid(number: str) -> bool:
    return check(number).valid


def sex_of(number: str) -> str:
    """'男' or '女' from the 17th digit (odd = male)."""
    return "男" if int(normalize(number)[16]) % 2 else "女"


def mask(number: str) -> str:
    """'350***********123X': the shared rule (domain.masking), on the normalised number."""
    return mask_id_number(normalize(number))
