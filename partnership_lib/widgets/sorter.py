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

:class:`Sorter` (built by :func:`sorter`) is the exercise; :class:`Matching` (built by
:func:`matching_exercise`) is the same engine used to match terms to definitions, and
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
from partnership_lib.core.html import Markup, render
from partnership_lib.models import frameworks
from partnership_lib.widgets.base import Binding, Exercise

__all__ = [
    "Category",
    "MatchPair",
    "Matching",
    "SortItem",
    "Sorter",
    "matching_exercise",
    "partnership_definition_pairs",
    "shuffled",
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


def shuffled(items: Sequence[Any], seed: int | None) -> list[Any]:
    """The items in the fixed shuffled order a sorter shows for ``seed`` (content order
    when ``None``): the same on every run, so a test or a facilitator knows what comes first."""
    order = list(items)
    if seed is not None:
        random.Random(seed).shuffle(order)
    return order


# --------------------------------------------------------------------------- widget


def _mark(right: bool) -> Markup:
    if right:
        return Markup(
            '<strong class="pl-mark pl-right" style="color:#0B4F2E">\u2713 Right.</strong>'
        )
    return Markup(
        '<strong class="pl-mark pl-wrong" style="color:#7A2E00">\u2717 Not this one.</strong>'
    )


def _stored_placements(
    value: Any, known_items: Iterable[str], known_categories: Iterable[str]
) -> tuple[dict[str, str], str | None]:
    """``(placements, problem)`` from a stored ``{item_key: category_key}``.

    Entries this sorter does not know are dropped; ``problem`` says what was wrong, or is
    None.
    """
    if value is None:
        return {}, None
    if not isinstance(value, Mapping):
        return {}, "is not a set of placements"
    items, categories = set(known_items), set(known_categories)
    out = {k: c for k, c in value.items() if k in items and c in categories}
    return out, (None if len(out) == len(value) else "has an entry this exercise does not know")


class Sorter(Exercise):
    """Place each item in a category, check, and see the model answer.

    Parameters
    ----------
    binding
        Where the answers are stored (``notebook/exercise/placements`` and so on).
    items
        The things to sort, each with the key of the category it belongs in.
    categories
        Where items can go, in the order the drop-downs list them.
    prompt
        Instructions shown above the items (plain text; it is escaped).
    shuffle_seed
        Show the items in a shuffled order fixed by this seed (the same on every
        rebuild); content order when ``None``.

    Raises
    ------
    ValueError
        For no items or categories, duplicate keys, or an item whose answer is not a
        category (the message names the item and the value).

    Classes ``pl-exercise`` and ``pl-sorter`` (``pl-matching`` for :class:`Matching`).
    """

    kind = "sorter"

    #: The items, in the order shown.
    items: tuple[SortItem, ...]
    #: Category key to category, in the order the drop-downs list them.
    categories: dict[str, Category]
    #: Item key to its drop-down.
    dropdowns: dict[str, widgets.Dropdown]
    #: Item key to the right/wrong mark and model answer shown beside it.
    feedback: dict[str, widgets.HTML]
    check_button: widgets.Button
    reveal_button: widgets.Button
    #: Item key to the category it is placed in (placed items only).
    placements: dict[str, str]
    #: The placements as they were at the last check.
    checked: dict[str, str]
    #: Whether the model answer is shown.
    revealed: bool

    def __init__(
        self,
        binding: Binding,
        items: Sequence[SortItem],
        categories: Sequence[Category],
        *,
        prompt: str = "",
        shuffle_seed: int | None = None,
    ) -> None:
        items, categories = _check_content(items, categories)
        super().__init__(binding)
        self.items = tuple(shuffled(items, shuffle_seed))
        self.categories = {c.key: c for c in categories}
        self.placements, self.checked, self.revealed = {}, {}, False
        self._loading = False
        self._damaged: set[str] = set()  # fields whose stored value could not be used
        self.dropdowns, self.feedback = {}, {}
        rows = [self._item_row(n, item) for n, item in enumerate(self.items, start=1)]
        auto = widgets.Layout(width="auto")
        self.check_button = widgets.Button(
            description="Check my answers",
            icon="check",
            tooltip="Mark each placed item right or wrong",
            layout=auto,
        )
        self.reveal_button = widgets.Button(
            description="Show the model answer",
            icon="eye",
            tooltip="Show where each item belongs, and why",
            layout=widgets.Layout(width="auto"),
        )
        self.check_button.on_click(lambda _button: self.check())
        self.reveal_button.on_click(lambda _button: self.toggle_model_answer())
        self.children = [
            *self._intro(prompt, categories),
            *rows,
            widgets.HBox([self.check_button, self.reveal_button]),
            self.status,
            self.reset_bar(),
        ]
        self.on_reset(self.load)
        self.load()

    # -- building ------------------------------------------------------------------------
    @staticmethod
    def _intro(prompt: str, categories: Sequence[Category]) -> list[widgets.Widget]:
        parts: list[widgets.Widget] = []
        if prompt:
            parts.append(widgets.HTML(str(Markup('<p class="pl-prompt">{}</p>').format(prompt))))
        described = [c for c in categories if c.description.strip()]
        if described:
            parts.append(
                widgets.HTML(str(render("sorter_categories.html.j2", categories=described)))
            )
        return parts

    def _item_row(self, n: int, item: SortItem) -> widgets.VBox:
        short = len(item.text) <= _SHORT_TEXT and "\n" not in item.text
        options = [(_CHOOSE, _UNPLACED), *((c.label, c.key) for c in self.categories.values())]
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
        parts: list[widgets.Widget] = [line]
        if not short:
            parts.insert(
                0,
                widgets.HTML(
                    str(
                        Markup(
                            '<div class="pl-sort-item"><strong>Item {}.</strong> {}</div>'
                        ).format(n, item.text)
                    )
                ),
            )
        row = widgets.VBox(parts)
        row.add_class("pl-sort-row")
        self.dropdowns[item.key] = dropdown
        self.feedback[item.key] = feedback
        return row

    # -- state ---------------------------------------------------------------------------
    def _read(self, field: str, problems: list[str]) -> dict[str, str]:
        placements, problem = _stored_placements(self.get(field), self.dropdowns, self.categories)
        if problem:
            problems.append(f"'{field}' {problem}")
            self._damaged.add(field)
        return placements

    def _save(self, field: str, value: Any) -> bool:
        # The first save over a damaged value is a revision of its own, so the damaged
        # value stays in the history as the warning promised.
        saved = self.save(field, value, coalesce=field not in self._damaged)
        if saved:
            self._damaged.discard(field)
        return saved

    def load(self) -> None:
        """Show what the store holds (on build, and after a reset or undo)."""
        problems: list[str] = []
        self._damaged = set()
        self.placements = self._read(PLACEMENTS_FIELD, problems)
        self.checked = self._read(CHECKED_FIELD, problems)
        revealed = self.get(REVEALED_FIELD)
        if revealed is not None and not isinstance(revealed, bool):
            problems.append(f"'{REVEALED_FIELD}' is not true or false")
            self._damaged.add(REVEALED_FIELD)
        self.revealed = revealed is True
        self._loading = True
        try:
            for key, dropdown in self.dropdowns.items():
                dropdown.value = self.placements.get(key, _UNPLACED)
        finally:
            self._loading = False
        self.render()
        if problems:
            self.announce(
                "Some saved answers could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); they are kept in your history.",
                "warning",
            )

    def render(self) -> None:
        """Show each item's feedback and the model-answer button's current label."""
        for item in self.items:
            self.feedback[item.key].value = str(self._feedback_html(item))
        self.reveal_button.description = (
            "Hide the model answer" if self.revealed else "Show the model answer"
        )

    def _feedback_html(self, item: SortItem) -> Markup:
        placed = self.placements.get(item.key)
        parts: list[Markup | str] = []  # Markup.join escapes the plain text
        if placed is not None and self.checked.get(item.key) == placed:
            parts.append(_mark(placed == item.answer))
            if not self.revealed and item.explanation:
                parts.append(item.explanation)
        elif self.checked and placed is None and not self.revealed:
            parts.append(Markup('<span class="pl-unplaced">Not placed yet.</span>'))
        if self.revealed:
            parts.append(
                render(
                    "model_answer.html.j2",
                    label=self.categories[item.answer].label,
                    explanation=item.explanation,
                )
            )
        return Markup(" ").join(parts)

    def score(self) -> tuple[int, int]:
        """``(right, total)``: how many items are placed in their model category."""
        right = sum(self.placements.get(i.key) == i.answer for i in self.items)
        return right, len(self.items)

    def _update_progress(self) -> None:
        if not self.placements and not self.checked:
            return
        done = len(self.placements) == len(self.items) and self.checked == self.placements
        self.mark("complete" if done else "started")

    # -- what the learner does ---------------------------------------------------------------
    def _changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.placements = {
            key: d.value for key, d in self.dropdowns.items() if d.value != _UNPLACED
        }
        self._save(PLACEMENTS_FIELD, dict(self.placements))
        self.render()
        self._update_progress()

    def check(self) -> None:
        """Mark each placed item right or wrong and announce the score ("Check my answers")."""
        if not self.placements:
            self.announce("Choose a place for at least one item, then check.", "warning")
            return
        self.checked = dict(self.placements)
        self._save(CHECKED_FIELD, dict(self.checked))
        self.render()
        self._update_progress()
        right, total = self.score()
        unplaced = total - len(self.placements)
        message = f"{right} of {total} right."
        if unplaced:
            message += f" {unplaced} not placed yet."
        if right == total:
            self.announce(message + " Well done.", "right")
            return
        if len(self.placements) - right:
            message += " Look at the items marked \u2717, change them and check again."
        self.announce(message, "info")

    def toggle_model_answer(self) -> None:
        """Show the model answer under every item, or hide it again."""
        self.revealed = not self.revealed
        self._save(REVEALED_FIELD, self.revealed)
        self.render()
        self.announce(
            "The model answer is shown under each item."
            if self.revealed
            else "The model answer is hidden."
        )


class Matching(Sorter):
    """Choose the term each definition defines: a :class:`Sorter` of definitions into terms.

    Stored placements are keyed by the term's snake-case key (``"Multi-sectoral
    Partnership"`` -> ``"multi_sectoral_partnership"``) for both definition and term.

    Parameters
    ----------
    binding, prompt
        As for :class:`Sorter`.
    pairs
        :class:`MatchPair` objects, or ``(term, definition)`` /
        ``(term, definition, explanation)`` tuples.
    shuffle_seed
        Order of the definitions (fixed by the seed; content order when ``None``).

    Raises
    ------
    ValueError
        For a malformed pair, or two terms with the same key.
    """

    kind = "matching"

    pairs: tuple[MatchPair, ...]

    def __init__(
        self,
        binding: Binding,
        pairs: Sequence[MatchPair | Sequence[str]],
        *,
        prompt: str = "Match each definition to the term it defines.",
        shuffle_seed: int | None = 0,
    ) -> None:
        if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
            raise ValueError(f"pairs must be a sequence of (term, definition), got {pairs!r}")
        self.pairs = tuple(_as_pair(p) for p in pairs)
        super().__init__(
            binding,
            [SortItem(p.key, p.definition, p.key, p.explanation) for p in self.pairs],
            [Category(p.key, p.term) for p in self.pairs],
            prompt=prompt,
            shuffle_seed=shuffle_seed,
        )


# --------------------------------------------------------------------------- builders


def sorter(
    binding: Binding,
    items: Sequence[SortItem],
    categories: Sequence[Category],
    *,
    prompt: str = "",
    shuffle_seed: int | None = None,
) -> Sorter:
    """One drop-down per item, "Check my answers" and the model answer: a :class:`Sorter`."""
    return Sorter(binding, items, categories, prompt=prompt, shuffle_seed=shuffle_seed)


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
) -> Matching:
    """Choose the term each definition defines: a :class:`Matching` exercise."""
    return Matching(binding, pairs, prompt=prompt, shuffle_seed=shuffle_seed)


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
    return tuple(shuffled(items, seed)), categories


def partnership_definition_pairs() -> tuple[MatchPair, ...]:
    """The language of partnership as match pairs: Partner, Partnership, and so on.

    From :func:`partnership_lib.models.frameworks.partnership_definitions`; each explanation
    names the definition's source.
    """
    return tuple(
        MatchPair(d.term, d.meaning, f"This is the definition of {d.term} given by {d.citation}.")
        for d in frameworks.partnership_definitions()
    )
