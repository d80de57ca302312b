"""Tick-box checklists with a live score, what the score means, and scores by group.

The learner ticks every statement that is true for them. The score ("7 of 12") and its
meaning (from the caller's :class:`ScoreBand` list) update as they tick. When the items
are grouped, each group gets its own score and a bar chart shows them all, naming the
weakest group; the chart is one long-lived figure whose bars are updated in place.

Stored under ``notebook/exercise/``: ``ticked`` (the ticked item keys, in item order)
and ``done`` (True once the learner presses "I've finished").

Completion rule: the checklist is complete once the learner presses "I've finished".
Finishing with nothing ticked is allowed (none of the statements may apply, and that is
an answer). Changing ticks afterwards keeps it complete; a reset clears it.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from ..charts import ChartTable, chart_html, figure_png
from ..store import AnswerStore
from ..style import current_theme, on_style_change, style_context
from ._common import Exercise, NotebookProgress, escape

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "Checklist",
    "ChecklistItem",
    "GroupScore",
    "ScoreBand",
    "band_for",
    "checklist",
    "describe_checklist_scores",
    "plot_checklist_scores",
    "table_checklist_scores",
    "update_checklist_scores",
    "weakest_groups",
]

TICKED_FIELD = "ticked"
DONE_FIELD = "done"
DEFAULT_TITLE = "Score by group"
_WEAKEST = "weakest"
_WRAP = 30  # characters per line of a group name on the chart
_LABEL_X = 103  # score labels sit in a column right of the 100% end of the bars
_XMAX = 150


# --------------------------------------------------------------------------- models


def _text(owner: str, field: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{owner}: {field} must be non-empty text, got {value!r}")


@dataclass(frozen=True, slots=True)
class ScoreBand:
    """What a score means from ``min_fraction`` of the items ticked upwards.

    Parameters
    ----------
    min_fraction
        Share of items ticked (0 to 1) at which this band starts.
    label
        Short name, e.g. "Strong foundations".
    meaning
        A sentence on what the score suggests.
    """

    min_fraction: float
    label: str
    meaning: str = ""

    def __post_init__(self) -> None:
        f = self.min_fraction
        if isinstance(f, bool) or not isinstance(f, int | float) or not math.isfinite(f):
            raise ValueError(f"score band {self.label!r}: min_fraction must be a number, got {f!r}")
        if not 0 <= f <= 1:
            raise ValueError(
                f"score band {self.label!r}: min_fraction must be between 0 and 1, got {f!r}"
            )
        _text("score band", "label", self.label)
        if not isinstance(self.meaning, str):
            raise ValueError(
                f"score band {self.label!r}: meaning must be text, got {self.meaning!r}"
            )


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One statement to tick: a ``key`` (stored) and the ``text`` the learner reads."""

    key: str
    text: str

    def __post_init__(self) -> None:
        _text("checklist item", "key", self.key)
        if self.key != self.key.strip():
            raise ValueError(f"checklist item {self.key!r}: key must not start or end with spaces")
        _text(f"checklist item {self.key!r}", "text", self.text)


@dataclass(frozen=True, slots=True)
class GroupScore:
    """A group's score: ``ticked`` of ``total`` items."""

    name: str
    ticked: int
    total: int

    def __post_init__(self) -> None:
        _text("group score", "name", self.name)
        for field in ("ticked", "total"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(
                    f"group {self.name!r}: {field} must be a whole number, got {value!r}"
                )
        if self.total < 1:
            raise ValueError(f"group {self.name!r}: total must be at least 1, got {self.total!r}")
        if not 0 <= self.ticked <= self.total:
            raise ValueError(
                f"group {self.name!r}: ticked must be between 0 and {self.total}, got {self.ticked!r}"
            )

    @property
    def fraction(self) -> float:
        return self.ticked / self.total


def _as_items(items: Iterable[Any]) -> tuple[ChecklistItem, ...]:
    out = []
    for item in items:
        if isinstance(item, ChecklistItem):
            out.append(item)
        elif isinstance(item, tuple | list) and len(item) == 2:
            out.append(ChecklistItem(*item))
        elif hasattr(item, "key") and hasattr(item, "text"):
            out.append(ChecklistItem(item.key, item.text))
        else:
            raise ValueError(
                f"checklist item {item!r} must be a (key, text) pair or have .key and .text"
            )
    if not out:
        raise ValueError("checklist: give at least one item")
    keys = [i.key for i in out]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"checklist: duplicate item key {dupes[0]!r}")
    return tuple(out)


def _as_groups(
    groups: Iterable[tuple[str, Iterable[str]]] | None, items: Sequence[ChecklistItem]
) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if groups is None:
        return None
    known = [i.key for i in items]
    out = []
    seen: dict[str, str] = {}
    for entry in groups:
        try:
            title, keys = entry
        except (TypeError, ValueError):
            raise ValueError(
                f"checklist group {entry!r} must be a (title, item keys) pair"
            ) from None
        _text("checklist group", "title", title)
        if isinstance(keys, str):
            raise ValueError(f"checklist group {title!r}: item keys must be a list, got {keys!r}")
        keys = tuple(keys)
        if not keys:
            raise ValueError(f"checklist group {title!r} has no items")
        for key in keys:
            if key not in known:
                raise ValueError(f"checklist group {title!r}: unknown item {key!r}")
            if key in seen:
                raise ValueError(
                    f"checklist item {key!r} is in two groups: {seen[key]!r} and {title!r}"
                )
            seen[key] = title
        out.append((title, keys))
    titles = [t for t, _ in out]
    dupes = sorted({t for t in titles if titles.count(t) > 1})
    if dupes:
        raise ValueError(f"checklist: duplicate group title {dupes[0]!r}")
    missing = [k for k in known if k not in seen]
    if missing:
        raise ValueError(f"checklist item {missing[0]!r} is in no group")
    if not out:
        raise ValueError("checklist: groups is empty; pass None for an ungrouped checklist")
    return tuple(out)


def _as_bands(bands: Iterable[ScoreBand]) -> tuple[ScoreBand, ...]:
    out = tuple(bands)
    if not out:
        raise ValueError("checklist: give at least one score band")
    for band in out:
        if not isinstance(band, ScoreBand):
            raise ValueError(f"checklist: bands must be ScoreBand objects, got {band!r}")
    starts = [b.min_fraction for b in out]
    dupes = sorted({s for s in starts if starts.count(s) > 1})
    if dupes:
        raise ValueError(f"checklist: two score bands start at {dupes[0]!r}")
    if 0 not in starts:
        raise ValueError(
            "checklist: one score band must start at 0 so that every score has a meaning"
        )
    return tuple(sorted(out, key=lambda b: b.min_fraction))


def load_bands(content_name: str, section: str) -> tuple[ScoreBand, ...]:
    """Score bands from ``data/<content_name>.yaml``'s ``section`` (errors name the file)."""
    from .. import content

    return tuple(
        content.build(content_name, f"{section}/{raw['label']}", ScoreBand, **raw)
        for raw in content.load(content_name)[section]
    )


def grouped_items(
    groups: Iterable[Any],
) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Checklist items and groups from content groups (objects with key, label, items).

    Returns
    -------
    (items, groups)
        ``(key, text)`` pairs (keys ``"<group key>_<n>"``, from 1) and
        ``(group label, item keys)`` pairs, in the content's order.
    """
    items: list[tuple[str, str]] = []
    out: list[tuple[str, list[str]]] = []
    for group in groups:
        keys = []
        for n, text in enumerate(group.items, start=1):
            key = f"{group.key}_{n}"
            items.append((key, text))
            keys.append(key)
        out.append((group.label, keys))
    return items, out


def band_for(fraction: float, bands: Iterable[ScoreBand]) -> ScoreBand:
    """The band a score falls in: the one with the highest ``min_fraction`` not above it."""
    chosen = None
    for band in _as_bands(bands):
        if band.min_fraction <= fraction + 1e-12:
            chosen = band
    assert chosen is not None  # a band starts at 0
    return chosen


def _as_scores(scores: Any) -> tuple[GroupScore, ...]:
    if isinstance(scores, Mapping):
        pairs = [(name, *value) for name, value in scores.items()]
    else:
        pairs = list(scores)
    out = []
    for entry in pairs:
        if isinstance(entry, GroupScore):
            out.append(entry)
        else:
            try:
                name, ticked, total = entry
            except (TypeError, ValueError):
                raise ValueError(
                    f"group score {entry!r} must be a GroupScore or (name, ticked, total)"
                ) from None
            out.append(GroupScore(name, ticked, total))
    if not out:
        raise ValueError("checklist scores: give at least one group")
    names = [s.name for s in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"checklist scores: duplicate group {dupes[0]!r}")
    return tuple(out)


def weakest_groups(scores: Any) -> tuple[str, ...]:
    """Names of the groups with the lowest share ticked; empty when all score the same."""
    scored = _as_scores(scores)
    low = min(s.fraction for s in scored)
    weakest = tuple(s.name for s in scored if math.isclose(s.fraction, low))
    return () if len(weakest) == len(scored) else weakest


# --------------------------------------------------------------------------- plot


def _pct(score: GroupScore) -> float:
    return 100 * score.fraction


def _label(score: GroupScore, weakest: bool) -> str:
    text = f"{score.ticked} of {score.total}"
    return f"{text}  ({_WEAKEST})" if weakest else text


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _style_bar(bar: Any, weakest: bool, theme: Any) -> None:
    if weakest:
        bar.set_facecolor(theme.score_colors[1])
        bar.set_hatch("//")
    else:
        bar.set_facecolor(theme.accent)
        bar.set_hatch(None)


def plot_checklist_scores(
    scores: Mapping[str, tuple[int, int]] | Iterable[GroupScore | tuple[str, int, int]],
    *,
    title: str = DEFAULT_TITLE,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Horizontal bars of the share of items ticked in each group; the weakest is marked.

    Parameters
    ----------
    scores
        Per group, in order from top to bottom: :class:`GroupScore` objects,
        ``(name, ticked, total)`` tuples, or a mapping of name to ``(ticked, total)``.
    title
        Chart title.
    ax
        Axes to draw on; a new figure in the active style when ``None``.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh` for the score bars.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids: ``"score-track:<name>"`` (the 100 % background bar), ``"score-bar:<name>"``,
    ``"score-label:<name>"`` ("3 of 4", with "(weakest)" on the weakest groups).
    The weakest groups' bars are hatched and lighter, and their labels say so.
    """
    scored = _as_scores(scores)
    with style_context(current_theme().name) as theme:
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        weakest = set(weakest_groups(scored))
        n = len(scored)
        ys = [n - 1 - i for i in range(n)]
        names = ["\n".join(textwrap.wrap(s.name, _WRAP)) or s.name for s in scored]
        track = ax.barh(
            ys,
            [100] * n,
            height=0.62,
            color=theme.quadrant_fills[3],
            edgecolor=theme.edge,
            linewidth=0.8,
            zorder=1,
        )
        bar_kws = {"height": 0.62, "edgecolor": theme.edge, "linewidth": 1.2, "zorder": 2}
        bar_kws.update(kwargs)
        bars = ax.barh(ys, [_pct(s) for s in scored], **bar_kws)
        for score, y, back, bar in zip(scored, ys, track, bars, strict=True):
            back.set_gid(f"score-track:{score.name}")
            bar.set_gid(f"score-bar:{score.name}")
            if "color" not in kwargs and "facecolor" not in kwargs:
                _style_bar(bar, score.name in weakest, theme)
            ax.text(
                _LABEL_X,
                y,
                _label(score, score.name in weakest),
                ha="left",
                va="center",
                fontsize=max(theme.small_text, theme.label_size),
                fontweight="bold" if score.name in weakest else "normal",
                color=theme.text,
                parse_math=False,
                gid=f"score-label:{score.name}",
            )
        ax.set_yticks(ys, names, parse_math=False)
        ax.set_xlim(0, _XMAX)
        ax.set_ylim(-0.6, n - 0.4)
        ax.spines["bottom"].set_bounds(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("Share of statements ticked", parse_math=False)
        ax.xaxis.label.set_x(50 / _XMAX)  # centred under the 0-100% scale
        ax.set_title(title, loc="left", parse_math=False)
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(False)
    return ax


def update_checklist_scores(
    ax: Axes,
    scores: Mapping[str, tuple[int, int]] | Iterable[GroupScore | tuple[str, int, int]],
) -> Axes:
    """Move the bars and labels of a :func:`plot_checklist_scores` chart to new scores.

    The groups must be the ones drawn (any order); nothing is added to the figure.

    Raises
    ------
    ValueError
        If a group was not drawn on ``ax``.
    """
    scored = _as_scores(scores)
    theme = current_theme()
    weakest = set(weakest_groups(scored))
    artists = {a.get_gid(): a for a in (*ax.patches, *ax.texts) if a.get_gid()}
    for score in scored:
        bar = artists.get(f"score-bar:{score.name}")
        label = artists.get(f"score-label:{score.name}")
        if bar is None or label is None:
            raise ValueError(f"group {score.name!r} is not drawn on this chart")
        bar.set_width(_pct(score))
        _style_bar(bar, score.name in weakest, theme)
        label.set_text(_label(score, score.name in weakest))
        label.set_fontweight("bold" if score.name in weakest else "normal")
    return ax


def describe_checklist_scores(
    scores: Mapping[str, tuple[int, int]] | Iterable[GroupScore | tuple[str, int, int]],
    *,
    title: str = DEFAULT_TITLE,
) -> str:
    """Plain-text twin of :func:`plot_checklist_scores`, for screen readers and alt text."""
    scored = _as_scores(scores)
    weakest = weakest_groups(scored)
    n = len(scored)
    lines = [
        f"{title}: a bar chart of the share of statements ticked in each of {n} "
        f"group{'s' if n != 1 else ''}, from 0% to 100%."
    ]
    for s in scored:
        mark = " This is the weakest group." if s.name in weakest and len(weakest) == 1 else ""
        if s.name in weakest and len(weakest) > 1:
            mark = " One of the weakest groups."
        lines.append(f"{s.name}: {s.ticked} of {s.total} ticked ({round(_pct(s))}%).{mark}")
    if weakest:
        noun = "group" if len(weakest) == 1 else "groups"
        lines.append(f"Weakest {noun}: {_and(list(weakest))}.")
    else:
        lines.append(f"Every group scores the same ({round(_pct(scored[0]))}%).")
    return "\n".join(lines)


def table_checklist_scores(
    scores: Mapping[str, tuple[int, int]] | Iterable[GroupScore | tuple[str, int, int]],
    *,
    title: str = DEFAULT_TITLE,
) -> ChartTable:
    """The bars of :func:`plot_checklist_scores` as a table, one row per group.

    Columns: group, statements ticked, of how many, the share ticked (the bar's length)
    and whether it is one of the weakest groups (marked on the chart).
    """
    scored = _as_scores(scores)
    weakest = set(weakest_groups(scored))
    return ChartTable(
        title,
        ("Group", "Ticked", "Of", "Share ticked", "Weakest"),
        tuple((s.name, s.ticked, s.total, f"{round(_pct(s))}%", s.name in weakest) for s in scored),
    )


# --------------------------------------------------------------------------- widget


class Checklist(widgets.VBox):
    """The widget :func:`checklist` returns.

    Attributes
    ----------
    exercise : Exercise
    checkboxes : dict
        Item key to its ``ipywidgets.Checkbox``.
    done_button : ipywidgets.Button
        "I've finished".
    score : ipywidgets.HTML
        The score line and what it means (and the per-group scores).
    chart : ipywidgets.HTML or None
        The score-by-group picture with its text description (grouped checklists only).
    figure : matplotlib.figure.Figure or None
        The one figure the chart is drawn on.
    """

    exercise: Exercise
    checkboxes: dict[str, widgets.Checkbox]
    done_button: widgets.Button
    score: widgets.HTML
    chart: widgets.HTML | None
    figure: Figure | None

    def ticked(self) -> list[str]:
        """Keys of the ticked items, in item order."""
        return [key for key, box in self.checkboxes.items() if box.value]


def _group_scores(
    groups: Sequence[tuple[str, Sequence[str]]], ticked: set[str]
) -> tuple[GroupScore, ...]:
    return tuple(GroupScore(t, sum(k in ticked for k in keys), len(keys)) for t, keys in groups)


def checklist(
    items: Iterable[ChecklistItem | tuple[str, str] | Any],
    *,
    notebook: str,
    exercise: str,
    bands: Iterable[ScoreBand],
    store: AnswerStore | None = None,
    progress: NotebookProgress | None = None,
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    title: str | None = None,
    chart_title: str = DEFAULT_TITLE,
) -> Checklist:
    """A tick-box checklist with a live score and what it means.

    Parameters
    ----------
    items
        The statements: ``(key, text)`` pairs, :class:`ChecklistItem` objects, or any
        objects with ``.key`` and ``.text``. Keys must be unique.
    notebook, exercise
        Where the answers are stored (fields ``ticked`` and ``done``).
    bands
        :class:`ScoreBand` list; one must start at 0.
    store, progress
        The answer store (default: the learner's) and the notebook's progress line.
    groups
        ``(group title, item keys)`` pairs covering every item once. With groups the
        widget shows each group's score and a bar chart of them, naming the weakest.
    title
        Heading above the checklist.
    chart_title
        Title of the score-by-group chart.

    Returns
    -------
    Checklist
        A VBox with classes ``pl-exercise`` and ``pl-checklist``. Complete once the
        learner presses "I've finished" (with any number of items ticked).
    """
    items = _as_items(items)
    grouped = _as_groups(groups, items)
    bands = _as_bands(bands)
    ex = Exercise(
        notebook, exercise, store=store, progress=progress, kind="checklist", title=title or ""
    )
    style_name = current_theme().name
    total = len(items)
    by_key = {i.key: i for i in items}

    checkboxes = {
        item.key: widgets.Checkbox(
            value=False,
            description=item.text,
            indent=False,
            tooltip=item.text,
            layout=widgets.Layout(width="auto"),
        )
        for item in items
    }
    score = widgets.HTML()
    score.add_class("pl-score")
    done_button = widgets.Button(
        description="I've finished",
        icon="check",
        tooltip="Record that you have finished this checklist",
    )

    def _new_figure():
        with style_context(style_name):
            ax = plot_checklist_scores(_group_scores(grouped, set()), title=chart_title)
        plt.close(ax.figure)  # keep the Figure; pyplot must neither hold nor show it
        return ax.figure

    fig = None
    chart = None
    if grouped is not None:
        chart = widgets.HTML(layout=widgets.Layout(width="100%"))
        chart.add_class("pl-chart-view")
        fig = _new_figure()

    def _stored_ticks() -> tuple[set[str], str | None]:
        stored = ex.get(TICKED_FIELD)
        if stored is None:
            return set(), None
        if not isinstance(stored, list):
            return set(), (
                "Your saved ticks could not be read (they are not a list), so none are shown. "
                "They are kept in your history."
            )
        good = {k for k in stored if isinstance(k, str) and k in by_key}
        bad = [k for k in stored if not (isinstance(k, str) and k in by_key)]
        if bad:
            shown = ", ".join(repr(k) for k in bad[:5])
            return good, (
                f"Ignored {len(bad)} saved tick{'s' if len(bad) != 1 else ''} for statements "
                f"this checklist does not have ({shown}). They are kept in your history."
            )
        return good, None

    def _show(ticked: set[str]) -> None:
        for key, box in checkboxes.items():
            box.unobserve(_changed, names="value")
            try:
                box.value = key in ticked
            finally:
                box.observe(_changed, names="value")

    def _summary() -> str:
        ticked = set(w.ticked())
        n = len(ticked)
        band = band_for(n / total, bands)
        meaning = f" {escape(band.meaning)}" if band.meaning else ""
        html = (
            f'<div class="pl-score-line"><strong>{n} of {total}</strong> ticked. '
            f"<strong>{escape(band.label)}:</strong>{meaning}</div>"
        )
        if grouped is not None:
            scores = _group_scores(grouped, ticked)
            weakest = set(weakest_groups(scores))
            rows = "".join(
                f"<li>{escape(s.name)}: {s.ticked} of {s.total}"
                f"{' <strong>(weakest)</strong>' if s.name in weakest else ''}</li>"
                for s in scores
            )
            html += f'<ul class="pl-group-scores" style="margin:0.2em 0 0.4em 1.2em">{rows}</ul>'
        return html

    def _redraw() -> None:
        score.value = _summary()
        if fig is None or chart is None or grouped is None:
            return
        scores = _group_scores(grouped, set(w.ticked()))
        with style_context(style_name):
            update_checklist_scores(fig.axes[0], scores)
            width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
            chart.value = chart_html(
                figure_png(fig),
                describe_checklist_scores(scores, title=chart_title),
                width=width,
                height=height,
                table=table_checklist_scores(scores, title=chart_title),
            )

    def _short_score() -> str:
        n = len(w.ticked())
        return f"{n} of {total} ticked: {band_for(n / total, bands).label}."

    unreadable = [False]  # the stored ticks could not all be shown: keep them in history

    def _save_ticks() -> bool:
        if unreadable[0]:
            unreadable[0] = not ex.save(TICKED_FIELD, w.ticked(), coalesce=False)
            return not unreadable[0]
        return ex.save(TICKED_FIELD, w.ticked())

    def _changed(_change: dict[str, Any]) -> None:
        if _save_ticks():
            ex.mark("complete" if ex.get(DONE_FIELD) is True else "started")
            ex.announce(f"Saved. {_short_score()}", "saved")
        _redraw()

    def _done(_button: widgets.Button) -> None:
        if not _save_ticks() or not ex.save(DONE_FIELD, True):
            return
        ex.mark("complete")
        ex.announce(f"Finished and saved. {_short_score()}", "saved")

    def _after_reset() -> None:
        ticked, problem = _stored_ticks()
        unreadable[0] = problem is not None
        _show(ticked)
        _redraw()
        if problem:
            ex.announce(problem, "warning")

    heading = [widgets.HTML(f'<h3 class="pl-exercise-title">{escape(title)}</h3>')] if title else []
    if grouped is None:
        rows: list[widgets.Widget] = list(checkboxes.values())
    else:
        rows = []
        for group_title, keys in grouped:
            rows.append(
                widgets.HTML(
                    f'<div class="pl-group-title"><strong>{escape(group_title)}</strong></div>'
                )
            )
            rows.extend(checkboxes[k] for k in keys)
    w = Checklist(
        [
            *heading,
            widgets.VBox(rows, layout=widgets.Layout(width="100%")),
            score,
            *([chart] if chart is not None else []),
            done_button,
            ex.status,
            ex.reset_bar(),
        ],
        layout=widgets.Layout(width="100%"),
    )
    w.add_class("pl-exercise")
    w.add_class("pl-checklist")
    w.exercise, w.checkboxes, w.done_button = ex, checkboxes, done_button
    w.score, w.chart, w.figure = score, chart, fig

    ticked, problem = _stored_ticks()
    unreadable[0] = problem is not None
    for box in checkboxes.values():
        box.observe(_changed, names="value")
    _show(ticked)
    _redraw()
    if problem:
        ex.announce(problem, "warning")
    done_button.on_click(_done)
    ex.on_reset(_after_reset)

    def _restyle(name: str) -> None:  # projector mode: a new figure in the new style
        nonlocal style_name, fig
        style_name = name
        fig = w.figure = _new_figure()
        _redraw()

    if fig is not None:
        on_style_change(_restyle, owner=w)
    return w
