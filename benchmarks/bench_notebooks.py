"""How long each notebook takes under strict nbval, as `make test` runs it.

Each notebook runs in its own pytest process against an empty temporary answer store,
``--repeat`` times; the table shows the median and min-max wall time per notebook and
the total of the medians. Targets (issue: session notebooks): each under 15 s on a
2-core machine. Run: ``python benchmarks/bench_notebooks.py [--repeat N] [NOTEBOOK ...]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0


def run_once(notebook: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as store:
        env = {**os.environ, "PARTNERSHIP_DATA_DIR": store}
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env",
                "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
                "--nbval-cell-timeout=60", "-p", "no:cacheprovider", str(notebook),
            ],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-15:])
        raise SystemExit(f"{notebook.name} failed under nbval:\n{tail}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0.0
    worst_ok = True
    print(f"{'notebook':<36} {'median':>8} {'min-max':>15}  target {TARGET_SECONDS:.0f} s")
    for nb in notebooks:
        times = [run_once(nb) for _ in range(args.repeat)]
        median = statistics.median(times)
        total += median
        ok = median < TARGET_SECONDS
        worst_ok &= ok
        print(
            f"{nb.name:<36} {median:7.1f}s {min(times):6.1f}-{max(times):5.1f} s  "
            f"{'ok' if ok else 'OVER'}"
        )
    print(f"{'total of medians':<36} {total:7.1f}s")
    return 0 if worst_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
