"""Notebook 02 builders: sorter content, Activity 3 discussion, worked examples, forms, tables."""

from __future__ import annotations

import re
import shutil
from html import escape as escape_html

import ipywidgets as widgets
import pytest
import yaml

from partnership_lib.core import content
from partnership_lib.core.html import HTMLBlock
from partnership_lib.core.store import AnswerStore
from partnership_lib.models import frameworks
from partnership_lib.models.stakeholders import worked_examples
from partnership_lib.sessions import s02_climate as climate
from partnership_lib.sessions.session import Session
from partnership_lib.widgets import live
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.checklist import Checklist
from partnership_lib.widgets.text import TextForm

NB = "02_test"
HOSTILE = "<script>alert(1)</script> \"&'<> مرحبا 🤝"


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


def dropdowns(widget):
    return [w for w in walk(widget) if isinstance(w, widgets.Dropdown)]


def key(exercise, field):
    return f"{NB}/{exercise}/{field}"


# --------------------------------------------------------------------------- content


@pytest.mark.parametrize(
    ("fn", "expected_keys"),
    [
        (climate.douglas_items, ["people_change", "people_processing"]),
        (climate.conflict_items, [c.key for c in frameworks.conflict_categories()]),
        (climate.change_order_items, ["first_order", "second_order"]),
    ],
)
def test_sorter_content_uses_every_category_evenly(fn, expected_keys):
    items, cats = fn()
    assert [c.key for c in cats] == expected_keys
    assert len(items) == 8
    counts = {k: sum(i.answer == k for i in items) for k in expected_keys}
    assert set(counts.values()) == {8 // len(expected_keys)}, counts
    assert all(i.explanation.strip() for i in items)
    assert len({i.key for i in items}) == len(items)


def test_conflict_categories_are_numbered_workbook_labels():
    _, cats = climate.conflict_items()
    assert cats[0].label == "1. Lack or misunderstanding of policies, objectives and priorities"
    assert cats[3].label == "4. Personal, historical and hidden issues"
    assert cats[1].description == frameworks.conflict_categories()[1].explanation


def test_change_order_categories_name_climate_and_culture():
    _, cats = climate.change_order_items()
    assert cats[0].label == "First order change (climate)"
    assert cats[1].label == "Second order change (culture)"
    assert "structure, management practices and systems" in cats[0].description
    assert "mission and strategy" in cats[1].description


def _copy_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(content.data_dir(), data)
    monkeypatch.setenv("PARTNERSHIP_CONTENT_DIR", str(data))
    content.clear_cache()
    return data / "climate.yaml"


def test_an_answer_that_is_not_a_category_is_a_content_error(tmp_path, monkeypatch):
    path = _copy_data(tmp_path, monkeypatch)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["conflicts"]["items"][0]["answer"] = "bad_luck"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(content.ContentError, match=r"climate\.yaml.*different_priorities") as err:
        climate.conflict_items()
    assert "bad_luck" in str(err.value)


def test_a_missing_explanation_fails_the_schema(tmp_path, monkeypatch):
    path = _copy_data(tmp_path, monkeypatch)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    del raw["douglas"]["items"][2]["explanation"]
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(content.ContentError, match="explanation"):
        climate.douglas_items()


def test_motivation_items_follow_mcnamaras_groups():
    items, groups = climate.motivation_items()
    ingredients = frameworks.change_ingredients()
    assert [g for g, _ in groups] == [g.label for g in ingredients]
    assert [len(keys) for _, keys in groups] == [5, 4, 3, 3, 3]
    assert items[0] == ("maintain_motivation_1", ingredients[0].items[0])
    assert [k for _, keys in groups for k in keys] == [k for k, _ in items]


def test_motivation_bands_start_at_zero_and_rise():
    bands = climate.motivation_bands()
    assert bands[0].min_fraction == 0
    assert [b.min_fraction for b in bands] == sorted(b.min_fraction for b in bands)


def test_think_about_prompt_and_unknown_key():
    text = climate.think_about_prompt("change_programmes")
    assert text.startswith("Think of change management programmes")
    assert "Which parts involved second order change?" in text
    with pytest.raises(ValueError, match=r"'nope'.*challenges_and_change"):
        climate.think_about_prompt("nope")
    block = climate.think_about_html("challenges_and_change")
    assert "THINK ABOUT" in block.html and block.text.startswith("THINK ABOUT: Look back")


# --------------------------------------------------------------------------- tables


def test_change_obstacles_table():
    block = climate.change_obstacles_html()
    assert isinstance(block, HTMLBlock)
    for o in frameworks.change_obstacles():
        assert o.explanation in block.html
    assert "<caption" in block.html and "Belasco 1990" in block.html
    assert block.text.startswith("Obstacles to change (Belasco 1990). It always takes longer:")
    assert ".;" not in block.text and ".." not in block.text


def test_change_definitions_orders_and_activities_tables():
    defs = climate.change_definitions_html()
    assert "1. Task of managing change" in defs.html
    assert "4. Control mechanism" in defs.text
    orders = climate.change_orders_html()
    assert "Organisational climate" in orders.html and "Organisational culture" in orders.html
    assert "Langley et al 1996" in orders.text
    acts = climate.change_activities_html()
    assert "French &amp; Bell 1999" in acts.html  # escaped in HTML
    assert "French & Bell 1999" in acts.text
    assert acts.html.count("<tr>") == 6  # header + five activities


# --------------------------------------------------------------------------- builders


@pytest.mark.parametrize(
    ("builder", "fn"),
    [
        (climate.douglas_sorter, climate.douglas_items),
        (climate.conflict_sorter, climate.conflict_items),
        (climate.change_order_sorter, climate.change_order_items),
    ],
)
def test_sorters_store_a_placement_and_restore_it(store, builder, fn):
    items, cats = fn()
    w = builder(exercise_binding(NB, "sort", store=store))
    assert "pl-sorter" in w._dom_classes
    boxes = dropdowns(w)
    assert len(boxes) == len(items)
    # Shuffled with a fixed seed: the same order on every build.
    assert [d.description for d in boxes] == [
        d.description for d in dropdowns(builder(exercise_binding(NB, "other", store=store)))
    ]
    boxes[0].value = cats[-1].key
    placements = store.get(key("sort", "placements"))
    assert list(placements.values()) == [cats[-1].key]
    again = dropdowns(builder(exercise_binding(NB, "sort", store=store)))
    assert again[0].value == cats[-1].key


def test_activity3_discussion_saves_each_answer_and_shows_the_lifecycle(store):
    box = climate.activity3_discussion(exercise_binding(NB, "a3", store=store))
    assert "pl-activity3-discussion" in box._dom_classes
    form = box  # the returned widget is the exercise: a TextForm
    assert isinstance(form, TextForm) and isinstance(form, Exercise)
    assert list(form.textareas) == ["usefulness", "when_to_use", "lifecycle_point"]
    form.textareas["lifecycle_point"].value = HOSTILE
    assert store.get(key("a3", "lifecycle_point")) == HOSTILE
    assert not form.is_complete()
    for k in ("usefulness", "when_to_use"):
        form.textareas[k].value = "Some thoughts"
    assert form.is_complete()
    (chart,) = [w for w in walk(box) if isinstance(w, widgets.HTML) and "<img" in w.value]
    assert "data:image/png;base64," in chart.value
    assert "lifecycle" in chart.value.lower()
    rebuilt = climate.activity3_discussion(exercise_binding(NB, "a3", store=store))
    assert rebuilt.textareas["lifecycle_point"].value == HOSTILE


def test_worked_examples_view_follows_the_picker():
    examples = worked_examples()
    view = climate.worked_examples_view()
    assert view.picker.value == next(iter(examples))
    first = view.picture.value
    assert "<img" in first
    view.picker.value = "teenage_pregnancy"
    assert view.picture.value != first
    assert "Teenage" in view.picture.value
    assert climate.worked_examples_view(initial="drug_alcohol").picker.value == "drug_alcohol"
    with pytest.raises(ValueError, match=r"'nowhere'.*community_safety"):
        climate.worked_examples_view(initial="nowhere")


def test_change_gap_form_has_brenners_two_columns(store):
    form = climate.change_gap_form(exercise_binding(NB, "gap", store=store))
    assert list(form.textareas) == ["now", "need"]
    assert form.textareas["now"].description.startswith("Where we are at the moment")
    form.textareas["now"].value = "Strong links with schools"
    assert store.get(key("gap", "now")) == "Strong links with schools"
    assert not form.is_complete()
    form.textareas["need"].value = "A shared budget"
    assert form.is_complete()


def test_activity4_form_asks_the_five_questions(store):
    form = climate.activity4_form(exercise_binding(NB, "a4", store=store))
    questions = {t.key: t for t in frameworks.think_about()}["change_programmes"].questions
    assert [f.label for f in form.fields] == list(questions)
    assert list(form.textareas) == [
        "first_order",
        "second_order",
        "went_well",
        "difficult",
        "skills",
    ]
    form.textareas["skills"].value = "Patience"
    assert store.get(key("a4", "skills")) == "Patience"


def test_motivation_checklist_scores_by_group(store):
    w = climate.motivation_checklist(exercise_binding(NB, "mot", store=store))
    assert isinstance(w, Checklist)
    assert len(w.checkboxes) == 18
    assert w.chart is not None
    w.checkboxes["ensure_political_support_1"].value = True
    assert store.get(key("mot", "ticked")) == ["ensure_political_support_1"]
    rebuilt = climate.motivation_checklist(exercise_binding(NB, "mot", store=store))
    assert rebuilt.ticked() == ["ensure_political_support_1"]


def test_session_lists_every_exercise_the_notebook_binds():
    s = Session("02_climate_for_change")
    keys = [k for k, _ in s.exercises]
    assert keys == [
        "activity3",
        "activity3_discussion",
        "activity3_later",
        "douglas",
        "conflicts",
        "change_gap",
        "change_orders",
        "activity4",
        "motivation",
        "learning_log",  # the session's log page closes its notebook (issue 14, section 7)
    ]
    assert len(s.entry["outcomes"]) == 2
    assert "03_influencing_and_negotiation" in s.entry["next"]


def test_conflict_categories_table_and_sorter_without_definition_list(store):
    block = climate.conflict_categories_html()
    assert "3. Incompatible structures and procedures, roles" in block.html
    for c in frameworks.conflict_categories():
        assert escape_html(c.explanation) in block.html
    w = climate.conflict_sorter(exercise_binding(NB, "c", store=store))
    assert "pl-conflict-sorter" in w._dom_classes
    assert not any("pl-categories" in getattr(x, "value", "") for x in walk(w))


def test_change_gap_columns_sit_side_by_side_and_reset(store):
    form = climate.change_gap_form(exercise_binding(NB, "gap", store=store))
    (row,) = [w for w in walk(form) if "pl-gap-columns" in getattr(w, "_dom_classes", ())]
    assert row.layout.flex_flow == "row wrap"
    areas = [w for w in walk(row) if isinstance(w, widgets.Textarea)]
    assert areas == [form.textareas["now"], form.textareas["need"]]
    form.textareas["need"].value = "More trust"
    (reset,) = [
        w
        for w in walk(form)
        if isinstance(w, widgets.Button) and w.description == "Reset this exercise"
    ]
    reset.click()
    (yes,) = [
        w
        for w in walk(form)
        if isinstance(w, widgets.Button) and w.description == "Yes, clear my answers"
    ]
    yes.click()
    assert store.get(key("gap", "need")) is None
    assert form.textareas["need"].value == ""


def test_every_exercise_builder_returns_the_exercise_itself(store):
    from partnership_lib.widgets.sorter import Sorter

    for builder in (climate.douglas_sorter, climate.conflict_sorter, climate.change_order_sorter):
        assert isinstance(builder(exercise_binding(NB, "s", store=store)), Sorter)
    gap = climate.change_gap_form(exercise_binding(NB, "gap", store=store))
    assert isinstance(gap, climate.ChangeGapForm) and isinstance(gap, Exercise)
    assert gap.columns.children == tuple(gap.field_rows.values())
    a3 = climate.activity3_discussion(exercise_binding(NB, "a3", store=store))
    assert isinstance(a3, climate.Activity3Discussion)
    assert a3.chart in list(walk(a3))
    a4 = climate.activity4_form(exercise_binding(NB, "a4", store=store))
    assert isinstance(a4, TextForm) and isinstance(a4, Exercise)


def test_tables_are_left_aligned_accessible_tables():
    block = climate.change_orders_html()
    assert block.html.count('<th scope="row"') == len(frameworks.change_orders())
    cells = re.findall(r"<t[hd][ >][^>]*>", block.html)
    assert cells and all("text-align:left" in tag for tag in cells), cells
    think = climate.think_about_html("change_programmes").html
    assert think.count("<li>") == len(
        {t.key: t for t in frameworks.think_about()}["change_programmes"].questions
    )


# --------------------------------------------------------------------------- chart legibility


@pytest.mark.parametrize("style_name", ["workbook", "projector", "high_contrast"])
def test_the_lifecycle_chart_may_not_shrink_below_11px_text(style_name):
    from partnership_lib.sessions.gallery import render_diagram

    chart = render_diagram(climate.LIFECYCLE_DIAGRAM, style_name)
    width = live.legible_width(chart)
    assert chart.min_text_px * width / chart.width >= live.MIN_CHART_TEXT_PX
    # and no wider than that needs: one pixel narrower and the text is under 11 px
    assert chart.min_text_px * (width - 1) / chart.width < live.MIN_CHART_TEXT_PX
    layout = live.chart_beside_form_layout(chart)
    # on a screen narrower than that it takes the whole row (less the widget's margins)
    assert layout.min_width == f"min({width}px, calc(100% - 2 * var(--jp-widgets-margin, 2px)))"
    assert layout.flex == f"1 1 {width}px"
    assert layout.max_width == f"{chart.width}px"  # a picture is never blown up


def test_the_layout_puts_the_chart_below_the_form_in_jupyterlab_with_the_side_bar_open():
    """The flex row's decision, worked through for the widths a learner has.

    At 1366 px with JupyterLab's file browser open an output is 934 px wide (measured by
    the JupyterLab smoke walk in tests/browser/test_lab_smoke.py); Voilà gives about 1330.
    A row wraps when the form at its narrowest (20em of 13 px text) and the chart at its
    legible width do not fit side by side; the wrapped chart then grows to the line.
    """
    from partnership_lib.sessions.gallery import render_diagram

    chart = render_diagram(climate.LIFECYCLE_DIAGRAM, "workbook")
    width = live.legible_width(chart)
    form_min = 20 * 13
    for output, beside in ((934, False), (1330, True)):
        assert (form_min + width <= output) is beside
        shown = min(chart.width, output - form_min if beside else output)
        assert chart.min_text_px * shown / chart.width >= live.MIN_CHART_TEXT_PX


def test_legible_width_when_the_chart_cannot_be_legible_or_does_not_say():
    from partnership_lib.charts.chart import Chart

    tiny = Chart(png=b"", alt="A chart.", width=600, height=400, min_text_px=8.0)
    assert live.legible_width(tiny) == 600  # as large as it goes; never blown up
    unknown = Chart(png=b"", alt="A chart.", width=600, height=400)
    assert live.legible_width(unknown) == 600
    big = Chart(png=b"", alt="A chart.", width=1000, height=700, min_text_px=22.0)
    assert live.legible_width(big) == 500
    assert live.legible_width(big, min_text_px=15) == 682


def test_the_chart_layout_follows_projector_mode(store):
    from partnership_lib.core.style import use_style
    from partnership_lib.sessions.gallery import render_diagram

    box = climate.activity3_discussion(exercise_binding(NB, "a3", store=store))
    workbook = render_diagram(climate.LIFECYCLE_DIAGRAM, "workbook")
    assert box.chart.layout.min_width.startswith(f"min({live.legible_width(workbook)}px, ")
    try:
        use_style("projector")
        projector = render_diagram(climate.LIFECYCLE_DIAGRAM, "projector")
        assert box.chart.layout.min_width.startswith(f"min({live.legible_width(projector)}px, ")
        assert box.chart.value == projector.html
    finally:
        use_style("workbook")
    assert box.chart.value == workbook.html
