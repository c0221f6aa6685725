"""The 12-digit administrative division code (行政区划代码, as in the statistical division codes:
2 province + 2 prefecture + 2 county + 3 town + 3 village digits) of the place a rating was
given, from the codes the county entered for its villages and towns.

Counties enter village codes in whatever form their lists have: the whole 12 digits
(350999101201), the town and village parts (101201), or the village part alone (201) under a
town whose code is known; full-width digits, spaces and dashes included. Codes of a higher level
are padded on the right with zeros (a town: 350999101000; the county: 350999000000), never on
the left. What cannot be made into 12 digits of this county raises `RegionError` (Chinese).
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"\d+")


class RegionError(ValueError):
    """The code cannot be turned into this county's 12-digit division code (message Chinese)."""


def _digits(code: str) -> str:
    text = unicodedata.normalize("NFKC", code or "")
    text = re.sub(r"[\s\-－—_]", "", text)
    if text and not _DIGITS.fullmatch(text):
        raise RegionError(f"代码“{code.strip()}”含有数字以外的字符")
    return text


def county_prefix(county_code: str) -> str:
    """The county's 6 digits from its code (6 digits, or 12 ending in six zeros)."""
    digits = _digits(county_code)
    if len(digits) == 12 and digits.endswith("000000"):
        digits = digits[:6]
    if len(digits) != 6 or digits.endswith("00"):
        raise RegionError(f"县级行政区划代码“{county_code.strip()}”应为6位（如350999）")
    return digits


def town_prefix(town_code: str, county: str) -> str:
    """The town's 9 digits: a 12-digit code ending in 000, 9 digits, or the 3-digit town part."""
    digits = _digits(town_code)
    if len(digits) == 12 and digits.endswith("000"):
        digits = digits[:9]
    elif len(digits) == 3:
        digits = county + digits
    if len(digits) != 9 or digits.endswith("000"):
        raise RegionError(f"乡镇代码“{town_code.strip()}”无法换算为9位乡镇级代码")
    if not digits.startswith(county):
        raise RegionError(f"乡镇代码“{town_code.strip()}”不属于本县（{county}）")
    return digits


def region_code(village_code: str, town_code: str, county_code: str) -> str:
    """The village's 12-digit code; the town's (…000) when the village has none, the
    county's (…000000) when neither is known."""
    county = county_prefix(county_code)
    village = _digits(village_code)
    if not village:
        if not _digits(town_code):
            return county + "000000"
        return town_prefix(town_code, county) + "000"
    if len(village) == 12:
        code = village
    elif len(village) == 6:  # the town's 3 digits and the village's 3
        code = county + village
    elif len(village) == 3:
        code = town_prefix(town_code, county) + village
    else:
        raise RegionError(f"村代码“{village_code.strip()}”应为12位、6位或3位数字")
    if not code.startswith(county):
        raise RegionError(f"村代码“{village_code.strip()}”不属于本县（{county}）")
    if code[6:9] == "000" or code[9:] == "000":
        raise RegionError(f"村代码“{village_code.strip()}”不是村级代码")
    if _digits(town_code) and len(village) != 3:
        town = town_prefix(town_code, county)
        if not code.startswith(town):
            raise RegionError(f"村代码“{village_code.strip()}”与所属乡镇代码不一致")
    return code
