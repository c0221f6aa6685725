"""The 256-byte text block of a second-generation resident ID card, and `CardData`.

Layout (UCS-2 little-endian, padded with spaces): name 30, sex 2, ethnicity 4, birth 16,
address 70, ID number 36, authority 30, valid-from 16, valid-to 16 (date or 长期), reserved 36.
A block that is not exactly right raises `CardReadError`: the ID number's check digit, and its
agreement with birth date and sex, are verified, so a garbled read never yields a wrong person.

`CardData`'s repr masks name, ID number and address: it may end up in a log line.
Pure; any thread may call these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from domain.masking import mask_id_number as mask_id
from domain.masking import mask_name
from drivers.idcard.base import CardReadError

BLOCK_LEN = 256
# (field, length in bytes), in order.
LAYOUT = (
    ("name", 30),
    ("sex", 2),
    ("ethnicity", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_to", 16),
    ("reserved", 36),
)
LONG_TERM = "长期"

_ETHNIC = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
ETHNICITIES: dict[str, str] = {f"{i:02d}": n for i, n in enumerate(_ETHNIC, 1)}
ETHNICITIES.update({"97": "其他", "98": "外国血统中国籍人士"})
_ETHNIC_CODE = {n: c for c, n in ETHNICITIES.items()}
SEXES = {"1": "男", "2": "女"}
_SEX_CODE = {n: c for c, n in SEXES.items()}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def valid_id_number(number: str) -> bool:
    return (
        len(number) == 18
        and number[:17].isdigit()
        and number[:17].isascii()
        and number[17] == check_digit(number[:17])
    )


@dataclass(frozen=True, repr=False)
class CardData:
    name: str
    sex: str  # 男 / 女
    ethnicity: str  # 汉, 蒙古, ... as printed on the card
    birth_date: date
    address: str
    id_number: str
    authority: str
    valid_from: date
    valid_to: date | None  # None = 长期 (no expiry)
    photo: bytes = b""  # the 1024-byte WLT block as read; decoding it needs the vendor library

    def __repr__(self) -> str:
        return (
            f"CardData(name={mask_name(self.name)!r}, sex={self.sex!r}, "
            f"id_number={mask_id(self.id_number)!r}, address={self.address[:3] + '***'!r}, "
            f"valid_to={self.valid_to.isoformat() if self.valid_to else LONG_TERM!r}, "
            f"photo={len(self.photo)} bytes)"
        )

    __str__ = __repr__

    def to_dict(self, masked: bool = True) -> dict[str, str | None]:
        """JSON-ready fields; masked unless asked otherwise (the photo is left out)."""
        d = asdict(self)
        d.pop("photo")
        out = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in d.items()}
        if out["valid_to"] is None:
            out["valid_to"] = LONG_TERM
        if masked:
            out["name"] = mask_name(self.name)
            out["id_number"] = mask_id(self.id_number)
            out["address"] = self.address[:3] + "***"
            out["birth_date"] = self.birth_date.isoformat()[:4] + "-**-**"
        return out


def _date(text: str, what: str) -> date:
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        raise CardReadError(f"身份证{what}读取有误，请重新放置身份证。", "bad_field")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise CardReadError(f"身份证{what}读取有误，请重新放置身份证。", "bad_field") from None


def _fields(block: bytes) -> dict[str, str]:
    if len(block) != BLOCK_LEN:
        raise CardReadError(
            f"身份证信息长度不对（{len(block)}字节，应为{BLOCK_LEN}字节），请重新放置身份证。",
            "bad_length",
        )
    out, pos = {}, 0
    for name, n in LAYOUT:
        try:
            text = block[pos : pos + n].decode("utf-16-le")
        except UnicodeDecodeError:
            raise CardReadError("身份证信息无法识别，请重新放置身份证。", "bad_encoding") from None
        out[name] = text.strip(" \x00\u3000")
        pos += n
    return out


def parse_text_block(block: bytes) -> CardData:
    f = _fields(bytes(block))
    sex = SEXES.get(f["sex"])
    if sex is None:
        raise CardReadError("身份证性别读取有误，请重新放置身份证。", "bad_field")
    ethnicity = ETHNICITIES.get(f["ethnicity"])
    if ethnicity is None:
        raise CardReadError("身份证民族读取有误，请重新放置身份证。", "bad_field")
    number = f["id_number"].upper()
    if not valid_id_number(number):
        raise CardReadError("身份证号码校验不通过，请重新放置身份证。", "bad_id_number")
    birth = _date(f["birth"], "出生日期")
    if number[6:14] != f["birth"]:
        raise CardReadError("身份证号码与出生日期不一致，请重新放置身份证。", "inconsistent")
    if (int(number[16]) % 2 == 1) != (sex == "男"):
        raise CardReadError("身份证号码与性别不一致，请重新放置身份证。", "inconsistent")
    if not f["name"] or any(ord(c) < 0x20 for c in f["name"] + f["address"]):
        raise CardReadError("身份证姓名读取有误，请重新放置身份证。", "bad_field")
    valid_from = _date(f["valid_from"], "有效期")
    valid_to = None if f["valid_to"] == LONG_TERM else _date(f["valid_to"], "有效期")
    return CardData(
        name=f["name"],
        sex=sex,
        ethnicity=ethnicity,
        birth_date=birth,
        address=f["address"],
        id_number=number,
        authority=f["authority"],
        valid_from=valid_from,
        valid_to=valid_to,
    )


def _ymd(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def build_text_block(card: CardData) -> bytes:
    """The inverse of `parse_text_block` (for the simulator and tests)."""
    values = {
        "name": card.name,
        "sex": _SEX_CODE[card.sex],
        "ethnicity": _ETHNIC_CODE[card.ethnicity],
        "birth": _ymd(card.birth_date),
        "address": card.address,
        "id_number": card.id_number,
        "authority": card.authority,
        "valid_from": _ymd(card.valid_from),
        "valid_to": _ymd(card.valid_to) if card.valid_to else LONG_TERM,
        "reserved": "",
    }
    out = bytearray()
    for name, n in LAYOUT:
        raw = values[name].encode("utf-16-le")
        if len(raw) > n:
            raise ValueError(f"{name} is longer than {n // 2} characters")
        out += raw + " ".encode("utf-16-le") * ((n - len(raw)) // 2)
    return bytes(out)
