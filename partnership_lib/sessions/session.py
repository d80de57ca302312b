"""The parts every session notebook shares: its header, how-to, progress and reveal buttons.

A :class:`Session` reads the notebook's entry in ``data/sessions.yaml`` (title, place
in the day's programme, learning outcomes, exercises, what comes next) so that a
notebook cell stays one call: ``session.header()``, ``session.exercise(...)``. Its
outputs are deterministic HTML (strict nbval compares them) and its widgets are built
by the exercise modules, bound to the learner's store under the session's notebook key.
"""

from __future__ import annotations

from collections.abc import Sequence

from partnership_lib.core.html import HTMLBlock, escape
from partnership_lib.core.projector import apply_request
from partnership_lib.core.store import DATA_DIR_ENV, default_store
from partnership_lib.models.programme import session_catalogue
from partnership_lib.widgets.base import Binding, NotebookProgress
from partnership_lib.widgets.page import PAGE_CSS
from partnership_lib.widgets.projector import projector_toggle

__all__ = [
    "Session",
]


class Session:
    """One session notebook: ``Session("01_concepts_and_contexts")``."""

    def __init__(self, notebook: str, *, store=None) -> None:
        entries = {s["key"]: s for s in session_catalogue()}
        if notebook not in entries:
            raise ValueError(f"unknown session {notebook!r}; known: {', '.join(entries)}")
        self.notebook = notebook
        self.entry = entries[notebook]
        self._store = store
        self._progress = None
        # The first cell builds the Session: charts drawn by later cells are already in
        # the projector style when the page or the environment asked for it.

        apply_request()

    # -- store and progress ------------------------------------------------------------
    @property
    def store(self):
        if self._store is None:
            self._store = default_store()
        return self._store

    @property
    def exercises(self) -> tuple[tuple[str, str], ...]:
        return tuple((e["key"], e["title"]) for e in self.entry.get("exercises", []))

    @property
    def progress(self):
        """The notebook's shared progress tracker (exercises refresh it as they save)."""
        if self._progress is None:
            self._progress = NotebookProgress(self.notebook, self.exercises, store=self.store)
        return self._progress

    def title_of(self, exercise: str) -> str:
        for key, title in self.exercises:
            if key == exercise:
                return title
        known = ", ".join(k for k, _ in self.exercises)
        raise ValueError(f"{self.notebook} has no exercise {exercise!r}; known: {known}")

    def bind(self, exercise: str) -> Binding:
        """Where one of this session's exercises keeps its answers (see :class:`Binding`)."""
        return Binding(self.store, self.notebook, exercise, self.progress, self.title_of(exercise))

    # -- static parts ----------------------------------------------------------------------
    def header(self) -> HTMLBlock:
        """Title, place in the programme and learning outcomes."""
        e = self.entry
        when = e["time"] if not e["number"] else f"Session {e['number']} of the day, {e['time']}"
        topics = "".join(f"<li>{escape(t)}</li>" for t in e["topics"])
        outcomes = e.get("outcomes", [])
        out_html = "".join(f"<li>{escape(o)}</li>" for o in outcomes)
        parts = [
            f'<div class="pl-session-header"><style>{PAGE_CSS}</style>',
            f"<p><strong>{escape(when)}</strong></p>",
            f"<p>This session covers:</p><ul>{topics}</ul>",
        ]
        if outcomes:
            parts.append(
                "<p><strong>Learning outcomes.</strong> By the end of it you should:</p>"
                f"<ul>{out_html}</ul>"
            )
        parts.append("</div>")
        text = f"{e['title']}. {when}. Topics: {'; '.join(e['topics'])}."
        if outcomes:
            text += " Learning outcomes: " + "; ".join(outcomes) + "."
        return HTMLBlock("".join(parts), text)

    def how_to(self) -> HTMLBlock:
        """How to use a session notebook: Run All, autosave, reset, export."""

        items = [
            "Choose <strong>Run &gt; Run All Cells</strong> once. The code is hidden and "
            "nothing needs editing: you work only with the boxes and buttons.",
            "Your answers <strong>save themselves</strong> as you type, in your own data "
            "folder on this computer (run <code>partnership where</code> in a terminal to "
            f"see it; set <code>{DATA_DIR_ENV}</code> to choose another). They are not "
            "stored in this notebook and nobody else sees them unless you export them.",
            "If you close the notebook, restart the kernel or lose power, run all cells "
            "again and your answers come back.",
            "Each exercise has a <strong>Reset this exercise</strong> button. It asks "
            "first, and <strong>Undo reset</strong> brings your answers back.",
            "To keep a copy, use the export in the last notebook "
            "(<code>04_feedback_and_reflection</code>) or run "
            "<code>partnership export portfolio</code>.",
        ]
        body = "".join(f"<li>{i}</li>" for i in items)
        return HTMLBlock(
            f'<div class="pl-how-to"><ul>{body}</ul></div>',
            "How to use this notebook: Run All once; answers save themselves in your own data "
            "folder; run all again after a restart; each exercise can be reset and the reset "
            "undone; export from notebook 04 or with `partnership export portfolio`.",
        )

    def closing(self, think_about: Sequence[str] = ()) -> HTMLBlock:
        """THINK ABOUT prompts and what comes next."""
        parts = ['<div class="pl-closing">']
        if think_about:
            items = "".join(f"<li>{escape(t)}</li>" for t in think_about)
            parts.append(f"<p><strong>THINK ABOUT</strong></p><ul>{items}</ul>")
        nxt = self.entry.get("next", "")
        if nxt:
            parts.append(f"<p><strong>What comes next:</strong> {escape(nxt)}</p>")
        parts.append("</div>")
        text = "THINK ABOUT: " + " ".join(think_about) if think_about else ""
        return HTMLBlock("".join(parts), (text + (" Next: " + nxt if nxt else "")).strip())

    def progress_line(self):
        """The live "N of M activities started" line (a widget)."""
        return self.progress.widget

    def projector_toggle(self):
        """The "Projector mode" toggle (see :func:`partnership_lib.widgets.projector.projector_toggle`)."""

        return projector_toggle()
