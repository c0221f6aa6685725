"""The kiosk's data folder is the kiosk user's alone.

It holds the database (villagers' names, ID numbers, phones; the kiosk's private key), the
material photos, the county secret and the backup key. `seal(folder)` sets the process umask
to 077, so whatever the kiosk creates from then on is 0600 (files) or 0700 (folders), and
tightens what an earlier version left readable: the folder and every folder under it 0700,
every file 0600. Call it once at start, before the store opens. Nothing here logs a path's
contents.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

UMASK = 0o077


def seal(folder: Path | str) -> int:
    """umask 077, then tighten the folder's tree; returns how many modes it changed."""
    os.umask(UMASK)
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    changed = 0
    for here, dirs, files in os.walk(root):
        for name, mode in [(here, 0o700)] + [(os.path.join(here, f), 0o600) for f in files]:
            try:
                st = os.lstat(name)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                continue
            wanted = (stat.S_IMODE(st.st_mode) & ~0o077) | (mode & 0o700)
            if stat.S_IMODE(st.st_mode) != wanted:
                os.chmod(name, wanted)
                changed += 1
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(here, d))]
    return changed
