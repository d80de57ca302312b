"""The Mobius Model of relationship conversations (Demarest et al 2004).

Dialogue sits inside the circle, where six qualities of the relationship can be
present or missing; four monologues sit outside, where attention is on the qualities
of individuals. Blame and praise flow anticlockwise; worry and claim flow clockwise.
The arrow at the top is the choice point: the choice we have when we meet a difference.
(The workbook spells the author "Demerest" in places; its reference list has Demarest.)

Content lives in ``data/mobius.yaml``. Tags (:data:`TAGS`) name the qualities and
monologues in conversation paths and saved answers.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import (
    arc_arrow,
    new_axes,
    points_wide,
    text_box,
    units_per_point,
)
from partnership_lib.charts.pieces import Piece, draw_pieces, sync_pieces
from partnership_lib.core import content
from partnership_lib.core.style import Theme, current_theme, in_active_style, style_context

__all__ = [
    "DIRECTIONS",
    "MONOLOGUE_KEYS",
    "NOT_YET_DEVELOPED",
    "QUALITY_KEYS",
    "SCORE_WORDS",
    "TAGS",
    "MobiusModel",
    "Monologue",
    "Quality",
    "describe_mobius_map",
    "mobius_model",
    "next_conversation",
    "plot_mobius_map",
    "score_label",
    "score_word",
    "table_mobius_map",
    "tag_label",
    "update_mobius_map",
]

#: The six qualities' tags, in the model's order.
QUALITY_KEYS = (
    "mutual_understanding",
    "possibility",
    "commitment",
    "capability",
    "responsibility",
    "acknowledgement",
)
#: The four monologues' tags.
MONOLOGUE_KEYS = ("blame", "praise", "worry", "claim")
#: Every tag a conversation path may use: qualities (in order), then monologues.
TAGS = QUALITY_KEYS + MONOLOGUE_KEYS
#: Which way a monologue flows round its circle.
DIRECTIONS = ("clockwise", "anticlockwise")

_CONTENT = "mobius"
SCORE_MIN, SCORE_MAX = 1, 5


@dataclass(frozen=True, slots=True)
class Quality:
    """One of the six qualities of a relationship; ``order`` is its place (1..6)."""

    key: str
    name: str
    meaning: str
    order: int


@dataclass(frozen=True, slots=True)
class Monologue:
    """One of the four monologues; ``direction`` is ``"clockwise"`` or ``"anticlockwise"``."""

    key: str
    name: str
    direction: str
    meaning: str


@dataclass(frozen=True, slots=True)
class MobiusModel:
    """The whole model: qualities in order, monologues, and what each region means.

    ``outer`` explains monologue (outside the circle), ``inner`` explains dialogue
    (inside it) and ``choice_point`` the arrow at the top.
    """

    qualities: tuple[Quality, ...]
    monologues: tuple[Monologue, ...]
    choice_point: str
    outer: str
    inner: str
    source: str
    name: str = "The Mobius Model"

    @property
    def tags(self) -> tuple[str, ...]:
        """Quality keys in order, then monologue keys."""
        return tuple(q.key for q in self.qualities) + tuple(m.key for m in self.monologues)

    def quality(self, tag: str) -> Quality:
        """Return a quality by key or name (case-insensitive); ``ValueError`` otherwise."""
        item = self.item(tag)
        if not isinstance(item, Quality):
            raise ValueError(
                f"{tag!r} is a monologue, not a quality; qualities: "
                + ", ".join(q.key for q in self.qualities)
            )
        return item

    def item(self, tag: str) -> Quality | Monologue:
        """Return the quality or monologue for a tag (key or display name, any case)."""
        if isinstance(tag, Quality | Monologue):
            tag = tag.key
        if not isinstance(tag, str):
            raise ValueError(f"unknown Mobius tag {tag!r}; tags: {', '.join(self.tags)}")
        wanted = tag.strip().casefold().replace(" ", "_").replace("-", "_")
        for item in (*self.qualities, *self.monologues):
            if wanted in (item.key, item.name.casefold().replace(" ", "_")):
                return item
        raise ValueError(f"unknown Mobius tag {tag!r}; tags: {', '.join(self.tags)}")


# --------------------------------------------------------------------------- content


def mobius_model() -> MobiusModel:
    """Load the Mobius Model from ``data/mobius.yaml``.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When the file is malformed, or its keys differ from :data:`TAGS` (saved answers
        and conversation paths depend on those keys).
    """
    data = content.load(_CONTENT)
    qualities = tuple(
        Quality(key=raw["key"], name=raw["name"], meaning=raw["meaning"], order=i)
        for i, raw in enumerate(data["qualities"], start=1)
    )
    monologues = tuple(Monologue(**raw) for raw in data["monologues"])
    with content.content_entry(_CONTENT, "qualities"):
        keys = tuple(q.key for q in qualities)
        if keys != QUALITY_KEYS:
            raise ValueError(
                f"quality keys must be {', '.join(QUALITY_KEYS)} in that order; "
                f"got {', '.join(keys)}"
            )
    with content.content_entry(_CONTENT, "monologues"):
        keys = tuple(m.key for m in monologues)
        if sorted(keys) != sorted(MONOLOGUE_KEYS):
            raise ValueError(
                f"monologue keys must be {', '.join(MONOLOGUE_KEYS)}; got {', '.join(keys)}"
            )
    _check_unique_names(qualities, monologues)
    return MobiusModel(
        qualities=qualities,
        monologues=monologues,
        choice_point=data["choice_point"],
        outer=data["outer"],
        inner=data["inner"],
        source=data["source"],
        name=data["name"],
    )


def _check_unique_names(qualities: Sequence[Quality], monologues: Sequence[Monologue]) -> None:
    """What the schema cannot say: every quality and monologue has its own name (any case).

    Unique keys follow from the fixed key lists checked above.
    """
    seen: set[str] = set()
    for section, items in (("qualities", qualities), ("monologues", monologues)):
        for item in items:
            if item.name.casefold() in seen:
                raise content.ContentError(
                    content.data_dir() / f"{_CONTENT}.yaml",
                    f"duplicate name {item.name!r} (names are compared ignoring case)",
                    entry=f"{section}/{item.key}",
                    field="name",
                )
            seen.add(item.name.casefold())


def tag_label(tag: str) -> str:
    """Display name for a tag (key or name, any case): ``"possibility"`` -> ``"Possibility"``.

    Raises
    ------
    ValueError
        For an unknown tag, listing the known ones.
    """
    return mobius_model().item(tag).name


#: What each whole score on the rating scale means: the scale's own words at 1, 3 and 5
#: (1 = missing, 3 = partly there, 5 = fully present), and the steps between them.
SCORE_WORDS = {
    1: "missing",
    2: "barely there",
    3: "partly there",
    4: "mostly there",
    5: "fully present",
}
#: A quality rated this or lower is not yet developed: :func:`next_conversation` picks
#: the first such quality as the conversation to have next.
NOT_YET_DEVELOPED = 2


def score_word(score: float | None) -> str:
    """The scale's word for a quality score (:data:`SCORE_WORDS`): 1 ``"missing"``,
    2 ``"barely there"``, 3 ``"partly there"``, 4 ``"mostly there"``, 5 ``"fully present"``.

    A score between two whole numbers (a room's mean) takes the word of the nearer one,
    halves rounding up. ``None`` gives ``"not rated"``.
    """
    if score is None:
        return "not rated"
    return SCORE_WORDS[min(SCORE_MAX, max(SCORE_MIN, math.floor(score + 0.5)))]


def score_label(score: int) -> str:
    """A score with its word, as a rating control offers it: ``"2 = barely there"``."""
    return f"{score} = {SCORE_WORDS[score]}"


def _check_scores(
    model: MobiusModel, qualities: Mapping[str, float | None] | None
) -> dict[str, float | None]:
    """Validate a quality -> score mapping; return it keyed by quality key."""
    if qualities is None:
        return {}
    if not isinstance(qualities, Mapping):
        raise ValueError(f"qualities must map quality keys to scores, got {qualities!r}")
    scores: dict[str, float | None] = {}
    for tag, score in qualities.items():
        quality = model.quality(tag)
        if quality.key in scores:
            raise ValueError(f"quality {quality.name!r} is rated twice (as {tag!r})")
        if score is not None:
            if isinstance(score, bool) or not isinstance(score, int | float | np.number):
                raise ValueError(
                    f"{quality.name}: score must be a number from {SCORE_MIN} to "
                    f"{SCORE_MAX}, got {score!r}"
                )
            if not math.isfinite(score):
                raise ValueError(f"{quality.name}: score must be a finite number, got {score!r}")
            if not SCORE_MIN <= score <= SCORE_MAX:
                raise ValueError(
                    f"{quality.name}: score must be between {SCORE_MIN} and {SCORE_MAX}, "
                    f"got {score!r}"
                )
            score = float(score)
        scores[quality.key] = score
    return scores


def _check_path(model: MobiusModel, path: Sequence[str] | None) -> list[str]:
    if path is None:
        return []
    if isinstance(path, str) or not isinstance(path, Iterable):
        raise ValueError(f"path must be a sequence of tags, got {path!r}")
    return [model.item(tag).key for tag in path]


def next_conversation(qualities: Mapping[str, float | None] | None) -> Quality | None:
    """The quality to work on next, or ``None`` when every rated quality is developed.

    This is the first quality, in the model's order, rated :data:`NOT_YET_DEVELOPED`
    (2, "barely there") or below (1, "missing"): one the relationship has not yet
    developed. The qualities follow on from one another (understanding, then possibility, then
    commitment, ...), so the earliest gap is the conversation to have first.
    Unrated qualities are skipped.

    Raises
    ------
    ValueError
        For an unknown quality, or a score that is not a number from 1 to 5.
    """
    model = mobius_model()
    scores = _check_scores(model, qualities)
    for quality in model.qualities:
        score = scores.get(quality.key)
        if score is not None and score <= NOT_YET_DEVELOPED:
            return quality
    return None


# --------------------------------------------------------------------------- geometry

_BOX_W, _BOX_H = 2.9, 1.5  # quality boxes
_ROUNDING = 0.18  # their corners
_RX, _RY = 3.8, 2.4  # the dialogue ellipse
_MONO_R = 0.95  # monologue circles
_MONO_X, _MONO_Y = 5.35, 2.2  # in the corners, beside the top and bottom boxes
_FLOW_GAP = 0.22  # flow arc sits this far outside a monologue circle
_CHOICE_Y = 3.65
_CAPTION_Y = -3.4  # top of the "Outside the circle" caption: below the bottom arrows
_XLIM = (-6.85, 6.85)
_YLIM = (-4.0, 4.75)


def _quality_angle(i: int, n: int) -> float:
    """Degrees: qualities run clockwise from upper right, leaving the top for the choice."""
    return 90 - (360 / n) * (i + 0.5)


def _quality_xy(i: int, n: int) -> tuple[float, float]:
    a = math.radians(_quality_angle(i, n))
    return _RX * math.cos(a), _RY * math.sin(a)


def _monologue_xy(model: MobiusModel) -> dict[str, tuple[float, float]]:
    """Anticlockwise monologues on the left, clockwise on the right, top then bottom."""
    places: dict[str, tuple[float, float]] = {}
    for direction, x in (("anticlockwise", -_MONO_X), ("clockwise", _MONO_X)):
        group = [m for m in model.monologues if m.direction == direction]
        ys = np.linspace(_MONO_Y, -_MONO_Y, len(group)) if len(group) > 1 else [0.0]
        for m, y in zip(group, ys, strict=True):
            places[m.key] = (x, float(y))
    return places


def _where(x: float, y: float) -> str:
    """Compass words for a position on the map."""
    vert = "top" if y > 0.5 else "bottom" if y < -0.5 else ""
    horiz = "right" if x > 0.5 else "left" if x < -0.5 else ""
    if vert and horiz:
        return f"{'upper' if vert == 'top' else 'lower'} {horiz}"
    return vert or horiz or "centre"


def _fit_width(text: Any, max_points: float, floor: float) -> None:
    """Shrink a text's font until it is at most ``max_points`` wide, but never below ``floor``."""
    width = points_wide(text)
    if width > max_points:
        text.set_fontsize(max(floor, text.get_fontsize() * max_points / width))


def _stack(texts: Sequence[Any], x: float, y: float, *, gap: float) -> None:
    """Centre top-aligned texts as one block on (x, y), measured as drawn."""
    ax = texts[0].axes
    to_data = ax.transData.inverted()

    def height(text: Any) -> float:
        box = text.get_window_extent()
        (_, y0), (_, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        return abs(y1 - y0)

    heights = [height(t) for t in texts]
    top = y + (sum(heights) + gap * (len(texts) - 1)) / 2
    for text, h in zip(texts, heights, strict=True):
        text.set_position((x, top))
        top -= h + gap


def _luminance(colour: Any) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _score_text(score: float | None) -> str:
    if score is None:
        return "not rated"
    return f"{score:g} of {SCORE_MAX} · {score_word(score)}"


# --------------------------------------------------------------------------- plot


def plot_mobius_map(
    *,
    qualities: Mapping[str, float | None] | None = None,
    path: Sequence[str] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the Mobius Model, optionally with quality scores and a conversation path.

    Parameters
    ----------
    qualities
        Quality key (or name) -> score from 1 (missing) to 5 (fully present); ``None``
        or absent means not rated. Each box is shaded with the theme's score colours and
        also shows the score and the scale's word for it (:data:`SCORE_WORDS`).
    path
        Tags (quality or monologue keys or names, any case) in the order a conversation
        visited them. Numbered arrows join consecutive steps; a step that stays on the
        same tag is drawn as a small numbered loop.
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to the dialogue ellipse patch.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For an unknown quality or tag, or a score that is not a finite number from 1 to 5.

    Notes
    -----
    Gids: ``"quality:<key>"`` (box), ``"quality-label:<key>"``, ``"quality-score:<key>"``,
    ``"monologue:<key>"`` (circle), ``"flow:<key>"`` (arc line, drawn in the flow's
    direction), ``"flow-head:<key>"``, ``"choice-point"``, ``"choice-arrow"``,
    ``"path-arrow:<n>"`` and ``"path-number:<n>"`` (n from 1), ``"path-start"``.
    """
    model = mobius_model()
    scores = _check_scores(model, qualities)
    steps = _check_path(model, path)
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.1, h_pad=0.08)
        _draw_map(ax, model, scores if qualities is not None else None, steps, theme, kwargs)
    return ax


def _draw_map(
    ax: Axes,
    model: MobiusModel,
    scores: dict[str, float | None] | None,
    steps: list[str],
    theme: Theme,
    kwargs: dict[str, Any],
) -> None:
    """Draw the map; ``scores`` is ``None`` for the plain model (no rating lines at all)."""
    ax.set_xlim(*_XLIM)
    ax.set_ylim(*_YLIM)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"{model.name} ({model.source})", loc="left")
    _draw_dialogue(ax, theme, kwargs)
    _draw_qualities(ax, model, scores, theme)
    _draw_monologues(ax, model, theme)
    _draw_choice_point(ax, theme)
    draw_pieces(ax, _path_pieces(ax, steps, theme))


def _sizes(theme: Theme) -> tuple[float, float, float]:
    """Line width, name size and body text size of the map in ``theme``."""
    return (
        plt.rcParams["lines.linewidth"],
        theme.label_size,
        max(theme.small_text, theme.label_size * 0.9),
    )


def _draw_dialogue(ax: Axes, theme: Theme, kwargs: dict[str, Any]) -> None:
    """The inner region, with its name and meaning in the middle."""
    lw, name_size, body_size = _sizes(theme)
    ellipse_kws = {
        "facecolor": theme.quadrant_fills[3],
        "edgecolor": theme.edge,
        "linewidth": lw,
    }
    ellipse_kws.update(kwargs)
    ax.add_patch(Ellipse((0, 0), 2 * _RX, 2 * _RY, zorder=1, gid="dialogue", **ellipse_kws))
    ax.text(
        0,
        0.32,
        "Dialogue",
        ha="center",
        va="bottom",
        fontsize=name_size * 1.25,
        fontweight="bold",
        color=theme.text,
        zorder=2,
        gid="region:dialogue",
    )
    ax.text(
        0,
        0.2,
        "qualities of the\nrelationship",
        ha="center",
        va="top",
        fontsize=body_size,
        fontstyle="italic",
        color=theme.text,
        zorder=2,
        gid="region-meaning:dialogue",
    )


def _draw_qualities(
    ax: Axes, model: MobiusModel, scores: dict[str, float | None] | None, theme: Theme
) -> None:
    """The quality boxes round the ellipse, clockwise in the model's order."""
    _lw, name_size, body_size = _sizes(theme)
    unit = units_per_point(ax)
    n = len(model.qualities)
    for i, quality in enumerate(model.qualities):
        x, y = _quality_xy(i, n)
        score = scores.get(quality.key) if scores is not None else None
        fill, ink, width, dash = _quality_look(score, scores is not None, theme)
        ax.add_patch(
            FancyBboxPatch(
                (x - _BOX_W / 2, y - _BOX_H / 2),
                _BOX_W,
                _BOX_H,
                boxstyle=f"round,pad=0,rounding_size={_ROUNDING}",
                facecolor=fill,
                edgecolor=theme.edge,
                linewidth=width,
                linestyle=dash,
                zorder=3,
                gid=f"quality:{quality.key}",
            )
        )
        name = "\n".join(textwrap.wrap(quality.name, 14, break_long_words=False))
        texts = [
            ax.text(
                x,
                y,
                name,
                ha="center",
                va="top",
                fontsize=name_size,
                fontweight="bold",
                color=ink,
                zorder=4,
                gid=f"quality-label:{quality.key}",
            )
        ]
        if scores is not None:
            texts.append(
                ax.text(
                    x,
                    y,
                    _score_text(score),
                    ha="center",
                    va="top",
                    fontsize=body_size,
                    fontstyle="normal" if score is not None else "italic",
                    color=ink,
                    zorder=4,
                    gid=f"quality-score:{quality.key}",
                )
            )
        for text in texts:
            _fit_width(text, 0.92 * _BOX_W / unit, theme.small_text)
        _stack(texts, x, y, gap=0.25 * body_size * unit)


def _draw_monologues(ax: Axes, model: MobiusModel, theme: Theme) -> None:
    """The monologue circles outside, each with an arc showing which way it flows."""
    lw, name_size, body_size = _sizes(theme)
    places = _monologue_xy(model)
    for mono in model.monologues:
        cx, cy = places[mono.key]
        circle = Circle(
            (cx, cy),
            _MONO_R,
            facecolor=theme.quadrant_fills[1],
            edgecolor=theme.edge,
            linewidth=lw * 0.8,
            hatch=theme.quadrant_hatches[1] or None,
            zorder=3,
            gid=f"monologue:{mono.key}",
        )
        if circle.get_hatch():
            circle.set_hatchcolor(to_rgba(theme.edge, 0.35))  # a quiet background pattern
        ax.add_patch(circle)
        ax.text(
            cx,
            cy,
            mono.name,
            ha="center",
            va="center",
            fontsize=name_size * 1.1,
            fontweight="bold",
            color=theme.text,
            zorder=4,
            bbox=text_box(pad=0.15) if theme.quadrant_hatches[1] else None,
            gid=f"monologue-label:{mono.key}",
        )
        _flow_arc(ax, mono, (cx, cy), theme, lw)
        above = cy > 0
        ax.text(
            cx,
            cy + (1 if above else -1) * (_MONO_R + _FLOW_GAP + 0.1),
            mono.direction,
            ha="center",
            va="bottom" if above else "top",
            fontsize=body_size,
            fontstyle="italic",
            color=theme.muted_text,
            zorder=4,
            gid=f"flow-label:{mono.key}",
        )
    ax.text(
        0,
        _CAPTION_Y,
        "Outside the circle: monologue,\nthe qualities of individuals (self or others)",
        ha="center",
        va="top",
        fontsize=body_size,
        fontstyle="italic",
        color=theme.text,
        gid="region:monologue",
    )


def _draw_choice_point(ax: Axes, theme: Theme) -> None:
    """The choice point: an arrow into the top of the circle, with its question."""
    lw, _name_size, body_size = _sizes(theme)
    ax.add_patch(
        FancyArrowPatch(
            (0, _CHOICE_Y),
            (0, _RY),
            arrowstyle="-|>",
            mutation_scale=12 + 5 * lw,
            linewidth=theme.arrow_width,
            color=theme.text,
            shrinkA=12,
            shrinkB=0,
            zorder=5,
            gid="choice-arrow",
        )
    )
    ax.plot(
        0,
        _CHOICE_Y,
        linestyle="none",
        marker="D",
        markersize=6 + 2.5 * lw,
        markerfacecolor=theme.accent,
        markeredgecolor=theme.edge,
        zorder=6,
        gid="choice-point",
    )
    ax.text(
        0,
        _CHOICE_Y + 0.3,
        "Choice point:\ndialogue or monologue?",
        ha="center",
        va="bottom",
        fontsize=body_size,
        fontweight="bold",
        color=theme.text,
        zorder=6,
        gid="choice-label",
    )


def _quality_look(score: float | None, rating: bool, theme: Theme) -> tuple[Any, Any, float, Any]:
    """Fill, text colour, edge width and edge style of a quality's box for ``score``.

    ``rating`` is whether the map shows ratings at all: only there is an unrated
    quality drawn dashed.
    """
    lw = plt.rcParams["lines.linewidth"]
    rated = score is not None
    solid = rated or not rating
    cmap = theme.score_cmap
    fill = (
        cmap((score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN))
        if rated
        else plt.rcParams["axes.facecolor"]
    )
    ink = "white" if rated and _luminance(fill) < 0.45 else theme.text
    return fill, ink, lw * (0.8 if solid else 0.6), "-" if solid else (0, (3, 2))


# --------------------------------------------------------------------------- update


@in_active_style
def update_mobius_map(
    ax: Axes,
    *,
    qualities: Mapping[str, float | None] | None = None,
    path: Sequence[str] | None = None,
) -> list[Any] | None:
    """Change a map drawn by :func:`plot_mobius_map` in place to show new scores and path.

    Afterwards the map looks as ``plot_mobius_map(qualities=qualities, path=path)``
    draws it: boxes and their texts are re-shaded where a score changed, and the
    conversation path keeps the arrows, numbers and "Start" label that stay the same
    and redraws only the others. Call it in the style the map was drawn in (inside its
    ``style_context``; a live chart does).

    Returns
    -------
    list of Artist or None
        The artists changed or drawn anew (removed ones are simply gone); ``None``
        asks for a full redraw: ``ax`` holds no Mobius map, or it was drawn with
        ratings and ``qualities`` is ``None`` (or the other way round).

    Raises
    ------
    ValueError
        As :func:`plot_mobius_map` does, for an unknown quality or tag or a bad score.
    """
    model = mobius_model()
    scores = _check_scores(model, qualities)
    steps = _check_path(model, path)
    nodes = _nodes(ax)
    if set(nodes) != set(model.tags):
        return None
    texts = {t.get_gid(): t for t in ax.texts}
    rated = any(f"quality-score:{q.key}" in texts for q in model.qualities)
    if rated != (qualities is not None):
        return None
    theme = current_theme()
    changed = _rescore(ax, model, scores, texts, theme) if rated else []
    return changed + sync_pieces(ax, _path_pieces(ax, steps, theme))


def _rescore(
    ax: Axes,
    model: MobiusModel,
    scores: dict[str, float | None],
    texts: dict[str, Any],
    theme: Theme,
) -> list[Any]:
    """Re-shade the quality boxes whose score text changed; return what changed."""
    _lw, _name_size, body_size = _sizes(theme)
    unit = units_per_point(ax)
    changed: list[Any] = []
    n = len(model.qualities)
    nodes = _nodes(ax)
    for i, quality in enumerate(model.qualities):
        box = nodes[quality.key]
        label = texts[f"quality-label:{quality.key}"]
        score_text = texts[f"quality-score:{quality.key}"]
        score = scores.get(quality.key)
        if score_text.get_text() == _score_text(score):
            continue
        fill, ink, width, dash = _quality_look(score, True, theme)
        box.set_facecolor(fill)
        box.set_linewidth(width)
        box.set_linestyle(dash)
        label.set_color(ink)
        score_text.set_text(_score_text(score))
        score_text.set_fontsize(body_size)
        score_text.set_fontstyle("normal" if score is not None else "italic")
        score_text.set_color(ink)
        _fit_width(score_text, 0.92 * _BOX_W / unit, theme.small_text)
        x, y = _quality_xy(i, n)
        _stack([label, score_text], x, y, gap=0.25 * body_size * unit)
        changed += [box, label, score_text]
    return changed


def _nodes(ax: Axes) -> dict[str, Patch]:
    """The map's quality boxes and monologue circles on ``ax``, by tag."""
    out = {}
    for patch in ax.patches:
        kind, _, tag = (patch.get_gid() or "").partition(":")
        if kind in ("quality", "monologue"):
            out[tag] = patch
    return out


def _flow_arc(
    ax: Axes, mono: Monologue, centre: tuple[float, float], theme: Theme, lw: float
) -> None:
    """Arc round a monologue circle, drawn in its direction, with the gap facing the centre."""
    cx, cy = centre
    facing = math.degrees(math.atan2(-cy, -cx))  # towards the dialogue circle
    sign = 1 if mono.direction == "anticlockwise" else -1
    start = facing + sign * 40
    angles = np.radians(start + sign * np.linspace(0, 280, 120))
    r = _MONO_R + _FLOW_GAP
    arc_arrow(
        ax,
        cx + r * np.cos(angles),
        cy + r * np.sin(angles),
        theme,
        lw,
        gid=f"flow:{mono.key}",
        head_gid=f"flow-head:{mono.key}",
        head_from=6,
    )


# --------------------------------------------------------------------------- the path
#
# The path is laid out step by step in data units, keeping clear of everything drawn
# before it: every text of the map (measured as drawn, with its background box), the
# nodes, the choice point, and the path's own earlier arrows, numbers and "Start". Each
# arrow tries a few bows (arc3 curvatures) and keeps the first that touches no text; each
# number tries places along its arrow, then beside it, and keeps the first that touches
# nothing. Where nothing is wholly clear (a very long path), the least crowded is used.

_BOWS = (1.0, -1.0, 1.25, -1.25, 1.5, -1.5, 2.0, -2.0, 2.5, -2.5, 3.0, -3.0, 4.0, -4.0, 0.0)
_BOW = 0.16
_ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85)
_SAMPLES = 64
_TEXT_COST, _NODE_COST, _NEAR_COST = 8.0, 2.0, 1.0  # per sample point that touches one


@dataclass(slots=True)
class _Room:
    """What a path must keep clear of, in data units (boxes are x0, y0, x1, y1)."""

    texts: np.ndarray  # (n, 4): the map's texts
    nodes: dict[
        str, tuple[str, tuple[float, ...]]
    ]  # tag -> ("box", x0, y0, x1, y1) | ("circle", ...)
    marks: list[np.ndarray]  # points numbers must not sit on (the choice arrow, earlier arrows)
    placed: list[tuple[float, float, float, float]]  # earlier numbers and "Start"
    number_r: tuple[float, float]  # radius of a one- and a two-digit number's circle
    start_size: tuple[float, float]  # width and height of "Start" in its box
    line: float  # half an arrow's width and a little room, in data units
    unit: float  # data units per point
    limits: tuple[float, float, float, float]

    def boxes(self) -> np.ndarray:
        extra = np.array(self.placed, dtype=float).reshape(-1, 4)
        return np.vstack([self.texts, extra]) if len(extra) else self.texts


def _inside(points: np.ndarray, boxes: np.ndarray, pad: float) -> np.ndarray:
    """Which points fall inside any of ``boxes`` grown by ``pad``."""
    if not len(boxes) or not len(points):
        return np.zeros(len(points), dtype=bool)
    x, y = points[:, :1], points[:, 1:]
    b = boxes
    hit = (x > b[:, 0] - pad) & (x < b[:, 2] + pad) & (y > b[:, 1] - pad) & (y < b[:, 3] + pad)
    return hit.any(axis=1)


def _in_node(points: np.ndarray, node: tuple[str, tuple[float, ...]], pad: float) -> np.ndarray:
    """Which points fall on a node (a circle, or a box with rounded corners) grown by ``pad``."""
    kind, shape = node
    if kind == "circle":
        cx, cy, r = shape
        return np.hypot(points[:, 0] - cx, points[:, 1] - cy) < r + pad
    x0, y0, x1, y1 = shape
    r = _ROUNDING
    dx = np.maximum(np.maximum(x0 + r - points[:, 0], 0), points[:, 0] - (x1 - r))
    dy = np.maximum(np.maximum(y0 + r - points[:, 1], 0), points[:, 1] - (y1 - r))
    return np.hypot(dx, dy) < r + pad


def _measure(ax: Axes, model: MobiusModel, size: float) -> _Room:
    """Measure what is drawn on the map so far (texts as the renderer lays them out)."""
    unit = units_per_point(ax)
    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    boxes = []
    for text in ax.texts:
        if (text.get_gid() or "").startswith("path-") or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        patch = text.get_bbox_patch()
        if patch is not None:
            text.update_bbox_position_size(renderer)
            extent = Bbox.union([extent, patch.get_window_extent(renderer)])
        (x0, y0), (x1, y1) = to_data.transform(extent.get_points())
        boxes.append((x0, y0, x1, y1))
    nodes: dict[str, tuple[str, tuple[float, ...]]] = {}
    for tag, (cx, cy) in _centres(model).items():
        if tag in MONOLOGUE_KEYS:
            nodes[tag] = ("circle", (cx, cy, _MONO_R + _FLOW_GAP))
        else:
            nodes[tag] = (
                "box",
                (cx - _BOX_W / 2, cy - _BOX_H / 2, cx + _BOX_W / 2, cy + _BOX_H / 2),
            )
    lw = plt.rcParams["lines.linewidth"]
    diamond = (6 + 2.5 * lw) * 0.75 * unit  # half the marker's diagonal, and its edge
    nodes["choice-point"] = ("circle", (0.0, _CHOICE_Y, diamond))
    choice = np.column_stack([np.zeros(24), np.linspace(_RY, _CHOICE_Y, 24)])
    sizes = []
    for text, box in (("8", _NUMBER_BOX), ("88", _NUMBER_BOX), ("Start", _start_box())):
        probe = ax.text(0, 0, text, fontsize=size, fontweight="bold", bbox=box)
        probe.update_bbox_position_size(renderer)
        extent = probe.get_bbox_patch().get_window_extent(renderer)
        probe.remove()
        to_units = 72 / ax.figure.dpi * unit
        sizes.append((extent.width * to_units, extent.height * to_units))
    radii = [max(w, h) / 2 for w, h in sizes[:2]]
    return _Room(
        texts=np.array(boxes, dtype=float).reshape(-1, 4),
        nodes=nodes,
        marks=[choice],
        placed=[],
        number_r=(radii[0], radii[1]),
        start_size=sizes[2],
        line=(current_theme().arrow_width / 2 + 3) * unit,
        unit=unit,
        limits=(*_XLIM, *_YLIM),
    )


_NUMBER_BOX = {"boxstyle": "circle,pad=0.22", "linewidth": 1.5}


def _start_box() -> dict[str, Any]:
    return text_box(pad=0.15, edgecolor=current_theme().accent, linewidth=1.5)


def _curve(a: np.ndarray, b: np.ndarray, rad: float, n: int = _SAMPLES) -> np.ndarray:
    """Points along matplotlib's ``arc3`` curve from a to b (a quadratic Bezier)."""
    t = np.linspace(0, 1, n)[:, None]
    d = b - a
    control = (a + b) / 2 + rad * np.array([d[1], -d[0]])
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t**2 * b


def _visible(points: np.ndarray, room: _Room, ends: Sequence[str]) -> np.ndarray:
    """The part of a curve between centres that is drawn: outside its two end nodes."""
    keep = np.ones(len(points), dtype=bool)
    for tag in ends:
        keep &= ~_in_node(points, room.nodes[tag], 0.04)
    return points[keep]


def _cost(points: np.ndarray, room: _Room, ends: Sequence[str]) -> float:
    """How much a drawn curve touches: texts, numbers and "Start" most, then nodes."""
    cost = _TEXT_COST * _inside(points, room.boxes(), room.line).sum()
    x0, x1, y0, y1 = room.limits
    x, y = points[:, 0], points[:, 1]
    cost += _TEXT_COST * ((x < x0) | (x > x1) | (y < y0) | (y > y1)).sum()  # cut off
    for tag, node in room.nodes.items():
        if tag not in ends:
            cost += _NODE_COST * _in_node(points, node, room.line / 2).sum()
    for mark in room.marks[1:]:  # earlier arrows: running along one hides it
        if len(mark):
            near = np.min(np.hypot(*(points[:, None, :] - mark[None, :, :]).T), axis=0)
            cost += _NEAR_COST * (near < 4 * room.line).sum()
    return float(cost)


def _route(a_tag: str, b_tag: str, centres: dict[str, np.ndarray], room: _Room) -> float:
    """The bow of the arrow from a to b: the first that touches no text, preferring to
    bow away from the middle of the map, where the labels sit."""
    a, b = centres[a_tag], centres[b_tag]
    away = 1.0
    if np.linalg.norm(_arc3_point(a, b, -_BOW)) > np.linalg.norm(_arc3_point(a, b, _BOW)):
        away = -1.0
    best: tuple[float, float] | None = None
    for k in _BOWS:
        rad = away * k * _BOW
        cost = _cost(_visible(_curve(a, b, rad), room, (a_tag, b_tag)), room, (a_tag, b_tag))
        if cost == 0:
            return rad
        if best is None or cost < best[0]:
            best = (cost, rad)
    return best[1]


def _number_spot(curve: np.ndarray, n: int, room: _Room, own: np.ndarray) -> tuple[float, float]:
    """Where step ``n``'s number goes: on its arrow if there is room, else beside it."""
    r = room.number_r[0 if n < 10 else 1] + 0.03
    step = np.gradient(curve, axis=0)
    normal = np.column_stack([-step[:, 1], step[:, 0]])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-12
    length = float(np.sum(np.linalg.norm(np.diff(curve, axis=0), axis=1)))
    # A short arrow would vanish under its number: beside it first.
    offsets = (1.0, -1.0, 0.0, 1.8, -1.8) if length < 6 * r else (0.0, 1.0, -1.0, 1.8, -1.8)
    spots = []
    for offset in offsets:
        for t in _ALONG:
            i = round(t * (len(curve) - 1))
            spots.append(curve[i] + offset * (r + room.line) * normal[i])
    best: tuple[float, np.ndarray] | None = None
    for spot in spots:
        clash = _clash(spot, r, room, own)
        if clash == 0:
            return float(spot[0]), float(spot[1])
        if best is None or clash < best[0]:
            best = (clash, spot)
    return float(best[1][0]), float(best[1][1])


def _clash(spot: np.ndarray, r: float, room: _Room, own: np.ndarray) -> float:
    """How much a number's circle at ``spot`` would cover (0: nothing)."""
    x, y = spot
    x0, x1, y0, y1 = room.limits
    clash = 100.0 * (x - r < x0 or x + r > x1 or y - r < y0 or y + r > y1)
    boxes = room.boxes()
    if len(boxes):
        dx = np.maximum(np.maximum(boxes[:, 0] - x, 0), x - boxes[:, 2])
        dy = np.maximum(np.maximum(boxes[:, 1] - y, 0), y - boxes[:, 3])
        clash += _TEXT_COST * (np.hypot(dx, dy) < r).sum()
    ring = spot + r * np.column_stack(
        [np.cos(np.linspace(0, 2 * np.pi, 16)), np.sin(np.linspace(0, 2 * np.pi, 16))]
    )
    probe = np.vstack([spot, ring])
    for node in room.nodes.values():
        clash += _NODE_COST * _in_node(probe, node, 0.02).any()
    for mark in room.marks:
        if len(mark) and mark is not own:
            clash += _NODE_COST * (np.hypot(*(mark - spot).T) < r + room.line).any()
    return float(clash)


def _path_pieces(ax: Axes, steps: list[str], theme: Theme) -> list[Piece]:
    """The conversation path as pieces: "Start", then each step's arrow and number."""
    if not steps:
        return []
    lw, _name_size, size = _sizes(theme)
    look = (theme.accent, plt.rcParams["axes.facecolor"], theme.arrow_width, lw, size)
    model = mobius_model()
    centres = _centres(model)
    room = _measure(ax, model, size)
    # "Start" sits inside a monologue's circle above its name, or just above a quality box.
    first = centres[steps[0]]
    lift = 0.3 if steps[0] in MONOLOGUE_KEYS else _BOX_H / 2 + 0.1
    start = (float(first[0]), float(first[1] + lift))
    w, h = room.start_size
    room.placed.append((start[0] - w / 2, start[1], start[0] + w / 2, start[1] + h))
    pieces = [_start_piece(start, look)]
    for n, (a_tag, b_tag) in enumerate(itertools.pairwise(steps), start=1):
        if a_tag == b_tag:
            arrow, curve = _loop(n, a_tag, centres, room, look)
        else:
            rad = _route(a_tag, b_tag, centres, room)
            arrow = _step_arrow(n, a_tag, b_tag, rad, centres, room, look)
            curve = _visible(_curve(centres[a_tag], centres[b_tag], rad), room, (a_tag, b_tag))
        room.marks.append(curve)
        at = _number_spot(curve, n, room, curve)
        r = room.number_r[0 if n < 10 else 1]
        room.placed.append((at[0] - r, at[1] - r, at[0] + r, at[1] + r))
        pieces += [arrow, _number_piece(n, at, look)]
    return pieces


def _arc3_point(a: np.ndarray, b: np.ndarray, rad: float, t: float = 0.5) -> np.ndarray:
    """Point at ``t`` on matplotlib's ``arc3`` curve from a to b (a quadratic Bezier)."""
    d = b - a
    control = (a + b) / 2 + rad * np.array([d[1], -d[0]])
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t**2 * b


def _reach(tag: str, direction: np.ndarray) -> float:
    """Distance from a node's centre to its edge (and any flow arc) along ``direction``."""
    if tag in MONOLOGUE_KEYS:
        return _MONO_R + _FLOW_GAP
    ux, uy = np.abs(direction)
    tx = (_BOX_W / 2) / ux if ux > 1e-9 else math.inf
    ty = (_BOX_H / 2) / uy if uy > 1e-9 else math.inf
    return min(tx, ty)


def _centres(model: MobiusModel) -> dict[str, np.ndarray]:
    """Where each node sits on the map (its drawn patch is centred there), by tag."""
    n = len(model.qualities)
    out = {q.key: np.array(_quality_xy(i, n), dtype=float) for i, q in enumerate(model.qualities)}
    out |= {k: np.array(xy, dtype=float) for k, xy in _monologue_xy(model).items()}
    return out


def _start_piece(at: tuple[float, float], look: tuple) -> Piece:
    colour, _bg, _width, _lw, size = look

    def draw(ax: Axes) -> Any:
        return ax.text(
            *at,
            "Start",
            ha="center",
            va="bottom",
            fontsize=size,
            fontweight="bold",
            color=colour,
            zorder=9,
            gid="path-start",
            bbox={**_start_box(), "edgecolor": colour},
        )

    return Piece("path-start", ("start", at, look), draw)


def _number_piece(n: int, at: tuple[float, float], look: tuple) -> Piece:
    colour, bg, _width, _lw, size = look

    def draw(ax: Axes) -> Any:
        return ax.text(
            *at,
            str(n),
            ha="center",
            va="center",
            fontsize=size,
            fontweight="bold",
            color=bg,
            zorder=9,
            bbox={**_NUMBER_BOX, "facecolor": colour, "edgecolor": bg},
            gid=f"path-number:{n}",
        )

    return Piece(f"path-number:{n}", ("number", at, look), draw)


def _loop(
    n: int, tag: str, centres: dict[str, np.ndarray], room: _Room, look: tuple
) -> tuple[Piece, np.ndarray]:
    """A step that stays on the same tag: a small loop just outside the node, on the
    side that touches least (boxes: away from the middle first; monologues: towards it,
    where the gap in the flow arc leaves room)."""
    lw = look[3]
    c = centres[tag]
    u0 = c / (np.linalg.norm(c) or 1)
    if tag in MONOLOGUE_KEYS:
        u0 = -u0
    rad = -1.0  # negative bulges along u, away from the node
    best = None
    for turn in (0, 35, -35, 70, -70, 110, -110, 180):
        a = math.radians(turn)
        u = np.array(
            [u0[0] * math.cos(a) - u0[1] * math.sin(a), u0[0] * math.sin(a) + u0[1] * math.cos(a)]
        )
        perp = np.array([-u[1], u[0]])
        base = c + u * (_reach(tag, u) + 0.08)
        p0, p1 = base + perp * 0.45, base - perp * 0.45
        curve = _curve(p0, p1, rad)
        cost = _cost(curve, room, (tag,))
        if best is None or cost < best[0]:
            best = (cost, p0, p1, curve)
        if cost == 0:
            break
    _, p0, p1, curve = best
    control = (p0 + p1) / 2 + rad * np.array([p1[1] - p0[1], p0[0] - p1[0]])
    vertices = tuple(tuple(float(v) for v in q) for q in (p0, control, p1))
    return _curve_arrow(n, vertices, 12 + 4 * lw, look), curve


def _step_arrow(
    n: int,
    a_tag: str,
    b_tag: str,
    rad: float,
    centres: dict[str, np.ndarray],
    room: _Room,
    look: tuple,
) -> Piece:
    """An arrow from one node to another with the bow :func:`_route` chose.

    It is drawn as its own curve, cut where it leaves one node and meets the other (a
    little short of each, as ``shrinkA``/``shrinkB`` would), rather than clipped to the
    node patches at every draw: the same picture, many times cheaper to repaint.
    """
    lw = look[3]
    a, b = centres[a_tag], centres[b_tag]
    d = b - a
    control = (a + b) / 2 + rad * np.array([d[1], -d[0]])
    t = np.linspace(0, 1, 801)[:, None]
    points = (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t**2 * b
    off_a = np.flatnonzero(~_in_node(points, _edge(a_tag, centres), 2 * room.unit))
    off_b = np.flatnonzero(~_in_node(points, _edge(b_tag, centres), 4 * room.unit))
    t0, t1 = float(t[off_a[0], 0]), float(t[off_b[-1], 0])
    # The part of the curve from t0 to t1 is a quadratic Bezier of its own.
    q0 = (1 - t0) ** 2 * a + 2 * (1 - t0) * t0 * control + t0**2 * b
    q2 = (1 - t1) ** 2 * a + 2 * (1 - t1) * t1 * control + t1**2 * b
    q1 = (1 - t0) * (1 - t1) * a + (t0 * (1 - t1) + t1 * (1 - t0)) * control + t0 * t1 * b
    vertices = tuple(tuple(float(v) for v in q) for q in (q0, q1, q2))
    return _curve_arrow(n, vertices, 14 + 5 * lw, look)


def _curve_arrow(
    n: int, vertices: tuple[tuple[float, float], ...], mutation: float, look: tuple
) -> Piece:
    """Step ``n``'s arrow along a quadratic Bezier (start, control, end) in data units."""
    colour, _bg, width, _lw, _size = look

    def draw(ax: Axes) -> Any:
        curve = MplPath(vertices, [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3])
        return ax.add_patch(
            FancyArrowPatch(
                path=curve,
                arrowstyle="-|>",
                mutation_scale=mutation,
                linewidth=width,
                color=colour,
                zorder=8,
                gid=f"path-arrow:{n}",
            )
        )

    return Piece(f"path-arrow:{n}", ("arrow", vertices, mutation, look), draw)


def _edge(tag: str, centres: dict[str, np.ndarray]) -> tuple[str, tuple[float, ...]]:
    """A node's drawn outline (a monologue's circle without its flow arc)."""
    cx, cy = (float(v) for v in centres[tag])
    if tag in MONOLOGUE_KEYS:
        return ("circle", (cx, cy, _MONO_R))
    return ("box", (cx - _BOX_W / 2, cy - _BOX_H / 2, cx + _BOX_W / 2, cy + _BOX_H / 2))


# --------------------------------------------------------------------------- text twin


def describe_mobius_map(
    *,
    qualities: Mapping[str, float | None] | None = None,
    path: Sequence[str] | None = None,
) -> str:
    """Plain-text twin of :func:`plot_mobius_map`, for screen readers and alt text."""
    model = mobius_model()
    scores = _check_scores(model, qualities)
    steps = _check_path(model, path)
    n = len(model.qualities)
    lines = [
        f"Mobius map: {model.name} ({model.source}).",
        f"Choice point, marked by an arrow at the top of the circle. {model.choice_point}",
        f"{model.inner} The {n} qualities go round the circle clockwise from the upper right:",
    ]
    for i, quality in enumerate(model.qualities):
        where = _where(*_quality_xy(i, n))
        if qualities is None:
            lines.append(f"{i + 1}. {quality.name} ({where}): {quality.meaning}")
            continue
        score = scores.get(quality.key)
        rating = (
            "not rated"
            if score is None
            else f"scored {score:g} of {SCORE_MAX}, {score_word(score)}"
        )
        lines.append(f"{i + 1}. {quality.name} ({where}): {rating}.")
    lines.append(model.outer)
    places = _monologue_xy(model)
    for mono in model.monologues:
        lines.append(f"{mono.name} ({_where(*places[mono.key])}) flows {mono.direction}.")
    if steps:
        parts = []
        for i, tag in enumerate(steps, start=1):
            label = model.item(tag).name
            if i > 1 and tag == steps[i - 2]:
                label += " again"
            parts.append(f"{i} {label}")
        lines.append(f"Conversation path with {len(steps)} steps: " + ", ".join(parts) + ".")
    if scores:
        nxt = next_conversation(scores)
        low = f"{SCORE_WORDS[SCORE_MIN]} or {SCORE_WORDS[NOT_YET_DEVELOPED]}"
        if nxt is None:
            lines.append(f"No rated quality is {low}.")
        else:
            lines.append(
                f"Next conversation: {nxt.name}, the first quality in the model's order "
                f"rated {NOT_YET_DEVELOPED} or below ({low})."
            )
    return "\n".join(lines)


def table_mobius_map(
    *,
    qualities: Mapping[str, float | None] | None = None,
    path: Sequence[str] | None = None,
) -> ChartTable:
    """The parts of :func:`plot_mobius_map` as a table: the qualities, then the monologues.

    Columns: the part's name and kind (a quality inside the circle, or a monologue
    outside it and which way it flows); with ``qualities``, each quality's rating as the
    map shows it, and otherwise what each part means; with ``path``, the numbers of the
    conversation's steps at each part.
    """
    model = mobius_model()
    scores = _check_scores(model, qualities)
    steps = _check_path(model, path)
    columns = ("Part of the model", "Kind")
    columns += ("Rating",) if qualities is not None else ("What it means",)
    if path is not None:
        columns += ("Steps in the conversation",)

    def at(key: str) -> str:
        return ", ".join(str(i) for i, tag in enumerate(steps, start=1) if tag == key)

    rows = []
    for quality in model.qualities:
        row: tuple[Any, ...] = (quality.name, "Quality (dialogue, inside the circle)")
        if qualities is not None:
            row += (_score_text(scores.get(quality.key)).replace(" · ", ", "),)
        else:
            row += (quality.meaning,)
        if path is not None:
            row += (at(quality.key),)
        rows.append(row)
    for mono in model.monologues:
        row = (mono.name, f"Monologue (outside the circle), flows {mono.direction}")
        row += (None,) if qualities is not None else (mono.meaning,)
        if path is not None:
            row += (at(mono.key),)
        rows.append(row)
    return ChartTable(f"{model.name} ({model.source})", columns, tuple(rows))


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_mobius_map, describe=describe_mobius_map, table=table_mobius_map, update=update_mobius_map
)
