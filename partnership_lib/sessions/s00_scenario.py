"""Partnership scenarios: the fictional examples PS 1a-1c, the learner's own, and sharing.

- :class:`Scenario`, :func:`example_scenarios`, :func:`example_scenario`: the example
  scenarios the workbook names for Activity 2 (PS 1a, 1b, 1c). They live in
  ``data/scenarios.yaml``; each is fictional and fills in all ten steps of
  ``data/scenario_steps.yaml``.
- :func:`scenario_reader` reads an example and can copy it into the learner's scenario
  form ("Start from this example": empty steps only unless the learner confirms, and
  undoable); :func:`scenario_workspace` puts the reader above the form (one notebook call).
- :func:`scenario_card` / :func:`export_scenario_card` turn the learner's scenario into a
  self-contained, escaped HTML or Markdown card, optionally anonymised;
  :func:`sharing_panel` is the notebook's widget for the names to hide, the anonymisation
  check and the card export.
- :func:`workbook_programme` and :func:`examples_overview` are static tables for the
  welcome notebook.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from partnership_lib.core.files import resolve_output, write_atomically
from partnership_lib.core.html import HTMLBlock, escape
from partnership_lib.core.store import AnswerKey, default_store
from partnership_lib.documents import share
from partnership_lib.documents.portfolio import markdown_escape
from partnership_lib.documents.share import (
    ANONYMISE_NAMES_KEY,
    anonymisation_preview,
    names_to_hide,
)
from partnership_lib.models import frameworks
from partnership_lib.models.programme import session_catalogue
from partnership_lib.models.scenarios import (
    SCENARIO_EXERCISE,
    SCENARIO_NOTEBOOK,
    Scenario,
    example_scenarios,
)
from partnership_lib.widgets.base import Binding, live_region
from partnership_lib.widgets.text import fill_form, scenario_form, undo_fill

if TYPE_CHECKING:
    import ipywidgets as widgets

    from partnership_lib.core.html import HTMLBlock
    from partnership_lib.core.store import AnswerStore
    from partnership_lib.widgets.text import TextForm

__all__ = [
    "examples_overview",
    "export_scenario_card",
    "scenario_card",
    "scenario_html",
    "scenario_reader",
    "scenario_workspace",
    "sharing_panel",
    "workbook_programme",
]

_MUTED = "#4d4d4d"


# ============================================================================ model


def _steps_meta() -> list[tuple[str, str]]:

    return [(s.key, f"Step {s.number}: {s.title}") for s in frameworks.scenario_steps()]


def scenario_html(scenario: Scenario) -> str:
    """An example scenario as escaped HTML: its code, title, a fictional notice, each step."""
    parts = [
        f'<div class="pl-scenario-text" data-scenario="{escape(scenario.key)}">',
        f"<h3>{escape(scenario.label)}</h3>",
        f'<p style="color:{_MUTED}"><em>{escape(scenario.kind)}</em></p>',
        '<p class="pl-fictional" style="border-left:5px solid #B84A00;padding:0.2em 0.6em;'
        'background:#FCEBDD;color:#1a1a1a"><strong>Fictional example.</strong> The places, '
        "organisations and figures are invented; any likeness to a real partnership is "
        "chance.</p>",
    ]
    for key, title in _steps_meta():
        parts.append(f"<h4>{escape(title)}</h4><p>{escape(scenario.steps[key])}</p>")
    parts.append("</div>")
    return "".join(parts)


# ============================================================================ static tables


def workbook_programme() -> HTMLBlock:
    """The day's sessions (from ``data/sessions.yaml``) as a table."""

    rows, lines = [], []
    for s in session_catalogue():
        when = s["time"] if not s["number"] else f"Session {s['number']}, {s['time']}"
        topics = "".join(f"<li>{escape(t)}</li>" for t in s["topics"])
        rows.append(
            f"<tr><td>{escape(when)}</td><td><strong>{escape(s['title'])}</strong>"
            f"<br><code>{escape(s['key'])}</code></td><td><ul>{topics}</ul></td></tr>"
        )
        lines.append(f"{when}: {s['title']} ({'; '.join(s['topics'])}).")
    table = (
        '<table class="pl-programme"><caption>The workbook, session by session</caption>'
        '<thead><tr><th scope="col">When</th><th scope="col">Notebook</th>'
        '<th scope="col">Topics</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )
    return HTMLBlock(table, "\n".join(lines))


def examples_overview() -> HTMLBlock:
    """The three example scenarios in one short table (code, partnership, kind)."""

    scenarios = example_scenarios()
    rows = "".join(
        f"<tr><td>{escape(s.code)}</td><td>{escape(s.title)}</td><td>{escape(s.kind)}</td>"
        "<td>Fictional</td></tr>"
        for s in scenarios
    )
    table = (
        '<table class="pl-examples"><caption>Example partnership scenarios</caption>'
        '<thead><tr><th scope="col">Code</th><th scope="col">Partnership</th>'
        '<th scope="col">Kind</th><th scope="col">Status</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    text = " ".join(f"{s.code}: {s.title} ({s.kind}; fictional)." for s in scenarios)
    return HTMLBlock(table, text)


# ============================================================================ widgets


def scenario_reader(
    scenarios: Sequence[Scenario] | None = None,
    *,
    form: TextForm | None = None,
) -> widgets.VBox:
    """Choose an example scenario, read it, and (with ``form``) start from it.

    Parameters
    ----------
    scenarios
        The examples offered (default: :func:`example_scenarios`).
    form
        The learner's scenario form (:func:`partnership_lib.widgets.scenario_form`).
        With it, "Start from this example" copies the example into the empty steps; if the
        learner has already written some steps, they are asked first whether to fill only
        the empty steps or replace their text too. "Undo" puts back what was there before.

    Returns
    -------
    ipywidgets.VBox
        Class ``pl-scenario-reader``; attributes ``dropdown``, ``text``, ``start``,
        ``undo``, ``confirm`` (the question row), ``fill_empty``, ``replace``, ``cancel``,
        ``status``.
    """

    scenarios = tuple(scenarios) if scenarios is not None else example_scenarios()
    if not scenarios:
        raise ValueError("scenario_reader: give at least one scenario")
    by_key = {s.key: s for s in scenarios}
    dropdown = widgets.Dropdown(
        options=[(s.label, s.key) for s in scenarios],
        value=scenarios[0].key,
        description="Example scenario:",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="max-content"),
    )
    text = widgets.HTML()
    text.add_class("pl-scenario-example")
    status = widgets.HTML(live_region())
    status.add_class("pl-live")
    start = widgets.Button(
        description="Start from this example",
        icon="copy",
        tooltip="Copy this example into your own scenario below (empty steps only)",
        layout=widgets.Layout(width="auto"),
    )
    undo = widgets.Button(
        description="Undo", icon="undo", disabled=True, layout=widgets.Layout(width="auto")
    )
    fill_empty = widgets.Button(
        description="Fill only my empty steps", layout=widgets.Layout(width="auto")
    )
    replace = widgets.Button(
        description="Replace my text too",
        button_style="warning",
        layout=widgets.Layout(width="auto"),
    )
    cancel = widgets.Button(description="Cancel", layout=widgets.Layout(width="auto"))
    question = widgets.HTML()
    confirm = widgets.VBox(
        [question, widgets.HBox([fill_empty, replace, cancel])],
        layout=widgets.Layout(display="none"),
    )

    def say(message: str, kind: str = "info") -> None:
        status.value = live_region(message, kind)

    def current() -> Scenario:
        return by_key[dropdown.value]

    def show(_: Any = None) -> None:
        # A scrolling box must take keyboard focus, or keyboard users cannot scroll it.
        text.value = (
            f'<div role="region" aria-label="{escape(current().title)}" tabindex="0" '
            'style="max-height:28em;overflow:auto;border:1px solid #bbb;'
            f'padding:0 0.8em">{scenario_html(current())}</div>'
        )
        confirm.layout.display = "none"

    def written_steps() -> list[str]:
        steps = current().steps
        return [
            k
            for k, area in form.textareas.items()
            if k in steps and area.value.strip() and area.value != steps[k]
        ]

    def do_fill(overwrite: bool) -> None:
        confirm.layout.display = "none"
        s = current()
        filled = fill_form(form, dict(s.steps), overwrite=overwrite)
        undo.disabled = not filled
        if filled:
            n = len(filled)
            say(
                f"Copied {s.code} into {n} step{'s' if n != 1 else ''} of your scenario. "
                "Change anything you like; Undo puts back what was there.",
                "saved",
            )
        else:
            say("Nothing to copy: every step of your scenario already has text.", "info")

    def on_start(_: Any) -> None:
        mine = written_steps()
        if mine:
            n = len(mine)
            question.value = (
                f"<p>You have already written {n} step{'s' if n != 1 else ''} of your "
                f"own. Copy {escape(current().code)} into the empty steps only, or replace "
                "your text as well? (Your text stays in your history either way.)</p>"
            )
            confirm.layout.display = "flex"
        else:
            do_fill(False)

    def on_undo(_: Any) -> None:
        back = undo_fill(form)
        undo.disabled = True
        if back:
            say(f"Put back {len(back)} step{'s' if len(back) != 1 else ''} as they were.", "saved")
        else:
            say("Nothing to undo: you have changed those steps since.", "info")

    dropdown.observe(show, names="value")
    show()
    children: list[widgets.Widget] = [dropdown, text]
    if form is not None:
        start.on_click(on_start)
        undo.on_click(on_undo)
        fill_empty.on_click(lambda _: do_fill(False))
        replace.on_click(lambda _: do_fill(True))

        def on_cancel(_: Any) -> None:
            confirm.layout.display = "none"
            say("Nothing copied.", "info")

        cancel.on_click(on_cancel)
        children += [widgets.HBox([start, undo]), confirm, status]
    box = widgets.VBox(children)
    box.add_class("pl-scenario-reader")
    box.dropdown, box.text, box.start, box.undo = dropdown, text, start, undo
    box.confirm, box.fill_empty, box.replace, box.cancel = confirm, fill_empty, replace, cancel
    box.status = status
    return box


def scenario_workspace(binding: Binding) -> widgets.VBox:
    """The example reader above the learner's 10-step scenario form (one notebook call).

    Use as ``scenario_workspace(**S.bind("scenario"))``. Returns a VBox with class
    ``pl-scenario-workspace`` and attributes ``reader`` and ``form``.
    """

    form = scenario_form(binding)
    reader = scenario_reader(form=form)
    heading = widgets.HTML("<h3>Read an example, or start from one</h3>")
    box = widgets.VBox([heading, reader, widgets.HTML("<hr>"), form])
    box.add_class("pl-scenario-workspace")
    box.reader, box.form = reader, form
    return box


# ============================================================================ scenario card


def _learner_steps(store: AnswerStore, notebook: str, exercise: str) -> dict[str, str]:

    out = {}
    for key, _ in _steps_meta():
        value = store.get(AnswerKey(notebook, exercise, key))
        out[key] = value if isinstance(value, str) else ""
    return out


def _card_title(naming: str) -> str:
    first = next((line.strip() for line in naming.splitlines() if line.strip()), "")
    first = " ".join(first.split())
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].rstrip(".")
    if len(first) > 90:
        cut = first[:90].rsplit(" ", 1)[0] or first[:90]
        first = cut.rstrip(" ,;:") + "…"
    return first or "My partnership scenario"


_CARD_CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1a1a1a;
       line-height: 1.5; max-width: 50em; margin: 0 auto; padding: 1.5em; font-size: 12pt; }
h1 { line-height: 1.25; border-bottom: 4px solid #0072B2; padding-bottom: .2em; }
h2 { font-size: 1.1em; color: #004C80; margin: 1.2em 0 .2em; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.empty { color: #4d4d4d; font-style: italic; }
.note { border-left: 6px solid #B84A00; padding: .4em 1em; background: #FCEBDD; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""


def scenario_card(
    store: AnswerStore | None = None,
    *,
    format: str = "html",
    anonymise: bool = False,
    names: Iterable[str] | None = None,
    notebook: str = SCENARIO_NOTEBOOK,
    exercise: str = SCENARIO_EXERCISE,
) -> str:
    """The learner's scenario as one self-contained HTML page or Markdown text.

    Parameters
    ----------
    store
        The learner's answers (default: their store).
    format
        ``"html"`` (no external requests; a Content-Security-Policy forbids them) or ``"md"``.
    anonymise
        Replace e-mail addresses, phone numbers, postcodes and the names to hide (``names``,
        default: the list saved in the sharing panel) with placeholders such as
        ``[name 1]``, exactly as the share file does.
    notebook, exercise
        Where the scenario is stored.

    Returns
    -------
    str
        Titled with the partnership's name (the first line of step 1); every piece of
        learner text is escaped.
    """

    if format not in ("html", "md"):
        raise ValueError(f"format must be 'html' or 'md', got {format!r}")
    store = store if store is not None else default_store()
    steps = _learner_steps(store, notebook, exercise)
    if anonymise:
        hidden = names_to_hide(store, names)
        steps, _ = share.anonymise(steps, hidden, where=f"{notebook}/{exercise}")
    title = _card_title(steps["naming"])
    done = sum(1 for v in steps.values() if v.strip())
    note = (
        "Anonymised: names, e-mail addresses, phone numbers and postcodes are replaced."
        if anonymise
        else "Personal and confidential: share it only if you choose to."
    )
    summary = f"{done} of {len(steps)} steps written."
    if format == "md":
        lines = [
            f"# {markdown_escape(title)}",
            "",
            "*Partnership scenario (Collaborative Working workbook)*",
            "",
            f"> {note} {summary}",
            "",
        ]
        for key, label in _steps_meta():
            body = markdown_escape(steps[key]) if steps[key].strip() else "*Not written yet.*"
            lines += [f"## {markdown_escape(label)}", "", body, ""]
        return "\n".join(lines).rstrip() + "\n"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{escape(title)} – partnership scenario</title>",
        f"<style>{_CARD_CSS}</style></head><body>",
        '<article class="scenario-card">',
        "<p>Partnership scenario (Collaborative Working workbook)</p>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(note)} {escape(summary)}</p>',
    ]
    for key, label in _steps_meta():
        body = (
            f'<p class="answer">{escape(steps[key])}</p>'
            if steps[key].strip()
            else '<p class="empty">Not written yet.</p>'
        )
        parts.append(f"<section><h2>{escape(label)}</h2>{body}</section>")
    parts.append("</article></body></html>")
    return "\n".join(parts)


def export_scenario_card(
    path: str | Path | None = None,
    *,
    store: AnswerStore | None = None,
    format: str = "html",
    anonymise: bool = False,
    names: Iterable[str] | None = None,
    folder: str | Path | None = None,
) -> Path:
    """Write :func:`scenario_card` to a file and return its path.

    ``path`` may be a file, a folder, a bare file name inside ``folder`` (it cannot escape
    that folder), or None for the data folder's ``exports/``. The file is written under a
    temporary name and then renamed.
    """

    if format not in ("html", "md"):
        raise ValueError(f"format must be 'html' or 'md', got {format!r}")
    store = store if store is not None else default_store()
    document = scenario_card(store, format=format, anonymise=anonymise, names=names)
    target = resolve_output(path, folder, store, "scenario-card", f".{format}")
    return write_atomically(target, document)


# ============================================================================ sharing panel


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in text.splitlines() if n.strip()]


def sharing_panel(binding: Binding) -> widgets.VBox:
    """Names to hide, the anonymisation check, and the scenario card export.

    Use as ``sharing_panel(**S.bind("scenario"))``. The names are saved (as a list of
    strings) under :data:`partnership_lib.documents.share.ANONYMISE_NAMES_KEY`, where the share
    file export also reads them. "Check what would be hidden" lists every replacement
    anonymising would make across all the learner's answers. "Save my scenario card"
    writes the card to the data folder's ``exports/`` and shows its path and a download
    link.

    Returns
    -------
    ipywidgets.VBox
        Class ``pl-sharing``; attributes ``names``, ``check``, ``preview``, ``format``,
        ``anonymise``, ``save``, ``result``, ``status``.
    """
    status = widgets.HTML(live_region())
    status.add_class("pl-live")

    def say(message: str, kind: str = "info", *, escaped: bool = False) -> None:
        status.value = live_region(message, kind, escaped=escaped)

    saved = binding.store.get(ANONYMISE_NAMES_KEY, [])
    if isinstance(saved, str):
        saved = _split_names(saved)
    if not isinstance(saved, list):
        saved = []
    names = widgets.Textarea(
        value="\n".join(str(n) for n in saved),
        description="Names to hide when sharing (one per line)",
        placeholder="e.g. a colleague's name, your organisation, your town",
        continuous_update=True,
        rows=4,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="100%"),
    )

    def on_names(change: dict[str, Any]) -> None:
        try:
            binding.store.save(
                ANONYMISE_NAMES_KEY, _split_names(change["new"]), coalesce_within=30.0
            )
        except Exception as exc:  # show, never lose the text in the box
            say(f"Could not save the names: {exc}", "error")

    names.observe(on_names, names="value")
    check = widgets.Button(
        description="Check what would be hidden", icon="search", layout=widgets.Layout(width="auto")
    )
    preview = widgets.HTML()
    preview.add_class("pl-anonymisation-preview")

    def on_check(_: Any) -> None:
        found = anonymisation_preview(binding.store, names=_split_names(names.value))
        if not found:
            preview.value = (
                "<p>Nothing would be replaced: no names from your list, e-mail addresses, "
                "phone numbers or postcodes were found in your answers.</p>"
            )
            say("Checked: nothing would be hidden.", "info")
            return
        rows = "".join(
            f"<tr><td>{escape(r.kind)}</td><td>{escape(r.original)} → {escape(r.placeholder)}</td>"
            f"<td><code>{escape(r.where)}</code></td></tr>"
            for r in found
        )
        preview.value = (
            '<table class="pl-replacements"><caption>What would be hidden when you share'
            '</caption><thead><tr><th scope="col">Kind</th><th scope="col">Replacement</th>'
            f'<th scope="col">Where</th></tr></thead><tbody>{rows}</tbody></table>'
        )
        say(f"Checked: {len(found)} piece{'s' if len(found) != 1 else ''} of text would be hidden.")

    check.on_click(on_check)

    fmt = widgets.ToggleButtons(
        options=[("Web page (HTML)", "html"), ("Markdown", "md")],
        value="html",
        description="Card format:",
        style={"description_width": "initial"},
    )
    anonymise = widgets.Checkbox(
        value=True,
        description="Hide names, e-mail addresses, phone numbers and postcodes",
        indent=False,
        style={"description_width": "initial"},
    )
    save = widgets.Button(
        description="Save my scenario card", icon="download", layout=widgets.Layout(width="auto")
    )
    result = widgets.HTML()
    result.add_class("pl-card-result")

    def on_save(_: Any) -> None:
        try:
            path = export_scenario_card(
                store=binding.store, format=fmt.value, anonymise=anonymise.value
            )
        except (OSError, ValueError) as exc:
            say(f"The card could not be saved: {exc}", "error")
            return
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = "text/html" if fmt.value == "html" else "text/markdown"
        result.value = (
            f"<p>Saved to <code>{escape(path)}</code><br>"
            f'<a download="{escape(path.name)}" href="data:{mime};charset=utf-8;base64,{data}">'
            f"Download {escape(path.name)}</a></p>"
        )
        say("Your scenario card is saved.", "saved")

    save.on_click(on_save)
    box = widgets.VBox(
        [
            widgets.HTML("<h3>Before you share: names to hide</h3>"),
            names,
            check,
            preview,
            widgets.HTML("<h3>Your scenario card</h3>"),
            fmt,
            anonymise,
            save,
            result,
            status,
        ]
    )
    box.add_class("pl-sharing")
    box.names, box.check, box.preview, box.format = names, check, preview, fmt
    box.anonymise, box.save, box.result, box.status = anonymise, save, result, status
    return box
