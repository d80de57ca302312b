"""Notebook 03 builders: Mobius rating, Activity 5, change roles, self-assessment."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from partnership_lib.core import content
from partnership_lib.core.html import escape
from partnership_lib.core.store import STATUS_FIELD, AnswerKey, AnswerStore
from partnership_lib.models import frameworks, partnership_assessment
from partnership_lib.models.mobius import QUALITY_KEYS
from partnership_lib.sessions import s03_influencing as influencing
from partnership_lib.widgets.base import exercise_binding

NB = "03_test"
HOSTILE = ["<script>alert(1)</script>", "\"&'<>", "مرحبا \u202eevil", "🤝 ok", "nul\x00byte"]


@pytest.fixture
def store(tmp_path):
    with AnswerStore(tmp_path / "answers.sqlite3") as s:
        yield s


@pytest.fixture(autouse=True)
def _no_display(monkeypatch):
    import IPython.display

    def _refuse(*args, **kwargs):
        raise AssertionError("a builder called display()")

    monkeypatch.setattr(IPython.display, "display", _refuse)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def button(widget, description):
    (found,) = [
        w for w in walk(widget) if isinstance(w, widgets.Button) and w.description == description
    ]
    return found


def reset_and_confirm(widget):
    button(widget, "Reset this exercise").click()
    button(widget, "Yes, clear my answers").click()


def key(exercise, field):
    return f"{NB}/{exercise}/{field}"


def html_values(widget):
    return [w.value for w in walk(widget) if isinstance(w, widgets.HTML)]


def score_text(ax, quality):
    (text,) = [t for t in ax.texts if t.get_gid() == f"quality-score:{quality}"]
    return text.get_text()


# --------------------------------------------------------------------------- content


def test_conversation_prompts_cover_every_quality_in_order():
    prompts = influencing.conversation_prompts()
    assert tuple(prompts) == QUALITY_KEYS
    assert all(len(p) >= 2 for p in prompts.values())


def test_conversation_prompts_reject_unknown_quality(content_copy):
    path = content_copy / "influencing.yaml"
    path.write_text(path.read_text().replace("- quality: capability", "- quality: ability"))
    content.clear_cache()
    with pytest.raises(ValueError, match=r"influencing.*ability"):
        influencing.conversation_prompts()


def test_conversation_prompts_need_every_quality(content_copy):
    path = content_copy / "influencing.yaml"
    text = path.read_text()
    start = text.index("  - quality: acknowledgement")
    end = text.index("meeting_agenda:")
    path.write_text(text[:start] + text[end:])
    content.clear_cache()
    with pytest.raises(ValueError, match=r"influencing.*acknowledgement"):
        influencing.conversation_prompts()


def test_assessment_items_four_to_six_per_dimension_in_order():
    items, groups = partnership_assessment.assessment_items()
    dims = frameworks.partnership_dimensions()
    assert [g for g, _ in groups] == [d.label for d in dims]
    assert all(4 <= len(keys) <= 6 for _, keys in groups)
    assert [k for _, keys in groups for k in keys] == [k for k, _ in items]
    assert len({k for k, _ in items}) == len(items)


def test_assessment_items_reject_unknown_dimension(content_copy):
    path = content_copy / "influencing.yaml"
    path.write_text(path.read_text().replace("- dimension: trust", "- dimension: faith"))
    content.clear_cache()
    with pytest.raises(ValueError, match=r"influencing.*faith"):
        partnership_assessment.assessment_items()


def test_meeting_agenda_and_bands():
    title, items = influencing.meeting_agenda()
    assert title and len(items) >= 4
    assert items[0].key == "welcome"
    bands = influencing.representation_bands()
    assert bands[0].min_fraction == 0


def test_agenda_item_rejects_blank_text():
    with pytest.raises(ValueError, match="detail"):
        influencing.AgendaItem("x", "Item", " ")


# --------------------------------------------------------------------------- pure logic


def test_weakest_dimension_lowest_mean_and_first_on_tie():
    assert partnership_assessment.weakest_dimension({}) is None
    assert partnership_assessment.weakest_dimension(None) is None
    got = partnership_assessment.weakest_dimension(
        {"shared_vision": 4, "more_together": 2, "mutual_support": 2, "review_regularly": 5}
    )
    assert got.key == "trust"  # leadership 3.0, trust 2.0, learning 5.0
    tie = partnership_assessment.weakest_dimension({"shared_vision": 3, "mutual_support": 3})
    assert tie.key == "leadership"
    only_unknown = partnership_assessment.weakest_dimension({"not_an_item": 1})
    assert only_unknown is None


@pytest.mark.parametrize("bad", [0, 6, "3", True])
def test_weakest_dimension_rejects_bad_rating_naming_item(bad):
    with pytest.raises(ValueError, match="shared_vision"):
        partnership_assessment.weakest_dimension({"shared_vision": bad})


def test_next_conversation_html():
    assert "Rate the qualities" in influencing.next_conversation_html({})
    html = influencing.next_conversation_html({"mutual_understanding": 5, "commitment": 1})
    assert "about Commitment" in html
    assert "Of everything we could do, what should come first?" in html
    partial = influencing.next_conversation_html({"possibility": 4})
    assert "5 qualities are still to rate" in partial
    full = influencing.next_conversation_html(dict.fromkeys(QUALITY_KEYS, 4))
    assert "No quality is missing" in full


# --------------------------------------------------------------------------- static HTML


def test_static_blocks_carry_the_facts():
    q = influencing.mobius_qualities_html()
    assert "Mutual understanding" in q.html and "Acknowledgement" in q.text
    assert "Demarest et al 2004" in q.text
    roles = influencing.roles_html()
    assert all(r.label in roles.text for r in frameworks.meeting_roles())
    agenda = influencing.agenda_html()
    assert "<ol>" in agenda.html and "Welcome and introductions" in agenda.text
    skills = influencing.key_skill_areas_html()
    assert "DETR 2000" in skills.text and "Breaking down barriers" in skills.html
    benefits = influencing.assessment_benefits_html()
    assert all(b.label in benefits.text for b in frameworks.assessment_benefits())
    assert influencing.think_about() == ["How might you use this model in the next activity?"]


# --------------------------------------------------------------------------- rate a relationship


def test_rate_relationship_saves_shades_the_map_and_suggests_a_conversation(store):
    w = influencing.rate_relationship(exercise_binding(NB, "rr", store=store))
    assert "<img" not in w.chart.value  # lazy until something is rated
    assert w.chart.figure is None
    assert w.dropdowns["possibility"].label == "Not rated"  # a visible choice, not blank
    w.dropdowns["possibility"].value = 2
    assert store.get(key("rr", "ratings")) == {"possibility": 2}
    assert "<img" in w.chart.value
    assert score_text(w.chart.ax, "possibility") == "2 of 5 · barely there"
    assert score_text(w.chart.ax, "commitment") == "not rated"
    assert "about Possibility" in w.advice.value
    first = w.chart.value
    fig = w.chart.figure
    w.dropdowns["possibility"].value = 5
    assert w.chart.figure is fig and w.chart.value != first
    assert score_text(w.chart.ax, "possibility") == "5 of 5 · fully present"


def test_rate_relationship_complete_restore_reset_undo(store):
    w = influencing.rate_relationship(exercise_binding(NB, "rr", store=store))
    w.relationship.value = "PCT and council"
    for k in QUALITY_KEYS:
        w.dropdowns[k].value = 4
    assert store.get(key("rr", STATUS_FIELD)) == "complete"
    again = influencing.rate_relationship(exercise_binding(NB, "rr", store=store))
    assert again.relationship.value == "PCT and council"
    assert {k: d.value for k, d in again.dropdowns.items()} == dict.fromkeys(QUALITY_KEYS, 4)
    assert "No quality is missing" in again.advice.value
    reset_and_confirm(again)
    assert store.get(key("rr", "ratings")) is None
    assert all(d.value == 0 for d in again.dropdowns.values())
    assert again.relationship.value == ""
    button(again, "Undo reset").click()
    assert again.dropdowns["capability"].value == 4
    assert score_text(again.chart.ax, "capability") == "4 of 5 · mostly there"


@pytest.mark.parametrize("text", HOSTILE)
def test_rate_relationship_hostile_name_round_trips(store, text):
    w = influencing.rate_relationship(exercise_binding(NB, "rr", store=store))
    w.relationship.value = text
    assert store.get(key("rr", "relationship")) == text
    assert all("<script>" not in v for v in html_values(w))


def test_rate_relationship_ignores_damaged_stored_ratings(store):
    store.save(AnswerKey(NB, "rr", "ratings"), {"possibility": 9, "commitment": True, "x": 1})
    w = influencing.rate_relationship(exercise_binding(NB, "rr", store=store))
    assert all(d.value == 0 for d in w.dropdowns.values())


def test_rate_relationship_figures_do_not_pile_up(store):
    w = influencing.rate_relationship(exercise_binding(NB, "rr", store=store))
    w.dropdowns["commitment"].value = 1
    before = len(plt.get_fignums())
    for i in range(50):
        w.dropdowns["commitment"].value = i % 5 + 1
    assert len(plt.get_fignums()) == before


# --------------------------------------------------------------------------- Activity 5


def test_role_allocation_has_a_field_per_role_with_its_description(store):
    w = influencing.role_allocation(exercise_binding(NB, "ra", store=store))
    roles = frameworks.meeting_roles()
    assert list(w.textareas) == [r.key for r in roles]
    assert any(escape(roles[0].description) in v for v in html_values(w))
    w.textareas["academic"].value = "Sam"
    assert store.get(key("ra", "academic")) == "Sam"


def test_role_reflection_keeps_answers_per_role(store):
    w = influencing.role_reflection(exercise_binding(NB, "rf", store=store))
    questions = frameworks.reflection_questions()
    assert list(w.textareas) == [q.key for q in questions]
    w.textareas["feel"].value = "Nervous"
    assert store.get(key("rf", "partnership_facilitator")) == {"feel": "Nervous"}
    w.dropdown.value = "academic"
    assert w.textareas["feel"].value == ""
    assert store.get(key("rf", "academic")) is None  # switching role saves nothing
    w.textareas["barriers"].value = "Time"
    assert store.get(key("rf", "academic")) == {"barriers": "Time"}
    w.dropdown.value = "partnership_facilitator"
    assert w.textareas["feel"].value == "Nervous"
    assert "Partnership facilitator 1 of 7" in w.summary.value
    assert store.get(key("rf", STATUS_FIELD)) != "complete"
    for q in questions:
        w.textareas[q.key].value = f"answer {q.key}"
    assert store.get(key("rf", STATUS_FIELD)) == "complete"
    again = influencing.role_reflection(exercise_binding(NB, "rf", store=store))
    assert again.textareas["needs"].value == "answer needs"


def test_role_reflection_reset_undo_and_hostile_text(store):
    w = influencing.role_reflection(exercise_binding(NB, "rf", store=store))
    for text in HOSTILE:
        w.textareas["feel"].value = text
        assert store.get(key("rf", "partnership_facilitator")) == {"feel": text}
        assert all("<script>" not in v for v in html_values(w))
    reset_and_confirm(w)
    assert store.get(key("rf", "partnership_facilitator")) is None
    assert w.textareas["feel"].value == ""
    button(w, "Undo reset").click()
    assert w.textareas["feel"].value == HOSTILE[-1]


def test_meeting_notes_and_group_feedback_save(store):
    notes = influencing.meeting_notes(exercise_binding(NB, "mn", store=store))
    notes.textarea.value = "Agreed priorities"
    assert store.get(key("mn", "text")) == "Agreed priorities"
    fb = influencing.group_feedback_form(exercise_binding(NB, "gf", store=store))
    assert list(fb.textareas) == [q.key for q in frameworks.group_feedback_questions()]


# --------------------------------------------------------------------------- change roles


def test_change_roles_form_shows_scenario_members_escaped(store):
    store.save(influencing.SCENARIO_MEMBERS_KEY, "<b>PCT</b> & council")
    w = influencing.change_roles_form(exercise_binding(NB, "cr", store=store))
    assert list(w.textareas) == [r.key for r in frameworks.change_roles()]
    joined = "".join(html_values(w))
    assert "&lt;b&gt;PCT&lt;/b&gt; &amp; council" in joined
    assert "<b>PCT</b>" not in joined
    w.textareas["change_agent"].value = "Jo"
    assert store.get(key("cr", "change_agent")) == "Jo"


def test_change_roles_form_without_scenario_says_where_to_list_members(store):
    w = influencing.change_roles_form(exercise_binding(NB, "cr", store=store))
    assert any("step 3 of notebook 00" in v for v in html_values(w))


# --------------------------------------------------------------------------- checklists and ratings


def test_representation_checklist_and_self_assessment_build(store):
    rep = influencing.representation_checklist(exercise_binding(NB, "rep", store=store))
    assert any("Accountability" in getattr(w, "description", "") for w in walk(rep))
    sa = influencing.self_assessment(exercise_binding(NB, "sa", store=store))
    assert "pl-rating" in sa._dom_classes


def test_action_plan_names_the_weakest_dimension_and_saves(store):
    store.save(AnswerKey(NB, "sa", "ratings"), {"shared_vision": 5, "review_regularly": 1})
    w = influencing.action_plan(exercise_binding(NB, "ap", store=store), ratings_from="sa")
    assert "weakest dimension is Learning" in w.weakest.value
    assert w.dropdown.value == "learning"
    assert store.get(key("ap", "dimension")) == "learning"
    for field, text in (("what", "Review quarterly"), ("who", "Chair"), ("by_when", "June")):
        w.textareas[field].value = text
    assert store.get(key("ap", STATUS_FIELD)) == "complete"


def test_action_plan_before_rating_and_check_again(store):
    w = influencing.action_plan(exercise_binding(NB, "ap", store=store), ratings_from="sa")
    assert "Rate the statements" in w.weakest.value
    assert w.dropdown.value == ""
    assert w.dropdown.label == "Choose a dimension"
    store.save(AnswerKey(NB, "sa", "ratings"), {"mutual_support": 1, "shared_vision": 3})
    button(w, "Check my ratings again").click()
    assert "weakest dimension is Trust" in w.weakest.value
    assert w.dropdown.value == "trust"
    w.dropdown.value = "leadership"  # the learner may choose another
    button(w, "Check my ratings again").click()
    assert w.dropdown.value == "leadership"
