"""How fast does the stakeholder editor follow a slider?

Run it with ``python benchmarks/bench_grid.py`` (``--reps``, ``--warmup``,
``--stakeholders``, ``--style`` and ``--movement`` change the defaults); ``make bench``
takes its :func:`rows`.

Both paths start from the same 50-stakeholder table and move the same stakeholder
through the same sequence of power scores. Each timing runs from setting
``FloatSlider.value`` until the observers have returned, by which time the row is saved
in a fresh answer store and the new PNG is in the chart's HTML:

- editor: the real :func:`~partnership_lib.widgets.stakeholder_editor.stakeholder_editor`,
  whose grid is the one live-chart view (:class:`~partnership_lib.widgets.live.LiveChart`):
  one long-lived figure, and the engine (:class:`~partnership_lib.charts.live.LiveFigure`
  with the grid's declared layer) draws again only the changed parts of the picture,
  over a cached picture of the quadrants;
- naive: the same save, then ``clear_output``, a new figure, a full plot, ``savefig``
  and ``plt.close`` on every change.

It prints the median and the min-max of each, and the ratio of the medians (the
target is 0.5 or less), then checks that the editor's picture matches a full redraw.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import clear_output
from PIL import Image

from partnership_lib.charts import chart as charts
from partnership_lib.core.store import AnswerKey, AnswerStore
from partnership_lib.core.style import style_context
from partnership_lib.models.stakeholders import (
    ATTITUDES,
    Stakeholder,
    describe_power_interest_grid,
    plot_power_interest_grid,
)
from partnership_lib.widgets.base import Exercise
from partnership_lib.widgets.stakeholder_editor import stakeholder_editor, stakeholder_rows

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row

from partnership_lib.widgets.base import exercise_binding

NOTEBOOK = "bench"
ORGANISATIONS = ("County council", "NHS trust", "Police", "Voluntary sector", "Schools")


def table(n: int, seed: int = 8) -> list[Stakeholder]:
    """A reproducible table of ``n`` stakeholders spread over the grid."""
    rng = random.Random(seed)
    return [
        Stakeholder(
            name=f"Partner {i + 1:02d} {rng.choice(ORGANISATIONS)}",
            power=round(rng.uniform(0.5, 9.5), 1),
            interest=round(rng.uniform(0.5, 9.5), 1),
            organisation=rng.choice(ORGANISATIONS),
            attitude=rng.choice((*ATTITUDES, None)),
        )
        for i in range(n)
    ]


def scores(count: int) -> list[float]:
    """Slider values, each different from the one before, as a learner drags it."""
    out, value, step = [], 2.0, 0.5
    for _ in range(count):
        value += step
        if not 0.5 <= value <= 9.5:
            step = -step
            value += 2 * step
        out.append(round(value, 1))
    return out


def naive_slider(store: AnswerStore, people: list[Stakeholder], previous=None):
    """A slider that saves the row, then redraws a new figure from scratch each time."""
    exercise = Exercise(exercise_binding(NOTEBOOK, "naive", store=store))
    rows = stakeholder_rows(people)
    out = widgets.Output()
    picture = widgets.HTML()
    slider = widgets.FloatSlider(value=rows[0]["power"], min=0, max=10, step=0.1)

    def changed(change) -> None:
        rows[0]["power"] = round(change["new"], 2)
        exercise.save("stakeholders", rows)
        # outside a kernel clear_output prints terminal codes; keep them off the report
        with contextlib.redirect_stdout(io.StringIO()), out:
            clear_output(wait=True)
        ax = plot_power_interest_grid(rows, previous=previous)
        fig = ax.get_figure(root=True)
        png = charts.figure_png(fig)
        width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
        plt.close(fig)
        picture.value = charts.chart_html(
            png, describe_power_interest_grid(rows, previous=previous), width=width, height=height
        )

    slider.observe(changed, names="value")
    return slider, picture, AnswerKey(NOTEBOOK, "naive", "stakeholders")


def editor_slider(store: AnswerStore, people: list[Stakeholder], previous=None):
    """The real editor, with the first stakeholder chosen for editing."""
    store.save(AnswerKey(NOTEBOOK, "editor", "stakeholders"), stakeholder_rows(people))
    box = stakeholder_editor(exercise_binding(NOTEBOOK, "editor", store=store), previous=previous)
    editor = box.editor
    editor.chooser.value = 0
    return editor.power, editor.chart, AnswerKey(NOTEBOOK, "editor", "stakeholders"), editor


def change(slider, picture, store: AnswerStore, key: AnswerKey, value: float) -> float:
    """Seconds from setting the slider to the saved row and the new picture."""
    before = picture.value
    start = time.perf_counter()
    slider.value = value
    elapsed = time.perf_counter() - start
    if store.get(key)[0]["power"] != value or picture.value == before:
        sys.exit(f"the change to {value} was not saved or not drawn")
    return elapsed


def summary(name: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return (
        f"{name:<8} median {statistics.median(ms):7.1f} ms   "
        f"min-max {min(ms):6.1f}-{max(ms):6.1f} ms   ({len(ms)} changes)"
    )


def measure(
    *,
    reps: int = 30,
    warmup: int = 5,
    stakeholders: int = 50,
    style: str = "workbook",
    movement: bool = False,
) -> dict:
    """Time the editor and the naive slider alternately; also the store's part and a check."""
    people = table(stakeholders)
    values = scores(warmup + reps)
    with style_context(style), tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        previous = people if movement else None
        slider, picture, key, editor = editor_slider(store, people, previous)
        *naive, naive_key = naive_slider(store, people, previous)
        # interleave the two, so that any slowdown of the machine hits both alike
        editor_times: list[float] = []
        naive_times: list[float] = []
        paths: dict[str, int] = {}
        for i, value in enumerate(values):
            seconds = change(slider, picture, store, key, value)
            other = change(*naive, store, naive_key, value)
            if i >= warmup:
                editor_times.append(seconds)
                naive_times.append(other)
                paths[editor.grid.last_path] = paths.get(editor.grid.last_path, 0) + 1
        width, height = editor.grid.size
        got = np.asarray(Image.open(io.BytesIO(editor.grid.png))).astype(int)
        ref = np.asarray(Image.open(io.BytesIO(editor.grid.reference_png()))).astype(int)
        diff = np.abs(got - ref)
        # the store's own part: saving the 50-row table as the editor does on a move
        rows = store.get(key)
        store_times: list[float] = []
        for value in values[warmup:]:
            rows[0]["power"] = value
            start = time.perf_counter()
            store.save(key, rows, coalesce_within=30)
            store_times.append(time.perf_counter() - start)
        store.close()
    return {
        "editor": editor_times,
        "naive": naive_times,
        "store": store_times,
        "paths": paths,
        "size": (width, height),
        "max_diff": int(diff.max()),
        "diff_pixels": int((diff.max(axis=2) > 0).sum()),
    }


def rows(quick: bool = False) -> list[Row]:
    """``make bench`` rows: the editor against the naive redraw, and the store's part."""
    reps, warmup = (3, 1) if quick else (30, 5)
    m = measure(reps=reps, warmup=warmup)
    width, height = m["size"]
    paths = ", ".join(f"{k} {v}" for k, v in sorted(m["paths"].items()))
    return [
        make_row(
            "Grid: move 1 of 50 stakeholders",
            m["editor"],
            baseline="naive clear_output + new figure",
            baseline_times=m["naive"],
            target="ratio <= 0.5",
            note=f"{width}x{height} px; redraws: {paths}; "
            f"vs full redraw: max diff {m['max_diff']}/255",
        ),
        make_row(
            "Grid: store save of the 50-row table",
            m["store"],
            target="< 5 ms",
            note="AnswerStore.save(coalesce_within=30), the store's part of each move",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=30, help="timed changes per path (>= 20)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed changes first")
    parser.add_argument("--stakeholders", type=int, default=50)
    parser.add_argument("--style", default="workbook")
    parser.add_argument(
        "--movement",
        action="store_true",
        help="second placement: draw arrows from the first one (every move redraws them)",
    )
    args = parser.parse_args(argv)
    m = measure(
        reps=max(args.reps, 20),
        warmup=args.warmup,
        stakeholders=args.stakeholders,
        style=args.style,
        movement=args.movement,
    )
    editor_times, naive_times, store_times = m["editor"], m["naive"], m["store"]
    width, height = m["size"]
    ratio = statistics.median(editor_times) / statistics.median(naive_times)
    print(
        f"Slider change to saved row and new PNG, {args.stakeholders} stakeholders, "
        f"style {args.style!r}, {width}x{height} px"
        + (", with movement arrows" if args.movement else "")
    )
    print(summary("editor", editor_times))
    print(summary("naive", naive_times))
    print(f"ratio    {ratio:.2f} (editor median / naive median; target <= 0.50)")
    print(summary("store", store_times) + "   (the store's part of each move; target < 5 ms)")
    print(f"editor redraws: {', '.join(f'{k} {v}' for k, v in sorted(m['paths'].items()))}")
    print(
        f"editor picture vs a full redraw: largest difference {m['max_diff']} of 255 in "
        f"{m['diff_pixels']} pixels"
    )
    return 0 if ratio <= 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
