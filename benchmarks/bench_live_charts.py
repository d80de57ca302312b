"""How fast do the rating and checklist charts follow a learner?

Run it alone with ``python benchmarks/bench_live_charts.py [--quick]``.

Each timing runs from setting a widget's ``value`` until its observers have returned, by
which time the answer is in a fresh answer store and a new PNG is in the chart's HTML
(both are checked after every change). The widgets are the notebooks' own:

- rating, bars: a button in :func:`partnership_lib.sessions.s01_concepts.success_rating`
  (every change gives one theme a new rating, round all of them);
- rating, radar: a button in :func:`partnership_lib.sessions.s03_influencing.self_assessment`
  (the radar of the four dimensions' means);
- checklist: a tick box in :func:`partnership_lib.sessions.s01_concepts.benefits_checklist`
  (every change ticks or unticks one benefit, moving its group's bar).

The baseline makes the same save, then ``clear_output``, a new figure, a full plot,
``savefig`` and ``plt.close``, as a naive notebook callback would, interleaved with the
real change so that machine noise hits both. Target ratio <= 0.5.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, run_alone
from bench_interactions import NaiveChart, timed_change

from partnership_lib.core.store import AnswerStore
from partnership_lib.core.style import style_context
from partnership_lib.models.checklists import (
    describe_checklist_scores,
    group_scores,
    plot_checklist_scores,
)
from partnership_lib.models.ratings import describe_ratings, plot_ratings
from partnership_lib.sessions.s01_concepts import benefits_checklist, success_rating
from partnership_lib.sessions.s03_influencing import self_assessment
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.checklist import TICKED_FIELD, Checklist
from partnership_lib.widgets.rating import NOT_RATED, RatingScale

NOTEBOOK = "bench"
TARGET_RATIO = 0.5


# --------------------------------------------------------------------------- change sequences


def rating_steps(keys: Sequence[str], count: int) -> list[tuple[str, int]]:
    """(item, rating) changes; each differs from that item's current rating (from 3)."""
    current = dict.fromkeys(keys, 3)
    out = []
    for i in range(count):
        key = keys[i % len(keys)]
        current[key] = current[key] % 5 + 1  # 3 -> 4 -> 5 -> 1 -> 2 -> 3 ...
        out.append((key, current[key]))
    return out


def tick_steps(keys: Sequence[str], count: int) -> list[tuple[str, bool]]:
    """(item, ticked) changes from nothing ticked: tick every item in turn, then untick."""
    out = []
    ticked: set[str] = set()
    for i in range(count):
        key = keys[i % len(keys)]
        ticked ^= {key}
        out.append((key, key in ticked))
    return out


# --------------------------------------------------------------------------- naive baselines


def naive_rating(store: AnswerStore, scale: RatingScale):
    """The same buttons, saved the same way, drawn afresh on a new figure each change."""
    exercise = Exercise(exercise_binding(NOTEBOOK, "naive-rating", store=store))
    options = [NOT_RATED, 1, 2, 3, 4, 5]
    buttons = {k: widgets.ToggleButtons(options=options, value=3) for k in scale.labels}
    twins = {
        "labels": scale.labels,
        "groups": scale.groups,
        "kind": scale.chart_kind,
        "title": scale.chart_title,
    }
    chart = NaiveChart(
        lambda ratings: plot_ratings(ratings, **twins),
        lambda ratings: describe_ratings(ratings, **twins),
    )

    def changed(_change) -> None:
        ratings = {k: b.value for k, b in buttons.items() if b.value != NOT_RATED}
        exercise.save("ratings", ratings)
        chart.show(ratings=ratings)

    for b in buttons.values():
        b.observe(changed, names="value")
    return buttons, chart.view, exercise


def naive_checklist(store: AnswerStore, box: Checklist):
    """The same tick boxes, saved the same way, drawn afresh on a new figure each change."""
    assert box.groups is not None
    groups = box.groups
    exercise = Exercise(exercise_binding(NOTEBOOK, "naive-checklist", store=store))
    boxes = {k: widgets.Checkbox(value=False) for k in box.checkboxes}
    chart = NaiveChart(
        lambda scores: plot_checklist_scores(scores, title=box.chart_title),
        lambda scores: describe_checklist_scores(scores, title=box.chart_title),
    )

    def changed(_change) -> None:
        ticked = [k for k, cb in boxes.items() if cb.value]
        exercise.save(TICKED_FIELD, ticked)
        chart.show(scores=group_scores(groups, ticked))

    for cb in boxes.values():
        cb.observe(changed, names="value")
    return boxes, chart.view, exercise


# --------------------------------------------------------------------------- timing


@contextmanager
def fresh_store(style: str) -> Iterator[AnswerStore]:
    with style_context(style), tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        try:
            yield store
        finally:
            store.close()


def interleaved(
    real: Callable[[Any], float], naive: Callable[[Any], float], steps: Iterable[Any], warmup: int
) -> tuple[list[float], list[float]]:
    """Time ``real(step)`` and ``naive(step)`` alternately; drop the first ``warmup``."""
    real_times: list[float] = []
    naive_times: list[float] = []
    for i, step in enumerate(steps):
        r, n = real(step), naive(step)
        if i >= warmup:
            real_times.append(r)
            naive_times.append(n)
    return real_times, naive_times


def rating_row(name: str, build: Callable[..., RatingScale], reps: int, warmup: int) -> Row:
    with fresh_store("workbook") as store:
        scale = build(exercise_binding(NOTEBOOK, "rating", store=store))
        for toggle in scale.buttons.values():
            toggle.value = 3
        buttons, naive_view, naive_ex = naive_rating(store, scale)
        steps = rating_steps(list(scale.labels), warmup + reps)
        last_paths: set[str] = set()

        def real(step) -> float:
            key, value = step
            elapsed = timed_change(
                scale.buttons[key],
                value,
                scale.chart,
                lambda: scale.get("ratings")[key] == value,
            )
            last_paths.add(scale.chart.last_path)
            return elapsed

        def naive(step) -> float:
            key, value = step
            return timed_change(
                buttons[key], value, naive_view, lambda: naive_ex.get("ratings")[key] == value
            )

        real_times, naive_times = interleaved(real, naive, steps, warmup)
    return make_row(
        name,
        real_times,
        baseline="naive clear_output + new figure",
        baseline_times=naive_times,
        target=f"ratio <= {TARGET_RATIO}",
        note=f"{build.__module__.rsplit('.', 1)[-1]}.{build.__name__}, "
        f"{len(scale.labels)} items; repaints: {', '.join(sorted(last_paths))}",
    )


def checklist_row(reps: int, warmup: int) -> Row:
    with fresh_store("workbook") as store:
        box = benefits_checklist(exercise_binding(NOTEBOOK, "checklist", store=store))
        assert box.chart is not None
        chart = box.chart
        boxes, naive_view, naive_ex = naive_checklist(store, box)
        steps = tick_steps(list(box.checkboxes), warmup + reps)
        last_paths: set[str] = set()

        def real(step) -> float:
            key, value = step
            elapsed = timed_change(
                box.checkboxes[key],
                value,
                chart,
                lambda: (key in box.get(TICKED_FIELD)) == value,
            )
            last_paths.add(chart.last_path)
            return elapsed

        def naive(step) -> float:
            key, value = step
            return timed_change(
                boxes[key],
                value,
                naive_view,
                lambda: (key in naive_ex.get(TICKED_FIELD)) == value,
            )

        real_times, naive_times = interleaved(real, naive, steps, warmup)
    return make_row(
        "Checklist: tick a statement",
        real_times,
        baseline="naive clear_output + new figure",
        baseline_times=naive_times,
        target=f"ratio <= {TARGET_RATIO}",
        note=f"s01_concepts.benefits_checklist, {len(box.checkboxes)} statements in "
        f"{len(box.groups or ())} groups; repaints: {', '.join(sorted(last_paths))}",
    )


# --------------------------------------------------------------------------- protocol


def rows(quick: bool = False) -> list[Row]:
    reps, warmup = (3, 1) if quick else (30, 5)
    return [
        rating_row("Rating: change one rating (bars)", success_rating, reps, warmup),
        rating_row("Rating: change one rating (radar)", self_assessment, reps, warmup),
        checklist_row(reps, warmup),
    ]


def main(argv: list[str] | None = None) -> int:
    return run_alone(rows, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
