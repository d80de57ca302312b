"""Notebook 01, Concepts and Contexts of Collaboration: its tables and exercise builders.

The builders here compose the library's exercise widgets, plots and content into the
activities of the first session: the contexts-and-skills table of Activity 1 with a
chart of recurring skills, "which form is your partnership?", the purpose quadrant
placed with two number boxes, a stage diagnosis on the five Fs lifecycle, and a filterable
table of partnership programmes. Static tables are returned as
:class:`~partnership_lib.core.html.HTMLBlock` objects so strict nbval can compare them.

Each exercise is an :class:`~partnership_lib.widgets.base.Exercise` subclass whose
controls are declared attributes (:class:`Activity1Table`, :class:`PartnershipForm`,
:class:`PurposePosition`, :class:`StageDiagnosis`); the lowercase builders the notebooks
call return one. Builders never call ``display``. Each chart that follows an answer is a
:class:`~partnership_lib.widgets.live.LiveChart`, repainted in place as the answer
changes, and drawn only once there is something of the learner's to show (except the
purpose quadrant, whose empty form is itself the diagram being taught). HTML is written
by Jinja2 templates (:mod:`partnership_lib.sessions.fragments`, :func:`core.html.table`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import HTMLBlock, Markup, render, table
from partnership_lib.core.store import STATUS_FIELD, AnswerKey
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import ScoreBand, grouped_items, load_bands
from partnership_lib.models.lifecycle import lifecycle_model, plot_lifecycle
from partnership_lib.models.purpose import characteristic_at, plot_purpose_quadrant, purpose_model
from partnership_lib.models.skills import plot_skill_recurrence
from partnership_lib.models.stage_diagnosis import diagnose_stage, stage_tactics
from partnership_lib.sessions.fragments import (
    ListItem,
    dropdown_layout,
    field_label,
    item_list,
    paragraph,
    scroll_region,
)
from partnership_lib.widgets.base import Binding, Exercise, live_region
from partnership_lib.widgets.checklist import checklist
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.multichoice import MultiChoice
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.text import FormField, question_form, text_form

__all__ = [
    "SCENARIO_NAME_KEY",
    "Activity1Table",
    "PartnershipForm",
    "ProgrammesView",
    "PurposePosition",
    "StageDiagnosis",
    "activity1_discussion",
    "activity1_table",
    "activity2_form",
    "benefit_bands",
    "benefit_items",
    "benefits_checklist",
    "collaboration_reasons_html",
    "condition_bands",
    "condition_items",
    "conditions_checklist",
    "growth_facts_html",
    "partnership_form",
    "policy_shifts_table",
    "programmes_table",
    "programmes_view",
    "purpose_position",
    "stage_diagnosis",
    "success_rating",
    "success_sources_table",
    "typologies_table",
]

_CONTENT = "concepts"
#: Where notebook 00 keeps the name the learner gave their partnership (scenario step 1).
SCENARIO_NAME_KEY = AnswerKey("00_partnership_scenario", "scenario", "naming")


# --------------------------------------------------------------------------- content


def _bands(field: str) -> tuple[ScoreBand, ...]:
    return load_bands(_CONTENT, field)


def benefit_bands() -> tuple[ScoreBand, ...]:
    """What a score on "which benefits does your partnership seek?" means."""
    return _bands("benefit_bands")


def condition_bands() -> tuple[ScoreBand, ...]:
    """What a score on the conditions for co-evolving partnerships means."""
    return _bands("condition_bands")


def benefit_items() -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Checklist items and groups for the benefits of collaboration.

    Returns
    -------
    (items, groups)
        ``(key, text)`` pairs (keys ``"<group key>_<n>"``, from 1) and
        ``(group label, item keys)`` pairs, in the workbook's order.
    """

    return grouped_items(frameworks.benefit_groups())


def condition_items() -> list[tuple[str, str]]:
    """The seven conditions for co-evolving partnerships as ``(key, text)`` checklist items."""

    return [(c.key, f"{c.name}: {c.meaning}") for c in purpose_model().conditions]


# --------------------------------------------------------------------------- static tables


def _table(
    head: Sequence[Any], rows: Iterable[Sequence[Any]], *, caption: str, row_headers: bool = True
) -> Markup:
    return table(head, rows, caption=caption, css_class="pl-table", row_headers=row_headers)


def _bold_lead(lead: str, text: str) -> Markup:
    """``<strong>lead:</strong> text``, both escaped: one table cell."""
    return Markup("<strong>{}:</strong> {}").format(lead, text)


def collaboration_reasons_html() -> HTMLBlock:
    """Why understanding collaboration matters (Huxham and Vangen 1996) as a short list."""
    reasons = frameworks.collaboration_reasons()
    items, texts = [], []
    for r in reasons:
        motives = f" ({'; '.join(r.motives)})" if r.motives else ""
        items.append(ListItem(r.explanation + motives, lead=f"{r.label}."))
        texts.append(f"{r.label}: {r.explanation}{motives}")
    cite = reasons[0].citation
    return HTMLBlock(
        str(item_list(items, css_class="pl-reasons", citation=cite)),
        " ".join(texts) + f" ({cite})",
    )


def policy_shifts_table() -> HTMLBlock:
    """The changing philosophy, 1970s to 2000s (after Jupp 2000), as an HTML table."""
    shifts = frameworks.policy_shifts()
    rows = [
        (
            s.decade,
            _bold_lead(s.business.heading, s.business.description),
            _bold_lead(s.social.heading, s.social.description),
        )
        for s in shifts
    ]
    cite = shifts[0].citation
    text = " ".join(
        f"{s.decade}: business, {s.business.heading}; social sector, {s.social.heading}."
        for s in shifts
    )
    return HTMLBlock(
        str(
            _table(
                ("Decade", "Business philosophy", "Social sector philosophy"),
                rows,
                caption=f"Changing philosophy (after {cite})",
            )
        ),
        f"Changing philosophy (after {cite}). {text}",
    )


def growth_facts_html() -> HTMLBlock:
    """Facts about the growth of partnership working, each led by its key figure."""
    facts = frameworks.growth_facts()
    items = [ListItem(f.statement, lead=f"{f.figure}:", note=f.citation) for f in facts]
    return HTMLBlock(
        str(item_list(items, css_class="pl-facts")),
        " ".join(f"{f.figure}: {f.statement} ({f.citation})" for f in facts),
    )


def typologies_table() -> HTMLBlock:
    """Typologies of partnership working: form, aim and working processes."""
    rows = []
    for t in frameworks.typologies():
        name = t.form + (f" ({t.abbreviation})" if t.abbreviation else "")
        who = Markup("<br>{}").format(t.who) if t.who else ""
        head = Markup("<strong>{}</strong>{}<br><em>{}</em>").format(name, who, t.citation)
        rows.append((head, t.aim, t.processes))
    text = " ".join(f"{t.form} ({t.citation}): {t.processes}." for t in frameworks.typologies())
    return HTMLBlock(
        str(
            _table(
                ("Partnering form", "Aim", "Working processes"),
                rows,
                caption="Typologies of partnership working",
            )
        ),
        "Typologies of partnership working. " + text,
    )


def success_sources_table() -> HTMLBlock:
    """The five sources on successful partnerships side by side, one column each."""
    sources = frameworks.success_sources()
    head = [
        Markup("{}<br><em style='font-weight:normal'>{}</em>").format(s.citation, s.sector)
        for s in sources
    ]
    depth = max(len(s.items) for s in sources)
    rows = [
        [_bold_lead(s.items[i].label, s.items[i].text) if i < len(s.items) else "" for s in sources]
        for i in range(depth)
    ]
    caption = "Characteristics of successful partnerships: five sources compared"
    # No row headers here: every column is a source. Five columns do not fit a narrow
    # window (or 200% zoom), so the table scrolls sideways in a box of its own.
    html_ = scroll_region(
        _table(head, rows, caption=caption, row_headers=False),
        label="Characteristics of successful partnerships (scrolls sideways)",
    )
    text = " ".join(
        f"{s.citation} ({s.sector}): " + "; ".join(it.label for it in s.items) + "."
        for s in sources
    )
    return HTMLBlock(str(html_), "Characteristics of successful partnerships. " + text)


# --------------------------------------------------------------------------- programmes


def programmes_table(query: str = "", *, programme: str | None = None) -> str:
    """HTML table of the partnership programmes, filtered.

    Parameters
    ----------
    query
        Keep rows where any column contains this text (any case); all rows when blank.
    programme
        Keep only the programme with this name; all when ``None``.
    """
    df = frameworks.programmes()
    if programme is not None:
        if programme not in set(df["programme"]):
            raise ValueError(
                f"unknown programme {programme!r}; programmes: {', '.join(df['programme'])}"
            )
        df = df[df["programme"] == programme]
    q = query.strip().casefold()
    cols = ("programme", "source", "aim", "target", "participation_funding", "timing")
    if q:
        mask = df[list(cols)].apply(lambda row: any(q in str(v).casefold() for v in row), axis=1)
        df = df[mask]
    if df.empty:
        return str(paragraph(f"No programme matches {query.strip()}.", css_class="pl-empty"))
    rows = [
        (
            Markup("<strong>{}</strong><br><em>{}</em>").format(r.programme, r.source),
            r.aim,
            r.target,
            r.participation_funding,
            r.timing,
        )
        for r in df.itertuples()
    ]
    return str(
        _table(
            ("Programme (source)", "Aim", "Target", "Levels of participation / funding", "Timing"),
            rows,
            caption=f"Partnership programmes ({len(rows)} shown)",
        )
    )


class ProgrammesView(widgets.VBox):
    """The programmes table with a programme drop-down and a search box (not stored)."""

    programme: widgets.Dropdown
    search: widgets.Text
    table: widgets.HTML

    def __init__(self) -> None:
        names = list(frameworks.programmes()["programme"])
        options = [("All programmes", ""), *[(n, n) for n in names]]
        self.programme = widgets.Dropdown(
            # ipywidgets shows no label for a None value, so "all" is the empty string
            options=options,
            value="",
            description="Programme",
            style={"description_width": "initial"},
            layout=dropdown_layout(["Programme"], [label for label, _ in options]),
        )
        self.search = widgets.Text(
            description="Search the table",
            placeholder="e.g. older people, lottery, 1999",
            continuous_update=True,
            style={"description_width": "initial"},
        )
        self.table = widgets.HTML(programmes_table())
        self.programme.observe(self.refresh, names="value")
        self.search.observe(self.refresh, names="value")
        # the search box goes under the drop-down when the page is narrow
        row = widgets.HBox(
            [self.programme, self.search], layout=widgets.Layout(flex_flow="row wrap")
        )
        super().__init__([row, self.table])
        self.add_class("pl-programmes")

    def refresh(self, _change: Any = None) -> None:
        """Show the rows that match the drop-down and the search box."""
        self.table.value = programmes_table(
            self.search.value, programme=self.programme.value or None
        )


def programmes_view() -> ProgrammesView:
    """The programmes table with a programme drop-down and a search box (not stored)."""
    return ProgrammesView()


# --------------------------------------------------------------------------- skill recurrence


def _textarea(label: str, *, rows: int = 3, placeholder: str = "") -> widgets.Textarea:
    # The description is the box's accessible name (a real <label for>); the words are
    # shown above it, so the label takes no width.
    return widgets.Textarea(
        placeholder=placeholder,
        rows=rows,
        continuous_update=True,
        layout=widgets.Layout(width="100%"),
        tooltip=label,
        description=label,
        style={"description_width": "0px"},
    )


def _keep_complete(ex: Exercise, done: bool) -> None:
    """Mark ``ex`` complete when ``done``; take a completion back when it no longer is."""
    if done:
        ex.mark("complete")
    elif ex.get(STATUS_FIELD) == "complete":
        ex.save(STATUS_FIELD, "started")


class Activity1Table(Exercise):
    """Activity 1: an example and the skills used, for each of the five contexts.

    Each context has a text box for a positive collaborative experience and tick boxes
    for McNamara's skills (McNamara 2005), grouped as the workbook groups them: each
    click toggles one skill, and chosen skills stay in view. Below them a bar chart shows how
    many contexts each chosen skill was used in, repainted in place as the learner
    chooses. Stored as ``example_<context key>`` (text) and ``skills_<context key>``
    (list of skill keys). Complete when every context has an example and a skill.

    Attributes
    ----------
    textareas, pickers : dict
        Context key to its example box and its skills picker (:class:`MultiChoice`).
    chart : LiveChart
        The skills that recur (hidden until a skill is chosen).
    summary : ipywidgets.HTML
        "N of 5 contexts have an example and skills."
    """

    kind = "activity1"
    contexts: tuple[Any, ...]
    textareas: dict[str, widgets.Textarea]
    pickers: dict[str, MultiChoice]
    chart: LiveChart
    summary: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding, title="Collaborative experiences and skills")
        self.contexts = tuple(frameworks.activity1_contexts())
        self.textareas, self.pickers = {}, {}
        self._restoring = False
        self.chart = LiveChart(plot_skill_recurrence)
        self.summary = widgets.HTML()
        rows = [self._context_row(c) for c in self.contexts]
        self.on_reset(self.refresh)
        self.refresh()
        self.children = [*rows, self.summary, self.chart, self.status, self.reset_bar()]

    def _context_row(self, c: Any) -> widgets.VBox:
        area = _textarea(f"{c.label}: example of a positive experience", rows=3)
        area.placeholder = "Your example, in a sentence or two"
        self.textareas[c.key] = area
        self.bind(area, f"example_{c.key}", on_change=self.refresh)
        picker = MultiChoice(
            [(s.label, s.key) for s in frameworks.skills()],
            description=f"Skills used ({c.label})",
            groups=[(g.label, g.skills) for g in frameworks.skill_groups()],
            context=c.label,
        )
        picker.add_class("pl-skill-picker")
        self.pickers[c.key] = picker
        self._restore_picker(c.key)
        picker.observe(partial(self._picked, c.key), names="value")
        self.on_reset(partial(self._restore_picker, c.key))
        head = widgets.HTML(str(field_label(c.label, c.prompt)))
        return widgets.VBox([head, area, picker], layout=widgets.Layout(margin="0 0 1em 0"))

    def _picked(self, context: str, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        if self.save(f"skills_{context}", list(change["new"])):
            self.mark("started")
        self.refresh()

    def _restore_picker(self, context: str) -> None:
        """Tick what the store holds for one context, saving nothing."""
        stored = self.get(f"skills_{context}")
        picker = self.pickers[context]
        known = set(picker.checkboxes)
        self._restoring = True
        try:
            picker.value = (
                tuple(k for k in stored if k in known) if isinstance(stored, list) else ()
            )
        finally:
            self._restoring = False

    def selections(self) -> dict[str, list[str]]:
        """Context label to the skill keys chosen for it."""
        return {c.label: list(self.pickers[c.key].value) for c in self.contexts}

    def refresh(self, _value: Any = None) -> None:
        """Redraw the chart and the completeness line; keep the status in step."""
        chosen = self.selections()
        if any(chosen.values()):
            self.chart.show(chosen)
        else:
            self.chart.hide(
                "Choose the skills you used and a chart of the ones that recur appears here."
            )
        done = sum(
            bool(self.textareas[c.key].value.strip()) and bool(self.pickers[c.key].value)
            for c in self.contexts
        )
        self.summary.value = str(
            paragraph(
                "",
                lead=f"{done} of {len(self.contexts)} contexts have an example and skills.",
                css_class="pl-completeness",
            )
        )
        _keep_complete(self, done == len(self.contexts))


def activity1_table(binding: Binding) -> Activity1Table:
    """Activity 1: an example and the skills used, for each context (see :class:`Activity1Table`)."""
    return Activity1Table(binding)


# --------------------------------------------------------------------------- forms of partnership


class PartnershipForm(Exercise):
    """ "Which form is your partnership?": a drop-down of the typologies and a reason.

    Shows the name the learner gave their partnership in notebook 00 (scenario step 1)
    when there is one. Stored as ``form`` (a typology key) and ``why`` (text).
    Complete when both are given.
    """

    kind = "partnership_form"
    dropdown: widgets.Dropdown
    textarea: widgets.Textarea
    detail: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding, title="Which form is your partnership?")
        self.add_class("pl-partnership-form")
        self._typologies = {t.key: t for t in frameworks.typologies()}
        options = [("Choose a form", ""), *[(t.form, k) for k, t in self._typologies.items()]]
        self.dropdown = widgets.Dropdown(
            options=options,
            value="",
            description="Its partnering form",
            style={"description_width": "initial"},
            layout=dropdown_layout(["Its partnering form"], [label for label, _ in options]),
        )
        self.textarea = _textarea("Why this form?", rows=3)
        self.detail = widgets.HTML()
        self.bind(
            self.dropdown,
            "form",
            to_store=lambda v: v or None,
            from_store=lambda v: v if v in self._typologies else "",
            on_change=self.refresh,
        )
        self.bind(self.textarea, "why", on_change=self.refresh)
        self.on_reset(self.refresh)
        self.refresh()
        self.children = [
            widgets.HTML(self._scenario_html()),
            self.dropdown,
            self.detail,
            widgets.HTML(str(field_label("Why this form? What makes you say so?"))),
            self.textarea,
            self.status,
            self.reset_bar(),
        ]

    def _scenario_html(self) -> str:
        name = self.store.get(SCENARIO_NAME_KEY)
        if isinstance(name, str) and name.strip():
            return str(
                Markup(
                    "<p>Your partnership scenario (from notebook 00): <strong>{}</strong></p>"
                ).format(name.strip())
            )
        return str(
            paragraph(
                "Think of the partnership in your scenario. (Name it in step 1 of notebook "
                "00 and it will appear here.)",
                emphasis=True,
            )
        )

    def refresh(self, _value: Any = None) -> None:
        """Describe the chosen form; complete once a form and a reason are given."""
        t = self._typologies.get(self.dropdown.value)
        self.detail.value = str(render("sessions/typology_detail.html.j2", t=t)) if t else ""
        if t and self.textarea.value.strip():
            self.mark("complete")


def partnership_form(binding: Binding) -> PartnershipForm:
    """ "Which form is your partnership?" (see :class:`PartnershipForm`)."""
    return PartnershipForm(binding)


# --------------------------------------------------------------------------- purpose quadrant


class PurposePosition(Exercise):
    """Place your partnership on Pratt et al's purpose quadrant with two number boxes.

    ``goals`` runs from individual (0) to collective (10) and ``predictability`` from
    predictable (0) to unpredictable (10); the point moves on the chart, repainted in
    place, and the characteristic it falls in
    (:func:`partnership_lib.models.purpose.characteristic_at`) is named as the numbers
    change. Stored as ``goals`` and ``predictability``. Complete when both are set.

    Attributes
    ----------
    goals, predictability : ipywidgets.BoundedIntText
    chart : LiveChart
    characteristic : ipywidgets.HTML
        The characteristic at the point (a live region).
    """

    kind = "purpose"
    goals: widgets.BoundedIntText
    predictability: widgets.BoundedIntText
    chart: LiveChart
    characteristic: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding, title="The purpose of your partnership")
        # Number boxes, not sliders: ipywidgets' slider handle has no accessible name
        # (jupyter-widgets/ipywidgets#2650); a labelled number box steps with the arrow keys.
        self.goals = self._number("Goals: individual (0) to collective (10)")
        self.predictability = self._number("Predictability: predictable (0) to unpredictable (10)")
        self.chart = LiveChart(plot_purpose_quadrant)
        self.characteristic = widgets.HTML()
        self.bind(self.goals, "goals", on_change=self.refresh)
        self.bind(self.predictability, "predictability", on_change=self.refresh)
        self.on_reset(self.refresh)
        self.refresh()
        self.children = [
            self.goals,
            self.predictability,
            self.characteristic,
            self.chart,
            self.status,
            self.reset_bar(),
        ]

    @staticmethod
    def _number(description: str) -> widgets.BoundedIntText:
        return widgets.BoundedIntText(
            value=5,
            min=0,
            max=10,
            description=description,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
            continuous_update=True,
        )

    @property
    def sliders(self) -> tuple[widgets.BoundedIntText, widgets.BoundedIntText]:
        """The two number boxes, goals first (the name the notebooks' tests know)."""
        return self.goals, self.predictability

    def refresh(self, _value: Any = None) -> None:
        """Move the point, name its characteristic, and complete once both are set."""
        position = (self.goals.value, self.predictability.value)
        self.chart.show(position=position)
        c = characteristic_at(*position)
        self.characteristic.value = live_region(
            f"At goals {position[0]} and predictability {position[1]} your partnership shows "
            f"{c.name}: {c.meaning}",
            "info",
        )
        if self.get("goals") is not None and self.get("predictability") is not None:
            self.mark("complete")


def purpose_position(binding: Binding) -> PurposePosition:
    """The purpose quadrant with two number boxes (see :class:`PurposePosition`)."""
    return PurposePosition(binding)


# --------------------------------------------------------------------------- stage diagnosis


class StageDiagnosis(Exercise):
    """Tick what you observe in your partnership; see its likely stage and what helps.

    One tick box per characteristic of each stage of ``model`` (stored as the list
    ``observed`` of ``"<stage>:<n>"`` keys). The estimated stage (:func:`diagnose_stage`)
    is marked "You are here" on the lifecycle chart, repainted in place, with the
    tactics suited to that stage (:func:`stage_tactics`). The chart is only drawn once
    something is ticked. Complete when at least one characteristic is ticked.

    Attributes
    ----------
    model : LifecycleModel
    checkboxes : dict
        ``"<stage>:<n>"`` to its tick box.
    chart : LiveChart
    result : ipywidgets.HTML
        The estimated stage and its tactics.
    """

    kind = "stage_diagnosis"
    model: Any
    checkboxes: dict[str, widgets.Checkbox]
    chart: LiveChart
    result: widgets.HTML

    def __init__(self, binding: Binding, *, model: str = "five_fs") -> None:
        super().__init__(binding, title="Which stage is your partnership at?")
        self.add_class("pl-stage-diagnosis")
        self.model = lifecycle_model(model)
        self._tactics = stage_tactics(self.model)
        self.checkboxes = {}
        sections = [self._stage_section(stage) for stage in self.model.stages]
        self.chart = LiveChart(plot_lifecycle)
        self.result = widgets.HTML()
        self._restoring = False
        self.restore()
        for cb in self.checkboxes.values():
            cb.observe(self._ticked, names="value")
        self.on_reset(self.restore)
        intro = paragraph(
            f"Tick each characteristic of the {self.model.name} model ({self.model.source}) "
            "that you recognise in your partnership today."
        )
        self.children = [
            widgets.HTML(str(intro)),
            *sections,
            self.result,
            self.chart,
            self.status,
            self.reset_bar(),
        ]

    def _stage_section(self, stage: Any) -> widgets.VBox:
        rows = []
        for n, text in enumerate(stage.characteristics):
            cb = widgets.Checkbox(
                value=False, description=text, indent=False, layout=widgets.Layout(width="auto")
            )
            self.checkboxes[f"{stage.key}:{n}"] = cb
            rows.append(cb)
        head = widgets.HTML(str(paragraph("", lead=stage.name)))
        return widgets.VBox([head, *rows], layout=widgets.Layout(margin="0 0 0.6em 0"))

    def observed(self) -> list[str]:
        """The keys of the characteristics ticked, in the model's order."""
        return [k for k, cb in self.checkboxes.items() if cb.value]

    def show(self) -> None:
        """Name the estimated stage, list its tactics and mark it on the chart."""
        d = diagnose_stage(self.observed(), self.model)
        if d.stage is None:
            self.result.value = live_region(
                "Tick what you see in your partnership to estimate its stage.", "info"
            )
            self.chart.hide("The lifecycle chart, with your partnership marked, appears here.")
            return
        counts = ", ".join(f"{self.model.stage(k).name} {c}" for k, c in d.counts)
        status = live_region(
            f"Most of what you ticked belongs to {d.stage.name} (ticks: {counts}).", "info"
        )
        tactics = item_list(
            self._tactics[d.stage.key], heading=f"Tactics that suit {d.stage.name}:"
        )
        self.result.value = status + str(tactics)
        self.chart.show(self.model, current=d.stage.key)

    def _ticked(self, _change: Any = None) -> None:
        if self._restoring:
            return
        observed = self.observed()
        if self.save("observed", observed):
            if observed:
                self.mark("complete")
            elif self.get(STATUS_FIELD) is not None:
                self.save(STATUS_FIELD, "started")
        self.show()

    def restore(self) -> None:
        """Tick what the store holds (after building, a reset or an undo), saving nothing."""
        stored = self.get("observed")
        keep = set(stored) if isinstance(stored, list) else set()
        self._restoring = True
        try:
            for k, cb in self.checkboxes.items():
                cb.value = k in keep
        finally:
            self._restoring = False
        self.show()


def stage_diagnosis(binding: Binding, *, model: str = "five_fs") -> StageDiagnosis:
    """Tick what you observe; see the likely stage (see :class:`StageDiagnosis`)."""
    return StageDiagnosis(binding, model=model)


# --------------------------------------------------------------------------- composed exercises


def activity1_discussion(binding: Binding) -> widgets.VBox:
    """The four share-with-your-neighbour questions of Activity 1 as a text form."""

    return question_form(
        binding, frameworks.activity1_questions(), rows=2, title="Share with your neighbour"
    )


def benefits_checklist(binding: Binding) -> widgets.VBox:
    """ "Which benefits does your partnership seek?": the five groups as a checklist."""

    items, groups = benefit_items()
    return checklist(
        binding,
        items,
        groups=groups,
        bands=benefit_bands(),
        title="Which benefits does your partnership seek?",
        chart_title="Benefits sought, by group",
    )


def conditions_checklist(binding: Binding) -> widgets.VBox:
    """The seven conditions for co-evolving partnerships (Pratt et al 1998) to tick."""

    return checklist(
        binding,
        condition_items(),
        bands=condition_bands(),
        title="Which conditions are in place in your partnership?",
    )


def success_rating(binding: Binding) -> widgets.VBox:
    """Rate your partnership from 1 to 5 against the common themes of success."""

    return rating_scale(
        binding,
        [(t.key, t.label) for t in frameworks.success_themes()],
        low_label="1 = hardly at all",
        high_label="5 = very much so",
        title="How does your partnership measure up?",
        chart_title="Your partnership against the themes of success",
    )


def activity2_form(binding: Binding) -> widgets.VBox:
    """Activity 2: opportunities and challenges, case-study view beside own experience.

    Four fields, stored as ``opportunities_case``, ``opportunities_own``,
    ``challenges_case`` and ``challenges_own``. Complete when all four are filled.
    """

    fields = [
        FormField(
            f"{row}_{col}",
            f"{row_label}: {col_label}",
            rows=3,
        )
        for row, row_label in (
            ("opportunities", "Recognising opportunities"),
            ("challenges", "Encountering challenges"),
        )
        for col, col_label in (("case", "case study group"), ("own", "own experience group"))
    ]
    return text_form(
        binding,
        fields,
        title="Opportunities and challenges of partnership working",
        item_name="box",
    )
