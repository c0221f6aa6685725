"""Reading a .deb's control fields without dpkg (the hub may run elsewhere): the ar archive's
control.tar.{gz,xz,bz2} (or .zst, through the zstd command), then its `control` file.

The admin uses it to check an upload against its manifest and to learn which runtime an app
release depends on.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from typing import IO

AR_MAGIC = b"!<arch>\n"
RUNTIME_DEP = re.compile(r"^\s*([a-z0-9][a-z0-9.+-]*)\s*\(\s*=\s*([^)\s]+)\s*\)\s*$")


class NotADeb(ValueError):
    pass


def _members(handle: IO[bytes]) -> dict[str, bytes]:
    handle.seek(0)
    if handle.read(8) != AR_MAGIC:
        raise NotADeb("not an ar archive")
    found: dict[str, bytes] = {}
    while len(found) < 3:
        header = handle.read(60)
        if len(header) < 60:
            break
        name = header[:16].decode("ascii", "replace").strip().rstrip("/")
        try:
            size = int(header[48:58].decode("ascii").strip())
        except ValueError:
            raise NotADeb("bad ar header") from None
        if name.startswith("control.tar"):
            found[name] = handle.read(size)
        else:
            found[name] = b""
            handle.seek(size, io.SEEK_CUR)
        if size % 2:
            handle.seek(1, io.SEEK_CUR)
    return found


def control_fields(handle: IO[bytes]) -> dict[str, str]:
    """The fields of the .deb's control file (continuation lines joined)."""
    members = _members(handle)
    if "debian-binary" not in members:
        raise NotADeb("no debian-binary member")
    name = next((n for n in members if n.startswith("control.tar")), "")
    data = members.get(name, b"")
    if name.endswith(".zst"):
        try:
            data = subprocess.run(
                ["zstd", "-dc"], input=data, capture_output=True, check=True, timeout=60
            ).stdout
        except (OSError, subprocess.SubprocessError) as err:
            raise NotADeb(f"control.tar.zst unreadable: {err}") from None
        name = "control.tar"
    if not name:
        raise NotADeb("no control archive")
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            member = next(m for m in tar if m.name.lstrip("./") == "control")
            extracted = tar.extractfile(member)
            text = extracted.read().decode("utf-8") if extracted else ""
    except (tarfile.TarError, StopIteration, UnicodeDecodeError) as err:
        raise NotADeb(f"control unreadable: {err}") from None
    fields: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and key:
            fields[key] += "\n" + line.strip()
        elif ":" in line:
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    return fields


def exact_dependency(fields: dict[str, str], package: str) -> str | None:
    """The version V of a `package (= V)` in Depends, if there is one."""
    for part in fields.get("Depends", "").split(","):
        match = RUNTIME_DEP.match(part)
        if match and match.group(1) == package:
            return match.group(2)
    return None
