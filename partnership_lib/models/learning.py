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
from partnership_lib.core import content
from partnership_lib.core.style import Theme, current_theme, style_context

__all__ = [
    "CycleStage",
    "LearningCycle",
    "describe_kolb_cycle",
    "learning_cycle",
    "learning_cycles",
    "plot_kolb_cycle",
    "table_kolb_cycle",
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
_XLIM = (-8.2, 8.2)
_YLIM = (-4.1, 4.1)


def _angle(i: int, n: int) -> float:
    """Degrees: the first stage at the top, the rest following clockwise."""
    return 90 - 360 * i / n


def _stage_xy(i: int, n: int) -> tuple[float, float]:
    a = math.radians(_angle(i, n))
    return _RX * math.cos(a), _RY * math.sin(a)


def _where(i: int, n: int) -> str:
    x, y = _stage_xy(i, n)
    vert = "top" if y > 0.5 else "bottom" if y < -0.5 else ""
    horiz = "right" if x > 0.5 else "left" if x < -0.5 else ""
    return " ".join(p for p in (vert, horiz) if p) or "centre"


def plot_kolb_cycle(
    *,
    model: str | LearningCycle = "kolb",
    current: str | None = None,
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
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to each stage's box patch.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids: ``"stage:<key>"`` (box), ``"stage-label:<key>"``, ``"stage-prompt:<key>"``,
    ``"cycle-arrow:<n>"`` (arc line from stage n to the next, n from 1),
    ``"cycle-arrow-head:<n>"``, ``"current-marker"``.
    """
    cycle = learning_cycle(model)
    cur = cycle.stage(current) if current is not None else None
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.12, h_pad=0.1)
        _draw_cycle(ax, cycle, cur, theme, kwargs)
    return ax


def _draw_cycle(
    ax: Axes,
    cycle: LearningCycle,
    cur: CycleStage | None,
    theme: Theme,
    kwargs: Mapping[str, Any],
) -> None:
    ax.set_xlim(*_XLIM)
    ax.set_ylim(*_YLIM)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"{cycle.name} ({cycle.source})", loc="left", parse_math=False)
    lw = plt.rcParams["lines.linewidth"]
    bg = plt.rcParams["axes.facecolor"]
    name_size = theme.label_size * 1.2
    body_size = max(theme.small_text, theme.label_size * 0.9)
    unit = units_per_point(ax)
    # Characters per line so a box is at most ~4.6 units wide.
    wrap = max(16, int(4.6 / unit / (0.56 * body_size)))
    n = len(cycle.stages)
    boxes = []
    for i, stage in enumerate(cycle.stages):
        x, y = _stage_xy(i, n)
        is_current = cur is not None and stage.key == cur.key
        lines = (
            [] if not is_current else [(HERE, body_size, "bold", theme.accent, "current-marker")]
        )
        lines.append((stage.name, name_size, "bold", theme.text, f"stage-label:{stage.key}"))
        lines.append(
            (
                "\n".join(textwrap.wrap(stage.prompt, wrap)),
                body_size,
                "normal",
                theme.text,
                f"stage-prompt:{stage.key}",
            )
        )
        heights = [(t.count("\n") + 1) * size * 1.22 * unit for t, size, *_ in lines]
        gap = 0.35 * body_size * unit
        total = sum(heights) + gap * (len(lines) - 1)
        top = y + total / 2
        widths = []
        for (text, size, weight, colour, gid), h in zip(lines, heights, strict=True):
            artist = ax.text(
                x,
                top,
                text,
                ha="center",
                va="top",
                fontsize=size,
                fontweight=weight,
                color=colour,
                parse_math=False,
                zorder=4,
                gid=gid,
            )
            widths.append(points_wide(artist) * unit)
            top -= h + gap
        pad = 0.6 * body_size * unit
        w = max(widths) + 2 * pad
        h = total + 2 * pad
        box_kws = {
            "facecolor": theme.quadrant_fills[0] if is_current else bg,
            "edgecolor": theme.accent if is_current else theme.edge,
            "linewidth": lw * (1.3 if is_current else 0.7),
            "hatch": theme.quadrant_hatches[3] or None,
        }
        box_kws.update(kwargs)
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle=f"round,pad=0,rounding_size={pad}",
            zorder=3,
            gid=f"stage:{stage.key}",
            **box_kws,
        )
        ax.add_patch(box)
        boxes.append(box)

    # Clockwise arcs along the ellipse from each stage to the next, clipped to the gaps.
    for i in range(n):
        a0 = _angle(i, n)
        angles = np.radians(np.linspace(a0, a0 - 360 / n, 240))
        xs, ys = _RX * np.cos(angles), _RY * np.sin(angles)
        margin = 0.18
        outside = np.ones_like(xs, dtype=bool)
        for box in (boxes[i], boxes[(i + 1) % n]):
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
            continue  # boxes too close to leave room for an arrow
        arc_arrow(
            ax,
            xs[idx],
            ys[idx],
            theme,
            lw,
            gid=f"cycle-arrow:{i + 1}",
            head_gid=f"cycle-arrow-head:{i + 1}",
        )


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
declare_chart(plot_kolb_cycle, describe=describe_kolb_cycle, table=table_kolb_cycle)
