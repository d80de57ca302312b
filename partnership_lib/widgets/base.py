"""What every exercise shares: where its answers live, autosave, reset and undo, feedback.

Every exercise is an :class:`Exercise`: a widget (a ``VBox``) bound to the learner's answer
store by a :class:`Binding` (the store, the notebook and exercise keys, the progress line
to refresh and the exercise's title), which :meth:`partnership_lib.sessions.session.Session.bind`
returns. It declares what every exercise has:

- its key (:attr:`Exercise.key`) and binding, its kind and title (recorded with the first
  answer so the portfolio can show it without the widget);
- its value (:attr:`Exercise.value`): the fields it has saved, read from the store;
- autosave: :meth:`Exercise.bind` restores a control from the store and saves every change
  at once (typing bursts are coalesced into one revision by the store, so a killed kernel
  loses nothing that reached it and the history stays readable);
- progress (:meth:`Exercise.mark`), a status line announced to screen readers through a
  live region (:meth:`Exercise.announce`), and reset with undo (:meth:`Exercise.reset`,
  :meth:`Exercise.undo_reset`, :meth:`Exercise.reset_bar`).

Subclasses build their controls in ``__init__`` and keep them as declared attributes.
Learner text is always HTML-escaped before it is shown. Nothing here calls ``display``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets

from partnership_lib.core.html import escape
from partnership_lib.core.store import (
    META_FIELD,
    STATUS_FIELD,
    AnswerKey,
    AnswerStore,
    StoreError,
    default_store,
)
from partnership_lib.models.progress import exercise_states

__all__ = [
    "Binding",
    "Exercise",
    "NotebookProgress",
    "exercise_binding",
    "live_region",
]

#: Seconds within which successive autosaves of one field become one revision.
COALESCE_SECONDS = 30.0

_KIND_STYLE = {
    "info": ("#1a1a1a", "#F2F2F2", ""),
    "saved": ("#1a1a1a", "#EAF4EC", "\u2713 "),
    "right": ("#0B4F2E", "#E3F3EA", "\u2713 "),
    "wrong": ("#7A2E00", "#FCEBDD", "\u2717 "),
    "warning": ("#5C4300", "#FFF4CC", "\u26a0 "),
    "error": ("#7A0000", "#FBE3E3", "\u26a0 "),
}


def live_region(message: str = "", kind: str = "info", *, escaped: bool = False) -> str:
    """Return the HTML for a status message inside a polite ARIA live region."""
    fg, bg, mark = _KIND_STYLE.get(kind, _KIND_STYLE["info"])
    body = message if escaped else escape(message)
    if not body:
        return '<div role="status" aria-live="polite" class="pl-status"></div>'
    return (
        f'<div role="status" aria-live="polite" class="pl-status pl-status-{kind}" '
        f'style="color:{fg};background:{bg};padding:0.3em 0.6em;border-radius:4px">'
        f"{mark}{body}</div>"
    )


@dataclass(frozen=True, slots=True)
class Binding:
    """Where one exercise keeps its answers: ``store`` under ``notebook/exercise/<field>``.

    ``progress`` is the notebook's progress line, refreshed after each save; ``title`` is
    the exercise's heading in the day's programme (``data/sessions.yaml``).
    """

    store: AnswerStore
    notebook: str
    exercise: str
    progress: NotebookProgress | None = None
    title: str = ""

    def __post_init__(self) -> None:
        AnswerKey(self.notebook, self.exercise, "field")  # names the bad part, if any

    def key(self, field: str) -> AnswerKey:
        """The answer key of one of this exercise's fields."""
        return AnswerKey(self.notebook, self.exercise, field)


def exercise_binding(
    notebook: str,
    exercise: str,
    *,
    store: AnswerStore | None = None,
    progress: NotebookProgress | None = None,
    title: str = "",
) -> Binding:
    """A :class:`Binding`, on the learner's own store when ``store`` is omitted."""
    return Binding(
        store if store is not None else default_store(), notebook, exercise, progress, title
    )


class Exercise(widgets.VBox):
    """One exercise: its controls, bound to the learner's answers (see the module docstring).

    Parameters
    ----------
    binding
        Where the answers live (:class:`Binding`).
    kind
        What sort of exercise this is (``"text"``, ``"rating"``, ...); a subclass sets
        the class attribute instead.
    title
        Its heading; the binding's title when omitted.
    children
        The widgets to show (a subclass may set ``children`` later).
    """

    #: What sort of exercise this is, recorded with its answers for the portfolio.
    kind: ClassVar[str] = ""

    binding: Binding
    title: str
    status: widgets.HTML

    def __init__(
        self,
        binding: Binding,
        *,
        kind: str | None = None,
        title: str | None = None,
        children: Iterable[widgets.Widget] = (),
        **box_kwargs: Any,
    ) -> None:
        super().__init__(list(children), **box_kwargs)
        if not isinstance(binding, Binding):
            raise TypeError(f"an exercise needs a Binding (see Session.bind), got {binding!r}")
        self.binding = binding
        if kind is not None:
            self.kind = kind
        self.title = binding.title if title is None else title
        self._meta_saved = False
        self.status = widgets.HTML(value=live_region())
        self.status.add_class("pl-live")
        self._on_reset: list[Callable[[], None]] = []
        self._last_reset: list[AnswerKey] = []
        self.add_class("pl-exercise")
        if self.kind:
            self.add_class(f"pl-{self.kind}")
        if not self.store.status.ok:
            self.announce(self.store.status.message, "warning")

    # -- what every exercise has --------------------------------------------------------
    @property
    def store(self) -> AnswerStore:
        return self.binding.store

    @property
    def notebook(self) -> str:
        return self.binding.notebook

    @property
    def key(self) -> str:
        """The exercise's key within its notebook, e.g. ``"activity3"``."""
        return self.binding.exercise

    exercise = key  # the name the answer keys use

    @property
    def progress(self) -> NotebookProgress | None:
        return self.binding.progress

    @property
    def value(self) -> dict[str, Any]:
        """Every field this exercise has saved (bookkeeping fields left out)."""
        return {
            k.field: v
            for k, v in self.store.answers(self.notebook).items()
            if k.exercise == self.key and k.field not in (STATUS_FIELD, META_FIELD)
        }

    def meta(self) -> dict[str, Any]:
        """What an export needs to show this exercise without its widget: its kind and
        title. Saved with the exercise's first answer; a subclass may add to it."""
        return {"kind": self.kind, "title": self.title}

    def field_key(self, field: str) -> AnswerKey:
        return self.binding.key(field)

    # -- keys and values ------------------------------------------------------------
    def get(self, field: str, default: Any = None) -> Any:
        return self.store.get(self.field_key(field), default)

    def save(
        self, field: str, value: Any, *, announce: bool = False, coalesce: bool = True
    ) -> bool:
        """Save one field; on failure say so in the status line and return False.

        ``coalesce=False`` makes the save a revision of its own, never merged with recent
        typing: use it before replacing a value wholesale (loading an example, or the
        first save over a damaged value) so the earlier value stays in the history.
        """
        try:
            self.store.save(
                self.field_key(field), value, coalesce_within=COALESCE_SECONDS if coalesce else None
            )
            if not self._meta_saved and (self.kind or self.title):
                self.store.save(self.field_key(META_FIELD), self.meta())
                self._meta_saved = True
        except (StoreError, TypeError, ValueError) as exc:
            self.announce(f"Could not save your answer: {exc}", "error")
            return False
        if announce:
            self.announce("Saved.", "saved")
        if self.progress is not None:
            self.progress.refresh()
        return True

    def mark(self, status: str) -> None:
        """Record ``"started"`` or ``"complete"`` for progress views (no-op if unchanged)."""
        if status not in ("started", "complete"):
            raise ValueError(f"status must be 'started' or 'complete', got {status!r}")
        if self.get(STATUS_FIELD) != status:
            self.save(STATUS_FIELD, status)

    def bind(
        self,
        widget: widgets.ValueWidget,
        field: str,
        *,
        to_store: Callable[[Any], Any] = lambda v: v,
        from_store: Callable[[Any], Any] = lambda v: v,
        on_change: Callable[[Any], None] | None = None,
    ) -> widgets.ValueWidget:
        """Restore ``widget.value`` from the store, then save every change to ``field``."""
        saved = self.get(field)
        if saved is not None:
            try:
                widget.value = from_store(saved)
            except Exception as exc:  # a stored value the widget cannot take: keep it, say so
                self.announce(
                    f"A saved answer for '{field}' could not be shown ({exc}); it is kept in "
                    "your history.",
                    "warning",
                )

        def _changed(change: dict[str, Any]) -> None:
            if self.save(field, to_store(change["new"])):
                self.mark("started")
            if on_change is not None:
                on_change(change["new"])

        def _restore() -> None:
            # after a reset or undo: show what the store now holds, without saving it again
            stored = self.get(field)
            widget.unobserve(_changed, names="value")
            try:
                widget.value = from_store(stored) if stored is not None else _empty(widget)
            finally:
                widget.observe(_changed, names="value")

        widget.observe(_changed, names="value")
        self._on_reset.append(_restore)
        return widget

    # -- feedback --------------------------------------------------------------------
    def announce(self, message: str, kind: str = "info", *, escaped: bool = False) -> None:
        self.status.value = live_region(message, kind, escaped=escaped)

    # -- reset and undo --------------------------------------------------------------
    def on_reset(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after a reset or undo so the exercise can redraw itself."""
        self._on_reset.append(callback)

    def reset(self) -> int:
        """Clear every answer of this exercise (undoable); return how many were cleared."""
        revisions = self.store.reset_exercise(self.notebook, self.exercise)
        self._last_reset = [r.key for r in revisions]
        self._meta_saved = False
        self._refresh_after_reset()
        return len(revisions)

    def undo_reset(self) -> int:
        """Bring back every answer the last reset cleared; return how many came back."""
        restored = 0
        for key in self._last_reset:
            history = self.store.history(key)
            earlier = [r for r in history if r.value is not None]
            if history and history[-1].value is None and earlier:
                self.store.restore(key, earlier[-1].revision)
                restored += 1
        self._last_reset = []
        self._refresh_after_reset()
        return restored

    def _refresh_after_reset(self) -> None:
        for callback in self._on_reset:
            callback()
        if self.progress is not None:
            self.progress.refresh()

    def reset_bar(self) -> widgets.HBox:
        """A "Reset this exercise" button that asks first, and an "Undo reset" button."""
        reset = widgets.Button(
            description="Reset this exercise",
            icon="undo",
            layout=widgets.Layout(width="auto"),
            tooltip="Clear your answers to this exercise (you can undo this)",
        )
        auto = widgets.Layout(width="auto")
        confirm = widgets.Button(
            description="Yes, clear my answers", button_style="danger", layout=auto
        )
        cancel = widgets.Button(description="Cancel", layout=auto)
        undo = widgets.Button(description="Undo reset", icon="history", disabled=True, layout=auto)
        question = widgets.HTML(
            "<span>Clear every answer in this exercise? You can undo this afterwards.</span>"
        )
        confirm_box = widgets.HBox([question, confirm, cancel])
        confirm_box.layout.display = "none"

        def _ask(_):
            confirm_box.layout.display = "flex"

        def _cancel(_):
            confirm_box.layout.display = "none"
            self.announce("Nothing was cleared.")

        def _confirm(_):
            confirm_box.layout.display = "none"
            n = self.reset()
            undo.disabled = n == 0
            self.announce(
                f"Cleared {n} answer{'s' if n != 1 else ''}. Use 'Undo reset' to bring them back."
                if n
                else "There was nothing to clear."
            )

        def _undo(_):
            n = self.undo_reset()
            undo.disabled = True
            self.announce(f"Brought back {n} answer{'s' if n != 1 else ''}.", "saved")

        reset.on_click(_ask)
        cancel.on_click(_cancel)
        confirm.on_click(_confirm)
        undo.on_click(_undo)
        bar = widgets.VBox([widgets.HBox([reset, undo]), confirm_box])
        bar.add_class("pl-reset-bar")
        return bar


def _empty(widget: widgets.ValueWidget) -> Any:
    if isinstance(widget, (widgets.Text, widgets.Textarea)):
        return ""
    if isinstance(widget, (widgets.SelectMultiple, widgets.TagsInput)):
        return ()
    if isinstance(widget, widgets.Checkbox):
        return False
    if isinstance(widget, (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedIntText)):
        return widget.min
    if isinstance(widget, (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons)):
        # a "Choose…" option stored as "" shows its label; None would show a blank box
        values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        return "" if "" in values else None
    return widget.value


class NotebookProgress:
    """A line such as "3 of 6 activities started, 1 complete" for one notebook."""

    def __init__(
        self,
        notebook: str,
        exercises: Iterable[tuple[str, str]],
        *,
        store: AnswerStore | None = None,
    ) -> None:
        self.notebook = notebook
        self.exercises = tuple(exercises)  # (key, title)
        self.store = store if store is not None else default_store()
        self.widget = widgets.HTML()
        self.widget.add_class("pl-progress")
        self.refresh()

    def states(self) -> dict[str, str]:
        """Map exercise key to 'not started', 'started' or 'complete'."""
        return exercise_states(self.store, self.notebook, self.exercises)

    def text(self) -> str:
        states = self.states()
        total = len(states)
        started = sum(s != "not started" for s in states.values())
        complete = sum(s == "complete" for s in states.values())
        noun = "activity" if total == 1 else "activities"
        return f"{started} of {total} {noun} started, {complete} complete"

    def refresh(self) -> None:
        self.widget.value = (
            f'<div class="pl-progress-line" role="status" aria-live="polite">'
            f"<strong>Your progress:</strong> {escape(self.text())}</div>"
        )
