"""Learning cycles: Kolb's experiential learning cycle and the personal learning log.

Kolb (1984) describes learning as a cycle of concrete experience, reflective
observation, abstract conceptualisation and active experimentation; the workbook
compares a partnership's lifecycle to it. The workbook's personal learning log follows
a similar cycle: experience, reflect, conclude, plan. Content lives in
``data/learning_cycles.yaml``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import HERE, arc_arrow, new_axes, points_wide, units_per_point
from partnership_lib.charts.pieces import Piece, draw_pieces, drawn_pieces, sync_pieces
from partnership_lib.core import content
from partnership_lib.core.style import Theme, current_theme, in_active_style, style_context

__all__ = [
    "CycleStage",
    "LearningCycle",
    "describe_kolb_cycle",
    "learning_cycle",
    "learning_cycles",
    "plot_kolb_cycle",
    "table_kolb_cycle",
    "update_kolb_cycle",
]

_CONTENT = "learning_cycles"


@dataclass(frozen=True, slots=True)
class CycleStage:
    """One stage of a learning cycle and the question it asks the learner."""

    key: str
    name: str
    prompt: str


@dataclass(frozen=True, slots=True)
class LearningCycle:
    """A named cycle of at least three stages; the last stage leads back to the first."""

    key: str
    name: str
    source: str
    stages: tuple[CycleStage, ...]

    def stage(self, key_or_name: str | CycleStage) -> CycleStage:
        """A stage by key or name (case-insensitive).

        Raises
        ------
        ValueError
            Naming the unknown stage and listing this cycle's stages.
        """
        if isinstance(key_or_name, CycleStage):
            key_or_name = key_or_name.key
        wanted = str(key_or_name).strip().casefold()
        for s in self.stages:
            if wanted in (s.key, s.name.casefold()):
                return s
        known = ", ".join(s.name for s in self.stages)
        raise ValueError(
            f"unknown stage {key_or_name!r} for cycle {self.key!r}; its stages are: {known}"
        )


def learning_cycles() -> dict[str, LearningCycle]:
    """Load every learning cycle: ``kolb`` and ``learning_log``.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When ``data/learning_cycles.yaml`` is malformed.
    """
    data = content.load(_CONTENT)
    cycles: dict[str, LearningCycle] = {}
    for raw in data["cycles"]:
        key = raw["key"]
        stages = tuple(CycleStage(**s) for s in raw["stages"])
        _check_unique_stages(key, stages)
        if key in cycles:
            with content.content_entry(_CONTENT, f"cycles/{key}"):
                raise ValueError(f"duplicate cycle key {key!r}")
        cycles[key] = LearningCycle(key=key, name=raw["name"], source=raw["source"], stages=stages)
    return cycles


def _check_unique_stages(cycle_key: str, stages: Sequence[CycleStage]) -> None:
    """What the schema cannot say: no two stages share a key or (ignoring case) a name."""
    seen: dict[str, set[str]] = {"key": set(), "name": set()}
    for stage in stages:
        for field, value in (("key", stage.key), ("name", stage.name.casefold())):
            if value in seen[field]:
                raise content.ContentError(
                    content.data_dir() / f"{_CONTENT}.yaml",
                    f"duplicate stage {field} {getattr(stage, field)!r}",
                    entry=f"cycles/{cycle_key}",
                    field="stages",
                )
            seen[field].add(value)


def learning_cycle(key: str | LearningCycle) -> LearningCycle:
    """One cycle by key (or pass a :class:`LearningCycle` through).

    Raises
    ------
    ValueError
        Naming the unknown key and listing the known ones.
    """
    if isinstance(key, LearningCycle):
        return key
    cycles = learning_cycles()
    try:
        return cycles[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown learning cycle {key!r}; known cycles: {', '.join(cycles)}"
        ) from None


# --------------------------------------------------------------------------- plot

_RX, _RY = 5.3, 2.65  # the ellipse the stages sit on
_RX_COMPACT = 4.6  # narrower when compact, leaving room beside the side stages' names
_XLIM = (-8.2, 8.2)
_YLIM = (-4.1, 4.1)


def _angle(i: int, n: int) -> float:
    """Degrees: the first stage at the top, the rest following clockwise."""
    return 90 - 360 * i / n


def _stage_xy(i: int, n: int, *, compact: bool = False) -> tuple[float, float]:
    a = math.radians(_angle(i, n))
    return (_RX_COMPACT if compact else _RX) * math.cos(a), _RY * math.sin(a)


def _where(i: int, n: int) -> str:
    x, y = _stage_xy(i, n)
    vert = "top" if y > 0.5 else "bottom" if y < -0.5 else ""
    horiz = "right" if x > 0.5 else "left" if x < -0.5 else ""
    return " ".join(p for p in (vert, horiz) if p) or "centre"


def plot_kolb_cycle(
    *,
    model: str | LearningCycle = "kolb",
    current: str | None = None,
    compact: bool = False,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a learning cycle: stages round a loop with curved arrows running clockwise.

    Parameters
    ----------
    model
        ``"kolb"`` (default), ``"learning_log"``, or a :class:`LearningCycle`.
    current
        Key or name of the stage to highlight ("You are here").
    compact
        Draw the stage names only (no questions), on a figure half the style's width
        when ``ax`` is ``None``: a small picture to sit above a form that asks the
        questions itself. The projector style, which exists to fill a screen, keeps
        its full size.
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to each stage's box patch.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids: ``"stage:<key>"`` (box), ``"stage-label:<key>"``, ``"stage-prompt:<key>"``
    (not in a compact cycle), ``"cycle-arrow:<n>"`` (arc line from stage n to the next,
    n from 1), ``"cycle-arrow-head:<n>"``, ``"current-marker"``.
    :func:`update_kolb_cycle` moves the highlight in place.
    """
    cycle = learning_cycle(model)
    cur = cycle.stage(current) if current is not None else None
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.12, h_pad=0.1)
            if compact and theme.name != "projector":
                full, _height = ax.figure.get_size_inches()
                width = min(full, max(full * _COMPACT, _compact_width(ax, cycle, theme)))
                ax.figure.set_size_inches(width, width * _COMPACT_TALL)
        ax.set_xlim(*_XLIM)
        ax.set_ylim(*_YLIM)
        ax.set_aspect("equal")
        ax.set_axis_off()
        title = ax.set_title(f"{cycle.name} ({cycle.source})", loc="left")
        if compact:  # a narrow figure: the title wraps to fit it
            chars = ax.figure.get_figwidth() * 72 / (0.6 * title.get_fontsize())
            title.set_text("\n".join(textwrap.wrap(title.get_text(), max(20, int(chars)))))
        draw_pieces(ax, _cycle_pieces(ax, cycle, cur, compact, theme, kwargs))
    return ax


@in_active_style
def update_kolb_cycle(
    ax: Axes,
    *,
    model: str | LearningCycle = "kolb",
    current: str | None = None,
    compact: bool = False,
    **kwargs: Any,
) -> list[Any] | None:
    """Move the highlight of a cycle drawn by :func:`plot_kolb_cycle` in place.

    Only the stages whose highlight changed, and the arrows beside them, are drawn
    again; the cycle then looks as ``plot_kolb_cycle(model=model, current=current,
    compact=compact, **kwargs)`` draws it on the same Axes. Call it in the style the
    cycle was drawn in (a live chart does).

    Returns
    -------
    list of Artist or None
        The artists drawn anew; ``None`` when ``ax`` holds no drawing of this cycle, to
        ask for a full draw.
    """
    cycle = learning_cycle(model)
    cur = cycle.stage(current) if current is not None else None
    have = drawn_pieces(ax)
    if any(f"stage:{s.key}" not in have for s in cycle.stages):
        return None
    theme = current_theme()
    return sync_pieces(ax, _cycle_pieces(ax, cycle, cur, compact, theme, kwargs))


#: A compact cycle's figure is this share of the style's figure width (wider only when
#: its stage names need it) ...
_COMPACT = 0.5
#: ... and this much as tall as it is wide (the cycle is twice as wide as it is tall,
#: and the title may take two lines).
_COMPACT_TALL = 0.64


def _cycle_pieces(
    ax: Axes,
    cycle: LearningCycle,
    cur: CycleStage | None,
    compact: bool,
    theme: Theme,
    kwargs: Mapping[str, Any],
) -> list[Piece]:
    """The stages and the arrows between them, as pieces to draw or keep."""
    lw = plt.rcParams["lines.linewidth"]
    look = (
        theme.label_size * 1.2,
        max(theme.small_text, theme.label_size * 0.9),
        theme.text,
        theme.accent,
        theme.edge,
        theme.quadrant_fills[0],
        theme.quadrant_hatches[3] or None,
        plt.rcParams["axes.facecolor"],
        lw,
        units_per_point(ax),
        tuple((k, repr(v)) for k, v in kwargs.items()),
    )
    n = len(cycle.stages)
    stages = [
        _stage_piece(i, n, stage, cur is not None and stage.key == cur.key, compact, look, kwargs)
        for i, stage in enumerate(cycle.stages)
    ]
    arrows = [_arrow_piece(i, cycle, stages, compact, theme, lw) for i in range(n)]
    return stages + arrows


def _stage_piece(
    i: int,
    n: int,
    stage: CycleStage,
    is_current: bool,
    compact: bool,
    look: tuple,
    kwargs: Mapping[str, Any],
) -> Piece:
    """One stage: its box, its name, its question (not when compact) and the marker."""
    name_size, body_size, ink, accent, edge, fill, hatch, bg, lw, unit, _kws = look

    def draw(ax: Axes) -> list[Any]:
        x, y = _stage_xy(i, n, compact=compact)
        # Characters per line so a box is at most ~4.6 units wide.
        wrap = max(16, int(4.6 / unit / (0.56 * body_size)))
        lines = [] if not is_current else [(HERE, body_size, "bold", accent, "current-marker")]
        name, size = stage.name, name_size
        if compact:
            name = "\n".join(textwrap.wrap(stage.name, 12, break_long_words=False))
            size = _fitting_size(ax, name, name_size, body_size, x, unit)
        lines.append((name, size, "bold", ink, f"stage-label:{stage.key}"))
        if not compact:
            prompt = "\n".join(textwrap.wrap(stage.prompt, wrap))
            lines.append((prompt, body_size, "normal", ink, f"stage-prompt:{stage.key}"))
        heights = [(t.count("\n") + 1) * size * 1.22 * unit for t, size, *_ in lines]
        gap = 0.35 * body_size * unit
        total = sum(heights) + gap * (len(lines) - 1)
        top = y + total / 2
        artists, widths = [], []
        for (text, size, weight, colour, gid), h in zip(lines, heights, strict=True):
            artist = ax.text(
                x, top, text, ha="center", va="top", fontsize=size, fontweight=weight,
                color=colour, zorder=4, gid=gid,
            )  # fmt: skip
            artists.append(artist)
            widths.append(points_wide(artist) * unit)
            top -= h + gap
        pad = 0.6 * body_size * unit
        w, h = max(widths) + 2 * pad, total + 2 * pad
        box_kws = {
            "facecolor": fill if is_current else bg,
            "edgecolor": accent if is_current else edge,
            "linewidth": lw * (1.3 if is_current else 0.7),
            "hatch": hatch,
        }
        box_kws.update(kwargs)
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad=0,rounding_size={pad}",
            zorder=3, gid=f"stage:{stage.key}", **box_kws,
        )  # fmt: skip
        return [ax.add_patch(box), *artists]

    key = ("stage", i, n, stage.key, stage.name, stage.prompt, is_current, compact, look)
    return Piece(f"stage:{stage.key}", key, draw)


def _compact_width(ax: Axes, cycle: LearningCycle, theme: Theme) -> float:
    """Inches of figure a compact cycle needs so that each stage's name fits its place."""
    name_size = theme.label_size * 1.2
    pad = 2 * 0.6 * max(theme.small_text, theme.label_size * 0.9)
    n = len(cycle.stages)
    need = 0.0
    for i, stage in enumerate(cycle.stages):
        name = "\n".join(textwrap.wrap(stage.name, 12, break_long_words=False))
        probe = ax.text(0, 0, name, fontsize=name_size, fontweight="bold")
        box = (points_wide(probe) + pad) / 72
        probe.remove()
        x, _y = _stage_xy(i, n, compact=True)
        room = (_XLIM[1] - 0.1 - abs(x)) / (_XLIM[1] - _XLIM[0])  # share of the Axes
        need = max(need, box / (2 * room * 0.96))  # the Axes is ~96% of the figure
    return need


def _fitting_size(ax: Axes, name: str, size: float, floor: float, x: float, unit: float) -> float:
    """A font size (at least ``floor``) at which a stage name's box fits beside the edge."""
    room = (2 * (_XLIM[1] - abs(x)) - 0.2) / unit - 2 * 0.6 * floor  # points, less the pad
    probe = ax.text(0, 0, name, fontsize=size, fontweight="bold")
    wide = points_wide(probe)
    probe.remove()
    return size if wide <= room else max(floor, size * room / wide)


def _arrow_piece(
    i: int, cycle: LearningCycle, stages: list[Piece], compact: bool, theme: Theme, lw: float
) -> Piece:
    """The clockwise arc from stage ``i`` to the next, clipped to the gap between them."""
    n = len(cycle.stages)
    here, there = cycle.stages[i], cycle.stages[(i + 1) % n]

    def draw(ax: Axes) -> list[Any]:
        boxes = {p.get_gid(): p for p in ax.patches}
        a0 = _angle(i, n)
        angles = np.radians(np.linspace(a0, a0 - 360 / n, 240))
        xs, ys = (_RX_COMPACT if compact else _RX) * np.cos(angles), _RY * np.sin(angles)
        margin = 0.18
        outside = np.ones_like(xs, dtype=bool)
        for box in (boxes[f"stage:{here.key}"], boxes[f"stage:{there.key}"]):
            bx, by = box.get_x(), box.get_y()
            inside = (
                (xs > bx - margin)
                & (xs < bx + box.get_width() + margin)
                & (ys > by - margin)
                & (ys < by + box.get_height() + margin)
            )
            outside &= ~inside
        idx = np.flatnonzero(outside)
        if len(idx) < 8:
            return []  # boxes too close to leave room for an arrow
        before = len(ax.lines), len(ax.patches)
        gid = f"cycle-arrow:{i + 1}"
        arc_arrow(ax, xs[idx], ys[idx], theme, lw, gid=gid, head_gid=f"cycle-arrow-head:{i + 1}")
        return [*ax.lines[before[0] :], *ax.patches[before[1] :]]

    look = (theme.muted_text, theme.arrow_width, lw)
    key = ("arrow", stages[i].key, stages[(i + 1) % n].key, look)
    return Piece(f"cycle-arrow:{i + 1}", key, draw)


def describe_kolb_cycle(*, model: str | LearningCycle = "kolb", current: str | None = None) -> str:
    """Plain-text twin of :func:`plot_kolb_cycle`, for screen readers and alt text."""
    cycle = learning_cycle(model)
    cur = cycle.stage(current) if current is not None else None
    n = len(cycle.stages)
    lines = [
        f"Learning cycle: {cycle.name} ({cycle.source}). {n} stages sit round a loop, "
        "starting at the top; arrows run clockwise from each stage to the next and from the "
        f"last back to the first."
    ]
    for i, stage in enumerate(cycle.stages):
        lines.append(f"{i + 1}. {stage.name} ({_where(i, n)}): {stage.prompt}")
    if cur is not None:
        lines.append(f"You are here: {cur.name}, stage {cycle.stages.index(cur) + 1} of {n}.")
    return "\n".join(lines)


def table_kolb_cycle(
    *, model: str | LearningCycle = "kolb", current: str | None = None
) -> ChartTable:
    """The stages of :func:`plot_kolb_cycle` as a table, in the cycle's order.

    Columns: stage number, name, the question it asks, the stage the arrow leads on to
    (the last leads back to the first) and, when ``current`` is given, a "You are here"
    column marking it.
    """
    cycle = learning_cycle(model)
    cur = cycle.stage(current) if current is not None else None
    n = len(cycle.stages)
    columns = ("Stage", "Name", "Question", "Leads on to") + ((HERE,) if cur is not None else ())
    rows = []
    for i, stage in enumerate(cycle.stages):
        row: tuple[Any, ...] = (i + 1, stage.name, stage.prompt, cycle.stages[(i + 1) % n].name)
        if cur is not None:
            row += (stage.key == cur.key or None,)
        rows.append(row)
    return ChartTable(f"{cycle.name} ({cycle.source})", columns, tuple(rows))


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_kolb_cycle,
    describe=describe_kolb_cycle,
    table=table_kolb_cycle,
    update=update_kolb_cycle,
)
