"""The parts every session notebook shares: its header, how-to, progress and reveal buttons.

A :class:`Session` reads the notebook's entry in ``data/sessions.yaml`` (title, place
in the day's programme, learning outcomes, exercises, what comes next) so that a
notebook cell stays one call: ``session.header()``, ``session.exercise(...)``. Its
outputs are deterministic HTML (strict nbval compares them) and its widgets are built
by the exercise modules, bound to the learner's store under the session's notebook key.
"""

from __future__ import annotations

from collections.abc import Sequence

from partnership_lib.core.html import HTMLBlock, Markup, render
from partnership_lib.core.projector import apply_request, under_voila
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
        """Title, place in the programme and learning outcomes (with the page-wide style)."""
        e = self.entry
        when = e["time"] if not e["number"] else f"Session {e['number']} of the day, {e['time']}"
        outcomes = e.get("outcomes", [])
        html = render(
            "session_header.html.j2",
            page_css=Markup(PAGE_CSS),  # our own style sheet, not text to escape
            when=when,
            topics=e["topics"],
            outcomes=outcomes,
        )
        text = f"{e['title']}. {when}. Topics: {'; '.join(e['topics'])}."
        if outcomes:
            text += " Learning outcomes: " + "; ".join(outcomes) + "."
        return HTMLBlock(str(html), text)

    def how_to(self) -> HTMLBlock:
        """How to use a session notebook: Run All, autosave, reset, export."""
        in_voila = under_voila()
        start = "the page is ready" if in_voila else "Run All once"
        again = "open the page again" if in_voila else "run all again"
        return HTMLBlock(
            str(render("session_how_to.html.j2", data_dir_env=DATA_DIR_ENV, in_voila=in_voila)),
            f"How to use this notebook: {start}; answers save themselves in your own private "
            f"data folder; {again} after a restart; each exercise can be reset and the reset "
            "undone; export from the last notebook, Feedback and reflection.",
        )

    def closing(self, think_about: Sequence[str] = ()) -> HTMLBlock:
        """THINK ABOUT prompts and what comes next."""
        nxt = self.entry.get("next", "")
        html = render("session_closing.html.j2", think_about=list(think_about), next=nxt)
        text = "THINK ABOUT: " + " ".join(think_about) if think_about else ""
        return HTMLBlock(str(html), (text + (" Next: " + nxt if nxt else "")).strip())

    def progress_line(self):
        """The live "N of M activities started" line (a widget)."""
        return self.progress.widget

    def projector_toggle(self):
        """The "Projector mode" toggle (see :func:`partnership_lib.widgets.projector.projector_toggle`)."""

        return projector_toggle()
