"""Rating scales (1 to 5) with a chart of the ratings, and "start versus end of day".

Each item gets a row of buttons: "Not rated", 1, 2, 3, 4, 5. Buttons are standard
controls, so Tab moves between them and Enter or Space picks one; each button's tooltip
names the item and what the number means. A chart of the ratings (a bar per item, or a
radar of group means) is drawn on one long-lived figure and updated in place.

Stored under ``notebook/exercise/ratings`` as ``{item_key: rating}`` for the rated items.
A stored rating outside 1 to 5, or one that is not a whole number, is ignored (and kept
in the history); the status line says so.

Completion rule: complete when every item has a rating.

:func:`plot_rating_change` draws two sets of ratings of the same items (for example
the start and the end of a day) and :func:`describe_rating_change` is its text twin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from partnership_lib.charts.chart import chart_html, figure_png
from partnership_lib.core.html import escape
from partnership_lib.core.style import current_theme, on_style_change, style_context
from partnership_lib.models.ratings import (
    RATING_MAX,
    RATING_MIN,
    RATINGS_FIELD,
    ChartKind,
    check_rating,
    describe_ratings,
    plot_ratings,
    rating_groups,
    table_ratings,
    update_ratings,
)
from partnership_lib.widgets.base import Binding, Exercise

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "RatingScale",
    "rating_scale",
]

_NOT_RATED = 0  # the "Not rated" button's value; never stored


# --------------------------------------------------------------------------- data


# --------------------------------------------------------------------------- ratings plot


# --------------------------------------------------------------------------- change plot


# --------------------------------------------------------------------------- widget


class RatingScale(widgets.VBox):
    """The widget :func:`rating_scale` returns.

    Attributes
    ----------
    exercise : Exercise
    buttons : dict
        Item key to its ``ipywidgets.ToggleButtons`` (value 0 means not rated).
    chart : ipywidgets.HTML
        The picture of the ratings with its text description.
    figure : matplotlib.figure.Figure
        The one figure the chart is drawn on.
    """

    exercise: Exercise
    buttons: dict[str, widgets.ToggleButtons]
    chart: widgets.HTML
    figure: Figure

    def ratings(self) -> dict[str, int]:
        """Item key to rating, for the rated items."""
        return {k: b.value for k, b in self.buttons.items() if b.value != _NOT_RATED}


def rating_scale(
    binding: Binding,
    items: Iterable[tuple[str, str] | Any],
    *,
    low_label: str = "1 = not at all",
    high_label: str = "5 = fully",
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    chart: ChartKind = "bar",
    title: str | None = None,
    chart_title: str = "Your ratings",
) -> RatingScale:
    """Rate each item from 1 to 5, with a chart of the ratings that updates as you go.

    Parameters
    ----------
    items
        ``(key, text)`` pairs or objects with ``.key`` and ``.text`` (or ``.label``).
    notebook, exercise
        Where the ratings are stored (field ``ratings``).
    store, progress
        The answer store (default: the learner's) and the notebook's progress line.
    low_label, high_label
        What the ends of the scale mean; shown above the items and in the tooltips.
    groups
        ``(group title, item keys)`` pairs covering every item once: the items are
        shown under group headings, and a radar chart shows each group's mean.
    chart
        ``"bar"`` (a bar per item) or ``"radar"`` (groups' means, or items without
        groups; needs at least three spokes).
    title
        Heading above the scale.
    chart_title
        Title of the chart.

    Returns
    -------
    RatingScale
        A VBox with classes ``pl-exercise`` and ``pl-rating``. Complete when every item
        is rated.
    """
    pairs = _as_pairs(items)
    labels = dict(pairs)
    grouped = rating_groups(groups, list(labels))
    if chart not in ("bar", "radar"):
        raise ValueError(f"unknown chart kind {chart!r}; choose 'bar' or 'radar'")
    ex = Exercise(binding, kind="rating", title=title or "")
    style_name = current_theme().name

    def _new_figure():
        with style_context(style_name):
            ax = plot_ratings({}, labels=labels, groups=grouped, kind=chart, title=chart_title)
        plt.close(ax.figure)  # keep the Figure; pyplot must neither hold nor show it
        return ax.figure

    fig = _new_figure()
    picture = widgets.HTML(layout=widgets.Layout(width="100%"))
    picture.add_class("pl-chart-view")

    def _meaning(value: int) -> str:
        if value == RATING_MIN:
            return low_label
        if value == RATING_MAX:
            return high_label
        return str(value)

    buttons: dict[str, widgets.ToggleButtons] = {}
    for key, text in pairs:
        buttons[key] = widgets.ToggleButtons(
            options=[("Not rated", _NOT_RATED)]
            + [(str(v), v) for v in range(RATING_MIN, RATING_MAX + 1)],
            value=_NOT_RATED,
            tooltips=[f"{text}: not rated"]
            + [f"{text}: {_meaning(v)}" for v in range(RATING_MIN, RATING_MAX + 1)],
            style={"button_width": "auto"},
        )

    def _stored() -> tuple[dict[str, int], list[str]]:
        stored = ex.get(RATINGS_FIELD)
        if stored is None:
            return {}, []
        if not isinstance(stored, dict):
            return {}, [
                "Your saved ratings could not be read (they are not a table of ratings), so "
                "none are shown. They are kept in your history."
            ]
        good: dict[str, int] = {}
        problems = []
        for key, value in stored.items():
            if key not in labels:
                problems.append(f"a rating for {key!r}, which is not on this scale")
                continue
            try:
                rating = check_rating(labels[key], value)
            except ValueError:
                problems.append(f"a rating of {value!r} for {labels[key]!r}")
                continue
            if rating is not None:
                good[key] = rating
        if problems:
            return good, [
                f"Ignored {'; '.join(problems)} (ratings go from {RATING_MIN} to "
                f"{RATING_MAX}). What you saved is kept in your history."
            ]
        return good, []

    def _show(values: Mapping[str, int]) -> None:
        for key, toggle in buttons.items():
            toggle.unobserve(_changed, names="value")
            try:
                toggle.value = values.get(key, _NOT_RATED)
            finally:
                toggle.observe(_changed, names="value")

    def _redraw() -> None:
        current = w.ratings()
        with style_context(style_name):
            update_ratings(fig.axes[0], current, labels=labels, groups=grouped, kind=chart)
            width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
            picture.value = chart_html(
                figure_png(fig),
                describe_ratings(
                    current, labels=labels, groups=grouped, kind=chart, title=chart_title
                ),
                width=width,
                height=height,
                table=table_ratings(
                    current, labels=labels, groups=grouped, kind=chart, title=chart_title
                ),
            )

    unreadable = [False]  # some stored ratings could not be shown: keep them in history

    def _save(current: dict[str, int]) -> bool:
        if unreadable[0]:
            unreadable[0] = not ex.save(RATINGS_FIELD, current, coalesce=False)
            return not unreadable[0]
        return ex.save(RATINGS_FIELD, current)

    def _changed(_change: dict[str, Any]) -> None:
        current = w.ratings()
        if _save(current):
            complete = len(current) == len(buttons)
            ex.mark("complete" if complete else "started")
            ex.announce(f"Saved. {len(current)} of {len(buttons)} rated.", "saved")
        _redraw()

    def _after_reset() -> None:
        values, problems = _stored()
        unreadable[0] = bool(problems)
        _show(values)
        _redraw()
        if problems:
            ex.announce(" ".join(problems), "warning")

    head: list[widgets.Widget] = []
    if title:
        head.append(widgets.HTML(f'<h3 class="pl-exercise-title">{escape(title)}</h3>'))
    head.append(
        widgets.HTML(
            f'<div class="pl-scale-key">Rate each from {RATING_MIN} to {RATING_MAX}: '
            f"<strong>{escape(low_label)}</strong>, <strong>{escape(high_label)}</strong>. "
            "Leave any you cannot rate yet as “Not rated”.</div>"
        )
    )

    def _row(key: str) -> widgets.Widget:
        label = widgets.HTML(f'<div class="pl-rating-item">{escape(labels[key])}</div>')
        row = widgets.VBox([label, buttons[key]], layout=widgets.Layout(margin="0 0 0.5em 0"))
        row.add_class("pl-rating-row")
        return row

    rows: list[widgets.Widget] = []
    if grouped is None:
        rows = [_row(k) for k in labels]
    else:
        for group_title, members in grouped:
            rows.append(
                widgets.HTML(
                    f'<div class="pl-group-title"><strong>{escape(group_title)}</strong></div>'
                )
            )
            rows.extend(_row(k) for k in members)
    w = RatingScale(
        [*head, widgets.VBox(rows), picture, ex.status, ex.reset_bar()],
        layout=widgets.Layout(width="100%"),
    )
    w.add_class("pl-exercise")
    w.add_class("pl-rating")
    w.exercise, w.buttons, w.chart, w.figure = ex, buttons, picture, fig
    values, problems = _stored()
    unreadable[0] = bool(problems)
    for toggle in buttons.values():
        toggle.observe(_changed, names="value")
    _show(values)
    _redraw()
    if problems:
        ex.announce(" ".join(problems), "warning")
    ex.on_reset(_after_reset)

    def _restyle(name: str) -> None:  # projector mode: a new figure in the new style
        nonlocal style_name, fig
        style_name = name
        fig = w.figure = _new_figure()
        _redraw()

    on_style_change(_restyle, owner=w)
    return w


def _as_pairs(items: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    out = []
    for item in items:
        if isinstance(item, tuple | list) and len(item) == 2:
            key, text = item
        elif hasattr(item, "key") and (hasattr(item, "text") or hasattr(item, "label")):
            key = item.key
            text = item.text if hasattr(item, "text") else item.label
        else:
            raise ValueError(
                f"rating item {item!r} must be a (key, text) pair or have .key and .text"
            )
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"rating item key must be non-empty text, got {key!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"rating item {key!r}: text must be non-empty, got {text!r}")
        out.append((key, text))
    if not out:
        raise ValueError("rating_scale: give at least one item")
    keys = [k for k, _ in out]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"rating_scale: duplicate item key {dupes[0]!r}")
    return tuple(out)
