"""Tick-box checklists with a live score, what the score means, and scores by group.

The learner ticks every statement that is true for them. The score ("7 of 12") and its
meaning (from the caller's :class:`ScoreBand` list) update as they tick. When the items
are grouped, each group gets its own score and a bar chart shows them all, naming the
weakest group; the chart is a :class:`~partnership_lib.widgets.live.LiveChart`, so a
tick repaints only the bar and label it changed.

Stored under ``notebook/exercise/``: ``ticked`` (the ticked item keys, in item order)
and ``done`` (True once the learner presses "I've finished").

Completion rule: the checklist is complete once the learner presses "I've finished".
Finishing with nothing ticked is allowed (none of the statements may apply, and that is
an answer). Changing ticks afterwards keeps it complete; a reset clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import Markup
from partnership_lib.models.checklists import (
    DEFAULT_TITLE,
    ChecklistItem,
    GroupScore,
    ScoreBand,
    as_bands,
    as_groups,
    as_items,
    band_for,
    group_scores,
    plot_checklist_scores,
    weakest_groups,
)
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.live import LiveChart

__all__ = [
    "DONE_FIELD",
    "TICKED_FIELD",
    "Checklist",
    "checklist",
]

TICKED_FIELD = "ticked"
DONE_FIELD = "done"

Groups = tuple[tuple[str, tuple[str, ...]], ...]


class Checklist(Exercise):
    """A tick-box checklist with a live score and what it means.

    The widget :func:`checklist` returns (its parameters are documented there).

    Attributes
    ----------
    items : tuple of ChecklistItem
    groups : tuple or None
        ``(group title, item keys)`` pairs, checked, or None for an ungrouped checklist.
    bands : tuple of ScoreBand
        What each score means, lowest first.
    checkboxes : dict
        Item key to its ``ipywidgets.Checkbox``.
    done_button : ipywidgets.Button
        "I've finished".
    score : ipywidgets.HTML
        The score line and what it means (and the per-group scores).
    chart : LiveChart or None
        The score-by-group picture with its text description (grouped checklists only).
    unreadable : bool
        The stored ticks could not all be shown: the next save is a revision of its own,
        so what was stored stays in the history.
    """

    kind = "checklist"

    items: tuple[ChecklistItem, ...]
    groups: Groups | None
    bands: tuple[ScoreBand, ...]
    chart_title: str
    checkboxes: dict[str, widgets.Checkbox]
    done_button: widgets.Button
    score: widgets.HTML
    chart: LiveChart | None
    unreadable: bool

    def __init__(
        self,
        binding: Binding,
        items: Iterable[ChecklistItem | tuple[str, str] | Any],
        *,
        bands: Iterable[ScoreBand],
        groups: Iterable[tuple[str, Iterable[str]]] | None = None,
        title: str | None = None,
        chart_title: str = DEFAULT_TITLE,
    ) -> None:
        checked = as_items(items)
        grouped = as_groups(groups, checked)
        checked_bands = as_bands(bands)
        super().__init__(binding, title=title or "", layout=widgets.Layout(width="100%"))
        self.items, self.groups, self.bands = checked, grouped, checked_bands
        self.chart_title = chart_title
        self.checkboxes = {item.key: self._checkbox(item) for item in checked}
        self.score = widgets.HTML()
        self.score.add_class("pl-score")
        self.done_button = widgets.Button(
            description="I've finished",
            icon="check",
            tooltip="Record that you have finished this checklist",
        )
        self.chart = LiveChart(plot_checklist_scores) if grouped is not None else None
        self.unreadable = False
        heading = Markup('<h3 class="pl-exercise-title">{}</h3>')
        self.children = [
            *([widgets.HTML(heading.format(title))] if title else []),
            widgets.VBox(self._rows(), layout=widgets.Layout(width="100%")),
            self.score,
            *([self.chart] if self.chart is not None else []),
            self.done_button,
            self.status,
            self.reset_bar(),
        ]
        for box in self.checkboxes.values():
            box.observe(self._changed, names="value")
        self.done_button.on_click(self._done)
        self.on_reset(self.restore)
        self.restore()

    @staticmethod
    def _checkbox(item: ChecklistItem) -> widgets.Checkbox:
        return widgets.Checkbox(
            value=False,
            description=item.text,
            indent=False,
            tooltip=item.text,
            layout=widgets.Layout(width="auto"),
        )

    def _rows(self) -> list[widgets.Widget]:
        if self.groups is None:
            return list(self.checkboxes.values())
        rows: list[widgets.Widget] = []
        heading = Markup('<div class="pl-group-title"><strong>{}</strong></div>')
        for group_title, keys in self.groups:
            rows.append(widgets.HTML(heading.format(group_title)))
            rows.extend(self.checkboxes[k] for k in keys)
        return rows

    # -- what it shows ------------------------------------------------------------------
    def ticked(self) -> list[str]:
        """Keys of the ticked items, in item order."""
        return [key for key, box in self.checkboxes.items() if box.value]

    def scores(self) -> list[GroupScore]:
        """Each group's score now (empty for an ungrouped checklist)."""
        return [] if self.groups is None else group_scores(self.groups, set(self.ticked()))

    def band(self) -> ScoreBand:
        """The band the score falls in now."""
        return band_for(len(self.ticked()) / len(self.items), self.bands)

    def summary(self) -> Markup:
        """The score line, what it means and, with groups, each group's score (HTML)."""
        band = self.band()
        meaning = Markup(" {}").format(band.meaning) if band.meaning else ""
        html = Markup(
            '<div class="pl-score-line"><strong>{} of {}</strong> ticked. '
            "<strong>{}:</strong>{}</div>"
        ).format(len(self.ticked()), len(self.items), band.label, meaning)
        if self.groups is None:
            return html
        scores = self.scores()
        weakest = set(weakest_groups(scores))
        weak = Markup(" <strong>(weakest)</strong>")
        rows = Markup("").join(
            Markup("<li>{}: {} of {}{}</li>").format(
                s.name, s.ticked, s.total, weak if s.name in weakest else ""
            )
            for s in scores
        )
        return html + Markup(
            '<ul class="pl-group-scores" style="margin:0.2em 0 0.4em 1.2em">{}</ul>'
        ).format(rows)

    def short_score(self) -> str:
        """``"3 of 6 ticked: Getting there."``, for the status line."""
        return f"{len(self.ticked())} of {len(self.items)} ticked: {self.band().label}."

    def redraw(self) -> None:
        """Show the current score, and the chart (repainting only what changed)."""
        self.score.value = self.summary()
        if self.chart is not None:
            self.chart.show(self.scores(), title=self.chart_title)

    # -- the store ----------------------------------------------------------------------
    def stored_ticks(self) -> tuple[set[str], str | None]:
        """The stored ticks this checklist has, and what was wrong with the rest."""
        stored = self.get(TICKED_FIELD)
        if stored is None:
            return set(), None
        if not isinstance(stored, list):
            return set(), (
                "Your saved ticks could not be read (they are not a list), so none are shown. "
                "They are kept in your history."
            )
        known = set(self.checkboxes)
        good = {k for k in stored if isinstance(k, str) and k in known}
        bad = [k for k in stored if not (isinstance(k, str) and k in known)]
        if bad:
            shown = ", ".join(repr(k) for k in bad[:5])
            return good, (
                f"Ignored {len(bad)} saved tick{'s' if len(bad) != 1 else ''} for statements "
                f"this checklist does not have ({shown}). They are kept in your history."
            )
        return good, None

    def restore(self) -> None:
        """Show what the store holds (on build, and after a reset or undo), saving nothing."""
        ticked, problem = self.stored_ticks()
        self.unreadable = problem is not None
        for key, box in self.checkboxes.items():
            box.unobserve(self._changed, names="value")
            try:
                box.value = key in ticked
            finally:
                box.observe(self._changed, names="value")
        self.redraw()
        if problem:
            self.announce(problem, "warning")

    def _save_ticks(self) -> bool:
        if self.unreadable:  # keep what could not be shown as a revision of its own
            self.unreadable = not self.save(TICKED_FIELD, self.ticked(), coalesce=False)
            return not self.unreadable
        return self.save(TICKED_FIELD, self.ticked())

    def _changed(self, _change: dict[str, Any]) -> None:
        if self._save_ticks():
            self.mark("complete" if self.get(DONE_FIELD) is True else "started")
            self.announce(f"Saved. {self.short_score()}", "saved")
        self.redraw()

    def _done(self, _button: widgets.Button) -> None:
        if not self._save_ticks() or not self.save(DONE_FIELD, True):
            return
        self.mark("complete")
        self.announce(f"Finished and saved. {self.short_score()}", "saved")


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
    binding
        Where the answers are stored (fields ``ticked`` and ``done``):
        :meth:`Session.bind`'s answer.
    items
        The statements: ``(key, text)`` pairs, :class:`ChecklistItem` objects, or any
        objects with ``.key`` and ``.text``. Keys must be unique.
    bands
        :class:`ScoreBand` list; one must start at 0.
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
        An :class:`Exercise` with classes ``pl-exercise`` and ``pl-checklist``. Complete
        once the learner presses "I've finished" (with any number of items ticked).
    """
    return Checklist(
        binding, items, bands=bands, groups=groups, title=title, chart_title=chart_title
    )
