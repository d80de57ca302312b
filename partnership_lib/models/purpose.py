"""Purpose of partnership: Pratt, Plamping and Gordon's quadrant (Pratt et al 1998).

The horizontal axis is the kind of goals partners seek, from individual (left) to
collective (right); the vertical axis is predictability, from predictable (bottom) to
unpredictable (top). The four characteristics are competition (individual,
predictable), co-operation (individual, unpredictable), co-ordination (collective,
predictable) and co-evolution (collective, unpredictable). Seven necessary conditions
support co-evolving partnerships.

Content lives in ``data/purpose.yaml``.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from matplotlib.transforms import ScaledTranslation

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import chars_per_line, new_axes, text_box
from partnership_lib.core import content
from partnership_lib.core.style import Theme, current_theme, in_active_style, style_context

__all__ = [
    "GOALS",
    "MIDPOINT",
    "PREDICTABILITY",
    "Characteristic",
    "Condition",
    "PurposeAxis",
    "PurposeModel",
    "axis_label",
    "characteristic_at",
    "describe_purpose_quadrant",
    "plot_purpose_quadrant",
    "purpose_model",
    "table_purpose_quadrant",
    "update_purpose_quadrant",
]

#: Goals run from individual (low) to collective (high).
GOALS = ("individual", "collective")
#: Predictability runs from predictable (low) to unpredictable (high).
PREDICTABILITY = ("predictable", "unpredictable")
#: Both scales run 0..10; a value at the midpoint counts as collective / unpredictable.
SCALE = (0.0, 10.0)
MIDPOINT = 5.0

_CONTENT = "purpose"


@dataclass(frozen=True, slots=True)
class Characteristic:
    """One quadrant: its place on both axes and what it means."""

    key: str
    name: str
    goals: str  # "individual" or "collective"
    predictability: str  # "predictable" or "unpredictable"
    meaning: str


@dataclass(frozen=True, slots=True)
class Condition:
    """A necessary condition for a co-evolving partnership."""

    key: str
    name: str
    meaning: str


@dataclass(frozen=True, slots=True)
class PurposeAxis:
    """One axis: its name, the labels at its low and high ends, and what it measures."""

    name: str
    low: str
    high: str
    meaning: str


@dataclass(frozen=True, slots=True)
class PurposeModel:
    """The quadrant: two axes, four characteristics (one per quadrant) and the conditions.

    :func:`purpose_model` checks that each quadrant has exactly one characteristic and
    that condition keys are unique; the schema checks the rest.
    """

    name: str
    source: str
    title: str
    description: str
    goals_axis: PurposeAxis
    predictability_axis: PurposeAxis
    characteristics: tuple[Characteristic, ...]
    conditions: tuple[Condition, ...]

    def at(self, goals: str, predictability: str) -> Characteristic:
        """The characteristic for a quadrant, e.g. ``at("collective", "unpredictable")``."""
        for c in self.characteristics:
            if (c.goals, c.predictability) == (goals, predictability):
                return c
        raise ValueError(f"no quadrant for goals {goals!r} and predictability {predictability!r}")

    def characteristic(self, key_or_name: str) -> Characteristic:
        """A characteristic by key or name (any case)."""
        wanted = str(key_or_name).strip().casefold().replace("-", "_")
        for c in self.characteristics:
            if wanted in (c.key, c.name.casefold().replace("-", "_")):
                return c
        known = ", ".join(c.name for c in self.characteristics)
        raise ValueError(f"unknown characteristic {key_or_name!r}; characteristics: {known}")


def purpose_model() -> PurposeModel:
    """Load the purpose-of-partnership model from ``data/purpose.yaml``.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When the file is malformed (the message names file, entry and field).
    """
    data = content.load(_CONTENT)
    characteristics = tuple(Characteristic(**raw) for raw in data["characteristics"])
    conditions = tuple(Condition(**raw) for raw in data["conditions"])
    _check_quadrants_and_conditions(characteristics, conditions)
    return PurposeModel(
        name=data["name"],
        source=data["source"],
        title=data["title"],
        description=data["description"],
        goals_axis=PurposeAxis(**data["goals_axis"]),
        predictability_axis=PurposeAxis(**data["predictability_axis"]),
        characteristics=characteristics,
        conditions=conditions,
    )


def _check_quadrants_and_conditions(
    characteristics: tuple[Characteristic, ...], conditions: tuple[Condition, ...]
) -> None:
    """What the schema cannot say: one characteristic per quadrant, unique condition keys."""
    path = content.data_dir() / f"{_CONTENT}.yaml"
    places = [(c.goals, c.predictability) for c in characteristics]
    if sorted(places) != sorted((g, p) for g in GOALS for p in PREDICTABILITY):
        raise content.ContentError(
            path,
            "needs exactly one characteristic in each quadrant, got "
            + ", ".join(f"{c.name} ({c.goals}, {c.predictability})" for c in characteristics),
            entry="characteristics",
        )
    seen: set[str] = set()
    for condition in conditions:
        if condition.key in seen:
            raise content.ContentError(
                path,
                f"duplicate condition key {condition.key!r}",
                entry=f"conditions/{condition.key}",
                field="key",
            )
        seen.add(condition.key)


def _check_coordinate(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number from 0 to 10, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if not SCALE[0] <= value <= SCALE[1]:
        raise ValueError(f"{name} must be between 0 and 10, got {value!r}")
    return float(value)


def characteristic_at(goals: float, predictability: float) -> Characteristic:
    """Which characteristic a partnership at ``(goals, predictability)`` shows.

    Both scales run from 0 to 10: goals from individual (0) to collective (10),
    predictability from predictable (0) to unpredictable (10). The midpoint, 5.0, counts
    as collective and as unpredictable, so the top-right quadrant owns both dividing lines.

    Raises
    ------
    ValueError
        For a value that is not a finite number from 0 to 10.

    Examples
    --------
    >>> characteristic_at(2, 2).name
    'Competition'
    >>> characteristic_at(5, 5).name
    'Co-evolution'
    """
    g = _check_coordinate("goals", goals)
    p = _check_coordinate("predictability", predictability)
    return purpose_model().at(
        GOALS[g >= MIDPOINT],
        PREDICTABILITY[p >= MIDPOINT],
    )


def _check_position(position: Any) -> tuple[float, float] | None:
    if position is None:
        return None
    try:
        goals, predictability = position
    except (TypeError, ValueError):
        raise ValueError(
            f"position must be a (goals, predictability) pair on 0..10, got {position!r}"
        ) from None
    return (
        _check_coordinate("goals", goals),
        _check_coordinate("predictability", predictability),
    )


def _check_label(label: Any) -> str:
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"label must be non-empty text, got {label!r}")
    return label.strip()


# --------------------------------------------------------------------------- plot

# Quadrant order used by Theme.quadrant_fills: top right, bottom right, top left, bottom left.
_THEME_ORDER = (
    ("collective", "unpredictable"),
    ("collective", "predictable"),
    ("individual", "unpredictable"),
    ("individual", "predictable"),
)


def plot_purpose_quadrant(
    *,
    position: tuple[float, float] | None = None,
    label: str = "Your partnership",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the purpose-of-partnership quadrant, optionally with the learner's partnership.

    Parameters
    ----------
    position
        ``(goals, predictability)``, each 0..10, for the learner's partnership; no point
        is drawn when ``None``.
    label
        Text beside the point (drawn literally: ``$``, ``_`` and ``\\`` are not markup).
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to the point's ``Axes.scatter`` call.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids: ``"quadrant:<key>"`` (fill), ``"quadrant-label:<key>"``,
    ``"quadrant-meaning:<key>"``, ``"point"``, ``"point-label"``.
    """
    model = purpose_model()
    pos = _check_position(position)
    text = _check_label(label)
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.12, h_pad=0.1)
        _draw_quadrant(ax, model, pos, text, theme, kwargs)
    return ax


def _draw_quadrant(
    ax: Axes,
    model: PurposeModel,
    pos: tuple[float, float] | None,
    label: str,
    theme: Theme,
    kwargs: dict[str, Any],
) -> None:
    gx, py = model.goals_axis, model.predictability_axis
    ax.set_xlim(*SCALE)
    ax.set_ylim(*SCALE)
    ax.set_xticks([0, MIDPOINT, 10], [gx.low, "", gx.high])
    ax.set_yticks([0, MIDPOINT, 10], [py.low, "", py.high])
    for tick, align in zip(ax.get_xticklabels(), ("left", "center", "right"), strict=True):
        tick.set_horizontalalignment(align)
    for tick, align in zip(ax.get_yticklabels(), ("bottom", "center", "top"), strict=True):
        tick.set_verticalalignment(align)
        tick.set_rotation(90)
    ax.tick_params(length=0)
    ax.set_xlabel(axis_label(gx))
    ax.set_ylabel(axis_label(py))
    ax.set_title(f"{model.name} ({model.source})", loc="left")

    name_size = theme.label_size * 1.4
    body_size = max(theme.small_text, theme.label_size * 0.9)
    wrap = chars_per_line(ax, 3.3, body_size, em=0.56, minimum=10)
    for i, (goals, pred) in enumerate(_THEME_ORDER):
        c = model.at(goals, pred)
        x0 = 0 if goals == "individual" else MIDPOINT
        y0 = 0 if pred == "predictable" else MIDPOINT
        quadrant = Rectangle(
            (x0, y0),
            MIDPOINT,
            MIDPOINT,
            facecolor=theme.quadrant_fills[i],
            hatch=theme.quadrant_hatches[i] or None,
            edgecolor=theme.edge,
            linewidth=plt.rcParams["patch.linewidth"],
            zorder=0,
            gid=f"quadrant:{c.key}",
        )
        if quadrant.get_hatch():
            quadrant.set_hatchcolor(to_rgba(theme.edge, 0.45))  # pattern, not foreground
        ax.add_patch(quadrant)
        backing = text_box(pad=0.2) if theme.quadrant_hatches[i] else None
        _quadrant_text(ax, c, name_size, body_size, wrap, backing, theme.quadrant_text)
    _place_quadrant_texts(ax, model, pos)

    if pos is not None:
        point_kws = {
            "s": theme.point_size * 2.2,
            "color": theme.accent,
            "marker": "*",
            "edgecolors": theme.edge,
            "linewidths": 1.2,
        }
        point_kws.update(kwargs)
        ax.scatter([pos[0]], [pos[1]], zorder=5, gid="point", **point_kws)
        note = ax.annotate(
            label,
            xy=pos,
            xytext=(16, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=body_size,
            fontweight="bold",
            color=theme.text,
            zorder=6,
            bbox=text_box(edgecolor=theme.accent, linewidth=1.5),
            gid="point-label",
        )
        _place_label(ax, note, _quadrant_texts(ax, model))


def axis_label(axis: PurposeAxis) -> str:
    """An axis title that says which way the axis runs.

    "Predictability: predictable → unpredictable": the arrow points the way the axis
    runs (right, or up once the title is turned for the vertical axis), from the label
    at its low end to the one at its high end, so the title agrees with the end labels.
    A bare "Predictability ↑" would say the top is the more predictable end.
    """
    return f"{axis.name}: {axis.low.lower()} \u2192 {axis.high.lower()}"


def _quadrant_text(
    ax: Axes,
    c: Characteristic,
    name_size: float,
    body_size: float,
    wrap: int,
    backing: dict[str, Any] | None,
    colour: str,
) -> None:
    """A quadrant's name and meaning, placed later by :func:`_set_quadrant_text`."""
    common = {
        "ha": "left" if c.goals == "individual" else "right",
        "color": colour,
        "zorder": 2,
        "bbox": backing,
    }
    ax.text(
        0, 0, c.name, fontsize=name_size, fontweight="bold", gid=f"quadrant-label:{c.key}", **common
    )
    meaning = "\n".join(textwrap.wrap(c.meaning, wrap))
    ax.text(0, 0, meaning, fontsize=body_size, gid=f"quadrant-meaning:{c.key}", **common)


def _quadrant_texts(ax: Axes, model: PurposeModel) -> list[Any]:
    found = {t.get_gid(): t for t in ax.texts}
    return [
        found[f"{kind}:{c.key}"]
        for c in model.characteristics
        for kind in ("quadrant-label", "quadrant-meaning")
    ]


def _set_quadrant_text(ax: Axes, c: Characteristic, name: Any, body: Any, *, top: bool) -> bool:
    """Put name and meaning in the quadrant's outer left/right corner, at its top or bottom.

    Both are anchored at one point in data coordinates; the gap between them is an offset
    in points, so it does not depend on the Axes' size. Returns whether they moved.
    """
    x0 = 0 if c.goals == "individual" else MIDPOINT
    y0 = 0 if c.predictability == "predictable" else MIDPOINT
    x = x0 + 0.3 if c.goals == "individual" else x0 + MIDPOINT - 0.3
    if top:
        y, va = y0 + MIDPOINT - 0.3, "top"
        shifts = (0.0, -name.get_fontsize() * 1.6)
    else:
        y, va = y0 + 0.3, "bottom"
        lines = body.get_text().count("\n") + 1
        shifts = (lines * 1.2 * body.get_fontsize() + 0.5 * name.get_fontsize(), 0.0)
    if name.get_verticalalignment() == va and tuple(name.get_position()) == (x, y):
        return False
    for text, shift in zip((name, body), shifts, strict=True):
        text.set_position((x, y))
        text.set_verticalalignment(va)
        text.set_transform(
            ax.transData + ScaledTranslation(0, shift / 72, ax.figure.dpi_scale_trans)
        )
    return True


def _place_quadrant_texts(
    ax: Axes, model: PurposeModel, pos: tuple[float, float] | None
) -> list[Any]:
    """Place every quadrant's name and meaning; return the texts that moved.

    Text sits in each quadrant's outer corner, leaving the middle of the chart, where
    mixed partnerships land, free for the learner's point. If the point still lands on
    the text, the text moves to the quadrant's other edge.
    """
    found = {t.get_gid(): t for t in ax.texts}
    moved: list[Any] = []
    for c in model.characteristics:
        name, body = found[f"quadrant-label:{c.key}"], found[f"quadrant-meaning:{c.key}"]
        was = (name.get_verticalalignment(), tuple(name.get_position()))
        outer_top = c.predictability == "unpredictable"
        _set_quadrant_text(ax, c, name, body, top=outer_top)
        if pos is not None and _covers(ax, [name, body], pos):
            _set_quadrant_text(ax, c, name, body, top=not outer_top)
        if (name.get_verticalalignment(), tuple(name.get_position())) != was:
            moved += [name, body]
    return moved


def _covers(ax: Axes, texts: list[Any], pos: tuple[float, float]) -> bool:
    """Whether the point (with a margin for the marker) falls on any of the texts."""
    x, y = ax.transData.transform(pos)
    margin = 20 * ax.figure.dpi / 72
    return any(
        b.x0 - margin <= x <= b.x1 + margin and b.y0 - margin <= y <= b.y1 + margin
        for b in (t.get_window_extent() for t in texts)
    )


def _place_label(ax: Axes, note: Any, blocks: list[Any]) -> None:
    """Put the label beside, above, below or diagonally off the point: inside, least overlap."""
    frame = ax.get_window_extent()
    taken = [b.get_window_extent() for b in blocks]
    gap = 16
    options = [
        ((gap, 0), "left", "center"),
        ((-gap, 0), "right", "center"),
        ((0, gap), "center", "bottom"),
        ((0, -gap), "center", "top"),
        ((gap, -gap / 2), "left", "top"),
        ((gap, gap / 2), "left", "bottom"),
        ((-gap, -gap / 2), "right", "top"),
        ((-gap, gap / 2), "right", "bottom"),
    ]

    def cost(option: tuple) -> float:
        offset, ha, va = option
        note.set_position(offset)
        note.set_horizontalalignment(ha)
        note.set_verticalalignment(va)
        box = note.get_window_extent()
        outside = max(0, frame.x0 - box.x0) + max(0, box.x1 - frame.x1)
        outside += max(0, frame.y0 - box.y0) + max(0, box.y1 - frame.y1)
        overlap = 0.0
        for t in taken:
            w = min(box.x1, t.x1) - max(box.x0, t.x0)
            h = min(box.y1, t.y1) - max(box.y0, t.y0)
            if w > 0 and h > 0:
                overlap += w * h
        return outside * 1e6 + overlap

    best = min(options, key=cost)
    cost(best)  # leave the note at the best option


@in_active_style
def update_purpose_quadrant(
    ax: Axes,
    *,
    position: tuple[float, float] | None = None,
    label: str = "Your partnership",
    **kwargs: Any,
) -> list[Any] | None:
    """Move the learner's point on a drawn :func:`plot_purpose_quadrant`, in place.

    The star, its label and any quadrant text the point now lands on (or leaves) move
    to where a fresh :func:`plot_purpose_quadrant` with the same arguments puts them.

    Returns
    -------
    list of Artist or None
        The artists that changed (``[]`` when nothing did); ``None`` when ``ax`` is not
        a purpose quadrant, the point appears or disappears, or ``kwargs`` restyle it,
        so the chart must be drawn in full.

    Raises
    ------
    ValueError
        For a bad position or label, as :func:`plot_purpose_quadrant` does.
    """
    model = purpose_model()
    pos = _check_position(position)
    text = _check_label(label)
    found = {a.get_gid(): a for a in (*ax.collections, *ax.texts)}
    point, note = found.get("point"), found.get("point-label")
    quadrants = [f"quadrant-label:{c.key}" for c in model.characteristics]
    if kwargs or not all(k in found for k in quadrants) or (point is None) != (pos is None):
        return None
    if pos is None:
        return []
    changed: list[Any] = []
    if not np.allclose(point.get_offsets(), [pos]):
        point.set_offsets([pos])
        changed.append(point)
    changed += _place_quadrant_texts(ax, model, pos)
    before = (note.get_text(), tuple(note.xy), note.get_position(), note.get_ha(), note.get_va())
    note.set_text(text)
    note.xy = pos
    _place_label(ax, note, _quadrant_texts(ax, model))
    after = (note.get_text(), tuple(note.xy), note.get_position(), note.get_ha(), note.get_va())
    if after != before:
        changed.append(note)
    return changed


def describe_purpose_quadrant(
    *, position: tuple[float, float] | None = None, label: str = "Your partnership"
) -> str:
    """Plain-text twin of :func:`plot_purpose_quadrant`, for screen readers and alt text."""
    model = purpose_model()
    pos = _check_position(position)
    text = _check_label(label)
    gx, py = model.goals_axis, model.predictability_axis
    lines = [
        f"Quadrant chart: {model.name} ({model.source}, {model.title}).",
        f"Horizontal axis: {gx.name.lower()}, from {gx.low.lower()} on the left to "
        f"{gx.high.lower()} on the right. Vertical axis: {py.name.lower()}, from "
        f"{py.low.lower()} at the bottom to {py.high.lower()} at the top.",
    ]
    where = {
        ("individual", "unpredictable"): "Top left",
        ("collective", "unpredictable"): "Top right",
        ("individual", "predictable"): "Bottom left",
        ("collective", "predictable"): "Bottom right",
    }
    for place in (
        ("individual", "unpredictable"),
        ("collective", "unpredictable"),
        ("individual", "predictable"),
        ("collective", "predictable"),
    ):
        c = model.at(*place)
        lines.append(f"{where[place]}: {c.name} ({c.goals} goals, {c.predictability}). {c.meaning}")
    if pos is not None:
        c = characteristic_at(*pos)
        lines.append(
            f"{text} is marked at goals {pos[0]:g} and predictability {pos[1]:g} out of 10, "
            f"in the {c.name} quadrant ({c.goals} goals, {c.predictability})."
        )
    return "\n".join(lines)


def table_purpose_quadrant(
    *, position: tuple[float, float] | None = None, label: str = "Your partnership"
) -> ChartTable:
    """The quadrants of :func:`plot_purpose_quadrant` as a table, with the marked point.

    One row per characteristic (top left, top right, bottom left, bottom right): its
    place, its goals and predictability, and what it means. With ``position``, a column
    headed ``label`` gives the point's scores in the row of the quadrant it falls in.
    """
    model = purpose_model()
    pos = _check_position(position)
    text = _check_label(label)
    gx, py = model.goals_axis, model.predictability_axis
    ends = dict(zip(GOALS, (gx.low, gx.high), strict=True))
    ends |= dict(zip(PREDICTABILITY, (py.low, py.high), strict=True))
    columns: tuple[str, ...] = ("Characteristic", "Place", gx.name, py.name, "What it means")
    marked = characteristic_at(*pos) if pos is not None else None
    if pos is not None:
        columns += (text,)
    rows = []
    for goals, pred in (
        ("individual", "unpredictable"),
        ("collective", "unpredictable"),
        ("individual", "predictable"),
        ("collective", "predictable"),
    ):
        c = model.at(goals, pred)
        place = ("Top" if pred == "unpredictable" else "Bottom") + (
            " left" if goals == "individual" else " right"
        )
        row: tuple[Any, ...] = (c.name, place, ends[goals], ends[pred], c.meaning)
        if pos is not None:
            here = marked is not None and marked.key == c.key
            where = f"Here: {gx.name.lower()} {pos[0]:g}, {py.name.lower()} {pos[1]:g} out of 10"
            row += (where if here else None,)
        rows.append(row)
    return ChartTable(f"{model.name} ({model.source})", columns, tuple(rows))


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_purpose_quadrant,
    describe=describe_purpose_quadrant,
    table=table_purpose_quadrant,
    update=update_purpose_quadrant,
)
