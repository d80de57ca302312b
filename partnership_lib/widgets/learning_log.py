"""The personal learning log: experience, reflect, conclude and plan, after each session.

The workbook asks learners to complete a log page at the end of every workshop, following
a learning cycle. This widget shows that cycle as a picture (with its text description),
highlighting the stage the learner is writing: the one they last typed in, or else the
first stage still empty. Each stage has its question and a text box saved as they type.

Stored under ``notebook/exercise/<stage key>`` (``experience``, ``reflect``, ``conclude``,
``plan``: the stage keys of the ``learning_log`` cycle in ``data/learning_cycles.yaml``).

Completion rule: complete when all four stages hold some text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from partnership_lib.charts.chart import chart_html, figure_png
from partnership_lib.core.html import escape
from partnership_lib.core.style import current_theme, on_style_change, style_context
from partnership_lib.models.learning import (
    describe_kolb_cycle,
    learning_cycle,
    plot_kolb_cycle,
    table_kolb_cycle,
)
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.text import _MUTED, _BoundText, _saved, _sync_status, _textarea

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "LearningLog",
    "learning_log",
]

CYCLE = "learning_log"


class LearningLog(widgets.VBox):
    """The widget :func:`learning_log` returns.

    Attributes
    ----------
    exercise : Exercise
    textareas : dict
        Stage key to its ``ipywidgets.Textarea``.
    diagram : ipywidgets.HTML
        The learning cycle picture with its text description.
    figure : matplotlib.figure.Figure
        The one figure the cycle is drawn on.
    current : str or None
        Key of the highlighted stage (None when every stage is written and none is
        being edited).
    """

    exercise: Exercise
    textareas: dict[str, widgets.Textarea]
    diagram: widgets.HTML
    figure: Figure
    current: str | None


def learning_log(
    binding: Binding,
    *,
    session_title: str,
) -> LearningLog:
    """A learning log page for one session: the learning cycle and four text boxes.

    Parameters
    ----------
    notebook, exercise
        Where the log is stored; each stage is a field named by its key.
    session_title
        The session the page is about, shown in the heading.
    store, progress
        The answer store (default: the learner's) and the notebook's progress line.

    Returns
    -------
    LearningLog
        A VBox with classes ``pl-exercise`` and ``pl-learning-log``. Complete when all
        four stages are written.
    """
    if not isinstance(session_title, str) or not session_title.strip():
        raise ValueError(
            f"learning_log: session_title must be non-empty text, got {session_title!r}"
        )
    cycle = learning_cycle(CYCLE)
    ex = Exercise(binding, kind="learning_log", title=f"{cycle.name}: {session_title}")
    style_name = current_theme().name
    diagram = widgets.HTML(layout=widgets.Layout(width="100%"))
    diagram.add_class("pl-chart-view")
    line = widgets.HTML()
    line.add_class("pl-completeness")
    w = LearningLog(layout=widgets.Layout(width="100%"))
    w.add_class("pl-exercise")
    w.add_class("pl-learning-log")
    w.exercise, w.diagram, w.textareas, w.current = ex, diagram, {}, None
    bound: dict[str, _BoundText] = {}
    drawn: list[Any] = [object()]  # the stage last drawn (a sentinel forces the first draw)
    pictures: dict[str | None, str] = {}

    def _first_empty() -> str | None:
        return next((s.key for s in cycle.stages if not bound[s.key].filled), None)

    def _draw(current: str | None) -> None:
        w.current = current
        if drawn[0] == current:
            return
        drawn[0] = current
        with style_context(style_name):
            if not hasattr(w, "figure"):  # first draw: the one figure this widget keeps
                ax = plot_kolb_cycle(model=cycle, current=current)
                w.figure = ax.figure
                plt.close(w.figure)  # keep the Figure; pyplot must neither hold nor show it
            else:
                ax = w.figure.axes[0]
                ax.clear()
                plot_kolb_cycle(model=cycle, current=current, ax=ax)
            fig = w.figure
            if current not in pictures:  # the picture holds no learner text: render it once
                width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
                pictures[current] = chart_html(
                    figure_png(fig),
                    describe_kolb_cycle(model=cycle, current=current),
                    width=width,
                    height=height,
                    table=table_kolb_cycle(model=cycle, current=current),
                )
        diagram.value = pictures[current]

    def _line() -> None:
        done = sum(b.filled for b in bound.values())
        n = len(cycle.stages)
        line.value = (
            f'<div class="pl-completeness"><strong>{done} of {n} stages written</strong></div>'
        )

    def _changed_in(key: str):
        def _changed(saved: bool) -> None:
            _line()
            _draw(key)
            if saved:
                _sync_status(ex, all(b.filled for b in bound.values()))
                _saved(ex)

        return _changed

    sections: list[widgets.Widget] = []
    problems = []
    for i, stage in enumerate(cycle.stages, start=1):
        area = _textarea(stage.name, rows=4)
        bound[stage.key] = _BoundText(ex, area, stage.key, stage.name, _changed_in(stage.key))
        if bound[stage.key].problem:
            problems.append(bound[stage.key].problem)
        w.textareas[stage.key] = area
        head = widgets.HTML(
            f'<div class="pl-field-label"><strong>{i}. {escape(stage.name)}</strong></div>'
            f'<div class="pl-guidance" style="color:{_MUTED}">{escape(stage.prompt)}</div>'
        )
        section = widgets.VBox([head, area], layout=widgets.Layout(margin="0 0 0.8em 0"))
        section.add_class("pl-form-field")
        sections.append(section)

    def _after_reset() -> None:
        _line()
        _draw(_first_empty())

    _line()
    _draw(_first_empty())
    ex.on_reset(_after_reset)
    if problems:
        ex.announce(" ".join(problems), "warning")
    title = widgets.HTML(
        f'<h3 class="pl-exercise-title">{escape(cycle.name)}: {escape(session_title)}</h3>'
        f'<p class="pl-intro">Write a few lines for each stage of the cycle before you leave '
        "the session. The log is for you: it stays with your other answers on this "
        "computer unless you choose to share or export it.</p>"
    )
    w.children = [title, diagram, line, *sections, ex.status, ex.reset_bar()]

    def _restyle(name: str) -> None:  # projector mode: a new figure in the new style
        nonlocal style_name
        style_name = name
        pictures.clear()
        if hasattr(w, "figure"):
            del w.figure
        current, drawn[0] = w.current, object()
        _draw(current)

    on_style_change(_restyle, owner=w)
    return w
