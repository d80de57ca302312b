"""The conversation tagger: tag each statement of an exchange and see its path on the Mobius map.

A learner writes or pastes a short exchange, one statement per line (optionally
``Name: what they said``), and presses "Split into statements". Each statement gets a
drop-down of the four monologues (blame, praise, worry, claim) and the six qualities of
dialogue. The Mobius map (:func:`partnership_lib.models.mobius.plot_mobius_map`) draws the
tagged statements as a numbered path; untagged statements are left out of the path. The
map is a :class:`~partnership_lib.widgets.live.LiveChart`: a change of tag redraws only
the arrows and numbers that moved.

A worked example (:func:`~partnership_lib.models.conversations.worked_conversation`, from
``data/conversations.yaml``) can be loaded with a button; loading it can be undone
straight away ("Undo loading the example") or later through the reset bar and the
store's history.

Stored field ``conversation`` (under ``notebook/exercise/``)::

    {"text": str,                                   # as typed
     "statements": [{"speaker": str, "text": str}],  # speaker "" when not given
     "tags": [tag key or None, ...],                 # one per statement
     "example": bool}                                # True while it is the untouched example

Completion rule: complete when at least two statements are tagged (enough for one step
on the map) and the conversation is the learner's own, not the untouched worked example.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets
from markupsafe import Markup

from partnership_lib.core.store import StoreError
from partnership_lib.models.conversations import WorkedConversation, split_conversation
from partnership_lib.models.mobius import (
    MONOLOGUE_KEYS,
    QUALITY_KEYS,
    TAGS,
    plot_mobius_map,
    tag_label,
)
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.live import LiveChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "MAX_STATEMENTS",
    "ConversationTagger",
    "conversation_tagger",
    "tag_options",
]

CONVERSATION_FIELD = "conversation"
#: At most this many statements are tagged; a longer exchange is cut (and the learner told).
MAX_STATEMENTS = 30
#: Characters of a statement shown beside its drop-down (the store keeps them all).
_SHOWN_CHARS = 500
_UNTAGGED = ""
_AUTO = {"width": "auto"}  # a button as wide as its label, never cut short

_PROMPT = (
    "Write or paste a short exchange, one statement per line. Start a line with a name "
    "and a colon (for example 'GP lead: ...') to say who spoke. Press 'Split into "
    "statements', then tag each statement as a monologue or as a quality of dialogue."
)

Statement = dict[str, str]


def _as_text(statements: Iterable[Mapping[str, str]]) -> str:
    return "\n".join(
        f"{s['speaker']}: {s['text']}" if s["speaker"] else s["text"] for s in statements
    )


def tag_options() -> list[tuple[str, str]]:
    """Each statement's drop-down, in order: (label shown, tag stored); "Not tagged" first."""
    return [
        ("Not tagged", _UNTAGGED),
        *((f"{tag_label(k)} (monologue)", k) for k in MONOLOGUE_KEYS),
        *((f"{tag_label(k)} (dialogue quality)", k) for k in QUALITY_KEYS),
    ]


def _numbers(values: Sequence[int]) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _example_html(example: WorkedConversation) -> Markup:
    """Why each step of the worked example is tagged as it is (a closed <details>)."""
    items = Markup("").join(
        Markup("<li><strong>{}:</strong> {}<br><em>{}.</em> {}</li>").format(
            s.speaker or "Someone", s.text, tag_label(s.tag), why
        )
        for s, why in zip(example.steps, example.reasons, strict=True)
    )
    return Markup(
        '<details class="pl-worked-example"><summary>Why the worked example is tagged '
        "this way: {}</summary><p>{}</p><ol>{}</ol></details>"
    ).format(example.title, example.setting, items)


def _read(value: Any, problems: list[str]) -> tuple[str, list[Statement], list[str | None], bool]:
    """The stored conversation as (text, statements, tags, from example), noting damage."""
    if value is None:
        return "", [], [], False
    if not isinstance(value, Mapping):
        problems.append("the saved conversation is not in the expected form")
        return "", [], [], False
    text = value.get("text", "")
    if not isinstance(text, str):
        problems.append("the saved text is damaged")
        text = ""
    raw = value.get("statements", [])
    statements: list[Statement] = []
    if isinstance(raw, list) and all(
        isinstance(s, Mapping)
        and isinstance(s.get("text"), str)
        and isinstance(s.get("speaker", ""), str)
        for s in raw
    ):
        statements = [{"speaker": s.get("speaker", ""), "text": s["text"]} for s in raw]
    else:
        problems.append("the saved statements are damaged; split the text again")
    statements = statements[:MAX_STATEMENTS]
    raw_tags = value.get("tags", [])
    if not isinstance(raw_tags, list):
        problems.append("the saved tags are damaged")
        raw_tags = []
    tags: list[str | None] = []
    for i in range(len(statements)):
        tag = raw_tags[i] if i < len(raw_tags) else None
        if tag is not None and tag not in TAGS:
            problems.append("a saved tag is not a Mobius tag")
            tag = None
        tags.append(tag)
    if len(raw_tags) > len(statements):
        problems.append("there are more saved tags than statements")
    return text, statements, tags, value.get("example") is True


class ConversationTagger(Exercise):
    """The widget :func:`conversation_tagger` returns: split an exchange, tag it, see its path.

    Attributes
    ----------
    example : WorkedConversation or None
        The worked example the "Load the worked example" button loads.
    text : ipywidgets.Textarea
        The exchange as typed.
    split, load, undo_load : ipywidgets.Button
        "Split into statements", and (with an example) "Load the worked example" and
        "Undo loading the example" (``None`` without an example).
    dropdowns : list of ipywidgets.Dropdown
        One tag drop-down per statement, in order.
    path_text : ipywidgets.HTML
        The path in words, naming the statements left out.
    chart : LiveChart
        The Mobius map with the path.
    statements, tags : list
        The split statements (``{"speaker", "text"}``) and their tags (``None``: untagged).
    from_example : bool
        Whether the conversation is the untouched worked example.
    """

    kind: ClassVar[str] = "tagger"

    example: WorkedConversation | None
    text: widgets.Textarea
    split: widgets.Button
    load: widgets.Button | None
    undo_load: widgets.Button | None
    hint: widgets.HTML
    rows: widgets.VBox
    dropdowns: list[widgets.Dropdown]
    path_text: widgets.HTML
    chart: LiveChart
    statements: list[Statement]
    tags: list[str | None]
    from_example: bool

    def __init__(
        self,
        binding: Binding,
        *,
        example: WorkedConversation | None = None,
        prompt: str = _PROMPT,
    ) -> None:
        super().__init__(binding)
        self.example = example
        self.statements, self.tags, self.from_example = [], [], False
        self._undo_to: tuple[int | None] | None = None  # revision to go back to after a load
        self._loading = False  # True while the text box is set from the store
        self._damaged = False  # the stored value could not all be used
        self._options = tag_options()
        self.text = widgets.Textarea(
            description="Conversation:",
            placeholder="GP lead: We've waited months for this.\nCommissioner: ...",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", height="10em"),
        )
        self.text.observe(self._text_changed, names="value")
        self.split = widgets.Button(
            description="Split into statements",
            icon="list",
            tooltip="One statement per line; 'Name: text' says who spoke",
            layout=widgets.Layout(**_AUTO),
        )
        self.split.on_click(self._on_split)
        self.load = self.undo_load = None
        buttons: list[widgets.Widget] = [self.split]
        if example is not None:
            self.load = widgets.Button(
                description="Load the worked example",
                icon="folder-open",
                tooltip=f"Replace the conversation with the worked example: {example.title}",
                layout=widgets.Layout(**_AUTO),
            )
            self.undo_load = widgets.Button(
                description="Undo loading the example",
                icon="undo",
                disabled=True,
                tooltip="Bring back the conversation you had before loading the example",
                layout=widgets.Layout(**_AUTO),
            )
            self.load.on_click(self._on_load)
            self.undo_load.on_click(self._on_undo_load)
            buttons += [self.load, self.undo_load]
        self.hint = widgets.HTML()
        self.hint.add_class("pl-hint")
        self.rows = widgets.VBox()
        self.rows.add_class("pl-statements")
        self.dropdowns = []
        self.path_text = widgets.HTML()
        self.path_text.add_class("pl-path")
        self.chart = LiveChart(plot_mobius_map)
        self.chart.add_class("pl-mobius-picture")
        parts: list[widgets.Widget] = [
            widgets.HTML(str(Markup('<p class="pl-prompt">{}</p>').format(prompt))),
            self.text,
            widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
            self.hint,
            self.rows,
            self.path_text,
            self.chart,
        ]
        if example is not None and example.reasons:
            parts.append(widgets.HTML(str(_example_html(example))))
        self.children = [*parts, self.status, self.reset_bar()]
        self.on_reset(self._after_reset)
        self.restore()

    @property
    def figure(self) -> Figure | None:
        """The one figure the map is drawn on (kept across changes; new after a restyle)."""
        return self.chart.figure

    # -- state -----------------------------------------------------------------------
    def conversation(self) -> dict[str, Any]:
        """The stored form of what the tagger shows now."""
        return {
            "text": self.text.value,
            "statements": [dict(s) for s in self.statements],
            "tags": list(self.tags),
            "example": self.from_example,
        }

    def path(self) -> tuple[list[str], list[int], list[int]]:
        """The path's tags, the statements they come from, and the untagged statements."""
        tags, used, skipped = [], [], []
        for n, tag in enumerate(self.tags, start=1):
            if tag:
                tags.append(tag)
                used.append(n)
            else:
                skipped.append(n)
        return tags, used, skipped

    def restore(self) -> None:
        """Show what the store holds (on build, and after a reset, undo or load)."""
        problems: list[str] = []
        text, self.statements, self.tags, self.from_example = _read(
            self.get(CONVERSATION_FIELD), problems
        )
        self._damaged = bool(problems)
        self._set_text(text)
        self._show_all()
        if problems:
            self.announce(
                "Part of your saved conversation could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); it is kept in your history.",
                "warning",
            )

    def _set_text(self, text: str) -> None:
        self._loading = True
        try:
            self.text.value = text
        finally:
            self._loading = False

    def _after_reset(self) -> None:
        self._undo_to = None
        if self.undo_load is not None:
            self.undo_load.disabled = True
        self.restore()

    def _save(self, *, apart: bool = False) -> bool:
        """Save the conversation; ``apart`` makes it a revision of its own (never merged
        with recent typing), as is the first save over a damaged value, so the value it
        replaces stays in the history."""
        saved = self.save(
            CONVERSATION_FIELD, self.conversation(), coalesce=not (apart or self._damaged)
        )
        if saved:
            self._damaged = False
        return saved

    def _update_progress(self) -> None:
        tagged = sum(1 for t in self.tags if t)
        if tagged >= 2 and not self.from_example:
            self.mark("complete")
        elif self.text.value.strip() or self.statements:
            self.mark("started")

    # -- what it shows -----------------------------------------------------------------
    def _show_all(self) -> None:
        self._build_rows()
        self._show_hint()
        self._redraw()

    def _build_rows(self) -> None:
        for row in self.rows.children:
            for child in (*row.children, row):
                child.close()
        self.dropdowns = []
        rows = []
        for n, (statement, tag) in enumerate(zip(self.statements, self.tags, strict=True), 1):
            said = statement["text"]
            dropdown = widgets.Dropdown(
                options=self._options,
                value=tag or _UNTAGGED,
                description=f"Tag for statement {n}:",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            dropdown.observe(self._tag_changed, names="value")
            self.dropdowns.append(dropdown)
            line = Markup('<div class="pl-statement"><strong>{}. {}</strong>{}{}</div>').format(
                n,
                f"{statement['speaker']}: " if statement["speaker"] else "",
                said[:_SHOWN_CHARS],
                "…" if len(said) > _SHOWN_CHARS else "",
            )
            rows.append(widgets.VBox([widgets.HTML(str(line)), dropdown]))
        self.rows.children = rows

    def _redraw(self) -> None:
        path, used, skipped = self.path()
        self.chart.show(path=path)
        if not self.statements:
            self.path_text.value = ""
            return
        if path:
            steps = "; ".join(
                f"{i} {tag_label(tag)} (statement {n})"
                for i, (tag, n) in enumerate(zip(path, used, strict=True), start=1)
            )
            line = f"{steps}."
        else:
            line = "nothing tagged yet."
        if skipped:
            plural = len(skipped) > 1
            line += (
                f" Statement{'s' if plural else ''} {_numbers(skipped)} "
                f"{'are' if plural else 'is'} not tagged, so the path leaves "
                f"{'them' if plural else 'it'} out."
            )
        self.path_text.value = str(
            Markup('<p class="pl-path-text"><strong>Path on the map:</strong> {}</p>').format(line)
        )

    def _show_hint(self) -> None:
        stale = self.statements != split_conversation(self.text.value)[:MAX_STATEMENTS]
        if self.statements and stale:
            self.hint.value = (
                "<em>Your text has changed since you split it. Press 'Split into "
                "statements' to update the list; tags stay with unchanged statements.</em>"
            )
        else:
            self.hint.value = ""

    # -- events ----------------------------------------------------------------------
    def _text_changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.from_example = False
        self._save()
        self._show_hint()
        self._update_progress()

    def _tag_changed(self, _change: dict[str, Any]) -> None:
        self.tags = [d.value or None for d in self.dropdowns]
        self.from_example = False
        self._save()
        self._redraw()
        self._update_progress()

    def _on_split(self, _button: widgets.Button | None = None) -> None:
        statements = split_conversation(self.text.value)
        if not statements:
            self.announce("Write at least one statement first, one per line.", "warning")
            return
        cut = len(statements) > MAX_STATEMENTS
        statements = statements[:MAX_STATEMENTS]
        # Keep each tag with its statement when the statement is unchanged.
        old = list(zip(self.statements, self.tags, strict=True))
        tags: list[str | None] = []
        for statement in statements:
            match = next((i for i, (s, _t) in enumerate(old) if s == statement), None)
            tags.append(old.pop(match)[1] if match is not None else None)
        self.statements, self.tags = statements, tags
        self.from_example = False
        self._save()
        self._show_all()
        self._update_progress()
        message = (
            f"Split into {len(statements)} statement{'s' if len(statements) != 1 else ''}. "
            "Choose a tag for each one; the map draws the path as you go."
        )
        if cut:
            message += f" Only the first {MAX_STATEMENTS} lines are used."
        self.announce(message, "warning" if cut else "saved")

    def _on_load(self, _button: widgets.Button | None = None) -> None:
        history = self.store.history(self.field_key(CONVERSATION_FIELD))
        previous = history[-1].revision if history else None
        example = self.example
        self.statements = [{"speaker": s.speaker, "text": s.text} for s in example.steps]
        self.tags = [s.tag for s in example.steps]
        self.from_example = True
        self._set_text(_as_text(self.statements))
        if not self._save(apart=True):
            self.restore()
            return
        self._undo_to = (previous,)
        self.undo_load.disabled = False
        self._show_all()
        self._update_progress()
        self.announce(
            f"Loaded the worked example: {example.title}. Change any tag to see the path "
            "move, or press 'Undo loading the example' to get your own conversation back.",
            "saved",
        )

    def _on_undo_load(self, _button: widgets.Button | None = None) -> None:
        if self._undo_to is None:
            return
        (revision,) = self._undo_to
        key = self.field_key(CONVERSATION_FIELD)
        try:
            if revision is None:
                self.store.reset(key)
            else:
                self.store.restore(key, revision)
        except StoreError as exc:
            self.announce(f"Could not bring back your conversation: {exc}", "error")
            return
        self._undo_to = None
        self.undo_load.disabled = True
        self.restore()
        self._update_progress()
        self.announce("Your conversation is back as it was before the example.", "saved")


def conversation_tagger(
    binding: Binding,
    *,
    example: WorkedConversation | Sequence[tuple[str, str, str]] | None = None,
    prompt: str = _PROMPT,
) -> ConversationTagger:
    """Build the conversation tagger: split an exchange, tag it, see its path on the map.

    Parameters
    ----------
    binding
        Where the answer is stored (``notebook/exercise/conversation``), from
        :meth:`~partnership_lib.sessions.session.Session.bind`.
    example
        A worked example to offer with "Load the worked example": a
        :class:`WorkedConversation` (see
        :func:`~partnership_lib.models.conversations.worked_conversation`; its reasons are
        shown too) or a list of ``(speaker, statement, tag)``. No button when ``None``.
    prompt
        Instructions shown above the text box (plain text; it is escaped).

    Returns
    -------
    ConversationTagger
        An :class:`~partnership_lib.widgets.base.Exercise` with classes ``pl-exercise``
        and ``pl-tagger``; its ``figure`` is the one figure the map is drawn on.

    Raises
    ------
    ValueError
        For a malformed example step (the message names the step and the value).

    Notes
    -----
    Complete when at least two statements are tagged and the conversation is not the
    untouched worked example.
    """
    if example is not None and not isinstance(example, WorkedConversation):
        if isinstance(example, str | bytes) or not isinstance(example, Iterable):
            raise ValueError(
                f"example must be a list of (speaker, statement, tag), got {example!r}"
            )
        example = WorkedConversation(
            key="example",
            title="Worked example",
            setting="A worked example conversation.",
            steps=tuple(example),
        )
    return ConversationTagger(binding, example=example, prompt=prompt)
