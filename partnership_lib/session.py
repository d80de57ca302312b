"""The parts every session notebook shares: its header, how-to, progress and reveal buttons.

A :class:`Session` reads the notebook's entry in ``data/sessions.yaml`` (title, place
in the day's programme, learning outcomes, exercises, what comes next) so that a
notebook cell stays one call: ``session.header()``, ``session.exercise(...)``. Its
outputs are deterministic HTML (strict nbval compares them) and its widgets are built
by the exercise modules, bound to the learner's store under the session's notebook key.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import content

__all__ = ["PAGE_CSS", "HTMLBlock", "Session", "page_style", "session_catalogue"]

#: Where our page-wide rules apply: notebook outputs and rendered Markdown (in Voilà and
#: in JupyterLab), never JupyterLab's own menus, side bars or editors.
_PAGE_SCOPE = (".jp-OutputArea-output", ".jp-RenderedMarkdown")

#: The page-wide CSS every session notebook shows once, in :meth:`Session.header`.
#: A focus ring on every control (WCAG 2.4.7 and 1.4.11). ipywidgets and JupyterLab draw
#: none on inputs (``outline: none !important``) and a 1 px, 2.2:1 one on buttons; the
#: doubled scope class makes our rule the more specific. The ring is near-black (19.6:1
#: on white, 4.3:1 or more on every ipywidgets button colour) and drawn just inside the
#: control's edge: widget boxes scroll, and a ring outside a control that touches a
#: box's edge would be cut off. Tick boxes and radio buttons get a 2 px ring so their
#: mark stays visible. And no movement for learners whose system asks for less.
PAGE_CSS = (
    ", ".join(f"{scope}{scope} :focus-visible" for scope in _PAGE_SCOPE)
    + " { outline: 3px solid #0B0C0C !important; outline-offset: -3px !important; }\n"
    + ", ".join(
        f"{scope}{scope} input[type={kind}]:focus-visible"
        for scope in _PAGE_SCOPE
        for kind in ("checkbox", "radio")
    )
    + " { outline-width: 2px !important; outline-offset: -2px !important; }\n"
    # Reflow (WCAG 1.4.10): a widget given ``width: 100%`` also has ipywidgets' 2 px
    # margins, so it overflows its box, which scrolls and cuts the control's edge off;
    # and no widget may be wider than its box.
    ".jp-OutputArea-output .jupyter-widgets:not(.widget-box)[style^='width: 100%'], "
    ".jp-OutputArea-output .jupyter-widgets:not(.widget-box)[style*='; width: 100%'] "
    "{ width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important; }\n"
    ".jp-OutputArea-output .jupyter-widgets:not(.widget-box) "
    "{ max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)); }\n"
    "@media (prefers-reduced-motion: reduce) { "
    + ", ".join(f"{scope} *, {scope} *::before, {scope} *::after" for scope in _PAGE_SCOPE)
    + " { animation: none !important; transition: none !important;"
    " scroll-behavior: auto !important; } }"
)


@dataclass(frozen=True, slots=True)
class HTMLBlock:
    """Static HTML shown as a notebook output (compared by strict nbval)."""

    html: str
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}


def page_style():
    """:data:`PAGE_CSS` as a widget, for pages that show no session header (the board,
    the gallery)."""
    import ipywidgets as widgets

    style = widgets.HTML(f"<style>{PAGE_CSS}</style>")
    style.add_class("pl-page-style")
    return style


def session_catalogue() -> list[dict[str, Any]]:
    """Every session of the day, in programme order (raw content, read-only)."""
    return list(content.load("sessions")["sessions"])


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


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
        from .projector import apply_request

        apply_request()

    # -- store and progress ------------------------------------------------------------
    @property
    def store(self):
        if self._store is None:
            from .store import default_store

            self._store = default_store()
        return self._store

    @property
    def exercises(self) -> tuple[tuple[str, str], ...]:
        return tuple((e["key"], e["title"]) for e in self.entry.get("exercises", []))

    @property
    def progress(self):
        """The notebook's shared progress tracker (exercises refresh it as they save)."""
        if self._progress is None:
            from .exercises import NotebookProgress

            self._progress = NotebookProgress(self.notebook, self.exercises, store=self.store)
        return self._progress

    def title_of(self, exercise: str) -> str:
        for key, title in self.exercises:
            if key == exercise:
                return title
        known = ", ".join(k for k, _ in self.exercises)
        raise ValueError(f"{self.notebook} has no exercise {exercise!r}; known: {known}")

    def bind(self, exercise: str) -> dict[str, Any]:
        """Keyword arguments that bind an exercise builder to this session."""
        self.title_of(exercise)
        return {
            "notebook": self.notebook,
            "exercise": exercise,
            "store": self.store,
            "progress": self.progress,
        }

    # -- static parts ----------------------------------------------------------------------
    def header(self) -> HTMLBlock:
        """Title, place in the programme and learning outcomes."""
        e = self.entry
        when = e["time"] if not e["number"] else f"Session {e['number']} of the day, {e['time']}"
        topics = "".join(f"<li>{_esc(t)}</li>" for t in e["topics"])
        outcomes = e.get("outcomes", [])
        out_html = "".join(f"<li>{_esc(o)}</li>" for o in outcomes)
        parts = [
            f'<div class="pl-session-header"><style>{PAGE_CSS}</style>',
            f"<p><strong>{_esc(when)}</strong></p>",
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
        from .store import DATA_DIR_ENV

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
            items = "".join(f"<li>{_esc(t)}</li>" for t in think_about)
            parts.append(f"<p><strong>THINK ABOUT</strong></p><ul>{items}</ul>")
        nxt = self.entry.get("next", "")
        if nxt:
            parts.append(f"<p><strong>What comes next:</strong> {_esc(nxt)}</p>")
        parts.append("</div>")
        text = "THINK ABOUT: " + " ".join(think_about) if think_about else ""
        return HTMLBlock("".join(parts), (text + (" Next: " + nxt if nxt else "")).strip())

    def progress_line(self):
        """The live "N of M activities started" line (a widget)."""
        return self.progress.widget

    def projector_toggle(self):
        """The "Projector mode" toggle (see :func:`partnership_lib.projector.projector_toggle`)."""
        from .projector import projector_toggle

        return projector_toggle()
