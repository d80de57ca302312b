"""Re-execute notebooks in place against a fresh, empty answer store (``make notebooks``).

Committed outputs are what strict nbval compares, so they must never contain a
learner's answers: every run gets a new temporary ``PARTNERSHIP_DATA_DIR``. The kernel
is this interpreter's own ipykernel (a private kernelspec in a temporary
``JUPYTER_DATA_DIR``), every cell has a 60 s timeout so a stalled kernel fails fast,
and ``record_timing=False`` keeps timestamps out of the files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

CELL_TIMEOUT = 60
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: What a committed notebook shows in place of an exercise until it runs (JupyterLab before
#: Run All, nbconvert, GitHub): one plain sentence, never the widget's Python repr.
NOT_STARTED_TEXT = "This exercise starts when the notebook runs: choose Run > Run All Cells."
NOT_STARTED_HTML = (
    '<p class="pl-not-started" style="border-left:4px solid #0072B2;padding:0.3em 0.7em;'
    'margin:0.3em 0;background:#EEF5FB;color:#1a1a1a">This exercise starts when the '
    "notebook runs: choose <strong>Run &gt; Run All Cells</strong>.</p>"
)


def static_placeholders(nb: nbformat.NotebookNode) -> int:
    """Replace every widget output with the not-started sentence; return how many.

    A widget's output holds its view reference and, as fallback, its Python repr
    (``VBox(children=(HTML(value=...``), which a notebook opened before running shows
    as code. Widget state is not saved, so the view could not be shown anyway.
    """
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/html": NOT_STARTED_HTML, "text/plain": NOT_STARTED_TEXT}
                count += 1
    return count


def private_kernel(data_dir: Path, python: str = sys.executable) -> None:
    """Write a ``python3`` kernelspec for ``python`` under ``data_dir`` (a JUPYTER_DATA_DIR).

    ``benchmarks/stall.py`` reuses it to run the notebooks on another venv's ipykernel.
    """
    spec = data_dir / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        )
    )


def execute(path: Path, *, timeout: int = CELL_TIMEOUT) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    except CellTimeoutError as exc:
        raise SystemExit(
            f"{path}: a cell did not finish within {timeout} s (stall?): {exc}"
        ) from None
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # widget state is per session and would churn the diff
    static_placeholders(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks or folders of notebooks")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    args = parser.parse_args(argv)
    notebooks: list[Path] = []
    for p in args.paths:
        notebooks += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    with tempfile.TemporaryDirectory(prefix="partnership-make-notebooks-") as tmp:
        tmp_path = Path(tmp)
        store = tmp_path / "store"
        store.mkdir()
        private_kernel(tmp_path / "jupyter-data")
        os.environ["PARTNERSHIP_DATA_DIR"] = str(store)
        # The facilitator board then reads the empty room/ folder of this fresh store.
        os.environ.pop("PARTNERSHIP_ROOM_DIR", None)
        os.environ["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
        os.environ["MPLCONFIGDIR"] = str(tmp_path / "mpl")
        for nb in notebooks:
            seconds = execute(nb, timeout=args.timeout)
            print(f"executed {nb} in {seconds:.1f} s")
        leftovers = [p for p in store.rglob("*") if p.is_file()]
        print(f"answer store used for this run: {store} ({len(leftovers)} file(s), discarded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
