"""Progress through the day: which activities are not started, started or complete.

:func:`exercise_states` reads one notebook's states from the store;
:func:`workbook_progress` gathers every session's; :func:`plot_progress` draws them as
stacked bars, with :func:`describe_progress` and :func:`table_progress` as its twins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import new_axes
from partnership_lib.core.store import (
    META_FIELD,
    STATUS_FIELD,
    AnswerKey,
    AnswerStore,
    default_store,
)
from partnership_lib.core.style import current_theme, style_context
from partnership_lib.models.programme import session_catalogue

NOTEBOOK = "04_feedback_and_reflection"


#: The states an activity can be in, from least to most done.
STATES = ("not started", "started", "complete")


def exercise_states(
    store: AnswerStore, notebook: str, exercises: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """Map each exercise key of ``notebook`` to 'not started', 'started' or 'complete'.

    An exercise is complete when it recorded so under :data:`STATUS_FIELD`, started when
    it holds any answer of its own, and not started otherwise.
    """
    out = {}
    answers = store.answers(notebook)
    started = {k.exercise for k in answers if k.field not in (STATUS_FIELD, META_FIELD)}
    for key, _title in exercises:
        status = answers.get(AnswerKey(notebook, key, STATUS_FIELD))
        if status == "complete":
            out[key] = "complete"
        elif key in started:
            out[key] = "started"
        else:
            out[key] = "not started"
    return out


def workbook_progress(
    *, store: AnswerStore | None = None, exclude: Sequence[str] = (NOTEBOOK,)
) -> dict[str, tuple[str, dict[str, tuple[str, str]]]]:
    """Every session's activities and their state, from the store.

    Returns
    -------
    dict
        Session key to ``(session title, {exercise key: (title, state)})``, in
        programme order; sessions without exercises, and those in ``exclude``, are left out.
    """
    store = store if store is not None else default_store()
    out: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}
    for entry in session_catalogue():
        exercises = [(e["key"], e["title"]) for e in entry.get("exercises", [])]
        if not exercises or entry["key"] in exclude:
            continue
        states = exercise_states(store, entry["key"], exercises)
        out[entry["key"]] = (entry["title"], {k: (t, states[k]) for k, t in exercises})
    return out


def progress_counts(
    progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]],
) -> list[tuple[str, str, dict[str, int]]]:
    rows = []
    for key, value in progress.items():
        if not isinstance(value, tuple) or len(value) != 2:
            raise ValueError(f"session {key!r}: expected (title, activities), got {value!r}")
        title, activities = value
        if not isinstance(title, str) or not title.strip():
            raise ValueError(f"session {key!r}: empty title")
        counts = dict.fromkeys(STATES, 0)
        for ex_key, (_t, state) in activities.items():
            if state not in counts:
                raise ValueError(
                    f"session {key!r}, activity {ex_key!r}: unknown state {state!r}; "
                    f"states: {', '.join(STATES)}"
                )
            counts[state] += 1
        rows.append((key, title, counts))
    return rows


def plot_progress(
    progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]],
    *,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw one stacked bar per session: activities complete, started and not started.

    Parameters
    ----------
    progress
        As :func:`workbook_progress` returns.
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to each bar.

    Returns
    -------
    matplotlib.axes.Axes
        Bars have gids ``"progress:<session>:<state>"``; counts are written in the bars.
    """
    rows = progress_counts(progress)
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.1, h_pad=0.1)
        fills = _fills(theme)
        _draw_bars(ax, rows, theme, kwargs)
        y = list(range(len(rows)))[::-1]
        ax.set_yticks(
            y, [title for _k, title, _c in rows], fontsize=max(theme.small_text, theme.label_size)
        )
        total = max((sum(c.values()) for _k, _t, c in rows), default=1)
        ax.set_xlim(0, max(total, 1))
        ax.set_xlabel("Activities")
        ax.set_title("Your progress through the workbook")
        ax.xaxis.get_major_locator().set_params(integer=True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles = [
            Patch(
                facecolor=fills[s][0], hatch=fills[s][1], edgecolor=theme.edge, label=s.capitalize()
            )
            for s in ("complete", "started", "not started")
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=3,
            frameon=False,
            fontsize=max(theme.small_text, theme.label_size),
        )
    return ax


def _fills(theme: Any) -> dict[str, tuple[str, str]]:
    colours = theme.score_colors
    return {
        "complete": (colours[-1], ""),
        "started": (colours[len(colours) // 2], "//"),
        "not started": ("white", ""),
    }


def _draw_bars(
    ax: Axes, rows: list[tuple[str, str, dict[str, int]]], theme: Any, kwargs: dict[str, Any]
) -> list[Any]:
    """One stacked bar per session, with its counts; returns the artists drawn."""
    fills = _fills(theme)
    drawn: list[Any] = []
    y = list(range(len(rows)))[::-1]
    for yi, (key, _title, counts) in zip(y, rows, strict=True):
        left = 0
        for state in ("complete", "started", "not started"):
            n = counts[state]
            if not n:
                continue
            colour, hatch = fills[state]
            (bar,) = ax.barh(
                yi,
                n,
                left=left,
                color=colour,
                hatch=hatch,
                edgecolor=theme.edge,
                linewidth=1.2,
                height=0.6,
                **kwargs,
            )
            bar.set_gid(f"progress:{key}:{state}")
            count = ax.text(
                left + n / 2,
                yi,
                str(n),
                ha="center",
                va="center",
                color=theme.text,
                fontsize=max(theme.small_text, theme.label_size),
                fontweight="bold",
                gid=f"count:{key}:{state}",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            drawn += [bar, count]
            left += n
    return drawn


def update_progress(
    ax: Axes,
    progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]],
    **kwargs: Any,
) -> list[Any] | None:
    """Redraw the bars of a drawn :func:`plot_progress` for new states, in place.

    Returns
    -------
    list of Artist or None
        The bars and counts drawn again (``[]`` when no count changed); ``None`` when
        ``ax`` is not a progress chart of the same sessions and activities, or
        ``kwargs`` restyle the bars, so the chart must be drawn in full.
    """
    rows = progress_counts(progress)
    old = [
        a
        for a in (*ax.patches, *ax.texts)
        if (a.get_gid() or "").startswith(("progress:", "count:"))
    ]
    titles = [t.get_text() for t in ax.get_yticklabels()]
    total = max((sum(c.values()) for _k, _t, c in rows), default=1)
    if (
        kwargs
        or not old
        or titles != [title for _k, title, _c in rows]
        or tuple(ax.get_xlim()) != (0, max(total, 1))
    ):
        return None
    drawn_now = {a.get_gid(): a.get_text() for a in old if a.get_gid().startswith("count:")}
    wanted = {
        f"count:{key}:{state}": str(n)
        for key, _t, counts in rows
        for state, n in counts.items()
        if n
    }
    if drawn_now == wanted:
        return []
    for container in [c for c in ax.containers if any(p in old for p in c.patches)]:
        container.remove()
    for artist in old:
        if artist.axes is not None:
            artist.remove()
    with style_context(current_theme().name) as theme:
        return _draw_bars(ax, rows, theme, {})


def describe_progress(progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]]) -> str:
    """Plain-text twin of :func:`plot_progress`: each session's counts of activities."""
    rows = progress_counts(progress)
    total = {s: sum(c[s] for _k, _t, c in rows) for s in STATES}
    parts = [
        f"Progress through the workbook, {len(rows)} sessions: "
        f"{total['complete']} activities complete, {total['started']} started, "
        f"{total['not started']} not started."
    ]
    for _key, title, c in rows:
        parts.append(
            f"{title}: {c['complete']} complete, {c['started']} started, "
            f"{c['not started']} not started."
        )
    return " ".join(parts)


def table_progress(
    progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]],
) -> ChartTable:
    """The bars of :func:`plot_progress` as a table: each session's count in each state.

    :func:`progress_table_html` lists the activities themselves.
    """
    rows = progress_counts(progress)
    return ChartTable(
        "Your progress through the workbook",
        ("Session", *(s.capitalize() for s in reversed(STATES)), "Activities"),
        tuple((title, *(c[s] for s in reversed(STATES)), sum(c.values())) for _k, title, c in rows),
    )


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_progress, describe=describe_progress, table=table_progress, update=update_progress
)
