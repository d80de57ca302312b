"""How long each session notebook takes under strict nbval, as `make test` runs it.

Each repetition is one pytest process running strict nbval (60 s cell timeout) over
the five session notebooks and an empty notebook, against an empty temporary answer
store. A small plugin (``_nbtimer``) times each notebook file from its first cell's
setup (the kernel starts there) to its last cell's teardown (the kernel stops). The
empty notebook is the baseline: what starting and stopping a kernel costs alone.

Targets (issue: speed and stability): each notebook under 15 s and all five under
45 s on this 2-core machine. Run alone: ``python benchmarks/bench_notebooks.py
[--reps N]``; ``make bench`` takes its :func:`rows`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0
TARGET_TOTAL = 45.0
EMPTY = "empty_baseline.ipynb"


def session_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))


def run_once(notebooks: list[Path], empty: Path) -> tuple[dict[str, float], dict[str, int], float]:
    """One pytest process over ``notebooks`` and ``empty``.

    Returns seconds per file, failed cells per file, and the process's wall time. A
    cell whose output differs from the committed one still ran in full, so its
    notebook's time stands; the failures are reported beside it.
    """
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as tmp:
        out = Path(tmp) / "times.json"
        store = Path(tmp) / "store"
        store.mkdir()
        env = {
            **os.environ,
            "PARTNERSHIP_DATA_DIR": str(store),
            "PARTNERSHIP_NBTIMER_OUT": str(out),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH")) if p
            ),
        }
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable, "-m", "pytest", "-q", "-p", "_nbtimer",
                "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
                "--nbval", "--nbval-current-env",
                "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
                "--nbval-cell-timeout=60", "-p", "no:cacheprovider",
                *map(str, notebooks), str(empty),
            ],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        wall = time.perf_counter() - start
        result = json.loads(out.read_text()) if out.exists() else None
    if result is None or set(result["seconds"]) != {nb.name for nb in [*notebooks, empty]}:
        tail = "\n".join(done.stdout.splitlines()[-15:])
        raise RuntimeError(f"nbval did not run every notebook:\n{tail}")
    return result["seconds"], result["failed"], wall


def empty_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / EMPTY
    nbformat.write(nb, path)
    return path


def measure(reps: int, warmup: int = 1) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Seconds per notebook (the empty one and the pytest wall time too) per rep, and
    the most cells that failed strict nbval in any one rep, per notebook."""
    notebooks = session_notebooks()
    times: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-nb-empty-") as folder:
        empty = empty_notebook(Path(folder))
        for i in range(warmup + reps):
            seconds, fails, wall = run_once(notebooks, empty)
            for name, n in fails.items():
                failed[name] = max(failed.get(name, 0), n)
            if i < warmup:
                continue
            for name, value in seconds.items():
                times.setdefault(name, []).append(value)
            times.setdefault("(pytest wall)", []).append(wall)
    return times, failed


def rows(quick: bool = False) -> list[Row]:
    reps, warmup = (2, 0) if quick else (20, 1)
    times, failed = measure(reps, warmup)
    empty = times[EMPTY]
    names = [nb.name for nb in session_notebooks()]
    out = [
        make_row(
            f"Notebook {name.removesuffix('.ipynb')}",
            times[name],
            baseline="empty notebook under nbval",
            baseline_times=empty,
            target=f"< {TARGET_SECONDS:.0f} s",
            note="strict nbval, one kernel start included"
            + (
                f"; {failed[name]} cell(s) failed nbval (outputs differ from the committed "
                "ones; every cell still ran)"
                if failed.get(name)
                else ""
            ),
        )
        for name in names
    ]
    totals = [sum(times[name][i] for name in names) for i in range(len(empty))]
    out.append(
        make_row(
            f"Notebooks: all {len(names)} (sum per run)",
            totals,
            baseline=f"{len(names)} x empty notebook",
            baseline_times=[len(names) * e for e in empty],
            target=f"< {TARGET_TOTAL:.0f} s",
            note="pytest wall time per run (one process, plus the empty one): "
            f"median {statistics.median(times['(pytest wall)']):.1f} s",
        )
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two runs, no warm-up")
    args = parser.parse_args(argv)
    from run import print_table

    result = rows(args.quick)
    print_table(result)
    return 0 if all(r.median < TARGET_SECONDS for r in result[:-1]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
