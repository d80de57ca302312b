"""Choose several of a list with one click each: a wrap of labelled tick boxes.

A ``SelectMultiple`` replaces the earlier choices on a plain click (keeping several needs
Ctrl-click, which few learners know) and scrolls chosen items out of sight. A
:class:`MultiChoice` shows every option as a tick box, wrapped to the width of the page
and grouped under headings: each click (or Space, from the keyboard) toggles one option,
and every chosen option stays in view, ticked, with a line naming them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle

from partnership_lib.core.html import Markup

__all__ = ["MultiChoice"]


class MultiChoice(widgets.VBox):
    """Tick boxes for several choices; :attr:`value` is the tuple of keys chosen.

    Parameters
    ----------
    options
        ``(label, key)`` pairs, in the order :attr:`value` lists them.
    description
        What is being chosen, shown above the boxes ("Skills used (Personal)").
    groups
        ``(heading, keys)`` pairs to show the options under headings; one group of all
        options, without a heading, when omitted.
    context
        A few words added to each box's tooltip ("Listening, Personal"), so a box can be
        told from the same option in another picker.

    Attributes
    ----------
    value : tuple of str
        The keys ticked, in the order of ``options``; assign it to tick others (the
        boxes follow, and observers of ``value`` are told once).
    checkboxes : dict
        Key to its tick box (named by the option's label).
    chosen : ipywidgets.HTML
        "Chosen (2): Listening, Trust", or that nothing is chosen yet.
    """

    value = traitlets.Tuple()

    checkboxes: dict[str, widgets.Checkbox]
    chosen: widgets.HTML

    def __init__(
        self,
        options: Iterable[tuple[str, str]],
        *,
        description: str,
        groups: Sequence[tuple[str, Sequence[str]]] | None = None,
        context: str = "",
    ) -> None:
        pairs = list(options)
        labels = dict((key, label) for label, key in pairs)
        if len(labels) != len(pairs):
            raise ValueError(f"{description}: each option needs a key of its own")
        if groups is None:
            groups = [("", [key for _label, key in pairs])]
        grouped = [key for _heading, keys in groups for key in keys]
        if sorted(grouped) != sorted(labels):
            raise ValueError(f"{description}: the groups must hold every option once")
        self._labels = labels
        self._syncing = False
        # one layout and one style for every box: fewer widget models on the page
        box_layout = widgets.Layout(width="auto", margin="0 1.2em 0 0")
        box_style = CheckboxStyle()
        self.checkboxes = {}
        rows: list[widgets.Widget] = [widgets.HTML(self._html("pl-choice-label", description))]
        for heading, keys in groups:
            if heading:
                rows.append(widgets.HTML(self._html("pl-choice-group", heading)))
            boxes = [self._checkbox(key, context, box_layout, box_style) for key in keys]
            rows.append(widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap")))
        self.chosen = widgets.HTML()
        rows.append(self.chosen)
        super().__init__(rows)
        self.add_class("pl-multichoice")
        self.observe(self._show, names="value")
        self._show()

    @staticmethod
    def _html(css_class: str, text: str) -> str:
        return str(Markup('<div class="{}"><strong>{}</strong></div>').format(css_class, text))

    def _checkbox(
        self, key: str, context: str, layout: widgets.Layout, style: CheckboxStyle
    ) -> widgets.Checkbox:
        label = self._labels[key]
        box = widgets.Checkbox(
            value=False,
            description=label,
            tooltip=f"{label}, {context}" if context else label,
            indent=False,
            layout=layout,
            style=style,
        )
        box.observe(partial(self._ticked, key), names="value")
        self.checkboxes[key] = box
        return box

    def _ticked(self, _key: str, _change: Any = None) -> None:
        if not self._syncing:
            self.value = tuple(k for k in self._labels if self.checkboxes[k].value)

    @traitlets.validate("value")
    def _valid(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        wanted = tuple(proposal["value"])
        unknown = [k for k in wanted if k not in self._labels]
        if unknown:
            raise traitlets.TraitError(f"unknown choice {unknown[0]!r}")
        return tuple(k for k in self._labels if k in wanted)  # options' order, once each

    def _show(self, _change: Any = None) -> None:
        self._syncing = True
        try:
            for key, box in self.checkboxes.items():
                box.value = key in self.value
        finally:
            self._syncing = False
        names = [self._labels[k] for k in self.value]
        text = f"Chosen ({len(names)}): {', '.join(names)}" if names else "Nothing chosen yet."
        self.chosen.value = str(Markup('<p class="pl-choice-summary">{}</p>').format(text))
