"""The stakeholder editor (Activity 3): table, form, live grid, CSV, examples, undo."""

from __future__ import annotations

import base64
import datetime
import html
import io
import random
import re
from dataclasses import replace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from partnership_lib.core.projector import set_projector
from partnership_lib.core.store import STATUS_FIELD, AnswerKey
from partnership_lib.core.style import style_context
from partnership_lib.documents.stakeholder_csv import stakeholders_from_csv, stakeholders_to_csv
from partnership_lib.models.stakeholders import (
    Stakeholder,
    plot_power_interest_grid,
    quadrant_schemes,
    worked_examples,
)
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.live import MIN_CHART_TEXT_PX, LiveChart, legible_width
from partnership_lib.widgets.stakeholder_editor import (
    COMPLETE_AT,
    name_problem,
    stakeholder_editor,
    stakeholder_rows,
    table_html,
)

NB, EX = "02_climate_for_change", "activity3"
KEY = AnswerKey(NB, EX, "stakeholders")
WORKBOOK = quadrant_schemes()["workbook"]

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "$x_1\\",
    "\"&'<>",
    "مرحبا بالعالم",
    "🦄 Unicorn trust",
]


@pytest.fixture(autouse=True)
def _no_display(monkeypatch):
    """Builders never call display()."""

    def refuse(*args, **kwargs):
        raise AssertionError("a builder called display()")

    monkeypatch.setattr("IPython.display.display", refuse)


def build(store, exercise=EX, **kwargs):
    return stakeholder_editor(exercise_binding(NB, exercise, store=store), **kwargs).editor


def fill(ed, name, power=5.0, interest=5.0, organisation="", role="", attitude=""):
    ed.chooser.value = -1
    ed.name.value = name
    ed.organisation.value = organisation
    ed.role.value = role
    ed.power.value = power
    ed.interest.value = interest
    ed.attitude.value = attitude


def add(ed, name, power=5.0, interest=5.0, **kwargs):
    fill(ed, name, power, interest, **kwargs)
    ed.add_button.click()


def offsets(ed):
    (coll,) = [c for c in ed.grid.ax.collections if c.get_gid() == "stakeholders"]
    return [tuple(map(float, xy)) for xy in coll.get_offsets()]


def labels(ed):
    return [t for t in ed.grid.ax.texts if str(t.get_gid() or "").startswith("label:")]


def arrows(ed):
    return [p for p in ed.grid.ax.patches if str(p.get_gid() or "").startswith("move:")]


def status_text(ed):
    """The status line as a reader hears it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", ed.status.value))


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png))).astype(int)


def live_grid(people, **kwargs):
    """The grid as the editor shows it: the one live-chart view, with the model's layer."""
    chart = LiveChart(plot_power_interest_grid)
    chart.show(people, **kwargs)
    return chart


def update(grid, people, **kwargs):
    grid.show(people, **kwargs)
    return grid.png


def assert_same_picture(png, reference):
    diff = np.abs(pixels(png) - pixels(reference))
    # Only antialiased edge pixels at a repainted rectangle's border may differ, by 1-2 of 255.
    assert diff.max() <= 2
    assert (diff.max(axis=2) > 0).mean() < 0.001


# --- building ----------------------------------------------------------------------------


def test_builds_an_exercise_box_with_labelled_inputs(store):
    box = stakeholder_editor(exercise_binding(NB, EX, store=store))
    ed = box.editor
    assert isinstance(box, widgets.VBox)
    assert {"pl-exercise", "pl-stakeholder-editor"} <= set(box._dom_classes)
    for widget in (
        ed.chooser,
        ed.name,
        ed.organisation,
        ed.role,
        ed.power,
        ed.interest,
        ed.attitude,
        ed.upload,
        ed.example,
        ed.movement,
    ):
        assert widget.description.strip()
    assert ed.upload.description == "Import CSV"
    assert ed.upload.accept == ".csv"
    assert (ed.power.min, ed.power.max, ed.interest.min, ed.interest.max) == (0, 10, 0, 10)
    assert ed.attitude.options[0] == ("Not given", "")
    assert ed.name.continuous_update and ed.power.continuous_update
    assert [b.description for b in (ed.add_button, ed.save_button, ed.delete_button)] == [
        "Add stakeholder",
        "Save changes",
        "Delete",
    ]
    assert 'role="status"' in ed.status.value
    # the empty grid is drawn and carries its text description
    assert offsets(ed) == []
    assert 'alt="Power-interest grid: no stakeholders have been placed yet."' in ed.chart.value
    assert "No stakeholders yet" in ed.table.value
    # first placement: no movement controls
    assert ed.movement.layout.display == "none"
    assert ed.copy_button.layout.display == "none"


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown quadrant scheme 'nope'"):
        stakeholder_editor(exercise_binding(NB, EX), scheme="nope")


# --- add, edit, delete -------------------------------------------------------------------


def test_add_saves_draws_and_tabulates_the_quadrant(store):
    ed = build(store)
    add(ed, "Police", 8, 7.5, organisation="Constabulary", role="Enforcement", attitude="supporter")
    assert store.get(KEY) == [
        {
            "name": "Police",
            "organisation": "Constabulary",
            "role": "Enforcement",
            "power": 8.0,
            "interest": 7.5,
            "attitude": "supporter",
        }
    ]
    assert offsets(ed) == [(8.0, 7.5)]
    assert [t.get_text() for t in labels(ed)] == ["Police"]
    involve = WORKBOOK.by_label("INVOLVE")
    assert f"<strong>INVOLVE</strong> \u2014 {involve.guidance}" in ed.table.value
    assert "Added Police to INVOLVE" in status_text(ed)
    # the form is cleared for the next one, and the picture says what it shows
    assert (ed.name.value, ed.organisation.value, ed.chooser.value) == ("", "", -1)
    assert "INVOLVE (high power, high interest)" in ed.chart.value
    assert "Police (power 8, interest 7.5, supporter)" in ed.chart.value


def test_each_quadrant_is_named_with_its_engagement_in_the_table(store):
    ed = build(store)
    for name, p, i in [("A", 9, 9), ("B", 9, 1), ("C", 1, 9), ("D", 1, 1), ("E", 5, 5)]:
        add(ed, name, p, i)
    rows = re.findall(r"<tr.*?</tr>", ed.table.value)[1:]
    expected = ["INVOLVE", "KEEP ON BOARD", "INFORM", "BE AWARE", "INVOLVE"]
    for row, label in zip(rows, expected, strict=True):
        q = WORKBOOK.by_label(label)
        assert f"<strong>{q.label}</strong> \u2014 {q.guidance}" in row


def test_mendelow_scheme_labels_the_table(store):
    ed = build(store, scheme="mendelow")
    add(ed, "Police", 9, 9)
    assert "<strong>Manage closely</strong>" in ed.table.value


def test_complete_from_three_stakeholders(store):
    ed = build(store)
    status = AnswerKey(NB, EX, STATUS_FIELD)
    add(ed, "A", 1, 1)
    add(ed, "B", 2, 2)
    assert store.get(status) == "started"
    add(ed, "C", 3, 3)
    assert COMPLETE_AT == 3
    assert store.get(status) == "complete"
    ed.chooser.value = 0
    ed.delete(0)
    assert store.get(status) == "started"


def test_sliders_move_the_chosen_stakeholder_live_and_save(store):
    ed = build(store)
    for name, p, i in [("A", 2, 2), ("B", 3, 8), ("C", 7, 7)]:
        add(ed, name, p, i)
    ed.chooser.value = 1
    assert (ed.name.value, ed.power.value, ed.interest.value) == ("B", 3.0, 8.0)
    before = ed.chart.value
    ed.power.value = 8.5
    assert store.get(KEY)[1]["power"] == 8.5
    assert offsets(ed)[1] == (8.5, 8.0)
    assert ed.grid.last_path == "partial"
    assert ed.chart.value != before
    assert "B is now in INVOLVE" in status_text(ed)
    assert "B (power 8.5, interest 8)" in ed.chart.value
    ed.interest.value = 1.5
    assert store.get(KEY)[1]["interest"] == 1.5
    assert offsets(ed)[1] == (8.5, 1.5)
    row_b = re.findall(r"<tr.*?</tr>", ed.table.value)[2]
    assert "<strong>KEEP ON BOARD</strong>" in row_b
    assert 'aria-current="true"' in row_b
    # a run of slider moves is one revision in the history, and one step to undo
    assert len(store.history(KEY)) == 4
    ed.undo_button.click()
    assert store.get(KEY)[1]["power"] == 3.0 and store.get(KEY)[1]["interest"] == 8.0


def test_sliders_in_add_mode_only_change_the_form(store):
    ed = build(store)
    add(ed, "A", 2, 2)
    ed.power.value = 9
    assert store.get(KEY)[0]["power"] == 2.0
    assert offsets(ed) == [(2.0, 2.0)]
    assert store.get(AnswerKey(NB, EX, "_stakeholders_draft"))["power"] == 9.0


def test_slider_snapping_a_finer_score_does_not_move_the_stakeholder(store):
    ed = build(store)
    ed.import_csv("name,power,interest\nA,7.25,3\n")
    ed.chooser.value = 0
    ed.power.value = 7.3  # the browser's slider snaps 7.25 to its 0.1 step and echoes it back
    assert store.get(KEY)[0]["power"] == 7.25
    ed.power.value = 7.5  # a real move
    assert store.get(KEY)[0]["power"] == 7.5


def test_save_changes_renames_and_sets_attitude(store):
    ed = build(store)
    add(ed, "Police", 8, 8)
    add(ed, "Fire", 2, 2)
    ed.chooser.value = 0
    ed.name.value = "Neighbourhood police"
    ed.attitude.value = "opponent"
    assert store.get(KEY)[0]["name"] == "Police"  # not until saved
    ed.save_button.click()
    assert store.get(KEY)[0]["name"] == "Neighbourhood police"
    assert store.get(KEY)[0]["attitude"] == "opponent"
    assert [t.get_text() for t in labels(ed)] == ["Neighbourhood police", "Fire"]
    assert [label for label, _ in ed.chooser.options][1] == "Neighbourhood police"
    assert "Saved the changes to Neighbourhood police" in status_text(ed)


def test_save_changes_after_a_saved_edit_says_it_is_saved(store):
    ed = build(store)
    add(ed, "Police", 8, 8)
    ed.chooser.value = 0
    ed.name.value = "Neighbourhood police"
    ed.save_button.click()
    ed.save_button.click()  # nothing new: the learner is told it is kept, not "no changes"
    text = status_text(ed)
    assert "Neighbourhood police is saved" in text and "no changes" not in text.lower()
    assert store.get(KEY)[0]["name"] == "Neighbourhood police"


def test_choosing_another_stakeholder_keeps_typed_changes(store):
    ed = build(store)
    add(ed, "Police", 8, 8)
    add(ed, "Fire", 2, 2)
    ed.chooser.value = 0
    ed.role.value = "Lead agency"
    ed.chooser.value = 1
    assert store.get(KEY)[0]["role"] == "Lead agency"
    # a change that cannot be saved keeps the learner on it, with the typing kept
    ed.name.value = "police"
    ed.chooser.value = 0
    assert ed.chooser.value == 1
    assert ed.name.value == "police"
    assert "There is already a stakeholder called 'Police'" in status_text(ed)
    assert store.get(KEY)[1]["name"] == "Fire"


def test_delete_asks_first_and_can_be_undone(store):
    ed = build(store)
    add(ed, "Police", 8, 8)
    add(ed, "Fire", 2, 2)
    ed.chooser.value = 0
    ed.delete_button.click()
    assert ed.confirm_box.layout.display == "flex"
    assert "Delete \u2018Police\u2019" in ed.confirm_text.value
    assert len(store.get(KEY)) == 2
    ed.confirm_cancel.click()
    assert len(store.get(KEY)) == 2
    assert "Nothing was changed" in status_text(ed)
    ed.chooser.value = 0
    ed.delete_button.click()
    ed.confirm_yes.click()
    assert [r["name"] for r in store.get(KEY)] == ["Fire"]
    assert offsets(ed) == [(2.0, 2.0)]
    ed.undo_button.click()
    assert [r["name"] for r in store.get(KEY)] == ["Police", "Fire"]
    assert [t.get_text() for t in labels(ed)] == ["Police", "Fire"]
    assert "Undone: deleting Police" in status_text(ed)


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "can't be empty"),
        ("   ", "can't be empty"),
        ("  police  ", "already a stakeholder called 'Police'"),
        ("POLICE", "already a stakeholder called 'Police'"),
        ("Pol\tice", "control characters"),
        ("x" * 201, "up to 200 characters"),
    ],
)
def test_invalid_names_are_refused_and_nothing_is_lost(store, name, message):
    ed = build(store)
    add(ed, "Police", 8, 8)
    revisions = len(store.history(KEY))
    fill(ed, name, 3, 3, organisation="Typed organisation")
    ed.add_button.click()
    assert message in status_text(ed)
    assert "pl-status-error" in ed.status.value
    assert [r["name"] for r in store.get(KEY)] == ["Police"]
    assert len(store.history(KEY)) == revisions
    assert (ed.name.value, ed.organisation.value) == (name, "Typed organisation")
    draft = store.get(AnswerKey(NB, EX, "_stakeholders_draft"))
    assert draft["organisation"] == "Typed organisation"


def test_name_problem_rules():
    people = [Stakeholder("Local  Police", 1, 1)]
    assert name_problem("local police", people) is not None
    assert name_problem("local police", people, editing=0) is None
    assert name_problem("Fire", people) is None


def test_out_of_range_saved_rows_are_reported_not_lost(store):
    bad = [
        {"name": "Police", "power": 8, "interest": 8},
        {"name": "Fire", "power": 12, "interest": 1},
        {"name": "police", "power": 1, "interest": 1},
    ]
    store.save(KEY, bad)
    ed = build(store)
    assert [p.name for p in ed.people] == ["Police"]
    text = status_text(ed)
    assert "2 saved row(s) could not be shown" in text
    assert "power must be from 0 to 10, got 12" in text
    assert "kept in your answer history" in text
    assert store.get(KEY) == bad  # nothing overwritten until the learner changes something


# --- restore, reset ------------------------------------------------------------------------


def test_rebuild_restores_table_selection_and_typing(store):
    ed = build(store)
    add(ed, "Police", 8, 8, attitude="supporter")
    add(ed, "Fire", 2, 3)
    ed.chooser.value = 1
    ed.role.value = "Half-typed role"
    again = build(store)
    assert again.people == ed.people
    assert offsets(again) == [(8.0, 8.0), (2.0, 3.0)]
    assert again.chooser.value == 1
    assert again.role.value == "Half-typed role"
    assert (again.power.value, again.interest.value) == (2.0, 3.0)
    assert "Fire (power 2, interest 3)" in again.chart.value


def test_reset_clears_and_undo_reset_brings_back(store):
    ed = build(store)
    add(ed, "Police", 8, 8)
    add(ed, "Fire", 2, 2)
    bar = ed.widget.children[-1]
    reset, undo = bar.children[0].children
    yes = bar.children[1].children[1]
    reset.click()
    yes.click()
    assert store.get(KEY) is None
    assert ed.people == [] and offsets(ed) == []
    assert "No stakeholders yet" in ed.table.value
    undo.click()
    assert [r["name"] for r in store.get(KEY)] == ["Police", "Fire"]
    assert offsets(ed) == [(8.0, 8.0), (2.0, 2.0)]
    assert [t.get_text() for t in labels(ed)] == ["Police", "Fire"]


# --- hostile text --------------------------------------------------------------------------


def test_hostile_names_round_trip_and_are_escaped_and_drawn_literally(store):
    ed = build(store)
    for k, name in enumerate(HOSTILE_NAMES):
        add(ed, name, k + 1, 9 - k, organisation=name, role=name)
    assert [r["name"] for r in store.get(KEY)] == HOSTILE_NAMES
    assert [r["organisation"] for r in store.get(KEY)] == HOSTILE_NAMES
    assert [t.get_text() for t in labels(ed)] == HOSTILE_NAMES
    assert not any(t.get_parse_math() for t in labels(ed))
    for value in (ed.table.value, ed.chart.value, ed.status.value, ed.form_heading.value):
        assert "<script>" not in value
        assert "\"&'<>" not in value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ed.table.value
    assert "&#34;&amp;&#39;&lt;&gt;" in ed.table.value
    assert "$x_1\\" in ed.table.value and "🦄 Unicorn trust" in ed.table.value
    ed.chooser.value = 0
    assert "&lt;script&gt;" in ed.form_heading.value
    ed.delete_button.click()
    assert "&lt;script&gt;" in ed.confirm_text.value and "<script>" not in ed.confirm_text.value
    assert "<script>" not in ed.status.value
    assert "Delete \u2018<script>alert(1)</script>\u2019" in status_text(ed)


def test_nul_and_one_megabyte_text_round_trip_and_stay_escaped(store):
    ed = build(store)
    organisation = "<b>Org</b>\x00 with a NUL"
    role = "<i>" + "r" * 1_000_000
    add(ed, "Police", 8, 8, organisation=organisation, role=role)
    (row,) = store.get(KEY)
    assert (row["organisation"], row["role"]) == (organisation, role)
    assert "<b>" not in ed.table.value and "<i>" not in ed.table.value
    assert "&lt;b&gt;Org&lt;/b&gt;\x00 with a NUL" in ed.table.value
    assert build(store).people == ed.people


# --- CSV -----------------------------------------------------------------------------------


def test_import_into_an_empty_table_replaces_at_once(store):
    ed = build(store)
    people = [Stakeholder("Police", 8, 7), Stakeholder("=cmd()", 2, 9, attitude="neutral")]
    assert ed.import_csv(stakeholders_to_csv(people).encode(), filename="mine.csv")
    assert store.get(KEY) == stakeholder_rows(people)
    assert offsets(ed) == [(8.0, 7.0), (2.0, 9.0)]
    assert "Imported 2 stakeholder(s) from mine.csv" in status_text(ed)


def test_import_over_a_table_asks_replace_or_add(store):
    ed = build(store)
    add(ed, "Fire", 2, 2)
    data = b"name,power,interest\nPolice,8,7\n"
    ed.import_csv(data, filename="mine.csv")
    assert ed.confirm_box.layout.display == "flex"
    assert [ed.confirm_yes.description, ed.confirm_other.description] == [
        "Replace my table",
        "Add to my table",
    ]
    assert [r["name"] for r in store.get(KEY)] == ["Fire"]
    ed.confirm_other.click()
    assert [r["name"] for r in store.get(KEY)] == ["Fire", "Police"]
    ed.import_csv(data, filename="mine.csv")
    ed.confirm_yes.click()
    assert [r["name"] for r in store.get(KEY)] == ["Police"]
    ed.undo_button.click()
    assert [r["name"] for r in store.get(KEY)] == ["Fire", "Police"]


def test_adding_clashing_names_from_a_file_changes_nothing(store):
    ed = build(store)
    add(ed, "Police", 2, 2)
    ed.import_csv(b"name,power,interest\n police ,8,7\n", filename="mine.csv")
    ed.confirm_other.click()
    assert "already has 'police'" in status_text(ed)
    assert [r["name"] for r in store.get(KEY)] == ["Police"]


BAD_FILES = [
    (b"name,power\nA,1\n", "column 'interest'"),
    (b"name,power,interest\nA,x,1\n", "Row 1 (line 2 of the file), column 'power'"),
    (b"name,power,interest\nA,1,12\n", "Row 1 (line 2 of the file), column 'interest'"),
    (b"name,power,interest\n,1,1\n", "Row 1 (line 2 of the file), column 'name'"),
    (b"name,power,interest\nA,1,1\na,1,1\n", "Row 2 (line 3 of the file), column 'name'"),
    (b"name,power,interest,attitude\nA,1,1,cross\n", "column 'attitude'"),
    ("name,power,interest\nCafé,1,1\n".encode("cp1252"), "not saved as UTF-8"),
    (b"name,power,interest\n", "no stakeholder rows"),
]


@pytest.mark.parametrize(("data", "words"), BAD_FILES)
def test_import_errors_are_explained_and_change_nothing(store, data, words):
    ed = build(store)
    add(ed, "Fire", 2, 2)
    history = store.history(KEY)
    picture = ed.chart.value
    assert not ed.import_csv(data, filename="bad.csv")
    text = status_text(ed)
    assert "pl-status-error" in ed.status.value
    assert words in text
    assert "Nothing was changed" in text
    assert store.history(KEY) == history
    assert ed.chart.value == picture
    assert ed.confirm_box.layout.display == "none"


def test_too_large_upload_is_refused_without_reading(store):
    ed = build(store)
    assert not ed.import_csv(b"", filename="huge.csv", size=5_000_000)
    assert "largest file" in status_text(ed)


def test_file_upload_widget_imports_and_clears(store):
    ed = build(store)
    content = b"name,power,interest\nPolice,8,7\n"
    ed.upload.value = (
        {
            "name": "team.csv",
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
    )
    assert [r["name"] for r in store.get(KEY)] == ["Police"]
    assert ed.upload.value == ()


def test_export_gives_a_safe_download_link(store):
    ed = build(store)
    add(ed, '=HYPERLINK("x")', 2, 2)
    add(ed, "<script>alert(1)</script>", 8, 8, attitude="opponent")
    text = ed.export()
    link = ed.download.value
    match = re.search(
        r'<a download="stakeholders.csv" '
        r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"',
        link,
    )
    assert match
    decoded = base64.b64decode(match.group(1)).decode("utf-8")
    assert decoded == text == stakeholders_to_csv(ed.people, bom=True)
    assert "'=HYPERLINK" in decoded
    assert "<script>" not in link and "HYPERLINK" not in link
    assert stakeholders_from_csv(decoded.encode()) == ed.people
    # the link follows later changes
    ed.chooser.value = 0
    ed.power.value = 3
    assert ed.download.value != link


# --- worked examples -----------------------------------------------------------------------


def test_worked_example_loads_asks_over_a_table_and_can_be_undone(store):
    ed = build(store)
    examples = worked_examples()
    ed.example.value = "community_safety"
    ed.load_button.click()  # empty table: no question
    first = list(examples["community_safety"].stakeholders)
    assert store.get(KEY) == stakeholder_rows(first)
    assert [t.get_text() for t in labels(ed)] == [p.name for p in first]
    add(ed, "Our own partner", 5, 5)
    mine = store.get(KEY)
    ed.example.value = "drug_alcohol"
    ed.load_button.click()
    assert "Replace your" in ed.confirm_text.value
    assert store.get(KEY) == mine
    ed.confirm_yes.click()
    assert store.get(KEY) == stakeholder_rows(examples["drug_alcohol"].stakeholders)
    assert "Loaded the worked example" in status_text(ed)
    ed.undo_button.click()
    assert store.get(KEY) == mine
    # every step is its own revision, so the history can go back too
    values = [r.value for r in store.history(KEY)]
    assert values[-3:] == [mine, stakeholder_rows(examples["drug_alcohol"].stakeholders), mine]


def test_worked_examples_are_offered_by_title(store):
    ed = build(store)
    assert [label for label, _ in ed.example.options] == [
        ex.title for ex in worked_examples().values()
    ]


# --- a second placement --------------------------------------------------------------------


def test_second_placement_starts_from_the_first_and_draws_movement(store):
    first = build(store)
    for name, p, i in [("Police", 8, 8), ("Fire", 2, 7), ("Schools", 3, 2)]:
        add(first, name, p, i)
    later = build(store, field="after_six_months", previous_field="stakeholders")
    after = AnswerKey(NB, EX, "after_six_months")
    assert store.get(after) == store.get(KEY)
    assert "Started from your first placement" in status_text(later)
    assert later.movement.layout.display is None and later.movement.value
    assert arrows(later) == []
    later.chooser.value = 1
    later.power.value = 7
    assert store.get(after)[1]["power"] == 7.0
    assert store.get(KEY)[1]["power"] == 2.0
    (arrow,) = arrows(later)
    assert arrow.get_gid() == "move:Fire"
    (hollow,) = [c for c in later.grid.ax.collections if c.get_gid() == "previous-positions"]
    assert [tuple(map(float, xy)) for xy in hollow.get_offsets()] == [(2.0, 7.0)]
    assert "Fire moved from INFORM to INVOLVE" in later.chart.value
    later.movement.value = False
    assert arrows(later) == []
    assert "moved" not in later.chart.value
    later.movement.value = True
    assert len(arrows(later)) == 1


def test_copy_the_first_placement_asks_over_a_table(store):
    first = build(store)
    add(first, "Police", 8, 8)
    later = build(store, field="after_six_months", previous_field="stakeholders")
    add(later, "Extra", 1, 1)
    later.copy_button.click()
    later.confirm_yes.click()
    assert store.get(AnswerKey(NB, EX, "after_six_months")) == store.get(KEY)


def test_a_fixed_previous_placement_draws_arrows(store):
    ed = build(store, previous=[Stakeholder("Police", 2, 2)])
    add(ed, "Police", 8, 8)
    assert [a.get_gid() for a in arrows(ed)] == ["move:Police"]
    assert store.get(KEY)[0]["power"] == 8.0


# --- figures -------------------------------------------------------------------------------


def test_no_figures_pile_up_over_50_slider_changes(store):
    ed = build(store)
    for k in range(5):
        add(ed, f"S{k}", k + 1, 9 - k)
    ed.chooser.value = 2
    figures = plt.get_fignums()
    fig = ed.grid.fig
    artists = len(ed.grid.ax.get_children())
    for step in range(50):
        ed.power.value = 0.5 + (step % 19) * 0.5
    assert plt.get_fignums() == figures
    assert fig.number not in plt.get_fignums()  # never held by pyplot
    assert ed.grid.fig is fig
    assert len(ed.grid.ax.get_children()) == artists
    assert store.get(KEY)[2]["power"] == 0.5 + (49 % 19) * 0.5


def test_the_grid_is_the_one_live_chart_view_and_follows_projector_mode(store):
    ed = build(store)
    for name, p, i in [("A", 2, 2), ("B", 3, 8), ("C", 7, 7)]:
        add(ed, name, p, i)
    assert isinstance(ed.chart, LiveChart) and ed.grid is ed.chart.engine
    assert {"pl-chart-view", "pl-stakeholder-grid"} <= set(ed.chart._dom_classes)
    workbook = ed.grid.size
    set_projector(True)
    try:
        assert ed.grid.last_path == "full"
        assert ed.grid.size[0] > workbook[0]
        ed.chooser.value = 1
        ed.power.value = 8.5  # a move in projector mode: repainted in the same style
        assert ed.grid.last_path == "partial"
        assert_same_picture(ed.grid.png, ed.grid.reference_png())
        assert "B (power 8.5, interest 8)" in ed.chart.value
    finally:
        set_projector(False)
    assert ed.grid.size == workbook and ed.grid.last_path == "full"
    assert offsets(ed)[1] == (8.5, 8.0)


def test_the_grid_sits_beside_the_form_only_where_its_names_stay_legible(store):
    """In JupyterLab at 1366 px with the side bar open the grid was squeezed beside the
    form to 558 px and its names showed at 7.8 px: it may not shrink below the width at
    which its smallest text is 11 px, so the flex row puts it below the form instead."""
    ed = build(store)
    layout = ed.picture.layout
    width = legible_width(ed.chart)
    assert ed.chart.min_text_px * width / ed.chart.width >= MIN_CHART_TEXT_PX
    assert layout.min_width.startswith(f"min({width}px, ")
    assert layout.flex == f"1 1 {width}px" and layout.max_width == f"{ed.chart.width}px"
    assert width > 558  # the squeezed width no longer fits beside the form
    set_projector(True)
    try:  # a new style: a new size and text, and the rule follows
        projector = legible_width(ed.chart)
        assert projector != width and layout.min_width.startswith(f"min({projector}px, ")
    finally:
        set_projector(False)
    assert layout.min_width.startswith(f"min({width}px, ")


@pytest.mark.parametrize("style_name", ["workbook", "projector", "high_contrast"])
def test_live_grid_matches_a_full_redraw(style_name):
    rng = random.Random(4)
    people = [
        Stakeholder(
            f"Partner {k} {rng.choice(['council', 'trust', 'police'])}",
            round(rng.uniform(0, 10), 1),
            round(rng.uniform(0, 10), 1),
            attitude=rng.choice([None, "supporter", "neutral", "opponent"]),
        )
        for k in range(30)
    ]
    with style_context(style_name):
        grid = live_grid(people)
        assert grid.last_path == "full"
        paths = set()
        for _ in range(12):
            k = rng.randrange(len(people))
            people[k] = replace(people[k], power=round(rng.uniform(0, 10), 1))
            png = update(grid, people)
            paths.add(grid.last_path)
            assert_same_picture(png, grid.engine.reference_png())
        assert "partial" in paths
        people.append(Stakeholder("Newcomer", 5, 5, attitude="supporter"))
        png = update(grid, people)
        assert grid.last_path == "layer"
        # the whole layer over the cached background, glyphs replayed from the cache:
        # exactly the pixels of a from-scratch draw on a plain canvas
        assert np.array_equal(pixels(png), pixels(grid.engine.reference_png()))
        people = [replace(p, attitude=None) for p in people]  # the key goes: lay out again
        assert_same_picture(update(grid, people), grid.engine.reference_png())
        assert grid.last_path == "full"
        assert grid.ax.get_legend() is None


def test_live_grid_redraws_nothing_when_nothing_moved():
    grid = live_grid([Stakeholder("A", 1, 1)])
    png = grid.png
    assert update(grid, [Stakeholder("A", 1, 1)]) == png
    assert grid.last_path == "unchanged"


def test_table_html_for_an_empty_and_a_full_table():
    assert "No stakeholders yet" in table_html([])
    markup = table_html([Stakeholder("A", 9, 1)], selected=0)
    assert '<th scope="row"' in markup and "<caption" in markup
    assert "<strong>KEEP ON BOARD</strong>" in markup


# --- the portfolio -------------------------------------------------------------------------


def test_the_exercise_is_recorded_for_the_portfolio(store):
    from partnership_lib.documents.portfolio import portfolio_document

    ed = build(store, title="Stakeholders in our partnership")
    add(ed, "Police", 8, 8)
    assert store.get(AnswerKey(NB, EX, "_meta")) == {
        "kind": "stakeholders",
        "title": "Stakeholders in our partnership",
    }
    # nothing half-typed is left over to clutter the portfolio
    assert store.get(AnswerKey(NB, EX, "_stakeholders_draft")) is None
    document = portfolio_document(store=store, format="md")
    # under the exercise's title in the day's programme (data/sessions.yaml)
    assert "### Activity 3: your stakeholders on the grid" in document
    assert "Police" in document and "INVOLVE" in document


def test_second_placement_in_another_exercise_is_not_complete_until_worked_on(store):
    first = build(store)
    for name, p, i in [("Police", 8, 8), ("Fire", 2, 7), ("Schools", 3, 2)]:
        add(first, name, p, i)
    later = build(
        store,
        exercise="activity3_later",
        previous_exercise=EX,
        previous_field="stakeholders",
    )
    copied = AnswerKey(NB, "activity3_later", "stakeholders")
    assert store.get(copied) == store.get(KEY)
    assert store.get(AnswerKey(NB, "activity3_later", STATUS_FIELD)) is None
    later.chooser.value = 0
    later.interest.value = 3
    add(later, "Newcomer", 1, 1)
    assert store.get(AnswerKey(NB, "activity3_later", STATUS_FIELD)) == "complete"
    assert [a.get_gid() for a in arrows(later)] == ["move:Police"]


def test_live_grid_with_movement_arrows_matches_a_full_redraw():
    rng = random.Random(9)
    first = [
        Stakeholder(f"Partner {k}", round(rng.uniform(0, 10), 1), round(rng.uniform(0, 10), 1))
        for k in range(25)
    ]
    now = list(first)
    now[0] = replace(now[0], power=round(10 - now[0].power, 1))  # the key gains its entry
    grid = live_grid(now, previous=first)
    paths = set()
    for step in range(12):
        k = rng.randrange(len(now))
        # move some, and now and then put one back where it was (its arrow goes)
        target = first[k].power if step % 4 == 3 else round(rng.uniform(0, 10), 1)
        now[k] = replace(now[k], power=target)
        png = update(grid, now, previous=first)
        paths.add(grid.last_path)
        assert_same_picture(png, grid.engine.reference_png())
        moved = {p.name for p, q in zip(now, first, strict=True) if p != q}
        assert {a.get_gid() for a in grid.ax.patches if str(a.get_gid()).startswith("move:")} == {
            f"move:{name}" for name in moved
        }
    assert "partial" in paths
    # renaming someone rebuilds the names, but still only repaints what changed
    now[3] = replace(now[3], name="Renamed partner")
    assert_same_picture(update(grid, now, previous=first), grid.engine.reference_png())
