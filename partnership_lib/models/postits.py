"""The session evaluation wall (Appendix 1): coloured notes, one colour per question.

The workbook closes each session with a wall of Post-it notes in four colours (pink,
yellow, green, blue; see ``data/evaluation_wall.yaml``). :func:`plot_postit_wall` draws
the wall, one column per question; :func:`describe_postit_wall` and
:func:`table_postit_wall` are its text and data twins. The learner's wall and the room's
wall are drawn by the same code.
"""

from __future__ import annotations

import functools
import math
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import Rectangle

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.pieces import Piece, draw_pieces, drawn_pieces, sync_pieces
from partnership_lib.core import content
from partnership_lib.core.style import current_theme, in_active_style, style_context

_CONTENT = "evaluation_wall"


#: Characters of a note considered for drawing (far more than a square can show).
_DRAWN_CHARS = 2000


#: Characters of a note given in the text description of the wall.
_DESCRIBE_CHARS = 500


_ELLIPSIS = "…"


_MISSING_GLYPH = "□"


@dataclass(frozen=True, slots=True)
class PostItColour:
    """One colour of note and the question it answers; ``fill`` is the note's colour."""

    key: str
    name: str
    question: str
    fill: str

    def __post_init__(self) -> None:
        for field in ("key", "name", "question", "fill"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"post-it colour {self.key!r}: {field} must be non-empty text")
        if not is_color_like(self.fill):
            raise ValueError(f"post-it colour {self.key!r}: fill {self.fill!r} is not a colour")


@dataclass(frozen=True, slots=True)
class EvaluationWall:
    """The wall: its title, the instruction to learners and the colours, left to right."""

    title: str
    instruction: str
    colours: tuple[PostItColour, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "colours", tuple(self.colours))
        if not self.colours:
            raise ValueError("evaluation wall: needs at least one colour")
        keys = [c.key for c in self.colours]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"evaluation wall: duplicate colour key {key!r}")

    def colour(self, value: Any) -> PostItColour:
        """Return a colour by key or name (any case); ``ValueError`` names the known ones."""
        if isinstance(value, str):
            wanted = value.strip().casefold()
            for colour in self.colours:
                if wanted in (colour.key, colour.name.casefold()):
                    return colour
        known = ", ".join(c.key for c in self.colours)
        raise ValueError(f"unknown note colour {_short(value)}; colours: {known}")


@dataclass(frozen=True, slots=True)
class PostIt:
    """One note on the wall: its colour's key and its text (``id`` as stored, if any)."""

    colour: str
    text: str
    id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.colour, str) or not self.colour.strip():
            raise ValueError(f"note: colour must be non-empty text, got {_short(self.colour)}")
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError(f"note: text must be non-empty, got {_short(self.text)}")
        if self.id is not None and (isinstance(self.id, bool) or not isinstance(self.id, int)):
            raise ValueError(f"note: id must be a whole number, got {_short(self.id)}")


def evaluation_wall() -> EvaluationWall:
    """Load the wall's title, instruction and colours from ``data/evaluation_wall.yaml``.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When the file is malformed.
    """
    data = content.load(_CONTENT)
    colours = tuple(
        content.build(_CONTENT, f"colours/{raw['key']}", PostItColour, **raw)
        for raw in data["colours"]
    )
    return content.build(
        _CONTENT,
        "(top level)",
        EvaluationWall,
        title=data["title"],
        instruction=data["instruction"],
        colours=colours,
    )


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def as_notes(notes: Iterable[PostIt | Mapping[str, Any]], wall: EvaluationWall) -> list[PostIt]:
    """Validate notes; ``ValueError`` names the note (by number) and the bad value."""
    if isinstance(notes, str | bytes | Mapping) or not isinstance(notes, Iterable):
        raise ValueError(f"notes must be a sequence of notes, got {_short(notes)}")
    out = []
    for n, note in enumerate(notes, start=1):
        if isinstance(note, PostIt):
            colour, text, ident = note.colour, note.text, note.id
        elif isinstance(note, Mapping):
            colour, text, ident = note.get("colour"), note.get("text"), note.get("id")
        else:
            raise ValueError(
                f"note {n}: must be a mapping with colour and text, got {_short(note)}"
            )
        try:
            key = wall.colour(colour).key
        except ValueError as exc:
            raise ValueError(f"note {n}: {exc}") from None
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"note {n}: text must be non-empty, got {_short(text)}")
        if ident is not None and (isinstance(ident, bool) or not isinstance(ident, int)):
            raise ValueError(f"note {n}: id must be a whole number, got {_short(ident)}")
        out.append(PostIt(key, text, ident))
    return out


@functools.cache
def _font_paths(families: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(findfont(FontProperties(family=[f])) for f in families))


def _has_glyph(char: str) -> bool:
    families = plt.rcParams["font.family"]
    families = (families,) if isinstance(families, str) else tuple(families)
    return any(get_font(path).get_char_index(ord(char)) for path in _font_paths(families))


def _drawable(text: str) -> str:
    """Learner text as the font can draw it: no control or format characters, and a
    box for any character the font lacks (so nothing is silently dropped or warned)."""
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
            continue
        category = unicodedata.category(char)
        if char == "\t":
            out.append(" ")
        elif category in ("Cc", "Cf") or "\ufe00" <= char <= "\ufe0f":
            continue
        elif _has_glyph(char):
            out.append(char)
        else:
            out.append(_MISSING_GLYPH)
    return "".join(out)


def _hyphenate(word: str, width: int) -> str:
    """Split a word too long for a line into hyphenated pieces that each fit."""
    if len(word) <= width or width < 4:
        return word
    step = width - 1
    return "- ".join(word[i : i + step] for i in range(0, len(word), step))


def _wrap(text: str, width: int, max_lines: int, *, break_words: bool = True) -> str:
    """Wrap to ``width`` characters and at most ``max_lines`` lines, ending cut text with ….

    With ``break_words``, a word longer than a line is split with hyphens.
    """
    width, max_lines = max(1, width), max(1, max_lines)
    limit = width * max_lines + 1
    cut = len(text) > limit
    lines: list[str] = []
    for paragraph in text[:limit].strip().splitlines():
        if break_words:
            paragraph = " ".join(_hyphenate(w, width) for w in paragraph.split(" "))
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=break_words) or [""])
        if len(lines) > max_lines:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) > max_lines or cut:
        lines = lines[:max_lines] or [""]
        lines[-1] = lines[-1][: width - 1].rstrip() + _ELLIPSIS
    return "\n".join(lines)


def _extent_in(text: Any) -> tuple[float, float]:
    box = text.get_window_extent()
    dpi = text.figure.dpi
    return box.width / dpi, box.height / dpi


def _fit_note(
    ax: Axes, x: float, y: float, raw: str, box: tuple[float, float], size: float, **kws: Any
) -> Any:
    """Draw ``raw`` centred at (x, y), wrapped and shortened to fit a box (inches)."""
    room_w, room_h = 0.88 * box[0], 0.9 * box[1]
    start_width = max(1, int(room_w * 72 / (0.55 * size)))
    start_lines = max(1, int(room_h * 72 / (1.2 * size)))
    text = ax.text(x, y, "", fontsize=size, **kws)
    # Try keeping words whole, then splitting long words; keep whichever shows more.
    best: tuple[int, str] | None = None
    candidate = ""
    for break_words in (False, True):
        width, lines = start_width, start_lines
        for _ in range(12):
            candidate = _wrap(raw, width, lines, break_words=break_words)
            text.set_text(candidate)
            w, h = _extent_in(text)
            if w <= room_w and h <= room_h:
                shown = sum(c.isalnum() for c in candidate)
                if best is None or shown > best[0]:
                    best = (shown, candidate)
                break
            if w > room_w:
                width = max(1, width - max(1, int(width * (1 - room_w / w))))
            if h > room_h:
                lines = max(1, lines - 1)
    text.set_text(best[1] if best is not None else candidate)
    return text


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def plot_postit_wall(
    notes: Sequence[PostIt | Mapping[str, Any]],
    *,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the evaluation wall: a column per colour, headed by its name and question.

    Parameters
    ----------
    notes
        :class:`PostIt` objects or mappings with ``"colour"`` (key or name) and
        ``"text"`` (and optionally ``"id"``), in the order they were added.
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to every note's square (:class:`matplotlib.patches.Rectangle`).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For an unknown colour, empty text or a malformed note (the message names the
        note's number).

    Notes
    -----
    Each note is drawn as a square in its colour, with its number (its place in
    ``notes``, from 1) in the corner and its text wrapped inside; text that does not fit
    ends with an ellipsis. When a column has more notes than fit, the last place says
    how many more there are. Text is drawn literally (no mathtext), control characters
    are left out and characters the font lacks are drawn as a box. Gids:
    ``"column:<key>"``, ``"column-header:<key>"``, ``"column-name:<key>"``,
    ``"column-question:<key>"``, ``"empty:<key>"``, ``"more:<key>"``, ``"note:<n>"``,
    ``"note-text:<n>"``, ``"note-number:<n>"``. :func:`update_postit_wall` redraws only
    the notes that changed.
    """
    wall = evaluation_wall()
    parsed = as_notes(notes, wall)
    with style_context(current_theme().name) as theme:
        if ax is None:
            fig, ax = plt.subplots()
            fig.subplots_adjust(left=0.02, right=0.98, bottom=0.03, top=0.9)
        fig = ax.figure
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
        geometry = _Geometry.of(ax, wall, parsed, theme)
        # Data units are inches of the axes, so squares stay square and sizes are in
        # points/72; a small margin keeps the outer edges' lines whole.
        ax.set_xlim(-_MARGIN, geometry.width + _MARGIN)
        ax.set_ylim(-_MARGIN, geometry.height + _MARGIN)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        ax.set_title(_title(wall, parsed), loc="left")
        draw_pieces(ax, _wall_pieces(geometry, wall, parsed, theme, kwargs))
    return ax


@in_active_style
def update_postit_wall(
    ax: Axes, notes: Sequence[PostIt | Mapping[str, Any]], **kwargs: Any
) -> list[Any] | None:
    """Change a wall drawn by :func:`plot_postit_wall` in place to show ``notes``.

    Afterwards the wall looks as ``plot_postit_wall(notes, **kwargs)`` draws it on the
    same Axes; only the notes (and column labels) whose place, size, colour or text
    changed are drawn again. Call it in the style the wall was drawn in (a live chart
    does).

    Returns
    -------
    list of Artist or None
        The artists changed or drawn anew; ``None`` when ``ax`` holds no wall drawn by
        :func:`plot_postit_wall`, to ask for a full draw.

    Raises
    ------
    ValueError
        As :func:`plot_postit_wall` does, for a malformed note.
    """
    wall = evaluation_wall()
    parsed = as_notes(notes, wall)
    have = drawn_pieces(ax)
    if any(f"column:{c.key}" not in have for c in wall.colours):
        return None
    theme = current_theme()
    geometry = _Geometry.of(ax, wall, parsed, theme)
    changed = sync_pieces(ax, _wall_pieces(geometry, wall, parsed, theme, kwargs))
    title = _title(wall, parsed)
    if ax.get_title(loc="left") != title:
        changed.append(ax.set_title(title, loc="left"))
    return changed


_MARGIN = 0.04  # inches round the wall, so the outer edges' lines stay whole


def _title(wall: EvaluationWall, notes: Sequence[PostIt]) -> str:
    count = len(notes)
    return f"{wall.title}: {count} note{'s' if count != 1 else ''}"


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Where everything on the wall goes, in inches of the Axes."""

    width: float
    height: float
    col_w: float
    gap: float
    head_h: float
    body_top: float
    pad: float
    name_size: float
    body: float
    note_size: float
    number_h: float
    side: float
    per_row: int
    capacity: int
    questions: tuple[str, ...]

    @classmethod
    def of(cls, ax: Axes, wall: EvaluationWall, notes: list[PostIt], theme: Any) -> _Geometry:
        fig = ax.figure
        pos = ax.get_position()
        width = pos.width * fig.get_figwidth() - 2 * _MARGIN
        height = pos.height * fig.get_figheight() - 2 * _MARGIN
        ncol = len(wall.colours)
        gap = 0.12 * width / 10
        col_w = (width - gap * (ncol - 1)) / ncol
        name_size = theme.label_size * 1.3
        body = max(theme.small_text, theme.label_size)
        pad = body / 72 * 0.5
        # Headers: the colour's name and its question, the same height across the wall.
        chars = max(8, int(col_w * 0.9 * 72 / (0.56 * body)))
        questions = tuple(textwrap.fill(c.question, chars) for c in wall.colours)
        q_lines = max(q.count("\n") + 1 for q in questions)
        head_h = 2 * pad + name_size * 1.3 / 72 + q_lines * body * 1.25 / 72
        body_top = height - head_h - gap
        number_h = theme.small_text * 1.3 / 72
        note_size = theme.label_size
        most = max([sum(n.colour == c.key for n in notes) for c in wall.colours] + [1])
        side, per_row = _square(col_w, body_top, most, number_h, note_size)
        rows = max(1, int((body_top - _INNER) // (side + _INNER)))
        return cls(
            width, height, col_w, gap, head_h, body_top, pad, name_size, body, note_size,
            number_h, side, per_row, per_row * rows, questions,
        )  # fmt: skip


_INNER = 0.1  # inches between notes, and between notes and their column's edge


def _square(
    col_w: float, body_top: float, most: int, number_h: float, note_size: float
) -> tuple[float, int]:
    """One square size for the whole wall, and notes per row.

    As big as lets the fullest column fit, but never so small that a few lines of text
    no longer fit (then the rest overflow).
    """

    def across(per_row: int) -> float:
        return (col_w - (per_row + 1) * _INNER) / per_row

    def down(rows: int) -> float:
        return (body_top - (rows + 1) * _INNER) / rows

    side, per_row = max((min(across(p), down(math.ceil(most / p))), p) for p in (1, 2, 3))
    smallest = number_h + 3 * note_size * 1.25 / 72 + 0.1
    if side < smallest:
        per_row = 2 if across(2) >= smallest else 1
        side = min(across(per_row), smallest)
    return side, per_row


def _text_piece(name: str, x: float, y: float, text: str, **kws: Any) -> Piece:
    def draw(ax: Axes) -> Any:
        return ax.text(x, y, text, gid=name, **kws)

    return Piece(name, ("text", x, y, text, tuple(sorted(kws.items()))), draw)


def _rect_piece(name: str, xy: tuple[float, float], w: float, h: float, **kws: Any) -> Piece:
    def draw(ax: Axes) -> Any:
        return ax.add_patch(Rectangle(xy, w, h, gid=name, **kws))

    return Piece(name, ("rect", xy, w, h, tuple(sorted(kws.items()))), draw)


def _wall_pieces(
    g: _Geometry, wall: EvaluationWall, notes: list[PostIt], theme: Any, kws: dict[str, Any]
) -> list[Piece]:
    """Every column, header and note of the wall, as pieces to draw or keep."""
    lw = plt.rcParams["patch.linewidth"]
    by_colour: dict[str, list[tuple[int, PostIt]]] = {c.key: [] for c in wall.colours}
    for n, note in enumerate(notes, start=1):
        by_colour[note.colour].append((n, note))
    pieces: list[Piece] = []
    for i, colour in enumerate(wall.colours):
        x0 = i * (g.col_w + g.gap)
        cx = x0 + g.col_w / 2
        edge = {"edgecolor": theme.edge, "zorder": 1}
        pieces += [
            _rect_piece(
                f"column:{colour.key}", (x0, 0), g.col_w, g.body_top,
                facecolor=theme.quadrant_fills[3], linewidth=lw * 0.5, **edge,
            ),
            _rect_piece(
                f"column-header:{colour.key}", (x0, g.height - g.head_h), g.col_w, g.head_h,
                facecolor=colour.fill, linewidth=lw * 0.8, **edge,
            ),
            _text_piece(
                f"column-name:{colour.key}", cx, g.height - g.pad, colour.name.upper(),
                ha="center", va="top", fontsize=g.name_size, fontweight="bold",
                color=theme.text, zorder=3,
            ),
            _text_piece(
                f"column-question:{colour.key}", cx, g.height - g.pad - g.name_size * 1.3 / 72,
                g.questions[i], ha="center", va="top", fontsize=g.body, color=theme.text,
                zorder=3,
            ),
        ]  # fmt: skip
        pieces += _column_notes(g, colour, cx, by_colour[colour.key], theme, kws)
    return pieces


def _column_notes(
    g: _Geometry,
    colour: PostItColour,
    cx: float,
    placed: list[tuple[int, PostIt]],
    theme: Any,
    kws: dict[str, Any],
) -> list[Piece]:
    """One column's notes (or "No notes yet"), and "+ n more" when they overflow."""
    if not placed:
        return [
            _text_piece(
                f"empty:{colour.key}", cx, g.body_top - _INNER - g.body / 72, "No notes yet",
                ha="center", va="top", fontsize=g.body, fontstyle="italic",
                color=theme.muted_text, zorder=3,
            )
        ]  # fmt: skip
    shown = placed if len(placed) <= g.capacity else placed[: g.capacity - 1]
    row_w = g.per_row * g.side + (g.per_row - 1) * _INNER
    left = cx - row_w / 2
    square_kws = {
        "facecolor": colour.fill,
        "edgecolor": theme.edge,
        "linewidth": plt.rcParams["patch.linewidth"] * 0.6,
    }
    square_kws.update(kws)
    pieces = []
    for k, (n, note) in enumerate(shown):
        r, c = divmod(k, g.per_row)
        x = left + c * (g.side + _INNER)
        y = g.body_top - _INNER - (r + 1) * g.side - r * _INNER
        pieces.append(_note_piece(n, x, y, g, note.text, theme, square_kws))
    hidden = len(placed) - len(shown)
    if hidden:
        r, c = divmod(len(shown), g.per_row)
        pieces.append(
            _text_piece(
                f"more:{colour.key}",
                left + c * (g.side + _INNER) + g.side / 2,
                g.body_top - _INNER - r * (g.side + _INNER) - g.side / 2,
                f"+ {hidden} more\nnote{'s' if hidden != 1 else ''}",
                ha="center", va="center", fontsize=g.note_size, fontweight="bold",
                color=theme.text, zorder=3,
            )
        )  # fmt: skip
    return pieces


def _note_piece(
    n: int, x: float, y: float, g: _Geometry, text: str, theme: Any, square_kws: dict[str, Any]
) -> Piece:
    """One note: its square, its number in the corner and its text fitted inside."""
    raw = _drawable(text[:_DRAWN_CHARS])
    side, number_h = g.side, g.number_h

    def draw(ax: Axes) -> list[Any]:
        square = ax.add_patch(
            Rectangle((x, y), side, side, zorder=2, gid=f"note:{n}", **square_kws)
        )
        number = ax.text(
            x + 0.05,
            y + side - 0.04,
            str(n),
            ha="left",
            va="top",
            fontsize=theme.small_text,
            fontweight="bold",
            color=theme.text,  # the muted grey is too faint on the blue note
            zorder=3,
            gid=f"note-number:{n}",
        )
        words = _fit_note(
            ax,
            x + side / 2,
            y + (side - number_h) / 2,
            raw,
            (side, side - number_h),
            g.note_size,
            ha="center",
            va="center",
            multialignment="center",
            color=theme.text,
            zorder=3,
            gid=f"note-text:{n}",
        )
        return [square, number, words]

    look = (theme.small_text, theme.text, g.note_size, number_h)
    key = ("note", x, y, side, raw, look, tuple((k, repr(v)) for k, v in square_kws.items()))
    return Piece(f"note:{n}", key, draw)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text[: 4 * limit].split())
    if len(flat) <= limit and len(text) <= 4 * limit:
        return flat
    return flat[: limit - 1].rstrip() + _ELLIPSIS


def describe_postit_wall(notes: Sequence[PostIt | Mapping[str, Any]]) -> str:
    """Plain-text twin of :func:`plot_postit_wall`, for screen readers and alt text.

    Names each column (its colour, place and question) and every note in it, by number.
    Very long notes are shortened with an ellipsis.
    """
    wall = evaluation_wall()
    parsed = as_notes(notes, wall)
    count = len(parsed)
    lines = [
        f"{wall.title} wall with {count} note{'s' if count != 1 else ''} in "
        f"{len(wall.colours)} columns, one for each colour of note."
    ]
    for i, colour in enumerate(wall.colours, start=1):
        mine = [(n, p) for n, p in enumerate(parsed, start=1) if p.colour == colour.key]
        head = f"{colour.name} column ({_ordinal(i)} from the left), {colour.question}"
        if not mine:
            lines.append(f"{head}: no notes yet.")
            continue
        items = "; ".join(f"note {n}: {_one_line(p.text, _DESCRIBE_CHARS)}" for n, p in mine)
        lines.append(f"{head}: {len(mine)} note{'s' if len(mine) != 1 else ''}. {items}")
    return "\n".join(lines)


def table_postit_wall(notes: Sequence[PostIt | Mapping[str, Any]]) -> ChartTable:
    """The notes of :func:`plot_postit_wall` as a table, column by column of the wall.

    Columns: the note's colour, its question, the note's number (its place in ``notes``,
    as written on the square) and its text (very long notes shortened, as in
    :func:`describe_postit_wall`). A colour with no notes gets one row saying so.
    """
    wall = evaluation_wall()
    parsed = as_notes(notes, wall)
    count = len(parsed)
    rows: list[tuple[Any, ...]] = []
    for colour in wall.colours:
        mine = [(n, p) for n, p in enumerate(parsed, start=1) if p.colour == colour.key]
        rows += [
            (colour.name, colour.question, n, _one_line(p.text, _DESCRIBE_CHARS)) for n, p in mine
        ]
        if not mine:
            rows.append((colour.name, colour.question, None, "No notes yet"))
    return ChartTable(
        f"{wall.title}: {count} note{'s' if count != 1 else ''}",
        ("Colour", "Question", "Note", "Text"),
        tuple(rows),
    )


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_postit_wall,
    describe=describe_postit_wall,
    table=table_postit_wall,
    update=update_postit_wall,
)
