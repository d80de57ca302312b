"""Notebook 03, Influencing and Negotiation: its tables and exercise builders.

The builders here compose the library's exercise widgets, plots and content into the
activities of the third session: rating one relationship on the six qualities of the
Mobius Model (Demarest et al 2004) with the map shaded as the learner rates, the
role-play of Activity 5 (roles, agenda, scribe's notes, reflection in role), the roles
that support change, the principles of representation, and a partnership
self-assessment whose weakest dimension becomes an action plan.

Our own content (prompts for each conversation, the role-play agenda, the
self-assessment items) lives in ``data/influencing.yaml``. Static tables are returned
as :class:`~partnership_lib.core.html.HTMLBlock` objects so strict nbval can compare them;
HTML is written by Jinja2 templates (:mod:`partnership_lib.sessions.fragments`).
Each exercise here is an :class:`~partnership_lib.widgets.base.Exercise` subclass
(:class:`RateRelationship`, :class:`RoleReflection`, :class:`ActionPlan`) or one of the
library's exercise kinds; builders never call ``display``. The Mobius map is a
:class:`~partnership_lib.widgets.live.LiveChart`, drawn once something has been rated
and repainted in place after that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import ipywidgets as widgets

from partnership_lib.core import content
from partnership_lib.core.html import HTMLBlock, Markup, render, table
from partnership_lib.core.store import STATUS_FIELD, AnswerKey
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import ScoreBand, load_bands
from partnership_lib.models.mobius import (
    QUALITY_KEYS,
    mobius_model,
    next_conversation,
    plot_mobius_map,
)
from partnership_lib.models.partnership_assessment import assessment_items, weakest_dimension
from partnership_lib.sessions.fragments import (
    ListItem,
    dropdown_layout,
    exercise_title,
    field_label,
    item_list,
    paragraph,
)
from partnership_lib.widgets.base import (
    Binding,
    Exercise,
    live_region,
)
from partnership_lib.widgets.checklist import checklist
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.text import FormField, TextForm, question_form, text_form, text_prompt

__all__ = [
    "LEAD_IN_PROMPT",
    "RATING_OPTIONS",
    "SCENARIO_MEMBERS_KEY",
    "ActionPlan",
    "AgendaItem",
    "RateRelationship",
    "RoleReflection",
    "action_plan",
    "agenda_html",
    "assessment_benefits_html",
    "change_roles_form",
    "conversation_prompts",
    "group_feedback_form",
    "key_skill_areas_html",
    "meeting_agenda",
    "meeting_notes",
    "mobius_qualities_html",
    "next_conversation_html",
    "rate_relationship",
    "representation_bands",
    "representation_checklist",
    "role_allocation",
    "role_reflection",
    "roles_html",
    "self_assessment",
    "think_about",
    "think_about_html",
]

_CONTENT = "influencing"
#: Where notebook 00 keeps the partnership's members (scenario step 3).
SCENARIO_MEMBERS_KEY = AnswerKey("00_partnership_scenario", "scenario", "members")


# --------------------------------------------------------------------------- content


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One item of the role-play meeting's agenda."""

    key: str
    item: str
    detail: str

    def __post_init__(self) -> None:
        for field in ("key", "item", "detail"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"agenda item {self.key!r}: {field} must be text, got {value!r}")


def conversation_prompts() -> dict[str, tuple[str, ...]]:
    """Questions that open the conversation for each Mobius quality, keyed by quality key.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When ``data/influencing.yaml`` names an unknown quality, names one twice, or
        leaves a quality without prompts.
    """
    out: dict[str, tuple[str, ...]] = {}
    for raw in content.load(_CONTENT)["conversation_prompts"]:
        with content.content_entry(_CONTENT, f"conversation_prompts/{raw['quality']}"):
            if raw["quality"] not in QUALITY_KEYS:
                raise ValueError(
                    f"unknown quality {raw['quality']!r}; qualities: {', '.join(QUALITY_KEYS)}"
                )
            if raw["quality"] in out:
                raise ValueError(f"quality {raw['quality']!r} is listed twice")
        out[raw["quality"]] = tuple(raw["prompts"])
    missing = [k for k in QUALITY_KEYS if k not in out]
    if missing:
        with content.content_entry(_CONTENT, "conversation_prompts"):
            raise ValueError(f"no prompts for quality {missing[0]!r}")
    return {k: out[k] for k in QUALITY_KEYS}


def meeting_agenda() -> tuple[str, tuple[AgendaItem, ...]]:
    """The role-play meeting's title and agenda items, in order."""
    raw = content.load(_CONTENT)["meeting_agenda"]
    items = tuple(
        content.build(_CONTENT, f"meeting_agenda/{it['key']}", AgendaItem, **it)
        for it in raw["items"]
    )
    return raw["title"], items


def representation_bands() -> tuple[ScoreBand, ...]:
    """What a score on the principles-of-representation self-check means."""

    return load_bands(_CONTENT, "representation_bands")


#: The workbook's THINK ABOUT prompt after the Mobius Model, which leads into Activity 5.
LEAD_IN_PROMPT = "mobius_next_activity"


def think_about() -> list[str]:
    """The THINK ABOUT prompts for the session's summary (``S.closing(think_about())``).

    Only prompts that look back over the session belong in the summary
    (``summary_think_about`` in ``data/influencing.yaml``). The workbook's prompt after
    the Mobius Model leads into Activity 5, so it is shown just before that activity,
    by :func:`think_about_html`, and not repeated here.
    """
    return list(content.load(_CONTENT).get("summary_think_about", []))


def think_about_html() -> HTMLBlock:
    """The THINK ABOUT prompt that leads from the Mobius Model into Activity 5."""
    t = {p.key: p for p in frameworks.think_about()}[LEAD_IN_PROMPT]
    html = render("sessions/think_about.html.j2", prompt=t.prompt, questions=tuple(t.questions))
    return HTMLBlock(str(html), " ".join(["THINK ABOUT:", t.prompt, *t.questions]))


# --------------------------------------------------------------------------- static HTML


def mobius_qualities_html() -> HTMLBlock:
    """The six qualities of the Mobius Model and what each means, as a table."""
    model = mobius_model()
    rows = [(f"{q.order}. {q.name}", q.meaning) for q in model.qualities]
    return HTMLBlock(
        str(
            table(
                ("Quality", "It is present when"),
                rows,
                caption=f"The six qualities of a relationship ({model.source})",
                css_class="pl-table",
                row_headers=True,
            )
        ),
        f"The six qualities of a relationship ({model.source}). "
        + " ".join(f"{q.order}. {q.name}: {q.meaning}" for q in model.qualities),
    )


def roles_html() -> HTMLBlock:
    """The five role-play roles of Activity 5 and what each person stands for."""
    roles = frameworks.meeting_roles()
    return HTMLBlock(
        str(
            table(
                ("Role", "Who they are"),
                [(r.label, r.description) for r in roles],
                caption="Roles for the partnership meeting",
                css_class="pl-table",
                row_headers=True,
            )
        ),
        "Roles for the partnership meeting. "
        + " ".join(f"{r.label}: {r.description}" for r in roles),
    )


def agenda_html() -> HTMLBlock:
    """The role-play meeting's agenda as a numbered list."""
    title, items = meeting_agenda()
    listed = item_list(
        [ListItem(i.detail, lead=f"{i.item}.") for i in items],
        css_class="pl-agenda",
        ordered=True,
        heading=f"{title}: agenda",
    )
    return HTMLBlock(
        str(listed),
        f"{title}: agenda. "
        + " ".join(f"{n}. {i.item}. {i.detail}" for n, i in enumerate(items, start=1)),
    )


def key_skill_areas_html() -> HTMLBlock:
    """The three key areas of development for partnership working (DETR 2000)."""
    areas = frameworks.key_skill_areas()
    items = [ListItem(a.summary, lead=f"{a.label}.", sub=tuple(a.factors)) for a in areas]
    texts = [f"{a.label}: {a.summary} {'; '.join(a.factors)}." for a in areas]
    cite = areas[0].citation
    return HTMLBlock(
        str(item_list(items, css_class="pl-skill-areas", citation=cite)),
        " ".join(texts) + f" ({cite})",
    )


def assessment_benefits_html() -> HTMLBlock:
    """The four benefits of assessing a partnership's performance (Markwell et al 2003)."""
    benefits = frameworks.assessment_benefits()
    items = [ListItem(b.meaning, lead=f"{b.label}:") for b in benefits]
    cite = benefits[0].citation
    return HTMLBlock(
        str(item_list(items, css_class="pl-benefits", citation=cite)),
        " ".join(f"{b.label}: {b.meaning}" for b in benefits) + f" ({cite})",
    )


def next_conversation_html(qualities: Mapping[str, Any] | None) -> str:
    """Which conversation to have next for these ratings, with prompts to open it (HTML).

    Uses :func:`partnership_lib.models.mobius.next_conversation`: the first quality, in the
    model's order, rated 2 or below.
    """
    scores = {k: v for k, v in (qualities or {}).items() if v is not None}
    if not scores:
        return live_region("Rate the qualities to see which conversation to have next.", "info")
    quality = next_conversation(scores)
    if quality is None:
        unrated = len(QUALITY_KEYS) - len(scores)
        if unrated:
            return live_region(
                f"Nothing you have rated is missing so far; {unrated} "
                f"{'quality is' if unrated == 1 else 'qualities are'} still to rate.",
                "info",
            )
        return live_region(
            "No quality is missing from this relationship. Keep it healthy with a "
            "conversation that acknowledges what you have achieved together.",
            "right",
        )
    status = live_region(
        f"The next conversation to have is about {quality.name}: it is the first "
        "quality, in the model's order, that you rated as missing.",
        "info",
    )
    return str(
        render(
            "sessions/next_conversation.html.j2",
            status=Markup(status),  # our own live region, its text escaped already
            quality=quality,
            prompts=conversation_prompts()[quality.key],
        )
    )


# --------------------------------------------------------------------------- live map


_STYLE = {"description_width": "initial"}


def _keep_complete(ex: Exercise, done: bool) -> None:
    """Mark ``ex`` complete when ``done``; take a completion back when it no longer is."""
    if done:
        ex.mark("complete")
    elif ex.get(STATUS_FIELD) == "complete":
        ex.save(STATUS_FIELD, "started")


#: The rating drop-downs' choices; 0 is "not rated" (ipywidgets shows no label for None).
RATING_OPTIONS = (
    ("Not rated", 0),
    ("1 = missing", 1),
    ("2", 2),
    ("3 = partly there", 3),
    ("4", 4),
    ("5 = fully present", 5),
)


class RateRelationship(Exercise):
    """Rate how present each Mobius quality is in one relationship; see the map shaded.

    A text box names the relationship (stored as ``relationship``) and a drop-down per
    quality rates it from 1 (missing) to 5 (fully present), stored together as
    ``ratings`` (quality key -> 1..5; unrated qualities are left out). The Mobius map,
    repainted in place, shades the boxes by score, and :func:`next_conversation_html`
    names the conversation to have next with prompts to open it. The map is only drawn
    once a quality is rated. Complete when the relationship is named and all six
    qualities are rated.

    Attributes
    ----------
    relationship : ipywidgets.Text
    dropdowns : dict
        Quality key to its rating drop-down.
    chart : LiveChart
    advice : ipywidgets.HTML
        The conversation to have next.
    """

    kind = "mobius_rating"
    relationship: widgets.Text
    dropdowns: dict[str, widgets.Dropdown]
    chart: LiveChart
    advice: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding, title="Rate a relationship on the Mobius qualities")
        self.add_class("pl-mobius-rating")
        self.relationship = widgets.Text(
            value="",
            description="Which relationship are you rating?",
            placeholder="For example: our team and the council's housing officers",
            continuous_update=True,
            style=_STYLE,
            layout=widgets.Layout(width="100%"),
        )
        self.dropdowns = {}
        qualities = mobius_model().qualities
        # one width for all six, so their choices line up
        self._drop_layout = dropdown_layout(
            [q.name for q in qualities], [label for label, _ in RATING_OPTIONS]
        )
        rows = [self._quality_row(q) for q in qualities]
        self.chart = LiveChart(plot_mobius_map)
        self.advice = widgets.HTML()
        self._restoring = False
        self.bind(self.relationship, "relationship", on_change=lambda _v: self._sync_status())
        self.restore()
        for dd in self.dropdowns.values():
            dd.observe(self._rated, names="value")
        self.on_reset(self.restore)
        intro = paragraph(
            "How present is each quality in this relationship? "
            "1 means it is missing; 5 means it is fully present."
        )
        self.children = [
            widgets.HTML(str(exercise_title(self.title))),
            self.relationship,
            widgets.HTML(str(intro)),
            *rows,
            self.advice,
            self.chart,
            self.status,
            self.reset_bar(),
        ]

    def _quality_row(self, q: Any) -> widgets.HBox:
        dd = widgets.Dropdown(
            options=list(RATING_OPTIONS),
            value=0,
            description=q.name,
            style=_STYLE,
            layout=self._drop_layout,
        )
        self.dropdowns[q.key] = dd
        hint = Markup('<span class="pl-hint">{}</span>').format(q.meaning)
        return widgets.HBox(
            [dd, widgets.HTML(str(hint))], layout=widgets.Layout(align_items="center")
        )

    def ratings(self) -> dict[str, int]:
        """Quality key to its rating, for the rated qualities."""
        return {k: dd.value for k, dd in self.dropdowns.items() if dd.value}

    def show(self) -> None:
        """Shade the map by the ratings and name the conversation to have next."""
        ratings = self.ratings()
        if ratings:
            self.chart.show(qualities={k: ratings.get(k) for k in QUALITY_KEYS})
        else:
            self.chart.hide(
                "Rate a quality and the Mobius map, shaded by your ratings, appears here."
            )
        self.advice.value = next_conversation_html(ratings)

    def _sync_status(self) -> None:
        named = bool(self.relationship.value.strip())
        _keep_complete(self, named and len(self.ratings()) == len(QUALITY_KEYS))

    def _rated(self, _change: Any = None) -> None:
        if self._restoring:
            return
        if self.save("ratings", self.ratings()):
            self._sync_status()
        self.show()

    def restore(self) -> None:
        """Show the stored ratings (after building, a reset or an undo), saving nothing."""
        stored = self.get("ratings")
        keep = stored if isinstance(stored, dict) else {}
        self._restoring = True
        try:
            for k, dd in self.dropdowns.items():
                v = keep.get(k)
                dd.value = v if v in (1, 2, 3, 4, 5) and not isinstance(v, bool) else 0
        finally:
            self._restoring = False
        self.show()


def rate_relationship(binding: Binding) -> RateRelationship:
    """Rate one relationship on the Mobius qualities (see :class:`RateRelationship`)."""
    return RateRelationship(binding)


# --------------------------------------------------------------------------- Activity 5


def role_allocation(binding: Binding) -> widgets.VBox:
    """Step 1 of Activity 5: who in the group plays each of the five roles.

    One one-line text box per role of :func:`partnership_lib.models.frameworks.meeting_roles`
    (stored under the role's key), with the role's description under its label.
    Complete when every role has a name.
    """

    fields = [
        FormField(r.key, r.label, guidance=r.description, rows=1, optional=False)
        for r in frameworks.meeting_roles()
    ]
    return text_form(
        binding,
        fields,
        title="Who plays each role?",
        intro="Write the name of the group member who takes each role. "
        "If you are working alone, write the role you will imagine yourself in.",
        item_name="role",
    )


def meeting_notes(binding: Binding) -> widgets.VBox:
    """The scribe's notes of the role-play meeting: key decisions and discussion."""

    return text_prompt(
        binding,
        "Scribe's notes: the key decisions and discussions of the meeting, item by item",
        placeholder="1. Welcome: ...",
        rows=8,
    )


class RoleReflection(Exercise):
    """Reflection on Activity 5: the seven questions, answered for each role.

    A drop-down chooses the role; below it, that role's own seven text boxes are shown
    and the other roles' are hidden. Every box belongs to one role and saves only to it,
    so whatever reaches a box (however fast the learner types and switches, and even a
    keystroke that arrives after the switch) lands in the answers of the role it was
    typed for. Each role's answers are stored as one field named by the role key,
    holding question key -> text. Complete when every question is answered for at
    least one role.

    Attributes
    ----------
    dropdown : ipywidgets.Dropdown
        The role being answered for.
    boxes : dict
        Role key to its question key -> text box.
    panels : dict
        Role key to the box holding its questions (shown for the chosen role only).
    summary : ipywidgets.HTML
        How many questions are answered for each role.
    """

    kind = "role_reflection"
    roles: tuple[Any, ...]
    questions: tuple[Any, ...]
    dropdown: widgets.Dropdown
    boxes: dict[str, dict[str, widgets.Textarea]]
    panels: dict[str, widgets.VBox]
    summary: widgets.HTML

    def __init__(self, binding: Binding) -> None:
        super().__init__(binding, title="Reflecting in role")
        self.add_class("pl-role-reflection")
        self.roles = tuple(frameworks.meeting_roles())
        self.questions = tuple(frameworks.reflection_questions())
        self.dropdown = widgets.Dropdown(
            options=[(r.label, r.key) for r in self.roles],
            value=self.roles[0].key,
            description="Answer for the role of",
            style=_STYLE,
            layout=dropdown_layout(["Answer for the role of"], [r.label for r in self.roles]),
        )
        self.boxes, self.panels = {}, {}
        for role in self.roles:
            self.panels[role.key] = self._role_panel(role)
        self.summary = widgets.HTML()
        self._loading = False
        self.load()
        self.dropdown.observe(self.show_role, names="value")
        self.show_role()
        self.on_reset(self.load)
        intro = paragraph(
            "Choose a role, then answer the questions as someone in that role. "
            "Switch roles to answer for the others: each role's answers are kept."
        )
        self.children = [
            widgets.HTML(str(exercise_title(self.title))),
            widgets.HTML(str(intro)),
            self.dropdown,
            *self.panels.values(),
            self.summary,
            self.status,
            self.reset_bar(),
        ]

    def _role_panel(self, role: Any) -> widgets.VBox:
        self.boxes[role.key] = {}
        rows = [widgets.HTML(str(paragraph("", lead=f"Answering as: {role.label}")))]
        for q in self.questions:
            area = widgets.Textarea(
                rows=2,
                continuous_update=True,
                layout=widgets.Layout(width="100%"),
                tooltip=q.text,
                # the accessible name (a real <label for>); the question is shown above
                description=f"{q.text} (as {role.label})",
                style={"description_width": "0px"},
            )
            area.observe(partial(self._typed, role.key), names="value")
            self.boxes[role.key][q.key] = area
            label = widgets.HTML(str(field_label(q.text)))
            rows.append(widgets.VBox([label, area], layout=widgets.Layout(margin="0 0 0.5em 0")))
        panel = widgets.VBox(rows)
        panel.add_class("pl-role-panel")
        panel.add_class(f"pl-role-{role.key}")
        return panel

    @property
    def textareas(self) -> dict[str, widgets.Textarea]:
        """The text boxes of the role shown now: question key -> box."""
        return self.boxes[self.dropdown.value]

    def answers(self, role: str) -> dict[str, str]:
        """The stored answers for ``role``: question key -> text."""
        v = self.get(role)
        return {k: t for k, t in v.items() if isinstance(t, str)} if isinstance(v, dict) else {}

    def show_role(self, _change: Any = None) -> None:
        """Show the chosen role's questions and hide the others' (nothing is saved)."""
        for key, panel in self.panels.items():
            panel.layout.display = "flex" if key == self.dropdown.value else "none"

    def refresh(self) -> None:
        """Count the answers of every role; complete when one role has them all."""
        parts, full = [], False
        for r in self.roles:
            answers = self.answers(r.key)
            n = sum(bool(answers.get(q.key, "").strip()) for q in self.questions)
            full = full or n == len(self.questions)
            parts.append(f"{r.label} {n} of {len(self.questions)}")
        self.summary.value = str(
            paragraph(
                "", lead=f"Questions answered: {'; '.join(parts)}.", css_class="pl-completeness"
            )
        )
        _keep_complete(self, full)

    def load(self) -> None:
        """Show every role's stored answers in its own boxes, saving nothing."""
        self._loading = True
        try:
            for role, areas in self.boxes.items():
                answers = self.answers(role)
                for k, area in areas.items():
                    area.value = answers.get(k, "")
        finally:
            self._loading = False
        self.refresh()

    def _typed(self, role: str, _change: Any = None) -> None:
        # ``role`` is the role whose box changed, whichever role is shown by now
        if self._loading:
            return
        value = {k: a.value for k, a in self.boxes[role].items() if a.value}
        if self.save(role, value):
            if self.answers(role) and self.get(STATUS_FIELD) is None:
                self.mark("started")
            self.refresh()


def role_reflection(binding: Binding) -> RoleReflection:
    """Reflection on Activity 5, for each role (see :class:`RoleReflection`)."""
    return RoleReflection(binding)


def group_feedback_form(binding: Binding) -> widgets.VBox:
    """Step 2 of the reflection: the two questions each group feeds back on."""

    return question_form(
        binding, frameworks.group_feedback_questions(), rows=3, title="Group feedback"
    )


# --------------------------------------------------------------------------- skills and roles


def change_roles_form(binding: Binding) -> widgets.VBox:
    """Who in your partnership scenario could hold each role that supports change.

    One field per role of :func:`partnership_lib.models.frameworks.change_roles`, stored under
    the role's key. Shows (escaped) the members the learner listed in step 3 of the
    scenario in notebook 00, when there are any. Complete when all four are filled.
    """

    st = binding.store
    members = st.get(SCENARIO_MEMBERS_KEY)
    if isinstance(members, str) and members.strip():
        intro = f"The members you listed in your scenario (notebook 00, step 3): {members.strip()}"
    else:
        intro = (
            "Think of the people and organisations in your partnership scenario. (List them "
            "in step 3 of notebook 00 and they will appear here.)"
        )
    fields = [
        FormField(r.key, r.label, guidance=r.meaning, rows=2) for r in frameworks.change_roles()
    ]
    return text_form(
        binding,
        fields,
        title="Who could take each role in your partnership?",
        intro=intro,
        item_name="role",
    )


def representation_checklist(binding: Binding) -> widgets.VBox:
    """The principles of representation (CLG 2008b) as a self-check checklist."""

    return checklist(
        binding,
        [(p.key, f"{p.label}: {p.meaning}") for p in frameworks.representation_principles()],
        bands=representation_bands(),
        title="Which principles does your partnership already follow?",
    )


# --------------------------------------------------------------------------- self-assessment


def self_assessment(binding: Binding) -> widgets.VBox:
    """Rate your partnership on our statements under the four dimensions (radar chart)."""

    items, groups = assessment_items()
    return rating_scale(
        binding,
        items,
        groups=groups,
        chart="radar",
        low_label="1 = not at all true",
        high_label="5 = completely true",
        title="How does your partnership work?",
        chart_title="Your partnership on the four dimensions",
    )


#: The parts of the action plan, all required.
PLAN_PARTS = (
    FormField("what", "What will you do?", rows=2, optional=False),
    FormField("who", "Who will do it?", rows=1, optional=False),
    FormField("by_when", "By when?", rows=1, optional=False),
)


class ActionPlan(TextForm):
    """Turn the weakest dimension of the self-assessment into a short action plan.

    A text form (:class:`~partnership_lib.widgets.text.TextForm`) of what, who and by
    when (stored as ``what``, ``who`` and ``by_when``), headed by the dimension to work
    on: a drop-down (stored as ``dimension``) that starts at the weakest dimension of
    the ratings stored by the exercise ``ratings_from`` of the same notebook
    (:func:`weakest_dimension`); "Check my ratings again" looks again after more
    rating. Complete when what, who and by when are all filled.

    Attributes
    ----------
    dropdown : ipywidgets.Dropdown
        The dimension to work on.
    weakest : ipywidgets.HTML
        Which dimension the ratings make the weakest.
    check_button : ipywidgets.Button
        "Check my ratings again".
    """

    kind = "action_plan"
    ratings_from: str
    dropdown: widgets.Dropdown
    weakest: widgets.HTML
    check_button: widgets.Button

    def __init__(self, binding: Binding, *, ratings_from: str = "self_assessment") -> None:
        # the controls compose() places, made before the form composes itself
        self.ratings_from = ratings_from
        dims = {d.key: d for d in frameworks.partnership_dimensions()}
        options = [("Choose a dimension", ""), *[(d.label, k) for k, d in dims.items()]]
        self.dropdown = widgets.Dropdown(
            options=options,
            value="",
            description="Dimension to work on",
            style=_STYLE,
            layout=dropdown_layout(["Dimension to work on"], [label for label, _ in options]),
        )
        self.weakest = widgets.HTML()
        self.check_button = widgets.Button(
            description="Check my ratings again",
            icon="refresh",
            layout=widgets.Layout(width="auto"),
        )
        super().__init__(binding, PLAN_PARTS, title="Your action plan", item_name="part")
        self.bind(self.dropdown, "dimension", from_store=lambda v: v if v in dims else "")
        self.check_button.on_click(self.look)
        # after a reset or undo only name the weakest: choosing it would save a new
        # answer, which an undo could then not take back
        self.on_reset(lambda: self.look(choose=False))
        self.look()

    def compose(self) -> list[widgets.Widget]:
        """The form with the weakest dimension and the drop-down under its heading."""
        heading, rest = list(self.heading), super().compose()[len(self.heading) :]
        return [*heading, self.weakest, widgets.HBox([self.dropdown, self.check_button]), *rest]

    def weakest_dimension(self) -> frameworks.PartnershipDimension | None:
        """The weakest dimension of the stored self-assessment, or None before rating."""
        ratings = self.store.get(AnswerKey(self.notebook, self.ratings_from, "ratings"))
        if not isinstance(ratings, dict):
            return None
        try:
            return weakest_dimension(ratings)
        except ValueError:
            return None

    def look(self, _button: Any = None, *, choose: bool = True) -> None:
        """Name the weakest dimension; with ``choose``, choose it if none is chosen yet."""
        weak = self.weakest_dimension()
        if weak is None:
            self.weakest.value = live_region(
                "Rate the statements in the self-assessment above, then press "
                "'Check my ratings again' to find your weakest dimension.",
                "info",
            )
            return
        self.weakest.value = live_region(
            f"Your weakest dimension is {weak.label}: {weak.meaning}", "info"
        )
        if choose and not self.dropdown.value:
            self.dropdown.value = weak.key


def action_plan(binding: Binding, *, ratings_from: str = "self_assessment") -> ActionPlan:
    """The action plan for the weakest dimension (see :class:`ActionPlan`)."""
    return ActionPlan(binding, ratings_from=ratings_from)
