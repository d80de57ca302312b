"""Notebook 04, Session Feedback and Reflection: its content, charts and builders.

The last session of the day gathers the learner's reflections: the evaluation wall,
a learning log page per session, a personal assessment of the key partnership skills
rated at the start and the end of the day, a view of progress across the workbook, and
the exports (a portfolio to keep, a share file for the facilitator).

The assessment items are our own, each tied to one of McNamara's skills (McNamara 2005)
as grouped in ``data/skills.yaml`` or to one of the key skill areas (DETR 2000); they
live in ``data/reflection.yaml``. Builders return widgets and never call ``display``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from . import content, frameworks
from ._draw import new_axes
from .charts import ChartTable
from .exercises._common import NotebookProgress, escape, live_region
from .session import HTMLBlock, session_catalogue
from .store import AnswerKey, AnswerStore, default_store
from .style import current_theme, on_style_change, style_context

__all__ = [
    "NOTEBOOK",
    "STATES",
    "AssessmentItem",
    "assessment_groups",
    "assessment_items",
    "assessment_scale",
    "assessment_table_html",
    "change_view",
    "describe_progress",
    "development_fields",
    "development_plan",
    "export_panel",
    "plot_progress",
    "progress_table_html",
    "progress_view",
    "share_panel",
    "stored_ratings",
    "table_progress",
    "workbook_progress",
]

NOTEBOOK = "04_feedback_and_reflection"
_CONTENT = "reflection"
#: The states an activity can be in, from least to most done.
STATES = ("not started", "started", "complete")


# --------------------------------------------------------------------------- content


@dataclass(frozen=True, slots=True)
class AssessmentItem:
    """One statement of the personal assessment.

    ``group`` is the key of its group in ``data/reflection.yaml``; ``source`` is the key
    of the McNamara skill or DETR key skill area it comes from.
    """

    key: str
    group: str
    source: str
    text: str

    def __post_init__(self) -> None:
        for field in ("key", "group", "source", "text"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(
                    f"assessment item {self.key!r}: {field} must be text, got {value!r}"
                )


def assessment_groups() -> tuple[tuple[str, str, str], ...]:
    """The assessment's groups as ``(key, label, source kind)``, in order."""
    return tuple(
        (g["key"], g["label"], g["source"]) for g in content.load(_CONTENT)["assessment_groups"]
    )


def assessment_items() -> tuple[AssessmentItem, ...]:
    """The personal assessment's items, checked against the skills they come from.

    Raises
    ------
    partnership_lib.content.ContentError
        For an unknown group, a source that is not in its group's skills or areas, a
        repeated key or a group with no items.
    """
    groups = {key: kind for key, _label, kind in assessment_groups()}
    group_skills = {g.key: set(g.skills) for g in frameworks.skill_groups()}
    areas = {a.key for a in frameworks.key_skill_areas()}
    items: list[AssessmentItem] = []
    for raw in content.load(_CONTENT)["assessment_items"]:
        with content.content_entry(_CONTENT, f"assessment_items/{raw['key']}"):
            item = AssessmentItem(**raw)
            if item.group not in groups:
                raise ValueError(f"unknown group {item.group!r}; groups: {', '.join(groups)}")
            if groups[item.group] == "skill_group":
                allowed = group_skills.get(item.group)
                if allowed is None:
                    raise ValueError(f"group {item.group!r} is not one of the skill groups")
                if item.source not in allowed:
                    raise ValueError(
                        f"source {item.source!r} is not a skill in group {item.group!r}"
                    )
            elif item.source not in areas:
                raise ValueError(f"source {item.source!r} is not a key skill area")
            if any(i.key == item.key for i in items):
                raise ValueError(f"item key {item.key!r} is used twice")
        items.append(item)
    for key in groups:
        if not any(i.group == key for i in items):
            with content.content_entry(_CONTENT, f"assessment_groups/{key}"):
                raise ValueError(f"group {key!r} has no items")
    return tuple(items)


def _pairs_and_groups() -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    items = assessment_items()
    pairs = [(i.key, i.text) for i in items]
    groups = [
        (label, [i.key for i in items if i.group == key]) for key, label, _ in assessment_groups()
    ]
    return pairs, groups


def _source_label(item: AssessmentItem) -> str:
    for skill in frameworks.skills():
        if skill.key == item.source:
            return f"{skill.label} (McNamara 2005)"
    for area in frameworks.key_skill_areas():
        if area.key == item.source:
            return f"{area.label} ({area.citation})"
    return item.source


def assessment_table_html() -> HTMLBlock:
    """A table of the assessment's groups, items and the skill each comes from."""
    items = assessment_items()
    rows, lines = [], []
    for key, label, _kind in assessment_groups():
        members = [i for i in items if i.group == key]
        for n, item in enumerate(members):
            head = (
                f'<th scope="rowgroup" rowspan="{len(members)}">{escape(label)}</th>'
                if n == 0
                else ""
            )
            rows.append(
                f"<tr>{head}<td>{escape(item.text)}</td><td>{escape(_source_label(item))}</td></tr>"
            )
            lines.append(f"{label}: {item.text} ({_source_label(item)}).")
    html = (
        '<table class="pl-table"><caption>The skills in your personal assessment</caption>'
        '<thead><tr><th scope="col">Group</th><th scope="col">I am confident at…</th>'
        '<th scope="col">Comes from</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )
    return HTMLBlock(html, "\n".join(lines))


def development_fields() -> tuple[Any, ...]:
    """The fields of the development plan (two skills, each with its actions)."""
    from .exercises.text import FormField

    return tuple(
        content.build(_CONTENT, f"development_plan/{raw['key']}", FormField, **raw)
        for raw in content.load(_CONTENT)["development_plan"]
    )


# --------------------------------------------------------------------------- builders


def assessment_scale(
    when: str,
    *,
    notebook: str,
    exercise: str,
    store: AnswerStore | None = None,
    progress: NotebookProgress | None = None,
) -> widgets.Widget:
    """Rate confidence in each assessment skill, 1 to 5; ``when`` is ``"start"`` or ``"end"``."""
    from .exercises.rating import rating_scale

    if when not in ("start", "end"):
        raise ValueError(f"when must be 'start' or 'end', got {when!r}")
    pairs, groups = _pairs_and_groups()
    moment = "the start" if when == "start" else "the end"
    return rating_scale(
        pairs,
        notebook=notebook,
        exercise=exercise,
        store=store,
        progress=progress,
        low_label="1 = not at all confident",
        high_label="5 = very confident",
        groups=groups,
        title=f"My confidence at {moment} of the day",
        chart_title=f"Confidence at {moment} of the day",
    )


def development_plan(
    *,
    notebook: str,
    exercise: str,
    store: AnswerStore | None = None,
    progress: NotebookProgress | None = None,
) -> widgets.Widget:
    """The two skills to develop next, each with the actions planned."""
    from .exercises.text import text_form

    return text_form(
        development_fields(),
        notebook=notebook,
        exercise=exercise,
        store=store,
        progress=progress,
        title="Two skills to develop next",
        item_name="answer",
    )


def stored_ratings(
    store: AnswerStore, exercise: str, *, notebook: str = NOTEBOOK
) -> dict[str, int]:
    """The valid ratings (1 to 5) stored for one rating exercise."""
    raw = store.get(AnswerKey(notebook, exercise, "ratings"))
    if not isinstance(raw, dict):
        return {}
    return {
        k: v
        for k, v in raw.items()
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5
    }


def _change_html(store: AnswerStore, notebook: str) -> str:
    from .exercises.rating import compare_ratings

    before = stored_ratings(store, "assessment_start", notebook=notebook)
    after = stored_ratings(store, "assessment_end", notebook=notebook)
    if not before and not after:
        return live_region(
            "Rate yourself at the start and at the end of the day first; then your change "
            "is shown here.",
            "warning",
        )
    labels = {i.key: i.text for i in assessment_items()}
    labels.update({k: k.replace("_", " ").capitalize() for k in {*before, *after} - set(labels)})
    chart = compare_ratings(before, after, labels=labels, style_name=current_theme().name)
    note = live_region(
        f"Your change is drawn below: {len(before)} start ratings and {len(after)} end ratings.",
        "saved",
    )
    return note + chart.html


def change_view(*, store: AnswerStore | None = None, notebook: str = NOTEBOOK) -> widgets.VBox:
    """A "Show my change" button that draws the start and end ratings from the store."""
    store = store if store is not None else default_store()
    button = widgets.Button(
        description="Show my change",
        icon="line-chart",
        tooltip="Draw your start and end of day ratings side by side",
    )
    out = widgets.HTML()
    out.add_class("pl-chart-view")

    def _show(_b: Any = None) -> None:
        out.value = _change_html(store, notebook)

    button.on_click(_show)
    box = widgets.VBox([button, out], layout=widgets.Layout(width="100%"))
    box.add_class("pl-exercise")
    box.add_class("pl-rating-change")
    box.button, box.output, box.show = button, out, _show

    def _restyle(_name: str) -> None:  # projector mode: redraw a change already shown
        if out.value:
            _show()

    on_style_change(_restyle, owner=box)
    return box


# --------------------------------------------------------------------------- progress


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
        states = NotebookProgress(entry["key"], exercises, store=store).states()
        out[entry["key"]] = (entry["title"], {k: (t, states[k]) for k, t in exercises})
    return out


def _counts(
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
    rows = _counts(progress)
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.1, h_pad=0.1)
        colours = theme.score_colors
        fills = {
            "complete": (colours[-1], ""),
            "started": (colours[len(colours) // 2], "//"),
            "not started": ("white", ""),
        }
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
                ax.text(
                    left + n / 2,
                    yi,
                    str(n),
                    ha="center",
                    va="center",
                    color=theme.text,
                    fontsize=max(theme.small_text, theme.label_size),
                    fontweight="bold",
                    parse_math=False,
                    gid=f"count:{key}:{state}",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                )
                left += n
        ax.set_yticks(
            y, [title for _k, title, _c in rows], fontsize=max(theme.small_text, theme.label_size)
        )
        for label in ax.get_yticklabels():
            label.set_parse_math(False)
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


def describe_progress(progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]]) -> str:
    """Plain-text twin of :func:`plot_progress`: each session's counts of activities."""
    rows = _counts(progress)
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
    rows = _counts(progress)
    return ChartTable(
        "Your progress through the workbook",
        ("Session", *(s.capitalize() for s in reversed(STATES)), "Activities"),
        tuple((title, *(c[s] for s in reversed(STATES)), sum(c.values())) for _k, title, c in rows),
    )


def progress_table_html(progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]]) -> str:
    """An HTML table of every activity and its state (learner-free text, escaped)."""
    _counts(progress)  # validates
    rows = []
    for _key, (title, activities) in progress.items():
        for n, (_ex, (ex_title, state)) in enumerate(activities.items()):
            head = (
                f'<th scope="rowgroup" rowspan="{len(activities)}">{escape(title)}</th>'
                if n == 0
                else ""
            )
            mark = {"complete": "✔ ", "started": "✎ ", "not started": "○ "}[state]
            rows.append(f"<tr>{head}<td>{escape(ex_title)}</td><td>{mark}{escape(state)}</td></tr>")
    return (
        '<table class="pl-table pl-progress-table"><caption>Activities in each session'
        '</caption><thead><tr><th scope="col">Session</th><th scope="col">Activity</th>'
        '<th scope="col">State</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )


def progress_view(
    *, store: AnswerStore | None = None, exclude: Sequence[str] = (NOTEBOOK,)
) -> widgets.VBox:
    """A chart and table of progress across the workbook, with a "Refresh" button."""
    from .charts import render_chart

    store = store if store is not None else default_store()
    button = widgets.Button(
        description="Refresh my progress", icon="refresh", tooltip="Read your answers again"
    )
    out = widgets.HTML(layout=widgets.Layout(width="100%"))
    out.add_class("pl-chart-view")

    def _show(_b: Any = None) -> None:
        progress = workbook_progress(store=store, exclude=exclude)
        chart = render_chart(plot_progress, progress)
        out.value = chart.html + progress_table_html(progress)

    button.on_click(_show)
    _show()
    box = widgets.VBox([button, out], layout=widgets.Layout(width="100%"))
    box.add_class("pl-exercise")
    box.add_class("pl-workbook-progress")
    box.button, box.output, box.refresh = button, out, _show
    on_style_change(lambda _name: _show(), owner=box)  # projector mode
    return box


# --------------------------------------------------------------------------- exports


def _download_link(path: Path, mime: str, label: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<a download="{escape(path.name)}" href="data:{mime};base64,{data}">{escape(label)}</a>'


def export_panel(*, store: AnswerStore | None = None) -> widgets.VBox:
    """Buttons that write the portfolio (HTML or Markdown) to the data folder's ``exports/``."""
    from .export import LEARNER_NAME_KEY, export_portfolio

    store = store if store is not None else default_store()
    name = widgets.Text(
        value=str(store.get(LEARNER_NAME_KEY, "") or ""),
        description="Your name on the title page (optional)",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="36em"),
        continuous_update=True,
    )
    html_button = widgets.Button(description="Export portfolio (HTML)", icon="file")
    md_button = widgets.Button(description="Export portfolio (Markdown)", icon="file-text")
    status = widgets.HTML(live_region())

    def _name(change: dict[str, Any]) -> None:
        store.save(LEARNER_NAME_KEY, " ".join(change["new"].split())[:80], coalesce_within=5)

    name.observe(_name, names="value")

    def _export(fmt: str) -> None:
        try:
            path = export_portfolio(format=fmt, store=store)
        except (OSError, ValueError) as exc:
            status.value = live_region(f"The portfolio could not be written: {exc}", "error")
            return
        mime = "text/html" if fmt == "html" else "text/markdown"
        status.value = live_region(
            f"Portfolio written to {escape(path)}. "
            + _download_link(path, mime, f"Download {path.name}"),
            "saved",
            escaped=True,
        )

    html_button.on_click(lambda _b: _export("html"))
    md_button.on_click(lambda _b: _export("md"))
    box = widgets.VBox([name, widgets.HBox([html_button, md_button]), status])
    box.add_class("pl-exercise")
    box.add_class("pl-export")
    box.name, box.html_button, box.md_button, box.status = name, html_button, md_button, status
    return box


def _preview_html(found: Sequence[Any]) -> str:
    if not found:
        return live_region(
            "Nothing to hide was found: no e-mail addresses, phone numbers, postcodes or "
            "listed names.",
            "info",
        )
    rows = "".join(
        f"<tr><td>{escape(r.kind)}</td><td>{escape(r.original)}</td>"
        f"<td>{escape(r.placeholder)}</td><td>{escape(r.where)}</td></tr>"
        for r in found
    )
    return live_region(
        f"{len(found)} pieces of text will be replaced in the share file.", "info"
    ) + (
        '<table class="pl-table"><caption>What anonymising will replace</caption><thead><tr>'
        '<th scope="col">Kind</th><th scope="col">Your text</th>'
        '<th scope="col">Replaced by</th><th scope="col">Where</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def share_panel(*, store: AnswerStore | None = None) -> widgets.VBox:
    """Write a share file for the facilitator, anonymised by default, after a preview."""
    from .export import ANONYMISE_NAMES_KEY, anonymisation_preview, export_share_file

    store = store if store is not None else default_store()
    display = widgets.Text(
        description="How the facilitator sees you (a first name or table number)",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="40em"),
        continuous_update=True,
    )
    saved_names = store.get(ANONYMISE_NAMES_KEY, [])
    names = widgets.Textarea(
        value="\n".join(saved_names) if isinstance(saved_names, list) else str(saved_names or ""),
        description="Names to hide (one a line)",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="40em", height="5em"),
        continuous_update=True,
    )
    anonymise = widgets.Checkbox(
        value=True,
        description="Anonymise (replace e-mails, phone numbers, postcodes and these names)",
        style={"description_width": "initial"},
        indent=False,
    )
    preview_button = widgets.Button(description="Preview what is hidden", icon="eye")
    write_button = widgets.Button(description="Write share file", icon="share", disabled=True)
    preview = widgets.HTML()
    status = widgets.HTML(live_region())

    def _names() -> list[str]:
        return [n.strip() for n in names.value.splitlines() if n.strip()]

    def _names_changed(_change: dict[str, Any]) -> None:
        store.save(ANONYMISE_NAMES_KEY, _names(), coalesce_within=5)
        write_button.disabled = anonymise.value
        if anonymise.value:
            preview.value = live_region("The names changed: preview again before writing.", "info")

    def _anonymise_changed(_change: dict[str, Any]) -> None:
        write_button.disabled = anonymise.value
        preview.value = (
            live_region("Preview what is hidden before writing.", "info")
            if anonymise.value
            else live_region(
                "The share file will hold your answers exactly as you typed them.", "warning"
            )
        )

    def _preview(_b: Any = None) -> None:
        preview.value = _preview_html(anonymisation_preview(store, names=_names()))
        write_button.disabled = False

    def _write(_b: Any = None) -> None:
        try:
            path = export_share_file(
                store=store,
                display_name=display.value,
                anonymise=anonymise.value,
                names=_names(),
            )
        except (OSError, ValueError) as exc:
            status.value = live_region(f"The share file could not be written: {exc}", "error")
            return
        status.value = live_region(
            f"Share file written to {escape(path)}. "
            + _download_link(path, "application/json", f"Download {path.name}"),
            "saved",
            escaped=True,
        )

    names.observe(_names_changed, names="value")
    anonymise.observe(_anonymise_changed, names="value")
    preview_button.on_click(_preview)
    write_button.on_click(_write)
    box = widgets.VBox(
        [display, names, anonymise, widgets.HBox([preview_button, write_button]), preview, status]
    )
    box.add_class("pl-exercise")
    box.add_class("pl-share")
    box.display_name, box.names, box.anonymise = display, names, anonymise
    box.preview_button, box.write_button, box.preview, box.status = (
        preview_button,
        write_button,
        preview,
        status,
    )
    return box
