"""The session evaluation wall (Appendix 1): coloured notes, one column per question.

The workbook closes each session with a wall of Post-it notes in four colours, one
colour per question (pink, yellow, green, blue; see ``data/evaluation_wall.yaml``).
:func:`postit_wall` lets a learner add, edit and remove notes, and draws the wall with
:func:`plot_postit_wall`; :func:`describe_postit_wall` is its text twin.

Stored fields (under ``notebook/exercise/<field>``):

``notes``
    A list of ``{"id": int, "colour": key, "text": str}``, in the order added. The text
    is stored exactly as typed, however long; the picture shortens long notes with an
    ellipsis.
``draft``
    ``{"colour": key or None, "text": str, "editing": id or None}``: the note being
    written, saved on every keystroke.

Completion rule: the evaluation is complete once the wall has at least one note in
every colour, because the workbook asks all four questions. Removing the last note of
a colour makes it "started" again.
"""

from __future__ import annotations

import functools
import math
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.patches import Rectangle

from .. import content
from ..charts import ChartTable, chart_html, figure_png
from ..store import AnswerStore
from ..style import current_theme, on_style_change, style_context
from ._common import Exercise, NotebookProgress, escape

__all__ = [
    "EvaluationWall",
    "PostIt",
    "PostItColour",
    "describe_postit_wall",
    "evaluation_wall",
    "plot_postit_wall",
    "postit_wall",
    "table_postit_wall",
]

_CONTENT = "evaluation_wall"
NOTES_FIELD = "notes"
DRAFT_FIELD = "draft"
#: Characters of a note shown in the widget's list of notes (the store keeps them all).
_LIST_CHARS = 600
#: Characters of a note considered for drawing (far more than a square can show).
_DRAWN_CHARS = 2000
#: Characters of a note given in the text description of the wall.
_DESCRIBE_CHARS = 500
_ELLIPSIS = "…"
_MISSING_GLYPH = "□"


# --------------------------------------------------------------------------- models


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
    partnership_lib.content.ContentError
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


def _as_notes(notes: Iterable[PostIt | Mapping[str, Any]], wall: EvaluationWall) -> list[PostIt]:
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


# --------------------------------------------------------------------------- drawing text


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


# --------------------------------------------------------------------------- plot


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
    ``"note-text:<n>"``, ``"note-number:<n>"``.
    """
    wall = evaluation_wall()
    parsed = _as_notes(notes, wall)
    with style_context(current_theme().name) as theme:
        if ax is None:
            fig, ax = plt.subplots()
            fig.subplots_adjust(left=0.02, right=0.98, bottom=0.03, top=0.9)
        _draw_wall(ax, wall, parsed, theme, kwargs)
    return ax


def _draw_wall(ax: Axes, wall: EvaluationWall, notes: list[PostIt], theme: Any, kws: dict) -> None:
    fig = ax.figure
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    pos = ax.get_position()
    width, height = pos.width * fig.get_figwidth(), pos.height * fig.get_figheight()
    # Data units are inches of the axes, so squares stay square and sizes are in points/72;
    # a small margin keeps the outer edges' lines whole.
    margin = 0.04
    ax.set_xlim(-margin, width - margin)
    ax.set_ylim(-margin, height - margin)
    width, height = width - 2 * margin, height - 2 * margin
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    count = len(notes)
    ax.set_title(
        f"{wall.title}: {count} note{'s' if count != 1 else ''}",
        loc="left",
        parse_math=False,
    )
    lw = plt.rcParams["patch.linewidth"]
    ncol = len(wall.colours)
    gap = 0.12 * width / 10
    col_w = (width - gap * (ncol - 1)) / ncol
    name_size = theme.label_size * 1.3
    body = max(theme.small_text, theme.label_size)
    pad = body / 72 * 0.5

    # Headers: the colour's name and its question, the same height across the wall.
    chars = max(8, int(col_w * 0.9 * 72 / (0.56 * body)))
    questions = {c.key: textwrap.fill(c.question, chars) for c in wall.colours}
    q_lines = max(q.count("\n") + 1 for q in questions.values())
    head_h = 2 * pad + name_size * 1.3 / 72 + q_lines * body * 1.25 / 72
    body_top = height - head_h - gap

    by_colour: dict[str, list[tuple[int, PostIt]]] = {c.key: [] for c in wall.colours}
    for n, note in enumerate(notes, start=1):
        by_colour[note.colour].append((n, note))

    # One square size for the whole wall: as big as lets the fullest column fit, but
    # never so small that a few lines of text no longer fit (then the rest overflow).
    inner = 0.1
    most = max([len(v) for v in by_colour.values()] + [1])
    number_h = theme.small_text * 1.3 / 72
    note_size = theme.label_size

    def across(per_row: int) -> float:
        return (col_w - (per_row + 1) * inner) / per_row

    def down(rows: int) -> float:
        return (body_top - (rows + 1) * inner) / rows

    side, per_row = max((min(across(p), down(math.ceil(most / p))), p) for p in (1, 2, 3))
    smallest = number_h + 3 * note_size * 1.25 / 72 + 0.1
    if side < smallest:
        per_row = 2 if across(2) >= smallest else 1
        side = min(across(per_row), smallest)
    rows = max(1, int((body_top - inner) // (side + inner)))
    capacity = per_row * rows

    for i, colour in enumerate(wall.colours):
        x0 = i * (col_w + gap)
        ax.add_patch(
            Rectangle(
                (x0, 0),
                col_w,
                body_top,
                facecolor=theme.quadrant_fills[3],
                edgecolor=theme.edge,
                linewidth=lw * 0.5,
                zorder=1,
                gid=f"column:{colour.key}",
            )
        )
        ax.add_patch(
            Rectangle(
                (x0, height - head_h),
                col_w,
                head_h,
                facecolor=colour.fill,
                edgecolor=theme.edge,
                linewidth=lw * 0.8,
                zorder=1,
                gid=f"column-header:{colour.key}",
            )
        )
        cx = x0 + col_w / 2
        ax.text(
            cx,
            height - pad,
            colour.name.upper(),
            ha="center",
            va="top",
            fontsize=name_size,
            fontweight="bold",
            color=theme.text,
            parse_math=False,
            zorder=3,
            gid=f"column-name:{colour.key}",
        )
        ax.text(
            cx,
            height - pad - name_size * 1.3 / 72,
            questions[colour.key],
            ha="center",
            va="top",
            fontsize=body,
            color=theme.text,
            parse_math=False,
            zorder=3,
            gid=f"column-question:{colour.key}",
        )

        placed = by_colour[colour.key]
        if not placed:
            ax.text(
                cx,
                body_top - inner - body / 72,
                "No notes yet",
                ha="center",
                va="top",
                fontsize=body,
                fontstyle="italic",
                color=theme.muted_text,
                parse_math=False,
                zorder=3,
                gid=f"empty:{colour.key}",
            )
            continue
        shown = placed if len(placed) <= capacity else placed[: capacity - 1]
        row_w = per_row * side + (per_row - 1) * inner
        left = cx - row_w / 2
        for k, (n, note) in enumerate(shown):
            r, c = divmod(k, per_row)
            x = left + c * (side + inner)
            y = body_top - inner - (r + 1) * side - r * inner
            square_kws = {
                "facecolor": colour.fill,
                "edgecolor": theme.edge,
                "linewidth": lw * 0.6,
            }
            square_kws.update(kws)
            ax.add_patch(Rectangle((x, y), side, side, zorder=2, gid=f"note:{n}", **square_kws))
            ax.text(
                x + 0.05,
                y + side - 0.04,
                str(n),
                ha="left",
                va="top",
                fontsize=theme.small_text,
                fontweight="bold",
                color=theme.text,  # the muted grey is too faint on the blue note
                parse_math=False,
                zorder=3,
                gid=f"note-number:{n}",
            )
            _fit_note(
                ax,
                x + side / 2,
                y + (side - number_h) / 2,
                _drawable(note.text[:_DRAWN_CHARS]),
                (side, side - number_h),
                note_size,
                ha="center",
                va="center",
                multialignment="center",
                color=theme.text,
                parse_math=False,
                zorder=3,
                gid=f"note-text:{n}",
            )
        hidden = len(placed) - len(shown)
        if hidden:
            k = len(shown)
            r, c = divmod(k, per_row)
            x = left + c * (side + inner) + side / 2
            y = body_top - inner - r * (side + inner) - side / 2
            ax.text(
                x,
                y,
                f"+ {hidden} more\nnote{'s' if hidden != 1 else ''}",
                ha="center",
                va="center",
                fontsize=note_size,
                fontweight="bold",
                color=theme.text,
                parse_math=False,
                zorder=3,
                gid=f"more:{colour.key}",
            )


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
    parsed = _as_notes(notes, wall)
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
    parsed = _as_notes(notes, wall)
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


# --------------------------------------------------------------------------- widget


class _Wall:
    """The widgets and state of one evaluation wall (the builder returns ``.widget``)."""

    def __init__(self, ex: Exercise) -> None:
        self.ex = ex
        self.wall = evaluation_wall()
        self._notes: list[dict[str, Any]] = []
        self._editing: int | None = None
        self._removed: tuple[int, dict[str, Any]] | None = None
        self._loading = False
        self._damaged: set[str] = set()  # fields whose stored value could not all be used

        self.colour = widgets.RadioButtons(
            options=[(f"{c.name}: {c.question}", c.key) for c in self.wall.colours],
            value=None,
            description="Colour of the note:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.text = widgets.Textarea(
            description="Your note:",
            placeholder="One thought per note",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", height="6em"),
        )
        self.add = widgets.Button(description="Add note", icon="plus", button_style="primary")
        self.cancel = widgets.Button(description="Cancel editing", icon="times")
        self.cancel.layout.display = "none"
        self.undo_remove = widgets.Button(
            description="Undo remove", icon="undo", disabled=True, tooltip="Bring back the note"
        )
        self.add.on_click(self._on_add)
        self.cancel.on_click(self._on_cancel)
        self.undo_remove.on_click(self._on_undo_remove)
        self.colour.observe(self._draft_changed, names="value")
        self.text.observe(self._draft_changed, names="value")

        self.list = widgets.VBox()
        self.list.add_class("pl-postit-list")
        self.picture = widgets.HTML()
        self.picture.add_class("pl-postit-picture")
        self._style = current_theme().name
        self.ax = None  # the wall's one Axes, drawn by the first _redraw
        on_style_change(self._restyle)  # projector mode: redraw in the new style

        self.widget = widgets.VBox(
            [
                widgets.HTML(f'<p class="pl-prompt">{escape(self.wall.instruction)}</p>'),
                self.colour,
                self.text,
                widgets.HBox([self.add, self.cancel, self.undo_remove]),
                widgets.HTML("<strong>Your notes</strong>"),
                self.list,
                self.picture,
                ex.status,
                ex.reset_bar(),
            ]
        )
        self.widget.add_class("pl-exercise")
        self.widget.add_class("pl-postits")
        ex.on_reset(self._load)
        self._load()
        self.widget.figure = self.figure

    # -- state -----------------------------------------------------------------------
    def _read_notes(self, problems: list[str]) -> list[dict[str, Any]]:
        value = self.ex.get(NOTES_FIELD)
        if value is None:
            return []
        if not isinstance(value, list):
            problems.append("your saved notes are not a list")
            self._damaged.add(NOTES_FIELD)
            return []
        ids = [r.get("id") for r in value if isinstance(r, Mapping)]
        fresh = max((i for i in ids if isinstance(i, int) and not isinstance(i, bool)), default=0)
        notes, used = [], set()
        for raw in value:
            try:
                (note,) = _as_notes([raw], self.wall)
            except ValueError:
                problems.append("a saved note is damaged")
                self._damaged.add(NOTES_FIELD)
                continue
            ident = note.id
            if ident is None or ident in used:  # give a missing or repeated id a new one
                fresh += 1
                ident = fresh
            used.add(ident)
            notes.append({"id": ident, "colour": note.colour, "text": note.text})
        return notes

    def _load(self) -> None:
        """Show what the store holds (on build, and after a reset or undo)."""
        problems: list[str] = []
        self._damaged = set()
        self._notes = self._read_notes(problems)
        draft = self.ex.get(DRAFT_FIELD)
        if draft is not None and not isinstance(draft, Mapping):
            problems.append("your unfinished note is damaged")
            self._damaged.add(DRAFT_FIELD)
            draft = None
        draft = draft or {}
        colour = draft.get("colour")
        colour = colour if colour in {c.key for c in self.wall.colours} else None
        text = draft.get("text") if isinstance(draft.get("text"), str) else ""
        editing = draft.get("editing")
        self._editing = editing if any(n["id"] == editing for n in self._notes) else None
        self._removed = None
        self.undo_remove.disabled = True
        self._loading = True
        try:
            self.colour.value = colour
            self.text.value = text
        finally:
            self._loading = False
        self._render()
        if problems:
            self.ex.announce(
                "Some saved notes could not be shown ("
                + "; ".join(dict.fromkeys(problems))
                + "); they are kept in your history.",
                "warning",
            )

    def _number(self, ident: int) -> int:
        return next(i for i, n in enumerate(self._notes, start=1) if n["id"] == ident)

    def _render(self) -> None:
        editing = self._editing is not None
        self.add.description = f"Save note {self._number(self._editing)}" if editing else "Add note"
        self.cancel.layout.display = "" if editing else "none"
        for row in self.list.children:
            for child in (*row.children, row):
                child.close()
        rows = []
        names = {c.key: c.name for c in self.wall.colours}
        for n, note in enumerate(self._notes, start=1):
            text = note["text"]
            shown = escape(text[:_LIST_CHARS]) + (
                f"{_ELLIPSIS} ({len(text) - _LIST_CHARS} more characters; press Edit to see "
                "them all)"
                if len(text) > _LIST_CHARS
                else ""
            )
            label = widgets.HTML(
                f'<div class="pl-postit-note"><strong>Note {n} ({escape(names[note["colour"]])})'
                f":</strong> <span style='white-space:pre-wrap'>{shown}</span></div>",
                layout=widgets.Layout(flex="1 1 auto"),
            )
            edit = widgets.Button(description=f"Edit note {n}", icon="pencil")
            remove = widgets.Button(description=f"Remove note {n}", icon="trash")
            edit.on_click(lambda _b, ident=note["id"]: self._on_edit(ident))
            remove.on_click(lambda _b, ident=note["id"]: self._on_remove(ident))
            rows.append(widgets.HBox([label, edit, remove]))
        if not rows:
            rows.append(widgets.HBox([widgets.HTML("<em>No notes yet.</em>")]))
        self.list.children = rows
        self._redraw()

    def _restyle(self, name: str) -> None:
        self._style, self.ax = name, None  # _redraw makes a new figure in the new style
        self._redraw()
        self.widget.figure = self.figure

    def _redraw(self) -> None:
        with style_context(self._style):
            if self.ax is None:
                self.ax = plot_postit_wall(self._notes)
                self.figure = self.ax.figure
                plt.close(self.figure)  # keep the Figure, but out of pyplot's hands
            else:
                self.ax.clear()
                plot_postit_wall(self._notes, ax=self.ax)
            w, h = (round(v) for v in self.figure.get_size_inches() * self.figure.dpi)
            self.picture.value = chart_html(
                figure_png(self.figure),
                describe_postit_wall(self._notes),
                width=w,
                height=h,
                table=table_postit_wall(self._notes),
            )

    def _missing_colours(self) -> list[PostItColour]:
        used = {n["colour"] for n in self._notes}
        return [c for c in self.wall.colours if c.key not in used]

    def _update_progress(self) -> None:
        if self._notes and not self._missing_colours():
            self.ex.mark("complete")
        elif self._notes or self.text.value.strip():
            self.ex.mark("started")

    def _save(self, field: str, value: Any) -> bool:
        # The first save over a damaged value is a revision of its own, so the damaged
        # value stays in the history as the warning promised.
        saved = self.ex.save(field, value, coalesce=field not in self._damaged)
        if saved:
            self._damaged.discard(field)
        return saved

    def _save_notes(self) -> bool:
        return self._save(NOTES_FIELD, [dict(n) for n in self._notes])

    def _save_draft(self) -> None:
        self._save(
            DRAFT_FIELD,
            {"colour": self.colour.value, "text": self.text.value, "editing": self._editing},
        )

    def _progress_message(self) -> str:
        missing = self._missing_colours()
        if not missing:
            return "Every colour has a note: your evaluation is complete."
        todo = "; ".join(f"{c.name} ({c.question})" for c in missing)
        done = len(self.wall.colours) - len(missing)
        return f"Notes in {done} of {len(self.wall.colours)} colours. Still to add: {todo}"

    # -- events ----------------------------------------------------------------------
    def _draft_changed(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self._save_draft()
        self._update_progress()

    def _clear_editor(self) -> None:
        self._editing = None
        self.text.value = ""  # saves the emptied draft
        self._save_draft()

    def _on_add(self, _button: widgets.Button | None = None) -> None:
        text = self.text.value
        if not text.strip():
            self.ex.announce(
                "Write something on your note first: an empty note is not added.", "warning"
            )
            return
        if self.colour.value is None:
            self.ex.announce("Choose the colour of your note first.", "warning")
            return
        colour = self.wall.colour(self.colour.value)
        if self._editing is not None:
            n = self._number(self._editing)
            self._notes[n - 1] = {"id": self._editing, "colour": colour.key, "text": text}
            verb = "Saved"
        else:
            ident = max((note["id"] for note in self._notes), default=0) + 1
            self._notes.append({"id": ident, "colour": colour.key, "text": text})
            n, verb = len(self._notes), "Added"
        if not self._save_notes():
            return
        self._clear_editor()
        self._render()
        self._update_progress()
        self.ex.announce(
            f"{verb} note {n} ({colour.name}). {self._progress_message()}",
            "saved",
        )

    def _on_edit(self, ident: int) -> None:
        note = next(n for n in self._notes if n["id"] == ident)
        self._editing = ident
        self._loading = True
        try:
            self.colour.value = note["colour"]
            self.text.value = note["text"]
        finally:
            self._loading = False
        self._save_draft()
        self._render()
        n = self._number(ident)
        self.ex.announce(
            f"Editing note {n}. Change its text or colour, then press 'Save note {n}'."
        )

    def _on_cancel(self, _button: widgets.Button | None = None) -> None:
        self._clear_editor()
        self._render()
        self.ex.announce("Stopped editing; the note is unchanged.")

    def _on_remove(self, ident: int) -> None:
        n = self._number(ident)
        note = self._notes.pop(n - 1)
        if not self._save_notes():
            self._notes.insert(n - 1, note)
            return
        self._removed = (n - 1, note)
        self.undo_remove.disabled = False
        if self._editing == ident:
            self._clear_editor()
        self._render()
        self._update_progress()
        name = self.wall.colour(note["colour"]).name
        self.ex.announce(
            f"Removed note {n} ({name}). Press 'Undo remove' to bring it back.", "saved"
        )

    def _on_undo_remove(self, _button: widgets.Button | None = None) -> None:
        if self._removed is None:
            return
        index, note = self._removed
        self._notes.insert(min(index, len(self._notes)), note)
        if not self._save_notes():
            self._notes.remove(note)
            return
        self._removed = None
        self.undo_remove.disabled = True
        self._render()
        self._update_progress()
        self.ex.announce(f"Brought back note {self._number(note['id'])}.", "saved")


def postit_wall(
    *,
    notebook: str,
    exercise: str,
    store: AnswerStore | None = None,
    progress: NotebookProgress | None = None,
) -> widgets.VBox:
    """Build the session evaluation wall: add, edit and remove coloured notes.

    Parameters
    ----------
    notebook, exercise
        Where the notes are stored (``notebook/exercise/notes`` and ``.../draft``).
    store
        The learner's answer store; the default store when omitted.
    progress
        A notebook's progress line, refreshed after each save.

    Returns
    -------
    ipywidgets.VBox
        With classes ``pl-exercise`` and ``pl-postits``; its ``figure`` attribute is the
        one figure the wall is drawn on (re-rendered on every change, never replaced).

    Notes
    -----
    Complete once the wall has at least one note in every colour.
    """
    ex = Exercise(notebook, exercise, store=store, progress=progress, kind="postits")
    return _Wall(ex).widget
