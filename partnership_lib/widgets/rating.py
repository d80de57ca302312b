"""Rating scales (1 to 5) with a chart of the ratings that follows them.

Each item gets a row of buttons: "Not rated", 1, 2, 3, 4, 5. Buttons are standard
controls, so Tab moves between them and Enter or Space picks one; each button's tooltip
names the item and what the number means. The chosen one is white bold text on dark blue
with a tick after it (the page style, :data:`partnership_lib.widgets.page.RATING_CSS`).
The chart of the ratings (a bar per item, or a radar of group means) is a
:class:`~partnership_lib.widgets.live.LiveChart`: a change repaints only the bar or
spoke it moved.

Stored under ``notebook/exercise/ratings`` as ``{item_key: rating}`` for the rated items;
every item's key and text go with the exercise's kind and title (:meth:`RatingScale.meta`).
A stored rating outside 1 to 5, or one that is not a whole number, is ignored (and kept
in the history); the status line says so.

Completion rule: complete when every item has a rating.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import Markup
from partnership_lib.models.ratings import (
    RATING_MAX,
    RATING_MIN,
    RATINGS_FIELD,
    ChartKind,
    check_rating,
    plot_ratings,
    rating_groups,
)
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.live import LiveChart

__all__ = [
    "RatingScale",
    "rating_scale",
]

#: The "Not rated" button's value; never stored.
NOT_RATED = 0

Groups = tuple[tuple[str, tuple[str, ...]], ...]


class RatingScale(Exercise):
    """Rate each item from 1 to 5, with a chart of the ratings that follows them.

    The widget :func:`rating_scale` returns (its parameters are documented there).

    Attributes
    ----------
    labels : dict
        Item key to the text shown, in the order shown.
    groups : tuple or None
        ``(group title, item keys)`` pairs, checked, or None for ungrouped items.
    chart_kind : str
        ``"bar"`` or ``"radar"``.
    buttons : dict
        Item key to its ``ipywidgets.ToggleButtons`` (value :data:`NOT_RATED` means not rated).
    chart : LiveChart
        The picture of the ratings with its text description and table.
    unreadable : bool
        Some stored ratings could not be shown: the next save is a revision of its own,
        so what was stored stays in the history.
    """

    kind = "rating"

    labels: dict[str, str]
    groups: Groups | None
    chart_kind: ChartKind
    chart_title: str
    low_label: str
    high_label: str
    buttons: dict[str, widgets.ToggleButtons]
    chart: LiveChart
    unreadable: bool

    def __init__(
        self,
        binding: Binding,
        items: Iterable[tuple[str, str] | Any],
        *,
        low_label: str = "1 = not at all",
        high_label: str = "5 = fully",
        groups: Iterable[tuple[str, Iterable[str]]] | None = None,
        chart: ChartKind = "bar",
        title: str | None = None,
        chart_title: str = "Your ratings",
    ) -> None:
        labels = dict(_as_pairs(items))
        grouped = rating_groups(groups, list(labels))
        if chart not in ("bar", "radar"):
            raise ValueError(f"unknown chart kind {chart!r}; choose 'bar' or 'radar'")
        if chart == "radar" and len(grouped or labels) < 3:
            n = len(grouped or labels)
            raise ValueError(f"a radar chart needs at least three spokes, got {n}")
        super().__init__(binding, title=title or "", layout=widgets.Layout(width="100%"))
        self.labels, self.groups, self.chart_kind = labels, grouped, chart
        self.chart_title, self.low_label, self.high_label = chart_title, low_label, high_label
        self.buttons = {key: self._toggle(text) for key, text in labels.items()}
        self.chart = LiveChart(plot_ratings)
        self.unreadable = False
        self.children = [
            *self._heading(title),
            widgets.VBox(self._rows()),
            self.chart,
            self.status,
            self.reset_bar(),
        ]
        for toggle in self.buttons.values():
            toggle.observe(self._changed, names="value")
        self.on_reset(self.restore)
        self.restore()

    def meta(self) -> dict[str, Any]:
        """Kind and title, and every item as ``[key, text]`` in order: an export counts
        the rated items out of all of them ("3 of 7"), not out of those rated."""
        return {**super().meta(), "items": [[k, text] for k, text in self.labels.items()]}

    # -- what it shows ------------------------------------------------------------------
    def ratings(self) -> dict[str, int]:
        """Item key to rating, for the rated items."""
        return {k: b.value for k, b in self.buttons.items() if b.value != NOT_RATED}

    def meaning(self, value: int) -> str:
        """What a point on the scale means, for a tooltip: ``"1 = not at all"``, ``"3"``."""
        if value == RATING_MIN:
            return self.low_label
        if value == RATING_MAX:
            return self.high_label
        return str(value)

    def _toggle(self, text: str) -> widgets.ToggleButtons:
        scale = range(RATING_MIN, RATING_MAX + 1)
        toggle = widgets.ToggleButtons(
            options=[("Not rated", NOT_RATED)] + [(str(v), v) for v in scale],
            value=NOT_RATED,
            tooltips=[f"{text}: not rated"] + [f"{text}: {self.meaning(v)}" for v in scale],
            style={"button_width": "auto"},
        )
        # the page style shows the chosen button dark, bold and ticked (widgets.page)
        toggle.add_class("pl-rating-buttons")
        return toggle

    def _heading(self, title: str | None) -> list[widgets.Widget]:
        head: list[widgets.Widget] = []
        if title:
            head.append(widgets.HTML(Markup('<h3 class="pl-exercise-title">{}</h3>').format(title)))
        key = Markup(
            '<div class="pl-scale-key">Rate each from {} to {}: '
            "<strong>{}</strong>, <strong>{}</strong>. "
            "Leave any you cannot rate yet as “Not rated”.</div>"
        ).format(RATING_MIN, RATING_MAX, self.low_label, self.high_label)
        return [*head, widgets.HTML(key)]

    def _row(self, key: str) -> widgets.Widget:
        label = widgets.HTML(
            Markup('<div class="pl-rating-item">{}</div>').format(self.labels[key])
        )
        row = widgets.VBox([label, self.buttons[key]], layout=widgets.Layout(margin="0 0 0.5em 0"))
        row.add_class("pl-rating-row")
        return row

    def _rows(self) -> list[widgets.Widget]:
        if self.groups is None:
            return [self._row(k) for k in self.labels]
        rows: list[widgets.Widget] = []
        for group_title, members in self.groups:
            heading = Markup('<div class="pl-group-title"><strong>{}</strong></div>')
            rows.append(widgets.HTML(heading.format(group_title)))
            rows.extend(self._row(k) for k in members)
        return rows

    def redraw(self) -> None:
        """Show the current ratings on the chart (repainting only what moved)."""
        self.chart.show(
            self.ratings(),
            labels=self.labels,
            groups=self.groups,
            kind=self.chart_kind,
            title=self.chart_title,
        )

    # -- the store ----------------------------------------------------------------------
    def stored(self) -> tuple[dict[str, int], list[str]]:
        """The valid stored ratings, and what was wrong with the rest (for the learner)."""
        stored = self.get(RATINGS_FIELD)
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
            if key not in self.labels:
                problems.append(f"a rating for {key!r}, which is not on this scale")
                continue
            try:
                rating = check_rating(self.labels[key], value)
            except ValueError:
                problems.append(f"a rating of {value!r} for {self.labels[key]!r}")
                continue
            if rating is not None:
                good[key] = rating
        if problems:
            return good, [
                f"Ignored {'; '.join(problems)} (ratings go from {RATING_MIN} to "
                f"{RATING_MAX}). What you saved is kept in your history."
            ]
        return good, []

    def restore(self) -> None:
        """Show what the store holds (on build, and after a reset or undo), saving nothing."""
        values, problems = self.stored()
        self.unreadable = bool(problems)
        self._show(values)
        self.redraw()
        if problems:
            self.announce(" ".join(problems), "warning")

    def _show(self, values: Mapping[str, int]) -> None:
        for key, toggle in self.buttons.items():
            toggle.unobserve(self._changed, names="value")
            try:
                toggle.value = values.get(key, NOT_RATED)
            finally:
                toggle.observe(self._changed, names="value")

    def _save(self, current: dict[str, int]) -> bool:
        if self.unreadable:  # keep what could not be shown as a revision of its own
            self.unreadable = not self.save(RATINGS_FIELD, current, coalesce=False)
            return not self.unreadable
        return self.save(RATINGS_FIELD, current)

    def _changed(self, _change: dict[str, Any]) -> None:
        current = self.ratings()
        if self._save(current):
            self.mark("complete" if len(current) == len(self.buttons) else "started")
            self.announce(f"Saved. {len(current)} of {len(self.buttons)} rated.", "saved")
        self.redraw()


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
    binding
        Where the ratings are stored (field ``ratings``): :meth:`Session.bind`'s answer.
    items
        ``(key, text)`` pairs or objects with ``.key`` and ``.text`` (or ``.label``).
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
        An :class:`Exercise` with classes ``pl-exercise`` and ``pl-rating``. Complete
        when every item is rated.
    """
    return RatingScale(
        binding,
        items,
        low_label=low_label,
        high_label=high_label,
        groups=groups,
        chart=chart,
        title=title,
        chart_title=chart_title,
    )


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
