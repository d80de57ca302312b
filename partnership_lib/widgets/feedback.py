"""'What other groups said': the workbook's group feedback, revealed after answering.

A :class:`FeedbackReveal` follows another exercise: it is given that exercise's
:class:`~partnership_lib.widgets.base.Binding` and reads its answers, but never writes.
That is why it is a plain ``VBox`` and not an
:class:`~partnership_lib.widgets.base.Exercise`: an exercise owns answers (it saves them,
records its kind and progress, and offers reset and undo), and a reveal owns none. Made
an exercise, its reset bar would clear the other exercise's answers, and its bookkeeping
would be saved under the other exercise's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from partnership_lib.core.store import META_FIELD, STATUS_FIELD
from partnership_lib.widgets.base import Binding, live_region

__all__ = [
    "FeedbackReveal",
    "feedback_html",
    "feedback_reveal",
]

_INTRO = "Groups who did this activity in earlier workshops reported:"
_LABEL = "Show what other groups said"
_HIDE = "Hide what other groups said"


def feedback_html(lists: Sequence[Any], *, intro: str = "") -> str:
    """Escaped HTML for feedback lists (objects with ``heading`` and ``items``)."""
    parts = [Markup("<p>{}</p>").format(intro)] if intro else []
    for fl in lists:
        items = Markup("").join(Markup("<li>{}</li>").format(i) for i in fl.items)
        parts.append(Markup("<p><strong>{}</strong></p><ul>{}</ul>").format(fl.heading, items))
    return str(Markup('<div class="pl-feedback">{}</div>').format(Markup("").join(parts)))


class FeedbackReveal(widgets.VBox):
    """The widget :func:`feedback_reveal` returns: a toggle that shows the group feedback.

    Attributes
    ----------
    binding : Binding
        The exercise whose answers it waits for (read, never written).
    button : ipywidgets.ToggleButton
        Shows or hides the feedback.
    panel : ipywidgets.HTML
        The feedback, once shown.
    status : ipywidgets.HTML
        A live region saying to answer first.
    """

    binding: Binding
    lists: tuple[Any, ...]
    intro: str
    label: str
    button: widgets.ToggleButton
    panel: widgets.HTML
    status: widgets.HTML

    def __init__(
        self, binding: Binding, lists: Sequence[Any], *, intro: str = _INTRO, label: str = _LABEL
    ) -> None:
        if not isinstance(binding, Binding):
            raise TypeError(f"feedback_reveal needs a Binding (see Session.bind), got {binding!r}")
        self.binding, self.lists, self.intro, self.label = binding, tuple(lists), intro, label
        self.button = widgets.ToggleButton(
            value=False,
            description=label,
            icon="users",
            layout=widgets.Layout(width="auto"),
            # without a tooltip, ipywidgets titles the button "null", which is read out
            tooltip="Opens once you have answered the activity; press again to hide it",
        )
        self.panel = widgets.HTML()
        self.status = widgets.HTML(live_region())
        self.button.observe(self._toggled, names="value")
        super().__init__([self.button, self.status, self.panel])
        self.add_class("pl-feedback-reveal")

    @property
    def answered(self) -> bool:
        """Whether the exercise it follows has any answer in the store."""
        b = self.binding
        return any(
            k.field not in (STATUS_FIELD, META_FIELD)
            for k in b.store.answers(b.notebook)
            if k.exercise == b.exercise
        )

    def _toggled(self, change: dict[str, Any]) -> None:
        if not change["new"]:
            self.panel.value = ""
            self.button.description = self.label
            return
        if not self.answered:
            self.status.value = live_region(
                "Answer the activity first, then compare with what other groups said.", "info"
            )
            self.button.value = False
            return
        self.status.value = live_region()
        self.panel.value = feedback_html(self.lists, intro=self.intro)
        self.button.description = _HIDE


def feedback_reveal(
    binding: Binding,
    lists: Sequence[Any],
    *,
    intro: str = _INTRO,
    label: str = _LABEL,
) -> FeedbackReveal:
    """A button that reveals the workbook's group feedback once the learner has answered.

    Parameters
    ----------
    binding
        The binding of the exercise the feedback is about (the same one its builder was
        given); the feedback stays hidden until that exercise has an answer in the
        store, so the learner thinks for themselves first.
    lists
        Feedback lists: objects with ``heading`` and ``items`` (plain text, escaped).
    intro, label
        The sentence above the lists, and the button's label.

    Returns
    -------
    FeedbackReveal
        A VBox with class ``pl-feedback-reveal``.
    """
    return FeedbackReveal(binding, lists, intro=intro, label=label)
