"""The room's seven views: for each, a table collated from the share files, an
Axes-first chart of it and its text description (:data:`ROOM_VIEWS`).

The combined power-interest grid, the skills heatmap, the opportunities and challenges,
the lifecycle stage votes, the Mobius quality profile, the self-assessment spread and the
post-it wall. :func:`render_view` draws one view as a :class:`ViewOutput`. Titles,
introductions and labels live in ``data/room.yaml``.

The ``*_table(room)`` functions collate everything in the room. What is *shown* goes
through :func:`shown_table` first, which applies the anonymity threshold
(:mod:`.privacy`) and moderation (:mod:`.moderation`): a view shows nothing about its
answers until ``k`` learners are in the room and ``k`` have answered its activity; the
grid leaves out every stakeholder fewer than ``k`` learners named; free text (the
opportunities and challenges, the post-it notes) is shown scrubbed, and only once the
facilitator approved it. :func:`render_view`, the board and the report use it.
"""

from __future__ import annotations

import re
import statistics
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from partnership_lib.charts.chart import render_chart
from partnership_lib.charts.drawing import new_axes, text_box
from partnership_lib.charts.labels import PointLabeller
from partnership_lib.core import content
from partnership_lib.core.store import AnswerKey
from partnership_lib.core.style import current_theme, style_context
from partnership_lib.documents.blocks import Details, Para, Section, Table, figure_of
from partnership_lib.documents.render import html_fragment
from partnership_lib.facilitator.moderation import (
    APPROVED,
    PENDING,
    Item,
    Moderation,
    item_id,
    scrub,
)
from partnership_lib.facilitator.privacy import Threshold
from partnership_lib.facilitator.room import Room
from partnership_lib.models import frameworks
from partnership_lib.models.lifecycle import lifecycle_model, plot_lifecycle
from partnership_lib.models.mobius import mobius_model
from partnership_lib.models.partnership_assessment import assessment_items
from partnership_lib.models.postits import (
    as_notes,
    describe_postit_wall,
    evaluation_wall,
    plot_postit_wall,
)
from partnership_lib.models.stage_diagnosis import diagnose_stage
from partnership_lib.models.stakeholders import (
    Stakeholder,
    as_stakeholders,
    plot_power_interest_grid,
    quadrant_schemes,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from partnership_lib.charts.chart import Chart


_CONTENT = "room"


NB_CONCEPTS = "01_concepts_and_contexts"


NB_CLIMATE = "02_climate_for_change"


NB_INFLUENCING = "03_influencing_and_negotiation"


NB_FEEDBACK = "04_feedback_and_reflection"


GRID_KEY = AnswerKey(NB_CLIMATE, "activity3", "stakeholders")


STAGE_KEY = AnswerKey(NB_CONCEPTS, "stage_diagnosis", "observed")


MOBIUS_KEY = AnswerKey(NB_INFLUENCING, "rate_relationship", "ratings")


ASSESSMENT_KEY = AnswerKey(NB_INFLUENCING, "self_assessment", "ratings")


WALL_KEY = AnswerKey(NB_FEEDBACK, "evaluation", "notes")


OPPORTUNITY_FIELDS = (
    "opportunities_case",
    "opportunities_own",
    "challenges_case",
    "challenges_own",
)


#: The lifecycle model whose characteristics notebook 01's stage diagnosis ticks.
STAGE_MODEL = "five_fs"


RATING_MIN, RATING_MAX = 1, 5


def room_text(name: str) -> Any:

    return content.load(_CONTENT)[name]


def _view_text(key: str) -> Mapping[str, Any]:
    return room_text("views")[key]


def plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _num(value: Any) -> str:
    """A score as the views show it: one decimal place, whole numbers without one."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:  # NaN: nothing to show
        return "–"
    return f"{number:.0f}" if number == round(number) else f"{number:.1f}"


def _frame(rows: list[dict[str, Any]], columns: list[str], **attrs: Any) -> pd.DataFrame:
    """A view's table, with what its description needs kept in ``attrs``.

    ``attrs``: ``answered`` (learners who gave a usable answer), ``ignored`` (malformed
    answers left out) and ``learners`` (learners in the room), plus any the view adds.
    """
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs.update(attrs)
    return frame


def ignored_sentence(table: pd.DataFrame) -> str:
    count = int(table.attrs.get("ignored", 0))
    if not count:
        return ""
    return " " + room_text("ignored").format(answers=plural(count, "malformed answer"))


def privacy_sentence(table: pd.DataFrame) -> str:
    """What the threshold or moderation held back from a shown table, without saying
    what it was: " 2 stakeholders named by fewer than 5 learners not shown. 3 items
    waiting for the facilitator." (or ``""``)."""
    words = room_text("privacy")
    parts = []
    held = int(table.attrs.get("held_back", 0))
    if held:
        stakeholders = plural(held, "stakeholder")
        parts.append(words["held_back"].format(stakeholders=stakeholders, k=table.attrs["k"]))
    waiting = int(table.attrs.get("waiting", 0))
    if waiting:
        parts.append(words["waiting"].format(items=plural(waiting, "item")))
    return "".join(" " + p for p in parts)


def empty_text(table: pd.DataFrame) -> str:
    """What a view shows where its chart or table would be when it has no rows."""
    withheld = table.attrs.get("withheld")
    if withheld:
        return str(withheld)
    held = privacy_sentence(table).strip()
    return held or room_text("no_answers")


def _lead(key: str, table: pd.DataFrame, template: str, **values: Any) -> str:
    """The first sentence of a description, the 'no answers yet' one, or, when the
    anonymity threshold holds the view back, only that."""
    title = _view_text(key)["title"]
    withheld = table.attrs.get("withheld")
    if withheld:
        return f"{title}: {withheld}"
    answered = int(table.attrs.get("answered", 0))
    if table.empty:
        held = privacy_sentence(table)
        name = "nothing_shown" if held else None
        text = (
            room_text("privacy")[name].format(title=title)
            if name
            else room_text("describe_empty").format(title=title)
        )
        return text + ignored_sentence(table) + held
    line = _view_text(key)[template].format(learners=plural(answered, "learner"), **values)
    return line + ignored_sentence(table) + privacy_sentence(table)


def _answers(room: Room, key: AnswerKey) -> Iterator[Any]:
    for learner in room.learners:
        if key in learner.answers:
            yield learner.answers[key]


def _is_rating(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == int(value)
        and RATING_MIN <= value <= RATING_MAX
    )


def _new_axes(ax: Axes | None, title: str, *, rows: int = 0, row_inches: float = 0.0) -> Axes:
    """The given Axes, or one on a new constrained figure (taller for many rows), titled."""
    if ax is None:
        ax = new_axes(w_pad=0.1, h_pad=0.1)
        if rows and row_inches:
            fig = ax.figure
            width, height = fig.get_size_inches()
            fig.set_size_inches(width, max(height, rows * row_inches + 2.2))
    ax.set_title(title, loc="left")
    return ax


def _row_inches(theme: Any) -> float:
    return 2.1 * theme.label_size / 72


def _no_answers(
    ax: Axes, theme: Any, *, clear: str = "", table: pd.DataFrame | None = None
) -> None:
    """Write "No answers yet" (or why the ``table`` is held back, :func:`empty_text`)
    across the Axes; ``clear`` names the axes ("x", "y") whose ticks mean nothing
    without data."""

    if "x" in clear:
        ax.set_xticks([])
    if "y" in clear:
        ax.set_yticks([])
    message = room_text("no_answers") if table is None else empty_text(table)
    ax.text(
        0.5,
        0.5,
        textwrap.fill(message, 36),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=max(theme.small_text, theme.label_size * 1.6),
        fontweight="bold",
        color=theme.muted_text,
        bbox=text_box(pad=0.5, edgecolor=theme.muted_text, linewidth=1.5),
        zorder=20,
        gid="empty",
    )


def _most(table: pd.DataFrame, words: Mapping[str, Any]) -> tuple[pd.DataFrame, str]:
    """The first ``max_shown`` rows, and the chart title (saying so when rows are left out)."""
    shown = table.head(int(words["max_shown"]))
    if len(shown) < len(table):
        return shown, words["chart_title_top"].format(shown=len(shown), total=len(table))
    return shown, words["chart_title"]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _spread(values: list[float]) -> tuple[float, float, float, float]:
    """Mean, sample standard deviation (0 for a single value), min and max."""

    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return statistics.fmean(values), sd, min(values), max(values)


_PUNCTUATION = re.compile(r"[^\w\s]|_")


def normalise_name(name: str) -> str:
    """A stakeholder name as the room compares it.

    Case-folded, punctuation turned to spaces, spaces collapsed, a leading "the"
    dropped and a final "s" on the last word dropped (so "The Police" and "police",
    "GP practices" and "GP practice" merge).
    """
    words = _PUNCTUATION.sub(" ", str(name).casefold()).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    if words and len(words[-1]) > 2 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words) or " ".join(str(name).casefold().split())


def grid_table(room: Room) -> pd.DataFrame:
    """The room's stakeholders merged by :func:`normalise_name`, with position and spread.

    Columns: ``stakeholder`` (the spelling used most), ``learners`` (how many named
    it), ``power_mean``, ``interest_mean``, ``power_sd``, ``interest_sd`` (sample
    standard deviations, 0 for one learner), ``power_min``, ``power_max``,
    ``interest_min``, ``interest_max``, ``quadrants`` (the workbook quadrants its
    placements fall in, in the scheme's order), ``placements`` ((quadrant, count)
    pairs) and ``disagreement`` (placed in more than one quadrant). Most-named first.
    """

    scheme = quadrant_schemes()["workbook"]
    groups: dict[str, dict[str, Any]] = {}
    ignored = answered = 0
    for value in _answers(room, GRID_KEY):
        if not isinstance(value, list):
            ignored += 1
            continue
        answered += 1
        seen: set[str] = set()
        for item in value:
            try:
                (person,) = as_stakeholders([item])
            except (ValueError, TypeError):
                ignored += 1
                continue
            key = normalise_name(person.name)
            if key in seen:
                ignored += 1  # the same stakeholder twice in one learner's map
                continue
            seen.add(key)
            group = groups.setdefault(
                key, {"names": Counter(), "power": [], "interest": [], "quadrants": Counter()}
            )
            group["names"][" ".join(person.name.split())] += 1
            group["power"].append(person.power)
            group["interest"].append(person.interest)
            group["quadrants"][scheme.quadrant_at(person.power, person.interest).label] += 1
    order = [q.label for q in scheme.quadrants]
    rows = []
    for group in groups.values():
        p_mean, p_sd, p_min, p_max = _spread(group["power"])
        i_mean, i_sd, i_min, i_max = _spread(group["interest"])
        placed = tuple((q, group["quadrants"][q]) for q in order if group["quadrants"][q])
        rows.append(
            {
                "stakeholder": group["names"].most_common(1)[0][0],
                "learners": len(group["power"]),
                "power_mean": p_mean,
                "interest_mean": i_mean,
                "power_sd": p_sd,
                "interest_sd": i_sd,
                "power_min": p_min,
                "power_max": p_max,
                "interest_min": i_min,
                "interest_max": i_max,
                "quadrants": tuple(q for q, _ in placed),
                "placements": placed,
                "disagreement": len(placed) > 1,
            }
        )
    rows.sort(key=lambda r: (-r["learners"], r["stakeholder"].casefold()))
    columns = [
        "stakeholder",
        "learners",
        "power_mean",
        "interest_mean",
        "power_sd",
        "interest_sd",
        "power_min",
        "power_max",
        "interest_min",
        "interest_max",
        "quadrants",
        "placements",
        "disagreement",
    ]
    return _frame(rows, columns, answered=answered, ignored=ignored, learners=len(room))


def _grid_label(row: Any, mark: str) -> str:
    return f"{row.stakeholder} ({row.learners})" + (f" {mark}" if row.disagreement else "")


def plot_room_grid(table: pd.DataFrame, *, ax: Axes | None = None, **scatter_kws: Any) -> Axes:
    """The room's stakeholders on the power-interest grid at their mean positions.

    Each label gives the name and how many learners named it; whiskers run from the
    lowest to the highest placement on each axis; a stakeholder placed in more than
    one quadrant is ringed and its label marked (not colour alone). At most
    ``max_shown`` (``data/room.yaml``) of the most-named stakeholders are drawn.

    Gids: those of :func:`~partnership_lib.models.stakeholders.plot_power_interest_grid`, plus
    ``"whiskers"`` (segments: power range, then interest range, per stakeholder),
    ``"disagreement"`` (rings, offsets at the mean positions), ``"room-key"`` and
    ``"empty"``.
    """

    words = _view_text("grid")
    shown, title = _most(table, words)
    people = [
        Stakeholder(_grid_label(r, words["mark"]), r.power_mean, r.interest_mean)
        for r in shown.itertuples()
    ]
    with style_context(current_theme().name) as theme:
        ax = plot_power_interest_grid(
            people, ax=ax, show_attitude=False, title=title, **scatter_kws
        )
        if table.empty:
            _no_answers(ax, theme, table=table)
            return ax
        segments = []
        for r in shown.itertuples():
            segments.append([(r.power_min, r.interest_mean), (r.power_max, r.interest_mean)])
            segments.append([(r.power_mean, r.interest_min), (r.power_mean, r.interest_max)])
        whisker_width = max(1.0, theme.arrow_width * 0.55)
        whiskers = LineCollection(
            segments,
            colors=theme.muted_text,
            linewidths=whisker_width,
            zorder=2.4,
            capstyle="round",
        )
        whiskers.set_gid("whiskers")
        ax.add_collection(whiskers)
        # The names keep off the range lines where they can (a name over a line would
        # hide part of the range): the grid's name layout treats them as lines to avoid.
        names = next(a for a in ax.get_children() if isinstance(a, PointLabeller))
        names.set_points(names.xy, soft_segments=[*names.soft_segments, *segments])
        split = shown[shown["disagreement"]]
        ring_colour = theme.attitude_style("opponent")[0]
        ring_size = theme.point_size * 3.2
        if not split.empty:
            rings = ax.scatter(
                split["power_mean"],
                split["interest_mean"],
                s=ring_size,
                facecolors="none",
                edgecolors=ring_colour,
                linewidths=max(1.5, theme.arrow_width * 0.8),
                linestyles="--",
                zorder=3.5,
                clip_on=False,
            )
            rings.set_gid("disagreement")
        else:
            ax.scatter(np.zeros(0), np.zeros(0), gid="disagreement")
        key_size = max(theme.small_text, theme.label_size * 0.9)
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=theme.point_size**0.5,
                color=theme.attitude_style(None)[0],
                markeredgecolor="white",
                label=words["key_mean"],
            ),
            Line2D(
                [], [], color=theme.muted_text, linewidth=whisker_width, label=words["key_range"]
            ),
        ]
        if not split.empty:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=ring_size**0.5,
                    markerfacecolor="none",
                    markeredgecolor=ring_colour,
                    markeredgewidth=max(1.5, theme.arrow_width * 0.8),
                    label=words["key_disagreement"].format(mark=words["mark"]),
                )
            )
        legend = ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            borderaxespad=0.0,
            frameon=False,
            fontsize=key_size,
            alignment="left",
        )
        legend.set_gid("room-key")
    return ax


def describe_room_grid(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_grid` (names every stakeholder)."""
    words = _view_text("grid")
    lines = [_lead("grid", table, "describe_lead", count=len(table))]
    if table.empty:
        return lines[0]

    def placements(row: Any) -> str:
        return ", ".join(f"{q} {n}" for q, n in row.placements)

    split = [r for r in table.itertuples() if r.disagreement]
    if split:
        items = "; ".join(f"{r.stakeholder} ({placements(r)})" for r in split)
        lines.append(words["describe_disagreement"].format(count=len(split), items=items))
    else:
        lines.append(words["describe_agreement"])
    for r in table.itertuples():
        lines.append(
            words["describe_item"].format(
                name=r.stakeholder,
                learners=plural(r.learners, "learner"),
                power=_num(r.power_mean),
                interest=_num(r.interest_mean),
                power_min=_num(r.power_min),
                power_max=_num(r.power_max),
                interest_min=_num(r.interest_min),
                interest_max=_num(r.interest_max),
                quadrants=placements(r),
            )
        )
    return "\n".join(lines)


def skills_table(room: Room) -> pd.DataFrame:
    """How many learners chose each skill for each Activity 1 context.

    Columns: ``skill`` (label), ``key``, one column per context (its label, in the
    workbook's order) and ``total``; only skills someone chose, most chosen first
    (ties in the workbook's order). ``attrs["contexts"]`` holds the context labels.
    """

    contexts = frameworks.activity1_contexts()
    skills = frameworks.skills()
    known = {s.key for s in skills}
    counts = {s.key: dict.fromkeys((c.label for c in contexts), 0) for s in skills}
    ignored = answered = 0
    for learner in room.learners:
        usable = False
        for context in contexts:
            value = learner.answers.get(
                AnswerKey(NB_CONCEPTS, "activity1", f"skills_{context.key}")
            )
            if value is None:
                continue
            if not isinstance(value, list):
                ignored += 1
                continue
            chosen = {v for v in value if isinstance(v, str) and v in known}
            if any(not (isinstance(v, str) and v in known) for v in value):
                ignored += 1  # the unknown skills (or non-text) in the list are left out
            for key in chosen:
                counts[key][context.label] += 1
            usable = usable or bool(chosen)
        answered += usable
    rows = []
    for s in skills:
        total = sum(counts[s.key].values())
        if total:
            rows.append({"skill": s.label, "key": s.key, **counts[s.key], "total": total})
    position = {s.key: s.position for s in skills}
    rows.sort(key=lambda r: (-r["total"], position[r["key"]]))
    labels = [c.label for c in contexts]
    return _frame(
        rows,
        ["skill", "key", *labels, "total"],
        answered=answered,
        ignored=ignored,
        learners=len(room),
        contexts=tuple(labels),
    )


def plot_room_skills(table: pd.DataFrame, *, ax: Axes | None = None, **imshow_kws: Any) -> Axes:
    """Heatmap of skills (rows) by context (columns), each cell's count written in.

    Only the ``max_shown`` most chosen skills (``data/room.yaml``) are drawn. Gids:
    ``"heatmap"`` (the image), ``"cell:<skill key>:<context label>"`` (counts) and
    ``"empty"``.
    """

    words = _view_text("skills")
    contexts = list(table.attrs.get("contexts", ()))
    shown, title = _most(table, words)
    with style_context(current_theme().name) as theme:
        ax = _new_axes(ax, title, rows=len(shown), row_inches=_row_inches(theme))
        if shown.empty or not contexts:
            _no_answers(ax, theme, clear="xy", table=table)
            return ax
        values = shown[contexts].to_numpy(dtype=float)
        top = max(1.0, float(values.max()))
        kws = {"cmap": theme.score_cmap, "vmin": 0, "vmax": top, "aspect": "auto"} | imshow_kws
        image = ax.imshow(values, **kws)
        image.set_gid("heatmap")
        size = max(theme.small_text, theme.label_size)
        cmap, norm = image.get_cmap(), image.norm
        for (i, j), v in np.ndenumerate(values):
            if not v:
                continue  # an empty cell stays blank, the lightest colour of the scale
            r, g, b, _ = cmap(norm(v))
            dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5
            ax.text(
                j,
                i,
                f"{v:.0f}",
                ha="center",
                va="center",
                fontsize=size,
                color="white" if dark else theme.text,
                gid=f"cell:{shown.iloc[i]['key']}:{contexts[j]}",
            )
        ax.set_xticks(range(len(contexts)), [textwrap.fill(c, 14) for c in contexts])
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(shown)), list(shown["skill"]))
        ax.tick_params(length=0)
        ax.set_xlabel(words["x_label"])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    return ax


def describe_room_skills(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_skills` (names every skill chosen)."""
    words = _view_text("skills")
    contexts = list(table.attrs.get("contexts", ()))
    lines = [_lead("skills", table, "describe_lead", count=len(table), contexts=len(contexts))]
    for r in table.to_dict("records"):
        where = ", ".join(f"{c} {r[c]}" for c in contexts if r[c])
        lines.append(
            words["describe_item"].format(
                skill=r["skill"], choices=plural(r["total"], "choice"), contexts=where
            )
        )
    return "\n".join(lines)


_BULLET = re.compile(r"^\s*(?:[-*•·–—>]+|\(?\d{1,2}[.)]|\(?[a-z][.)](?=\s))\s*", re.I)


def split_items(text: str) -> list[str]:
    """Split a free-text answer into items: lines, bullets and semicolons."""
    items = []
    for part in re.split(r"[\n;]+", text):
        item = _BULLET.sub("", part).strip().strip(".,!").strip()
        if item:
            items.append(" ".join(item.split()))
    return items


def opportunities_table(room: Room) -> pd.DataFrame:
    """Activity 2's opportunities and challenges, split into items and counted.

    Items that read the same once case, spaces and end punctuation are ignored are
    merged (shown in their most used spelling). Columns: ``kind`` (opportunity or
    challenge), ``group`` (case study or own experience), ``item``, ``count``; by kind
    and group, most frequent first.
    """

    words = _view_text("opportunities")
    kinds = {"opportunities": words["opportunity"], "challenges": words["challenge"]}
    groups = {"case": words["case"], "own": words["own"]}
    found: dict[tuple[str, str, str], Counter[str]] = {}
    ignored = answered = 0
    for learner in room.learners:
        usable = False
        for field in OPPORTUNITY_FIELDS:
            value = learner.answers.get(AnswerKey(NB_CONCEPTS, "activity2", field))
            if value is None:
                continue
            if not isinstance(value, str):
                ignored += 1
                continue
            kind, group = field.split("_")
            mine = {}
            for item in split_items(value):
                mine.setdefault(item.casefold(), item)  # once per learner and box
            for norm, item in mine.items():
                found.setdefault((kinds[kind], groups[group], norm), Counter())[item] += 1
            usable = usable or bool(mine)
        answered += usable
    order = {k: i for i, k in enumerate([*kinds.values(), *groups.values()])}
    rows = [
        {
            "kind": kind,
            "group": group,
            "item": spellings.most_common(1)[0][0],
            "count": spellings.total(),
        }
        for (kind, group, _), spellings in found.items()
    ]
    rows.sort(
        key=lambda r: (order[r["kind"]], order[r["group"]], -r["count"], r["item"].casefold())
    )
    return _frame(
        rows,
        ["kind", "group", "item", "count"],
        answered=answered,
        ignored=ignored,
        learners=len(room),
        kinds=tuple(kinds.values()),
        groups=tuple(groups.values()),
    )


def _item_totals(table: pd.DataFrame, kind: str) -> list[tuple[str, dict[str, int]]]:
    """Items of one kind with their count per group, most frequent first."""
    merged: dict[str, tuple[str, dict[str, int]]] = {}
    for r in table[table["kind"] == kind].itertuples():
        _label, by_group = merged.setdefault(r.item.casefold(), (r.item, {}))
        by_group[r.group] = by_group.get(r.group, 0) + int(r.count)
    return sorted(merged.values(), key=lambda pair: (-sum(pair[1].values()), pair[0].casefold()))


def plot_room_opportunities(table: pd.DataFrame, *, ax: Axes | None = None, **bar_kws: Any) -> Axes:
    """Horizontal bars of the most frequent opportunities and challenges.

    Each bar is split by group (case study hatched, own experience solid) and ends in
    its total. Gids: ``"heading:<kind>"``, ``"bar:<kind>:<group>:<rank>"``,
    ``"count:<kind>:<rank>"`` (rank from 1) and ``"empty"``.
    """

    words = _view_text("opportunities")
    limit = int(words["max_shown"])
    kinds = table.attrs.get("kinds", (words["opportunity"], words["challenge"]))
    groups = table.attrs.get("groups", (words["case"], words["own"]))
    sections = [(kind, _item_totals(table, kind)[:limit]) for kind in kinds]
    rows = sum(len(items) + 1 for _, items in sections)
    with style_context(current_theme().name) as theme:
        ax = _new_axes(ax, words["chart_title"], rows=rows, row_inches=_row_inches(theme))
        if table.empty:
            _no_answers(ax, theme, clear="xy", table=table)
            return ax
        styles = {
            groups[0]: {"facecolor": theme.quadrant_fills[0], "hatch": "//"},
            groups[1]: {"facecolor": theme.accent, "hatch": ""},
        }
        size = max(theme.small_text, theme.label_size)
        heading = blended_transform_factory(ax.transAxes, ax.transData)
        y = 0
        ticks: list[tuple[int, str]] = []
        top = max((sum(c.values()) for _, items in sections for _, c in items), default=1)
        # one barh call per group (a call per bar costs more than drawing it)
        bars: dict[str, list[tuple[int, int, int, str]]] = {g: [] for g in groups}
        for kind, items in sections:
            ax.text(
                0,
                y,
                kind,
                transform=heading,
                ha="left",
                va="center",
                fontsize=size * 1.1,
                fontweight="bold",
                color=theme.text,
                gid=f"heading:{kind}",
            )
            y -= 1
            for rank, (label, by_group) in enumerate(items, start=1):
                left = 0
                for group in groups:
                    n = by_group.get(group, 0)
                    if n:
                        bars[group].append((y, n, left, f"bar:{kind}:{group}:{rank}"))
                    left += n
                ax.text(
                    left + top * 0.01,
                    y,
                    str(left),
                    ha="left",
                    va="center",
                    fontsize=size,
                    color=theme.text,
                    gid=f"count:{kind}:{rank}",
                )
                ticks.append((y, _shorten(label, int(words["label_chars"]))))
                y -= 1
        for group, placed in bars.items():
            if not placed:
                continue
            ys, widths, lefts, gids = zip(*placed, strict=True)
            kws = {"edgecolor": theme.edge, "height": 0.62, **styles[group]} | bar_kws
            container = ax.barh(ys, widths, left=lefts, **kws)
            for patch, gid in zip(container.patches, gids, strict=True):
                patch.set_gid(gid)
        ax.set_yticks([t for t, _ in ticks], [label for _, label in ticks])
        ax.set_ylim(y + 0.4, 1.6)  # the top row holds the key
        ax.set_xlim(0, top * 1.12 + 0.5)
        ax.set_xlabel(words["x_label"])
        ax.tick_params(axis="y", length=0)
        ax.grid(False)
        legend = ax.legend(
            handles=[Patch(edgecolor=theme.edge, label=g, **styles[g]) for g in groups],
            loc="upper right",
            ncol=2,
            frameon=False,
            fontsize=max(theme.small_text, theme.label_size * 0.9),
        )
        legend.set_gid("groups-key")
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    return ax


def describe_room_opportunities(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_opportunities` (every item, with counts)."""
    words = _view_text("opportunities")
    kinds = table.attrs.get("kinds", ())
    counts = {k: int((table["kind"] == k).sum()) for k in kinds}
    lines = [
        _lead(
            "opportunities",
            table,
            "describe_lead",
            opportunities=counts.get(words["opportunity"], 0),
            challenges=counts.get(words["challenge"], 0),
        )
    ]
    if table.empty:
        return lines[0]
    for kind in kinds:
        parts = []
        for label, by_group in _item_totals(table, kind):
            split = ", ".join(f"{g} {n}" for g, n in by_group.items())
            parts.append(f"{label} ({sum(by_group.values())}: {split})")
        if parts:
            lines.append(words["describe_kind"].format(kind=kind, items="; ".join(parts)))
    return "\n".join(lines)


def lifecycle_table(room: Room) -> pd.DataFrame:
    """The room's stage votes: each learner's ticks give one stage (``diagnose_stage``).

    Columns: ``stage`` (name), ``key``, ``votes`` and ``share`` (of the learners whose
    ticks point to a stage), one row per stage of the five Fs lifecycle in order.
    ``attrs["undecided"]`` counts learners who ticked nothing; ``attrs["model"]`` is
    the model's key.
    """

    model = lifecycle_model(STAGE_MODEL)
    votes = dict.fromkeys(model.keys, 0)
    ignored = answered = undecided = 0
    for value in _answers(room, STAGE_KEY):
        if not isinstance(value, list):
            ignored += 1
            continue
        try:
            stage = diagnose_stage(value, model).stage
        except (ValueError, TypeError):
            ignored += 1
            continue
        answered += 1
        if stage is None:
            undecided += 1
        else:
            votes[stage.key] += 1
    decided = sum(votes.values())
    rows = [
        {
            "stage": s.name,
            "key": s.key,
            "votes": votes[s.key],
            "share": votes[s.key] / decided if decided else 0.0,
        }
        for s in model.stages
    ]
    frame = _frame(
        rows,
        ["stage", "key", "votes", "share"],
        answered=answered,
        ignored=ignored,
        learners=len(room),
        undecided=undecided,
        model=model.key,
    )
    return frame if decided else frame.iloc[0:0]


_VOTE_FLOOR, _VOTE_HEIGHT = -0.62, 0.5  # the vote strip, below the lifecycle's bands


def plot_room_lifecycle(table: pd.DataFrame, *, ax: Axes | None = None, **bar_kws: Any) -> Axes:
    """The five Fs lifecycle chart with the room's votes as bars in a strip below it.

    Gids: those of :func:`~partnership_lib.models.lifecycle.plot_lifecycle`, plus
    ``"votes:<stage key>"`` (bars, height proportional to votes),
    ``"vote-count:<stage key>"``, ``"votes-label"`` and ``"empty"``.
    """

    words = _view_text("lifecycle")
    model = lifecycle_model(table.attrs.get("model", STAGE_MODEL))
    with style_context(current_theme().name) as theme:
        ax = plot_lifecycle(model, ax=ax)
        ax.set_title(words["chart_title"].format(model=model.name), loc="left")
        top = ax.get_ylim()[1]
        ax.set_ylim(_VOTE_FLOOR - 0.08, top)
        ax.axhline(0, color=theme.edge, linewidth=1, zorder=1)
        size = max(theme.small_text, theme.label_size)
        ax.text(
            0.01,
            _VOTE_FLOOR + _VOTE_HEIGHT + 0.04,
            words["strip_label"],
            ha="left",
            va="bottom",
            fontsize=size,
            fontstyle="italic",
            color=theme.muted_text,
            gid="votes-label",
        )
        if table.empty:
            _no_answers(ax, theme, table=table)
            return ax
        most = max(1, int(table["votes"].max()))
        for i, r in enumerate(table.itertuples()):
            height = _VOTE_HEIGHT * r.votes / most
            kws = {
                "facecolor": theme.accent,
                "edgecolor": theme.edge,
                "hatch": "..",
                "linewidth": 1,
            } | bar_kws
            ax.add_patch(
                Rectangle(
                    (i + 0.25, _VOTE_FLOOR), 0.5, height, zorder=2, gid=f"votes:{r.key}", **kws
                )
            )
            ax.text(
                i + 0.5,
                _VOTE_FLOOR + height + 0.02,
                plural(r.votes, "vote"),
                ha="center",
                va="bottom",
                fontsize=size,
                fontweight="bold",
                color=theme.text,
                bbox=text_box(pad=0.15),
                zorder=9,
                gid=f"vote-count:{r.key}",
            )
    return ax


def describe_room_lifecycle(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_lifecycle`."""

    words = _view_text("lifecycle")
    model = lifecycle_model(table.attrs.get("model", STAGE_MODEL))
    decided = int(table["votes"].sum()) if not table.empty else 0
    lines = [_lead("lifecycle", table, "describe_lead", model=model.name, voters=decided)]
    if table.empty:
        return lines[0]
    counts = ", ".join(f"{r.stage} {plural(r.votes, 'vote')}" for r in table.itertuples())
    best = table[table["votes"] == table["votes"].max()]["stage"].tolist()
    lines.append(words["describe_votes"].format(counts=counts, most=" and ".join(best)))
    undecided = int(table.attrs.get("undecided", 0))
    if undecided:
        lines.append(words["describe_undecided"].format(learners=plural(undecided, "learner")))
    return "\n".join(lines)


def _ratings_rows(
    room: Room, key: AnswerKey, items: list[str]
) -> tuple[dict[str, list[int]], int, int]:
    """Every valid 1..5 rating of ``items`` per item; counts answered and ignored."""
    found: dict[str, list[int]] = {k: [] for k in items}
    ignored = answered = 0
    for value in _answers(room, key):
        if not isinstance(value, dict):
            ignored += 1
            continue
        usable = False
        for item, rating in value.items():
            if item in found and _is_rating(rating):
                found[item].append(int(rating))
                usable = True
            elif rating is not None:
                ignored += 1
        answered += usable
    return found, answered, ignored


def mobius_table(room: Room) -> pd.DataFrame:
    """How the room rated each Mobius quality (1 missing .. 5 fully present).

    Columns: ``quality`` (name), ``key``, ``n``, ``mean``, ``count_1`` .. ``count_5``;
    one row per quality in the model's order.
    """

    qualities = mobius_model().qualities
    found, answered, ignored = _ratings_rows(room, MOBIUS_KEY, [q.key for q in qualities])
    scores = range(RATING_MIN, RATING_MAX + 1)
    rows = []
    for q in qualities:
        values = found[q.key]
        row = {
            "quality": q.name,
            "key": q.key,
            "n": len(values),
            "mean": sum(values) / len(values) if values else float("nan"),
        }
        row |= {f"count_{s}": values.count(s) for s in scores}
        rows.append(row)
    frame = _frame(
        rows,
        ["quality", "key", "n", "mean", *(f"count_{s}" for s in scores)],
        answered=answered,
        ignored=ignored,
        learners=len(room),
    )
    return frame if answered else frame.iloc[0:0]


def _score_axis(ax: Axes, words: Mapping[str, Any]) -> None:
    ticks = range(RATING_MIN, RATING_MAX + 1)
    ax.set_xticks(list(ticks), [words["scores"].get(str(t), str(t)) for t in ticks])
    ax.set_xlim(RATING_MIN - 0.5, RATING_MAX + 0.5)


def plot_room_mobius(table: pd.DataFrame, *, ax: Axes | None = None, **scatter_kws: Any) -> Axes:
    """Dot plot of the room's ratings: a row per quality, a dot per score sized by its
    count (the count written beside it), and a triangle above the row at the mean.

    Gids: ``"dots:<quality key>"`` (offsets at (score, row), sizes by count),
    ``"count:<quality key>:<score>"``, ``"mean:<quality key>"``,
    ``"mean-text:<quality key>"`` and ``"empty"``.
    """

    words = _view_text("mobius")
    with style_context(current_theme().name) as theme:
        ax = _new_axes(ax, words["chart_title"])
        _score_axis(ax, words)
        if table.empty:
            _no_answers(ax, theme, clear="y", table=table)
            return ax
        scores = list(range(RATING_MIN, RATING_MAX + 1))
        most = max(1, int(table[[f"count_{s}" for s in scores]].to_numpy().max()))
        biggest = theme.point_size * 14
        size = max(theme.small_text, theme.label_size)
        for row, r in enumerate(table.to_dict("records")):
            counts = [r[f"count_{s}"] for s in scores]
            kws = {"color": theme.accent, "edgecolors": theme.edge, "zorder": 3} | scatter_kws
            dots = ax.scatter(
                scores, [row] * len(scores), s=[biggest * c / most for c in counts], **kws
            )
            dots.set_gid(f"dots:{r['key']}")
            for s, c in zip(scores, counts, strict=True):
                if c:
                    ax.annotate(
                        str(c),
                        (s, row),
                        xytext=(0, -0.5 * (biggest * c / most) ** 0.5 - 2),
                        textcoords="offset points",
                        ha="center",
                        va="top",
                        fontsize=size * 0.9,
                        color=theme.text,
                        zorder=4,
                        gid=f"count:{r['key']}:{s}",
                    )
            if r["n"]:
                ax.plot(
                    [r["mean"]],
                    [row - 0.36],
                    linestyle="none",
                    marker="v",
                    markersize=size * 0.8,
                    color=theme.text,
                    zorder=5,
                    gid=f"mean:{r['key']}",
                )
                ax.annotate(
                    words["mean_label"].format(mean=_num(r["mean"])),
                    (r["mean"], row - 0.36),
                    xytext=(size * 0.6, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=size * 0.9,
                    color=theme.text,
                    zorder=5,
                    gid=f"mean-text:{r['key']}",
                )
        ax.set_yticks(range(len(table)), list(table["quality"]))
        ax.set_ylim(len(table) - 0.4, -0.8)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(words["x_label"])
        ax.grid(False)
    return ax


def describe_room_mobius(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_mobius`."""
    words = _view_text("mobius")
    lines = [_lead("mobius", table, "describe_lead")]
    if table.empty:
        return lines[0]
    scores = range(RATING_MIN, RATING_MAX + 1)
    for r in table.to_dict("records"):
        counts = ", ".join(f"{s}: {r[f'count_{s}']}" for s in scores)
        lines.append(
            words["describe_item"].format(
                quality=r["quality"],
                mean=_num(r["mean"]),
                ratings=plural(r["n"], "rating"),
                counts=counts,
            )
        )
    rated = table[table["n"] > 0]
    if len(rated) > 1:
        high = rated.loc[rated["mean"].idxmax(), "quality"]
        low = rated.loc[rated["mean"].idxmin(), "quality"]
        lines.append(words["describe_extremes"].format(highest=high, lowest=low))
    return "\n".join(lines)


def assessment_table(room: Room) -> pd.DataFrame:
    """Mean and spread of the room's self-assessment, by dimension and item.

    One ``"dimension"`` row (all of its ratings together) then its ``"item"`` rows,
    for each dimension in order. Columns: ``level``, ``dimension``, ``item`` (the
    statement), ``key``, ``n``, ``mean``, ``sd`` (sample; 0 for one rating), ``min``,
    ``max``, ``range`` and ``widest``: the ``widest`` (``data/room.yaml``) items with
    the largest standard deviation, ties broken by range, among items rated by two or
    more learners with some spread. They are the ones worth discussing.
    """

    words = _view_text("assessment")
    items, groups = assessment_items()
    text = dict(items)
    found, answered, ignored = _ratings_rows(room, ASSESSMENT_KEY, [k for k, _ in items])
    nan = float("nan")

    def row(level: str, dimension: str, item: str, key: str, values: list[int]) -> dict:
        mean, sd, low, high = _spread(values) if values else (nan, nan, nan, nan)
        return {
            "level": level,
            "dimension": dimension,
            "item": item,
            "key": key,
            "n": len(values),
            "mean": mean,
            "sd": sd,
            "min": low,
            "max": high,
            "range": high - low,
            "widest": False,
        }

    item_rows = [row("item", dim, text[k], k, found[k]) for dim, keys in groups for k in keys]
    spread = sorted(
        (r for r in item_rows if r["n"] > 1 and r["sd"] > 0),
        key=lambda r: (-r["sd"], -r["range"]),
    )
    for r in spread[: int(words["widest"])]:
        r["widest"] = True
    rows = []
    by_key = {r["key"]: r for r in item_rows}
    for dim, keys in groups:
        everything = [v for k in keys for v in found[k]]
        rows.append(row("dimension", dim, words["all_items"].format(dimension=dim), "", everything))
        rows += [by_key[k] for k in keys]
    columns = [
        "level",
        "dimension",
        "item",
        "key",
        "n",
        "mean",
        "sd",
        "min",
        "max",
        "range",
        "widest",
    ]
    frame = _frame(rows, columns, answered=answered, ignored=ignored, learners=len(room))
    return frame if answered else frame.iloc[0:0]


def plot_room_assessment(table: pd.DataFrame, *, ax: Axes | None = None, **plot_kws: Any) -> Axes:
    """Each self-assessment item's range (thin line), mean ± sd (thick bar) and mean
    (dot), grouped under its dimension (with the dimension's mean); the widest
    disagreements get a diamond and a written mark in a column right of the scale.

    Gids: ``"range:<key>"``, ``"sd:<key>"``, ``"mean:<key>"``, ``"widest:<key>"``
    (the mark), ``"dimension:<name>"``, ``"assessment-key"`` and ``"empty"``.
    """

    words = _view_text("assessment")
    with style_context(current_theme().name) as theme:
        ax = _new_axes(
            ax, words["chart_title"], rows=len(table), row_inches=_row_inches(theme) * 1.35
        )
        _score_axis(ax, words)
        if table.empty:
            _no_answers(ax, theme, clear="y", table=table)
            return ax
        ax.set_xlim(RATING_MIN - 0.5, RATING_MAX + 2.2)  # room for the marks on the right
        ax.spines["right"].set_visible(False)
        size = max(theme.small_text, theme.label_size)
        lw = max(1.5, theme.arrow_width)
        flag = theme.attitude_style("opponent")[0]
        heading = blended_transform_factory(ax.transAxes, ax.transData)
        chars = int(words["label_chars"])
        styles = {
            "range": {"color": theme.muted_text, "linewidth": lw * 0.6, "solid_capstyle": "round"},
            "sd": {
                "color": theme.accent,
                "linewidth": lw * 2.6,
                "solid_capstyle": "butt",
                "alpha": 0.55,
            },
            "mean": {
                "linestyle": "none",
                "marker": "o",
                "markersize": size * 0.7,
                "color": theme.text,
                "markeredgecolor": "white",
            },
            "widest": {
                "linestyle": "none",
                "marker": "D",
                "markersize": size * 0.9,
                "color": flag,
                "markeredgecolor": "white",
            },
        }
        ticks = []
        for y, r in enumerate(table.to_dict("records")):
            if r["level"] == "dimension":
                note = words["dimension_label"].format(
                    dimension=r["dimension"], mean=_num(r["mean"]), sd=_num(r["sd"])
                )
                ax.text(
                    0.005,
                    y,
                    note,
                    transform=heading,
                    ha="left",
                    va="center",
                    fontsize=size,
                    fontweight="bold",
                    color=theme.text,
                    gid=f"dimension:{r['dimension']}",
                )
                continue
            lines = textwrap.wrap(r["item"], chars)
            if len(lines) > 2:
                lines = [lines[0], _shorten(" ".join(lines[1:]), chars)]
            ticks.append((y, "\n".join(lines)))
            if not r["n"]:
                continue
            key = r["key"]
            ax.plot([r["min"], r["max"]], [y, y], zorder=2, gid=f"range:{key}", **styles["range"])
            low = max(RATING_MIN, r["mean"] - r["sd"])
            high = min(RATING_MAX, r["mean"] + r["sd"])
            ax.plot([low, high], [y, y], zorder=3, gid=f"sd:{key}", **styles["sd"])
            marker = styles["widest" if r["widest"] else "mean"] | plot_kws
            ax.plot([r["mean"]], [y], zorder=4, gid=f"mean:{key}", **marker)
            if r["widest"]:
                ax.text(
                    RATING_MAX + 0.45,
                    y,
                    words["widest_mark"],
                    ha="left",
                    va="center",
                    fontsize=size,
                    fontweight="bold",
                    color=flag,
                    gid=f"widest:{key}",
                )
        ax.set_yticks([t for t, _ in ticks], [label for _, label in ticks])
        ax.set_ylim(len(table) - 0.5, -0.6)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(words["x_label"])
        ax.grid(axis="y", visible=False)
        handles = [
            Line2D([], [], label=words["key_range"], **styles["range"]),
            Line2D([], [], label=words["key_sd"], **styles["sd"]),
            Line2D([], [], label=words["key_mean"], **styles["mean"]),
            Line2D([], [], label=words["key_widest"], **styles["widest"]),
        ]
        legend = ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08),
            ncol=2,
            frameon=False,
            fontsize=max(theme.small_text, theme.label_size * 0.9),
        )
        legend.set_gid("assessment-key")
    return ax


def describe_room_assessment(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_assessment` (the widest disagreements first)."""
    words = _view_text("assessment")
    lines = [_lead("assessment", table, "describe_lead")]
    if table.empty:
        return lines[0]

    def stats(r: Mapping[str, Any]) -> str:
        if not r["n"]:
            return words["describe_unrated"]
        return words["describe_stats"].format(
            mean=_num(r["mean"]),
            sd=_num(r["sd"]),
            low=_num(r["min"]),
            high=_num(r["max"]),
            ratings=plural(r["n"], "rating"),
        )

    records = table.to_dict("records")
    widest = [r for r in records if r["widest"]]
    if widest:
        items = "; ".join(f"{r['item']} ({stats(r)})" for r in widest)
        lines.append(words["describe_widest"].format(items=items))
    else:
        lines.append(words["describe_no_widest"])
    for r in records:
        if r["level"] == "dimension":
            lines.append(f"{r['dimension']}: {stats(r)}.")
        else:
            lines.append(f"- {r['item']}: {stats(r)}.")
    return "\n".join(lines)


def wall_table(room: Room) -> pd.DataFrame:
    """The room's evaluation notes by colour, identical notes merged.

    Columns: ``colour`` (name), ``key`` (colour key), ``note`` (the most used
    spelling) and ``count``; in the wall's colour order, most frequent first.
    """

    wall = evaluation_wall()
    found: dict[tuple[str, str], Counter[str]] = {}
    ignored = answered = 0
    for value in _answers(room, WALL_KEY):
        if not isinstance(value, list):
            ignored += 1
            continue
        usable = False
        for note in value:
            try:
                (parsed,) = as_notes([note], wall)
            except (ValueError, TypeError):
                ignored += 1
                continue
            text = " ".join(parsed.text.split())
            found.setdefault((parsed.colour, text.casefold()), Counter())[text] += 1
            usable = True
        answered += usable
    names = {c.key: c.name for c in wall.colours}
    order = {c.key: i for i, c in enumerate(wall.colours)}
    rows = [
        {
            "colour": names[colour],
            "key": colour,
            "note": spellings.most_common(1)[0][0],
            "count": spellings.total(),
        }
        for (colour, _), spellings in found.items()
    ]
    rows.sort(key=lambda r: (order[r["key"]], -r["count"], r["note"].casefold()))
    return _frame(
        rows,
        ["colour", "key", "note", "count"],
        answered=answered,
        ignored=ignored,
        learners=len(room),
    )


def _wall_notes(table: pd.DataFrame) -> list[dict[str, Any]]:
    template = _view_text("wall")["merged_note"]
    return [
        {
            "colour": r.key,
            "text": template.format(note=r.note, count=r.count) if r.count > 1 else r.note,
        }
        for r in table.itertuples()
    ]


def plot_room_wall(table: pd.DataFrame, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """The room's post-it wall (:func:`~partnership_lib.models.postits.plot_postit_wall`):
    merged notes, most frequent first in each colour, led by their count when above one.

    Gids: those of ``plot_postit_wall``, plus ``"empty"`` (the title) for an empty room.
    """

    words = _view_text("wall")
    with style_context(current_theme().name):
        ax = plot_postit_wall(_wall_notes(table), ax=ax, **kwargs)
        if table.empty:
            ax.set_title(textwrap.fill(empty_text(table), 60), loc="left", gid="empty")
        else:
            total = plural(int(table["count"].sum()), "note")
            title = words["chart_title"].format(notes=total, merged=len(table))
            ax.set_title(title, loc="left")
    return ax


def describe_room_wall(table: pd.DataFrame) -> str:
    """Plain-text twin of :func:`plot_room_wall`."""

    total = int(table["count"].sum()) if not table.empty else 0
    lead = _lead("wall", table, "describe_lead", notes=plural(total, "note"), merged=len(table))
    if table.empty:
        return lead
    return lead + "\n" + describe_postit_wall(_wall_notes(table))


@dataclass(frozen=True, slots=True)
class RoomView:
    """One view of the room: a table, an Axes-first chart of it and its description."""

    key: str
    title: str
    intro: str
    table: Callable[[Room], pd.DataFrame]
    plot: Callable[..., Axes]
    describe: Callable[[pd.DataFrame], str]


_VIEW_FUNCTIONS: tuple[tuple[str, Callable, Callable, Callable], ...] = (
    ("grid", grid_table, plot_room_grid, describe_room_grid),
    ("skills", skills_table, plot_room_skills, describe_room_skills),
    ("opportunities", opportunities_table, plot_room_opportunities, describe_room_opportunities),
    ("lifecycle", lifecycle_table, plot_room_lifecycle, describe_room_lifecycle),
    ("mobius", mobius_table, plot_room_mobius, describe_room_mobius),
    ("assessment", assessment_table, plot_room_assessment, describe_room_assessment),
    ("wall", wall_table, plot_room_wall, describe_room_wall),
)


def _build_views() -> tuple[RoomView, ...]:
    views = room_text("views")
    return tuple(
        RoomView(key, views[key]["title"], " ".join(views[key]["intro"].split()), t, p, d)
        for key, t, p, d in _VIEW_FUNCTIONS
    )


#: The seven views, in the order the facilitator shows them.
ROOM_VIEWS: tuple[RoomView, ...] = _build_views()


def room_view(key: str) -> RoomView:
    """The view with this key; ``ValueError`` lists the known keys."""
    for view in ROOM_VIEWS:
        if view.key == key:
            return view
    known = ", ".join(v.key for v in ROOM_VIEWS)
    raise ValueError(f"unknown room view {key!r}; views: {known}")


# =========================================================================== what is shown

#: The views whose rows are learners' own words, shown only once approved.
FREE_TEXT_VIEWS = ("opportunities", "wall")
#: The threshold used where none is given (``privacy.DEFAULT_K`` learners).
DEFAULT_THRESHOLD = Threshold()


def as_threshold(threshold: Threshold | int | None) -> Threshold:
    """A :class:`~.privacy.Threshold` from a threshold, a ``k`` or ``None`` (the default)."""
    if threshold is None:
        return DEFAULT_THRESHOLD
    return threshold if isinstance(threshold, Threshold) else Threshold(threshold)


def _free_text_rows(table: pd.DataFrame, key: str) -> Iterator[tuple[int, str, str, int]]:
    """(row position, group, text, count) of each row of a free-text view's table."""
    if key == "opportunities":
        for i, r in enumerate(table.itertuples()):
            yield i, f"{r.kind} · {r.group}", r.item, int(r.count)
    else:
        for i, r in enumerate(table.itertuples()):
            yield i, r.colour, r.note, int(r.count)


def _scrubbed_items(table: pd.DataFrame, key: str) -> list[tuple[int, Item]]:
    out = []
    for i, group, text, count in _free_text_rows(table, key):
        clean = scrub(text)
        out.append(
            (i, Item(item_id(key, group, clean.text), key, group, clean.text, count, clean.flags))
        )
    return out


def free_text_items(room: Room) -> list[Item]:
    """Every piece of the room's free text, scrubbed, as the facilitator moderates it.

    The opportunities and challenges (grouped "Opportunities · Own experience group")
    and the post-it notes (grouped by colour), identical items merged (``count`` is how
    many learners wrote them), in the order the views show them. Not thresholded: this
    is for the facilitator's own screen, never the projected board.
    """
    merged: dict[str, Item] = {}
    for key in FREE_TEXT_VIEWS:
        for _i, item in _scrubbed_items(room_view(key).table(room), key):
            old = merged.get(item.id)
            merged[item.id] = item if old is None else replace(old, count=old.count + item.count)
    return list(merged.values())


def _moderated(table: pd.DataFrame, key: str, moderation: Moderation) -> pd.DataFrame:
    """Only the approved rows, their text scrubbed; ``attrs["waiting"]`` counts the rest
    still pending (hidden ones are simply not there)."""
    column = "item" if key == "opportunities" else "note"
    keep, texts, waiting = [], [], set()
    for i, item in _scrubbed_items(table, key):
        status = moderation.status(item)
        if status == APPROVED:
            keep.append(i)
            texts.append(item.text)
        elif status == PENDING:
            waiting.add(item.id)
    shown = table.iloc[keep].reset_index(drop=True).assign(**{column: texts})
    shown.attrs = dict(table.attrs) | {"waiting": len(waiting)}
    return shown


def shown_table(
    room: Room,
    key: str,
    *,
    threshold: Threshold | int | None = None,
    moderation: Moderation | None = None,
) -> pd.DataFrame:
    """View ``key``'s table as it may be shown: behind the threshold and moderation.

    Parameters
    ----------
    threshold
        The anonymity threshold (a :class:`~.privacy.Threshold` or its ``k``); by default
        ``privacy.DEFAULT_K`` learners. While the room has fewer than ``k`` learners, or
        fewer than ``k`` answered this view's activity, the table is empty and
        ``attrs["withheld"]`` says how many more are needed. In the grid, a stakeholder
        fewer than ``k`` learners named is left out (``attrs["held_back"]`` counts them).
    moderation
        The facilitator's decisions; by default those kept in the room's folder. Free
        text is shown scrubbed and only when approved (``attrs["waiting"]`` counts the
        items still pending).

    Returns
    -------
    pandas.DataFrame
        With the columns of the view's table; ``attrs["k"]`` is the threshold used.
    """
    t = as_threshold(threshold)
    view = room_view(key)
    table = view.table(room)
    attrs = dict(table.attrs) | {"k": t.k}
    words = room_text("privacy")
    answered = int(attrs.get("answered", 0))
    withheld = ""
    if 0 < len(room) < t.k:
        withheld = words["room_withheld"].format(more=t.needed(len(room)), k=t.k)
    elif 0 < answered < t.k:
        more = plural(t.needed(answered), "more learner")
        withheld = words["view_withheld"].format(more=more, k=t.k)
    if withheld:
        empty = table.iloc[0:0].copy()
        empty.attrs = attrs | {"withheld": withheld, "ignored": 0}
        return empty
    table = table.copy()
    table.attrs = attrs
    if key == "grid":
        few = table["learners"] < t.k
        shown = table[~few].reset_index(drop=True)
        shown.attrs = attrs | {"held_back": int(few.sum())}
        return shown
    if key in FREE_TEXT_VIEWS:
        return _moderated(table, key, moderation or Moderation(room.folder))
    return table


@dataclass(frozen=True, slots=True)
class ViewOutput:
    """One view rendered: the chart (PNG and alt text), its table, text and HTML."""

    key: str
    title: str
    chart: Chart
    table: pd.DataFrame
    text: str
    html: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.text, "text/html": self.html}


_HIDDEN_COLUMNS = ("key", "level")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return room_text("yes_no")[0 if value else 1]
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, tuple):
        return ", ".join(" ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in value)
    return str(value)


def view_table(table: pd.DataFrame, caption: str) -> Table:
    """A view's table as a document :class:`~partnership_lib.documents.blocks.Table`:
    the caption, column headings from ``data/room.yaml`` (a column it does not list is
    a content label, such as a context's name, and stands as it is), each row's first
    cell as its header. Shares are shown as percentages; internal key columns are left out."""
    headings = room_text("columns")
    columns = [c for c in table.columns if c not in _HIDDEN_COLUMNS]
    rows = [
        tuple(
            f"{value:.0%}" if column == "share" else _cell(value)
            for column, value in zip(columns, record, strict=True)
        )
        for record in table[columns].itertuples(index=False, name=None)
    ]
    return Table(
        tuple(str(headings.get(c, c)) for c in columns),
        tuple(rows),
        caption=caption,
        row_headers=True,
        empty=empty_text(table),
        css_class="pl-room-table",
    )


def table_html(table: pd.DataFrame, caption: str) -> str:
    """:func:`view_table` as accessible HTML, every cell escaped."""
    return str(html_fragment([view_table(table, caption)]))


def render_view(
    room: Room,
    key: str,
    *,
    style_name: str | None = None,
    threshold: Threshold | int | None = None,
    moderation: Moderation | None = None,
) -> ViewOutput:
    """Collate one view from the room and draw it (the figure is closed afterwards).

    What is drawn is :func:`shown_table`: nothing about the answers until the anonymity
    threshold is met, and only approved free text.

    Parameters
    ----------
    key
        One of the keys of :data:`ROOM_VIEWS`.
    style_name
        ``"workbook"``, ``"projector"`` or ``"high_contrast"``; the active style when omitted.
    threshold
        The anonymity threshold or its ``k`` (default ``privacy.DEFAULT_K``).
    moderation
        The facilitator's decisions (default: those kept in the room's folder).

    Returns
    -------
    ViewOutput
        ``html`` is a ``<section>``: heading, introduction, the chart as a figure (its
        ``<img>`` has alt text and the full description in a ``<details>``), a note of
        any malformed answers ignored, and the table in a closed "Show as table"
        ``<details>`` (caption, column and row headers, every cell escaped).
    """

    view = room_view(key)
    table = shown_table(room, key, threshold=threshold, moderation=moderation)
    text = view.describe(table)
    chart = render_chart(view.plot, table, style_name=style_name, describe=lambda _t: text)
    out = ViewOutput(key, view.title, chart, table, text, "")
    return ViewOutput(key, view.title, chart, table, text, section_html(out, view.intro))


def view_section(out: ViewOutput, intro: str, *, open_details: bool = False) -> Section:
    """A view as a document :class:`~partnership_lib.documents.blocks.Section`: heading,
    introduction, a note of malformed answers ignored, the chart and, in a fold, its
    table. ``open_details`` unfolds the chart's description and the table (for printing)."""
    words = room_text("report")
    note = ignored_sentence(out.table).strip()
    held = (out.table.attrs.get("withheld") or privacy_sentence(out.table)).strip()
    caption = words["table_caption"].format(title=out.title)
    return Section(
        out.title,
        (
            Para(intro, "intro"),
            *([Para(held, "status")] if held else []),
            *([Para(note, "note")] if note else []),
            figure_of(out.chart, open=open_details),
            Details(
                words["show_table"],
                (view_table(out.table, caption),),
                open=open_details,
                css_class="pl-room-table-details",
            ),
        ),
        id=f"room-{out.key}",
        css_class="pl-room-view",
    )


def section_html(out: ViewOutput, intro: str, *, open_details: bool = False) -> str:
    """:func:`view_section` as an HTML ``<section>``, every piece of text escaped."""
    return str(html_fragment([view_section(out, intro, open_details=open_details)]))
