"""Notebook 02, Creating a Climate for Change: its tables and exercise builders.

The builders compose the library's exercise widgets, plots and content into the
activities of the second session: the Activity 3 discussion beside the partnership
lifecycle, a picker for the workbook's four worked stakeholder analyses, three sorters
(Douglas's people-change and people-processing organisations, the four categories of
conflict, first and second order change) whose example items live in
``data/climate.yaml``, Brenner's gap, Activity 4 and McNamara's ingredients for
sustaining change as a readiness checklist. Static tables are returned as
:class:`~partnership_lib.core.html.HTMLBlock` objects so strict nbval can compare them.

Every exercise builder returns the exercise itself (a
:class:`~partnership_lib.widgets.base.Exercise` subclass); HTML is rendered by the
templates in ``core/templates/``. Builders return widgets and never call ``display``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import ipywidgets as widgets

from partnership_lib.core import content
from partnership_lib.core.html import HTMLBlock, Markup, render, table
from partnership_lib.core.style import current_theme, on_style_change
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import ScoreBand, grouped_items, load_bands
from partnership_lib.models.stakeholders import WorkedExample, worked_examples
from partnership_lib.sessions.gallery import render_diagram
from partnership_lib.widgets.base import Binding
from partnership_lib.widgets.checklist import Checklist, checklist
from partnership_lib.widgets.live import chart_beside_form_layout
from partnership_lib.widgets.sorter import Category, Sorter, SortItem
from partnership_lib.widgets.text import FormField, TextForm

__all__ = [
    "Activity3Discussion",
    "ChangeGapForm",
    "WorkedExamplesView",
    "activity3_discussion",
    "activity4_form",
    "change_activities_html",
    "change_definitions_html",
    "change_gap_form",
    "change_obstacles_html",
    "change_order_items",
    "change_order_sorter",
    "change_orders_html",
    "conflict_categories_html",
    "conflict_items",
    "conflict_sorter",
    "douglas_items",
    "douglas_sorter",
    "motivation_bands",
    "motivation_checklist",
    "motivation_items",
    "think_about_html",
    "think_about_prompt",
    "worked_examples_view",
]

_CONTENT = "climate"
#: Sorters show their items in this fixed shuffled order (the same on every run).
SHUFFLE_SEED = 2


# --------------------------------------------------------------------------- content


def _items(section: str, categories: Sequence[Category]) -> tuple[SortItem, ...]:
    known = {c.key for c in categories}
    out = []
    for raw in content.load(_CONTENT)[section]["items"]:
        with content.content_entry(_CONTENT, f"{section}/{raw['key']}"):
            if raw["answer"] not in known:
                raise ValueError(
                    f"item {raw['key']!r}: answer {raw['answer']!r} is not a category; "
                    f"choose one of: {', '.join(sorted(known))}"
                )
        out.append(content.build(_CONTENT, f"{section}/{raw['key']}", SortItem, **raw))
    return tuple(out)


def douglas_items() -> tuple[tuple[SortItem, ...], tuple[Category, ...]]:
    """Example organisations and Douglas's (1998) two kinds of organisation.

    Returns
    -------
    (items, categories)
        For :func:`partnership_lib.widgets.sorter`; answers are ``people_change`` or
        ``people_processing``.
    """
    cats = tuple(
        content.build(_CONTENT, f"douglas/{raw['key']}", Category, **raw)
        for raw in content.load(_CONTENT)["douglas"]["categories"]
    )
    return _items("douglas", cats), cats


def conflict_items() -> tuple[tuple[SortItem, ...], tuple[Category, ...]]:
    """Example conflicts and the four broad categories of conflict in partnerships."""
    cats = tuple(
        Category(c.key, f"{c.number}. {c.label[0].upper()}{c.label[1:]}", c.explanation)
        for c in frameworks.conflict_categories()
    )
    return _items("conflicts", cats), cats


def change_order_items() -> tuple[tuple[SortItem, ...], tuple[Category, ...]]:
    """Example changes and the two orders of change (Langley et al 1996)."""
    cats = tuple(
        Category(
            o.key,
            f"{o.label[0].upper()}{o.label[1:]} ({o.lever})",
            f"{o.purpose} It works on {_and(o.targets)}.",
        )
        for o in frameworks.change_orders()
    )
    return _items("change_orders", cats), cats


def motivation_bands() -> tuple[ScoreBand, ...]:
    """What a score on the ingredients for sustaining change means."""

    return load_bands(_CONTENT, "motivation_bands")


def motivation_items() -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """McNamara's (2005) ingredients as checklist items and their five groups.

    Returns
    -------
    (items, groups)
        ``(key, text)`` pairs (keys ``"<group key>_<n>"``, from 1) and
        ``(group label, item keys)`` pairs, in the workbook's order.
    """

    return grouped_items(frameworks.change_ingredients())


def think_about_prompt(key: str) -> str:
    """A THINK ABOUT prompt, with its questions, as one plain sentence or more.

    Raises
    ------
    ValueError
        For an unknown key; the message lists the known keys.
    """
    prompts = {t.key: t for t in frameworks.think_about()}
    if key not in prompts:
        raise ValueError(f"unknown THINK ABOUT prompt {key!r}; known: {', '.join(prompts)}")
    t = prompts[key]
    return " ".join([t.prompt, *t.questions])


def think_about_html(key: str) -> HTMLBlock:
    """A THINK ABOUT prompt as a highlighted note (see :func:`think_about_prompt`)."""
    text = think_about_prompt(key)
    t = {p.key: p for p in frameworks.think_about()}[key]
    html = render("think_about.html.j2", prompt=t.prompt, questions=t.questions)
    return HTMLBlock(str(html), f"THINK ABOUT: {text}")


def _and(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------- static tables


def _block(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> HTMLBlock:
    """A table of plain text (first column as row headers) and its one-paragraph twin."""
    text = f"{caption}. " + " ".join(
        f"{r[0]}: {'; '.join(c.rstrip('.') for c in r[1:])}." for r in rows
    )
    html = table(head, rows, caption=caption, css_class="pl-table", row_headers=True)
    return HTMLBlock(str(html), text)


def conflict_categories_html() -> HTMLBlock:
    """The four broad categories of conflict in partnerships, each with what it means."""
    rows = [(c.label, c.description) for c in conflict_items()[1]]
    return _block(("Category", "What it looks like"), rows, "Four categories of conflict")


def change_obstacles_html() -> HTMLBlock:
    """Belasco's (1990) obstacles to change, each with what it means."""
    obs = frameworks.change_obstacles()
    rows = [(o.label[0].upper() + o.label[1:], o.explanation) for o in obs]
    return _block(("Obstacle", "What it means"), rows, f"Obstacles to change ({obs[0].citation})")


def change_definitions_html() -> HTMLBlock:
    """The four definitions of change management."""
    rows = [
        (f"{d.number}. {d.label[0].upper()}{d.label[1:]}", d.explanation)
        for d in frameworks.change_management_definitions()
    ]
    return _block(
        ("Change management as a ...", "Meaning"), rows, "Four views of change management"
    )


def change_orders_html() -> HTMLBlock:
    """First and second order change side by side, with climate and culture."""
    orders = frameworks.change_orders()
    rows = [
        (
            o.label[0].upper() + o.label[1:],
            o.purpose,
            o.lever_label[0].upper() + o.lever_label[1:],
            _and(o.targets)[0].upper() + _and(o.targets)[1:],
        )
        for o in orders
    ]
    return _block(
        ("Order", "What it does", "Works on", "Aimed at"),
        rows,
        f"First and second order change ({orders[0].citation})",
    )


def change_activities_html() -> HTMLBlock:
    """French and Bell's (1999) five activities for managing change."""
    acts = frameworks.change_activities()
    rows = [(a.label[0].upper() + a.label[1:], a.explanation, _and(a.elements)) for a in acts]
    return _block(
        ("Activity", "Why it matters", "What it involves"),
        rows,
        f"Managing change: five activities ({acts[0].citation})",
    )


# --------------------------------------------------------------------------- builders


def _sorter(binding: Binding, content_fn, prompt: str, css_class: str) -> Sorter:
    items, cats = content_fn()
    # The categories are explained in the notebook's own tables and text; the sorter's
    # definition list sits badly beside its drop-downs in JupyterLab.
    cats = tuple(dataclasses.replace(c, description="") for c in cats)
    widget = Sorter(binding, items, cats, prompt=prompt, shuffle_seed=SHUFFLE_SEED)
    widget.add_class(css_class)
    return widget


def douglas_sorter(binding: Binding) -> Sorter:
    """Sort example organisations into people-change or people-processing (Douglas 1998)."""
    return _sorter(
        binding,
        douglas_items,
        "Is each organisation mainly people-change or people-processing?",
        "pl-douglas-sorter",
    )


def conflict_sorter(binding: Binding) -> Sorter:
    """Sort example conflicts into the four broad categories."""
    return _sorter(
        binding, conflict_items, content.load(_CONTENT)["conflicts"]["prompt"], "pl-conflict-sorter"
    )


def change_order_sorter(binding: Binding) -> Sorter:
    """Sort example changes into first order (climate) or second order (culture)."""
    return _sorter(
        binding,
        change_order_items,
        content.load(_CONTENT)["change_orders"]["prompt"],
        "pl-change-order-sorter",
    )


#: The diagram shown beside the Activity 3 discussion (see :func:`render_diagram`).
LIFECYCLE_DIAGRAM = "lifecycle:partnership_phases"
#: The discussion form's narrowest width beside a chart, and its preferred width.
_FORM_MIN, _FORM_BASIS = "20em", "28em"


class Activity3Discussion(TextForm):
    """Activity 3, step 3: three discussion questions beside the partnership lifecycle.

    A :class:`~partnership_lib.widgets.text.TextForm` of the three questions in
    ``data/climate.yaml`` and, in a wrapping row beside it, the lifecycle chart, which
    follows projector mode. The chart is never shown so narrow that its text falls below
    :data:`MIN_CHART_TEXT_PX`: where the row has no room for both, the chart sits below
    the form (see :func:`chart_beside_form_layout`; in JupyterLab at 1366 px with the
    side bar open it does). Complete when all three answers are written. Classes
    ``pl-activity3-discussion`` and those of the form.
    """

    #: The lifecycle chart.
    chart: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        fields = [
            FormField(raw["key"], raw["label"], raw["guidance"], rows=3, optional=False)
            for raw in content.load(_CONTENT)["activity3_discussion"]
        ]
        # compose() (called by the form's __init__) places the chart, so it exists first.
        self.chart = widgets.HTML()
        self.chart.add_class("pl-chart-view")
        super().__init__(binding, fields, item_name="question")
        self.add_class("pl-activity3-discussion")
        self.show_chart(current_theme().name)
        on_style_change(self.show_chart)  # a bound method: held as long as the widget

    def compose(self) -> list[widgets.Widget]:
        """The form's parts in one column, and the chart beside it (or below, when narrow)."""
        column = widgets.VBox(
            super().compose(), layout=widgets.Layout(flex=f"1 1 {_FORM_BASIS}", min_width=_FORM_MIN)
        )
        row = widgets.Box(
            [column, self.chart], layout=widgets.Layout(flex_flow="row wrap", width="100%")
        )
        return [row]

    def show_chart(self, style_name: str) -> None:
        """Draw the lifecycle chart in ``style_name`` (on build and on a style change)."""
        chart = render_diagram(LIFECYCLE_DIAGRAM, style_name)
        self.chart.layout = chart_beside_form_layout(chart)
        self.chart.value = chart.html


def activity3_discussion(binding: Binding) -> Activity3Discussion:
    """Activity 3, step 3: the discussion questions beside the lifecycle (see the class)."""
    return Activity3Discussion(binding)


class WorkedExamplesView(widgets.VBox):
    """Pick one of the workbook's four worked stakeholder analyses and see its grid.

    Parameters
    ----------
    initial
        Key of the example shown first; the first example when omitted.

    Raises
    ------
    ValueError
        For an unknown ``initial`` key; the message lists the known keys.

    The grid follows projector mode. Class ``pl-worked-examples``.
    """

    examples: dict[str, WorkedExample]
    picker: widgets.Dropdown
    #: The chosen example's note.
    note: widgets.HTML
    #: Its power/interest grid.
    picture: widgets.HTML

    def __init__(self, *, initial: str | None = None) -> None:
        examples = dict(worked_examples())
        if initial is not None and initial not in examples:
            raise ValueError(
                f"unknown worked example {initial!r}; choose one of: {', '.join(examples)}"
            )
        super().__init__()
        self.add_class("pl-worked-examples")
        self.examples = examples
        self.picker = widgets.Dropdown(
            options=[(e.title, k) for k, e in examples.items()],
            value=initial or next(iter(examples)),
            description="Worked example",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 36em)"),
        )
        self.note = widgets.HTML()
        self.picture = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.picker.observe(self.show, names="value")
        self.show()
        on_style_change(self._restyle)  # projector mode; a bound method, held weakly
        self.children = [self.picker, self.note, self.picture]

    def show(self, _change: object = None) -> None:
        """Show the chosen example's note and grid in the current style."""
        example = self.examples[self.picker.value]
        self.note.value = str(Markup("<p>{}</p>").format(example.note)) if example.note else ""
        self.picture.value = render_diagram(f"grid:{self.picker.value}", current_theme().name).html

    def _restyle(self, _style_name: str) -> None:
        self.show()


def worked_examples_view(*, initial: str | None = None) -> WorkedExamplesView:
    """Pick one of the workbook's four worked stakeholder analyses: a :class:`WorkedExamplesView`."""
    return WorkedExamplesView(initial=initial)


class ChangeGapForm(TextForm):
    """Brenner's (2008) gap: where the partnership is now and where it needs to be.

    Two required fields (``now`` and ``need``) that sit side by side on a wide screen
    and wrap under each other on a narrow one. Complete when both are written. Classes
    ``pl-change-gap`` and those of the form; the row of columns is ``pl-gap-columns``.
    """

    #: The row holding the two columns.
    columns: widgets.Box

    def __init__(self, binding: Binding) -> None:
        gap = frameworks.change_gap()
        fields = [
            FormField(
                "now",
                _capital(gap.current),
                "Strengths and weaknesses you can see today.",
                rows=6,
                optional=False,
            ),
            FormField(
                "need",
                _capital(gap.target),
                "What achieving your vision would require.",
                rows=6,
                optional=False,
            ),
        ]
        super().__init__(binding, fields, item_name="column")
        self.add_class("pl-change-gap")

    def compose(self) -> list[widgets.Widget]:
        """The heading and completeness line, the two columns in one row, then the rest."""
        for col in self.field_rows.values():
            col.layout.flex = "1 1 20em"
            col.layout.margin = "0 0.5em 0.8em 0"
        self.columns = widgets.Box(
            list(self.field_rows.values()),
            layout=widgets.Layout(flex_flow="row wrap", width="100%"),
        )
        self.columns.add_class("pl-gap-columns")
        return [*self.heading, self.completeness, self.columns, self.status, self.reset_controls]


def change_gap_form(binding: Binding) -> ChangeGapForm:
    """Brenner's (2008) gap, in two columns: a :class:`ChangeGapForm`."""
    return ChangeGapForm(binding)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def activity4_form(binding: Binding) -> TextForm:
    """Activity 4: the five questions on change programmes you have been part of.

    Complete when all five answers are written.
    """
    t = {p.key: p for p in frameworks.think_about()}["change_programmes"]
    keys = ("first_order", "second_order", "went_well", "difficult", "skills")
    if len(keys) != len(t.questions):
        raise ValueError(
            f"Activity 4 expects {len(keys)} questions, the content has {len(t.questions)}"
        )
    fields = [
        FormField(k, q, rows=3, optional=False) for k, q in zip(keys, t.questions, strict=True)
    ]
    return TextForm(binding, fields, intro=t.prompt, item_name="question")


def motivation_checklist(binding: Binding) -> Checklist:
    """McNamara's (2005) ingredients as a readiness checklist scored by group.

    Complete once the learner presses "I've finished".
    """
    items, groups = motivation_items()
    return checklist(
        binding,
        items,
        groups=groups,
        bands=motivation_bands(),
        chart_title="Ingredients in place, by group",
    )
