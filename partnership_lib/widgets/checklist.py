"""Tick-box checklists with a live score, what the score means, and scores by group.

The learner ticks every statement that is true for them. The score ("7 of 12") and its
meaning (from the caller's :class:`ScoreBand` list) update as they tick. When the items
are grouped, each group gets its own score and a bar chart shows them all, naming the
weakest group; the chart is one long-lived figure whose bars are updated in place.

Stored under ``notebook/exercise/``: ``ticked`` (the ticked item keys, in item order)
and ``done`` (True once the learner presses "I've finished").

Completion rule: the checklist is complete once the learner presses "I've finished".
Finishing with nothing ticked is allowed (none of the statements may apply, and that is
an answer). Changing ticks afterwards keeps it complete; a reset clears it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from partnership_lib.charts.chart import chart_html, figure_png
from partnership_lib.core.html import escape
from partnership_lib.core.style import current_theme, on_style_change, style_context
from partnership_lib.models.checklists import (
    DEFAULT_TITLE,
    ChecklistItem,
    GroupScore,
    ScoreBand,
    as_bands,
    as_groups,
    as_items,
    band_for,
    describe_checklist_scores,
    plot_checklist_scores,
    table_checklist_scores,
    update_checklist_scores,
    weakest_groups,
)
from partnership_lib.widgets.base import Binding, Exercise

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "Checklist",
    "checklist",
]

TICKED_FIELD = "ticked"
DONE_FIELD = "done"


# --------------------------------------------------------------------------- models


# --------------------------------------------------------------------------- plot


# --------------------------------------------------------------------------- widget


class Checklist(widgets.VBox):
    """The widget :func:`checklist` returns.

    Attributes
    ----------
    exercise : Exercise
    checkboxes : dict
        Item key to its ``ipywidgets.Checkbox``.
    done_button : ipywidgets.Button
        "I've finished".
    score : ipywidgets.HTML
        The score line and what it means (and the per-group scores).
    chart : ipywidgets.HTML or None
        The score-by-group picture with its text description (grouped checklists only).
    figure : matplotlib.figure.Figure or None
        The one figure the chart is drawn on.
    """

    exercise: Exercise
    checkboxes: dict[str, widgets.Checkbox]
    done_button: widgets.Button
    score: widgets.HTML
    chart: widgets.HTML | None
    figure: Figure | None

    def ticked(self) -> list[str]:
        """Keys of the ticked items, in item order."""
        return [key for key, box in self.checkboxes.items() if box.value]


def _group_scores(
    groups: Sequence[tuple[str, Sequence[str]]], ticked: set[str]
) -> tuple[GroupScore, ...]:
    return tuple(GroupScore(t, sum(k in ticked for k in keys), len(keys)) for t, keys in groups)


def checklist(
    binding: Binding,
    items: Iterable[ChecklistItem | tuple[str, str] | Any],
    *,
    bands: Iterable[ScoreBand],
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    title: str | None = None,
    chart_title: str = DEFAULT_TITLE,
) -> Checklist:
    """A tick-box checklist with a live score and what it means.

    Parameters
    ----------
    items
        The statements: ``(key, text)`` pairs, :class:`ChecklistItem` objects, or any
        objects with ``.key`` and ``.text``. Keys must be unique.
    notebook, exercise
        Where the answers are stored (fields ``ticked`` and ``done``).
    bands
        :class:`ScoreBand` list; one must start at 0.
    store, progress
        The answer store (default: the learner's) and the notebook's progress line.
    groups
        ``(group title, item keys)`` pairs covering every item once. With groups the
        widget shows each group's score and a bar chart of them, naming the weakest.
    title
        Heading above the checklist.
    chart_title
        Title of the score-by-group chart.

    Returns
    -------
    Checklist
        A VBox with classes ``pl-exercise`` and ``pl-checklist``. Complete once the
        learner presses "I've finished" (with any number of items ticked).
    """
    items = as_items(items)
    grouped = as_groups(groups, items)
    bands = as_bands(bands)
    ex = Exercise(binding, kind="checklist", title=title or "")
    style_name = current_theme().name
    total = len(items)
    by_key = {i.key: i for i in items}

    checkboxes = {
        item.key: widgets.Checkbox(
            value=False,
            description=item.text,
            indent=False,
            tooltip=item.text,
            layout=widgets.Layout(width="auto"),
        )
        for item in items
    }
    score = widgets.HTML()
    score.add_class("pl-score")
    done_button = widgets.Button(
        description="I've finished",
        icon="check",
        tooltip="Record that you have finished this checklist",
    )

    def _new_figure():
        with style_context(style_name):
            ax = plot_checklist_scores(_group_scores(grouped, set()), title=chart_title)
        plt.close(ax.figure)  # keep the Figure; pyplot must neither hold nor show it
        return ax.figure

    fig = None
    chart = None
    if grouped is not None:
        chart = widgets.HTML(layout=widgets.Layout(width="100%"))
        chart.add_class("pl-chart-view")
        fig = _new_figure()

    def _stored_ticks() -> tuple[set[str], str | None]:
        stored = ex.get(TICKED_FIELD)
        if stored is None:
            return set(), None
        if not isinstance(stored, list):
            return set(), (
                "Your saved ticks could not be read (they are not a list), so none are shown. "
                "They are kept in your history."
            )
        good = {k for k in stored if isinstance(k, str) and k in by_key}
        bad = [k for k in stored if not (isinstance(k, str) and k in by_key)]
        if bad:
            shown = ", ".join(repr(k) for k in bad[:5])
            return good, (
                f"Ignored {len(bad)} saved tick{'s' if len(bad) != 1 else ''} for statements "
                f"this checklist does not have ({shown}). They are kept in your history."
            )
        return good, None

    def _show(ticked: set[str]) -> None:
        for key, box in checkboxes.items():
            box.unobserve(_changed, names="value")
            try:
                box.value = key in ticked
            finally:
                box.observe(_changed, names="value")

    def _summary() -> str:
        ticked = set(w.ticked())
        n = len(ticked)
        band = band_for(n / total, bands)
        meaning = f" {escape(band.meaning)}" if band.meaning else ""
        html = (
            f'<div class="pl-score-line"><strong>{n} of {total}</strong> ticked. '
            f"<strong>{escape(band.label)}:</strong>{meaning}</div>"
        )
        if grouped is not None:
            scores = _group_scores(grouped, ticked)
            weakest = set(weakest_groups(scores))
            rows = "".join(
                f"<li>{escape(s.name)}: {s.ticked} of {s.total}"
                f"{' <strong>(weakest)</strong>' if s.name in weakest else ''}</li>"
                for s in scores
            )
            html += f'<ul class="pl-group-scores" style="margin:0.2em 0 0.4em 1.2em">{rows}</ul>'
        return html

    def _redraw() -> None:
        score.value = _summary()
        if fig is None or chart is None or grouped is None:
            return
        scores = _group_scores(grouped, set(w.ticked()))
        with style_context(style_name):
            update_checklist_scores(fig.axes[0], scores)
            width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
            chart.value = chart_html(
                figure_png(fig),
                describe_checklist_scores(scores, title=chart_title),
                width=width,
                height=height,
                table=table_checklist_scores(scores, title=chart_title),
            )

    def _short_score() -> str:
        n = len(w.ticked())
        return f"{n} of {total} ticked: {band_for(n / total, bands).label}."

    unreadable = [False]  # the stored ticks could not all be shown: keep them in history

    def _save_ticks() -> bool:
        if unreadable[0]:
            unreadable[0] = not ex.save(TICKED_FIELD, w.ticked(), coalesce=False)
            return not unreadable[0]
        return ex.save(TICKED_FIELD, w.ticked())

    def _changed(_change: dict[str, Any]) -> None:
        if _save_ticks():
            ex.mark("complete" if ex.get(DONE_FIELD) is True else "started")
            ex.announce(f"Saved. {_short_score()}", "saved")
        _redraw()

    def _done(_button: widgets.Button) -> None:
        if not _save_ticks() or not ex.save(DONE_FIELD, True):
            return
        ex.mark("complete")
        ex.announce(f"Finished and saved. {_short_score()}", "saved")

    def _after_reset() -> None:
        ticked, problem = _stored_ticks()
        unreadable[0] = problem is not None
        _show(ticked)
        _redraw()
        if problem:
            ex.announce(problem, "warning")

    heading = [widgets.HTML(f'<h3 class="pl-exercise-title">{escape(title)}</h3>')] if title else []
    if grouped is None:
        rows: list[widgets.Widget] = list(checkboxes.values())
    else:
        rows = []
        for group_title, keys in grouped:
            rows.append(
                widgets.HTML(
                    f'<div class="pl-group-title"><strong>{escape(group_title)}</strong></div>'
                )
            )
            rows.extend(checkboxes[k] for k in keys)
    w = Checklist(
        [
            *heading,
            widgets.VBox(rows, layout=widgets.Layout(width="100%")),
            score,
            *([chart] if chart is not None else []),
            done_button,
            ex.status,
            ex.reset_bar(),
        ],
        layout=widgets.Layout(width="100%"),
    )
    w.add_class("pl-exercise")
    w.add_class("pl-checklist")
    w.exercise, w.checkboxes, w.done_button = ex, checkboxes, done_button
    w.score, w.chart, w.figure = score, chart, fig

    ticked, problem = _stored_ticks()
    unreadable[0] = problem is not None
    for box in checkboxes.values():
        box.observe(_changed, names="value")
    _show(ticked)
    _redraw()
    if problem:
        ex.announce(problem, "warning")
    done_button.on_click(_done)
    ex.on_reset(_after_reset)

    def _restyle(name: str) -> None:  # projector mode: a new figure in the new style
        nonlocal style_name, fig
        style_name = name
        fig = w.figure = _new_figure()
        _redraw()

    if fig is not None:
        on_style_change(_restyle, owner=w)
    return w
