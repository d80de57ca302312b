"""The document model's renderers: one per output format, listed in :data:`FORMATS`.

- ``"html"`` (:func:`render_html`): one self-contained page from the Jinja2 template
  ``core/templates/document.html.j2`` (autoescape on), with every chart's PNG embedded
  and a Content-Security-Policy that lets nothing be fetched. :func:`html_fragment`
  renders blocks alone (a room view on the facilitator's board).
- ``"md"`` (:func:`render_markdown`): readable plain text. Charts are separate PNG files
  (returned in :attr:`Rendered.files`, to be written beside the ``.md`` file), each linked
  with its short alternative and followed by its full description and data table, so the
  text reads completely without them.

Every renderer escapes every piece of text in the blocks; a block never holds markup.
A new format is one more function ``(Document, **options) -> Rendered`` added to
:data:`FORMATS`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from partnership_lib.charts.chart import chart_html
from partnership_lib.core.html import Markup, render
from partnership_lib.documents.blocks import (
    Answer,
    Block,
    Bullets,
    Details,
    Document,
    Fields,
    Figure,
    Heading,
    Para,
    Section,
    Table,
    Term,
)

__all__ = [
    "FORMATS",
    "Rendered",
    "html_fragment",
    "markdown_escape",
    "render_document",
    "render_html",
    "render_markdown",
]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered document: its text, and the files that go beside it.

    ``files`` maps a path relative to the document's folder (``"<folder>/chart-01.png"``)
    to its bytes; it is empty for HTML, whose pictures are embedded.
    """

    text: str
    suffix: str
    files: Mapping[str, bytes] = field(default_factory=dict)


# ----------------------------------------------------------------------------- HTML


def _figure_drawer(prefix: str) -> Callable[[Figure], Markup]:
    """Draws each Figure of one document with its own description id (a document may
    hold the same chart twice, and ids must be unique)."""
    numbers = itertools.count(1)

    def draw(block: Figure) -> Markup:
        html_ = chart_html(
            block.png,
            block.alt,
            width=block.width,
            height=block.height,
            min_text_px=block.min_text_px,
            table=block.table,
            open=block.open,
            open_table=block.open_table,
            ident=f"{prefix}-{next(numbers)}",
        )
        return Markup(html_)  # our own template's output: every piece of text escaped

    return draw


def render_html(document: Document) -> Rendered:
    """The document as one self-contained HTML page (see the module docstring)."""
    page = render("document.html.j2", doc=document, figure=_figure_drawer("fig"))
    return Rendered(str(page), ".html")


def html_fragment(blocks: Iterable[Block], *, level: int = 1, id_prefix: str = "") -> Markup:
    """Blocks as an HTML fragment; ``level`` is the heading level they sit under.

    Figures keep the ids :func:`~partnership_lib.charts.chart.chart_html` derives from
    their text unless ``id_prefix`` is given (then ``<id_prefix>-1``, ``-2``, ...).
    """

    def draw(block: Figure) -> Markup:
        return Markup(  # our own template's output: every piece of text escaped
            chart_html(
                block.png,
                block.alt,
                width=block.width,
                height=block.height,
                min_text_px=block.min_text_px,
                table=block.table,
                open=block.open,
                open_table=block.open_table,
            )
        )

    figure = _figure_drawer(id_prefix) if id_prefix else draw
    return render("fragment.html.j2", blocks=list(blocks), level=level, figure=figure)


# ----------------------------------------------------------------------------- Markdown

_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*\d*)([#+\-=.)])", re.M)
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _escape_line_start(m: re.Match[str]) -> str:
    lead, mark = m.group(1), m.group(2)
    # "1." or "2)" starts a list, "#" a heading, "-", "+" or "=" a list or a rule; a
    # full stop or bracket with no number before it starts nothing.
    if mark in ".)" and not lead.strip():
        return m.group(0)
    if mark not in ".)" and lead.strip():
        return m.group(0)
    return f"{lead}\\{mark}"


def markdown_escape(text: str) -> str:
    """Escape text for Markdown, as little as keeps it plain text, so it stays readable.

    Markdown's inline syntax (backslash, backtick, ``* _ [ ] | ~``) is backslashed; ``<`` and ``>`` become
    ``&lt;`` and ``&gt;`` (so no HTML or quote can start), an ``&`` that would begin an
    entity becomes ``&amp;``; a line that would start a heading, list or rule is
    backslashed there. Line breaks are kept (as hard breaks), so an answer reads as
    it was typed.
    """
    escaped = _MD_LINE_START.sub(_escape_line_start, _escape_inline(text))
    return escaped.replace("\n", "  \n")


def _escape_inline(text: str) -> str:
    escaped = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _MD_INLINE.sub(r"\\\1", escaped)


def _md_cell(text: str) -> str:
    # A table cell holds no block syntax: only inline syntax needs escaping there.
    return _escape_inline(text).replace("\n", "<br>")


def _md_table(block: Table) -> str:
    lines = [f"*{markdown_escape(block.caption)}*", ""] if block.caption else []
    lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
    lines.append("|" + "---|" * len(block.headers))
    if not block.rows and block.empty:
        lines.append("| " + _md_cell(block.empty) + " |" + " |" * (len(block.headers) - 1))
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
    return "\n".join(lines)


def _md_item(item: str | Term) -> str:
    if isinstance(item, str):
        return markdown_escape(item)
    # A file name is plain escaped text: a code span would show its text unescaped.
    term = markdown_escape(item.term) if item.code else f"**{markdown_escape(item.term)}**"
    return term + (f": {markdown_escape(item.text)}" if item.text else "")


class _MarkdownWriter:
    """Turns one document's blocks into Markdown, collecting its pictures."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.files: dict[str, bytes] = {}

    def picture(self, block: Figure) -> str:
        path = f"{self.folder}/chart-{len(self.files) + 1:02d}.png"
        self.files[path] = block.png
        text = block.alt.strip()
        first = text.split(". ", 1)[0].rstrip(".") + "."
        alt = markdown_escape(first.replace("\n", " ")).replace("  \n", " ")
        parts = [f"![{alt}]({path})"]
        parts += [f"> {markdown_escape(p)}" for p in text.split("\n") if p.strip()]
        if block.table is not None:
            t = block.table
            parts.append(_md_table(Table(t.columns, t.cells, t.caption)))
        return "\n\n".join(parts)

    def block(self, block: Block, level: int) -> str:
        if isinstance(block, Section):
            head = f"{'#' * block.level} {markdown_escape(block.heading)}"
            return "\n\n".join([head, *(self.block(b, block.level) for b in block.blocks)])
        if isinstance(block, Heading):
            return f"{'#' * block.level} {markdown_escape(block.text)}"
        if isinstance(block, Para):
            text = markdown_escape(block.text)
            if block.role in ("status", "empty", "intro", "lead"):
                return f"*{text}*"
            return f"> {text}" if block.role == "note" else text
        if isinstance(block, Answer):
            parts = [f"**{markdown_escape(block.question)}**"]
            if block.guidance:
                parts.append(f"*{markdown_escape(block.guidance)}*")
            return "\n\n".join([*parts, markdown_escape(block.text)])
        if isinstance(block, Bullets):
            marks = (
                (f"{n}." for n in itertools.count(1)) if block.ordered else itertools.repeat("-")
            )
            return "\n".join(
                f"{mark} {_md_item(item)}" for mark, item in zip(marks, block.items, strict=False)
            )
        if isinstance(block, Fields):
            return "\n\n".join(
                f"**{markdown_escape(k)}:** {markdown_escape(v)}" for k, v in block.items
            )
        if isinstance(block, Table):
            return _md_table(block)
        if isinstance(block, Figure):
            return self.picture(block)
        if isinstance(block, Details):
            inner = [self.block(b, level) for b in block.blocks]
            return "\n\n".join([f"**{markdown_escape(block.summary)}**", *inner])
        raise TypeError(f"unknown block {block!r}")


def render_markdown(document: Document, *, folder: str = "charts") -> Rendered:
    """The document as Markdown, its charts as PNG files under ``folder`` (relative).

    Parameters
    ----------
    folder
        Where the pictures go, relative to the Markdown file (a plain folder name:
        ``export_portfolio`` names it after the file, ``portfolio-charts``).
    """
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*", folder) or ".." in folder:
        raise ValueError(f"the pictures' folder must be a plain folder name, got {folder!r}")
    writer = _MarkdownWriter(folder)
    parts = []
    if document.heading:
        parts.append(f"# {markdown_escape(document.heading)}")
    parts += [writer.block(b, 1) for b in document.front]
    parts += [writer.block(s, 1) for s in document.sections]
    text = "\n\n".join(p for p in parts if p).rstrip() + "\n"
    return Rendered(text, ".md", writer.files)


#: The output formats, by name: each renders a whole :class:`Document`.
FORMATS: dict[str, Callable[..., Rendered]] = {
    "html": render_html,
    "md": render_markdown,
}


def render_document(document: Document, format: str, **options: object) -> Rendered:
    """Render ``document`` in one of :data:`FORMATS` (``"html"`` or ``"md"``)."""
    try:
        renderer = FORMATS[format]
    except KeyError:
        known = " or ".join(repr(f) for f in FORMATS)
        raise ValueError(f"format must be {known}, got {format!r}") from None
    return renderer(document, **options)
