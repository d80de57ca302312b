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

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import (
    arc_arrow,
    new_axes,
    points_wide,
    text_box,
    units_per_point,
)
from partnership_lib.core import content
from partnership_lib.core.style import Theme, current_theme, style_context

__all__ = [
    "DIRECTIONS",
    "MONOLOGUE_KEYS",
    "QUALITY_KEYS",
    "TAGS",
    "MobiusModel",
    "Monologue",
    "Quality",
    "describe_mobius_map",
    "mobius_model",
    "next_conversation",
    "plot_mobius_map",
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


def score_word(score: float | None) -> str:
    """Word for a quality score: 1-2 ``"missing"``, below 4 ``"partly"``, 4-5 ``"present"``.

    ``None`` gives ``"not rated"``.
    """
    if score is None:
        return "not rated"
    if score <= 2:
        return "missing"
    if score < 4:
        return "partly"
    return "present"


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
    """The quality to work on next, or ``None`` when nothing is missing.

    This is the first quality, in the model's order, rated missing (score 2 or below).
    The qualities follow on from one another (understanding, then possibility, then
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
        if score is not None and score <= 2:
            return quality
    return None


# --------------------------------------------------------------------------- geometry

_BOX_W, _BOX_H = 2.9, 1.5  # quality boxes
_RX, _RY = 3.8, 2.4  # the dialogue ellipse
_MONO_R = 0.95  # monologue circles
_MONO_X, _MONO_Y = 5.35, 2.2  # in the corners, beside the top and bottom boxes
_FLOW_GAP = 0.22  # flow arc sits this far outside a monologue circle
_CHOICE_Y = 3.65
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
        also shows the score and a word ("present", "partly", "missing").
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
    ax.set_title(f"{model.name} ({model.source})", loc="left", parse_math=False)
    lw = plt.rcParams["lines.linewidth"]
    name_size = theme.label_size
    body_size = max(theme.small_text, theme.label_size * 0.9)
    patches: dict[str, Patch] = {}

    # Dialogue: the inner region.
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
        parse_math=False,
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
        parse_math=False,
        zorder=2,
        gid="region-meaning:dialogue",
    )

    # Qualities round the ellipse, clockwise in the model's order.
    unit = units_per_point(ax)
    n = len(model.qualities)
    for i, quality in enumerate(model.qualities):
        x, y = _quality_xy(i, n)
        score = scores.get(quality.key) if scores is not None else None
        rated = score is not None
        fill, ink, width, dash = _quality_look(score, scores is not None, theme)
        box = FancyBboxPatch(
            (x - _BOX_W / 2, y - _BOX_H / 2),
            _BOX_W,
            _BOX_H,
            boxstyle="round,pad=0,rounding_size=0.18",
            facecolor=fill,
            edgecolor=theme.edge,
            linewidth=width,
            linestyle=dash,
            zorder=3,
            gid=f"quality:{quality.key}",
        )
        ax.add_patch(box)
        patches[quality.key] = box
        name = "\n".join(textwrap.wrap(quality.name, 14, break_long_words=False))
        label = ax.text(
            x,
            y,
            name,
            ha="center",
            va="top",
            fontsize=name_size,
            fontweight="bold",
            color=ink,
            parse_math=False,
            zorder=4,
            gid=f"quality-label:{quality.key}",
        )
        texts = [label]
        if scores is not None:
            texts.append(
                ax.text(
                    x,
                    y,
                    _score_text(score),
                    ha="center",
                    va="top",
                    fontsize=body_size,
                    fontstyle="normal" if rated else "italic",
                    color=ink,
                    parse_math=False,
                    zorder=4,
                    gid=f"quality-score:{quality.key}",
                )
            )
        for text in texts:
            _fit_width(text, 0.92 * _BOX_W / unit, theme.small_text)
        _stack(texts, x, y, gap=0.25 * body_size * unit)

    # Monologues outside, each with an arc showing which way it flows.
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
        patches[mono.key] = circle
        ax.text(
            cx,
            cy,
            mono.name,
            ha="center",
            va="center",
            fontsize=name_size * 1.1,
            fontweight="bold",
            color=theme.text,
            parse_math=False,
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
            parse_math=False,
            zorder=4,
            gid=f"flow-label:{mono.key}",
        )
    ax.text(
        0,
        -_RY - 0.55,
        "Outside the circle: monologue,\nthe qualities of individuals (self or others)",
        ha="center",
        va="top",
        fontsize=body_size,
        fontstyle="italic",
        color=theme.text,
        parse_math=False,
        gid="region:monologue",
    )

    # The choice point at the top of the circle.
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
        parse_math=False,
        zorder=6,
        gid="choice-label",
    )

    if steps:
        _draw_path(ax, steps, patches, theme, lw, body_size)


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


def update_mobius_map(ax: Axes, *, qualities: Mapping[str, float | None]) -> list[Any] | None:
    """Re-shade a map drawn by :func:`plot_mobius_map` with ``qualities`` for new scores.

    Changes the boxes and their texts in place, so a long-lived figure can be
    repainted without drawing it again. Call it in the style the map was drawn in
    (inside its ``style_context``).

    Returns
    -------
    list of Artist or None
        The artists changed; ``None`` when ``ax`` holds no rated Mobius map, to ask
        for a full redraw.

    Raises
    ------
    ValueError
        As :func:`plot_mobius_map` does, for an unknown quality or a bad score.
    """
    model = mobius_model()
    scores = _check_scores(model, qualities)
    boxes = {p.get_gid(): p for p in ax.patches}
    texts = {t.get_gid(): t for t in ax.texts}
    parts = {}
    for q in model.qualities:
        found = (
            boxes.get(f"quality:{q.key}"),
            texts.get(f"quality-label:{q.key}"),
            texts.get(f"quality-score:{q.key}"),
        )
        if None in found:
            return None
        parts[q.key] = found
    theme = current_theme()
    body_size = max(theme.small_text, theme.label_size * 0.9)
    unit = units_per_point(ax)
    changed: list[Any] = []
    n = len(model.qualities)
    for i, quality in enumerate(model.qualities):
        box, label, score_text = parts[quality.key]
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


def _is_clear(point: np.ndarray, patches: dict[str, Patch]) -> bool:
    """Whether a path number at ``point`` would sit clear of nodes and the centre labels."""
    x, y = point
    if abs(x) < 2.2 and abs(y) < 1.3:  # "Dialogue" and its caption
        return False
    for patch in patches.values():
        if isinstance(patch, Circle):
            cx, cy = patch.center
            if math.hypot(x - cx, y - cy) < _MONO_R + _FLOW_GAP + 0.25:
                return False
        elif (
            patch.get_x() - 0.25 < x < patch.get_x() + patch.get_width() + 0.25
            and patch.get_y() - 0.25 < y < patch.get_y() + patch.get_height() + 0.25
        ):
            return False
    return True


def _draw_path(
    ax: Axes,
    steps: list[str],
    patches: dict[str, Patch],
    theme: Theme,
    lw: float,
    size: float,
) -> None:
    colour = theme.accent
    bg = plt.rcParams["axes.facecolor"]
    number_box = {
        "boxstyle": "circle,pad=0.22",
        "facecolor": colour,
        "edgecolor": bg,
        "linewidth": 1.5,
    }

    def centre(tag: str) -> np.ndarray:
        patch = patches[tag]
        if isinstance(patch, Circle):
            return np.array(patch.center, dtype=float)
        return np.array(
            [patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2]
        )

    def outward(tag: str) -> np.ndarray:
        # Boxes: away from the centre of the map. Monologues: towards it, where the gap
        # in the flow arc leaves room.
        c = centre(tag)
        u = c / (np.linalg.norm(c) or 1)
        return -u if tag in MONOLOGUE_KEYS else u

    # "Start" sits inside a monologue's circle above its name, or just above a quality box.
    first = centre(steps[0])
    lift = 0.3 if steps[0] in MONOLOGUE_KEYS else _BOX_H / 2 + 0.1
    ax.text(
        first[0],
        first[1] + lift,
        "Start",
        ha="center",
        va="bottom",
        fontsize=size,
        fontweight="bold",
        color=colour,
        parse_math=False,
        zorder=9,
        gid="path-start",
        bbox=text_box(pad=0.15, edgecolor=colour, linewidth=1.5),
    )
    for n, (a_tag, b_tag) in enumerate(itertools.pairwise(steps), start=1):
        a, b = centre(a_tag), centre(b_tag)
        if a_tag == b_tag:
            # Staying on the same tag: a small loop just outside the node.
            u = outward(a_tag)
            perp = np.array([-u[1], u[0]])
            base = a + u * (_reach(a_tag, u) + 0.08)
            p0, p1 = base + perp * 0.45, base - perp * 0.45
            rad = -1.0  # negative bulges along u, away from the node
            arrow = FancyArrowPatch(
                p0,
                p1,
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>",
                mutation_scale=12 + 4 * lw,
                linewidth=theme.arrow_width,
                color=colour,
                zorder=8,
                shrinkA=0,
                shrinkB=0,
                gid=f"path-arrow:{n}",
            )
            label_at = _arc3_point(p0, p1, rad) + u * 0.3
        else:
            # Bow each arrow away from the middle of the map, where the labels sit.
            # (but not through the choice point at the top).
            rad = 0.16
            if np.linalg.norm(_arc3_point(a, b, -rad)) > np.linalg.norm(_arc3_point(a, b, rad)):
                rad = -rad
            mid = _arc3_point(a, b, rad)
            if abs(mid[0]) < 1.5 and mid[1] > _RY - 0.5:
                rad = -rad
            arrow = FancyArrowPatch(
                a,
                b,
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>",
                patchA=patches[a_tag],
                patchB=patches[b_tag],
                mutation_scale=14 + 5 * lw,
                linewidth=theme.arrow_width,
                color=colour,
                shrinkA=2,
                shrinkB=4,
                zorder=8,
                gid=f"path-arrow:{n}",
            )
            u = (b - a) / np.linalg.norm(b - a)
            visible = np.linalg.norm(b - a) - _reach(a_tag, u) - _reach(b_tag, -u)
            if visible < 1.6:
                # Too short to carry its number: put the number beside it, on the bow side.
                d = b - a
                side = np.sign(rad) * np.array([d[1], -d[0]]) / np.linalg.norm(d)
                label_at = _arc3_point(a, b, rad) + side * 0.45
            else:
                label_at = next(
                    (
                        p
                        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
                        if _is_clear(p := _arc3_point(a, b, rad, t), patches)
                    ),
                    _arc3_point(a, b, rad, 0.5),
                )
        ax.add_patch(arrow)
        ax.text(
            *label_at,
            str(n),
            ha="center",
            va="center",
            fontsize=size,
            fontweight="bold",
            color=bg,
            parse_math=False,
            zorder=9,
            bbox=number_box,
            gid=f"path-number:{n}",
        )


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
        if nxt is None:
            lines.append("No rated quality is missing.")
        else:
            lines.append(
                f"Next conversation: {nxt.name}, the first quality in the model's order "
                "rated missing."
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
