"""Collaboration skills across contexts (Activity 1): how often each chosen skill recurs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.core.style import current_theme, style_context
from partnership_lib.models import frameworks

#: At most this many skills are drawn as bars; the description names every one.
MAX_BARS = 15


#: The skills chart keeps room for at least this many bars.
MIN_SLOTS = 6


def skill_counts(selections: Mapping[str, Iterable[str]]) -> list[tuple[str, int]]:
    """How many contexts each chosen skill was used in.

    Parameters
    ----------
    selections
        Context name to the skill keys chosen for it.

    Returns
    -------
    list of (skill key, count)
        Skills chosen at least once, most contexts first, ties in the workbook's order.

    Raises
    ------
    ValueError
        For an unknown skill key (naming the context and the key).
    """
    order = {s.key: s.position for s in frameworks.skills()}
    counts: dict[str, int] = {}
    for context, keys in selections.items():
        if isinstance(keys, str):
            raise ValueError(f"{context}: skills must be a list of keys, got {keys!r}")
        for key in set(keys):
            if key not in order:
                raise ValueError(f"{context}: unknown skill {key!r}")
            counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def _skill_labels() -> dict[str, str]:
    return {s.key: s.label for s in frameworks.skills()}


def plot_skill_recurrence(
    selections: Mapping[str, Iterable[str]], *, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """Bar chart of how many contexts each chosen skill was used in.

    Parameters
    ----------
    selections
        Context name to the skill keys chosen for it (see :func:`skill_counts`).
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids: ``"bar:<skill key>"`` and ``"count:<skill key>"``; at most :data:`MAX_BARS`
    bars are drawn (the most recurrent), and the title says how many more there are.
    """
    counts = skill_counts(selections)
    n_contexts = max(len(selections), 1)
    with style_context(current_theme().name) as theme:
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        _draw_bars(ax, counts, theme, kwargs)
        ax.set_xlim(0, n_contexts + 0.6)
        ax.set_xticks(range(0, n_contexts + 1))
        ax.set_xlabel("Number of contexts the skill was used in")
        if not counts:
            ax.set_ylim(-1, 1)
            ax.text(
                0.5,
                0.5,
                "No skills chosen yet",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color=theme.muted_text,
                fontsize=max(theme.small_text, theme.label_size),
                gid="empty",
            )
        ax.grid(False)
    return ax


def _draw_bars(
    ax: Axes, counts: list[tuple[str, int]], theme: Any, kwargs: Mapping[str, Any]
) -> list[Any]:
    """The bars, counts, skill names, limits and title; returns the bars and counts drawn."""
    labels = _skill_labels()
    shown = counts[:MAX_BARS]
    # at least MIN_SLOTS bar slots, filled from the top, so one bar is not a slab
    slots = max(len(shown), MIN_SLOTS)
    ys = [slots - 1 - i for i in range(len(shown))]
    kw = {"color": theme.accent, "edgecolor": theme.edge, "height": 0.6} | dict(kwargs)
    drawn: list[Any] = []
    for y, (key, n) in zip(ys, shown, strict=True):
        bars = ax.barh(y, n, **kw)
        bars.patches[0].set_gid(f"bar:{key}")
        count = ax.text(
            n + 0.08,
            y,
            str(n),
            va="center",
            ha="left",
            fontsize=max(theme.small_text, theme.label_size),
            color=theme.text,
            gid=f"count:{key}",
        )
        drawn += [bars.patches[0], count]
    ax.set_yticks(ys, [labels[k] for k, _ in shown])
    if shown:
        ax.set_ylim(-0.7, slots - 0.3)
    ax.set_title(_title(counts), loc="left")
    return drawn


def _title(counts: list[tuple[str, int]]) -> str:
    shown = min(len(counts), MAX_BARS)
    more = len(counts) - shown
    title = "Which skills recur across your examples"
    return title + (f" (top {shown}; {more} more)" if more > 0 else "")


def update_skill_recurrence(
    ax: Axes, selections: Mapping[str, Iterable[str]], **kwargs: Any
) -> list[Any] | None:
    """Redraw the bars of a drawn :func:`plot_skill_recurrence` for new ``selections``.

    The bars and counts are drawn again, and the skill names and title changed, as a
    fresh :func:`plot_skill_recurrence` draws them; nothing else is touched.

    Returns
    -------
    list of Artist or None
        The artists that changed (``[]`` when the counts did not); ``None`` when ``ax``
        is not a skills chart, the number of contexts changed, the chart is or becomes
        empty, ``kwargs`` restyle the bars, or a new skill name is too long for the
        room the first layout left, so the chart must be drawn in full.
    """
    counts = skill_counts(selections)
    old = [
        a for a in (*ax.patches, *ax.texts) if (a.get_gid() or "").startswith(("bar:", "count:"))
    ]
    n_contexts = max(len(selections), 1)
    if kwargs or not old or not counts or tuple(ax.get_xlim()) != (0, n_contexts + 0.6):
        return None
    if _drawn_counts(ax) == counts[:MAX_BARS] and ax.get_title(loc="left") == _title(counts):
        return []
    for container in [c for c in ax.containers if any(p in old for p in c.patches)]:
        container.remove()
    for artist in old:
        if artist.axes is not None:
            artist.remove()
    with style_context(current_theme().name) as theme:
        drawn = _draw_bars(ax, counts, theme, {})
    renderer = ax.figure.canvas.get_renderer()
    box = ax.yaxis.get_tightbbox(renderer)
    if box is not None and box.x0 < 0:
        return None  # a longer skill name than the layout made room for
    return [*drawn, ax.yaxis, ax.title]


def _drawn_counts(ax: Axes) -> list[tuple[str, int]]:
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("bar:")]
    bars.sort(key=lambda p: -p.get_y())
    return [(p.get_gid().removeprefix("bar:"), round(p.get_width())) for p in bars]


def describe_skill_recurrence(selections: Mapping[str, Iterable[str]]) -> str:
    """Plain-text twin of :func:`plot_skill_recurrence` (names every chosen skill)."""
    counts = skill_counts(selections)
    if not counts:
        return "Bar chart of skills used across your examples: no skills chosen yet."
    labels = _skill_labels()
    n = len(selections)
    parts = [
        f"Bar chart of the skills you used across {n} context{'s' if n != 1 else ''}: "
        f"{len(counts)} different skill{'s' if len(counts) != 1 else ''} chosen."
    ]
    by_count: dict[int, list[str]] = {}
    for key, c in counts:
        by_count.setdefault(c, []).append(labels[key])
    for c in sorted(by_count, reverse=True):
        noun = "context" if c == 1 else "contexts"
        parts.append(f"Used in {c} {noun}: {', '.join(by_count[c])}.")
    return " ".join(parts)


def table_skill_recurrence(selections: Mapping[str, Iterable[str]]) -> ChartTable:
    """The bars of :func:`plot_skill_recurrence` as a table, most contexts first.

    One row per chosen skill (every one, also those beyond the chart's
    :data:`MAX_BARS`): how many contexts it was used in and which.
    """
    counts = skill_counts(selections)
    labels = _skill_labels()
    used_in: dict[str, list[str]] = {}
    for context, keys in selections.items():
        for key in dict.fromkeys(keys):
            used_in.setdefault(key, []).append(str(context))
    return ChartTable(
        "Which skills recur across your examples",
        ("Skill", "Number of contexts", "Contexts"),
        tuple((labels[key], n, ", ".join(used_in[key])) for key, n in counts),
    )


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_skill_recurrence,
    describe=describe_skill_recurrence,
    table=table_skill_recurrence,
    update=update_skill_recurrence,
)
