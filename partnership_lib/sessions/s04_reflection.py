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
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnership_lib.charts.chart import render_chart
from partnership_lib.core import content
from partnership_lib.core.html import HTMLBlock, escape
from partnership_lib.core.store import AnswerKey, AnswerStore, default_store
from partnership_lib.core.style import current_theme, on_style_change
from partnership_lib.documents.portfolio import export_portfolio
from partnership_lib.documents.share import (
    ANONYMISE_NAMES_KEY,
    LEARNER_NAME_KEY,
    anonymisation_preview,
    export_share_file,
)
from partnership_lib.models.personal_assessment import (
    assessment_groups,
    assessment_items,
    rating_items_and_groups,
    source_label,
)
from partnership_lib.models.progress import plot_progress, progress_counts, workbook_progress
from partnership_lib.models.ratings import compare_ratings
from partnership_lib.widgets.base import Binding, live_region
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.text import FormField, text_form

__all__ = [
    "NOTEBOOK",
    "assessment_scale",
    "assessment_table_html",
    "change_view",
    "development_fields",
    "development_plan",
    "export_panel",
    "progress_table_html",
    "progress_view",
    "share_panel",
    "stored_ratings",
]

NOTEBOOK = "04_feedback_and_reflection"
_CONTENT = "reflection"


# --------------------------------------------------------------------------- content


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
                f"<tr>{head}<td>{escape(item.text)}</td><td>{escape(source_label(item))}</td></tr>"
            )
            lines.append(f"{label}: {item.text} ({source_label(item)}).")
    html = (
        '<table class="pl-table"><caption>The skills in your personal assessment</caption>'
        '<thead><tr><th scope="col">Group</th><th scope="col">I am confident at…</th>'
        '<th scope="col">Comes from</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )
    return HTMLBlock(html, "\n".join(lines))


def development_fields() -> tuple[Any, ...]:
    """The fields of the development plan (two skills, each with its actions)."""

    return tuple(
        content.build(_CONTENT, f"development_plan/{raw['key']}", FormField, **raw)
        for raw in content.load(_CONTENT)["development_plan"]
    )


# --------------------------------------------------------------------------- builders


def assessment_scale(
    binding: Binding,
    when: str,
) -> widgets.Widget:
    """Rate confidence in each assessment skill, 1 to 5; ``when`` is ``"start"`` or ``"end"``."""

    if when not in ("start", "end"):
        raise ValueError(f"when must be 'start' or 'end', got {when!r}")
    pairs, groups = rating_items_and_groups()
    moment = "the start" if when == "start" else "the end"
    return rating_scale(
        binding,
        pairs,
        low_label="1 = not at all confident",
        high_label="5 = very confident",
        groups=groups,
        title=f"My confidence at {moment} of the day",
        chart_title=f"Confidence at {moment} of the day",
    )


def development_plan(binding: Binding) -> widgets.Widget:
    """The two skills to develop next, each with the actions planned."""

    return text_form(
        binding, development_fields(), title="Two skills to develop next", item_name="answer"
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


def progress_table_html(progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]]) -> str:
    """An HTML table of every activity and its state (learner-free text, escaped)."""
    progress_counts(progress)  # validates
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
