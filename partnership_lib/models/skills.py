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
        labels = _skill_labels()
        shown = counts[:MAX_BARS]
        # at least MIN_SLOTS bar slots, filled from the top, so one bar is not a slab
        slots = max(len(shown), MIN_SLOTS)
        ys = [slots - 1 - i for i in range(len(shown))]
        kw = {"color": theme.accent, "edgecolor": theme.edge, "height": 0.6} | kwargs
        for y, (key, n) in zip(ys, shown, strict=True):
            bar = ax.barh(y, n, **kw)
            bar.patches[0].set_gid(f"bar:{key}")
            ax.text(
                n + 0.08,
                y,
                str(n),
                va="center",
                ha="left",
                fontsize=max(theme.small_text, theme.label_size),
                color=theme.text,
                parse_math=False,
                gid=f"count:{key}",
            )
        ax.set_yticks(ys, [labels[k] for k, _ in shown], parse_math=False)
        ax.set_xlim(0, n_contexts + 0.6)
        ax.set_xticks(range(0, n_contexts + 1))
        ax.set_xlabel("Number of contexts the skill was used in", parse_math=False)
        if not shown:
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
                parse_math=False,
                gid="empty",
            )
        else:
            ax.set_ylim(-0.7, slots - 0.3)
        more = len(counts) - len(shown)
        title = "Which skills recur across your examples"
        if more > 0:
            title += f" (top {len(shown)}; {more} more)"
        ax.set_title(title, loc="left", parse_math=False)
        ax.grid(False)
    return ax


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
    plot_skill_recurrence, describe=describe_skill_recurrence, table=table_skill_recurrence
)
