"""Search the catalog by Chinese text, full pinyin or pinyin initials.

Elderly villagers type the way they can: 医疗保险, ``yiliaobaoxian`` (spaces and case do not
matter) or just the initials ``ylbx``. `CatalogIndex` converts every name, keyword and department
to pinyin once, when it is built (pypinyin is slow: ~tens of µs per phrase); a query is then only
plain substring tests over precomputed strings.

Ranking, best first:
  0 exact name  1 name prefix  2 name substring  3 initials prefix  4 initials substring
  5 keyword / department / category match  6 item code match
ties broken by shorter name, then code. Items are stored in that tie-break order, so each tier
comes out already sorted and the search stops at the first tier that fills `limit`.

A full-pinyin match must start at a syllable boundary (``bao`` finds 保险, ``ao`` does not).

The index is immutable once built: any thread may call `search`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from pypinyin import Style, pinyin

from kiosk.catalog import Catalog, ServiceItem

__all__ = ["CatalogIndex", "fold", "to_pinyin"]

# A separator that never survives `fold`, so no match can span two fields or two syllables.
_SEP = "\x01"
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_ALNUM_RUN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Normalise for matching: NFKC (full-width → half-width), lower case, only letters and digits
    (CJK counts as letters), so 'Ｙｉ Liao' → 'yiliao' and '（代办）' → '代办'."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ü", "v")
    return "".join(ch for ch in text if ch.isalnum())


@lru_cache(maxsize=8192)
def to_pinyin(text: str) -> tuple[str, ...]:
    """The syllables of `text`: han characters as toneless pinyin (ü as v), other letters and
    digits as whole lower-case words; punctuation dropped. '60周岁' → ('60', 'zhou', 'sui')."""
    syllables: list[str] = []
    for i, run in enumerate(_HAN_RUN.split(unicodedata.normalize("NFKC", text).lower())):
        if not run:
            continue
        if i % 2:  # a han run: convert as a whole so phrase context picks the right reading
            for (reading,) in pinyin(run, style=Style.NORMAL, heteronym=False):
                syllables.extend(_ALNUM_RUN.findall(reading.lower()))
        else:
            syllables.extend(_ALNUM_RUN.findall(run))
    return tuple(syllables)


def _suffixes(syllables: Sequence[str]) -> str:
    """Every suffix that starts at a syllable boundary, each preceded by _SEP: searching for
    _SEP + query then finds exactly the boundary-aligned substrings."""
    return "".join(_SEP + "".join(syllables[i:]) for i in range(len(syllables)))


def _initials(syllables: Iterable[str]) -> str:
    # Words of digits or Latin letters (e.g. '60', 'b' in B超) are kept whole.
    return "".join(s if s[0].isdigit() else s[0] for s in syllables)


class _PinyinPostings:
    """Which strings have a syllable starting with a given 1- or 2-letter key, so a full-pinyin
    query only tests the few strings that can match instead of scanning them all."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._suffixes: list[str] = []

    def add(self, idx: int, texts: Iterable[Sequence[str]]) -> None:
        """Add string `idx` (indexes must be added in ascending order), made of `texts`, each a
        sequence of syllables."""
        keys: set[str] = set()
        blob = []
        for syllables in texts:
            joined = "".join(syllables)
            at = 0
            for syllable in syllables:
                keys.add(joined[at : at + 1])
                keys.add(joined[at : at + 2])
                at += len(syllable)
            blob.append(_suffixes(syllables))
        for key in keys:
            self._postings.setdefault(key, []).append(idx)
        self._suffixes.append("".join(blob))

    def matches(self, q: str) -> list[int]:
        """Ascending indexes of the strings where `q` occurs starting at a syllable boundary."""
        candidates = self._postings.get(q[:2], [])
        if len(q) <= 2:
            return candidates
        bq, suffixes = _SEP + q, self._suffixes
        return [i for i in candidates if bq in suffixes[i]]


class CatalogIndex:
    """A search index over one catalog; build it once when the catalog is (re)loaded."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        items = sorted(catalog.items, key=lambda it: (len(it.name), it.code))
        self._items: tuple[ServiceItem, ...] = tuple(items)
        names, name_py, name_ini, extra_zh, extra_ini, codes = [], [], [], [], [], []
        self._name_postings = _PinyinPostings()
        self._extra_postings = _PinyinPostings()
        self._exact: dict[str, list[int]] = {}
        for idx, item in enumerate(items):
            name = fold(item.name)
            syl = to_pinyin(item.name)
            names.append(name)
            name_py.append("".join(syl))
            name_ini.append(_initials(syl))
            self._name_postings.add(idx, [syl])
            for key in {name, "".join(syl)}:
                if key:
                    self._exact.setdefault(key, []).append(idx)
            category = catalog.category(item.category).name
            extra = (*item.keywords, item.department, category)
            extra_syl = [to_pinyin(t) for t in extra]
            extra_zh.append(_SEP.join(fold(t) for t in extra))
            extra_ini.append(_SEP.join(_initials(s) for s in extra_syl if s))
            self._extra_postings.add(idx, extra_syl)
            codes.append(fold(item.code))
        self._names = tuple(names)
        self._name_py = tuple(name_py)
        self._name_ini = tuple(name_ini)
        self._extra_zh = tuple(extra_zh)
        self._extra_ini = tuple(extra_ini)
        self._codes = tuple(codes)

    def __len__(self) -> int:
        return len(self._items)

    def search(self, query: str, limit: int | None = 20) -> list[ServiceItem]:
        """Items matching `query`, best first, at most `limit` (None: all). Never raises on
        any text; an empty or unmatched query gives []."""
        q = fold(query) if isinstance(query, str) else ""
        if not q or (limit is not None and limit <= 0):
            return []
        found: list[int] = []
        seen: set[int] = set()
        for tier in self._ascii_tiers(q) if q.isascii() else self._cjk_tiers(q):
            for idx in tier:
                if idx not in seen:
                    seen.add(idx)
                    found.append(idx)
            if limit is not None and len(found) >= limit:
                break
        return [self._items[i] for i in found[:limit]]

    # The tiers are generators so a later tier is only computed when the earlier ones did not
    # fill the page. Each full pass is one comprehension over short strings (~0.3 ms for 5,000
    # items); a tier that is a subset of a later one is derived from it, not scanned again.

    def _cjk_tiers(self, q: str) -> Iterator[Iterable[int]]:
        names = self._names
        yield self._exact.get(q, ())
        in_name = [i for i, s in enumerate(names) if q in s]
        yield [i for i in in_name if names[i].startswith(q)]
        yield in_name
        yield [i for i, s in enumerate(self._extra_zh) if q in s]

    def _ascii_tiers(self, q: str) -> Iterator[Iterable[int]]:
        py, ini = self._name_py, self._name_ini
        yield self._exact.get(q, ())
        in_py = self._name_postings.matches(q)
        yield [i for i in in_py if py[i].startswith(q)]
        yield in_py
        in_ini = [i for i, s in enumerate(ini) if q in s]
        yield [i for i in in_ini if ini[i].startswith(q)]
        yield in_ini
        in_extra = set(self._extra_postings.matches(q))
        in_extra.update(i for i, s in enumerate(self._extra_ini) if q in s)
        yield sorted(in_extra)
        if q.isdigit():
            yield [i for i, s in enumerate(self._codes) if q in s]
