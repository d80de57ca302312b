"""The session evaluation wall (Appendix 1): coloured notes, one column per question.

The workbook closes each session with a wall of Post-it notes in four colours, one
colour per question (pink, yellow, green, blue; see ``data/evaluation_wall.yaml``).
:func:`postit_wall` lets a learner add, edit and remove notes, and draws the wall with
:func:`plot_postit_wall`; :func:`describe_postit_wall` is its text twin.

Stored fields (under ``notebook/exercise/<field>``):

``notes``
    A list of ``{"id": int, "colour": key, "text": str}``, in the order added. The text
    is stored exactly as typed, however long; the picture shortens long notes with an
    ellipsis.
``draft``
    ``{"colour": key or None, "text": str, "editing": id or None}``: the note being
    written, saved on every keystroke.

Completion rule: the evaluation is complete once the wall has at least one note in
every colour, because the workbook asks all four questions. Removing the last note of
a colour makes it "started" again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from partnership_lib.charts.chart import chart_html, figure_png
from partnership_lib.core.html import escape
from partnership_lib.core.style import current_theme, on_style_change, style_context
from partnership_lib.models.postits import (
    PostItColour,
    as_notes,
    describe_postit_wall,
    evaluation_wall,
    plot_postit_wall,
    table_postit_wall,
)
from partnership_lib.widgets.base import Binding, Exercise

__all__ = [
    "postit_wall",
]

NOTES_FIELD = "notes"
DRAFT_FIELD = "draft"
#: Characters of a note shown in the widget's list of notes (the store keeps them all).
_LIST_CHARS = 600
_ELLIPSIS = "…"


# --------------------------------------------------------------------------- models


# --------------------------------------------------------------------------- drawing text


# --------------------------------------------------------------------------- plot


# --------------------------------------------------------------------------- widget


class _Wall:
    """The widgets and state of one evaluation wall (the builder returns ``.widget``)."""

    def __init__(self, ex: Exercise) -> None:
        self.ex = ex
        self.wall = evaluation_wall()
        self._notes: list[dict[str, Any]] = []
        self._editing: int | None = None
        self._removed: tuple[int, dict[str, Any]] | None = None
        self._loading = False
        self._damaged: set[str] = set()  # fields whose stored value could not all be used

        self.colour = widgets.RadioButtons(
            options=[(f"{c.name}: {c.question}", c.key) for c in self.wall.colours],
            value=None,
            description="Colour of the note:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.text = widgets.Textarea(
            description="Your note:",
            placeholder="One thought per note",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", height="6em"),
        )
        self.add = widgets.Button(description="Add note", icon="plus", button_style="primary")
        self.cancel = widgets.Button(description="Cancel editing", icon="times")
        self.cancel.layout.display = "none"
        self.undo_remove = widgets.Button(
            description="Undo remove", icon="undo", disabled=True, tooltip="Bring back the note"
        )
        self.add.on_click(self._on_add)
        self.cancel.on_click(self._on_cancel)
        self.undo_remove.on_click(self._on_undo_remove)
        self.colour.observe(self._draft_changed, names="value")
        self.text.observe(self._draft_changed, names="value")

        self.list = widgets.VBox()
        self.list.add_class("pl-postit-list")
        self.picture = widgets.HTML()
        self.picture.add_class("pl-postit-picture")
        self._style = current_theme().name
        self.ax = None  # the wall's one Axes, drawn by the first _redraw
        on_style_change(self._restyle)  # projector mode: redraw in the new style

        self.widget = widgets.VBox(
            [
                widgets.HTML(f'<p class="pl-prompt">{escape(self.wall.instruction)}</p>'),
                self.colour,
                self.text,
                widgets.HBox([self.add, self.cancel, self.undo_remove]),
                widgets.HTML("<strong>Your notes</strong>"),
                self.list,
                self.picture,
                ex.status,
                ex.reset_bar(),
            ]
        )
        self.widget.add_class("pl-exercise")
        self.widget.add_class("pl-postits")
        ex.on_reset(self._load)
        self._load()
        self.widget.figure = self.figure

    # -- state -----------------------------------------------------------------------
    def _read_notes(self, problems: list[str]) -> list[dict[str, Any]]:
        value = self.ex.get(NOTES_FIELD)
        if value is None:
            return []
        if not isinstance(value, list):
            problems.append("your saved notes are not a list")
            self._damaged.add(NOTES_FIELD)
            return []
        ids = [r.get("id") for r in value if isinstance(r, Mapping)]
        fresh = max((i for i in ids if isinstance(i, int) and not isinstance(i, bool)), default=0)
        notes, used = [], set()
        for raw in value:
            try:
                (note,) = as_notes([raw], self.wall)
            except ValueError:
                problems.append("a saved note is damaged")
                self._damaged.add(NOTES_FIELD)
                continue
            ident = note.id
            if ident is None or ident in used:  # give a missing or repeated id a new one
                fresh += 1
                ident = fresh
            used.add(ident)
            notes.append({"id": ident, "colour": note.colour, "text": note.text})
        return notes

    def _load(self) -> None:
        """Show what the store holds (on build, and after a reset or undo)."""
        problems: list[str] = []
        self._damaged = set()
        self._notes = self._read_notes(problems)
        draft = self.ex.get(DRAFT_FIELD)
        if draft is not None and not isinstance(draft, Mapping):
            problems.append("your unfinished note is damaged")
            self._damaged.add(DRAFT_FIELD)
            draft = None
        draft = draft or {}
        colour = draft.get("colour")
        colour = colour if colour in {c.key for c in self.wall.colours} else None
        text = draft.get("text") if isinstance(draft.get("text"), str) else ""
        editing = draft.get("editing")
        self._editing = editing if any(n["id"] == editing for n in self._notes) else None
        self._removed = None
        self.undo_remove.disabled = True
        self._loading = True
        try:
            self.colour.value = colour
            self.text.value = text
        finally:
            self._loading = False
        self._render()
        if problems:
            self.ex.announce(
                "Some saved notes could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); they are kept in your history.",
                "warning",
            )

    def _number(self, ident: int) -> int:
        return next(i for i, n in enumerate(self._notes, start=1) if n["id"] == ident)

    def _render(self) -> None:
        editing = self._editing is not None
        self.add.description = f"Save note {self._number(self._editing)}" if editing else "Add note"
        self.cancel.layout.display = "" if editing else "none"
        for row in self.list.children:
            for child in (*row.children, row):
                child.close()
        rows = []
        names = {c.key: c.name for c in self.wall.colours}
        for n, note in enumerate(self._notes, start=1):
            text = note["text"]
            shown = escape(text[:_LIST_CHARS]) + (
                f"{_ELLIPSIS} ({len(text) - _LIST_CHARS} more characters; press Edit to see "
                "them all)"
                if len(text) > _LIST_CHARS
                else ""
            )
            label = widgets.HTML(
                f'<div class="pl-postit-note"><strong>Note {n} ({escape(names[note["colour"]])})'
                f":</strong> <span style='white-space:pre-wrap'>{shown}</span></div>",
                layout=widgets.Layout(flex="1 1 auto"),
            )
            edit = widgets.Button(description=f"Edit note {n}", icon="pencil")
            remove = widgets.Button(description=f"Remove note {n}", icon="trash")
            edit.on_click(lambda _b, ident=note["id"]: self._on_edit(ident))
            remove.on_click(lambda _b, ident=note["id"]: self._on_remove(ident))
            rows.append(widgets.HBox([label, edit, remove]))
        if not rows:
            rows.append(widgets.HBox([widgets.HTML("<em>No notes yet.</em>")]))
        self.list.children = rows
        self._redraw()

    def _restyle(self, name: str) -> None:
        self._style, self.ax = name, None  # _redraw makes a new figure in the new style
        self._redraw()
        self.widget.figure = self.figure

    def _redraw(self) -> None:
        with style_context(self._style):
            if self.ax is None:
                self.ax = plot_postit_wall(self._notes)
                self.figure = self.ax.figure
                plt.close(self.figure)  # keep the Figure, but out of pyplot's hands
            else:
                self.ax.clear()
                plot_postit_wall(self._notes, ax=self.ax)
            w, h = (round(v) for v in self.figure.get_size_inches() * self.figure.dpi)
            self.picture.value = chart_html(
                figure_png(self.figure),
                describe_postit_wall(self._notes),
                width=w,
                height=h,
                table=table_postit_wall(self._notes),
            )

    def _missing_colours(self) -> list[PostItColour]:
        used = {n["colour"] for n in self._notes}
        return [c for c in self.wall.colours if c.key not in used]

    def _update_progress(self) -> None:
        if self._notes and not self._missing_colours():
            self.ex.mark("complete")
        elif self._notes or self.text.value.strip():
            self.ex.mark("started")

    def _save(self, field: str, value: Any) -> bool:
        # The first save over a damaged value is a revision of its own, so the damaged
        # value stays in the history as the warning promised.
        saved = self.ex.save(field, value, coalesce=field not in self._damaged)
        if saved:
            self._damaged.discard(field)
        return saved

    def _save_notes(self) -> bool:
        return self._save(NOTES_FIELD, [dict(n) for n in self._notes])

    def _save_draft(self) -> None:
        self._save(
            DRAFT_FIELD,
            {"colour": self.colour.value, "text": self.text.value, "editing": self._editing},
        )

    def _progress_message(self) -> str:
        missing = self._missing_colours()
        if not missing:
            return "Every colour has a note: your evaluation is complete."
        todo = "; ".join(f"{c.name} ({c.question})" for c in missing)
        done = len(self.wall.colours) - len(missing)
        return f"Notes in {done} of {len(self.wall.colours)} colours. Still to add: {todo}"

    # -- events ----------------------------------------------------------------------
    def _draft_changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._save_draft()
        self._update_progress()

    def _clear_editor(self) -> None:
        self._editing = None
        self.text.value = ""  # saves the emptied draft
        self._save_draft()

    def _on_add(self, _button: widgets.Button | None = None) -> None:
        text = self.text.value
        if not text.strip():
            self.ex.announce(
                "Write something on your note first: an empty note is not added.", "warning"
            )
            return
        if self.colour.value is None:
            self.ex.announce("Choose the colour of your note first.", "warning")
            return
        colour = self.wall.colour(self.colour.value)
        if self._editing is not None:
            n = self._number(self._editing)
            self._notes[n - 1] = {"id": self._editing, "colour": colour.key, "text": text}
            verb = "Saved"
        else:
            ident = max((note["id"] for note in self._notes), default=0) + 1
            self._notes.append({"id": ident, "colour": colour.key, "text": text})
            n, verb = len(self._notes), "Added"
        if not self._save_notes():
            return
        self._clear_editor()
        self._render()
        self._update_progress()
        self.ex.announce(
            f"{verb} note {n} ({colour.name}). {self._progress_message()}",
            "saved",
        )

    def _on_edit(self, ident: int) -> None:
        note = next(n for n in self._notes if n["id"] == ident)
        self._editing = ident
        self._loading = True
        try:
            self.colour.value = note["colour"]
            self.text.value = note["text"]
        finally:
            self._loading = False
        self._save_draft()
        self._render()
        n = self._number(ident)
        self.ex.announce(
            f"Editing note {n}. Change its text or colour, then press 'Save note {n}'."
        )

    def _on_cancel(self, _button: widgets.Button | None = None) -> None:
        self._clear_editor()
        self._render()
        self.ex.announce("Stopped editing; the note is unchanged.")

    def _on_remove(self, ident: int) -> None:
        n = self._number(ident)
        note = self._notes.pop(n - 1)
        if not self._save_notes():
            self._notes.insert(n - 1, note)
            return
        self._removed = (n - 1, note)
        self.undo_remove.disabled = False
        if self._editing == ident:
            self._clear_editor()
        self._render()
        self._update_progress()
        name = self.wall.colour(note["colour"]).name
        self.ex.announce(
            f"Removed note {n} ({name}). Press 'Undo remove' to bring it back.", "saved"
        )

    def _on_undo_remove(self, _button: widgets.Button | None = None) -> None:
        if self._removed is None:
            return
        index, note = self._removed
        self._notes.insert(min(index, len(self._notes)), note)
        if not self._save_notes():
            self._notes.remove(note)
            return
        self._removed = None
        self.undo_remove.disabled = True
        self._render()
        self._update_progress()
        self.ex.announce(f"Brought back note {self._number(note['id'])}.", "saved")


def postit_wall(binding: Binding) -> widgets.VBox:
    """Build the session evaluation wall: add, edit and remove coloured notes.

    Parameters
    ----------
    notebook, exercise
        Where the notes are stored (``notebook/exercise/notes`` and ``.../draft``).
    store
        The learner's answer store; the default store when omitted.
    progress
        A notebook's progress line, refreshed after each save.

    Returns
    -------
    ipywidgets.VBox
        With classes ``pl-exercise`` and ``pl-postits``; its ``figure`` attribute is the
        one figure the wall is drawn on (re-rendered on every change, never replaced).

    Notes
    -----
    Complete once the wall has at least one note in every colour.
    """
    ex = Exercise(binding, kind="postits")
    return _Wall(ex).widget
