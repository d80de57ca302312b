"""Notebook 01, Concepts and Contexts of Collaboration: its tables and exercise builders.

The builders here compose the library's exercise widgets, plots and content into the
activities of the first session: the contexts-and-skills table of Activity 1 with a
chart of recurring skills, "which form is your partnership?", the purpose quadrant
placed with two number boxes, a stage diagnosis on the five Fs lifecycle, and a filterable
table of partnership programmes. Static tables are returned as
:class:`~partnership_lib.core.html.HTMLBlock` objects so strict nbval can compare them.

Builders return widgets and never call ``display``. Each live chart is drawn on one
long-lived figure that pyplot does not hold, and is rendered lazily: a picture is only
made once there is something of the learner's to show (except the purpose quadrant,
whose empty form is itself the diagram being taught).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as widgets

from partnership_lib.core.html import HTMLBlock, escape
from partnership_lib.core.store import AnswerKey
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import ScoreBand, grouped_items, load_bands
from partnership_lib.models.lifecycle import lifecycle_model, plot_lifecycle
from partnership_lib.models.purpose import characteristic_at, plot_purpose_quadrant, purpose_model
from partnership_lib.models.skills import plot_skill_recurrence
from partnership_lib.models.stage_diagnosis import diagnose_stage, stage_tactics
from partnership_lib.widgets.base import Binding, Exercise, live_region
from partnership_lib.widgets.checklist import checklist
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.text import FormField, question_form, text_form

__all__ = [
    "SCENARIO_NAME_KEY",
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


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str) -> str:
    th = "".join(f'<th scope="col" style="text-align:left">{h}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<{"th scope=row" if i == 0 else "td"} style="text-align:left;vertical-align:top">'
            f"{cell}</{'th' if i == 0 else 'td'}>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        '<table class="pl-table" style="border-collapse:collapse;margin:0.5em 0">'
        f'<caption style="text-align:left;font-weight:bold">{escape(caption)}</caption>'
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
    )


def collaboration_reasons_html() -> HTMLBlock:
    """Why understanding collaboration matters (Huxham and Vangen 1996) as a short list."""
    reasons = frameworks.collaboration_reasons()
    items = []
    texts = []
    for r in reasons:
        motives = f" ({'; '.join(r.motives)})" if r.motives else ""
        items.append(
            f"<li><strong>{escape(r.label)}.</strong> {escape(r.explanation)}{escape(motives)}</li>"
        )
        texts.append(f"{r.label}: {r.explanation}{motives}")
    cite = reasons[0].citation
    return HTMLBlock(
        f'<div class="pl-reasons"><ul>{"".join(items)}</ul><p><em>{escape(cite)}</em></p></div>',
        " ".join(texts) + f" ({cite})",
    )


def policy_shifts_table() -> HTMLBlock:
    """The changing philosophy, 1970s to 2000s (after Jupp 2000), as an HTML table."""
    shifts = frameworks.policy_shifts()
    rows = [
        (
            escape(s.decade),
            f"<strong>{escape(s.business.heading)}:</strong> {escape(s.business.description)}",
            f"<strong>{escape(s.social.heading)}:</strong> {escape(s.social.description)}",
        )
        for s in shifts
    ]
    cite = shifts[0].citation
    text = " ".join(
        f"{s.decade}: business, {s.business.heading}; social sector, {s.social.heading}."
        for s in shifts
    )
    return HTMLBlock(
        _table(
            ("Decade", "Business philosophy", "Social sector philosophy"),
            rows,
            caption=f"Changing philosophy (after {cite})",
        ),
        f"Changing philosophy (after {cite}). {text}",
    )


def growth_facts_html() -> HTMLBlock:
    """Facts about the growth of partnership working, each led by its key figure."""
    facts = frameworks.growth_facts()
    items = "".join(
        f"<li><strong>{escape(f.figure)}</strong>: {escape(f.statement)} "
        f"<em>({escape(f.citation)})</em></li>"
        for f in facts
    )
    return HTMLBlock(
        f'<ul class="pl-facts">{items}</ul>',
        " ".join(f"{f.figure}: {f.statement} ({f.citation})" for f in facts),
    )


def typologies_table() -> HTMLBlock:
    """Typologies of partnership working: form, aim and working processes."""
    rows = []
    for t in frameworks.typologies():
        name = escape(t.form) + (f" ({escape(t.abbreviation)})" if t.abbreviation else "")
        who = f"<br>{escape(t.who)}" if t.who else ""
        rows.append(
            (
                f"<strong>{name}</strong>{who}<br><em>{escape(t.citation)}</em>",
                escape(t.aim),
                escape(t.processes),
            )
        )
    text = " ".join(f"{t.form} ({t.citation}): {t.processes}." for t in frameworks.typologies())
    return HTMLBlock(
        _table(
            ("Partnering form", "Aim", "Working processes"),
            rows,
            caption="Typologies of partnership working",
        ),
        "Typologies of partnership working. " + text,
    )


def success_sources_table() -> HTMLBlock:
    """The five sources on successful partnerships side by side, one column each."""
    sources = frameworks.success_sources()
    head = [
        f"{escape(s.citation)}<br><em style='font-weight:normal'>{escape(s.sector)}</em>"
        for s in sources
    ]
    depth = max(len(s.items) for s in sources)
    rows = []
    for i in range(depth):
        row = []
        for s in sources:
            if i < len(s.items):
                it = s.items[i]
                row.append(f"<strong>{escape(it.label)}</strong>: {escape(it.text)}")
            else:
                row.append("")
        rows.append(row)
    # No row headers here: every column is a source, so render cells as plain <td>.
    th = "".join(
        f'<th scope="col" style="text-align:left;vertical-align:top">{h}</th>' for h in head
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td style="text-align:left;vertical-align:top">{c}</td>' for c in row)
        + "</tr>"
        for row in rows
    )
    # Five columns do not fit a narrow window (or 200% zoom): the table scrolls sideways
    # in a box of its own, which the keyboard can reach and scroll (WCAG 1.4.10, 2.1.1).
    html_ = (
        '<div class="pl-table-scroll" role="region" tabindex="0" style="overflow-x:auto" '
        'aria-label="Characteristics of successful partnerships (scrolls sideways)">'
        '<table class="pl-table" style="border-collapse:collapse;margin:0.5em 0">'
        '<caption style="text-align:left;font-weight:bold">'
        "Characteristics of successful partnerships: five sources compared</caption>"
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"
    )
    text = " ".join(
        f"{s.citation} ({s.sector}): " + "; ".join(it.label for it in s.items) + "."
        for s in sources
    )
    return HTMLBlock(html_, "Characteristics of successful partnerships. " + text)


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
        return f'<p class="pl-empty">No programme matches {escape(query.strip())!s}.</p>'
    rows = [
        (
            f"<strong>{escape(r.programme)}</strong><br><em>{escape(r.source)}</em>",
            escape(r.aim),
            escape(r.target),
            escape(r.participation_funding),
            escape(r.timing),
        )
        for r in df.itertuples()
    ]
    n = len(rows)
    return _table(
        ("Programme (source)", "Aim", "Target", "Levels of participation / funding", "Timing"),
        rows,
        caption=f"Partnership programmes ({n} shown)",
    )


def programmes_view() -> widgets.VBox:
    """The programmes table with a programme drop-down and a search box (not stored)."""
    names = list(frameworks.programmes()["programme"])
    choose = widgets.Dropdown(
        # ipywidgets shows no label for a None value, so "all" is the empty string
        options=[("All programmes", ""), *[(n, n) for n in names]],
        value="",
        description="Programme",
        style={"description_width": "initial"},
    )
    search = widgets.Text(
        description="Search the table",
        placeholder="e.g. older people, lottery, 1999",
        continuous_update=True,
        style={"description_width": "initial"},
    )
    table = widgets.HTML(programmes_table())

    def _show(_change=None) -> None:
        table.value = programmes_table(search.value, programme=choose.value or None)

    choose.observe(_show, names="value")
    search.observe(_show, names="value")
    box = widgets.VBox([widgets.HBox([choose, search]), table])
    box.add_class("pl-programmes")
    return box


# --------------------------------------------------------------------------- skill recurrence


def _box(children: Sequence[widgets.Widget], kind: str) -> widgets.VBox:
    box = widgets.VBox(list(children))
    box.add_class("pl-exercise")
    box.add_class(f"pl-{kind}")
    return box


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


def activity1_table(binding: Binding) -> widgets.VBox:
    """Activity 1: an example and the skills used, for each of the five contexts.

    Each context has a text box for a positive collaborative experience and a
    multi-select of McNamara's skills (McNamara 2005); below them a bar chart shows how
    many contexts each chosen skill was used in, redrawn on one figure as the learner
    chooses. Stored as ``example_<context key>`` (text) and ``skills_<context key>``
    (list of skill keys).

    Complete when every context has an example and at least one skill.
    """
    ex = Exercise(binding, kind="activity1", title="Collaborative experiences and skills")
    contexts = frameworks.activity1_contexts()
    skills = frameworks.skills()
    options = [(s.label, s.key) for s in skills]
    texts: dict[str, widgets.Textarea] = {}
    selects: dict[str, widgets.SelectMultiple] = {}
    chart = LiveChart(plot_skill_recurrence)
    summary = widgets.HTML()

    def _selections() -> dict[str, list[str]]:
        return {c.label: list(selects[c.key].value) for c in contexts}

    def _redraw(_value=None) -> None:
        sel = _selections()
        if any(sel.values()):
            chart.show(sel)
        else:
            chart.hide(
                "Choose the skills you used and a chart of the ones that recur appears here."
            )
        done = sum(
            bool(texts[c.key].value.strip()) and bool(selects[c.key].value) for c in contexts
        )
        summary.value = (
            f'<p class="pl-completeness"><strong>{done} of {len(contexts)} contexts have an '
            "example and skills.</strong></p>"
        )
        if done == len(contexts):
            ex.mark("complete")
        elif ex.get("_status") == "complete":
            ex.save("_status", "started")

    rows = []
    for c in contexts:
        head = widgets.HTML(
            f'<div class="pl-field-label"><strong>{escape(c.label)}</strong>: '
            f"{escape(c.prompt)}</div>"
        )
        area = _textarea(f"{c.label}: example of a positive experience", rows=3)
        area.placeholder = "Your example, in a sentence or two"
        texts[c.key] = area
        ex.bind(area, f"example_{c.key}", on_change=_redraw)
        select = widgets.SelectMultiple(
            options=options,
            value=(),
            rows=8,
            description=f"Skills used ({c.label})",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        selects[c.key] = select
        ex.bind(
            select,
            f"skills_{c.key}",
            to_store=list,
            from_store=lambda v: tuple(k for k in v if k in {s.key for s in skills}),
            on_change=_redraw,
        )
        hint = widgets.HTML(
            '<span class="pl-hint" style="font-size:90%">Hold Ctrl (Cmd on a Mac) or Shift '
            "to choose several skills.</span>"
        )
        rows.append(
            widgets.VBox([head, area, select, hint], layout=widgets.Layout(margin="0 0 1em 0"))
        )
    ex.on_reset(_redraw)
    _redraw()
    box = _box([*rows, summary, chart, ex.status, ex.reset_bar()], "activity1")
    box.exercise, box.textareas, box.selects, box.chart = ex, texts, selects, chart
    return box


# --------------------------------------------------------------------------- forms of partnership


def partnership_form(binding: Binding) -> widgets.VBox:
    """ "Which form is your partnership?": a drop-down of the typologies and a reason.

    Shows the name the learner gave their partnership in notebook 00 (scenario step 1)
    when there is one. Stored as ``form`` (a typology key) and ``why`` (text).
    Complete when both are given.
    """
    ex = Exercise(binding, kind="partnership_form", title="Which form is your partnership?")
    name = ex.store.get(SCENARIO_NAME_KEY)
    if isinstance(name, str) and name.strip():
        scenario = (
            f"<p>Your partnership scenario (from notebook 00): <strong>{escape(name.strip())}"
            "</strong></p>"
        )
    else:
        scenario = (
            "<p><em>Think of the partnership in your scenario. (Name it in step 1 of notebook "
            "00 and it will appear here.)</em></p>"
        )
    typologies = frameworks.typologies()
    by_key = {t.key: t for t in typologies}
    choose = widgets.Dropdown(
        options=[("Choose a form", ""), *[(t.form, t.key) for t in typologies]],
        value="",
        description="Its partnering form",
        style={"description_width": "initial"},
    )
    why_label = widgets.HTML(
        '<div class="pl-field-label"><strong>Why this form? What makes you say so?</strong></div>'
    )
    why = _textarea("Why this form?", rows=3)
    detail = widgets.HTML()

    def _update(_value=None) -> None:
        t = by_key.get(choose.value)
        detail.value = (
            f'<p class="pl-guidance"><strong>{escape(t.form)}</strong> ({escape(t.citation)}). '
            f"Aim: {escape(t.aim)} Working processes: {escape(t.processes)}</p>"
            if t
            else ""
        )
        if t and why.value.strip():
            ex.mark("complete")

    ex.bind(
        choose,
        "form",
        to_store=lambda v: v or None,
        from_store=lambda v: v if v in by_key else "",
        on_change=_update,
    )
    ex.bind(why, "why", on_change=_update)
    ex.on_reset(_update)
    _update()
    box = _box(
        [widgets.HTML(scenario), choose, detail, why_label, why, ex.status, ex.reset_bar()],
        "partnership-form",
    )
    box.exercise, box.dropdown, box.textarea = ex, choose, why
    return box


# --------------------------------------------------------------------------- purpose quadrant


def purpose_position(binding: Binding) -> widgets.VBox:
    """Place your partnership on Pratt et al's purpose quadrant with two number boxes.

    ``goals`` runs from individual (0) to collective (10) and ``predictability`` from
    predictable (0) to unpredictable (10); the point and the characteristic it falls in
    (:func:`partnership_lib.models.purpose.characteristic_at`) update as the numbers change.
    Stored as ``goals`` and ``predictability``. Complete when both have been set.
    """
    ex = Exercise(binding, kind="purpose", title="The purpose of your partnership")
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="auto")
    # Number boxes, not sliders: ipywidgets' slider handle has no accessible name
    # (jupyter-widgets/ipywidgets#2650); a labelled number box steps with the arrow keys.
    goals = widgets.BoundedIntText(
        value=5,
        min=0,
        max=10,
        description="Goals: individual (0) to collective (10)",
        style=style,
        layout=layout,
        continuous_update=True,
    )
    pred = widgets.BoundedIntText(
        value=5,
        min=0,
        max=10,
        description="Predictability: predictable (0) to unpredictable (10)",
        style=style,
        layout=layout,
        continuous_update=True,
    )
    chart = LiveChart(plot_purpose_quadrant)
    named = widgets.HTML()

    def _update(_value=None) -> None:
        position = (goals.value, pred.value)
        chart.show(position=position)
        c = characteristic_at(*position)
        named.value = live_region(
            f"At goals {position[0]} and predictability {position[1]} your partnership shows "
            f"{c.name}: {c.meaning}",
            "info",
        )
        if ex.get("goals") is not None and ex.get("predictability") is not None:
            ex.mark("complete")

    ex.bind(goals, "goals", on_change=_update)
    ex.bind(pred, "predictability", on_change=_update)
    ex.on_reset(_update)
    _update()
    box = _box([goals, pred, named, chart, ex.status, ex.reset_bar()], "purpose")
    box.exercise, box.sliders, box.chart, box.characteristic = ex, (goals, pred), chart, named
    return box


# --------------------------------------------------------------------------- stage diagnosis


def stage_diagnosis(
    binding: Binding,
    *,
    model: str = "five_fs",
) -> widgets.VBox:
    """Tick what you observe in your partnership; see its likely stage and what helps.

    One tick box per characteristic of each stage of ``model`` (stored as the list
    ``observed`` of ``"<stage>:<n>"`` keys). The estimated stage (:func:`diagnose_stage`)
    is marked "You are here" on the lifecycle chart, redrawn on one figure, with the
    tactics suited to that stage (:func:`stage_tactics`). The chart is only drawn once
    something is ticked. Complete when at least one characteristic is ticked.
    """
    m = lifecycle_model(model)
    tactics = stage_tactics(m)
    ex = Exercise(binding, kind="stage_diagnosis", title="Which stage is your partnership at?")
    boxes: dict[str, widgets.Checkbox] = {}
    sections = []
    for stage in m.stages:
        rows = []
        for n, text in enumerate(stage.characteristics):
            cb = widgets.Checkbox(
                value=False,
                description=text,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            boxes[f"{stage.key}:{n}"] = cb
            rows.append(cb)
        sections.append(
            widgets.VBox(
                [widgets.HTML(f"<strong>{escape(stage.name)}</strong>"), *rows],
                layout=widgets.Layout(margin="0 0 0.6em 0"),
            )
        )
    chart = LiveChart(plot_lifecycle)
    result = widgets.HTML()
    restoring = [False]

    def _observed() -> list[str]:
        return [k for k, cb in boxes.items() if cb.value]

    def _show() -> None:
        d = diagnose_stage(_observed(), m)
        if d.stage is None:
            result.value = live_region(
                "Tick what you see in your partnership to estimate its stage.", "info"
            )
            chart.hide("The lifecycle chart, with your partnership marked, appears here.")
            return
        counts = ", ".join(f"{m.stage(k).name} {c}" for k, c in d.counts)
        items = "".join(f"<li>{escape(t)}</li>" for t in tactics[d.stage.key])
        result.value = (
            live_region(
                f"Most of what you ticked belongs to {d.stage.name} (ticks: {counts}).",
                "info",
            )
            + f"<p><strong>Tactics that suit {escape(d.stage.name)}:</strong></p><ul>{items}</ul>"
        )
        chart.show(m, current=d.stage.key)

    def _changed(_change=None) -> None:
        if restoring[0]:
            return
        observed = _observed()
        if ex.save("observed", observed):
            if observed:
                ex.mark("complete")
            elif ex.get("_status") is not None:
                ex.save("_status", "started")
        _show()

    def _restore() -> None:
        stored = ex.get("observed")
        keep = set(stored) if isinstance(stored, list) else set()
        restoring[0] = True
        try:
            for k, cb in boxes.items():
                cb.value = k in keep
        finally:
            restoring[0] = False
        _show()

    _restore()
    for cb in boxes.values():
        cb.observe(_changed, names="value")
    ex.on_reset(_restore)
    box = _box(
        [
            widgets.HTML(
                f"<p>Tick each characteristic of the {escape(m.name)} model "
                f"({escape(m.source)}) that you recognise in your partnership today.</p>"
            ),
            *sections,
            result,
            chart,
            ex.status,
            ex.reset_bar(),
        ],
        "stage-diagnosis",
    )
    box.exercise, box.checkboxes, box.chart, box.result = ex, boxes, chart, result
    return box


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
