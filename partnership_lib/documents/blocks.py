"""The document model: the few kinds of block a portfolio or a room report is made of.

A document is plain data: a :class:`Document` holds a title page (``front``) and
:class:`Section` objects, and a section holds blocks: :class:`Heading`, :class:`Para`,
:class:`Bullets`, :class:`Answer` (a question and the learner's answer), :class:`Fields`
(label and value pairs), :class:`Table`, :class:`Figure` (a chart: PNG, text alternative,
optional data table), :class:`Details` (a fold) and nested sections. Every piece of text
is plain text as the learner typed it or as the content says it: nothing in a block is
markup. The renderers in :mod:`partnership_lib.documents.render` (one per output format,
listed in :data:`~partnership_lib.documents.render.FORMATS`) escape every piece on the way
out, so no renderer can forget to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from partnership_lib.charts.chart import Chart, ChartTable

__all__ = [
    "Answer",
    "Block",
    "Bullets",
    "Details",
    "Document",
    "Fields",
    "Figure",
    "Heading",
    "Para",
    "Section",
    "Table",
    "Term",
    "figure_of",
]

#: How a paragraph is shown: as typed by the learner (line breaks kept), a note that
#: stands out, muted status text, an introduction, or the words for "nothing yet".
ParaRole = Literal["", "answer", "note", "status", "intro", "empty", "lead"]


def _text(owner: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{owner} must be text, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (a section's own heading is :attr:`Section.heading`)."""

    kind: ClassVar[str] = "heading"
    text: str
    level: int = 3

    def __post_init__(self) -> None:
        _text("a heading", self.text)
        if self.level not in (2, 3, 4, 5):
            raise ValueError(f"a heading's level must be 2 to 5, got {self.level!r}")


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph; ``role`` says how it is shown (see :data:`ParaRole`)."""

    kind: ClassVar[str] = "para"
    text: str
    role: ParaRole = ""

    def __post_init__(self) -> None:
        _text("a paragraph", self.text)


@dataclass(frozen=True, slots=True)
class Term:
    """A list item that leads with a term: ``term``: ``text`` (``code``: a file name)."""

    term: str
    text: str = ""
    code: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    """A list of items (text, or :class:`Term`), numbered when ``ordered``."""

    kind: ClassVar[str] = "bullets"
    items: tuple[str | Term, ...]
    ordered: bool = False
    #: ``"answer"`` keeps the learner's line breaks in each item.
    role: ParaRole = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        for item in self.items:
            if not isinstance(item, str | Term):
                raise TypeError(f"a list item must be text or a Term, got {item!r}")


@dataclass(frozen=True, slots=True)
class Answer:
    """A question as the notebook asked it, and the learner's answer, exactly as typed.

    ``guidance`` is the notebook's hint under the question (muted), if any.
    """

    kind: ClassVar[str] = "answer"
    question: str
    text: str
    guidance: str = ""

    def __post_init__(self) -> None:
        _text("a question", self.question)
        _text("an answer", self.text)


@dataclass(frozen=True, slots=True)
class Fields:
    """Label and value pairs (a definition list): "Name: Sam", "Date: 3 March"."""

    kind: ClassVar[str] = "fields"
    items: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(tuple(p) for p in self.items))


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text; ``row_headers`` makes each row's first cell its header."""

    kind: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    row_headers: bool = False
    #: Shown in one cell across the table when there are no rows.
    empty: str = ""
    css_class: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", tuple(self.headers))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in self.rows))
        for i, row in enumerate(self.rows):
            if len(row) != len(self.headers):
                raise ValueError(
                    f"table {self.caption!r}: row {i} has {len(row)} cells for "
                    f"{len(self.headers)} columns"
                )
            for cell in row:
                _text(f"table {self.caption!r}: a cell", cell)


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart: its PNG, its text alternative (``alt``) and optionally its data as a table.

    ``open`` shows the full description (and the table) unfolded, as a printed page needs.
    """

    kind: ClassVar[str] = "figure"
    png: bytes
    alt: str
    width: int
    height: int
    table: ChartTable | None = None
    min_text_px: float | None = None
    open: bool = False
    #: Unfold the data table too (by default it follows ``open``).
    open_table: bool | None = None

    def __post_init__(self) -> None:
        if not _text("a figure's text alternative", self.alt).strip():
            raise ValueError("a figure needs a text alternative; got an empty description")


def figure_of(chart: Chart, *, open: bool = False, open_table: bool | None = None) -> Figure:
    """A :class:`Figure` block of a rendered chart (:class:`~partnership_lib.charts.chart.Chart`)."""
    return Figure(
        chart.png,
        chart.alt,
        chart.width,
        chart.height,
        chart.table,
        chart.min_text_px,
        open,
        open_table,
    )


@dataclass(frozen=True, slots=True)
class Details:
    """A fold: ``summary`` is always shown, ``blocks`` when it is opened (``open``: at once)."""

    kind: ClassVar[str] = "details"
    summary: str
    blocks: tuple[Block, ...]
    open: bool = False
    css_class: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))


@dataclass(frozen=True, slots=True)
class Section:
    """A headed part of a document; sections nest (a session holds its exercises).

    ``id`` is the section's anchor (the contents link to it); ``level`` its heading's
    level (2 for a top-level section); ``css_class`` how it looks (the style sheet may
    start it on a new printed page).
    """

    kind: ClassVar[str] = "section"
    heading: str
    blocks: tuple[Block, ...] = ()
    id: str = ""
    level: int = 2
    css_class: str = ""
    #: The element: a ``<section>`` or, for one exercise, an ``<article>``.
    element: Literal["section", "article"] = "section"

    def __post_init__(self) -> None:
        _text("a section's heading", self.heading)
        object.__setattr__(self, "blocks", tuple(self.blocks))
        if self.level not in (2, 3, 4):
            raise ValueError(f"a section's level must be 2 to 4, got {self.level!r}")


Block = Heading | Para | Bullets | Answer | Fields | Table | Figure | Details | Section


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: its title, a title page, sections, and how it looks.

    ``front`` is the title page (its first :class:`Heading` of level 2 becomes the page's
    ``<h1>``); ``contents`` adds a list of the top-level sections linking to them;
    ``stylesheets`` names the style sheets in ``core/templates/`` the HTML carries.
    """

    title: str
    sections: tuple[Section, ...]
    front: tuple[Block, ...] = ()
    heading: str = ""
    contents: bool = False
    stylesheets: tuple[str, ...] = ("document.css",)
    lang: str = "en-GB"
    #: The title page's class: ``"title-page"`` fills the first printed page.
    front_class: str = "title-page"

    def __post_init__(self) -> None:
        _text("a document's title", self.title)
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "front", tuple(self.front))
