"""Notebook 01 builders: Activity 1 skills chart, purpose sliders, stage diagnosis, tables."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import button, walk
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from partnership_lib.core import content
from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.core.style import current_theme
from partnership_lib.models import frameworks, skills, stage_diagnosis
from partnership_lib.sessions import s01_concepts as concepts
from partnership_lib.widgets.base import exercise_binding

pytestmark = pytest.mark.usefixtures("no_display")


NB = "01_test"
HOSTILE = ["<script>alert(1)</script>", "\"&'<>", "مرحبا \u202eevil", "🤝 ok", "nul\x00byte"]


def reset_and_confirm(widget):
    button(widget, "Reset this exercise").click()
    button(widget, "Yes, clear my answers").click()


def key(exercise, field):
    return f"{NB}/{exercise}/{field}"


def bars(ax):
    return {
        p.get_gid().removeprefix("bar:"): p.get_width()
        for p in ax.patches
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("bar:")
    }


# --------------------------------------------------------------------------- skills chart


def test_skill_counts_count_contexts_not_clicks_and_sort_by_recurrence():
    sel = {
        "Personal": ["trust", "listening", "listening"],
        "Team": ["listening", "planning"],
        "Professional": ["listening", "trust"],
        "Organisational": [],
    }
    assert skills.skill_counts(sel) == [("listening", 3), ("trust", 2), ("planning", 1)]


def test_skill_counts_reject_unknown_skill_naming_context():
    with pytest.raises(ValueError, match=r"Team: unknown skill 'juggling'"):
        skills.skill_counts({"Team": ["juggling"]})
    with pytest.raises(ValueError, match="list of keys"):
        skills.skill_counts({"Team": "listening"})


def test_plot_skill_recurrence_draws_one_bar_per_skill_with_its_count():
    ax = skills.plot_skill_recurrence({"A": ["listening", "trust"], "B": ["listening"]})
    assert bars(ax) == {"listening": 2, "trust": 1}
    counts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert counts == {"count:listening": "2", "count:trust": "1"}
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert ticks["Listening"] > ticks["Trust"]  # most recurrent at the top
    (bar,) = [p for p in ax.patches if p.get_gid() == "bar:listening"]
    assert to_hex(bar.get_facecolor()) == to_hex(current_theme().accent)


def test_plot_skill_recurrence_caps_bars_and_says_so():
    keys = [s.key for s in frameworks.skills()][:20]
    ax = skills.plot_skill_recurrence({"A": keys})
    assert len(bars(ax)) == skills.MAX_BARS
    assert "5 more" in ax.get_title(loc="left")
    text = skills.describe_skill_recurrence({"A": keys})
    assert all(s.label in text for s in frameworks.skills()[:20])


def test_describe_skill_recurrence_groups_by_count():
    text = skills.describe_skill_recurrence({"A": ["listening", "trust"], "B": ["listening"]})
    assert "across 2 contexts" in text
    assert "Used in 2 contexts: Listening." in text
    assert "Used in 1 context: Trust." in text
    assert "no skills chosen" in skills.describe_skill_recurrence({"A": []})


def test_activity1_saves_examples_and_skills_and_redraws_the_chart(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    assert "pl-exercise" in w._dom_classes
    assert "<img" not in w.chart.value  # lazy: no picture before any choice
    w.selects["personal"].value = ("listening", "trust")
    w.selects["team"].value = ("listening",)
    w.textareas["team"].value = "Our <b>forum</b>"
    assert store.get(key("a1", "skills_personal")) == ["listening", "trust"]
    assert store.get(key("a1", "example_team")) == "Our <b>forum</b>"
    assert bars(w.chart.ax) == {"listening": 2, "trust": 1}
    assert "Used in 2 contexts: Listening" in w.chart.value
    # rebuild restores
    again = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    assert again.selects["personal"].value == ("listening", "trust")
    assert again.textareas["team"].value == "Our <b>forum</b>"
    assert bars(again.chart.ax) == {"listening": 2, "trust": 1}


def test_activity1_is_complete_when_every_context_has_example_and_skill(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    for c in frameworks.activity1_contexts():
        w.textareas[c.key].value = f"example {c.key}"
        assert store.get(key("a1", STATUS_FIELD)) != "complete"
        w.selects[c.key].value = ("trust",)
    assert store.get(key("a1", STATUS_FIELD)) == "complete"
    w.selects["team"].value = ()
    assert store.get(key("a1", STATUS_FIELD)) == "started"


def test_activity1_reset_and_undo(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    w.selects["personal"].value = ("listening",)
    reset_and_confirm(w)
    assert store.get(key("a1", "skills_personal")) is None
    assert w.selects["personal"].value == ()
    assert "<img" not in w.chart.value
    button(w, "Undo reset").click()
    assert w.selects["personal"].value == ("listening",)
    assert bars(w.chart.ax) == {"listening": 1}


@pytest.mark.parametrize("text", HOSTILE)
def test_activity1_hostile_text_round_trips_and_is_escaped(store, text):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    w.textareas["personal"].value = text
    assert store.get(key("a1", "example_personal")) == text
    for html in (x.value for x in walk(w) if isinstance(x, widgets.HTML)):
        assert "<script>" not in html


def test_activity1_figures_do_not_pile_up(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    before = len(plt.get_fignums())
    keys = [s.key for s in frameworks.skills()]
    for i in range(50):
        w.selects["team"].value = (keys[i % len(keys)],)
    assert len(plt.get_fignums()) == before


# --------------------------------------------------------------------------- stage diagnosis


def test_diagnose_stage_picks_most_ticks_and_earlier_on_tie():
    assert stage_diagnosis.diagnose_stage([]).stage is None
    d = stage_diagnosis.diagnose_stage(["frustration:0", "frustration:1", "flying:0"])
    assert d.stage.key == "frustration"
    assert dict(d.counts)["flying"] == 1
    assert stage_diagnosis.diagnose_stage(["forming:0", "failing:0"]).stage.key == "forming"
    assert stage_diagnosis.diagnose_stage(["flying:1", "failing:0"]).stage.key == "flying"
    assert stage_diagnosis.diagnose_stage(["failing:0", "failing:1"]).stage.key == "failing"


@pytest.mark.parametrize("bad", ["nowhere:0", "forming:99", "forming", "forming:x"])
def test_diagnose_stage_rejects_unknown_characteristic(bad):
    with pytest.raises(ValueError, match="unknown characteristic"):
        stage_diagnosis.diagnose_stage([bad])


def _current_band(ax):
    # the current stage is the band drawn with the theme's first quadrant fill
    fill = to_hex(current_theme().quadrant_fills[0])
    return [
        p.get_gid()
        for p in ax.patches
        if (p.get_gid() or "").startswith("stage:") and to_hex(p.get_facecolor()) == fill
    ]


def test_stage_diagnosis_marks_the_estimated_stage_and_lists_its_tactics(store):
    w = concepts.stage_diagnosis(exercise_binding(NB, "sd", store=store))
    assert "<img" not in w.chart.value
    w.checkboxes["forming:0"].value = True
    assert store.get(key("sd", "observed")) == ["forming:0"]
    assert _current_band(w.chart.ax) == ["stage:forming"]
    tactics = stage_diagnosis.stage_tactics()
    assert tactics["forming"][0].replace("'", "&#39;") in w.result.value
    w.checkboxes["frustration:2"].value = True
    w.checkboxes["frustration:3"].value = True
    assert _current_band(w.chart.ax) == ["stage:frustration"]
    assert any(t.get_gid() == "current-marker" for t in w.chart.ax.get_children())
    assert "You are here" in w.chart.value or "Frustration" in w.chart.value
    assert store.get(key("sd", STATUS_FIELD)) == "complete"
    again = concepts.stage_diagnosis(exercise_binding(NB, "sd", store=store))
    assert again.checkboxes["frustration:3"].value is True
    assert _current_band(again.chart.ax) == ["stage:frustration"]
    reset_and_confirm(again)
    assert not any(cb.value for cb in again.checkboxes.values())
    assert store.get(key("sd", "observed")) is None


def test_stage_tactics_cover_every_five_fs_stage():
    tactics = stage_diagnosis.stage_tactics()
    assert set(tactics) == {"forming", "frustration", "functioning", "flying", "failing"}
    assert all(len(t) >= 3 for t in tactics.values())


def test_stage_tactics_for_unknown_stage_name_file_and_stage(content_copy):
    path = content_copy / "concepts.yaml"
    path.write_text(path.read_text().replace("- stage: flying", "- stage: soaring"))
    content.clear_cache()
    with pytest.raises(ValueError, match=r"concepts.*soaring"):
        stage_diagnosis.stage_tactics()


# --------------------------------------------------------------------------- purpose, form


def test_purpose_sliders_save_move_the_point_and_name_the_characteristic(store):
    w = concepts.purpose_position(exercise_binding(NB, "pp", store=store))
    goals, pred = w.sliders
    goals.value = 2
    pred.value = 1
    assert store.get(key("pp", "goals")) == 2
    assert store.get(key("pp", "predictability")) == 1
    (point,) = [c for c in w.chart.ax.collections if c.get_gid() == "point"]
    assert tuple(point.get_offsets()[0]) == (2, 1)
    assert "Competition" in w.characteristic.value
    assert store.get(key("pp", STATUS_FIELD)) == "complete"
    goals.value = 9
    pred.value = 9
    assert "Co-evolution" in w.characteristic.value
    again = concepts.purpose_position(exercise_binding(NB, "pp", store=store))
    assert (again.sliders[0].value, again.sliders[1].value) == (9, 9)


def test_partnership_form_shows_scenario_name_escaped_and_saves(store):
    store.save(concepts.SCENARIO_NAME_KEY, "<b>Healthy</b> Town")
    w = concepts.partnership_form(exercise_binding(NB, "pf", store=store))
    html = " ".join(x.value for x in walk(w) if isinstance(x, widgets.HTML))
    assert "&lt;b&gt;Healthy&lt;/b&gt; Town" in html
    w.dropdown.value = "joint_working"
    w.textarea.value = "We pool budgets"
    assert store.get(key("pf", "form")) == w.dropdown.value
    assert store.get(key("pf", STATUS_FIELD)) == "complete"


def test_partnership_form_without_scenario_says_where_to_name_it(store):
    w = concepts.partnership_form(exercise_binding(NB, "pf", store=store))
    html = " ".join(x.value for x in walk(w) if isinstance(x, widgets.HTML))
    assert "notebook" in html and "00" in html


# --------------------------------------------------------------------------- tables


def test_programmes_table_filters_by_search_and_name():
    everything = concepts.programmes_table()
    assert "Health Action Zones" in everything and "The Compact" in everything
    lottery = concepts.programmes_table("LOTTERY")
    assert "Healthy Living Centres" in lottery and "Health Action Zones" not in lottery
    one = concepts.programmes_table(programme="Health Action Zones")
    assert "(1 shown)" in one
    assert "No programme matches" in concepts.programmes_table("<zzz>")
    assert "&lt;zzz&gt;" in concepts.programmes_table("<zzz>")
    with pytest.raises(ValueError, match="unknown programme 'Nope'"):
        concepts.programmes_table(programme="Nope")


def test_programmes_view_rerenders_on_search():
    w = concepts.programmes_view()
    table = w.children[1]
    search = w.children[0].children[1]
    search.value = "older people"
    assert "Partnerships for Older People" in table.value
    assert "Health Action Zones" not in table.value


def test_static_tables_carry_the_workbook_facts():
    assert "1970s" in concepts.policy_shifts_table().html
    assert "Jupp 2000" in concepts.policy_shifts_table().text
    typ = concepts.typologies_table().html
    assert all(t.citation in typ for t in frameworks.typologies())
    success = concepts.success_sources_table().html
    assert all(s.citation in success for s in frameworks.success_sources())
    assert "£4bn" in concepts.growth_facts_html().html
    assert "Collaboration is difficult" in concepts.collaboration_reasons_html().html


def test_benefit_items_cover_every_group_once():
    items, groups = concepts.benefit_items()
    assert len(groups) == 5
    assert sorted(k for _, keys in groups for k in keys) == sorted(k for k, _ in items)


def test_composed_exercises_build_and_save(store):
    b = concepts.benefits_checklist(exercise_binding(NB, "b", store=store))
    first = next(iter(b.checkboxes))
    b.checkboxes[first].value = True
    assert store.get(key("b", "ticked")) == [first]
    a2 = concepts.activity2_form(exercise_binding(NB, "a2", store=store))
    a2.textareas["challenges_own"].value = "Power struggle"
    assert store.get(key("a2", "challenges_own")) == "Power struggle"
    assert len(concepts.condition_items()) == 7
    concepts.conditions_checklist(exercise_binding(NB, "c", store=store))
    concepts.success_rating(exercise_binding(NB, "r", store=store))
    concepts.activity1_discussion(exercise_binding(NB, "d", store=store))


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize("style_name", ["workbook", "projector", "high_contrast"])
def test_skill_recurrence_matches_baseline(style_name, tmp_path):
    from _helpers import compare_with_baseline

    from partnership_lib.core.style import style_context

    sel = {
        "Personal": ["listening", "trust", "empathy"],
        "Professional": ["listening", "planning", "trust"],
        "Organisational": ["listening", "solution_finding"],
        "Team": ["listening", "trust", "supporting"],
        "Service User and Carer": ["respect", "listening"],
    }
    with style_context(style_name):
        ax = skills.plot_skill_recurrence(sel)
    compare_with_baseline(ax.figure, f"skill_recurrence_{style_name}", tmp_path)


def test_skill_labels_are_drawn_literally():
    ax = skills.plot_skill_recurrence({"Cost $5_000 \\ year": ["listening"]})
    assert all(not t.get_parse_math() for t in ax.texts)
    assert all(not t.get_parse_math() for t in ax.get_yticklabels())


def test_partnership_form_dropdown_shows_its_prompt_when_empty_and_after_reset(store):
    from partnership_lib.sessions.s01_concepts import partnership_form

    box = partnership_form(
        exercise_binding("01_concepts_and_contexts", "partnership_form", store=store)
    )
    assert box.dropdown.value == "" and box.dropdown.label == "Choose a form"
    first = box.dropdown.options[1][1]
    box.dropdown.value = first
    assert store.get(("01_concepts_and_contexts", "partnership_form", "form")) == first
    box.exercise.reset()
    assert box.dropdown.value == "" and box.dropdown.label == "Choose a form"
