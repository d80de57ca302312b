"""Notebook 00, Your Partnership Scenario: the examples PS 1a-1c, the learner's own, sharing.

- :func:`scenario_html` shows an example scenario (from
  :mod:`partnership_lib.models.scenarios`: PS 1a, 1b and 1c, each fictional, each with
  all ten steps).
- :class:`ScenarioReader` (:func:`scenario_reader`) reads an example and can copy it into
  the learner's scenario form ("Start from this example": empty steps only unless the
  learner confirms, and undoable); :class:`ScenarioWorkspace` (:func:`scenario_workspace`)
  is the scenario form with the reader above it (one notebook call).
- :func:`scenario_card` / :func:`export_scenario_card` turn the learner's scenario into a
  self-contained, escaped HTML or Markdown card, optionally anonymised;
  :class:`SharingPanel` (:func:`sharing_panel`) is the notebook's widget for the names to
  hide, the anonymisation check and the card export.
- :func:`workbook_programme` and :func:`examples_overview` are static tables for the
  welcome notebook.
- :class:`ScenarioViewer` (:func:`scenario_viewer`) shows the chosen scenario where a
  later activity asks learners to read it (Activity 2 in notebook 01, Activity 3 in 02):
  the example last chosen in notebook 00 (:data:`CHOSEN_EXAMPLE_KEY`), any other example,
  or the learner's own scenario, with a link back to notebook 00.

HTML is rendered by the templates in ``core/templates/`` (autoescaped). Builders return
widgets and never call ``display``.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.files import resolve_output, write_atomically
from partnership_lib.core.html import HTMLBlock, Markup, render, table
from partnership_lib.core.store import AnswerKey, AnswerStore, StoreError, default_store
from partnership_lib.documents import share
from partnership_lib.documents.portfolio import markdown_escape
from partnership_lib.documents.share import (
    ANONYMISE_NAMES_KEY,
    SETTINGS,
    anonymisation_preview,
    names_to_hide,
)
from partnership_lib.models.programme import session_catalogue
from partnership_lib.models.scenarios import (
    SCENARIO_EXERCISE,
    SCENARIO_NOTEBOOK,
    Scenario,
    card_title,
    example_scenarios,
    learner_steps,
    step_titles,
)
from partnership_lib.widgets.base import Binding, Exercise, live_region
from partnership_lib.widgets.text import ScenarioForm

__all__ = [
    "CHOSEN_EXAMPLE_KEY",
    "ScenarioReader",
    "ScenarioViewer",
    "ScenarioWorkspace",
    "SharingPanel",
    "examples_overview",
    "export_scenario_card",
    "scenario_card",
    "scenario_html",
    "scenario_reader",
    "scenario_viewer",
    "scenario_workspace",
    "sharing_panel",
    "workbook_programme",
]

_MUTED = "#4d4d4d"  # 7.5:1 on white
#: Seconds within which successive saves of the names to hide become one revision.
_COALESCE_SECONDS = 30.0

#: The example scenario last chosen in a reader (``"ps1b"``), so a later notebook shows
#: the same one. A setting, not an answer: the portfolio and share files leave it out.
CHOSEN_EXAMPLE_KEY = AnswerKey(SETTINGS, "scenario", "example")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


# ============================================================================ static HTML


def scenario_html(scenario: Scenario, *, region_label: str = "") -> str:
    """An example scenario as escaped HTML: its code, title, a fictional notice, each step.

    With ``region_label`` the scenario sits in a scrolling region of that name that
    takes keyboard focus.
    """
    return str(
        render(
            "scenario.html.j2",
            key=scenario.key,
            label=scenario.label,
            kind=scenario.kind,
            fictional=scenario.fictional,
            steps=[(title, scenario.steps[key]) for key, title in step_titles()],
            muted=_MUTED,
            region_label=region_label,
        )
    )


def workbook_programme() -> HTMLBlock:
    """The day's sessions (from ``data/sessions.yaml``) as a table."""
    rows, lines = [], []
    for s in session_catalogue():
        when = s["time"] if not s["number"] else f"Session {s['number']}, {s['time']}"
        notebook = Markup("<strong>{}</strong><br><code>{}</code>").format(s["title"], s["key"])
        rows.append((when, notebook, render("bullet_list.html.j2", items=s["topics"])))
        lines.append(f"{when}: {s['title']} ({'; '.join(s['topics'])}).")
    html = table(
        ("When", "Notebook", "Topics"),
        rows,
        caption="The workbook, session by session",
        css_class="pl-programme",
    )
    return HTMLBlock(str(html), "\n".join(lines))


def examples_overview() -> HTMLBlock:
    """The three example scenarios in one short table (code, partnership, kind)."""
    scenarios = example_scenarios()
    html = table(
        ("Code", "Partnership", "Kind", "Status"),
        [(s.code, s.title, s.kind, "Fictional") for s in scenarios],
        caption="Example partnership scenarios",
        css_class="pl-examples",
    )
    text = " ".join(f"{s.code}: {s.title} ({s.kind}; fictional)." for s in scenarios)
    return HTMLBlock(str(html), text)


# ============================================================================ reader


class ScenarioReader(widgets.VBox):
    """Choose an example scenario, read it, and (with ``form``) start from it.

    Parameters
    ----------
    scenarios
        The examples offered (default: :func:`~partnership_lib.models.scenarios.example_scenarios`).
    form
        The learner's scenario form (:class:`~partnership_lib.widgets.text.ScenarioForm`).
        With it, "Start from this example" copies the example into the empty steps; if
        the learner has already written some steps, they are asked first whether to fill
        only the empty steps or replace their text too. "Undo" puts back what was there.
    store
        Remember the chosen example there (:data:`CHOSEN_EXAMPLE_KEY`) and show it first
        next time; the form's store when omitted (none without a form).
    initial
        Key of the example shown first, overriding the remembered one.

    Class ``pl-scenario-reader``.
    """

    scenarios: dict[str, Scenario]
    form: ScenarioForm | None
    #: Where the chosen example is remembered (None: nowhere).
    store: AnswerStore | None
    #: Which example is shown.
    dropdown: widgets.Dropdown
    #: The chosen example's text.
    text: widgets.HTML
    start: widgets.Button
    undo: widgets.Button
    #: The question asked before replacing the learner's text, with its three answers.
    confirm: widgets.VBox
    question: widgets.HTML
    fill_empty: widgets.Button
    replace: widgets.Button
    cancel: widgets.Button
    status: widgets.HTML

    def __init__(
        self,
        scenarios: Sequence[Scenario] | None = None,
        *,
        form: ScenarioForm | None = None,
        store: AnswerStore | None = None,
        initial: str | None = None,
    ) -> None:
        offered = tuple(scenarios) if scenarios is not None else example_scenarios()
        if not offered:
            raise ValueError("scenario_reader: give at least one scenario")
        super().__init__()
        self.add_class("pl-scenario-reader")
        self.scenarios = {s.key: s for s in offered}
        self.form = form
        self.store = store if store is not None or form is None else form.store
        options = self.options()
        known = [key for _label, key in options]
        if initial is not None and initial not in known:
            raise ValueError(f"unknown scenario {initial!r}; choose one of: {', '.join(known)}")
        remembered = self.store.get(CHOSEN_EXAMPLE_KEY) if self.store is not None else None
        self.dropdown = widgets.Dropdown(
            options=options,
            value=initial or (remembered if remembered in known else known[0]),
            description=self.choose_label,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="max-content"),
        )
        self.text = widgets.HTML()
        self.text.add_class("pl-scenario-example")
        self.status = widgets.HTML(live_region())
        self.status.add_class("pl-live")
        self._build_buttons()
        self.dropdown.observe(self._chosen, names="value")
        self.show()
        children: list[widgets.Widget] = [self.dropdown, self.text]
        if form is not None:
            children += [widgets.HBox([self.start, self.undo]), self.confirm, self.status]
        self.children = children

    def _build_buttons(self) -> None:
        self.start = widgets.Button(
            description="Start from this example",
            icon="copy",
            tooltip="Copy this example into your own scenario below (empty steps only)",
            layout=widgets.Layout(width="auto"),
        )
        self.undo = widgets.Button(
            description="Undo", icon="undo", disabled=True, layout=widgets.Layout(width="auto")
        )
        self.fill_empty = widgets.Button(
            description="Fill only my empty steps", layout=widgets.Layout(width="auto")
        )
        self.replace = widgets.Button(
            description="Replace my text too",
            button_style="warning",
            layout=widgets.Layout(width="auto"),
        )
        self.cancel = widgets.Button(description="Cancel", layout=widgets.Layout(width="auto"))
        self.question = widgets.HTML()
        self.confirm = widgets.VBox(
            [self.question, widgets.HBox([self.fill_empty, self.replace, self.cancel])],
            layout=widgets.Layout(display="none"),
        )
        self.start.on_click(lambda _b: self.start_from_example())
        self.undo.on_click(lambda _b: self.undo_copy())
        self.fill_empty.on_click(lambda _b: self.copy_example(overwrite=False))
        self.replace.on_click(lambda _b: self.copy_example(overwrite=True))
        self.cancel.on_click(lambda _b: self.cancel_copy())

    #: The drop-down's label.
    choose_label = "Example scenario:"

    def options(self) -> list[tuple[str, str]]:
        """The drop-down's ``(label, key)`` pairs: one per example."""
        return [(s.label, s.key) for s in self.scenarios.values()]

    @property
    def current(self) -> Scenario:
        """The example the drop-down shows."""
        return self.scenarios[self.dropdown.value]

    def _chosen(self, change: dict[str, Any]) -> None:
        self.show()
        if self.store is not None and change["new"] in self.scenarios:
            # only a convenience for the next notebook: the reader works without it
            with contextlib.suppress(StoreError, TypeError, ValueError):
                self.store.save(CHOSEN_EXAMPLE_KEY, change["new"])

    def say(self, message: str, kind: str = "info") -> None:
        """Show ``message`` in the reader's status line (a polite live region)."""
        self.status.value = live_region(message, kind)

    def show(self, _change: Any = None) -> None:
        """Show the chosen example's text."""
        scenario = self.current
        self.text.value = scenario_html(scenario, region_label=scenario.title)
        self.confirm.layout.display = "none"

    def _form(self) -> ScenarioForm:
        if self.form is None:
            raise ValueError("this scenario reader has no form to copy into")
        return self.form

    def written_steps(self) -> list[str]:
        """Keys of the steps where the learner has text of their own (not this example's)."""
        steps = self.current.steps
        return [
            k
            for k, area in self._form().textareas.items()
            if k in steps and area.value.strip() and area.value != steps[k]
        ]

    def start_from_example(self) -> None:
        """Copy the example into the empty steps, asking first if the learner has written any."""
        mine = self.written_steps()
        if not mine:
            self.copy_example(overwrite=False)
            return
        self.question.value = str(
            Markup(
                "<p>You have already written {} of your own. Copy {} into the empty steps "
                "only, or replace your text as well? (Your text stays in your history either "
                "way.)</p>"
            ).format(_plural(len(mine), "step"), self.current.code)
        )
        self.confirm.layout.display = "flex"

    def copy_example(self, *, overwrite: bool) -> tuple[str, ...]:
        """Copy the example into the form (the empty steps only unless ``overwrite``)."""
        self.confirm.layout.display = "none"
        scenario = self.current
        filled = self._form().fill(dict(scenario.steps), overwrite=overwrite)
        self.undo.disabled = not filled
        if filled:
            self.say(
                f"Copied {scenario.code} into {_plural(len(filled), 'step')} of your scenario. "
                "Change anything you like; Undo puts back what was there.",
                "saved",
            )
        else:
            self.say("Nothing to copy: every step of your scenario already has text.", "info")
        return filled

    def undo_copy(self) -> tuple[str, ...]:
        """Put back what the last copy replaced (steps changed since are left alone)."""
        back = self._form().undo_fill()
        self.undo.disabled = True
        if back:
            self.say(f"Put back {_plural(len(back), 'step')} as they were.", "saved")
        else:
            self.say("Nothing to undo: you have changed those steps since.", "info")
        return back

    def cancel_copy(self) -> None:
        """Close the question without copying anything."""
        self.confirm.layout.display = "none"
        self.say("Nothing copied.", "info")


def scenario_reader(
    scenarios: Sequence[Scenario] | None = None,
    *,
    form: ScenarioForm | None = None,
) -> ScenarioReader:
    """Choose an example scenario, read it, and (with ``form``) start from it."""
    return ScenarioReader(scenarios, form=form)


#: What the viewer's drop-down calls the learner's own scenario.
OWN_SCENARIO = "own"


class ScenarioViewer(ScenarioReader):
    """The scenario to read for a later activity, shown where the activity asks for it.

    Activity 2 (notebook 01) and Activity 3 (notebook 02) ask learners to read or re-read
    "the partnership scenario PS 1a, 1b or 1c", which notebook 00 holds. This shows the
    one chosen there (remembered under :data:`CHOSEN_EXAMPLE_KEY`; choosing another here
    remembers that one instead), any other example, or the learner's own scenario once
    they have written a step of it, with a link that opens notebook 00.

    Parameters
    ----------
    store
        The learner's answers (default: their store).
    initial
        Key of the scenario shown first (``"ps1a"``, ``"ps1b"``, ``"ps1c"`` or
        :data:`OWN_SCENARIO`); the remembered one when omitted.

    Classes ``pl-scenario-reader`` and ``pl-scenario-viewer``.
    """

    #: The learner's own steps, as they were when the viewer was built or last shown.
    own_steps: dict[str, str]

    choose_label = "Scenario to read:"

    def __init__(self, *, store: AnswerStore | None = None, initial: str | None = None) -> None:
        store = store if store is not None else default_store()
        self.own_steps = learner_steps(store)
        super().__init__(store=store, initial=initial)
        self.add_class("pl-scenario-viewer")
        self.children = [self._intro(), *self.children]

    @staticmethod
    def _intro() -> widgets.HTML:
        notebook = next(s for s in session_catalogue() if s["key"] == SCENARIO_NOTEBOOK)
        return widgets.HTML(
            str(
                render(
                    "scenario_viewer_intro.html.j2",
                    notebook=notebook["key"],
                    title=notebook["title"],
                )
            )
        )

    def options(self) -> list[tuple[str, str]]:
        """The examples, then the learner's own scenario if they have written any of it."""
        options = super().options()
        if any(text.strip() for text in self.own_steps.values()):
            options.append(("Your own scenario (from notebook 00)", OWN_SCENARIO))
        return options

    def show(self, _change: Any = None) -> None:
        """Show the chosen example, or the learner's own scenario as it is now."""
        if self.dropdown.value != OWN_SCENARIO:
            super().show()
            return
        store = self.store if self.store is not None else default_store()
        self.own_steps = learner_steps(store)
        title = card_title(self.own_steps["naming"])
        self.text.value = str(
            render(
                "scenario.html.j2",
                key=OWN_SCENARIO,
                label=f"Your own scenario: {title}",
                kind="",
                fictional=False,
                steps=[(label, self.own_steps[key]) for key, label in step_titles()],
                muted=_MUTED,
                region_label="Your own scenario",
            )
        )

    @property
    def current(self) -> Scenario:
        """The example shown; ValueError while the learner's own scenario is shown."""
        if self.dropdown.value == OWN_SCENARIO:
            raise ValueError("the viewer is showing the learner's own scenario, not an example")
        return super().current


def scenario_viewer(
    *, store: AnswerStore | None = None, initial: str | None = None
) -> ScenarioViewer:
    """The scenario to read where a later activity asks for it: a :class:`ScenarioViewer`.

    For example, in notebook 01 at Activity 2, Step 1:
    ``scenarios.scenario_viewer(store=S.store)``.
    """
    return ScenarioViewer(store=store, initial=initial)


class ScenarioWorkspace(ScenarioForm):
    """The learner's 10-step scenario form with the example reader above it.

    The exercise is the scenario form itself (:class:`~partnership_lib.widgets.text.ScenarioForm`:
    its text boxes, completeness line, status and reset); :attr:`reader` copies an
    example into it. Classes ``pl-scenario-workspace`` and those of the form.
    """

    reader: ScenarioReader

    def __init__(self, binding: Binding) -> None:
        # compose() (called by the form's __init__) places the reader, so it exists first;
        # it touches the form only when the learner presses a button.
        self.reader = ScenarioReader(form=self, store=binding.store)
        super().__init__(binding)
        self.add_class("pl-scenario-workspace")

    def compose(self) -> list[widgets.Widget]:
        """The reader under its heading, a rule, then the scenario form in a box of its own.

        The form's box has class ``pl-scenario`` (as a scenario form on its own does), so a
        page finds the steps as ``.pl-scenario-workspace .pl-scenario textarea``.
        """
        heading = widgets.HTML("<h3>Read an example, or start from one</h3>")
        form = widgets.VBox(super().compose(), layout=widgets.Layout(width="100%"))
        form.add_class("pl-scenario")
        return [heading, self.reader, widgets.HTML("<hr>"), form]


def scenario_workspace(binding: Binding) -> ScenarioWorkspace:
    """The example reader above the learner's 10-step scenario form (one notebook call).

    Use as ``scenario_workspace(S.bind("scenario"))``.
    """
    return ScenarioWorkspace(binding)


# ============================================================================ scenario card


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
    steps = learner_steps(store, notebook, exercise)
    if anonymise:
        hidden = names_to_hide(store, names)
        steps, _ = share.anonymise(steps, hidden, where=f"{notebook}/{exercise}")
    title = card_title(steps["naming"])
    note = (
        "Anonymised: names, e-mail addresses, phone numbers and postcodes are replaced."
        if anonymise
        else "Personal and confidential: share it only if you choose to."
    )
    done = sum(1 for v in steps.values() if v.strip())
    summary = f"{done} of {len(steps)} steps written."
    labelled = [(label, steps[key]) for key, label in step_titles()]
    if format == "md":
        return _card_markdown(title, f"{note} {summary}", labelled)
    page = render("scenario_card.html.j2", title=title, note=note, summary=summary, steps=labelled)
    return str(page)


def _card_markdown(title: str, note: str, steps: Sequence[tuple[str, str]]) -> str:
    lines = [
        f"# {markdown_escape(title)}",
        "",
        "*Partnership scenario (Collaborative Working workbook)*",
        "",
        f"> {note}",
        "",
    ]
    for label, text in steps:
        body = markdown_escape(text) if text.strip() else "*Not written yet.*"
        lines += [f"## {markdown_escape(label)}", "", body, ""]
    return "\n".join(lines).rstrip() + "\n"


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


class SharingPanel(Exercise):
    """Names to hide, the anonymisation check, and the scenario card export.

    Use as ``sharing_panel(S.bind("scenario"))``: the binding gives the store and the
    scenario the card is made of. The names are saved (as a list of strings) under
    :data:`partnership_lib.documents.share.ANONYMISE_NAMES_KEY`, where the share file
    export also reads them. "Check what would be hidden" lists every replacement
    anonymising would make across all the learner's answers. "Save my scenario card"
    writes the card to the data folder's ``exports/`` and shows its path and a download
    link. It records no answer of its own. Class ``pl-sharing``.
    """

    #: The names to hide, one per line.
    names: widgets.Textarea
    check: widgets.Button
    #: The table of what would be hidden.
    preview: widgets.HTML
    format: widgets.ToggleButtons
    anonymise: widgets.Checkbox
    save_button: widgets.Button
    #: Where the card was saved, with a download link.
    result: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding)
        self.add_class("pl-sharing")
        saved = self.store.get(ANONYMISE_NAMES_KEY, [])
        if isinstance(saved, str):
            saved = _split_names(saved)
        if not isinstance(saved, list):
            saved = []
        self.names = widgets.Textarea(
            value="\n".join(str(n) for n in saved),
            description="Names to hide when sharing (one per line)",
            placeholder="e.g. a colleague's name, your organisation, your town",
            continuous_update=True,
            rows=4,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%"),
        )
        self.names.observe(self._names_changed, names="value")
        self.check = widgets.Button(
            description="Check what would be hidden",
            icon="search",
            layout=widgets.Layout(width="auto"),
        )
        self.check.on_click(lambda _b: self.show_preview())
        self.preview = widgets.HTML()
        self.preview.add_class("pl-anonymisation-preview")
        self._build_card_controls()
        self.children = [
            widgets.HTML("<h3>Before you share: names to hide</h3>"),
            self.names,
            self.check,
            self.preview,
            widgets.HTML("<h3>Your scenario card</h3>"),
            self.format,
            self.anonymise,
            self.save_button,
            self.result,
            self.status,
        ]

    def _build_card_controls(self) -> None:
        # Sized to their labels: ipywidgets gives a check box 300 px and each toggle
        # button 148 px, and cuts a longer label short with "…".
        self.format = widgets.ToggleButtons(
            options=[("Web page (HTML)", "html"), ("Markdown", "md")],
            value="html",
            description="Card format:",
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.anonymise = widgets.Checkbox(
            value=True,
            description="Hide names, e-mail addresses, phone numbers and postcodes",
            indent=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.save_button = widgets.Button(
            description="Save my scenario card",
            icon="download",
            layout=widgets.Layout(width="auto"),
        )
        self.save_button.on_click(lambda _b: self.save_card())
        self.result = widgets.HTML()
        self.result.add_class("pl-card-result")

    def _names_changed(self, change: dict[str, Any]) -> None:
        try:
            self.store.save(
                ANONYMISE_NAMES_KEY, _split_names(change["new"]), coalesce_within=_COALESCE_SECONDS
            )
        except Exception as exc:  # show, never lose the text in the box
            self.announce(f"Could not save the names: {exc}", "error")

    def show_preview(self) -> None:
        """List every replacement anonymising would make ("Check what would be hidden")."""
        found = anonymisation_preview(self.store, names=_split_names(self.names.value))
        if not found:
            self.preview.value = (
                "<p>Nothing would be replaced: no names from your list, e-mail addresses, "
                "phone numbers or postcodes were found in your answers.</p>"
            )
            self.announce("Checked: nothing would be hidden.", "info")
            return
        self.preview.value = str(
            table(
                ("Kind", "Replacement", "Where"),
                [
                    (
                        r.kind,
                        f"{r.original} → {r.placeholder}",
                        Markup("<code>{}</code>").format(r.where),
                    )
                    for r in found
                ],
                caption="What would be hidden when you share",
                css_class="pl-replacements",
            )
        )
        self.announce(f"Checked: {_plural(len(found), 'piece')} of text would be hidden.")

    def save_card(self) -> Path | None:
        """Write the scenario card ("Save my scenario card"); return its path, or None."""
        try:
            path = export_scenario_card(
                store=self.store, format=self.format.value, anonymise=self.anonymise.value
            )
        except (OSError, ValueError) as exc:
            self.announce(f"The card could not be saved: {exc}", "error")
            return None
        self.result.value = str(
            render(
                "saved_file.html.j2",
                path=str(path),
                name=path.name,
                mime="text/html" if self.format.value == "html" else "text/markdown",
                data=base64.b64encode(path.read_bytes()).decode("ascii"),
            )
        )
        self.announce("Your scenario card is saved.", "saved")
        return path


def sharing_panel(binding: Binding) -> SharingPanel:
    """Names to hide, the anonymisation check and the scenario card export: a :class:`SharingPanel`."""
    return SharingPanel(binding)
