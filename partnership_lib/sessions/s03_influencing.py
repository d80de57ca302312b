"""Notebook 03, Influencing and Negotiation: its tables and exercise builders.

The builders here compose the library's exercise widgets, plots and content into the
activities of the third session: rating one relationship on the six qualities of the
Mobius Model (Demarest et al 2004) with the map shaded as the learner rates, the
role-play of Activity 5 (roles, agenda, scribe's notes, reflection in role), the roles
that support change, the principles of representation, and a partnership
self-assessment whose weakest dimension becomes an action plan.

Our own content (prompts for each conversation, the role-play agenda, the
self-assessment items) lives in ``data/influencing.yaml``. Static tables are returned
as :class:`~partnership_lib.core.html.HTMLBlock` objects so strict nbval can compare them.
Builders return widgets and never call ``display``. The live Mobius map is drawn on one
long-lived figure that pyplot does not hold, and only once something has been rated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from partnership_lib.core import content
from partnership_lib.core.html import HTMLBlock, escape
from partnership_lib.core.store import AnswerKey
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import ScoreBand, load_bands
from partnership_lib.models.mobius import (
    QUALITY_KEYS,
    mobius_model,
    next_conversation,
    plot_mobius_map,
)
from partnership_lib.models.partnership_assessment import assessment_items, weakest_dimension
from partnership_lib.widgets.base import (
    Binding,
    Exercise,
    live_region,
)
from partnership_lib.widgets.checklist import checklist
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.text import FormField, question_form, text_form, text_prompt

__all__ = [
    "SCENARIO_MEMBERS_KEY",
    "AgendaItem",
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


def think_about() -> list[str]:
    """The workbook's THINK ABOUT prompt for this session (after the Mobius Model)."""
    return [t.prompt for t in frameworks.think_about() if t.key == "mobius_next_activity"]


# --------------------------------------------------------------------------- static HTML


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str) -> str:
    th = "".join(f'<th scope="col" style="text-align:left">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            (
                f'<th scope="row" style="text-align:left;vertical-align:top">{cell}</th>'
                if i == 0
                else f'<td style="text-align:left;vertical-align:top">{cell}</td>'
            )
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


def mobius_qualities_html() -> HTMLBlock:
    """The six qualities of the Mobius Model and what each means, as a table."""
    model = mobius_model()
    rows = [(f"{q.order}. {escape(q.name)}", escape(q.meaning)) for q in model.qualities]
    return HTMLBlock(
        _table(
            ("Quality", "It is present when"),
            rows,
            caption=f"The six qualities of a relationship ({model.source})",
        ),
        f"The six qualities of a relationship ({model.source}). "
        + " ".join(f"{q.order}. {q.name}: {q.meaning}" for q in model.qualities),
    )


def roles_html() -> HTMLBlock:
    """The five role-play roles of Activity 5 and what each person stands for."""
    roles = frameworks.meeting_roles()
    return HTMLBlock(
        _table(
            ("Role", "Who they are"),
            [(escape(r.label), escape(r.description)) for r in roles],
            caption="Roles for the partnership meeting",
        ),
        "Roles for the partnership meeting. "
        + " ".join(f"{r.label}: {r.description}" for r in roles),
    )


def agenda_html() -> HTMLBlock:
    """The role-play meeting's agenda as a numbered list."""
    title, items = meeting_agenda()
    lis = "".join(f"<li><strong>{escape(i.item)}.</strong> {escape(i.detail)}</li>" for i in items)
    return HTMLBlock(
        f'<div class="pl-agenda"><p><strong>{escape(title)}: agenda</strong></p><ol>{lis}</ol></div>',
        f"{title}: agenda. "
        + " ".join(f"{n}. {i.item}. {i.detail}" for n, i in enumerate(items, start=1)),
    )


def key_skill_areas_html() -> HTMLBlock:
    """The three key areas of development for partnership working (DETR 2000)."""
    areas = frameworks.key_skill_areas()
    parts = []
    texts = []
    for a in areas:
        factors = "".join(f"<li>{escape(f)}</li>" for f in a.factors)
        parts.append(
            f"<li><strong>{escape(a.label)}.</strong> {escape(a.summary)}<ul>{factors}</ul></li>"
        )
        texts.append(f"{a.label}: {a.summary} {'; '.join(a.factors)}.")
    cite = areas[0].citation
    return HTMLBlock(
        f'<div class="pl-skill-areas"><ul>{"".join(parts)}</ul><p><em>{escape(cite)}</em></p></div>',
        " ".join(texts) + f" ({cite})",
    )


def assessment_benefits_html() -> HTMLBlock:
    """The four benefits of assessing a partnership's performance (Markwell et al 2003)."""
    benefits = frameworks.assessment_benefits()
    items = "".join(
        f"<li><strong>{escape(b.label)}:</strong> {escape(b.meaning)}</li>" for b in benefits
    )
    cite = benefits[0].citation
    return HTMLBlock(
        f'<div class="pl-benefits"><ul>{items}</ul><p><em>{escape(cite)}</em></p></div>',
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
    prompts = "".join(f"<li>{escape(p)}</li>" for p in conversation_prompts()[quality.key])
    return (
        live_region(
            f"The next conversation to have is about {quality.name}: it is the first "
            "quality, in the model's order, that you rated as missing.",
            "info",
        )
        + f'<p class="pl-guidance">{escape(quality.name)} is present when: '
        f"{escape(quality.meaning)}</p>"
        f"<p><strong>Questions to open that conversation:</strong></p><ul>{prompts}</ul>"
    )


# --------------------------------------------------------------------------- live map


def _box(children: Sequence[widgets.Widget], kind: str) -> widgets.VBox:
    box = widgets.VBox(list(children))
    box.add_class("pl-exercise")
    box.add_class(f"pl-{kind}")
    return box


def _title(text: str) -> widgets.HTML:
    return widgets.HTML(f'<h4 class="pl-exercise-title">{escape(text)}</h4>')


_STYLE = {"description_width": "initial"}


def rate_relationship(binding: Binding) -> widgets.VBox:
    """Rate how present each Mobius quality is in one relationship; see the map shaded.

    A text box names the relationship (stored as ``relationship``) and a drop-down per
    quality rates it from 1 (missing) to 5 (fully present), stored together as
    ``ratings`` (quality key -> 1..5; unrated qualities are left out). The Mobius map is redrawn on one figure with the
    boxes shaded by score, and :func:`next_conversation_html` names the conversation to
    have next with prompts to open it. The map is only drawn once a quality is rated.
    Complete when the relationship is named and all six qualities are rated.
    """
    model = mobius_model()
    ex = Exercise(
        binding, kind="mobius_rating", title="Rate a relationship on the Mobius qualities"
    )
    relationship = widgets.Text(
        value="",
        description="Which relationship are you rating?",
        placeholder="For example: our team and the council's housing officers",
        continuous_update=True,
        style=_STYLE,
        layout=widgets.Layout(width="100%"),
    )
    options = [
        ("Not rated", 0),
        ("1 = missing", 1),
        ("2", 2),
        ("3 = partly there", 3),
        ("4", 4),
        ("5 = fully present", 5),
    ]
    drops: dict[str, widgets.Dropdown] = {}
    rows = []
    for q in model.qualities:
        dd = widgets.Dropdown(
            options=options,
            value=0,
            description=q.name,
            style=_STYLE,
            layout=widgets.Layout(width="22em"),
        )
        drops[q.key] = dd
        rows.append(
            widgets.HBox(
                [dd, widgets.HTML(f'<span class="pl-hint">{escape(q.meaning)}</span>')],
                layout=widgets.Layout(align_items="center"),
            )
        )
    chart = LiveChart(plot_mobius_map)
    advice = widgets.HTML()
    restoring = [False]

    def _ratings() -> dict[str, int]:
        return {k: dd.value for k, dd in drops.items() if dd.value}

    def _show() -> None:
        ratings = _ratings()
        if ratings:
            chart.show(qualities={k: ratings.get(k) for k in QUALITY_KEYS})
        else:
            chart.hide("Rate a quality and the Mobius map, shaded by your ratings, appears here.")
        advice.value = next_conversation_html(ratings)

    def _sync_status() -> None:
        if relationship.value.strip() and len(_ratings()) == len(QUALITY_KEYS):
            ex.mark("complete")
        elif ex.get("_status") == "complete":
            ex.save("_status", "started")

    def _rated(_change=None) -> None:
        if restoring[0]:
            return
        if ex.save("ratings", _ratings()):
            _sync_status()
        _show()

    def _restore() -> None:
        stored = ex.get("ratings")
        keep = stored if isinstance(stored, dict) else {}
        restoring[0] = True
        try:
            for k, dd in drops.items():
                v = keep.get(k)
                dd.value = v if v in (1, 2, 3, 4, 5) and not isinstance(v, bool) else 0
        finally:
            restoring[0] = False
        _show()

    ex.bind(relationship, "relationship", on_change=lambda _v: _sync_status())
    _restore()
    for dd in drops.values():
        dd.observe(_rated, names="value")
    ex.on_reset(_restore)
    box = _box(
        [
            _title("Rate a relationship on the Mobius qualities"),
            relationship,
            widgets.HTML(
                "<p>How present is each quality in this relationship? "
                "1 means it is missing; 5 means it is fully present.</p>"
            ),
            *rows,
            advice,
            chart,
            ex.status,
            ex.reset_bar(),
        ],
        "mobius-rating",
    )
    box.exercise, box.relationship, box.dropdowns, box.chart, box.advice = (
        ex,
        relationship,
        drops,
        chart,
        advice,
    )
    return box


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


def role_reflection(binding: Binding) -> widgets.VBox:
    """Reflection on Activity 5: the seven questions, answered for each role.

    A drop-down chooses the role; the seven text boxes below it then show and save that
    role's answers. Each role's answers are stored as one field named by the role key,
    holding question key -> text. Complete when every question is answered for at
    least one role.
    """
    roles = frameworks.meeting_roles()
    questions = frameworks.reflection_questions()
    ex = Exercise(binding, kind="role_reflection", title="Reflecting in role")
    choose = widgets.Dropdown(
        options=[(r.label, r.key) for r in roles],
        value=roles[0].key,
        description="Answer for the role of",
        style=_STYLE,
    )
    areas: dict[str, widgets.Textarea] = {}
    rows = []
    for q in questions:
        area = widgets.Textarea(
            rows=2,
            continuous_update=True,
            layout=widgets.Layout(width="100%"),
            tooltip=q.text,
            # the accessible name (a real <label for>); the question is shown above
            description=q.text,
            style={"description_width": "0px"},
        )
        areas[q.key] = area
        rows.append(
            widgets.VBox(
                [
                    widgets.HTML(
                        f'<div class="pl-field-label"><strong>{escape(q.text)}</strong></div>'
                    ),
                    area,
                ],
                layout=widgets.Layout(margin="0 0 0.5em 0"),
            )
        )
    summary = widgets.HTML()
    loading = [False]

    def _stored(role: str) -> dict[str, str]:
        v = ex.get(role)
        return {k: t for k, t in v.items() if isinstance(t, str)} if isinstance(v, dict) else {}

    def _refresh() -> None:
        parts = []
        full = False
        for r in roles:
            answers = _stored(r.key)
            n = sum(bool(answers.get(q.key, "").strip()) for q in questions)
            full = full or n == len(questions)
            parts.append(f"{r.label} {n} of {len(questions)}")
        summary.value = (
            '<div class="pl-completeness"><strong>Questions answered: '
            f"{escape('; '.join(parts))}.</strong></div>"
        )
        if full:
            ex.mark("complete")
        elif ex.get("_status") == "complete":
            ex.save("_status", "started")

    def _load(_change=None) -> None:
        answers = _stored(choose.value)
        loading[0] = True
        try:
            for k, area in areas.items():
                area.value = answers.get(k, "")
        finally:
            loading[0] = False
        _refresh()

    def _typed(_change=None) -> None:
        if loading[0]:
            return
        value = {k: a.value for k, a in areas.items() if a.value}
        if ex.save(choose.value, value):
            if _stored(choose.value) and ex.get("_status") is None:
                ex.mark("started")
            _refresh()

    choose.observe(_load, names="value")
    for area in areas.values():
        area.observe(_typed, names="value")
    ex.on_reset(_load)
    _load()
    box = _box(
        [
            _title("Reflecting in role"),
            widgets.HTML(
                "<p>Choose a role, then answer the questions as someone in that role. "
                "Switch roles to answer for the others: each role's answers are kept.</p>"
            ),
            choose,
            *rows,
            summary,
            ex.status,
            ex.reset_bar(),
        ],
        "role-reflection",
    )
    box.exercise, box.dropdown, box.textareas, box.summary = ex, choose, areas, summary
    return box


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


def action_plan(
    binding: Binding,
    *,
    ratings_from: str = "self_assessment",
) -> widgets.VBox:
    """Turn the weakest dimension of the self-assessment into a short action plan.

    Reads the ratings stored by the exercise ``ratings_from`` of the same notebook and
    names the weakest dimension (:func:`weakest_dimension`); "Check my ratings again"
    looks again after more rating. A drop-down (stored as ``dimension``) holds the
    dimension to work on and three text fields hold what, who and by when. Complete
    when what, who and by when are all filled.
    """

    st = binding.store
    dims = frameworks.partnership_dimensions()
    by_key = {d.key: d for d in dims}
    form = text_form(
        binding,
        [
            FormField("what", "What will you do?", rows=2, optional=False),
            FormField("who", "Who will do it?", rows=1, optional=False),
            FormField("by_when", "By when?", rows=1, optional=False),
        ],
        title="Your action plan",
        item_name="part",
    )
    ex = form
    choose = widgets.Dropdown(
        options=[("Choose a dimension", ""), *[(d.label, d.key) for d in dims]],
        value="",
        description="Dimension to work on",
        style=_STYLE,
    )
    found = widgets.HTML()
    check = widgets.Button(
        description="Check my ratings again", icon="refresh", layout=widgets.Layout(width="auto")
    )

    def _weakest() -> frameworks.PartnershipDimension | None:
        ratings = st.get(AnswerKey(binding.notebook, ratings_from, "ratings"))
        if not isinstance(ratings, dict):
            return None
        try:
            return weakest_dimension(ratings)
        except ValueError:
            return None

    def _look(_button=None) -> None:
        weak = _weakest()
        if weak is None:
            found.value = live_region(
                "Rate the statements in the self-assessment above, then press "
                "'Check my ratings again' to find your weakest dimension.",
                "info",
            )
            return
        found.value = live_region(f"Your weakest dimension is {weak.label}: {weak.meaning}", "info")
        if not choose.value:
            choose.value = weak.key

    ex.bind(choose, "dimension", from_store=lambda v: v if v in by_key else "")
    check.on_click(_look)
    ex.on_reset(_look)
    _look()
    form.children = [
        form.children[0],
        found,
        widgets.HBox([choose, check]),
        *form.children[1:],
    ]
    form.dropdown, form.weakest, form.check_button = choose, found, check
    return form
