"""The workbook's lists and tables: counts, exact labels, cross-references, bad content."""

from __future__ import annotations

import csv
import dataclasses
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from _helpers import WORKBOOK, WORKBOOK_MISSING, edit_yaml

from partnership_lib.core.content import ContentError
from partnership_lib.models import frameworks

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"

# The workbook's Activity 1 list (McNamara 2005). It has 39 items.
MCNAMARA_SKILLS = [
    "initiating",
    "consulting",
    "revising",
    "expressing",
    "describing",
    "clarifying",
    "requesting",
    "linking",
    "seeking alternative views",
    "suggesting",
    "solution finding",
    "questioning",
    "providing feedback",
    "evaluating differing viewpoints",
    "informing",
    "presenting",
    "supporting",
    "developing",
    "planning",
    "delegating",
    "evaluating outcomes",
    "promoting",
    "listening",
    "openness",
    "non-abrasiveness",
    "non-judgemental",
    "tolerance",
    "genuineness",
    "consistency",
    "objective",
    "self-reflection",
    "respect",
    "trust",
    "honesty",
    "humility",
    "fairness",
    "justice",
    "empathy",
    "liking of people",
]


# --- skills and teams -----------------------------------------------------------------


def test_skills_are_mcnamaras_list_in_order():
    skills = frameworks.skills()
    assert len(skills) == 39
    assert [s.label.lower() for s in skills] == MCNAMARA_SKILLS
    assert skills[0].label == "Initiating"
    assert skills[-1].label == "Liking of people"
    assert [s.position for s in skills] == list(range(1, 40))
    assert {s.citation for s in skills} == {"McNamara 2005"}
    assert len({s.key for s in skills}) == 39
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", s.key) for s in skills)


@pytest.mark.skipif(WORKBOOK is None, reason=WORKBOOK_MISSING)
def test_skills_match_the_workbook_text():
    text = WORKBOOK.read_text(encoding="utf-8")
    match = re.search(r"^Initiating, (.*?) \(\*McNamara 2005\*\)\.$", text, re.MULTILINE)
    assert match, "Activity 1 skills line not found in the workbook"
    listed = ["initiating", *match.group(1).split(", ")]
    assert [s.label.lower() for s in frameworks.skills()] == listed


def test_skill_groups_are_ours_and_cover_every_skill_once():
    groups = frameworks.skill_groups()
    assert [g.label for g in groups] == [
        "Communication",
        "Process and task",
        "Personal qualities and values",
    ]
    grouped = [key for g in groups for key in g.skills]
    assert sorted(grouped) == sorted(s.key for s in frameworks.skills())
    assert all("our own" in g.basis for g in groups)
    assert "our own" in frameworks.note("skill_groups")
    qualities = frameworks.skill_group("qualities").skills
    assert qualities[0] == "openness"
    assert qualities[-1] == "liking_of_people"
    assert "listening" in frameworks.skill_group("communication").skills


def test_skill_lookup():
    assert frameworks.skill("seeking_alternative_views").label == "Seeking alternative views"
    with pytest.raises(ValueError, match=r"unknown skill 'charisma'; known: 'initiating'"):
        frameworks.skill("charisma")
    with pytest.raises(ValueError, match=r"unknown skill group 'values'; known: .*'qualities'"):
        frameworks.skill_group("values")


def test_key_skill_areas():
    areas = frameworks.key_skill_areas()
    assert [a.label for a in areas] == [
        "Improving understanding",
        "New skills and competencies",
        "Breaking down barriers",
    ]
    assert {a.citation for a in areas} == {"DETR 2000"}
    assert "trust between partners" in areas[0].factors
    assert "skills in consensus building" in areas[1].factors


def test_team_traits_are_the_fourteen_pairs_in_order():
    traits = frameworks.team_traits()
    assert len(traits) == 14
    assert [(t.collaborative, t.hierarchical) for t in traits] == [
        ("Members given equal value / status", "Members not given equal value"),
        ("Members have equal say", "Dominated by minority / team leader"),
        ("Informal", "Formal"),
        ("Task-centred objectives", "Personal objectives"),
        ("Conflict of ideas", "Personal conflict"),
        ("Comfortable, relaxed", "Stiff, hostile"),
        ("Clarity of purpose", "Confusion"),
        ("Enjoyable", "Tense, fearful"),
        ("Enthusiasm", "Resentment, boredom"),
        ("Pleasant", "Nasty, aggressive"),
        ("Cooperative", "Competitive"),
        ("Harmonious", "Adversarial, confrontational"),
        ("Supportive", "Individualistic"),
        ("Group commitment, loyalty", "Self-interest"),
    ]


# --- understanding collaboration ---------------------------------------------------------


def test_collaboration_reasons():
    reasons = frameworks.collaboration_reasons()
    assert [r.label for r in reasons] == [
        "Collaboration is happening",
        "Collaboration is valuable",
        "Collaboration is difficult",
    ]
    assert {r.citation for r in reasons} == {"Huxham and Vangen 1996"}
    assert reasons[1].motives == ("the self-interest motivation", "the moral imperative")
    assert reasons[0].motives == ()


def test_partnership_definitions():
    assert [(d.term, d.citation) for d in frameworks.partnership_definitions()] == [
        ("Partner", "Pratt et al 1998"),
        ("Partnership", "Audit Commission 2005"),
        ("Multi-sectoral Partnership", "Wilson and Charlton 1997"),
        ("Alliance", "Elliott and Jackson 1998"),
    ]


def test_benefit_groups():
    groups = frameworks.benefit_groups()
    assert [(g.label, len(g.items)) for g in groups] == [
        ("Greater Impact", 3),
        ("More Resources", 2),
        ("New and Better Ways", 3),
        ("Spread Risks", 2),
        ("Reduce/Share Costs", 2),
    ]
    assert "strengthened negotiating power" in groups[1].items
    assert "pool resources" in groups[4].items
    assert frameworks.note("benefit_groups") == (
        "Achieving more than individual partners can achieve on their own"
    )


def test_policy_shifts_keep_the_workbook_headings():
    shifts = frameworks.policy_shifts()
    assert [(s.decade, s.business.heading, s.social.heading) for s in shifts] == [
        ("1970s", "Conglomerates", "Central Planning"),
        ("1980s", "Single focused organisations", "Contracting Out"),
        ("1990s", "Networks", "Partnerships"),
        ("2000s", "Value Creation", "Strategic Partnering"),
    ]
    assert {s.citation for s in shifts} == {"Jupp 2000"}
    assert "BP" in shifts[0].business.description
    assert "IBM" in shifts[1].business.description
    assert "Silicon Valley" in shifts[2].business.description
    assert "Next Steps agencies" in shifts[1].social.description


def test_growth_facts():
    facts = frameworks.growth_facts()
    assert [f.figure for f in facts] == [
        "more than 5500 partnerships",
        "£4bn",
        "Section 2 of the Local Government Act 2000",
        "Section 31 of the Health Act 1999",
    ]
    assert {f.citation for f in facts} == {"Audit Commission 2005"}
    assert "5500" in facts[0].statement
    assert "£4bn" in facts[1].statement


def test_typologies_table():
    rows = frameworks.typologies()
    assert [(t.form, t.who, t.citation) for t in rows] == [
        ("Intersectoral action", "A coalition of two or more parties", "Fortin et al 1994:15"),
        (
            "Cooperation",
            "Different organisations and public sectors",
            "Hutchinson and Campbell 1998:14",
        ),
        ("Coordination", None, "Hutchinson and Campbell 1998:14"),
        ("Collaboration", "Group of autonomous stakeholders", "Wood and Gray 1991:146"),
        (
            "Joint Working",
            "Different organisations and public sectors",
            "Costongs and Springett 1997:10",
        ),
        (
            "Cross-sectoral partnership",
            "Three or more organisations",
            "Wilson and Charlton 1997:10",
        ),
        ("Local Strategic Partnership", None, "DETR 2000b/c"),
    ]
    assert rows[0].abbreviation == "ISA"
    assert rows[0].processes == "Co-operation"
    assert all(t.aim and t.processes for t in rows)
    assert frameworks.typology("joint_working").form == "Joint Working"
    with pytest.raises(ValueError, match=r"unknown typology 'merger'; known: .*'cooperation'"):
        frameworks.typology("merger")


# --- programmes ----------------------------------------------------------------------------

PROGRAMME_FIGURES = {
    "Health Action Zones": [
        "26 zones",
        "over 13 million people",
        "34 health authorities and 73 local authorities",
        "1998",
        "seven-year",
    ],
    "Healthy Living Centres": ["£200 million", "National Lottery", "1999"],
    "Community Safety Partnerships": ["April 1999", "every three years"],
    "New Deal for Communities": ["£2bn", "39 partnerships", "17 pathfinder", "22 in 1999"],
    "Sure Start Children Centre Partnership Boards": [
        "1000 centres",
        "September 2006",
        "3,500 centres by 2010",
        "£3.2million",
        "2004/08",
    ],
    "Partnerships for Older People Projects (POPP)": [
        "522 organisations",
        "29 local authority-led POPP sites",
        "April 2006",
        "4%",
    ],
    "The Compact": [
        "400 Local Compact Champions",
        "All but 11 local authority areas",
        "10th anniversary",
        "2008",
    ],
}


def test_programmes_table():
    frame = frameworks.programmes()
    assert list(frame.columns) == list(frameworks.PROGRAMME_COLUMNS)
    assert list(frame["programme"]) == list(PROGRAMME_FIGURES)
    assert str(frame["start_year"].dtype) == "int64"
    assert list(frame["start_year"]) == [1998, 1999, 1999, 1998, 2004, 2006, 1998]
    for _, row in frame.iterrows():
        text = " ".join(row[c] for c in ("aim", "target", "participation_funding", "timing"))
        for figure in PROGRAMME_FIGURES[row["programme"]]:
            assert figure.lower() in text.lower(), f"{row['programme']}: {figure!r} missing"
        assert all(row[c].strip() for c in frameworks.PROGRAMME_COLUMNS[:6])
    sources = dict(zip(frame["programme"], frame["source"], strict=True))
    assert sources["Health Action Zones"] == "DoH 1997b; DoH 1998"
    assert sources["New Deal for Communities"] == "DETR 1998; DETR 1999"
    assert sources["Sure Start Children Centre Partnership Boards"] == "NAO 2006"


def test_programmes_since_filters_by_start_year():
    frame = frameworks.programmes(since=2000)
    assert list(frame["programme"]) == [
        "Sure Start Children Centre Partnership Boards",
        "Partnerships for Older People Projects (POPP)",
    ]
    assert list(frame.index) == [0, 1]
    assert len(frameworks.programmes(since=2010)) == 0
    with pytest.raises(ValueError, match=r"since must be a year.*'2000'"):
        frameworks.programmes(since="2000")


# --- successful partnerships --------------------------------------------------------------


def test_success_sources():
    sources = frameworks.success_sources()
    assert [(s.citation, s.sector) for s in sources] == [
        ("Powell 1992", "Health & Local Government"),
        ("DoH 1993", "Health Sector"),
        ("Taylor 1997", "Voluntary Sector & Local Government"),
        ("Wilcox 1998", "Development Trusts for urban & regeneration programmes"),
        ("Home Office 2008", "Crime Reduction Partnerships"),
    ]
    assert [len(s.items) for s in sources] == [7, 6, 7, 7, 7]
    assert [i.label for i in sources[0].items] == [
        "Active core of individuals",
        "Shared understanding",
        "Informal networks and links",
        "Provision of shared resources",
        "Continuing dialogue",
        "Dedicated support",
        "Ability to learn",
    ]
    assert sources[3].note == "adapted by partnership.org.uk (2008)"
    assert sources[4].url == "http://www.crimereduction.homeoffice.gov.uk/partnerships50.htm"


def test_success_themes_reference_existing_items_and_cover_them_all():
    sources = {s.key: {i.key for i in s.items} for s in frameworks.success_sources()}
    themes = frameworks.success_themes()
    assert [t.key for t in themes] == [
        "shared_vision",
        "involvement",
        "trust_and_respect",
        "communication",
        "resources",
        "leadership",
        "learning",
    ]
    used = set()
    for theme in themes:
        assert "our own synthesis" in theme.basis
        assert theme.prompt.endswith("?")
        for source_key, item_key in theme.supported_by:
            assert item_key in sources[source_key], (theme.key, source_key, item_key)
            used.add((source_key, item_key))
        # A theme worth rating draws on more than one source.
        assert len({s for s, _ in theme.supported_by}) >= 3, theme.key
    every_item = {(s, i) for s, items in sources.items() for i in items}
    assert used == every_item


def test_success_theme_items_resolve_to_source_items():
    pairs = frameworks.success_theme_items("communication")
    assert [(s.citation, i.label) for s, i in pairs] == [
        ("Powell 1992", "Informal networks and links"),
        ("Powell 1992", "Continuing dialogue"),
        ("DoH 1993", "Communicating progress"),
        ("Wilcox 1998", "Management and communication"),
        ("Home Office 2008", "Good communication"),
    ]
    with pytest.raises(ValueError, match=r"unknown success theme 'money'; known: 'shared_vision'"):
        frameworks.success_theme("money")
    with pytest.raises(ValueError, match=r"unknown item of Powell 1992 'x'; known: 'active_core'"):
        frameworks.success_source("powell_1992").item("x")


# --- conflict and change -------------------------------------------------------------------


def test_conflict_categories_in_order():
    categories = frameworks.conflict_categories()
    assert [(c.number, c.label) for c in categories] == [
        (1, "lack or misunderstanding of policies, objectives and priorities"),
        (2, "inadequate resources to meet needs or demands"),
        (3, "incompatible structures and procedures, roles"),
        (4, "personal, historical and hidden issues"),
    ]


def test_conflict_perspectives():
    assert [p.citation for p in frameworks.conflict_perspectives()] == [
        "Weeks 1992",
        "Asvall in Taket 1988",
        "Brown 1993",
    ]


def test_change_orders_link_climate_and_culture():
    first, second = frameworks.change_orders()
    assert (first.label, first.lever, first.targets) == (
        "first order change",
        "climate",
        ("structure", "management practices", "systems"),
    )
    assert (second.label, second.lever, second.targets) == (
        "second order change",
        "culture",
        ("mission", "strategy"),
    )
    assert first.citation == second.citation == "Langley et al 1996"
    assert "harder" in frameworks.note("change_orders")


def test_change_activities_french_and_bell():
    activities = frameworks.change_activities()
    assert [(a.label, a.elements) for a in activities] == [
        ("motivating change", ("creating readiness for change", "overcoming resistance")),
        ("creating a vision", ("mission", "valued outcomes and conditions", "midpoint goals")),
        (
            "developing political support",
            (
                "assessing change agent power",
                "identifying key stakeholders",
                "influencing stakeholders",
            ),
        ),
        (
            "managing the transition",
            ("activity planning", "commitment planning", "management structures"),
        ),
        (
            "sustaining momentum",
            (
                "providing resources",
                "building support system for change agents",
                "developing new competencies and skills",
                "reinforcing new behaviours",
            ),
        ),
    ]
    assert {a.citation for a in activities} == {"French & Bell 1999"}


def test_change_management_definitions():
    assert [(d.number, d.label) for d in frameworks.change_management_definitions()] == [
        (1, "task of managing change"),
        (2, "area of professional practice"),
        (3, "body of knowledge"),
        (4, "control mechanism"),
    ]


def test_change_obstacles_and_gap():
    obstacles = frameworks.change_obstacles()
    assert [o.label for o in obstacles] == [
        "it always takes longer",
        "exaggerated expectations",
        "carping critics",
        "procrastination",
        "imperfections",
    ]
    assert {o.citation for o in obstacles} == {"Belasco 1990"}
    gap = frameworks.change_gap()
    assert (gap.current, gap.target, gap.citation) == (
        "where we are at the moment",
        "where we need to be",
        "Brenner 2008",
    )


def test_change_roles():
    assert [r.label for r in frameworks.change_roles()] == [
        "Change Initiator",
        "Change Agent",
        "Champion for Change",
        "Sponsor of Change",
    ]


def test_change_ingredients():
    groups = frameworks.change_ingredients()
    assert [(g.label, len(g.items)) for g in groups] == [
        ("Maintain Motivation", 5),
        ("Focus on vision and action plans", 4),
        ("Ensure Political Support", 3),
        ("Managing Transition", 3),
        ("Sustain Momentum", 3),
    ]
    assert {g.citation for g in groups} == {"McNamara 2005"}
    assert groups[0].items[0] == "Test for readiness before people undertake new activities"
    assert groups[-1].items[-1] == "Ensure supervisors delegate"


# --- representation and performance ------------------------------------------------------


def test_representation_principles():
    principles = frameworks.representation_principles()
    assert [p.label for p in principles] == [
        "Accountability",
        "Equality",
        "Leadership",
        "Openness",
        "Purpose",
        "Sustainability",
        "Values",
    ]
    assert {p.citation for p in principles} == {"CLG 2008b"}


def test_partnership_dimensions_and_assessment_benefits():
    assert [(d.number, d.label) for d in frameworks.partnership_dimensions()] == [
        (1, "Leadership"),
        (2, "Trust"),
        (3, "Learning"),
        (4, "Managing for performance"),
    ]
    benefits = frameworks.assessment_benefits()
    assert [b.label for b in benefits] == ["Opportunity", "Good practice", "Ownership", "Vision"]
    assert {b.citation for b in benefits} == {"Markwell et al 2003"}


# --- activities ---------------------------------------------------------------------------


def test_scenario_steps():
    steps = frameworks.scenario_steps()
    assert [(s.number, s.title) for s in steps] == [
        (1, "Naming your Partnership"),
        (2, "Partnership background"),
        (3, "Organisations, professionals involved"),
        (4, "Activities to be undertaken"),
        (5, "Problems and Dilemmas"),
        (6, "Current Communication"),
        (7, "Community Participation"),
        (8, "Current Approaches to Evaluation"),
        (9, "Skill Mix"),
        (10, "Ideas for the future"),
    ]
    assert all(q.endswith("?") for s in steps for q in s.questions)
    assert frameworks.scenario_step(9).title == "Skill Mix"
    with pytest.raises(ValueError, match=r"unknown scenario step 11; known: 1, 2, .*10"):
        frameworks.scenario_step(11)


def test_activity1_contexts_and_questions():
    assert [c.label for c in frameworks.activity1_contexts()] == [
        "Personal",
        "Professional",
        "Organisational",
        "Team",
        "Service User and Carer",
    ]
    questions = frameworks.activity1_questions()
    assert len(questions) == 4
    assert all(q.text.endswith("?") for q in questions)


def test_activity5_roles_and_questions():
    assert [r.label for r in frameworks.meeting_roles()] == [
        "Partnership facilitator",
        "Individual member",
        "Organisational representative",
        "Community representative",
        "An academic",
    ]
    assert len(frameworks.reflection_questions()) == 7
    assert [q.key for q in frameworks.group_feedback_questions()] == [
        "encouraged_discouraged",
        "do_differently",
    ]


def test_think_about_prompts():
    prompts = frameworks.think_about()
    assert [p.key for p in prompts] == [
        "challenges_and_change",
        "change_programmes",
        "mobius_next_activity",
    ]
    assert len(prompts[1].questions) == 5
    assert prompts[0].questions == ()


def test_feedback_activity_1():
    lists = frameworks.feedback(1)
    assert [(f.heading, len(f.items)) for f in lists] == [
        ("Positive experiences included", 3),
        ("Skills used included", 6),
        ("Difficulties with skills included", 7),
    ]
    assert lists[0].items[0] == "setting up a domestic violence forum"
    assert lists[2].items[-1] == "getting buy-in"
    assert {f.activity for f in lists} == {1}


def test_feedback_activity_2():
    opportunities, challenges = frameworks.feedback(2)
    assert (opportunities.heading, len(opportunities.items)) == ("Opportunities", 15)
    assert (challenges.heading, len(challenges.items)) == ("Challenges", 19)
    assert opportunities.items[0] == "Access to more resources through the LSP"
    assert challenges.items[-1] == "Budgets and finance"


def test_feedback_activity_5_is_headed_by_its_questions():
    lists = frameworks.feedback(5)
    questions = {q.key: q.text for q in frameworks.reflection_questions()}
    questions.update({q.key: q.text for q in frameworks.group_feedback_questions()})
    assert [f.key for f in lists] == [
        "feel",
        "knew_others",
        "opportunities",
        "encouraged_discouraged",
        "needs",
        "skills_resources",
        "direction",
        "barriers",
        "do_differently",
    ]
    assert all(f.heading == questions[f.key] for f in lists)
    assert [len(f.items) for f in lists] == [19, 4, 9, 7, 14, 9, 3, 11, 6]


@pytest.mark.parametrize("activity", [3, 0, True, "1"])
def test_feedback_for_unknown_activity(activity):
    with pytest.raises(
        ValueError, match=rf"no group feedback for activity {activity!r}; known: 1, 2, 5"
    ):
        frameworks.feedback(activity)


def test_note_lookup():
    for topic in ("typologies", "scenario_steps", "representation_principles", "success_themes"):
        assert frameworks.note(topic)
    with pytest.raises(ValueError, match=r"unknown note topic 'kolb'; known: 'skill_groups'"):
        frameworks.note("kolb")


# --- the models themselves ------------------------------------------------------------------


def test_models_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        frameworks.skills()[0].label = "Changed"


def _set(path: list, value):
    """An edit_yaml change that sets ``data[path[0]][path[1]]... = value``."""

    def change(data):
        node = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return change


# What the dataclasses used to refuse is now refused where the content is loaded, by
# the file's schema, naming the file, the entry and the field.
@pytest.mark.parametrize(
    ("name", "path", "value", "load", "entry", "field", "problem"),
    [
        (
            "skills",
            ["skills", 1, "label"],
            " ",
            frameworks.skills,
            "skills/consulting",
            "label",
            "must be non-empty text, got ' '",
        ),
        (
            "skills",
            ["skills", 1, "key"],
            "Bad Key",
            frameworks.skills,
            "skills/Bad Key",
            "key",
            "must be snake_case text (a-z, 0-9 and _, starting with a letter), got 'Bad Key'",
        ),
        (
            "conflict",
            ["categories", 0, "number"],
            True,
            frameworks.conflict_categories,
            "categories/policies_objectives_priorities",
            "number",
            "must be a whole number, got True",
        ),
        (
            "conflict",
            ["categories", 0, "number"],
            0,
            frameworks.conflict_categories,
            "categories/policies_objectives_priorities",
            "number",
            "must be a whole number of 1 or more, got 0",
        ),
        (
            "benefits",
            ["groups", 0, "items"],
            [],
            frameworks.benefit_groups,
            "groups/greater_impact",
            "items",
            "must not be empty",
        ),
        (
            "benefits",
            ["groups", 0, "items"],
            "pool resources",
            frameworks.benefit_groups,
            "groups/greater_impact",
            "items",
            "must be a list, got 'pool resources'",
        ),
        (
            "change",
            ["orders", "items", 0, "lever"],
            "weather",
            frameworks.change_orders,
            "orders/items/first_order",
            "lever",
            "must be 'climate' or 'culture', got 'weather'",
        ),
        (
            "success",
            ["themes", 0, "supported_by"],
            [],
            frameworks.success_themes,
            "themes/shared_vision",
            "supported_by",
            "must not be empty",
        ),
        (
            "success",
            ["themes", 0, "supported_by", 0],
            "powell_1992",
            frameworks.success_themes,
            "themes/shared_vision/supported_by",
            "0",
            "must look like 'powell_1992/active_core', got 'powell_1992'",
        ),
        (
            "policy",
            ["shifts", "decades", 0, "label"],
            "seventies",
            frameworks.policy_shifts,
            "shifts/decades/seventies",
            "label",
            "must look like '1970s', got 'seventies'",
        ),
        (
            "typologies",
            ["typologies", 1, "who"],
            "",
            frameworks.typologies,
            "typologies/cooperation",
            "who",
            "must be non-empty text, got ''",
        ),
        (
            "teams",
            ["traits", 2, "hierarchical"],
            "  ",
            frameworks.team_traits,
            "traits/formality",
            "hierarchical",
            "must be non-empty text, got '  '",
        ),
    ],
)
def test_bad_values_are_refused_naming_file_entry_and_field(
    content_copy: Path, name, path, value, load, entry, field, problem
):
    edit_yaml(content_copy / f"{name}.yaml", _set(path, value))
    with pytest.raises(ContentError) as info:
        load()
    err = info.value
    assert err.file == str(content_copy / f"{name}.yaml")
    assert (err.entry, err.field, err.problem) == (entry, field, problem)


def test_list_fields_are_stored_as_tuples():
    group = frameworks.benefit_groups()[0]
    assert isinstance(group.items, tuple) and group.items[0].startswith("increased benefits")
    assert isinstance(frameworks.success_themes()[0].supported_by[0], tuple)
    assert all(isinstance(s.questions, tuple) for s in frameworks.scenario_steps())
    assert hash(group) == hash(frameworks.benefit_groups()[0])  # frozen and hashable


# --- malformed content files -----------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_skill_group_names_file_entry_and_field(content_copy: Path):
    edit(
        content_copy / "skills.yaml",
        "label: Consulting, group: communication",
        "label: Consulting, group: talk",
    )
    with pytest.raises(ContentError) as info:
        frameworks.skills()
    err = info.value
    assert err.file.endswith("skills.yaml")
    assert (err.entry, err.field) == ("skills/consulting", "group")
    assert "unknown group 'talk'" in str(err)


def test_schema_violation_in_typologies(content_copy: Path):
    edit(
        content_copy / "typologies.yaml",
        "    aim: The organisations recognise that their missions fit together.\n",
        "",
    )
    with pytest.raises(ContentError) as info:
        frameworks.typologies()
    assert info.value.file.endswith("typologies.yaml")
    assert (info.value.entry, info.value.field) == ("typologies/coordination", "aim")
    assert "required field is missing" in str(info.value)


def test_extra_field_in_change_roles(content_copy: Path):
    edit(
        content_copy / "change.yaml",
        "  - key: change_agent\n",
        "  - key: change_agent\n    rank: 2\n",
    )
    with pytest.raises(ContentError, match=r"change\.yaml, entry 'roles/change_agent'.*'rank'"):
        frameworks.change_roles()


def test_duplicate_keys_are_rejected(content_copy: Path):
    edit(content_copy / "representation.yaml", "key: equality", "key: accountability")
    with pytest.raises(ContentError) as info:
        frameworks.representation_principles()
    assert (info.value.entry, info.value.field) == ("principles/accountability", "key")
    assert "duplicate key 'accountability'" in str(info.value)


def test_numbering_must_run_in_order(content_copy: Path):
    edit(content_copy / "conflict.yaml", "  - number: 3\n", "  - number: 5\n")
    with pytest.raises(ContentError) as info:
        frameworks.conflict_categories()
    assert (info.value.entry, info.value.field) == ("categories/incompatible_structures", "number")
    assert "expected 3, got 5" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "- powell_1992/ability_to_learn",
            "- powell_1992/wisdom",
            "unknown item 'wisdom' of 'powell_1992'",
        ),
        (
            "- powell_1992/ability_to_learn",
            "- plato_1992/ability_to_learn",
            "unknown source 'plato_1992'",
        ),
    ],
)
def test_theme_reference_to_unknown_item(content_copy: Path, old: str, new: str, message: str):
    edit(content_copy / "success.yaml", old, new)
    with pytest.raises(ContentError) as info:
        frameworks.success_themes()
    assert info.value.file.endswith("success.yaml")
    assert (info.value.entry, info.value.field) == ("themes/learning", "supported_by")
    assert message in str(info.value)


def test_feedback_question_must_exist(content_copy: Path):
    edit(content_copy / "feedback.yaml", "question: barriers", "question: obstacles")
    with pytest.raises(ContentError) as info:
        frameworks.feedback(5)
    assert (info.value.entry, info.value.field) == (
        "activities/activity_5/lists/barriers",
        "question",
    )
    assert "unknown question 'obstacles'" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("        heading: Skills used included\n", ""),
        (
            "        heading: Skills used included\n",
            "        heading: Skills\n        question: feel\n",
        ),
    ],
)
def test_feedback_list_needs_heading_or_question(content_copy: Path, old: str, new: str):
    edit(content_copy / "feedback.yaml", old, new)
    with pytest.raises(ContentError) as info:
        frameworks.feedback(1)
    assert info.value.file.endswith("feedback.yaml")
    assert (info.value.entry, info.value.field) == (
        "activities/activity_1/lists/skills_used",
        "heading",
    )
    assert "either a heading or a question" in str(info.value)


def _rewrite_programmes(copy: Path, programme: str, column: str, value: str) -> None:
    path = copy / "programmes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["programme"] == programme:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(frameworks.PROGRAMME_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("start_year", "late 1990s", "must be a four-digit year, got 'late 1990s'"),
        ("aim", "  ", "must not be empty"),
        ("programme", "Health Action Zones", "duplicate programme"),
    ],
)
def test_bad_programme_rows(content_copy: Path, column: str, value: str, message: str):
    _rewrite_programmes(content_copy, "New Deal for Communities", column, value)
    with pytest.raises(ContentError) as info:
        frameworks.programmes()
    err = info.value
    assert err.file.endswith("programmes.csv")
    expected_entry = "Health Action Zones" if column == "programme" else "New Deal for Communities"
    assert (err.entry, err.field) == (expected_entry, column)
    assert message in str(err)


def test_programmes_missing_column(content_copy: Path):
    path = content_copy / "programmes.csv"
    edit(
        path,
        "programme,source,aim,target,participation_funding,timing,start_year,url",
        "programme,source,aim,target,participation_funding,timing,year,url",
    )
    with pytest.raises(
        ContentError, match=r"programmes\.csv, entry 'header': missing column\(s\): start_year"
    ):
        frameworks.programmes()


# --- our own words -------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _normalise(text: str) -> str:
    """Lower-case, HTML and Markdown stripped, punctuation and whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text)).translate(_QUOTES).lower()
    return " ".join(re.sub(r"[^\w£%']+", " ", text).split())


def workbook_sentences(text: str, *, min_words: int = 12) -> list[str]:
    """Split the workbook into normalised sentences of at least ``min_words`` words.

    Table cells (tabs), HTML tags and line breaks end a sentence as well as ``.!?;``.
    """
    text = re.sub(r"<[^>]+>", "\n", html.unescape(text))
    sentences = []
    for fragment in re.split(r"[\n\t]+", text):
        for sentence in re.split(r"(?<=[.!?;])\s+", fragment):
            words = _normalise(sentence)
            if len(words.split()) >= min_words:
                sentences.append(words)
    return sentences


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def file_strings(path: Path) -> list[str]:
    """Every string value in a YAML or CSV content file."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return [cell for row in csv.reader(fh) for cell in row]
    return list(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))


def copied_sentences(sentences: list[str], strings: list[str]) -> list[str]:
    normalised = [_normalise(s) for s in strings]
    return sorted({s for s in sentences for value in normalised if s in value})


CONTENT_FILES = sorted(p for p in DATA.iterdir() if p.suffix in (".yaml", ".csv"))


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    if WORKBOOK is None:
        pytest.skip(WORKBOOK_MISSING)
    return workbook_sentences(WORKBOOK.read_text(encoding="utf-8"))


def test_sentence_check_catches_a_copy(sentences: list[str]):
    assert len(sentences) > 100
    planted = (
        "Intro. Dialogue requires the willingness to listen to understand others who see "
        "situations differently than we do and to share our points of view honestly until "
        "each feels understood."
    )
    assert copied_sentences(sentences, [planted, "Our own words here."])
    # Case, spacing and punctuation changes do not hide a copy.
    assert copied_sentences(sentences, [planted.upper().replace(" ", "  ").replace(",", "")])
    assert not copied_sentences(sentences, ["Listening to understand takes real effort."])


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.name)
def test_no_workbook_sentence_is_copied(sentences: list[str], path: Path):
    copies = copied_sentences(sentences, file_strings(path))
    assert not copies, f"{path.name} copies workbook sentences verbatim: {copies}"
