"""The small pieces of HTML the session notebooks share: lists, labels, titles, tables.

Each is rendered by a Jinja2 template in ``core/templates/sessions/`` with autoescape on
(:func:`partnership_lib.core.html.render`), so learner text and content can only reach
the page escaped; what they return is :class:`~markupsafe.Markup`, which a template or
:func:`partnership_lib.core.html.table` takes as it is.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import Markup, render

__all__ = [
    "ListItem",
    "download_link",
    "dropdown_layout",
    "exercise_title",
    "field_label",
    "grouped_table",
    "item_list",
    "paragraph",
    "scroll_region",
]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of :func:`item_list`: ``lead`` in bold, its text, a note, a sub-list."""

    text: str
    lead: str = ""
    note: str = ""
    sub: tuple[str, ...] = ()


def item_list(
    items: Iterable[ListItem | str],
    *,
    css_class: str = "",
    ordered: bool = False,
    heading: str = "",
    citation: str = "",
) -> Markup:
    """A bulleted (or numbered) list, with an optional heading above and citation below."""
    return render(
        "sessions/item_list.html.j2",
        items=[i if isinstance(i, ListItem) else ListItem(i) for i in items],
        css_class=css_class,
        tag="ol" if ordered else "ul",
        heading=heading,
        citation=citation,
    )


def paragraph(text: str, *, lead: str = "", css_class: str = "", emphasis: bool = False) -> Markup:
    """One paragraph: an optional bold ``lead``, then ``text`` (italic with ``emphasis``)."""
    return render(
        "sessions/paragraph.html.j2", text=text, lead=lead, css_class=css_class, emphasis=emphasis
    )


def field_label(label: str, prompt: str = "") -> Markup:
    """The bold words above a text box, with an optional prompt after a colon."""
    return render("sessions/field_label.html.j2", label=label, prompt=prompt)


def exercise_title(title: str) -> Markup:
    """An exercise's heading."""
    return render("sessions/exercise_title.html.j2", title=title)


def grouped_table(
    head: Sequence[Any],
    groups: Iterable[tuple[Any, Sequence[Sequence[Any]]]],
    *,
    caption: str,
    css_class: str = "pl-table",
) -> Markup:
    """A table whose rows come in groups, each group's name heading its rows.

    ``head`` names every column, the group's first; ``groups`` are ``(label, rows)``
    pairs, each row holding the cells after the group's. Empty groups are left out.
    """
    kept = [(label, [list(r) for r in rows]) for label, rows in groups if rows]
    return render(
        "sessions/grouped_table.html.j2",
        head=list(head),
        groups=kept,
        caption=caption,
        css_class=css_class,
    )


def scroll_region(content: Markup, *, label: str) -> Markup:
    """``content`` in a box that scrolls sideways and the keyboard can reach."""
    return render("sessions/scroll_region.html.j2", content=content, label=label)


def download_link(path: Path, mime: str, label: str) -> Markup:
    """A link that downloads the file at ``path`` (embedded, so it works in Voila too)."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return render(
        "sessions/download_link.html.j2", name=Path(path).name, mime=mime, data=data, label=label
    )


def dropdown_layout(descriptions: Iterable[str], labels: Iterable[str]) -> widgets.Layout:
    """A drop-down's width that fits its description and its longest option, at any choice.

    ipywidgets gives a drop-down a fixed width, so a longer option chosen later is cut
    off with "…". Measured in ``ch`` (the width of a digit, wider than most letters),
    with room for the arrow; never wider than its box. Give every drop-down of a column
    the same ``descriptions`` so their selects line up.
    """
    text = max((len(d) for d in descriptions), default=0) + max((len(t) for t in labels), default=0)
    return widgets.Layout(width=f"min(100%, {text + 8}ch)")
