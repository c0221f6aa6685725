"""The lab's report: one line per scenario (PASS or FAIL with its figures), then the run's
figures, written to OUT/report.txt next to the screenshots and logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lab import SCENARIOS


def _figures(d: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in d.items())


def write_report(
    out: Path, results: dict[str, dict], figures: dict[str, Any], total_s: float
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    per = figures.get("scenarios", {})
    lines = []
    for name in [s for s in SCENARIOS if s in results] + [s for s in results if s not in SCENARIOS]:
        r = results[name]
        word = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[r["outcome"]]
        line = f"{word} {name}: {_figures(per.get(name, {}))}"
        if r["why"] and word != "PASS":
            line += f" | {r['why']}"
        lines.append(line)
    run = {k: v for k, v in figures.items() if k != "scenarios"}
    lines.append(f"run: total_s={round(total_s)}, {_figures(run)}")
    path = out / "report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    return path
