"""How fast do the lifecycle and Mobius charts follow a learner, and does memory settle?

Run it alone with ``python benchmarks/bench_interactions.py [--quick]``.

Interaction rows. Each timing runs from setting a widget's ``value`` until its observers
have returned, by which time the answer is in a fresh answer store and a new PNG is in
the chart's HTML (both are checked after every change):

- lifecycle: a tick box in :func:`partnership_lib.sessions.s01_concepts.stage_diagnosis` that moves
  the estimated stage (every change moves it, round all the five Fs' stages);
- Mobius: a quality's rating in :func:`partnership_lib.sessions.s03_influencing.rate_relationship`
  (every change is a new score for one of the six qualities).

The baseline makes the same save, then ``clear_output``, a new figure, a full plot,
``savefig`` and ``plt.close``, as a naive notebook callback would. Target ratio <= 0.5.

Memory rows. In a fresh process, the RSS after 10 and after 200 interactions with the
stakeholder editor (a slider move) and with the Mobius rating: the growth must stay
under 10 MB, and pyplot must hold no more than one figure per widget.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
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
from matplotlib.figure import Figure

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row

from partnership_lib.charts import chart as charts
from partnership_lib.core.store import AnswerStore
from partnership_lib.core.style import style_context
from partnership_lib.models.lifecycle import describe_lifecycle, lifecycle_model, plot_lifecycle
from partnership_lib.models.mobius import QUALITY_KEYS, describe_mobius_map, plot_mobius_map
from partnership_lib.models.stage_diagnosis import diagnose_stage
from partnership_lib.sessions.s01_concepts import stage_diagnosis
from partnership_lib.sessions.s03_influencing import rate_relationship
from partnership_lib.widgets.base import Exercise, exercise_binding

NOTEBOOK = "bench"
TARGET_RATIO = 0.5
MEMORY_TARGET_MB = 10.0


# --------------------------------------------------------------------------- change sequences


def lifecycle_steps(model: str = "five_fs") -> tuple[set[str], list[tuple[str, bool]]]:
    """Ticks to start from, and a cycle of single tick-box changes, each moving the stage.

    Start with the first characteristic of every stage ticked (a tie: the first stage
    wins). Unticking them in order moves the estimate one stage on at each step, and
    ticking them back in reverse moves it one stage back.
    """
    m = lifecycle_model(model)
    firsts = [f"{s.key}:0" for s in m.stages]
    cycle = [(k, False) for k in firsts[:-1]] + [(k, True) for k in reversed(firsts[:-1])]
    return set(firsts), cycle


def mobius_steps(count: int) -> list[tuple[str, int]]:
    """(quality, score) changes; each differs from that quality's current score."""
    current = dict.fromkeys(QUALITY_KEYS, 3)
    out = []
    for i in range(count):
        key = QUALITY_KEYS[i % len(QUALITY_KEYS)]
        score = current[key] % 5 + 1  # 3 -> 4 -> 5 -> 1 -> 2 -> 3 ...
        current[key] = score
        out.append((key, score))
    return out


# --------------------------------------------------------------------------- naive baselines


class NaiveChart:
    """What a naive callback does: clear the output, plot on a new figure, save, close."""

    def __init__(self, plot: Callable[..., Any], describe: Callable[..., str]) -> None:
        self.plot, self.describe = plot, describe
        self.out = widgets.Output()
        self.view = widgets.HTML()

    def show(self, **kwargs: Any) -> None:
        # outside a kernel clear_output prints terminal codes; keep them off the report
        with contextlib.redirect_stdout(io.StringIO()), self.out:
            clear_output(wait=True)
        ax = self.plot(**kwargs)
        fig = ax.get_figure(root=True)
        png = charts.figure_png(fig)
        width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
        plt.close(fig)
        self.view.value = charts.chart_html(
            png, self.describe(**kwargs), width=width, height=height
        )


def naive_lifecycle(store: AnswerStore, start: set[str], model: str = "five_fs"):
    m = lifecycle_model(model)
    exercise = Exercise(exercise_binding(NOTEBOOK, "naive-lifecycle", store=store))
    chart = NaiveChart(
        lambda current: plot_lifecycle(m, current=current),
        lambda current: describe_lifecycle(m, current=current),
    )
    boxes = {k: widgets.Checkbox(value=k in start) for k in start}

    def changed(_change) -> None:
        observed = [k for k, cb in boxes.items() if cb.value]
        exercise.save("observed", observed)
        chart.show(current=diagnose_stage(observed, m).stage.key)

    for cb in boxes.values():
        cb.observe(changed, names="value")
    return boxes, chart.view, exercise


def naive_mobius(store: AnswerStore):
    exercise = Exercise(exercise_binding(NOTEBOOK, "naive-mobius", store=store))
    chart = NaiveChart(
        lambda qualities: plot_mobius_map(qualities=qualities),
        lambda qualities: describe_mobius_map(qualities=qualities),
    )
    drops = {k: widgets.Dropdown(options=[0, 1, 2, 3, 4, 5], value=3) for k in QUALITY_KEYS}

    def changed(_change) -> None:
        ratings = {k: dd.value for k, dd in drops.items() if dd.value}
        exercise.save("ratings", ratings)
        chart.show(qualities={k: ratings.get(k) for k in QUALITY_KEYS})

    for dd in drops.values():
        dd.observe(changed, names="value")
    return drops, chart.view, exercise


# --------------------------------------------------------------------------- timing


def timed_change(widget, value, view: widgets.HTML, check: Callable[[], bool]) -> float:
    """Seconds from setting ``widget.value`` to the saved answer and a new picture."""
    before = view.value
    start = time.perf_counter()
    widget.value = value
    elapsed = time.perf_counter() - start
    if not check() or view.value == before or "data:image/png;base64," not in view.value:
        raise RuntimeError(f"the change to {value!r} was not saved or not drawn")
    return elapsed


def _interleaved(real, naive, steps, warmup: int) -> tuple[list[float], list[float]]:
    """Time ``real(step)`` and ``naive(step)`` alternately so machine noise hits both."""
    real_times: list[float] = []
    naive_times: list[float] = []
    for i, step in enumerate(steps):
        r, n = real(step), naive(step)
        if i >= warmup:
            real_times.append(r)
            naive_times.append(n)
    return real_times, naive_times


def lifecycle_row(reps: int, warmup: int, style: str = "workbook") -> Row:
    start, cycle = lifecycle_steps()
    steps = [cycle[i % len(cycle)] for i in range(warmup + reps)]
    with style_context(style), tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        box = stage_diagnosis(exercise_binding(NOTEBOOK, "lifecycle", store=store))
        for k in start:
            box.checkboxes[k].value = True
        naive_boxes, naive_view, naive_ex = naive_lifecycle(store, start)

        def real(step) -> float:
            key, value = step
            return timed_change(
                box.checkboxes[key],
                value,
                box.chart,
                lambda: (key in box.get("observed")) == value,
            )

        def naive(step) -> float:
            key, value = step
            return timed_change(
                naive_boxes[key],
                value,
                naive_view,
                lambda: (key in naive_ex.get("observed")) == value,
            )

        real_times, naive_times = _interleaved(real, naive, steps, warmup)
        store.close()
    return make_row(
        "Lifecycle: stage diagnosis tick",
        real_times,
        baseline="naive clear_output + new figure",
        baseline_times=naive_times,
        target=f"ratio <= {TARGET_RATIO}",
        note="concepts.stage_diagnosis, five Fs; every tick moves the stage",
    )


def mobius_row(reps: int, warmup: int, style: str = "workbook") -> Row:
    steps = mobius_steps(warmup + reps)
    with style_context(style), tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        box = rate_relationship(exercise_binding(NOTEBOOK, "mobius", store=store))
        for dd in box.dropdowns.values():
            dd.value = 3
        drops, naive_view, naive_ex = naive_mobius(store)

        def real(step) -> float:
            key, score = step
            return timed_change(
                box.dropdowns[key],
                score,
                box.chart,
                lambda: box.get("ratings")[key] == score,
            )

        def naive(step) -> float:
            key, score = step
            return timed_change(
                drops[key], score, naive_view, lambda: naive_ex.get("ratings")[key] == score
            )

        real_times, naive_times = _interleaved(real, naive, steps, warmup)
        store.close()
    return make_row(
        "Mobius: quality rating change",
        real_times,
        baseline="naive clear_output + new figure",
        baseline_times=naive_times,
        target=f"ratio <= {TARGET_RATIO}",
        note="influencing.rate_relationship; each change rescores one quality",
    )


# --------------------------------------------------------------------------- memory


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def memory_probe(widget: str, total: int = 200, early: int = 10) -> dict[str, Any]:
    """Run in a child process: build one widget, change it ``total`` times, report RSS."""
    import gc

    with tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(Path(folder) / "answers.sqlite3")
        if widget == "stakeholder editor":
            from bench_grid import editor_slider, scores, table

            slider, view, _key, _editor = editor_slider(store, table(50))
            values = scores(total)

            def change(i: int) -> None:
                slider.value = values[i]
        else:
            box = rate_relationship(exercise_binding(NOTEBOOK, "mobius", store=store))
            for dd in box.dropdowns.values():
                dd.value = 3
            view = box.chart
            steps = mobius_steps(total)

            def change(i: int) -> None:
                key, score = steps[i]
                box.dropdowns[key].value = score

        rss: dict[int, float] = {}
        for i in range(total):
            change(i)
            if i + 1 in (early, total):
                gc.collect()
                rss[i + 1] = rss_mb()
        gc.collect()
        figures = len(plt.get_fignums())
        alive = sum(isinstance(o, Figure) for o in gc.get_objects())
        assert "data:image/png" in view.value
        store.close()
    return {
        "widget": widget,
        "early": rss[early],
        "late": rss[total],
        "figures": figures,
        "alive": alive,
    }


def memory_rows(total: int = 200, early: int = 10) -> list[Row]:
    rows = []
    for widget in ("stakeholder editor", "Mobius rating"):
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--memory-probe",
                widget,
                "--total",
                str(total),
                "--early",
                str(early),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"memory probe for {widget} failed:\n{done.stderr[-2000:]}")
        r = json.loads(done.stdout.strip().splitlines()[-1])
        growth = r["late"] - r["early"]
        rows.append(
            make_row(
                f"Memory: {widget}, RSS after {total} changes",
                [r["late"]],
                baseline=f"RSS after {early} changes",
                baseline_times=[r["early"]],
                target=f"growth < {MEMORY_TARGET_MB:.0f} MB, <= 1 figure",
                note=f"growth {growth:+.1f} MB; figures held by pyplot: {r['figures']}, "
                f"alive in all: {r['alive']}",
                unit="MB",
                met=growth < MEMORY_TARGET_MB and r["figures"] <= 1 and r["alive"] <= 1,
            )
        )
    return rows


# --------------------------------------------------------------------------- protocol


def rows(quick: bool = False) -> list[Row]:
    reps, warmup = (3, 1) if quick else (30, 5)
    out = [lifecycle_row(reps, warmup), mobius_row(reps, warmup)]
    out += memory_rows(total=20 if quick else 200, early=2 if quick else 10)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--memory-probe", help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--early", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe, args.total, args.early)))
        return 0
    from run import print_table

    result = rows(args.quick)
    print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
