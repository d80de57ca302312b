"""Partnership lifecycles, group development and collaboration continua.

Six models live in ``data/lifecycles.yaml``: the workbook's three lifecycle examples
(``partnership_phases``, ``five_fs``, ``four_stages``), group development
(``tuckman``, Ivancevich and Matteson 1993) and two collaboration continua
(``himmelman``, Himmelman 1992; ``nocon``, Nocon in Hudson et al 1999).

:func:`plot_lifecycle` draws any of them as stage bands along a time axis with a
curve of energy and performance (or, for a continuum, degree of integration);
:func:`plot_collaboration_continuum` draws a continuum as steps along a rising arrow.
Each plot has a plain-text twin, ``describe_*``.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, Rectangle

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import HERE, chars_per_line, new_axes, text_box
from partnership_lib.core import content
from partnership_lib.core.style import Theme, current_theme, in_active_style, style_context

__all__ = [
    "KINDS",
    "LifecycleModel",
    "LifecycleStage",
    "describe_collaboration_continuum",
    "describe_lifecycle",
    "lifecycle_model",
    "lifecycle_models",
    "plot_collaboration_continuum",
    "plot_lifecycle",
    "table_collaboration_continuum",
    "table_lifecycle",
    "update_lifecycle",
]

#: The kinds of model: a lifecycle, group development, or a continuum of integration.
KINDS = ("lifecycle", "group_development", "continuum")

_CONTENT = "lifecycles"


@dataclass(frozen=True, slots=True)
class LifecycleStage:
    """One stage of a lifecycle or continuum.

    Parameters
    ----------
    key, name
        Snake-case identifier and display name (as the workbook labels it).
    summary
        What happens at this stage, in a sentence or two.
    characteristics, actions
        Typical characteristics (five Fs) or suggested actions (four stages); may be empty.
    level
        0..1: partnership energy and performance at this stage, or for a continuum the
        degree of integration and commitment.
    from_any_stage
        ``True`` for a stage a partnership can fall into from any other stage (Failing):
        it is drawn after the others but not as progress.
    """

    key: str
    name: str
    summary: str
    characteristics: tuple[str, ...]
    actions: tuple[str, ...]
    level: float
    from_any_stage: bool = False


@dataclass(frozen=True, slots=True)
class LifecycleModel:
    """A named sequence of stages.

    ``kind`` is one of :data:`KINDS`. A continuum's levels rise stage by stage. Stages
    that can happen at any time (``from_any_stage``) come last. (The schema and
    :func:`lifecycle_models` check both for the models in ``data/lifecycles.yaml``.)
    """

    key: str
    name: str
    kind: str
    source: str
    description: str
    axis_label: str
    stages: tuple[LifecycleStage, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The stage keys in order."""
        return tuple(s.key for s in self.stages)

    def stage(self, key_or_name: str | LifecycleStage) -> LifecycleStage:
        """Return the stage with this key or name (case-insensitive).

        Raises
        ------
        ValueError
            Naming the unknown stage and listing the model's stages.
        """
        if isinstance(key_or_name, LifecycleStage):
            if key_or_name in self.stages:
                return key_or_name
            key_or_name = key_or_name.key
        wanted = str(key_or_name).strip().casefold()
        for stage in self.stages:
            if wanted in (stage.key.casefold(), stage.name.casefold()):
                return stage
        known = ", ".join(s.name for s in self.stages)
        raise ValueError(
            f"unknown stage {key_or_name!r} for model {self.key!r}; its stages are: {known}"
        )

    def index(self, stage: str | LifecycleStage) -> int:
        """Zero-based position of a stage (key, name or stage)."""
        return self.stages.index(self.stage(stage))


# --------------------------------------------------------------------------- content


def _build_stage(raw: Mapping[str, Any]) -> LifecycleStage:
    return LifecycleStage(
        key=raw["key"],
        name=raw["name"],
        summary=raw["summary"],
        characteristics=tuple(raw.get("characteristics", ())),
        actions=tuple(raw.get("actions", ())),
        level=raw["level"],
        from_any_stage=raw.get("from_any_stage", False),
    )


def _check_stages(model_key: str, kind: str, stages: Sequence[LifecycleStage]) -> None:
    """What the schema cannot say: unique stages, any-time stages last, continua rising."""
    entry = f"models/{model_key}"

    def fail(problem: str, *, stage: LifecycleStage | None = None, field: str = "stages"):
        where = f"{entry}/stages/{stage.key}" if stage is not None else entry
        return content.ContentError(
            content.data_dir() / f"{_CONTENT}.yaml", problem, entry=where, field=field
        )

    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for stage in stages:
        if stage.key in seen_keys:
            raise fail(f"duplicate stage key {stage.key!r}", stage=stage, field="key")
        if stage.name.casefold() in seen_names:
            raise fail(
                f"duplicate stage name {stage.name!r} (names are compared ignoring case)",
                stage=stage,
                field="name",
            )
        seen_keys.add(stage.key)
        seen_names.add(stage.name.casefold())
    flags = [s.from_any_stage for s in stages]
    if all(flags):
        raise fail("at least one stage must be part of the normal sequence (not from_any_stage)")
    if flags != sorted(flags):
        first = next(s for s in stages if s.from_any_stage)
        raise fail(
            f"stage {first.name!r} can happen at any stage, so it must come last",
            stage=first,
            field="from_any_stage",
        )
    if kind == "continuum":
        for before, after in itertools.pairwise(stages):
            if after.from_any_stage or after.level <= before.level:
                raise fail(
                    f"a continuum must rise stage by stage, but {after.name!r} "
                    f"(level {after.level}) does not rise above {before.name!r} "
                    f"(level {before.level})"
                )


def lifecycle_models() -> dict[str, LifecycleModel]:
    """Load every lifecycle, group development and continuum model, keyed by model key.

    Returns
    -------
    dict[str, LifecycleModel]
        In file order: ``partnership_phases``, ``five_fs``, ``four_stages``,
        ``tuckman``, ``himmelman``, ``nocon``, ``powell``.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When ``data/lifecycles.yaml`` is malformed (the message names file, entry and field).
    """
    data = content.load(_CONTENT)
    models: dict[str, LifecycleModel] = {}
    for raw in data["models"]:
        key = raw["key"]
        stages = tuple(_build_stage(s) for s in raw["stages"])
        _check_stages(key, raw["kind"], stages)
        model = content.build(
            _CONTENT,
            f"models/{key}",
            LifecycleModel,
            key=key,
            name=raw["name"],
            kind=raw["kind"],
            source=raw["source"],
            description=raw["description"],
            axis_label=raw["axis_label"],
            stages=stages,
        )
        if key in models:
            with content.content_entry(_CONTENT, f"models/{key}"):
                raise ValueError(f"duplicate model key {key!r}")
        models[key] = model
    return models


def lifecycle_model(key: str) -> LifecycleModel:
    """Return one model by key.

    Raises
    ------
    ValueError
        Naming the unknown key and listing the known ones.
    """
    models = lifecycle_models()
    try:
        return models[key]
    except (KeyError, TypeError):
        known = ", ".join(models)
        raise ValueError(f"unknown lifecycle model {key!r}; known models: {known}") from None


def _as_model(model: str | LifecycleModel) -> LifecycleModel:
    if isinstance(model, LifecycleModel):
        return model
    return lifecycle_model(model)


# --------------------------------------------------------------------------- drawing helpers


def _monotone_curve(x: Sequence[float], y: Sequence[float], num: int = 400) -> tuple:
    """Shape-preserving cubic (Fritsch-Carlson) through the points: no overshoot."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    if len(xs) < 2:
        return xs, ys
    h = np.diff(xs)
    delta = np.diff(ys) / h
    slopes = np.zeros_like(xs)
    for k in range(1, len(xs) - 1):
        if delta[k - 1] * delta[k] > 0:
            w1 = 2 * h[k] + h[k - 1]
            w2 = h[k] + 2 * h[k - 1]
            slopes[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
    xx = np.linspace(xs[0], xs[-1], num)
    idx = np.clip(np.searchsorted(xs, xx, side="right") - 1, 0, len(xs) - 2)
    t = (xx - xs[idx]) / h[idx]
    h00 = 2 * t**3 - 3 * t**2 + 1
    h10 = t**3 - 2 * t**2 + t
    h01 = -2 * t**3 + 3 * t**2
    h11 = t**3 - t**2
    yy = (
        h00 * ys[idx]
        + h10 * h[idx] * slopes[idx]
        + h01 * ys[idx + 1]
        + h11 * h[idx] * slopes[idx + 1]
    )
    return xx, yy


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False, break_long_words=False)
    return "\n".join(lines) or text


def _below(text: Any, gap_points: float) -> float:
    """The y (data) just below a drawn text, leaving ``gap_points`` of space."""
    ax = text.axes
    box = text.get_window_extent()
    gap_px = gap_points * ax.figure.dpi / 72
    return float(ax.transData.inverted().transform((box.x0, box.y0 - gap_px))[1])


def _level_word(level: float) -> str:
    if level < 0.35:
        return "low"
    if level < 0.7:
        return "medium"
    return "high"


def _band_fill(theme: Theme, i: int) -> str:
    # Alternate a light neutral with the axes' own background, so bands read as separate
    # without colour carrying meaning; the current stage gets the accent fill instead.
    return theme.quadrant_fills[3] if i % 2 == 0 else plt.rcParams["axes.facecolor"]


def _source_note(ax: Axes, theme: Theme, source: str) -> None:
    ax.text(
        1.0,
        -0.015,
        f"Source: {source}",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=theme.small_text,
        color=theme.muted_text,
        gid="source",
    )


# --------------------------------------------------------------------------- lifecycle plot

_TOP = 1.28  # top of the bands; stage labels sit above the curve's 0..1 range
_LABEL_Y = 1.25


def plot_lifecycle(
    model: str | LifecycleModel,
    *,
    current: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a lifecycle as stage bands along time with a curve of energy and performance.

    Parameters
    ----------
    model
        A model key (see :func:`lifecycle_models`) or a :class:`LifecycleModel`.
    current
        Key or name (case-insensitive) of the stage the learner's partnership is at; it
        is emphasised and marked "You are here".
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to the curve's ``Axes.plot`` call (e.g. ``color``, ``linewidth``).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Artists carry gids: ``"stage:<key>"`` (band), ``"stage-label:<key>"``, ``"curve"``,
    ``"curve-fall:<key>"`` (dashed dip into a stage that can happen at any time),
    ``"stage-point:<key>"``, ``"current-marker"`` and ``"current-label"``.
    For a continuum the y axis is the degree of integration and the curve rises.
    """
    m = _as_model(model)
    cur = m.stage(current) if current is not None else None
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.15, h_pad=0.1)
        _draw_lifecycle(ax, m, cur, theme, kwargs)
    return ax


def _draw_lifecycle(
    ax: Axes,
    m: LifecycleModel,
    cur: LifecycleStage | None,
    theme: Theme,
    kwargs: dict[str, Any],
) -> None:
    n = len(m.stages)
    ax.set_xlim(0, n)
    ax.set_ylim(0, _TOP)
    ax.set_yticks([0.05, 0.95], ["Low", "High"])
    ax.tick_params(axis="y", length=0)
    ax.set_xticks([])
    ax.set_ylabel(m.axis_label)
    xlabel = "Loose  →  integrated" if m.kind == "continuum" else "Time  →"
    ax.set_xlabel(xlabel, loc="left")
    ax.set_title(m.name, loc="left")
    _source_note(ax, theme, m.source)
    name_size = theme.label_size * 1.2
    body_size = max(theme.small_text, theme.label_size * 0.9)
    lw = plt.rcParams["lines.linewidth"]

    # Bands and their labels.
    wrap_at = chars_per_line(ax, 0.92, name_size)
    for i, stage in enumerate(m.stages):
        is_current = cur is not None and stage.key == cur.key
        band = Rectangle(
            (i, 0),
            1,
            _TOP,
            edgecolor=theme.edge,
            linewidth=plt.rcParams["patch.linewidth"] * 0.5,
            zorder=0,
            gid=f"stage:{stage.key}",
        )
        _style_band(band, stage, i, is_current, theme)
        ax.add_patch(band)
        backing = text_box(pad=0.2) if band.get_hatch() else None
        ax.text(
            i + 0.5,
            _LABEL_Y,
            _wrap(stage.name, wrap_at),
            ha="center",
            va="top",
            fontsize=name_size,
            fontweight="bold",
            color=theme.text,
            zorder=4,
            bbox=backing,
            gid=f"stage-label:{stage.key}",
        )
    if cur is not None:
        # Draw the emphasis frame last so neighbouring bands do not paint over it.
        _draw_frame(ax, m.index(cur), theme)

    # The curve through the normal sequence; falls into any-time stages drawn dashed.
    normal = [s for s in m.stages if not s.from_any_stage]
    anytime = [s for s in m.stages if s.from_any_stage]
    centres = [i + 0.5 for i in range(len(normal))]
    levels = [s.level for s in normal]
    xx, yy = _monotone_curve(centres, levels)
    curve_kws = {"color": theme.accent, "linewidth": lw * 1.3, "solid_capstyle": "round"}
    curve_kws.update(kwargs)
    (curve,) = ax.plot(xx, yy, zorder=5, gid="curve", **curve_kws)
    colour = curve.get_color()

    for j, stage in enumerate(anytime):
        x1 = len(normal) + j + 0.5
        t = np.linspace(0, 1, 100)
        ease = (1 - np.cos(np.pi * t)) / 2
        fx = centres[-1] + (x1 - centres[-1]) * t
        fy = levels[-1] + (stage.level - levels[-1]) * ease
        ax.plot(
            fx,
            fy,
            color=colour,
            linewidth=curve.get_linewidth(),
            linestyle=(0, (2, 1.5)),
            zorder=5,
            gid=f"curve-fall:{stage.key}",
        )
        ax.text(
            x1,
            0.5 * (stage.level + levels[-1]) + 0.12,
            "Can happen\nat any stage",
            ha="center",
            va="center",
            fontsize=body_size,
            fontstyle="italic",
            color=theme.text,
            bbox=text_box(edgecolor=theme.muted_text, linewidth=1),
            zorder=6,
            gid=f"note:{stage.key}",
        )

    for i, stage in enumerate(m.stages):
        ax.plot(
            i + 0.5,
            stage.level,
            linestyle="none",
            marker="o",
            markersize=lw * 3,
            color=colour,
            markeredgecolor=plt.rcParams["axes.facecolor"],
            markeredgewidth=1.5,
            zorder=6,
            gid=f"stage-point:{stage.key}",
        )

    if cur is not None:
        _draw_here(ax, m, cur, theme)

    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _style_band(
    band: Rectangle, stage: LifecycleStage, i: int, is_current: bool, theme: Theme
) -> None:
    """Fill and hatch a stage band: the current stage stands out, any-time stages hatched."""
    band.set_facecolor(theme.quadrant_fills[0] if is_current else _band_fill(theme, i))
    band.set_hatch(theme.quadrant_hatches[0] if is_current else None)
    if stage.from_any_stage and not is_current:
        band.set_hatch("\\\\")
        band.set_hatchcolor(to_rgba(theme.muted_text, 0.35))
    elif band.get_hatch():
        # A background pattern: keep it quieter than the curve and the labels.
        band.set_hatchcolor(to_rgba(theme.edge, 0.4))


def _draw_frame(ax: Axes, i: int, theme: Theme) -> Rectangle:
    frame = Rectangle(
        (i, 0),
        1,
        _TOP,
        fill=False,
        edgecolor=theme.accent,
        linewidth=plt.rcParams["lines.linewidth"] * 1.4,
        zorder=3,
        clip_on=False,
        gid="current-band",
    )
    ax.add_patch(frame)
    return frame


def _here_places(m: LifecycleModel, cur: LifecycleStage) -> tuple[float, float, float, str]:
    """x and y of the current stage's point, y of its label, and the label's va."""
    x = m.index(cur) + 0.5
    above = cur.level <= 0.62
    return x, cur.level, cur.level + (0.3 if above else -0.3), "bottom" if above else "top"


def _draw_here(ax: Axes, m: LifecycleModel, cur: LifecycleStage, theme: Theme) -> list[Any]:
    """Ring the current stage's point and label it "You are here"."""
    lw = plt.rcParams["lines.linewidth"]
    body_size = max(theme.small_text, theme.label_size * 0.9)
    x, y, label_y, va = _here_places(m, cur)
    (ring,) = ax.plot(
        x,
        y,
        linestyle="none",
        marker="o",
        markersize=lw * 7,
        markerfacecolor="none",
        markeredgecolor=theme.text,
        markeredgewidth=lw * 1.1,
        zorder=7,
        gid="current-marker",
    )
    note = ax.annotate(
        HERE,
        xy=(x, y),
        xytext=(x, label_y),
        ha="center",
        va=va,
        fontsize=body_size,
        fontweight="bold",
        color=theme.text,
        bbox=text_box(edgecolor=theme.text, linewidth=1.5),
        arrowprops={
            "arrowstyle": "-|>",
            "color": theme.text,
            "linewidth": theme.arrow_width,
            "shrinkA": 0,
            "shrinkB": lw * 4.2,
            "mutation_scale": 10 + 3 * lw,
        },
        zorder=8,
        gid="current-label",
    )
    return [ring, note]


@in_active_style
def update_lifecycle(
    ax: Axes, model: str | LifecycleModel, *, current: str | None = None
) -> list[Any] | None:
    """Move the "You are here" marking of a chart drawn by :func:`plot_lifecycle`.

    Changes the artists in place (band fills and hatches, the frame, the ring and its
    label), so a long-lived figure can be repainted without drawing it again. Call it
    in the style the chart was drawn in (inside its ``style_context``).

    Returns
    -------
    list of Artist or None
        The artists changed or added (removed ones are gone from ``ax``); ``None`` when
        ``ax`` does not hold this model's lifecycle chart, to ask for a full redraw.
    """
    m = _as_model(model)
    cur = m.stage(current) if current is not None else None
    bands = {p.get_gid(): p for p in ax.patches}
    texts = {t.get_gid(): t for t in ax.texts}
    if any(f"stage:{s.key}" not in bands or f"stage-label:{s.key}" not in texts for s in m.stages):
        return None
    frame = bands.get("current-band")
    ring = next((a for a in ax.lines if a.get_gid() == "current-marker"), None)
    note = texts.get("current-label")
    was = None if frame is None else round(frame.get_x())
    now = None if cur is None else m.index(cur)
    if was == now:
        return []
    changed: list[Any] = []
    theme = current_theme()
    for i, stage in enumerate(m.stages):
        if i in (was, now):
            band, label = bands[f"stage:{stage.key}"], texts[f"stage-label:{stage.key}"]
            _style_band(band, stage, i, i == now, theme)
            label.set_bbox(text_box(pad=0.2) if band.get_hatch() else None)
            changed += [band, label]
    if cur is None or frame is None or ring is None or note is None:
        for artist in (frame, ring, note):
            if artist is not None:
                artist.remove()
        if cur is not None:
            changed += [_draw_frame(ax, now, theme), *_draw_here(ax, m, cur, theme)]
        return changed
    x, y, label_y, va = _here_places(m, cur)
    frame.set_x(now)
    ring.set_data([x], [y])
    note.xy = (x, y)
    note.set_position((x, label_y))
    note.set_verticalalignment(va)
    return [*changed, frame, ring, note]


def describe_lifecycle(model: str | LifecycleModel, *, current: str | None = None) -> str:
    """Plain-text twin of :func:`plot_lifecycle`, for screen readers and alt text.

    Examples
    --------
    >>> describe_lifecycle("tuckman").splitlines()[0]  # doctest: +ELLIPSIS
    'Lifecycle chart: Group development (Ivancevich and Matteson 1993)...
    """
    m = _as_model(model)
    cur = m.stage(current) if current is not None else None
    n = len(m.stages)
    measure = m.axis_label.lower()
    if m.kind == "continuum":
        lead = (
            f"Continuum chart: {m.name} ({m.source}). {n} stages run from loose on the left "
            f"to integrated on the right; the curve shows the {measure}, which rises at "
            "every step."
        )
    else:
        lead = (
            f"Lifecycle chart: {m.name} ({m.source}). Time runs from left to right through "
            f"{n} stages; the curve shows {measure}."
        )
    lines = [lead]
    for i, stage in enumerate(m.stages, start=1):
        text = f"Stage {i} of {n}, {stage.name}: {measure} {_level_word(stage.level)}."
        if stage.from_any_stage:
            text += (
                " A partnership can fall into this stage from any other stage, so the "
                "curve dips into it at the end rather than showing it as progress."
            )
        text += f" {stage.summary}"
        lines.append(text)
    if cur is not None:
        lines.append(f"You are here: {cur.name}, stage {m.index(cur) + 1} of {n}.")
    return "\n".join(lines)


def _stage_rows(
    m: LifecycleModel, cur: LifecycleStage | None, middle: Any
) -> tuple[tuple[Any, ...], ...]:
    rows = []
    for i, stage in enumerate(m.stages, start=1):
        row: tuple[Any, ...] = (i, stage.name, *middle(stage))
        if cur is not None:
            row += (stage.key == cur.key or None,)  # "yes" in the "You are here" column
        rows.append(row)
    return tuple(rows)


def table_lifecycle(model: str | LifecycleModel, *, current: str | None = None) -> ChartTable:
    """The stages of :func:`plot_lifecycle` as a table, in order.

    Columns: stage number, stage name, the level the curve shows (low, medium or high,
    headed with the model's axis label), what characterises the stage and, when
    ``current`` is given, a "You are here" column marking it.
    """
    m = _as_model(model)
    cur = m.stage(current) if current is not None else None

    def middle(stage: LifecycleStage) -> tuple[str, str]:
        level = _level_word(stage.level).capitalize()
        if stage.from_any_stage:  # the chart's dashed dip and its note
            level += " (can happen at any stage)"
        return level, stage.summary

    columns = ("Stage", "Name", m.axis_label, "What characterises it")
    return ChartTable(
        m.name, columns + ((HERE,) if cur is not None else ()), _stage_rows(m, cur, middle)
    )


# --------------------------------------------------------------------------- continuum plot


def _as_continuum(model: str | LifecycleModel) -> LifecycleModel:
    m = _as_model(model)
    if m.kind != "continuum":
        continua = ", ".join(k for k, v in lifecycle_models().items() if v.kind == "continuum")
        raise ValueError(
            f"model {m.key!r} is a {m.kind.replace('_', ' ')} model, not a continuum; "
            f"continuum models: {continua}"
        )
    return m


def plot_collaboration_continuum(
    model: str | LifecycleModel = "himmelman",
    *,
    current: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a collaboration continuum as steps along a rising arrow, loose to integrated.

    Parameters
    ----------
    model
        ``"himmelman"`` (default), ``"nocon"``, ``"powell"``, or any continuum
        :class:`LifecycleModel`.
    current
        Key or name of the step the learner's partnership has reached.
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to each step's ``Rectangle`` (e.g. ``alpha``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For a model that is not a continuum, or an unknown ``current`` stage.

    Notes
    -----
    Gids: ``"stage:<key>"`` (step), ``"stage-label:<key>"`` (name), ``"stage-meaning:<key>"``,
    ``"continuum-arrow"``, ``"current-marker"``, ``"current-label"``.
    """
    m = _as_continuum(model)
    cur = m.stage(current) if current is not None else None
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.15, h_pad=0.1)
        _draw_continuum(ax, m, cur, theme, kwargs)
    return ax


def _step_top(level: float) -> float:
    return 0.42 + 0.55 * level


def _draw_continuum(
    ax: Axes,
    m: LifecycleModel,
    cur: LifecycleStage | None,
    theme: Theme,
    kwargs: dict[str, Any],
) -> None:
    n = len(m.stages)
    ax.set_xlim(-0.05, n + 0.05)
    ax.set_ylim(-0.3, 1.3)
    ax.set_axis_off()
    ax.set_title(m.name, loc="left")
    _source_note(ax, theme, m.source)
    name_size = theme.label_size * 1.25
    body_size = max(theme.small_text, theme.label_size * 0.9)
    lw = plt.rcParams["lines.linewidth"]
    gap = 0.06
    wrap_name = chars_per_line(ax, 1 - 2 * gap - 0.08, name_size)
    wrap_body = chars_per_line(ax, 1 - 2 * gap - 0.08, body_size)

    for i, stage in enumerate(m.stages):
        is_current = cur is not None and stage.key == cur.key
        top = _step_top(stage.level)
        step_kws = {
            "facecolor": theme.quadrant_fills[0] if is_current else theme.quadrant_fills[3],
            "edgecolor": theme.accent if is_current else theme.edge,
            "linewidth": lw * (1.4 if is_current else 0.6),
            "hatch": theme.quadrant_hatches[0] if is_current else None,
        }
        step_kws.update(kwargs)
        step = Rectangle(
            (i + gap, 0), 1 - 2 * gap, top, zorder=1, gid=f"stage:{stage.key}", **step_kws
        )
        if step.get_hatch() and "hatch" not in kwargs:
            step.set_hatchcolor(to_rgba(theme.edge, 0.4))  # a quiet background pattern
        ax.add_patch(step)
        backing = text_box(pad=0.2) if step.get_hatch() else None
        name = ax.text(
            i + 0.5,
            top - 0.04,
            _wrap(stage.name, wrap_name),
            ha="center",
            va="top",
            fontsize=name_size,
            fontweight="bold",
            color=theme.text,
            zorder=3,
            bbox=backing,
            gid=f"stage-label:{stage.key}",
        )
        ax.text(
            i + 0.5,
            _below(name, 0.6 * body_size),
            _wrap(stage.summary, wrap_body),
            ha="center",
            va="top",
            fontsize=body_size,
            color=theme.text,
            zorder=3,
            bbox=backing,
            gid=f"stage-meaning:{stage.key}",
        )

    # The rising arrow runs just above the steps' tops, from loose to integrated.
    first = _step_top(m.stages[0].level)
    last = _step_top(m.stages[-1].level)
    tail = (0.1, first + 0.13)
    head = (n - 0.02, last + 0.17)
    ax.add_patch(
        FancyArrowPatch(
            tail,
            head,
            arrowstyle="simple,head_length=1.2,head_width=1.4,tail_width=0.45",
            mutation_scale=8 + 6 * lw,
            facecolor=theme.accent,
            edgecolor=theme.accent,
            zorder=2,
            gid="continuum-arrow",
        )
    )
    ax.text(
        tail[0],
        tail[1] + 0.08,
        "Loose",
        ha="left",
        va="bottom",
        fontsize=body_size,
        fontweight="bold",
        color=theme.muted_text,
        gid="end-label:loose",
    )
    ax.text(
        head[0] - 0.05,
        head[1] + 0.09,
        "Integrated",
        ha="right",
        va="bottom",
        fontsize=body_size,
        fontweight="bold",
        color=theme.muted_text,
        gid="end-label:integrated",
    )

    if cur is not None:
        x = m.index(cur) + 0.5
        ax.plot(
            x,
            -0.06,
            linestyle="none",
            marker="^",
            markersize=lw * 6,
            color=theme.accent,
            markeredgecolor=theme.edge,
            zorder=4,
            gid="current-marker",
        )
        ax.annotate(
            HERE,
            xy=(x, -0.06),
            xytext=(0, -lw * 5),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=body_size,
            fontweight="bold",
            color=theme.text,
            zorder=4,
            gid="current-label",
        )


def describe_collaboration_continuum(
    model: str | LifecycleModel = "himmelman", *, current: str | None = None
) -> str:
    """Plain-text twin of :func:`plot_collaboration_continuum`."""
    m = _as_continuum(model)
    cur = m.stage(current) if current is not None else None
    n = len(m.stages)
    lines = [
        f"Collaboration continuum: {m.name} ({m.source}). {n} steps climb along a rising "
        "arrow from loose on the left to integrated on the right."
    ]
    for i, stage in enumerate(m.stages, start=1):
        lines.append(f"Step {i} of {n}, {stage.name}: {stage.summary}")
    if cur is not None:
        lines.append(f"You are here: {cur.name}, step {m.index(cur) + 1} of {n}.")
    return "\n".join(lines)


def table_collaboration_continuum(
    model: str | LifecycleModel = "himmelman", *, current: str | None = None
) -> ChartTable:
    """The steps of :func:`plot_collaboration_continuum` as a table, loose to integrated.

    Columns: step number, name, what it means and, when ``current`` is given, a
    "You are here" column marking it.
    """
    m = _as_continuum(model)
    cur = m.stage(current) if current is not None else None
    columns = ("Step", "Name", "What it means")
    return ChartTable(
        m.name,
        columns + ((HERE,) if cur is not None else ()),
        _stage_rows(m, cur, lambda stage: (stage.summary,)),
    )


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_lifecycle, describe=describe_lifecycle, table=table_lifecycle, update=update_lifecycle
)
declare_chart(
    plot_collaboration_continuum,
    describe=describe_collaboration_continuum,
    table=table_collaboration_continuum,
)
