"""Ratings from 1 to 5: checking them, and the charts of one set or of two.

:func:`plot_ratings` draws a set of ratings as bars (or a radar of group means);
:func:`plot_rating_change` draws two sets of the same items (for example the start and
the end of the day). Each has ``describe_*`` and ``table_*`` twins.
"""

from __future__ import annotations

import math
import numbers
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.text import Text

from partnership_lib.charts.chart import Chart, ChartTable, declare_chart, render_chart
from partnership_lib.core.style import current_theme, in_active_style, style_context

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

RATING_MIN, RATING_MAX = 1, 5
RATINGS_FIELD = "ratings"
ChartKind = Literal["bar", "radar"]
_WRAP = 28


def check_rating(item: str, value: Any) -> int | None:
    """Return a valid rating (or None for not rated); raise ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"rating for {item!r} must be a whole number from {RATING_MIN} to {RATING_MAX}, "
            f"got {value!r}"
        )
    if not math.isfinite(value) or value != int(value):
        raise ValueError(
            f"rating for {item!r} must be a whole number from {RATING_MIN} to {RATING_MAX}, "
            f"got {value!r}"
        )
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(
            f"rating for {item!r} must be from {RATING_MIN} to {RATING_MAX}, got {value!r}"
        )
    return int(value)


def _before_after(
    before: Mapping[str, int | None],
    after: Mapping[str, int | None],
    labels: Mapping[str, str] | None,
    *names: Any,
) -> tuple[dict[str, int | None], dict[str, int | None], tuple[tuple[str, str], ...]]:
    """Both sets of ratings, checked, and the items of either; ``names`` must be text."""
    first = _ratings(before)
    last = _ratings(after)
    items = _items(first, labels, last)
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"chart labels must be non-empty text, got {name!r}")
    return first, last, items


def _items(
    ratings: Mapping[str, Any], labels: Mapping[str, str] | None, *extra: Mapping[str, Any]
) -> tuple[tuple[str, str], ...]:
    """(key, label) of every item: the labels' order, or the ratings' keys in order."""
    if labels is not None:
        if not isinstance(labels, Mapping):
            raise ValueError(f"labels must be a mapping of item key to label, got {labels!r}")
        for key, label in labels.items():
            if not isinstance(label, str) or not label.strip():
                raise ValueError(f"label for {key!r} must be non-empty text, got {label!r}")
        for source in (ratings, *extra):
            for key in source:
                if key not in labels:
                    raise ValueError(f"rated item {key!r} has no label")
        items = tuple((str(k), v) for k, v in labels.items())
    else:
        keys: list[str] = []
        for source in (ratings, *extra):
            keys.extend(k for k in source if k not in keys)
        items = tuple((str(k), str(k)) for k in keys)
    for key, _ in items:
        if not key.strip():
            raise ValueError(f"item key must be non-empty text, got {key!r}")
    if not items:
        raise ValueError("give at least one item to rate")
    return items


def _ratings(ratings: Mapping[str, Any]) -> dict[str, int | None]:
    if not isinstance(ratings, Mapping):
        raise ValueError(f"ratings must be a mapping of item key to rating, got {ratings!r}")
    return {k: check_rating(k, v) for k, v in ratings.items()}


def rating_groups(
    groups: Iterable[tuple[str, Iterable[str]]] | None, keys: Sequence[str]
) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if groups is None:
        return None
    out = []
    seen: dict[str, str] = {}
    for entry in groups:
        try:
            title, members = entry
        except (TypeError, ValueError):
            raise ValueError(f"rating group {entry!r} must be a (title, item keys) pair") from None
        if not isinstance(title, str) or not title.strip():
            raise ValueError(f"rating group title must be non-empty text, got {title!r}")
        if isinstance(members, str):
            raise ValueError(f"rating group {title!r}: item keys must be a list, got {members!r}")
        members = tuple(members)
        if not members:
            raise ValueError(f"rating group {title!r} has no items")
        for key in members:
            if key not in keys:
                raise ValueError(f"rating group {title!r}: unknown item {key!r}")
            if key in seen:
                raise ValueError(f"item {key!r} is in two groups: {seen[key]!r} and {title!r}")
            seen[key] = title
        out.append((title, members))
    if not out:
        raise ValueError("groups is empty; pass None for ungrouped items")
    titles = [t for t, _ in out]
    dupes = sorted({t for t in titles if titles.count(t) > 1})
    if dupes:
        raise ValueError(f"duplicate group title {dupes[0]!r}")
    missing = [k for k in keys if k not in seen]
    if missing:
        raise ValueError(f"item {missing[0]!r} is in no group")
    return tuple(out)


def _spokes(
    rated: Mapping[str, int | None],
    items: Sequence[tuple[str, str]],
    groups: Sequence[tuple[str, Sequence[str]]] | None,
) -> list[tuple[str, str, float | None, int, int]]:
    """Radar spokes: (key, label, mean or None, rated count, item count)."""
    if groups is None:
        return [(k, lab, rated.get(k), int(rated.get(k) is not None), 1) for k, lab in items]
    spokes = []
    for title, members in groups:
        values = [rated[k] for k in members if rated.get(k) is not None]
        mean = sum(values) / len(values) if values else None
        spokes.append((title, title, mean, len(values), len(members)))
    return spokes


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, _WRAP)) or text


def plot_ratings(
    ratings: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    kind: ChartKind = "bar",
    title: str = "Your ratings",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw 1-to-5 ratings: a bar per item, or a radar of items or of group means.

    Parameters
    ----------
    ratings
        Item key to rating (1 to 5), or None for not rated.
    labels
        Item key to label; sets the items and their order (items missing from
        ``ratings`` are shown as not rated). By default the ratings' keys, in order.
    groups
        ``(group title, item keys)`` pairs covering every item once. For ``"radar"`` the
        spokes are the groups, at the mean of their rated items.
    kind
        ``"bar"`` (default) or ``"radar"`` (needs at least three spokes).
    title
        Chart title.
    ax
        Axes to draw on (polar for a radar); a new figure in the active style when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh` (bar) or to the radar's line.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids, bar: ``"rating-bar:<key>"``, ``"rating-value:<key>"`` (the number, or "not
    rated"). Radar: ``"rating-line"``, ``"rating-fill"``, ``"rating-value:<spoke>"``
    where the spoke is the item key, or the group title with groups.
    """
    rated = _ratings(ratings)
    items = _items(rated, labels)
    grouped = rating_groups(groups, [k for k, _ in items])
    if kind not in ("bar", "radar"):
        raise ValueError(f"unknown chart kind {kind!r}; choose 'bar' or 'radar'")
    with style_context(current_theme().name) as theme:
        if kind == "bar":
            if ax is None:
                _, ax = plt.subplots(layout="constrained")
            _draw_bars(ax, rated, items, title, theme, kwargs)
        else:
            spokes = _spokes(rated, items, grouped)
            if len(spokes) < 3:
                raise ValueError(f"a radar chart needs at least three spokes, got {len(spokes)}")
            if ax is None:
                _, ax = plt.subplots(subplot_kw={"projection": "polar"}, layout="constrained")
            if ax.name != "polar":
                raise ValueError("a radar chart needs a polar Axes (projection='polar')")
            _draw_radar(ax, spokes, title, theme, kwargs)
    return ax


def _bar_colour(theme: Any, value: int | None) -> str:
    return theme.score_colors[(value or 1) - 1]


def _value_text(value: int | None) -> str:
    return "not rated" if value is None else str(value)


def _draw_bars(
    ax: Axes,
    rated: Mapping[str, int | None],
    items: Sequence[tuple[str, str]],
    title: str,
    theme: Any,
    kwargs: Mapping[str, Any],
) -> None:
    n = len(items)
    ys = [n - 1 - i for i in range(n)]
    values = [rated.get(k) for k, _ in items]
    bar_kws = {"height": 0.6, "edgecolor": theme.edge, "linewidth": 1.2, "zorder": 2}
    bar_kws.update(kwargs)
    bars = ax.barh(ys, [v or 0 for v in values], **bar_kws)
    size = max(theme.small_text, theme.label_size)
    for (key, _), y, bar, value in zip(items, ys, bars, values, strict=True):
        bar.set_gid(f"rating-bar:{key}")
        if "color" not in kwargs and "facecolor" not in kwargs:
            bar.set_facecolor(_bar_colour(theme, value))
        ax.text(
            (value or 0) + 0.12,
            y,
            _value_text(value),
            ha="left",
            va="center",
            fontsize=size,
            fontweight="bold" if value is not None else "normal",
            fontstyle="normal" if value is not None else "italic",
            color=theme.text if value is not None else theme.muted_text,
            gid=f"rating-value:{key}",
        )
    ax.set_yticks(ys, [_wrap(label) for _, label in items])
    ax.set_xlim(0, RATING_MAX + 0.9)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xticks(range(RATING_MIN, RATING_MAX + 1))
    ax.spines["bottom"].set_bounds(0, RATING_MAX)
    ax.set_xlabel(f"Rating ({RATING_MIN} to {RATING_MAX})")
    ax.xaxis.label.set_x(RATING_MAX / 2 / (RATING_MAX + 0.9))
    ax.set_title(title, loc="left")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color=theme.quadrant_fills[3], linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)


def _angles(n: int) -> np.ndarray:
    return np.linspace(0, 2 * np.pi, n, endpoint=False)


def _radar_xy(spokes: Sequence[tuple[str, str, float | None, int, int]]) -> tuple[list, list]:
    thetas = list(_angles(len(spokes)))
    radii = [s[2] if s[2] is not None else 0.0 for s in spokes]
    return [*thetas, thetas[0]], [*radii, radii[0]]


def _rated_points(spokes: Sequence[tuple[str, str, float | None, int, int]]) -> list[int]:
    """Indices of the spokes with a value: only they get a marker (not-rated sits at 0)."""
    return [i for i, s in enumerate(spokes) if s[2] is not None]


def _radar_label_r(value: float | None) -> float:
    """Radius of a spoke's value label: just outside the point, or inside near the rim."""
    if value is None:
        return 0.7
    return value + 0.55 if value <= RATING_MAX - 1 else value - 0.6


def _radar_value(spoke: tuple[str, str, float | None, int, int]) -> str:
    return "not rated" if spoke[2] is None else _fmt(spoke[2])


def _draw_radar(
    ax: Axes,
    spokes: Sequence[tuple[str, str, float | None, int, int]],
    title: str,
    theme: Any,
    kwargs: Mapping[str, Any],
) -> None:
    thetas = _angles(len(spokes))
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, RATING_MAX)
    ax.set_rgrids(
        range(RATING_MIN, RATING_MAX + 1),
        [str(v) for v in range(RATING_MIN, RATING_MAX + 1)],
        angle=180 / len(spokes),  # between the first two spokes, clear of the values
        fontsize=theme.small_text,
        color=theme.muted_text,
    )
    ax.set_xticks(thetas, [_wrap(s[1]) for s in spokes])
    ax.tick_params(axis="x", pad=max(8, theme.label_size))
    for label, theta in zip(ax.get_xticklabels(), thetas, strict=True):
        # clockwise from the top: spokes on the right read outwards to the right
        side = math.sin(theta)
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    xs, ys = _radar_xy(spokes)
    ax.fill(xs, ys, color=theme.score_colors[1], alpha=0.6, zorder=1, gid="rating-fill")
    line_kws = {
        "color": theme.accent,
        "linewidth": plt.rcParams["lines.linewidth"],
        "marker": "o",
        "markersize": 4 + theme.label_size / 2,
        "zorder": 3,
        "clip_on": False,  # a point at 5 sits on the rim
        "markevery": _rated_points(spokes),
    }
    line_kws.update(kwargs)
    ax.plot(xs, ys, gid="rating-line", **line_kws)
    for theta, spoke in zip(thetas, spokes, strict=True):
        ax.text(
            theta,
            _radar_label_r(spoke[2]),
            _radar_value(spoke),
            ha="center",
            va="center",
            fontsize=max(theme.small_text, theme.label_size),
            fontweight="bold" if spoke[2] is not None else "normal",
            fontstyle="normal" if spoke[2] is not None else "italic",
            color=theme.text if spoke[2] is not None else theme.muted_text,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            zorder=4,
            gid=f"rating-value:{spoke[0]}",
        )
    ax.set_title(title, loc="left", pad=max(12, 2 * theme.label_size))
    ax.grid(True, color=theme.quadrant_fills[3] if theme.name != "high_contrast" else "#737373")
    ax.spines["polar"].set_color(theme.edge)


def _look(artist: Any) -> tuple[Any, ...]:
    """What an updater may change about one artist, comparable before and after."""
    if isinstance(artist, Text):
        return (
            artist.get_text(),
            tuple(float(v) for v in artist.get_position()),
            artist.get_fontweight(),
            artist.get_fontstyle(),
            to_rgba(artist.get_color()),
        )
    if isinstance(artist, Rectangle):
        return (artist.get_width(), to_rgba(artist.get_facecolor()))
    if isinstance(artist, Line2D):
        return (np.asarray(artist.get_xydata()).tobytes(), repr(artist.get_markevery()))
    return (np.asarray(artist.get_xy()).tobytes(),)  # the radar's fill (a Polygon)


@in_active_style
def update_ratings(
    ax: Axes,
    ratings: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    kind: ChartKind = "bar",
    title: str | None = None,
) -> list[Artist] | None:
    """Move a :func:`plot_ratings` chart's bars or radar line to new ratings, in place.

    Pass the same ``labels``, ``groups`` and ``kind`` as when it was drawn (and its
    ``title``, if you want it checked). Call it in the style the chart was drawn in.

    Returns
    -------
    list of Artist or None
        The artists whose look changed (``[]`` when none did), so a live chart repaints
        only them; ``None`` when this chart cannot be updated in place and must be drawn
        again: a radar on Cartesian Axes or bars on polar ones, or a new title.

    Raises
    ------
    ValueError
        For a bad rating, or an item or spoke that is not drawn on ``ax``.
    """
    rated = _ratings(ratings)
    items = _items(rated, labels)
    grouped = rating_groups(groups, [k for k, _ in items])
    if kind not in ("bar", "radar"):
        raise ValueError(f"unknown chart kind {kind!r}; choose 'bar' or 'radar'")
    if (ax.name == "polar") != (kind == "radar"):
        return None
    if title is not None and ax.get_title(loc="left") != title:
        return None
    theme = current_theme()
    artists = {a.get_gid(): a for a in (*ax.patches, *ax.texts, *ax.lines) if a.get_gid()}

    def _find(gid: str) -> Any:
        if gid not in artists:
            raise ValueError(f"{gid.split(':', 1)[-1]!r} is not drawn on this chart")
        return artists[gid]

    def _set_value(text: Any, value: float | None, label: str) -> None:
        text.set_text(label)
        text.set_fontweight("bold" if value is not None else "normal")
        text.set_fontstyle("normal" if value is not None else "italic")
        text.set_color(theme.text if value is not None else theme.muted_text)

    if kind == "bar":
        touched = [(_find(f"rating-bar:{k}"), _find(f"rating-value:{k}")) for k, _ in items]
    else:
        spokes = _spokes(rated, items, grouped)
        touched = [(_find("rating-line"), _find("rating-fill"))]
        touched += [(_find(f"rating-value:{s[0]}"),) for s in spokes]
    before = {id(a): _look(a) for pair in touched for a in pair}
    if kind == "bar":
        for (key, _), (bar, text) in zip(items, touched, strict=True):
            value = rated.get(key)
            bar.set_width(value or 0)
            bar.set_facecolor(_bar_colour(theme, value))
            text.set_x((value or 0) + 0.12)
            _set_value(text, value, _value_text(value))
    else:
        xs, ys = _radar_xy(spokes)
        line, fill = touched[0]
        line.set_data(xs, ys)
        line.set_markevery(_rated_points(spokes))
        fill.set_xy(np.column_stack([xs, ys]))
        for theta, spoke, (text,) in zip(_angles(len(spokes)), spokes, touched[1:], strict=True):
            text.set_position((theta, _radar_label_r(spoke[2])))
            _set_value(text, spoke[2], _radar_value(spoke))
    return [a for pair in touched for a in pair if _look(a) != before[id(a)]]


def describe_ratings(
    ratings: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    kind: ChartKind = "bar",
    title: str = "Your ratings",
) -> str:
    """Plain-text twin of :func:`plot_ratings`, for screen readers and alt text."""
    rated = _ratings(ratings)
    items = _items(rated, labels)
    grouped = rating_groups(groups, [k for k, _ in items])
    done = sum(rated.get(k) is not None for k, _ in items)
    scale = f"from {RATING_MIN} to {RATING_MAX}"
    if kind == "bar":
        lines = [
            f"{title}: a bar chart of ratings {scale}, one bar per item; "
            f"{done} of {_count(len(items), 'item')} rated."
        ]
        lines += [f"{label}: {_value_text(rated.get(key))}." for key, label in items]
        return "\n".join(lines)
    if kind != "radar":
        raise ValueError(f"unknown chart kind {kind!r}; choose 'bar' or 'radar'")
    spokes = _spokes(rated, items, grouped)
    if grouped is None:
        lines = [
            f"{title}: a radar chart of ratings {scale}, one spoke per item starting at the "
            f"top and running clockwise; {done} of {_count(len(items), 'item')} rated."
        ]
        lines += [f"{s[1]}: {_radar_value(s)}." for s in spokes]
    else:
        lines = [
            f"{title}: a radar chart of the mean rating {scale} in each of {len(spokes)} "
            f"groups, starting at the top and running clockwise; {done} of "
            f"{_count(len(items), 'item')} rated."
        ]
        for s in spokes:
            value = "not rated" if s[2] is None else f"mean {_fmt(s[2])}"
            lines.append(
                f"{s[1]}: {value} ({s[3]} of {s[4]} item{'s' if s[4] != 1 else ''} rated)."
            )
    return "\n".join(lines)


def table_ratings(
    ratings: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    groups: Iterable[tuple[str, Iterable[str]]] | None = None,
    kind: ChartKind = "bar",
    title: str = "Your ratings",
) -> ChartTable:
    """The ratings of :func:`plot_ratings` as a table, one row per item.

    Columns: item, its group (when ``groups`` are given) and its rating ("not rated"
    for none). A radar of group means adds each group's mean, the value its spoke shows.
    """
    rated = _ratings(ratings)
    items = _items(rated, labels)
    grouped = rating_groups(groups, [k for k, _ in items])
    if kind not in ("bar", "radar"):
        raise ValueError(f"unknown chart kind {kind!r}; choose 'bar' or 'radar'")
    group_of = {k: t for t, members in grouped or () for k in members}
    means = {s[0]: _radar_value(s) for s in _spokes(rated, items, grouped)}
    with_means = kind == "radar" and grouped is not None
    columns: tuple[str, ...] = ("Item",)
    if grouped is not None:
        columns += ("Group",)
    columns += (f"Rating ({RATING_MIN} to {RATING_MAX})",)
    if with_means:
        columns += ("Group mean",)
    order = [k for _, members in grouped for k in members] if grouped else [k for k, _ in items]
    names = dict(items)
    rows = []
    for key in order:
        row: tuple[Any, ...] = (names[key],)
        if grouped is not None:
            row += (group_of[key],)
        row += (_value_text(rated.get(key)),)
        if with_means:
            row += (means[group_of[key]],)
        rows.append(row)
    return ChartTable(title, columns, tuple(rows))


def _change_text(b: int | None, a: int | None) -> str:
    if b is None and a is None:
        return "not rated"
    if b is None:
        return f"{a} (no start rating)"
    if a is None:
        return f"{b} (no end rating)"
    if a == b:
        return f"{b} (no change)"
    return f"{b} \u2192 {a} ({a - b:+d})"


def plot_rating_change(
    before: Mapping[str, int | None],
    after: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Start of day",
    after_label: str = "End of day",
    title: str = "How your ratings changed",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw two ratings of the same items: a hollow circle before, a filled diamond after.

    An arrow runs from the earlier rating to the later one, and each row ends with the
    change in words ("2 → 4 (+2)"), so the direction never depends on colour.

    Parameters
    ----------
    before, after
        Item key to rating (1 to 5) or None.
    labels
        Item key to label; sets the items and their order. By default the keys of
        ``before`` then any new keys of ``after``.
    before_label, after_label
        Legend names of the two sets.
    title
        Chart title.
    ax
        Axes to draw on; a new figure in the active style when None.
    **kwargs
        Passed to the "after" markers' :meth:`~matplotlib.axes.Axes.scatter`.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Gids: ``"before:<key>"``, ``"after:<key>"`` (one-point scatters),
    ``"change-arrow:<key>"``, ``"change-label:<key>"``.
    """
    first, last, items = _before_after(before, after, labels, before_label, after_label, title)
    with style_context(current_theme().name) as theme:
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
            _fit_rows(ax.figure, [_wrap(label) for _, label in items])
        n = len(items)
        after_kws = {
            "marker": "D",
            "s": theme.point_size * 1.6,
            "color": theme.accent,
            "edgecolor": theme.edge,
            "linewidths": 1.2,
            "zorder": 4,
        }
        after_kws.update(kwargs)
        legend = {"before": before_label, "after": after_label}
        for i, (key, _) in enumerate(items):
            _draw_change_row(
                ax, key, n - 1 - i, first.get(key), last.get(key), theme, after_kws, legend
            )
        _style_change_axes(ax, items, title, theme)
        if legend["before"] is None or legend["after"] is None:  # something was drawn
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)
    return ax


def _fit_rows(fig: Any, labels: Sequence[str]) -> None:
    """Make a new figure tall enough that each row's (wrapped) label clears its neighbours.

    Each row gets the height of its tallest label plus a line's gap; the figure keeps
    the style's height when that is enough, and grows when it is not.
    """
    size = FontProperties(size=plt.rcParams["ytick.labelsize"]).get_size_in_points()
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    pitch = (lines * 1.2 + 1.0) * size / 72  # inches per row
    chrome = 6 * size / 72 + 0.6  # title, legend, x axis and margins
    fig.set_figheight(max(fig.get_figheight(), len(labels) * pitch + chrome))


def _draw_change_row(
    ax: Axes,
    key: str,
    y: int,
    b: int | None,
    a: int | None,
    theme: Any,
    after_kws: Mapping[str, Any],
    legend: dict[str, str | None],
) -> None:
    """One item's ring (before), diamond (after), arrow and change in words.

    ``legend`` holds the legend labels still to give: each goes on the first marker of
    its kind, and is then set to None.
    """
    if b is not None:
        # a ring, drawn over the diamond: an unchanged rating shows both
        ax.scatter(
            [b],
            [y],
            marker="o",
            s=theme.point_size * 1.6 * 2.2,
            facecolors="none",
            edgecolors=theme.text,
            linewidths=2,
            zorder=5,
            gid=f"before:{key}",
            label=legend["before"],
        )
        legend["before"] = None
    if a is not None:
        ax.scatter([a], [y], gid=f"after:{key}", label=legend["after"], **after_kws)
        legend["after"] = None
    if a is not None and b is not None and a != b:
        ax.add_patch(
            FancyArrowPatch(
                (b, y),
                (a, y),
                arrowstyle="-|>",
                mutation_scale=12 + 2 * theme.arrow_width,
                shrinkA=10 + theme.label_size / 2,
                shrinkB=8 + theme.label_size / 2,
                color=theme.muted_text,
                linewidth=theme.arrow_width,
                zorder=3,
                gid=f"change-arrow:{key}",
            )
        )
    ax.text(
        RATING_MAX + 0.45,
        y,
        _change_text(b, a),
        ha="left",
        va="center",
        fontsize=max(theme.small_text, theme.label_size),
        color=theme.text,
        gid=f"change-label:{key}",
    )


def _style_change_axes(ax: Axes, items: Sequence[tuple[str, str]], title: str, theme: Any) -> None:
    n = len(items)
    ax.set_yticks(range(n - 1, -1, -1), [_wrap(label) for _, label in items])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(RATING_MIN - 0.4, RATING_MAX + 2.6)
    ax.set_xticks(range(RATING_MIN, RATING_MAX + 1))
    ax.spines["bottom"].set_bounds(RATING_MIN, RATING_MAX)
    ax.set_xlabel(f"Rating ({RATING_MIN} to {RATING_MAX})")
    ax.xaxis.label.set_x((RATING_MAX - RATING_MIN + 0.8) / 2 / (RATING_MAX - RATING_MIN + 3))
    ax.set_title(title, loc="left")
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    for y in range(n):
        ax.axhline(y, color=theme.quadrant_fills[3], linewidth=0.8, zorder=0, xmax=0.7)


def describe_rating_change(
    before: Mapping[str, int | None],
    after: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Start of day",
    after_label: str = "End of day",
    title: str = "How your ratings changed",
) -> str:
    """Plain-text twin of :func:`plot_rating_change`, for screen readers and alt text."""
    first, last, items = _before_after(before, after, labels)
    up = down = same = 0
    rows = []
    for key, label in items:
        b, a = first.get(key), last.get(key)
        if b is not None and a is not None:
            if a > b:
                up += 1
                change = f"up {a - b}"
            elif a < b:
                down += 1
                change = f"down {b - a}"
            else:
                same += 1
                change = "no change"
            rows.append(
                f"{label}: {before_label.lower()} {b}, {after_label.lower()} {a} ({change})."
            )
        else:
            rows.append(
                f"{label}: {before_label.lower()} {_value_text(b)}, "
                f"{after_label.lower()} {_value_text(a)}."
            )
    head = (
        f"{title}: ratings from {RATING_MIN} to {RATING_MAX} for {_count(len(items), 'item')}, "
        f"{before_label.lower()} (hollow circle) and {after_label.lower()} (filled diamond). "
        f"{up} went up, {down} went down, {same} stayed the same."
    )
    return "\n".join([head, *rows])


def table_rating_change(
    before: Mapping[str, int | None],
    after: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Start of day",
    after_label: str = "End of day",
    title: str = "How your ratings changed",
) -> ChartTable:
    """The two ratings of :func:`plot_rating_change` as a table, one row per item.

    Columns: item, the two ratings (headed with their labels; "not rated" for none) and
    the change ("+2", "-1", "no change"; empty unless both are rated).
    """
    first, last, items = _before_after(before, after, labels, before_label, after_label, title)
    rows = []
    for key, label in items:
        b, a = first.get(key), last.get(key)
        change = None
        if a is not None and b is not None:
            change = "no change" if a == b else f"{a - b:+d}"
        rows.append((label, _value_text(b), _value_text(a), change))
    return ChartTable(title, ("Item", before_label, after_label, "Change"), tuple(rows))


def compare_ratings(
    before: Mapping[str, int | None],
    after: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Start of day",
    after_label: str = "End of day",
    style_name: str | None = None,
) -> Chart:
    """The rating-change chart as a notebook output: PNG plus its text description."""
    return render_chart(
        plot_rating_change,
        before,
        after,
        labels=labels,
        before_label=before_label,
        after_label=after_label,
        style_name=style_name,
    )


@in_active_style
def update_rating_change(
    ax: Axes,
    before: Mapping[str, int | None],
    after: Mapping[str, int | None],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Start of day",
    after_label: str = "End of day",
    title: str = "How your ratings changed",
    **kwargs: Any,
) -> list[Any] | None:
    """Move the markers, arrows and change labels of a drawn :func:`plot_rating_change`.

    Returns
    -------
    list of Artist or None
        The artists that changed (``[]`` when no rating did); ``None`` when ``ax`` is
        not a rating-change chart of the same items and names, a marker or arrow
        appears or disappears, or ``kwargs`` restyle the markers, so the chart must be
        drawn in full.
    """
    first, last, items = _before_after(before, after, labels, before_label, after_label, title)
    found = {a.get_gid(): a for a in (*ax.collections, *ax.patches, *ax.texts)}
    legend = ax.get_legend()
    names = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    drawn = [t.get_text() for t in ax.get_yticklabels()]
    if (
        kwargs
        or ax.get_title(loc="left") != title
        or drawn != [_wrap(label) for _, label in items]
        or not set(names) <= {before_label, after_label}
    ):
        return None
    changed: list[Any] = []
    n = len(items)
    for i, (key, _) in enumerate(items):
        y = n - 1 - i
        b, a = first.get(key), last.get(key)
        ring, diamond = found.get(f"before:{key}"), found.get(f"after:{key}")
        arrow, text = found.get(f"change-arrow:{key}"), found.get(f"change-label:{key}")
        moving = a is not None and b is not None and a != b
        if (
            text is None
            or (ring is None) != (b is None)
            or (diamond is None) != (a is None)
            or (arrow is None) == moving
        ):
            return None
        if text.get_text() == _change_text(b, a):
            continue
        text.set_text(_change_text(b, a))
        changed.append(text)
        for marker, value in ((ring, b), (diamond, a)):
            if marker is not None:
                marker.set_offsets([(value, y)])
                changed.append(marker)
        if arrow is not None:
            arrow.set_positions((b, y), (a, y))
            changed.append(arrow)
    return changed


# The text and data twins of this module's charts, and their live updaters.
declare_chart(plot_ratings, describe=describe_ratings, table=table_ratings, update=update_ratings)
declare_chart(
    plot_rating_change,
    describe=describe_rating_change,
    table=table_rating_change,
    update=update_rating_change,
)
