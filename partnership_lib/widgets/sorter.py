"""Sorters and matching exercises: place each item in a category, check, see the model answer.

A sorter shows one labelled drop-down per item. "Check my answers" marks each placed item
right or wrong beside it (a tick or a cross *and* words, never colour alone) and announces
the score, such as "5 of 8 right", in the status line. "Show the model answer" shows the
model category and its explanation under every item.

Stored fields (under ``notebook/exercise/<field>``):

``placements``
    ``{item_key: category_key}`` for every placed item.
``checked``
    The placements as they were at the last check. Feedback is shown for an item only
    while its placement still matches, so changing an answer clears its stale mark.
``revealed``
    ``True`` while the model answer is shown.

Completion rule: the exercise is complete when every item is placed and the current
placements have been checked (right or wrong). Changing an answer afterwards makes it
"started" again until the next check.

:func:`matching_exercise` is the same engine used to match terms to definitions, and
:func:`team_trait_items` / :func:`partnership_definition_pairs` turn the workbook's
content into items.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from partnership_lib.core import content
from partnership_lib.core.html import escape
from partnership_lib.models import frameworks
from partnership_lib.widgets.base import Binding, Exercise

__all__ = [
    "Category",
    "MatchPair",
    "SortItem",
    "matching_exercise",
    "partnership_definition_pairs",
    "sorter",
    "team_trait_items",
]

PLACEMENTS_FIELD = "placements"
CHECKED_FIELD = "checked"
REVEALED_FIELD = "revealed"

#: Items whose text is at most this long are named in full by their drop-down's label.
_SHORT_TEXT = 40
_UNPLACED = ""
_CHOOSE = "Choose…"


def _check_text(owner: str, field: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{owner}: {field} must be non-empty text, got {value!r}")


def _check_key(owner: str, value: Any) -> None:
    _check_text(owner, "key", value)
    if value != value.strip():
        raise ValueError(f"{owner}: key must not start or end with spaces, got {value!r}")


@dataclass(frozen=True, slots=True)
class Category:
    """A place an item can be sorted into: ``key`` is stored, ``label`` is shown."""

    key: str
    label: str
    description: str = ""

    def __post_init__(self) -> None:
        _check_key(f"category {self.label!r}", self.key)
        _check_text(f"category {self.key!r}", "label", self.label)
        if not isinstance(self.description, str):
            raise ValueError(
                f"category {self.key!r}: description must be text, got {self.description!r}"
            )


@dataclass(frozen=True, slots=True)
class SortItem:
    """One thing to sort: its text, the key of the category it belongs in, and why."""

    key: str
    text: str
    answer: str
    explanation: str = ""

    def __post_init__(self) -> None:
        _check_key(f"item {self.text!r}", self.key)
        _check_text(f"item {self.key!r}", "text", self.text)
        _check_text(f"item {self.key!r}", "answer", self.answer)
        if not isinstance(self.explanation, str):
            raise ValueError(
                f"item {self.key!r}: explanation must be text, got {self.explanation!r}"
            )


@dataclass(frozen=True, slots=True)
class MatchPair:
    """A term and its definition, for :func:`matching_exercise`."""

    term: str
    definition: str
    explanation: str = ""

    def __post_init__(self) -> None:
        _check_text("match pair", "term", self.term)
        _check_text(f"term {self.term!r}", "definition", self.definition)
        if not isinstance(self.explanation, str):
            raise ValueError(
                f"term {self.term!r}: explanation must be text, got {self.explanation!r}"
            )

    @property
    def key(self) -> str:
        """Snake-case key derived from the term (stored answers use it)."""
        return _slug(self.term)


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")
    return slug or "term"


def _check_content(
    items: Sequence[SortItem], categories: Sequence[Category]
) -> tuple[tuple[SortItem, ...], tuple[Category, ...]]:
    """Validate items against categories; ValueError names the item and the value."""
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise ValueError(f"items must be a sequence of SortItem, got {items!r}")
    if isinstance(categories, str | bytes) or not isinstance(categories, Iterable):
        raise ValueError(f"categories must be a sequence of Category, got {categories!r}")
    items, categories = tuple(items), tuple(categories)
    if not categories:
        raise ValueError("a sorter needs at least one category")
    if not items:
        raise ValueError("a sorter needs at least one item")
    keys: set[str] = set()
    for category in categories:
        if not isinstance(category, Category):
            raise ValueError(f"categories must be Category objects, got {category!r}")
        if category.key in keys:
            raise ValueError(f"category {category.label!r}: duplicate key {category.key!r}")
        keys.add(category.key)
    item_keys: set[str] = set()
    for item in items:
        if not isinstance(item, SortItem):
            raise ValueError(f"items must be SortItem objects, got {item!r}")
        if item.key in item_keys:
            raise ValueError(f"item {item.text!r}: duplicate key {item.key!r}")
        item_keys.add(item.key)
        if item.answer not in keys:
            raise ValueError(
                f"item {item.key!r}: answer {item.answer!r} is not a category; "
                f"categories: {', '.join(c.key for c in categories)}"
            )
    return items, categories


def _shuffled(items: Sequence[Any], seed: int | None) -> list[Any]:
    """The items in a fixed shuffled order for ``seed`` (content order when ``None``)."""
    order = list(items)
    if seed is not None:
        random.Random(seed).shuffle(order)
    return order


# --------------------------------------------------------------------------- widget


def _mark(right: bool) -> str:
    if right:
        return '<strong class="pl-mark pl-right" style="color:#0B4F2E">\u2713 Right.</strong>'
    return '<strong class="pl-mark pl-wrong" style="color:#7A2E00">\u2717 Not this one.</strong>'


class _Sorter:
    """The widgets and state of one sorter (the builder returns ``.widget``)."""

    def __init__(
        self,
        items: tuple[SortItem, ...],
        categories: tuple[Category, ...],
        ex: Exercise,
        prompt: str,
        kind: str,
    ) -> None:
        self.items = items
        self.categories = {c.key: c for c in categories}
        self.ex = ex
        self._loading = False
        self._placements: dict[str, str] = {}
        self._checked: dict[str, str] = {}
        self._revealed = False
        self._damaged: set[str] = set()  # fields whose stored value could not be used
        options = [(_CHOOSE, _UNPLACED), *((c.label, c.key) for c in categories)]

        parts: list[widgets.Widget] = []
        if prompt:
            parts.append(widgets.HTML(f'<p class="pl-prompt">{escape(prompt)}</p>'))
        described = [c for c in categories if c.description.strip()]
        if described:
            parts.append(
                widgets.HTML(
                    '<dl class="pl-categories">'
                    + "".join(
                        f"<dt><strong>{escape(c.label)}</strong></dt><dd>{escape(c.description)}</dd>"
                        for c in described
                    )
                    + "</dl>"
                )
            )
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows = []
        for n, item in enumerate(items, start=1):
            short = len(item.text) <= _SHORT_TEXT and "\n" not in item.text
            dropdown = widgets.Dropdown(
                options=options,
                value=_UNPLACED,
                description=f"{n}. {item.text}" if short else f"Item {n}",
                tooltip=item.text,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", min_width="18em"),
            )
            dropdown.observe(self._changed, names="value")
            feedback = widgets.HTML(layout=widgets.Layout(flex="1 1 20em", margin="0 0 0 0.5em"))
            feedback.add_class("pl-item-feedback")
            line = widgets.HBox([dropdown, feedback], layout=widgets.Layout(flex_flow="row wrap"))
            row_parts: list[widgets.Widget] = [line]
            if not short:
                row_parts.insert(
                    0,
                    widgets.HTML(
                        f'<div class="pl-sort-item"><strong>Item {n}.</strong> '
                        f"{escape(item.text)}</div>"
                    ),
                )
            row = widgets.VBox(row_parts)
            row.add_class("pl-sort-row")
            rows.append(row)
            self.dropdowns[item.key] = dropdown
            self.feedback[item.key] = feedback
        parts.extend(rows)

        self.check = widgets.Button(
            description="Check my answers",
            icon="check",
            tooltip="Mark each placed item right or wrong",
            layout=widgets.Layout(width="auto"),
        )
        self.reveal = widgets.Button(
            description="Show the model answer",
            icon="eye",
            tooltip="Show where each item belongs, and why",
            layout=widgets.Layout(width="auto"),
        )
        self.check.on_click(self._on_check)
        self.reveal.on_click(self._on_reveal)
        parts.append(widgets.HBox([self.check, self.reveal]))
        parts.extend([ex.status, ex.reset_bar()])
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pl-exercise")
        self.widget.add_class(f"pl-{kind}")
        ex.on_reset(self._load)
        self._load()

    # -- state -----------------------------------------------------------------------
    def _read(self, field: str, problems: list[str]) -> dict[str, str]:
        """A stored ``{item_key: category_key}``, keeping only entries this sorter knows."""
        value = self.ex.get(field)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            problems.append(f"'{field}' is not a set of placements")
            self._damaged.add(field)
            return {}
        out = {}
        for key, category in value.items():
            if key in self.dropdowns and category in self.categories:
                out[key] = category
            else:
                problems.append(f"'{field}' has an entry this exercise does not know")
                self._damaged.add(field)
        return out

    def _save(self, field: str, value: Any) -> bool:
        # The first save over a damaged value is a revision of its own, so the damaged
        # value stays in the history as the warning promised.
        saved = self.ex.save(field, value, coalesce=field not in self._damaged)
        if saved:
            self._damaged.discard(field)
        return saved

    def _load(self) -> None:
        """Show what the store holds (on build, and after a reset or undo)."""
        problems: list[str] = []
        self._damaged = set()
        self._placements = self._read(PLACEMENTS_FIELD, problems)
        self._checked = self._read(CHECKED_FIELD, problems)
        revealed = self.ex.get(REVEALED_FIELD)
        if revealed is not None and not isinstance(revealed, bool):
            problems.append(f"'{REVEALED_FIELD}' is not true or false")
            self._damaged.add(REVEALED_FIELD)
        self._revealed = revealed is True
        self._loading = True
        try:
            for key, dropdown in self.dropdowns.items():
                dropdown.value = self._placements.get(key, _UNPLACED)
        finally:
            self._loading = False
        self._render()
        if problems:
            self.ex.announce(
                "Some saved answers could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); they are kept in your history.",
                "warning",
            )

    def _render(self) -> None:
        for item in self.items:
            self.feedback[item.key].value = self._feedback_html(item)
        self.reveal.description = (
            "Hide the model answer" if self._revealed else "Show the model answer"
        )

    def _feedback_html(self, item: SortItem) -> str:
        placed = self._placements.get(item.key)
        parts = []
        if placed is not None and self._checked.get(item.key) == placed:
            parts.append(_mark(placed == item.answer))
            if not self._revealed and item.explanation:
                parts.append(escape(item.explanation))
        elif self._checked and placed is None and self._revealed is False:
            parts.append('<span class="pl-unplaced">Not placed yet.</span>')
        if self._revealed:
            label = self.categories[item.answer].label
            model = f"Model answer: <strong>{escape(label)}</strong>."
            if item.explanation:
                model += f" {escape(item.explanation)}"
            parts.append(f'<span class="pl-model-answer">{model}</span>')
        return " ".join(parts)

    def _update_progress(self) -> None:
        if not self._placements and not self._checked:
            return
        done = len(self._placements) == len(self.items) and self._checked == self._placements
        self.ex.mark("complete" if done else "started")

    # -- events ----------------------------------------------------------------------
    def _changed(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._placements = {
            key: d.value for key, d in self.dropdowns.items() if d.value != _UNPLACED
        }
        self._save(PLACEMENTS_FIELD, dict(self._placements))
        self._render()
        self._update_progress()

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        if not self._placements:
            self.ex.announce("Choose a place for at least one item, then check.", "warning")
            return
        self._checked = dict(self._placements)
        self._save(CHECKED_FIELD, dict(self._checked))
        self._render()
        self._update_progress()
        total = len(self.items)
        right = sum(self._placements.get(i.key) == i.answer for i in self.items)
        unplaced = total - len(self._placements)
        message = f"{right} of {total} right."
        if unplaced:
            message += f" {unplaced} not placed yet."
        if right == total:
            self.ex.announce(message + " Well done.", "right")
        else:
            wrong = len(self._placements) - right
            if wrong:
                message += " Look at the items marked \u2717, change them and check again."
            self.ex.announce(message, "info")

    def _on_reveal(self, _button: widgets.Button | None = None) -> None:
        self._revealed = not self._revealed
        self._save(REVEALED_FIELD, self._revealed)
        self._render()
        self.ex.announce(
            "The model answer is shown under each item."
            if self._revealed
            else "The model answer is hidden."
        )


# --------------------------------------------------------------------------- builders


def sorter(
    binding: Binding,
    items: Sequence[SortItem],
    categories: Sequence[Category],
    *,
    prompt: str = "",
    shuffle_seed: int | None = None,
) -> widgets.VBox:
    """Build a sorter: one drop-down per item, "Check my answers" and the model answer.

    Parameters
    ----------
    items
        The things to sort, each with the key of the category it belongs in.
    categories
        Where items can go, in the order the drop-downs list them.
    notebook, exercise
        Where the answers are stored (``notebook/exercise/placements`` and so on).
    store
        The learner's answer store; the default store when omitted.
    progress
        A notebook's progress line, refreshed after each save.
    prompt
        Instructions shown above the items (plain text; it is escaped).
    shuffle_seed
        Show the items in a shuffled order fixed by this seed (the same on every
        rebuild); content order when ``None``.

    Returns
    -------
    ipywidgets.VBox
        With classes ``pl-exercise`` and ``pl-sorter``.

    Raises
    ------
    ValueError
        For no items or categories, duplicate keys, or an item whose answer is not a
        category (the message names the item and the value).
    """
    items, categories = _check_content(items, categories)
    ex = Exercise(binding, kind="sorter")
    return _Sorter(tuple(_shuffled(items, shuffle_seed)), categories, ex, prompt, "sorter").widget


def _as_pair(pair: MatchPair | Sequence[str]) -> MatchPair:
    if isinstance(pair, MatchPair):
        return pair
    if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) not in (2, 3):
        raise ValueError(
            f"a match pair must be MatchPair or (term, definition[, explanation]), got {pair!r}"
        )
    return MatchPair(*pair)


def matching_exercise(
    binding: Binding,
    pairs: Sequence[MatchPair | Sequence[str]],
    *,
    prompt: str = "Match each definition to the term it defines.",
    shuffle_seed: int | None = 0,
) -> widgets.VBox:
    """Build a matching exercise: choose the term each definition defines.

    The :func:`sorter` engine with the terms as categories and the definitions as items.
    Stored placements are keyed by the term's snake-case key (``"Multi-sectoral
    Partnership"`` -> ``"multi_sectoral_partnership"``) for both definition and term.

    Parameters
    ----------
    pairs
        :class:`MatchPair` objects, or ``(term, definition)`` /
        ``(term, definition, explanation)`` tuples.
    shuffle_seed
        Order of the definitions (fixed by the seed; content order when ``None``).
    notebook, exercise, store, progress, prompt
        As for :func:`sorter`.

    Returns
    -------
    ipywidgets.VBox
        With classes ``pl-exercise`` and ``pl-matching``.

    Raises
    ------
    ValueError
        For a malformed pair, or two terms with the same key.
    """
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
        raise ValueError(f"pairs must be a sequence of (term, definition), got {pairs!r}")
    matched = [_as_pair(p) for p in pairs]
    categories = [Category(p.key, p.term) for p in matched]
    items = [SortItem(p.key, p.definition, p.key, p.explanation) for p in matched]
    items_t, categories_t = _check_content(items, categories)
    ex = Exercise(binding, kind="matching")
    return _Sorter(
        tuple(_shuffled(items_t, shuffle_seed)), categories_t, ex, prompt, "matching"
    ).widget


# --------------------------------------------------------------------------- content


def team_trait_items(*, seed: int | None = 0) -> tuple[tuple[SortItem, ...], tuple[Category, ...]]:
    """Items and categories for sorting team traits into collaborative or hierarchical.

    Each pair in :func:`partnership_lib.models.frameworks.team_traits` gives two items (keys
    ``"<trait>_collaborative"`` and ``"<trait>_hierarchical"``), shuffled in an order
    fixed by ``seed`` so the two halves of a pair rarely sit side by side.

    Returns
    -------
    (items, categories)
        Categories ``"collaborative"`` and ``"hierarchical"``, labelled with the
        workbook's headings.
    """
    headings = content.load("teams")["headings"]
    categories = (
        Category(
            "collaborative",
            headings["collaborative"],
            "Members share power and status, and the task comes first.",
        ),
        Category(
            "hierarchical",
            headings["hierarchical"],
            "Power sits with a few people at the top, and personal interests come first.",
        ),
    )
    items = []
    for trait in frameworks.team_traits():
        items.append(
            SortItem(
                f"{trait.key}_collaborative",
                trait.collaborative,
                "collaborative",
                f"A sign of a collaborative team. Its hierarchical opposite is "
                f"'{trait.hierarchical}'.",
            )
        )
        items.append(
            SortItem(
                f"{trait.key}_hierarchical",
                trait.hierarchical,
                "hierarchical",
                f"A sign of a hierarchical team. Its collaborative opposite is "
                f"'{trait.collaborative}'.",
            )
        )
    return tuple(_shuffled(items, seed)), categories


def partnership_definition_pairs() -> tuple[MatchPair, ...]:
    """The language of partnership as match pairs: Partner, Partnership, and so on.

    From :func:`partnership_lib.models.frameworks.partnership_definitions`; each explanation
    names the definition's source.
    """
    return tuple(
        MatchPair(d.term, d.meaning, f"This is the definition of {d.term} given by {d.citation}.")
        for d in frameworks.partnership_definitions()
    )
