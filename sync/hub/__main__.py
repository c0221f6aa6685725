"""`python -m sync.hub ...` is the same as the `xiangli-hub` console script."""

from __future__ import annotations

from sync.hub.cli import main

raise SystemExit(main())
