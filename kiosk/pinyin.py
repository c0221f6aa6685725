"""Pinyin readings for the catalog search, worked out in a short-lived child process and cached.

pypinyin reads a word right only with its phrase tables (调解 is "tiao jie", not "diao jie"),
and once loaded they hold ~45 MB for the life of the process: about a third of the kiosk's
memory budget. A reading depends only on the text, and the catalog changes a few times a year,
so the kiosk never loads pypinyin itself. `PinyinCache` keeps the readings of the current
catalog's texts in a small JSON file next to the store and asks a child process
(`python -m kiosk.pinyin`, texts as JSON on stdin, readings as JSON on stdout) only for the texts
it lacks; the child's memory goes back to the system when it exits.

The file records the pypinyin version that made it; readings of another version are worked out
again. If the child cannot run, the readings are worked out in this process and that is logged:
a search that finds the right items matters more than memory.

Run as a program, this module is the child.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kiosk.search import to_pinyin

__all__ = ["PinyinCache", "Readings", "convert", "convert_in_child", "reader_version"]

log = logging.getLogger(__name__)

Readings = dict[str, tuple[str, ...]]

CHILD_TIMEOUT_S = 120.0


def reader_version() -> str:
    """Which pypinyin makes the readings (read from its metadata, without importing it)."""
    from importlib import metadata  # ~30 ms: when the readings are read, after the first frame

    try:
        return f"pypinyin {metadata.version('pypinyin')}"
    except metadata.PackageNotFoundError:
        return "pypinyin ?"


def convert(texts: Iterable[str]) -> Readings:
    """The readings of `texts`, worked out in this process (loads pypinyin's tables)."""
    return {t: to_pinyin(t) for t in texts}


def convert_in_child(texts: Sequence[str], timeout: float = CHILD_TIMEOUT_S) -> Readings:
    """The readings of `texts`, worked out by a child process. Raises OSError,
    subprocess.SubprocessError or ValueError when the child fails or answers nonsense."""
    import subprocess  # when the readings are worked out, after the first frame

    # The child must find this very package, however this process found it.
    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.pinyin"],
        input=json.dumps(list(texts), ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=True,
        env=env,
    )
    answer = json.loads(done.stdout)
    if not isinstance(answer, dict) or set(answer) != set(texts):
        raise ValueError("the pinyin child answered for other texts than it was asked")
    return {t: _split(answer[t]) for t in texts}


def _split(reading: object) -> tuple[str, ...]:
    if not isinstance(reading, str):
        raise ValueError(f"not a reading: {reading!r}")
    return tuple(reading.split())


class PinyinCache:
    """The readings of the current catalog's texts, kept in a file; any thread may ask."""

    def __init__(
        self, path: Path, convert: Callable[[Sequence[str]], Readings] = convert_in_child
    ) -> None:
        self.path = path
        self._convert = convert
        self._lock = threading.Lock()

    def readings(self, texts: Iterable[str]) -> Readings:
        """The readings of `texts`. The file is left holding exactly these texts (the current
        catalog's), so it never grows with catalogs long replaced."""
        wanted = set(texts)
        with self._lock:
            known = self._load()
            missing = sorted(wanted - known.keys())
            if missing:
                import subprocess

                try:
                    known.update(self._convert(missing))
                except (OSError, subprocess.SubprocessError, ValueError) as e:
                    log.warning(
                        "pinyin child failed (%s); %d readings worked out in this process",
                        type(e).__name__,
                        len(missing),
                    )
                    known.update(convert(missing))
            got = {t: known[t] for t in wanted}
            if missing or len(known) != len(wanted):
                self._save(got)
            return got

    def _load(self) -> Readings:
        try:
            data = json.loads(self.path.read_bytes())
            if data["reader"] != reader_version():
                return {}
            return {t: _split(r) for t, r in data["readings"].items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:
            log.warning("pinyin cache %s unreadable (%s); working it out again", self.path, e)
            return {}

    def _save(self, readings: Readings) -> None:
        data = {
            "reader": reader_version(),
            "readings": {t: " ".join(r) for t, r in sorted(readings.items())},
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0), "utf-8")
            os.replace(tmp, self.path)  # a crash leaves the old file or the new, never half
        except OSError as e:  # a full disk: the search works all the same, from memory
            log.warning("pinyin cache %s not saved: %s", self.path, e)


def _child() -> None:
    texts = json.loads(sys.stdin.buffer.read())
    readings = {t: " ".join(r) for t, r in convert(texts).items()}
    sys.stdout.buffer.write(json.dumps(readings, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    _child()
