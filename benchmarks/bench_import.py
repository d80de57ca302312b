"""What does the library add to a notebook's start-up? Imports timed in fresh processes.

Each timing is one new interpreter (``python -X importtime`` is not used: the whole
process, start to exit, is what a kernel pays) running one import statement:

- ``import partnership_lib``: the package itself. Its names are imported lazily
  (PEP 562), so this alone loads almost nothing;
- what notebook 00's and notebook 01's first cells import (``Session``; and the
  concepts, exercises, frameworks modules, plots and ``render_chart``), and every
  module the five session notebooks use, and notebook 01's whole first cell run
  (imports, then ``Session`` loading its content): the honest measure of what a
  learner's kernel pays before the first exercise;
- loading every content file in ``data/`` (parsing and checking it), which the later
  cells pay once between them;

each against the baseline: importing the heavy dependencies alone
(``matplotlib.pyplot``, ``pandas``, ``ipywidgets``). The runs are interleaved so that
machine noise hits both alike. Target ratio <= 1.15: the library adds at most 15%.

Run alone: ``python benchmarks/bench_import.py [--quick]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, run_alone

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "import matplotlib.pyplot, pandas, ipywidgets"
CASES = {
    "Import: import partnership_lib": "import partnership_lib",
    "Import: notebook 00's first cell": "from partnership_lib.sessions.session import Session",
    "Import: notebook 01's first cell": (
        "from partnership_lib import concepts, exercises as ex, frameworks\n"
        "from partnership_lib import plot_collaboration_continuum, plot_kolb_cycle, "
        "plot_lifecycle\n"
        "from partnership_lib.charts.chart import render_chart\n"
        "from partnership_lib.sessions.session import Session"
    ),
    "Import: every session module": (
        "import partnership_lib.sessions.s01_concepts, partnership_lib.sessions.s02_climate, "
        "partnership_lib.sessions.s03_influencing, partnership_lib.sessions.s04_reflection, "
        "partnership_lib.widgets.stakeholder_editor"
    ),
    "Import: loading every content file": (
        "from partnership_lib.core import content\n"
        "for path in sorted(content.data_dir().glob('*.yaml')):\n"
        "    content.load(path.stem)"
    ),
}
TARGET = 1.15
FIRST_CELL_RUN = "Import: notebook 01's first cell, run"


def first_cell(notebook: str = "01_concepts_and_contexts") -> str:
    """The source of a notebook's first code cell (imports, then the Session lines)."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code")


def fresh(code: str) -> float:
    """Seconds for a new interpreter to run ``code`` and exit (with an empty store)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as store:
        env = {**os.environ, "MPLBACKEND": "Agg", "PARTNERSHIP_DATA_DIR": store}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT / "notebooks", env=env, check=True)
        return time.perf_counter() - start


def rows(quick: bool = False) -> list[Row]:
    reps, warmup = (2, 1) if quick else (20, 2)
    cases = {**CASES, FIRST_CELL_RUN: first_cell()}
    base: list[float] = []
    times: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(warmup + reps):
        b = fresh(BASELINE)
        measured = {name: fresh(code) for name, code in cases.items()}
        if i >= warmup:
            base.append(b)
            for name, t in measured.items():
                times[name].append(t)
    notes = {
        "Import: import partnership_lib": "lazy (PEP 562): the package alone loads nothing",
        "Import: notebook 00's first cell": "Session only: no matplotlib, pandas or ipywidgets",
        "Import: notebook 01's first cell": "the heaviest first cell: widgets and plots",
        "Import: every session module": "what all five notebooks load between them",
        "Import: loading every content file": "what the later cells pay, once, to read "
        "and check data/ (no matplotlib)",
        FIRST_CELL_RUN: "the whole cell: imports, then Session() (loads and checks the "
        "session catalogue) and its header lines",
    }
    return [
        make_row(
            name,
            times[name],
            baseline="matplotlib.pyplot+pandas+ipywidgets",
            baseline_times=base,
            target=f"ratio <= {TARGET}",
            note=notes[name],
        )
        for name in cases
    ]


def main(argv: list[str] | None = None) -> int:
    return run_alone(rows, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
