"""Notebook 01's exercises: Activity 1, the partnership form, purpose, stage diagnosis, tables."""

from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import button, walk
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from PIL import Image

from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.core.style import current_theme
from partnership_lib.models import frameworks, stage_diagnosis
from partnership_lib.sessions import s01_concepts as concepts
from partnership_lib.widgets.base import Exercise, exercise_binding

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


def same_picture(chart, tol=2):
    """The live chart's picture matches a full redraw of its figure (as tests/test_live.py)."""

    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    diff = np.abs(pixels(chart.png) - pixels(chart.engine.reference_png()))
    assert diff.max() <= tol, f"{int((diff.max(axis=2) > tol).sum())} pixels differ"


# --------------------------------------------------------------------------- exercise shape


def test_every_exercise_is_an_exercise_with_its_controls_declared(store):
    def bind(name):
        return exercise_binding(NB, name, store=store)

    built = {
        "activity1": concepts.activity1_table(bind("a1")),
        "partnership_form": concepts.partnership_form(bind("pf")),
        "purpose": concepts.purpose_position(bind("pp")),
        "stage_diagnosis": concepts.stage_diagnosis(bind("sd")),
    }
    for kind, w in built.items():
        assert isinstance(w, Exercise), kind
        assert w.kind == kind and "pl-exercise" in w._dom_classes
        assert w.status in w.children
    assert isinstance(concepts.programmes_view(), concepts.ProgrammesView)
    built["purpose"].goals.value = 3
    assert built["purpose"].value == {"goals": 3}


def test_activity1_saves_examples_and_skills_and_redraws_the_chart(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    assert "pl-exercise" in w._dom_classes
    assert "<img" not in w.chart.value  # lazy: no picture before any choice
    w.pickers["personal"].value = ("listening", "trust")
    w.pickers["team"].value = ("listening",)
    w.textareas["team"].value = "Our <b>forum</b>"
    assert store.get(key("a1", "skills_personal")) == ["listening", "trust"]
    assert store.get(key("a1", "example_team")) == "Our <b>forum</b>"
    assert bars(w.chart.ax) == {"listening": 2, "trust": 1}
    assert "Used in 2 contexts: Listening" in w.chart.value
    # rebuild restores
    again = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    assert again.pickers["personal"].value == ("listening", "trust")
    assert again.textareas["team"].value == "Our <b>forum</b>"
    assert bars(again.chart.ax) == {"listening": 2, "trust": 1}


def test_activity1_is_complete_when_every_context_has_example_and_skill(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    for c in frameworks.activity1_contexts():
        w.textareas[c.key].value = f"example {c.key}"
        assert store.get(key("a1", STATUS_FIELD)) != "complete"
        w.pickers[c.key].value = ("trust",)
    assert store.get(key("a1", STATUS_FIELD)) == "complete"
    w.pickers["team"].value = ()
    assert store.get(key("a1", STATUS_FIELD)) == "started"


def test_activity1_reset_and_undo(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    w.pickers["personal"].value = ("listening",)
    reset_and_confirm(w)
    assert store.get(key("a1", "skills_personal")) is None
    assert w.pickers["personal"].value == ()
    assert "<img" not in w.chart.value
    button(w, "Undo reset").click()
    assert w.pickers["personal"].value == ("listening",)
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
        w.pickers["team"].value = (keys[i % len(keys)],)
    assert len(plt.get_fignums()) == before


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


def test_partnership_form_dropdown_shows_its_prompt_when_empty_and_after_reset(store):
    from partnership_lib.sessions.s01_concepts import partnership_form

    box = partnership_form(
        exercise_binding("01_concepts_and_contexts", "partnership_form", store=store)
    )
    assert box.dropdown.value == "" and box.dropdown.label == "Choose a form"
    first = box.dropdown.options[1][1]
    box.dropdown.value = first
    assert store.get(("01_concepts_and_contexts", "partnership_form", "form")) == first
    box.reset()
    assert box.dropdown.value == "" and box.dropdown.label == "Choose a form"


# --------------------------------------------------------------------------- live charts


def test_every_live_chart_of_notebook_01_repaints_in_part(store):
    a1 = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    a1.pickers["personal"].value = ("listening", "evaluating_differing_viewpoints")
    assert a1.chart.last_path == "full"
    a1.pickers["team"].value = ("listening",)
    a1.pickers["personal"].value = ("listening", "trust")
    assert a1.chart.last_path == "partial"
    same_picture(a1.chart)
    pp = concepts.purpose_position(exercise_binding(NB, "pp", store=store))
    fig = pp.chart.figure
    for goals, pred in ((2, 5), (2, 9), (9, 9), (9, 1)):
        pp.goals.value, pp.predictability.value = goals, pred
        assert pp.chart.last_path == "partial", (goals, pred)
        same_picture(pp.chart)
    assert pp.chart.figure is fig
    (point,) = [c for c in pp.chart.ax.collections if c.get_gid() == "point"]
    assert tuple(point.get_offsets()[0]) == (9, 1)
    sd = concepts.stage_diagnosis(exercise_binding(NB, "sd", store=store))
    sd.checkboxes["forming:0"].value = True
    sd.checkboxes["flying:0"].value = True
    sd.checkboxes["flying:1"].value = True
    assert sd.chart.last_path == "partial"
    same_picture(sd.chart)
    assert plt.get_fignums() == []


def test_tables_escape_content_and_keep_row_headers(monkeypatch):
    from dataclasses import replace

    typologies = frameworks.typologies()
    odd = (replace(typologies[0], aim="<b>Bold</b> & co", who="<i>x</i>"), *typologies[1:])
    monkeypatch.setattr(frameworks, "typologies", lambda: odd)
    html = concepts.typologies_table().html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html and "<b>Bold</b>" not in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html and "<i>x</i>" not in html
    assert '<th scope="row"' in html and "<caption" in html
    success = concepts.success_sources_table().html
    assert 'role="region" tabindex="0"' in success and '<th scope="row"' not in success


# --------------------------------------------------------------------------- the skills picker


def test_activity1_picker_adds_a_skill_per_click_and_stores_the_list(store):
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    picker = w.pickers["personal"]
    picker.checkboxes["trust"].value = True
    picker.checkboxes["listening"].value = True
    assert store.get(key("a1", "skills_personal")) == ["listening", "trust"]  # workbook order
    assert "Chosen (2): Listening, Trust" in picker.chosen.value
    assert bars(w.chart.ax) == {"listening": 1, "trust": 1}
    picker.checkboxes["trust"].value = False
    assert store.get(key("a1", "skills_personal")) == ["listening"]
    groups = [g.label for g in frameworks.skill_groups()]
    shown = " ".join(c.value for c in walk(picker) if isinstance(c, widgets.HTML))
    assert all(g in shown for g in groups)


def test_activity1_reads_answers_stored_by_the_old_multi_select(store):
    # the multi-select stored a list of skill keys; an unknown or repeated key is dropped
    store.save(("01_test", "a1", "skills_team"), ["trust", "juggling", "listening", "trust"])
    w = concepts.activity1_table(exercise_binding(NB, "a1", store=store))
    assert w.pickers["team"].value == ("listening", "trust")
    assert w.pickers["team"].checkboxes["trust"].value is True
    w.pickers["team"].checkboxes["respect"].value = True
    assert store.get(key("a1", "skills_team")) == ["listening", "respect", "trust"]
