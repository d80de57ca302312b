"""Checklists scored by group: items, score bands, and the chart of the group scores.

A checklist groups ticked items (benefits sought, conditions met, signs of readiness);
each group's score is the share of its items ticked, and a :class:`ScoreBand` says what
a score means. :func:`plot_checklist_scores` draws the scores as bars with the weakest
groups marked; an empty group is drawn empty.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgba

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.core import content
from partnership_lib.core.style import current_theme, in_active_style, style_context

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes


DEFAULT_TITLE = "Score by group"


_WEAKEST = "weakest"


_WRAP = 30  # characters per line of a group name on the chart


_LABEL_X = 103  # score labels sit in a column right of the 100% end of the bars


_XMAX = 150


#: The faint track behind each bar, 0 to 100 %: a light grey fill without an outline
#: (1.2:1 on white), so a group with nothing ticked reads as empty, not as a full bar.
TRACK_COLOUR = "#EBEBEB"


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


def as_items(items: Iterable[Any]) -> tuple[ChecklistItem, ...]:
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


def as_groups(
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


def as_bands(bands: Iterable[ScoreBand]) -> tuple[ScoreBand, ...]:
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


def group_scores(
    groups: Iterable[tuple[str, Iterable[str]]], ticked: Iterable[str]
) -> list[GroupScore]:
    """Each group's score when the items ``ticked`` are ticked (groups from :func:`as_groups`)."""
    chosen = set(ticked)
    out = []
    for title, keys in groups:
        members = tuple(keys)
        out.append(GroupScore(title, sum(k in chosen for k in members), len(members)))
    return out


def band_for(fraction: float, bands: Iterable[ScoreBand]) -> ScoreBand:
    """The band a score falls in: the one with the highest ``min_fraction`` not above it."""
    chosen = None
    for band in as_bands(bands):
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


def _pct(score: GroupScore) -> float:
    return 100 * score.fraction


def _label(score: GroupScore, weakest: bool) -> str:
    text = f"{score.ticked} of {score.total}"
    return f"{text}  ({_WEAKEST})" if weakest else text


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _style_bar(bar: Any, score: GroupScore, weakest: bool, theme: Any) -> None:
    # An empty group has no bar at all: a zero-width bar's outline is a dark sliver at 0%.
    bar.set_visible(score.ticked > 0)
    if weakest:
        bar.set_facecolor(theme.score_colors[1])
        bar.set_hatch("//")
    else:
        bar.set_facecolor(theme.accent)
        bar.set_hatch(None)


def _bar_look(bar: Any) -> tuple[Any, ...]:
    return (bar.get_width(), to_rgba(bar.get_facecolor()), bar.get_hatch(), bar.get_visible())


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
    Gids: ``"score-track:<name>"`` (the faint 0 to 100 % track behind a bar, without an
    outline, so that an empty group reads as empty), ``"score-bar:<name>"`` (hidden when
    nothing in the group is ticked), ``"score-label:<name>"`` ("3 of 4", with "(weakest)"
    on the weakest groups). The weakest groups' bars are hatched and lighter, and their
    labels say so.
    """
    scored = _as_scores(scores)
    with style_context(current_theme().name) as theme:
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        weakest = set(weakest_groups(scored))
        ys = [len(scored) - 1 - i for i in range(len(scored))]
        track = ax.barh(ys, [100] * len(scored), height=0.62, color=TRACK_COLOUR, linewidth=0)
        bar_kws = {"height": 0.62, "edgecolor": theme.edge, "linewidth": 1.2, "zorder": 2}
        bar_kws.update(kwargs)
        bars = ax.barh(ys, [_pct(s) for s in scored], **bar_kws)
        for score, y, back, bar in zip(scored, ys, track, bars, strict=True):
            back.set_gid(f"score-track:{score.name}")
            back.set_zorder(1)
            bar.set_gid(f"score-bar:{score.name}")
            if "color" not in kwargs and "facecolor" not in kwargs:
                _style_bar(bar, score, score.name in weakest, theme)
            else:
                bar.set_visible(score.ticked > 0)
            ax.text(
                _LABEL_X,
                y,
                _label(score, score.name in weakest),
                ha="left",
                va="center",
                fontsize=max(theme.small_text, theme.label_size),
                fontweight="bold" if score.name in weakest else "normal",
                color=theme.text,
                gid=f"score-label:{score.name}",
            )
        _style_score_axes(ax, scored, ys, title)
    return ax


def _style_score_axes(
    ax: Axes, scored: Sequence[GroupScore], ys: Sequence[int], title: str
) -> None:
    names = ["\n".join(textwrap.wrap(s.name, _WRAP)) or s.name for s in scored]
    ax.set_yticks(ys, names)
    ax.set_xlim(0, _XMAX)
    ax.set_ylim(-0.6, len(scored) - 0.4)
    ax.spines["bottom"].set_bounds(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("Share of statements ticked")
    ax.xaxis.label.set_x(50 / _XMAX)  # centred under the 0-100% scale
    ax.set_title(title, loc="left")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(False)


@in_active_style
def update_checklist_scores(
    ax: Axes,
    scores: Mapping[str, tuple[int, int]] | Iterable[GroupScore | tuple[str, int, int]],
    *,
    title: str | None = None,
) -> list[Artist] | None:
    """Move the bars and labels of a :func:`plot_checklist_scores` chart to new scores.

    The groups must be the ones drawn (any order); nothing is added to the figure. Call
    it in the style the chart was drawn in.

    Returns
    -------
    list of Artist or None
        The bars and labels whose look changed (``[]`` when none did), so a live chart
        repaints only them; ``None`` when ``title`` is not the one drawn (draw again).

    Raises
    ------
    ValueError
        If a group was not drawn on ``ax``.
    """
    scored = _as_scores(scores)
    if title is not None and ax.get_title(loc="left") != title:
        return None
    theme = current_theme()
    weakest = set(weakest_groups(scored))
    artists = {a.get_gid(): a for a in (*ax.patches, *ax.texts) if a.get_gid()}
    changed: list[Artist] = []
    for score in scored:
        bar = artists.get(f"score-bar:{score.name}")
        label = artists.get(f"score-label:{score.name}")
        if bar is None or label is None:
            raise ValueError(f"group {score.name!r} is not drawn on this chart")
        weak = score.name in weakest
        before = _bar_look(bar)
        bar.set_width(_pct(score))
        _style_bar(bar, score, weak, theme)
        if _bar_look(bar) != before:
            changed.append(bar)
        text, weight = _label(score, weak), "bold" if weak else "normal"
        if (label.get_text(), label.get_fontweight()) != (text, weight):
            label.set_text(text)
            label.set_fontweight(weight)
            changed.append(label)
    return changed


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


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_checklist_scores,
    describe=describe_checklist_scores,
    table=table_checklist_scores,
    update=update_checklist_scores,
)
