"""The session evaluation wall (Appendix 1): coloured notes, one column per question.

The workbook closes each session with a wall of Post-it notes in four colours, one
colour per question (pink, yellow, green, blue; see ``data/evaluation_wall.yaml``).
:func:`postit_wall` lets a learner add, edit and remove notes, and draws the wall with
:func:`~partnership_lib.models.postits.plot_postit_wall` as a live chart: each change
redraws only the notes that changed (:func:`~partnership_lib.models.postits.update_postit_wall`).

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
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets
from markupsafe import Markup

from partnership_lib.models.postits import (
    PostItColour,
    as_notes,
    evaluation_wall,
    plot_postit_wall,
)
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.live import LiveChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from partnership_lib.models.postits import EvaluationWall

__all__ = [
    "PostItWall",
    "postit_wall",
]

NOTES_FIELD = "notes"
DRAFT_FIELD = "draft"
#: Characters of a note shown in the widget's list of notes (the store keeps them all).
_LIST_CHARS = 600
_ELLIPSIS = "…"

Note = dict[str, Any]


def _button(description: str, icon: str, **kwargs: Any) -> widgets.Button:
    """A button as wide as its label (never cut short with an ellipsis)."""
    return widgets.Button(
        description=description, icon=icon, layout=widgets.Layout(width="auto"), **kwargs
    )


class PostItWall(Exercise):
    """The widget :func:`postit_wall` returns: add, edit and remove coloured notes.

    Attributes
    ----------
    wall : EvaluationWall
        The colours and their questions (``data/evaluation_wall.yaml``).
    colour : ipywidgets.RadioButtons
        The colour of the note being written.
    text : ipywidgets.Textarea
        The note being written.
    add, cancel, undo_remove : ipywidgets.Button
        "Add note" (or "Save note n" while editing), "Cancel editing", "Undo remove".
    note_list : ipywidgets.VBox
        A row per note with its text and its "Edit note n" and "Remove note n" buttons.
    chart : LiveChart
        The wall as a picture; each change redraws only the notes that changed.
    notes : list of dict
        ``{"id", "colour", "text"}`` for each note, in the order added.
    editing : int or None
        The id of the note being edited.
    """

    kind: ClassVar[str] = "postits"

    wall: EvaluationWall
    colour: widgets.RadioButtons
    text: widgets.Textarea
    add: widgets.Button
    cancel: widgets.Button
    undo_remove: widgets.Button
    note_list: widgets.VBox
    chart: LiveChart
    notes: list[Note]
    editing: int | None

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding)
        self.wall = evaluation_wall()
        self.notes, self.editing = [], None
        self._removed: tuple[int, Note] | None = None  # (place, note) for "Undo remove"
        self._loading = False  # True while the editor is set from the store
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
        self.add = _button("Add note", "plus", button_style="primary")
        self.cancel = _button("Cancel editing", "times")
        self.cancel.layout.display = "none"
        self.undo_remove = _button(
            "Undo remove", "undo", disabled=True, tooltip="Bring back the note"
        )
        self.add.on_click(self._on_add)
        self.cancel.on_click(self._on_cancel)
        self.undo_remove.on_click(self._on_undo_remove)
        self.colour.observe(self._draft_changed, names="value")
        self.text.observe(self._draft_changed, names="value")
        self.note_list = widgets.VBox()
        self.note_list.add_class("pl-postit-list")
        self.chart = LiveChart(plot_postit_wall)
        self.chart.add_class("pl-postit-picture")
        self.children = [
            widgets.HTML(str(Markup('<p class="pl-prompt">{}</p>').format(self.wall.instruction))),
            self.colour,
            self.text,
            widgets.HBox(
                [self.add, self.cancel, self.undo_remove],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            widgets.HTML("<strong>Your notes</strong>"),
            self.note_list,
            self.chart,
            self.status,
            self.reset_bar(),
        ]
        self.on_reset(self.restore)
        self.restore()

    @property
    def figure(self) -> Figure | None:
        """The one figure the wall is drawn on (kept across changes; new after a restyle)."""
        return self.chart.figure

    # -- state -----------------------------------------------------------------------
    def _read_notes(self, problems: list[str]) -> list[Note]:
        value = self.get(NOTES_FIELD)
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

    def _read_draft(self, problems: list[str]) -> tuple[str | None, str, int | None]:
        draft = self.get(DRAFT_FIELD)
        if draft is not None and not isinstance(draft, Mapping):
            problems.append("your unfinished note is damaged")
            self._damaged.add(DRAFT_FIELD)
            draft = None
        draft = draft or {}
        colour = draft.get("colour")
        colour = colour if colour in {c.key for c in self.wall.colours} else None
        text = draft.get("text") if isinstance(draft.get("text"), str) else ""
        editing = draft.get("editing")
        editing = editing if any(n["id"] == editing for n in self.notes) else None
        return colour, text, editing

    def restore(self) -> None:
        """Show what the store holds (on build, and after a reset or undo)."""
        problems: list[str] = []
        self._damaged = set()
        self.notes = self._read_notes(problems)
        colour, text, self.editing = self._read_draft(problems)
        self._removed = None
        self.undo_remove.disabled = True
        self._set_editor(colour, text)
        self._render()
        if problems:
            self.announce(
                "Some saved notes could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); they are kept in your history.",
                "warning",
            )

    def _set_editor(self, colour: str | None, text: str) -> None:
        """Show a note in the editor without saving it as a draft."""
        self._loading = True
        try:
            self.colour.value = colour
            self.text.value = text
        finally:
            self._loading = False

    def _number(self, ident: int) -> int:
        return next(i for i, n in enumerate(self.notes, start=1) if n["id"] == ident)

    def _missing_colours(self) -> list[PostItColour]:
        used = {n["colour"] for n in self.notes}
        return [c for c in self.wall.colours if c.key not in used]

    def _update_progress(self) -> None:
        if self.notes and not self._missing_colours():
            self.mark("complete")
        elif self.notes or self.text.value.strip():
            self.mark("started")

    def _save_field(self, field: str, value: Any) -> bool:
        # The first save over a damaged value is a revision of its own, so the damaged
        # value stays in the history as the warning promised.
        saved = self.save(field, value, coalesce=field not in self._damaged)
        if saved:
            self._damaged.discard(field)
        return saved

    def _save_notes(self) -> bool:
        return self._save_field(NOTES_FIELD, [dict(n) for n in self.notes])

    def _save_draft(self) -> None:
        self._save_field(
            DRAFT_FIELD,
            {"colour": self.colour.value, "text": self.text.value, "editing": self.editing},
        )

    def _progress_message(self) -> str:
        missing = self._missing_colours()
        if not missing:
            return "Every colour has a note: your evaluation is complete."
        todo = "; ".join(f"{c.name} ({c.question})" for c in missing)
        done = len(self.wall.colours) - len(missing)
        return f"Notes in {done} of {len(self.wall.colours)} colours. Still to add: {todo}"

    # -- what it shows -----------------------------------------------------------------
    def _render(self) -> None:
        editing = self.editing is not None
        self.add.description = f"Save note {self._number(self.editing)}" if editing else "Add note"
        self.cancel.layout.display = "" if editing else "none"
        for row in self.note_list.children:
            for child in (*row.children, row):
                child.close()
        rows = [self._note_row(n, note) for n, note in enumerate(self.notes, start=1)]
        self.note_list.children = rows or [widgets.HBox([widgets.HTML("<em>No notes yet.</em>")])]
        self.chart.show(self.notes)

    def _note_row(self, n: int, note: Note) -> widgets.HBox:
        text = note["text"]
        more = len(text) - _LIST_CHARS
        label = widgets.HTML(
            str(
                Markup(
                    '<div class="pl-postit-note"><strong>Note {} ({}):</strong> '
                    "<span style='white-space:pre-wrap'>{}{}</span></div>"
                ).format(
                    n,
                    self.wall.colour(note["colour"]).name,
                    text[:_LIST_CHARS],
                    f"{_ELLIPSIS} ({more} more characters; press Edit to see them all)"
                    if more > 0
                    else "",
                )
            ),
            layout=widgets.Layout(flex="1 1 auto"),
        )
        edit = _button(f"Edit note {n}", "pencil")
        remove = _button(f"Remove note {n}", "trash")
        edit.on_click(partial(self._on_edit, note["id"]))
        remove.on_click(partial(self._on_remove, note["id"]))
        return widgets.HBox([label, edit, remove], layout=widgets.Layout(flex_flow="row wrap"))

    # -- events ----------------------------------------------------------------------
    def _draft_changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._save_draft()
        self._update_progress()

    def _clear_editor(self) -> None:
        self.editing = None
        self.text.value = ""  # saves the emptied draft
        self._save_draft()

    def _on_add(self, _button: widgets.Button | None = None) -> None:
        text = self.text.value
        if not text.strip():
            self.announce(
                "Write something on your note first: an empty note is not added.", "warning"
            )
            return
        if self.colour.value is None:
            self.announce("Choose the colour of your note first.", "warning")
            return
        colour = self.wall.colour(self.colour.value)
        if self.editing is not None:
            n = self._number(self.editing)
            self.notes[n - 1] = {"id": self.editing, "colour": colour.key, "text": text}
            verb = "Saved"
        else:
            ident = max((note["id"] for note in self.notes), default=0) + 1
            self.notes.append({"id": ident, "colour": colour.key, "text": text})
            n, verb = len(self.notes), "Added"
        if not self._save_notes():
            return
        self._clear_editor()
        self._render()
        self._update_progress()
        self.announce(f"{verb} note {n} ({colour.name}). {self._progress_message()}", "saved")

    def _on_edit(self, ident: int, _button: widgets.Button | None = None) -> None:
        note = next(n for n in self.notes if n["id"] == ident)
        self.editing = ident
        self._set_editor(note["colour"], note["text"])
        self._save_draft()
        self._render()
        n = self._number(ident)
        self.announce(f"Editing note {n}. Change its text or colour, then press 'Save note {n}'.")

    def _on_cancel(self, _button: widgets.Button | None = None) -> None:
        self._clear_editor()
        self._render()
        self.announce("Stopped editing; the note is unchanged.")

    def _on_remove(self, ident: int, _button: widgets.Button | None = None) -> None:
        n = self._number(ident)
        note = self.notes.pop(n - 1)
        if not self._save_notes():
            self.notes.insert(n - 1, note)
            return
        self._removed = (n - 1, note)
        self.undo_remove.disabled = False
        if self.editing == ident:
            self._clear_editor()
        self._render()
        self._update_progress()
        name = self.wall.colour(note["colour"]).name
        self.announce(f"Removed note {n} ({name}). Press 'Undo remove' to bring it back.", "saved")

    def _on_undo_remove(self, _button: widgets.Button | None = None) -> None:
        if self._removed is None:
            return
        index, note = self._removed
        self.notes.insert(min(index, len(self.notes)), note)
        if not self._save_notes():
            self.notes.remove(note)
            return
        self._removed = None
        self.undo_remove.disabled = True
        self._render()
        self._update_progress()
        self.announce(f"Brought back note {self._number(note['id'])}.", "saved")


def postit_wall(binding: Binding) -> PostItWall:
    """Build the session evaluation wall: add, edit and remove coloured notes.

    Parameters
    ----------
    binding
        Where the notes are stored (``notebook/exercise/notes`` and ``.../draft``), from
        :meth:`~partnership_lib.sessions.session.Session.bind`.

    Returns
    -------
    PostItWall
        An :class:`~partnership_lib.widgets.base.Exercise` with classes ``pl-exercise``
        and ``pl-postits``; its ``figure`` is the one figure the wall is drawn on.

    Notes
    -----
    Complete once the wall has at least one note in every colour.
    """
    return PostItWall(binding)
