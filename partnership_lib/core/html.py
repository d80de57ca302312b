"""HTML that leaves the library, written one way: Jinja2 templates with autoescape on.

Every page, table and prompt is rendered by :func:`render` from a template in
``core/templates/`` (or, for a fragment too small for a template, built with
MarkupSafe's :class:`Markup`). Autoescaping is on for every template, so learner text can
only reach a page escaped: to put HTML into a template it must be :class:`Markup`
already, which only this library's own templates and fragments make.

:class:`HTMLBlock` is static HTML shown as a notebook output (strict nbval compares it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from markupsafe import escape as _markup_escape

__all__ = ["HTMLBlock", "Markup", "escape", "render", "table"]


@dataclass(frozen=True, slots=True)
class HTMLBlock:
    """Static HTML shown as a notebook output (compared by strict nbval)."""

    html: str
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}


def escape(text: Any) -> str:
    """HTML-escape learner text (quotes too) for an HTML fragment, as templates do.

    ``None`` gives the empty string; :class:`Markup` passes through unchanged. The result
    is a plain ``str`` (not :class:`Markup`), so joining it with ``+`` escapes nothing twice.
    """
    return str(_markup_escape("" if text is None else text))


@cache
def environment() -> Environment:
    """The one Jinja2 environment: the library's templates, autoescape always on."""
    return Environment(
        loader=PackageLoader("partnership_lib", "core/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, /, **context: Any) -> Markup:
    """Render one of the library's templates (``core/templates/<template>``)."""
    return Markup(environment().get_template(template).render(**context))


def table(
    head: Any,
    rows: Any,
    *,
    caption: str = "",
    css_class: str = "",
    row_headers: bool = False,
    empty: str = "",
) -> Markup:
    """An accessible table: a caption, column headers, and optionally row headers.

    Every cell is escaped unless it is :class:`Markup`. ``empty`` is shown in one cell
    spanning the table when there are no rows.
    """
    return render(
        "table.html.j2",
        head=list(head),
        rows=[list(r) for r in rows],
        caption=caption,
        css_class=css_class,
        row_headers=row_headers,
        empty=empty,
    )
