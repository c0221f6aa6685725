"""Search the catalog by Chinese text, full pinyin or pinyin initials.

Elderly villagers type the way they can: 医疗保险, ``yiliaobaoxian`` (spaces and case do not
matter) or just the initials ``ylbx``. `CatalogIndex` converts every name, keyword and department
to pinyin once, when it is built (pypinyin is slow: ~tens of µs per phrase), together with
postings from short keys to the items having them; a query is then a few dict lookups and
substring tests over the candidates only, never a scan of the whole catalog (but the item code).

Ranking, best first:
  0 exact name  1 name prefix  2 name substring  3 initials prefix  4 initials substring
  5 keyword / department / category match  6 item code match
ties broken by shorter name, then code. Items are stored in that tie-break order, so each tier
comes out already sorted and the search stops at the first tier that fills `limit`.

A full-pinyin match must start at a syllable boundary (``bao`` finds 保险, ``ao`` does not).

The kiosk builds it from readings cached by `kiosk.pinyin` (worked out in a child process, so
pypinyin's tables never load into the kiosk); without them it reads with `to_pinyin` here.

The index is immutable once built: any thread may call `search`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import accumulate

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
            # Imported here: pypinyin's phrase tables take ~0.3 s to load, which must not
            # delay the kiosk's first screen (the index is built off the GUI thread).
            from pypinyin import Style, pinyin

            for (reading,) in pinyin(run, style=Style.NORMAL, heteronym=False):
                syllables.extend(_ALNUM_RUN.findall(reading.lower()))
        else:
            syllables.extend(_ALNUM_RUN.findall(run))
    return tuple(syllables)


def _initials(syllables: Iterable[str]) -> str:
    # A number stays whole ('60周岁' → '60zs'); any other word gives its first letter.
    return "".join(s if s[0].isdigit() else s[0] for s in syllables)


class _Substrings:
    """Finds which of many short strings contain a query, without scanning them all.

    Each string is added as token sequences (pinyin syllables, or single characters for Chinese
    text and initials). A match must start at a token boundary. Postings map the 1- to KEY-character
    keys starting at each boundary to the strings having them, so a query of up to KEY characters
    is one dict lookup; a longer one is verified against only the strings having its first KEY
    characters, in a blob of the suffixes starting at boundaries, each preceded by _SEP.
    """

    # 4 covers most pinyin syllables, so a syllable-long query needs no verification.
    KEY = 4

    def __init__(self, memo: bool = False) -> None:
        self._postings: dict[str, list[int]] = {}
        self._suffixes: list[str] = []
        # Texts that repeat across items (keywords) have their keys worked out once; only while
        # building, as the memo costs more memory than the index itself.
        self._memo: dict[Sequence[str], tuple[frozenset[str], str]] | None = {} if memo else None

    def _keys_and_blob(self, tokens: Sequence[str]) -> tuple[frozenset[str], str]:
        memo = self._memo
        hit = memo.get(tokens) if memo is not None else None
        if hit is None:
            joined = "".join(tokens)
            starts = list(accumulate(map(len, tokens), initial=0))[:-1]
            keys = frozenset(joined[i : i + n] for i in starts for n in range(1, self.KEY + 1))
            hit = (keys, "".join(_SEP + joined[i:] for i in starts))
            if memo is not None:
                memo[tokens] = hit
        return hit

    def done(self) -> None:
        """Building is over: drop the memo."""
        self._memo = None

    def add(self, idx: int, texts: Iterable[Sequence[str]]) -> None:
        """Add string `idx` (ids must be added as 0, 1, 2, …), made of `texts` (hashable
        sequences of tokens: str or tuple)."""
        assert idx == len(self._suffixes)
        keys: set[str] = set()
        blob = []
        for tokens in texts:
            text_keys, text_blob = self._keys_and_blob(tokens)
            keys |= text_keys
            blob.append(text_blob)
        postings = self._postings
        for key in keys:
            if key in postings:
                postings[key].append(idx)
            else:
                postings[key] = [idx]
        self._suffixes.append("".join(blob))

    def matches(self, q: str) -> list[int]:
        """Ascending ids of the strings where `q` occurs starting at a token boundary."""
        candidates = self._postings.get(q[: self.KEY], [])
        if len(q) <= self.KEY:
            return candidates
        bq, suffixes = _SEP + q, self._suffixes
        return [i for i in candidates if bq in suffixes[i]]


Reader = Callable[[str], tuple[str, ...]]


class _Field:
    """One searchable field as Chinese characters, pinyin syllables and initials."""

    def __init__(self, reader: Reader, memo: bool = False) -> None:
        self._read = reader
        self.zh, self.pinyin, self.initials = (_Substrings(memo) for _ in range(3))

    def done(self) -> None:
        for part in (self.zh, self.pinyin, self.initials):
            part.done()

    def add(self, idx: int, texts: Sequence[str]) -> None:
        syllables = [self._read(t) for t in texts]
        self.zh.add(idx, [fold(t) for t in texts])
        self.pinyin.add(idx, syllables)
        self.initials.add(idx, [_initials(s) for s in syllables if s])

    def matches(self, q: str) -> list[int]:
        if q.isascii():
            return _union(self.pinyin.matches(q), self.initials.matches(q))
        return self.zh.matches(q)


def _union(*lists: list[int]) -> list[int]:
    """The union of ascending lists, ascending."""
    non_empty = [x for x in lists if x]
    if len(non_empty) <= 1:
        return non_empty[0] if non_empty else []
    return sorted(set().union(*non_empty))


class CatalogIndex:
    """A search index over one catalog; build it once when the catalog is (re)loaded."""

    def __init__(
        self, catalog: Catalog, readings: Mapping[str, tuple[str, ...]] | None = None
    ) -> None:
        """`readings`: the pinyin of `texts(catalog)`, worked out elsewhere; a text it lacks
        is read here."""

        def read(text: str) -> tuple[str, ...]:
            known = readings.get(text) if readings is not None else None
            return known if known is not None else to_pinyin(text)

        self.catalog = catalog
        items = sorted(catalog.items, key=lambda it: (len(it.name), it.code))
        self._items: tuple[ServiceItem, ...] = tuple(items)
        self._name = _Field(read)
        self._keywords = _Field(read, memo=True)
        # Departments and category names repeat across many items: index each once.
        self._shared = _Field(read)
        self._shared_items: list[list[int]] = []
        shared_ids: dict[str, int] = {}
        self._exact: dict[str, list[int]] = {}
        names, name_py, name_ini, codes = [], [], [], []
        for idx, item in enumerate(items):
            name, syllables = fold(item.name), read(item.name)
            names.append(name)
            name_py.append("".join(syllables))
            name_ini.append(_initials(syllables) if syllables else "")
            self._name.add(idx, [item.name])
            for key in {name, name_py[-1]}:
                if key:
                    self._exact.setdefault(key, []).append(idx)
            self._keywords.add(idx, item.keywords)
            for text in (item.department, catalog.category(item.category).name):
                if text not in shared_ids:
                    shared_ids[text] = len(shared_ids)
                    self._shared.add(shared_ids[text], [text])
                    self._shared_items.append([])
                items_of = self._shared_items[shared_ids[text]]
                if not items_of or items_of[-1] != idx:
                    items_of.append(idx)
            codes.append(fold(item.code))
        self._keywords.done()
        self._names = tuple(names)
        self._name_py = tuple(name_py)
        self._name_ini = tuple(name_ini)
        self._codes = tuple(codes)

    @staticmethod
    def texts(catalog: Catalog) -> set[str]:
        """Every text whose pinyin the index needs: names, keywords, departments, categories."""
        out: set[str] = set()
        for item in catalog.items:
            out.add(item.name)
            out.update(item.keywords)
            out.add(item.department)
            out.add(catalog.category(item.category).name)
        return out

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
    # fill the page; a tier that is a subset of a later one is derived from it. Items are stored
    # in tie-break order, so every tier comes out sorted.

    def _cjk_tiers(self, q: str) -> Iterator[Iterable[int]]:
        names = self._names
        yield self._exact.get(q, ())
        in_name = self._name.zh.matches(q)
        yield [i for i in in_name if names[i].startswith(q)]
        yield in_name
        yield self._extra(q)

    def _ascii_tiers(self, q: str) -> Iterator[Iterable[int]]:
        py, ini = self._name_py, self._name_ini
        yield self._exact.get(q, ())
        in_py = self._name.pinyin.matches(q)
        yield [i for i in in_py if py[i].startswith(q)]
        yield in_py
        in_ini = self._name.initials.matches(q)
        yield [i for i in in_ini if ini[i].startswith(q)]
        yield in_ini
        yield self._extra(q)
        if q.isdigit():
            yield [i for i, s in enumerate(self._codes) if q in s]

    def _extra(self, q: str) -> list[int]:
        """Items whose keywords, department or category name match."""
        shared = [self._shared_items[t] for t in self._shared.matches(q)]
        return _union(self._keywords.matches(q), *shared)
