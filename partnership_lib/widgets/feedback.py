"""'What other groups said': the workbook's group feedback, revealed after answering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import escape
from partnership_lib.core.store import META_FIELD, STATUS_FIELD
from partnership_lib.widgets.base import Binding, live_region

__all__ = [
    "feedback_html",
    "feedback_reveal",
]


def feedback_html(lists: Sequence[Any], *, intro: str = "") -> str:
    """Escaped HTML for feedback lists (objects with ``heading`` and ``items``)."""
    parts = ['<div class="pl-feedback">']
    if intro:
        parts.append(f"<p>{escape(intro)}</p>")
    for fl in lists:
        items = "".join(f"<li>{escape(i)}</li>" for i in fl.items)
        parts.append(f"<p><strong>{escape(fl.heading)}</strong></p><ul>{items}</ul>")
    parts.append("</div>")
    return "".join(parts)


def feedback_reveal(
    binding: Binding,
    lists: Sequence[Any],
    *,
    intro: str = "Groups who did this activity in earlier workshops reported:",
    label: str = "Show what other groups said",
) -> widgets.VBox:
    """A button that reveals the workbook's group feedback once the learner has answered.

    The feedback stays hidden until the exercise ``notebook/exercise`` has an answer in
    the store, so the learner thinks for themselves first.
    """
    button = widgets.ToggleButton(
        value=False,
        description=label,
        icon="users",
        layout=widgets.Layout(width="auto"),
        # without a tooltip, ipywidgets titles the button "null", which is read out
        tooltip="Opens once you have answered the activity; press again to hide it",
    )
    panel = widgets.HTML()
    status = widgets.HTML(live_region())

    def _answered() -> bool:
        return any(
            k.field not in (STATUS_FIELD, META_FIELD)
            for k in binding.store.answers(binding.notebook)
            if k.exercise == binding.exercise
        )

    def _toggle(change) -> None:
        if not change["new"]:
            panel.value = ""
            button.description = label
            return
        if not _answered():
            status.value = live_region(
                "Answer the activity first, then compare with what other groups said.", "info"
            )
            button.value = False
            return
        status.value = live_region()
        panel.value = feedback_html(lists, intro=intro)
        button.description = "Hide what other groups said"

    button.observe(_toggle, names="value")
    box = widgets.VBox([button, status, panel])
    box.add_class("pl-feedback-reveal")
    return box
