"""How fast do the conversation tagger and the post-it wall follow a learner?

Run it alone with ``python benchmarks/bench_live_tagger_wall.py [--quick]``.

Each timing runs through the real widget, from the learner's action until its observers
have returned, by which time the answer is in a fresh answer store and a new PNG is in
the chart's HTML (both are checked after every change):

- tagger: one statement's tag changes in
  :func:`partnership_lib.widgets.tagger.conversation_tagger` with the ten-step worked
  example loaded (every change gives the statement another tag, so the path moves);
- post-it wall: one note is added with "Add note" in
  :func:`partnership_lib.widgets.postits.postit_wall` (the wall is cleared, untimed,
  whenever it holds twelve notes, so the timings cover a wall of 0 to 11 notes).

The baseline makes the same save, then ``clear_output``, a new figure, a full plot,
``savefig`` and ``plt.close``, as a naive notebook callback would, timed in the same run
and interleaved with the widget so that machine noise hits both. Target ratio <= 0.5.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import clear_output

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, run_alone

from partnership_lib.charts import chart as charts
from partnership_lib.core.store import AnswerStore
from partnership_lib.core.style import style_context
from partnership_lib.models.conversations import worked_conversation
from partnership_lib.models.mobius import TAGS, describe_mobius_map, plot_mobius_map
from partnership_lib.models.postits import describe_postit_wall, plot_postit_wall
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.postits import postit_wall
from partnership_lib.widgets.tagger import conversation_tagger

NOTEBOOK = "bench"
TARGET_RATIO = 0.5
WALL_SIZE = 12  # notes on the wall before it is cleared again
COLOURS = ("pink", "yellow", "green", "blue")


# --------------------------------------------------------------------------- change sequences


def tag_steps(count: int) -> list[tuple[int, str]]:
    """(statement index, new tag) changes on the worked example, each a different tag."""
    current = [s.tag for s in worked_conversation().steps]
    out = []
    for i in range(count):
        n = (3 * i) % len(current)  # statements in a spread-out order
        options = [t for t in TAGS if t != current[n]]
        current[n] = options[i % len(options)]
        out.append((n, current[n]))
    return out


def note_steps(count: int) -> list[tuple[str, str]]:
    """(colour, text) of each note added, in turn."""
    return [
        (COLOURS[i % len(COLOURS)], f"Note {i}: something to take back to work next week")
        for i in range(count)
    ]


# --------------------------------------------------------------------------- the naive way


class NaiveChart:
    """What a naive callback does: clear the output, plot on a new figure, save, close."""

    def __init__(self, plot: Callable[..., Any], describe: Callable[..., str]) -> None:
        self.plot, self.describe = plot, describe
        self.out = widgets.Output()
        self.view = widgets.HTML()

    def show(self, *args: Any, **kwargs: Any) -> None:
        # outside a kernel clear_output prints terminal codes; keep them off the report
        with contextlib.redirect_stdout(io.StringIO()), self.out:
            clear_output(wait=True)
        ax = self.plot(*args, **kwargs)
        fig = ax.get_figure(root=True)
        png = charts.figure_png(fig)
        width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
        plt.close(fig)
        self.view.value = charts.chart_html(
            png, self.describe(*args, **kwargs), width=width, height=height
        )


def _checked(elapsed: float, before: str, view: widgets.HTML, saved: bool, what: str) -> float:
    if not saved or view.value == before or "data:image/png;base64," not in view.value:
        raise RuntimeError(f"{what} was not saved or not drawn")
    return elapsed


def _interleaved(real, naive, steps, warmup: int) -> tuple[list[float], list[float]]:
    real_times: list[float] = []
    naive_times: list[float] = []
    for i, step in enumerate(steps):
        r, n = real(step), naive(step)
        if i >= warmup:
            real_times.append(r)
            naive_times.append(n)
    return real_times, naive_times


# --------------------------------------------------------------------------- rows


def tagger_row(reps: int, warmup: int, style: str = "workbook") -> Row:
    steps = tag_steps(warmup + reps)
    with style_context(style), tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        tagger = conversation_tagger(
            exercise_binding(NOTEBOOK, "tagger", store=store), example=worked_conversation()
        )
        tagger.load.click()
        naive_ex = Exercise(exercise_binding(NOTEBOOK, "naive-tagger", store=store))
        naive_chart = NaiveChart(
            lambda path: plot_mobius_map(path=path), lambda path: describe_mobius_map(path=path)
        )
        naive_tags = [s.tag for s in worked_conversation().steps]

        def real(step: tuple[int, str]) -> float:
            n, tag = step
            before = tagger.chart.value
            start = time.perf_counter()
            tagger.dropdowns[n].value = tag
            elapsed = time.perf_counter() - start
            saved = tagger.get("conversation")["tags"][n] == tag
            return _checked(elapsed, before, tagger.chart, saved, f"tag {tag!r}")

        def naive(step: tuple[int, str]) -> float:
            n, tag = step
            before = naive_chart.view.value
            start = time.perf_counter()
            naive_tags[n] = tag
            naive_ex.save("conversation", {"tags": list(naive_tags)})
            naive_chart.show(path=[t for t in naive_tags if t])
            elapsed = time.perf_counter() - start
            saved = naive_ex.get("conversation")["tags"][n] == tag
            return _checked(elapsed, before, naive_chart.view, saved, f"naive tag {tag!r}")

        real_times, naive_times = _interleaved(real, naive, steps, warmup)
        partial = tagger.chart.last_path
        store.close()
    return make_row(
        "Tagger: one tag change (worked example)",
        real_times,
        baseline="naive clear_output + new figure",
        baseline_times=naive_times,
        target=f"ratio <= {TARGET_RATIO}",
        note=f"conversation_tagger, 10 statements; last repaint: {partial}",
    )


def wall_row(reps: int, warmup: int, style: str = "workbook") -> Row:
    steps = note_steps(warmup + reps)
    with style_context(style), tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        wall = postit_wall(exercise_binding(NOTEBOOK, "wall", store=store))
        naive_ex = Exercise(exercise_binding(NOTEBOOK, "naive-wall", store=store))
        naive_chart = NaiveChart(plot_postit_wall, describe_postit_wall)
        naive_notes: list[dict[str, Any]] = []

        def real(step: tuple[str, str]) -> float:
            colour, text = step
            if len(wall.notes) >= WALL_SIZE:
                wall.reset()  # untimed: start a fresh wall
            wall.colour.value, wall.text.value = colour, text
            before = wall.chart.value
            start = time.perf_counter()
            wall.add.click()
            elapsed = time.perf_counter() - start
            saved = wall.get("notes")[-1]["text"] == text
            return _checked(elapsed, before, wall.chart, saved, f"note {text!r}")

        def naive(step: tuple[str, str]) -> float:
            colour, text = step
            if len(naive_notes) >= WALL_SIZE:
                naive_notes.clear()
            before = naive_chart.view.value
            start = time.perf_counter()
            naive_notes.append({"id": len(naive_notes) + 1, "colour": colour, "text": text})
            naive_ex.save("notes", list(naive_notes))
            naive_chart.show(naive_notes)
            elapsed = time.perf_counter() - start
            saved = naive_ex.get("notes")[-1]["text"] == text
            return _checked(elapsed, before, naive_chart.view, saved, f"naive note {text!r}")

        real_times, naive_times = _interleaved(real, naive, steps, warmup)
        store.close()
    return make_row(
        "Post-it wall: one note added",
        real_times,
        baseline="naive clear_output + new figure",
        baseline_times=naive_times,
        target=f"ratio <= {TARGET_RATIO}",
        note=f"postit_wall, 'Add note' on a wall of 0 to {WALL_SIZE - 1} notes",
    )


# --------------------------------------------------------------------------- protocol


def rows(quick: bool = False) -> list[Row]:
    reps, warmup = (3, 1) if quick else (30, 5)
    return [tagger_row(reps, warmup), wall_row(reps, warmup)]


def main(argv: list[str] | None = None) -> int:
    return run_alone(rows, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
