"""Every `xiangli-kiosk` and `xiangli-hub` command line that README.md and docs/ show is one
their parsers accept, with its options where the documents put them.

Full command lines (after `$ `, `sudo ` or `.venv/bin/`) must parse as shown; a command named
in running text (`xiangli-hub new-epoch`) must exist. The hub's parser needs Django, which is
never configured in the pytest process, so the hub's lines are parsed in a child process.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import build_parser as kiosk_parser

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Placeholders in the documents, and a value of their kind.
PLACEHOLDERS = {"URL": "http://127.0.0.1:8700", "CASE_NO": "260301-K001-0001-42", "PW": "pw"}
FULL = re.compile(r"(?:^|\$ |sudo |\.venv/bin/)(xiangli-(?:kiosk|hub))((?: [^`#\n→]*)?)")
NAMED = re.compile(r"`(xiangli-(?:kiosk|hub))((?: [^`]*)?)`")
# Words after a program name in running text that are not a command (a log line quoted).
NOT_COMMANDS = {"listening"}


def _words(rest: str) -> list[str]:
    rest = rest.split("  ")[0].replace("…", "").strip()  # a comment after two spaces
    words = []
    for word in shlex.split(rest):
        word = PLACEHOLDERS.get(word.split("|")[0], word.split("|")[0])  # accept|complete|…
        if word and word != "...":
            words.append(word)
    return words


def documented() -> list[tuple[str, str, bool, list[str]]]:
    """(document, program, full command line?, argv) for every command shown."""
    found = []
    for doc in DOCS:
        for line in doc.read_text(encoding="utf-8").splitlines():
            full = [(m, True) for m in FULL.finditer(line) if not line.lstrip().startswith("`")]
            named = [(m, False) for m in NAMED.finditer(line)]
            for m, is_full in full or named:
                words = _words(m.group(2))
                if words and words[0] not in NOT_COMMANDS:
                    found.append((doc.name, m.group(1), is_full, words))
    return found


COMMANDS = documented()
_HUB_CHECK = """
import json, sys
from sync.hub.cli import _setup, build_parser
_setup()
out = []
for full, argv in json.load(sys.stdin):
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    if not full:
        out.append(argv[0] in commands)
        continue
    try:
        parser.parse_args(argv)
        out.append(True)
    except SystemExit as e:
        out.append(e.code == 0)
print(json.dumps(out))
"""


def test_the_documents_show_commands() -> None:
    shown = {(prog, words[0]) for _doc, prog, _full, words in COMMANDS}
    assert ("xiangli-kiosk", "sync") in shown and ("xiangli-hub", "serve") in shown


@pytest.mark.parametrize(
    ("doc", "argv", "full"),
    [(d, w, f) for d, p, f, w in COMMANDS if p == "xiangli-kiosk"],
    ids=lambda v: str(v),
)
def test_documented_kiosk_command_parses(doc: str, argv: list[str], full: bool) -> None:
    parser = kiosk_parser()
    if not full:
        commands = next(a for a in parser._actions if a.dest == "cmd").choices
        assert argv[0] in commands or argv[0].startswith("-"), f"{doc}: no command {argv[0]}"
        argv = argv if argv[0].startswith("-") else argv[:1]
        if argv[0] != "--version":
            return
    try:
        parser.parse_args(argv)
    except SystemExit as done:  # argparse's way of saying no (or of --version's yes)
        assert done.code == 0, f"{doc}: `xiangli-kiosk {' '.join(argv)}` is refused"


def test_documented_hub_commands_parse(tmp_path: Path) -> None:
    hub = [(doc, full, argv) for doc, prog, full, argv in COMMANDS if prog == "xiangli-hub"]
    assert hub
    r = subprocess.run(
        [sys.executable, "-c", _HUB_CHECK],
        input=json.dumps([[full, argv] for _doc, full, argv in hub]),
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"XIANGLI_HUB_DATA": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=True,
    )
    verdicts = json.loads(r.stdout.strip().splitlines()[-1])
    refused = [
        f"{doc}: xiangli-hub {' '.join(argv)}"
        for (doc, _f, argv), ok in zip(hub, verdicts, strict=True)
        if not ok
    ]
    assert not refused, refused
