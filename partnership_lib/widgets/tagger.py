"""The conversation tagger: tag each statement of an exchange and see its path on the Mobius map.

A learner writes or pastes a short exchange, one statement per line (optionally
``Name: what they said``), and presses "Split into statements". Each statement gets a
drop-down of the four monologues (blame, praise, worry, claim) and the six qualities of
dialogue. The Mobius map (:func:`partnership_lib.models.mobius.plot_mobius_map`) draws the
tagged statements as a numbered path; untagged statements are left out of the path.

A worked example (:func:`worked_conversation`, from ``data/conversations.yaml``) can be
loaded with a button; loading it can be undone straight away ("Undo loading the
example") or later through the reset bar and the store's history.

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
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from partnership_lib.charts.chart import chart_html, figure_png
from partnership_lib.core.html import escape
from partnership_lib.core.store import StoreError
from partnership_lib.core.style import current_theme, on_style_change, style_context
from partnership_lib.models.conversations import WorkedConversation, split_conversation
from partnership_lib.models.mobius import (
    MONOLOGUE_KEYS,
    QUALITY_KEYS,
    TAGS,
    describe_mobius_map,
    plot_mobius_map,
    table_mobius_map,
    tag_label,
)
from partnership_lib.widgets.base import Binding, Exercise

__all__ = [
    "MAX_STATEMENTS",
    "conversation_tagger",
]

CONVERSATION_FIELD = "conversation"
#: At most this many statements are tagged; a longer exchange is cut (and the learner told).
MAX_STATEMENTS = 30
#: Characters of a statement shown beside its drop-down (the store keeps them all).
_SHOWN_CHARS = 500
_UNTAGGED = ""


def _as_text(statements: Iterable[Mapping[str, str]]) -> str:
    return "\n".join(
        f"{s['speaker']}: {s['text']}" if s["speaker"] else s["text"] for s in statements
    )


# --------------------------------------------------------------------------- widget


def _tag_options() -> list[tuple[str, str]]:
    return [
        ("Not tagged", _UNTAGGED),
        *((f"{tag_label(k)} (monologue)", k) for k in MONOLOGUE_KEYS),
        *((f"{tag_label(k)} (dialogue quality)", k) for k in QUALITY_KEYS),
    ]


def _numbers(values: Sequence[int]) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class _Tagger:
    """The widgets and state of one conversation tagger (the builder returns ``.widget``)."""

    def __init__(self, ex: Exercise, example: WorkedConversation | None, prompt: str) -> None:
        self.ex = ex
        self.example = example
        self._statements: list[dict[str, str]] = []
        self._tags: list[str | None] = []
        self._from_example = False
        self._undo_to: tuple[int | None] | None = None  # revision to go back to after a load
        self._loading = False
        self._damaged = False  # the stored value could not all be used
        self._options = _tag_options()

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
        )
        self.split.on_click(self._on_split)
        buttons: list[widgets.Widget] = [self.split]
        self.load = self.undo_load = None
        if example is not None:
            self.load = widgets.Button(
                description="Load the worked example",
                icon="folder-open",
                tooltip=f"Replace the conversation with the worked example: {example.title}",
            )
            self.undo_load = widgets.Button(
                description="Undo loading the example", icon="undo", disabled=True
            )
            self.load.on_click(self._on_load)
            self.undo_load.on_click(self._on_undo_load)
            buttons.extend([self.load, self.undo_load])
        self.hint = widgets.HTML()
        self.hint.add_class("pl-hint")
        self.rows = widgets.VBox()
        self.rows.add_class("pl-statements")
        self.dropdowns: list[widgets.Dropdown] = []
        self.path_text = widgets.HTML()
        self.path_text.add_class("pl-path")
        self.picture = widgets.HTML()
        self.picture.add_class("pl-mobius-picture")

        self._style = current_theme().name
        self.ax = None  # the map's one Axes, drawn by the first _redraw
        on_style_change(self._restyle)  # projector mode: redraw in the new style

        parts: list[widgets.Widget] = [
            widgets.HTML(f'<p class="pl-prompt">{escape(prompt)}</p>'),
            self.text,
            widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
            self.hint,
            self.rows,
            self.path_text,
            self.picture,
        ]
        if example is not None and example.reasons:
            parts.append(widgets.HTML(self._example_html(example)))
        parts.extend([ex.status, ex.reset_bar()])
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pl-exercise")
        self.widget.add_class("pl-tagger")
        ex.on_reset(self._after_reset)
        self._load()
        self.widget.figure = self.figure

    @staticmethod
    def _example_html(example: WorkedConversation) -> str:
        items = "".join(
            f"<li><strong>{escape(s.speaker or 'Someone')}:</strong> {escape(s.text)}<br>"
            f"<em>{escape(tag_label(s.tag))}.</em> {escape(why)}</li>"
            for s, why in zip(example.steps, example.reasons, strict=True)
        )
        return (
            '<details class="pl-worked-example"><summary>Why the worked example is tagged '
            f"this way: {escape(example.title)}</summary><p>{escape(example.setting)}</p>"
            f"<ol>{items}</ol></details>"
        )

    # -- state -----------------------------------------------------------------------
    def _value(self) -> dict[str, Any]:
        return {
            "text": self.text.value,
            "statements": [dict(s) for s in self._statements],
            "tags": list(self._tags),
            "example": self._from_example,
        }

    def _read(self, problems: list[str]) -> tuple[str, list[dict[str, str]], list, bool]:
        value = self.ex.get(CONVERSATION_FIELD)
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
        statements: list[dict[str, str]] = []
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

    def _load(self) -> None:
        """Show what the store holds (on build, and after a reset, undo or load)."""
        problems: list[str] = []
        text, self._statements, self._tags, self._from_example = self._read(problems)
        self._damaged = bool(problems)
        self._loading = True
        try:
            self.text.value = text
        finally:
            self._loading = False
        self._build_rows()
        self._show_hint()
        self._redraw()
        if problems:
            self.ex.announce(
                "Part of your saved conversation could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); it is kept in your history.",
                "warning",
            )

    def _after_reset(self) -> None:
        self._undo_to = None
        if self.undo_load is not None:
            self.undo_load.disabled = True
        self._load()

    def _path(self) -> tuple[list[str], list[int], list[int]]:
        """The path's tags, the statements they come from, and the untagged statements."""
        tags, used, skipped = [], [], []
        for n, tag in enumerate(self._tags, start=1):
            if tag:
                tags.append(tag)
                used.append(n)
            else:
                skipped.append(n)
        return tags, used, skipped

    def _build_rows(self) -> None:
        for row in self.rows.children:
            for child in (*row.children, row):
                child.close()
        self.dropdowns = []
        rows = []
        for n, (statement, tag) in enumerate(zip(self._statements, self._tags, strict=True), 1):
            said = statement["text"]
            shown = escape(said[:_SHOWN_CHARS]) + ("…" if len(said) > _SHOWN_CHARS else "")
            who = f"{escape(statement['speaker'])}: " if statement["speaker"] else ""
            dropdown = widgets.Dropdown(
                options=self._options,
                value=tag or _UNTAGGED,
                description=f"Tag for statement {n}:",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            dropdown.observe(self._tag_changed, names="value")
            self.dropdowns.append(dropdown)
            rows.append(
                widgets.VBox(
                    [
                        widgets.HTML(
                            f'<div class="pl-statement"><strong>{n}. {who}</strong>{shown}</div>'
                        ),
                        dropdown,
                    ]
                )
            )
        self.rows.children = rows

    def _restyle(self, name: str) -> None:
        self._style, self.ax = name, None  # _redraw makes a new figure in the new style
        self._redraw()
        self.widget.figure = self.figure

    def _redraw(self) -> None:
        path, used, skipped = self._path()
        with style_context(self._style):
            if self.ax is None:
                self.ax = plot_mobius_map(path=path)
                self.figure = self.ax.figure
                plt.close(self.figure)  # keep the Figure, but out of pyplot's hands
            else:
                self.ax.clear()
                plot_mobius_map(path=path, ax=self.ax)
            w, h = (round(v) for v in self.figure.get_size_inches() * self.figure.dpi)
            self.picture.value = chart_html(
                figure_png(self.figure),
                describe_mobius_map(path=path),
                width=w,
                height=h,
                table=table_mobius_map(path=path),
            )
        if not self._statements:
            self.path_text.value = ""
            return
        if path:
            steps = "; ".join(
                f"{i} {escape(tag_label(tag))} (statement {n})"
                for i, (tag, n) in enumerate(zip(path, used, strict=True), start=1)
            )
            line = f"<strong>Path on the map:</strong> {steps}."
        else:
            line = "<strong>Path on the map:</strong> nothing tagged yet."
        if skipped:
            plural = len(skipped) > 1
            line += (
                f" Statement{'s' if plural else ''} {_numbers(skipped)} "
                f"{'are' if plural else 'is'} not tagged, so the path leaves "
                f"{'them' if plural else 'it'} out."
            )
        self.path_text.value = f'<p class="pl-path-text">{line}</p>'

    def _show_hint(self) -> None:
        stale = self._statements != split_conversation(self.text.value)[:MAX_STATEMENTS]
        if self._statements and stale:
            self.hint.value = (
                "<em>Your text has changed since you split it. Press 'Split into "
                "statements' to update the list; tags stay with unchanged statements.</em>"
            )
        else:
            self.hint.value = ""

    def _save(self, *, apart: bool = False) -> bool:
        """Save the conversation; ``apart`` makes it a revision of its own (never merged
        with recent typing), as is the first save over a damaged value, so the value it
        replaces stays in the history."""
        coalesce = not (apart or self._damaged)
        saved = self.ex.save(CONVERSATION_FIELD, self._value(), coalesce=coalesce)
        if saved:
            self._damaged = False
        return saved

    def _update_progress(self) -> None:
        tagged = sum(1 for t in self._tags if t)
        if tagged >= 2 and not self._from_example:
            self.ex.mark("complete")
        elif self.text.value.strip() or self._statements:
            self.ex.mark("started")

    # -- events ----------------------------------------------------------------------
    def _text_changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._from_example = False
        self._save()
        self._show_hint()
        self._update_progress()

    def _tag_changed(self, _change: dict[str, Any]) -> None:
        self._tags = [d.value or None for d in self.dropdowns]
        self._from_example = False
        self._save()
        self._redraw()
        self._update_progress()

    def _on_split(self, _button: widgets.Button | None = None) -> None:
        statements = split_conversation(self.text.value)
        if not statements:
            self.ex.announce("Write at least one statement first, one per line.", "warning")
            return
        cut = len(statements) > MAX_STATEMENTS
        statements = statements[:MAX_STATEMENTS]
        # Keep each tag with its statement when the statement is unchanged.
        old = list(zip(self._statements, self._tags, strict=True))
        tags: list[str | None] = []
        for statement in statements:
            match = next((i for i, (s, _t) in enumerate(old) if s == statement), None)
            tags.append(old.pop(match)[1] if match is not None else None)
        self._statements, self._tags = statements, tags
        self._from_example = False
        self._save()
        self._build_rows()
        self._show_hint()
        self._redraw()
        self._update_progress()
        message = (
            f"Split into {len(statements)} statement{'s' if len(statements) != 1 else ''}. "
            "Choose a tag for each one; the map draws the path as you go."
        )
        if cut:
            message += f" Only the first {MAX_STATEMENTS} lines are used."
        self.ex.announce(message, "warning" if cut else "saved")

    def _on_load(self, _button: widgets.Button | None = None) -> None:
        history = self.ex.store.history(self.ex.field_key(CONVERSATION_FIELD))
        previous = history[-1].revision if history else None
        example = self.example
        self._statements = [{"speaker": s.speaker, "text": s.text} for s in example.steps]
        self._tags = [s.tag for s in example.steps]
        self._from_example = True
        self._loading = True
        try:
            self.text.value = _as_text(self._statements)
        finally:
            self._loading = False
        if not self._save(apart=True):
            self._load()
            return
        self._undo_to = (previous,)
        self.undo_load.disabled = False
        self._build_rows()
        self._show_hint()
        self._redraw()
        self._update_progress()
        self.ex.announce(
            f"Loaded the worked example: {example.title}. Change any tag to see the path "
            "move, or press 'Undo loading the example' to get your own conversation back.",
            "saved",
        )

    def _on_undo_load(self, _button: widgets.Button | None = None) -> None:
        if self._undo_to is None:
            return
        (revision,) = self._undo_to
        key = self.ex.field_key(CONVERSATION_FIELD)
        try:
            if revision is None:
                self.ex.store.reset(key)
            else:
                self.ex.store.restore(key, revision)
        except StoreError as exc:
            self.ex.announce(f"Could not bring back your conversation: {exc}", "error")
            return
        self._undo_to = None
        self.undo_load.disabled = True
        self._load()
        self._update_progress()
        self.ex.announce("Your conversation is back as it was before the example.", "saved")


_PROMPT = (
    "Write or paste a short exchange, one statement per line. Start a line with a name "
    "and a colon (for example 'GP lead: ...') to say who spoke. Press 'Split into "
    "statements', then tag each statement as a monologue or as a quality of dialogue."
)


def conversation_tagger(
    binding: Binding,
    *,
    example: WorkedConversation | Sequence[tuple[str, str, str]] | None = None,
    prompt: str = _PROMPT,
) -> widgets.VBox:
    """Build the conversation tagger: split an exchange, tag it, see its path on the map.

    Parameters
    ----------
    notebook, exercise
        Where the answer is stored (``notebook/exercise/conversation``).
    store
        The learner's answer store; the default store when omitted.
    progress
        A notebook's progress line, refreshed after each save.
    example
        A worked example to offer with "Load the worked example": a
        :class:`WorkedConversation` (see :func:`worked_conversation`; its reasons are
        shown too) or a list of ``(speaker, statement, tag)``. No button when ``None``.
    prompt
        Instructions shown above the text box (plain text; it is escaped).

    Returns
    -------
    ipywidgets.VBox
        With classes ``pl-exercise`` and ``pl-tagger``; its ``figure`` attribute is the
        one figure the map is drawn on (re-rendered on every change, never replaced).

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
    ex = Exercise(binding, kind="tagger")
    return _Tagger(ex, example, prompt).widget
