"""Notebook 04's exercises: the assessment, the change and progress views, the exports."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pytest
from markupsafe import escape

from partnership_lib.core.store import AnswerKey
from partnership_lib.models.personal_assessment import assessment_items
from partnership_lib.sessions.s04_reflection import (
    NOTEBOOK,
    assessment_scale,
    assessment_table_html,
    change_view,
    development_plan,
    export_panel,
    learning_logs_view,
    progress_view,
    session_log,
    share_panel,
    stored_ratings,
)
from partnership_lib.widgets.base import exercise_binding

NB = NOTEBOOK
S1 = "01_concepts_and_contexts"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_assessment_table_names_groups_items_and_sources():
    block = assessment_table_html()
    assert "Key areas for partnership working (DETR 2000)" in block.html
    assert "Listening (McNamara 2005)" in block.text
    assert "Breaking down barriers (DETR 2000)" in block.text
    assert block.html.count("<tr>") == len(assessment_items()) + 1


def test_progress_view_refreshes_from_the_store(store):
    view = progress_view(store=store)
    assert "not started" in view.table.value
    assert "0 activities complete" in view.chart.value
    store.save(("00_partnership_scenario", "scenario", "naming"), "Town <Alliance>")
    store.save(("00_partnership_scenario", "scenario", "_status"), "complete")
    view.button.click()
    assert "1 activities complete" in view.chart.value
    assert view.chart.last_path == "partial"
    assert "Town <Alliance>" not in view.chart.value + view.table.value


def test_assessment_scales_and_change_view_read_the_store(store):
    start = assessment_scale(exercise_binding(S1, "assessment_start", store=store), "start")
    end = assessment_scale(exercise_binding(NB, "assessment_end", store=store), "end")
    view = change_view(store=store)
    view.button.click()
    assert "Rate yourself at the start and at the end" in view.note.value
    assert "<img" not in view.chart.value
    start.buttons["listening"].value = 2
    end.buttons["listening"].value = 4
    end.buttons["trust"].value = 3
    assert stored_ratings(store, "assessment_start", notebook=S1) == {"listening": 2}
    view.button.click()
    assert "<img" in view.chart.value
    assert "Listening to partners so that they feel heard: start of day 2, end of day 4 (up 2)" in (
        html.unescape(view.chart.value)
    )
    # a hand-edited store with a bad value is ignored, not drawn
    store.save(AnswerKey(NB, "assessment_end", "ratings"), {"trust": 9, "listening": True})
    assert stored_ratings(store, "assessment_end") == {}


def test_assessment_scale_rejects_an_unknown_moment(store):
    with pytest.raises(ValueError, match="when must be 'start' or 'end', got 'noon'"):
        assessment_scale(exercise_binding(NB, "assessment_start", store=store), "noon")


def test_development_plan_saves_each_field(store):
    form = development_plan(exercise_binding(NB, "development_plan", store=store))
    assert list(form.textareas) == ["skill_1", "actions_1", "skill_2", "actions_2"]
    form.textareas["skill_1"].value = "Consensus building"
    assert store.get((NB, "development_plan", "skill_1")) == "Consensus building"


def test_export_panel_writes_html_and_markdown_with_download_links(store):
    store.save((NB, "log_day", "_meta"), {"kind": "learning_log", "title": "Learning log"})
    store.save((NB, "log_day", "experience"), "<b>bold</b> day")
    panel = export_panel(store=store)
    panel.name.value = "Sam <Smith>"
    panel.html_button.click()
    assert "Portfolio written to" in panel.status.value
    assert 'href="data:text/html;base64,' in panel.status.value
    written = sorted((store.path.parent / "exports").glob("portfolio-*.html"))
    assert len(written) == 1
    text = written[0].read_text()
    assert "&lt;b&gt;bold&lt;/b&gt; day" in text and "<b>bold</b> day" not in text
    assert "Sam &lt;Smith&gt;" in text
    panel.md_button.click()
    assert 'href="data:text/markdown;base64,' in panel.status.value
    assert list((store.path.parent / "exports").glob("portfolio-*.md"))


def test_share_panel_previews_then_writes_an_anonymised_file(store):
    from partnership_lib.documents.share import load_share_file

    store.save((NB, "log_day", "reflect"), "Ask Priya Shah, priya@example.org, 01632 960123")
    panel = share_panel(store=store)
    assert panel.anonymise.value is True
    assert panel.write_button.disabled is True
    panel.names.value = "Priya Shah"
    panel.display_name.value = "Table 4"
    panel.preview_button.click()
    assert "Priya Shah" in panel.preview.value and "[name 1]" in panel.preview.value
    assert panel.write_button.disabled is False
    panel.write_button.click()
    assert "Share file written to" in panel.status.value
    (path,) = (store.path.parent / "exports").glob("share-*.json")
    shared = load_share_file(path)
    value = shared.answers[AnswerKey(NB, "log_day", "reflect")]
    assert "Priya" not in value and "example.org" not in value and "960123" not in value
    assert shared.display_name == "Table 4" and shared.anonymised is True


def test_share_panel_without_anonymising_keeps_text(store):
    from partnership_lib.documents.share import load_share_file

    store.save((NB, "log_day", "reflect"), "Ask priya@example.org")
    panel = share_panel(store=store)
    panel.anonymise.value = False
    assert panel.write_button.disabled is False
    panel.write_button.click()
    (path,) = (store.path.parent / "exports").glob("share-*.json")
    assert load_share_file(path).answers[AnswerKey(NB, "log_day", "reflect")] == (
        "Ask priya@example.org"
    )


def test_without_a_room_there_is_no_send_button(store, monkeypatch):
    monkeypatch.delenv("PARTNERSHIP_ROOM_DIR", raising=False)
    panel = share_panel(store=store)
    assert panel.room is None and panel.send_button.layout.display == "none"
    panel.preview_button.click()
    assert panel.send_button.disabled is True and panel.write_button.disabled is False
    assert panel.send() is None


def test_send_to_the_room_writes_the_file_there_and_says_what_and_when(
    store, tmp_path, monkeypatch
):
    from partnership_lib.documents.share import SESSION_CODE_KEY, load_share_file

    room = tmp_path / "room"
    room.mkdir()
    monkeypatch.setenv("PARTNERSHIP_ROOM_DIR", str(room))
    monkeypatch.setenv("PARTNERSHIP_HUB_USER", "alice")
    monkeypatch.setenv("PARTNERSHIP_SESSION_CODE", "k7p q3m")
    store.save((NB, "log_day", "reflect"), "Ask Priya Shah, priya@example.org")
    panel = share_panel(store=store)
    assert panel.room == room and panel.send_button.layout.display != "none"
    assert panel.session_code.value == "k7p q3m"  # the hub's code, prefilled
    assert panel.send_button.disabled is True  # a preview first, while anonymising
    panel.names.value = "Priya Shah"
    panel.preview_button.click()
    panel.send_button.click()
    (path,) = room.glob("alice-*.json")
    shared = load_share_file(path)
    assert shared.session_code == "K7PQ3M" and shared.anonymised is True
    assert "Priya" not in shared.answers[AnswerKey(NB, "log_day", "reflect")]
    assert panel.sent.value.count("Sent ") == 1 and "to the room at" in panel.sent.value
    # Sending again replaces the learner's own file, and says so; a reload shows it.
    panel.send_button.click()
    assert len(list(room.glob("alice-*.json"))) == 1
    assert "replaces the file you sent before" in panel.sent.value
    assert "replaces the file you sent before" in share_panel(store=store).sent.value
    panel.session_code.value = "no!"
    assert panel.send() is None and "4 to 12 letters and digits" in panel.status.value
    assert store.get(SESSION_CODE_KEY) == "no!"


def test_a_room_that_cannot_be_written_says_so_and_nothing_is_lost(store, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERSHIP_HUB_USER", "alice")
    store.save((NB, "log_day", "reflect"), "Kept")
    panel = share_panel(store=store, room=tmp_path / "missing")
    panel.preview_button.click()
    assert panel.send() is None
    assert "Nothing was sent" in panel.status.value and "does not exist" in panel.status.value
    assert store.get((NB, "log_day", "reflect")) == "Kept"


def test_builders_do_not_display(store, monkeypatch):
    import IPython.display

    def _boom(*_a, **_k):
        raise AssertionError("builders must not display")

    monkeypatch.setattr(IPython.display, "display", _boom)
    for w in (
        progress_view(store=store),
        change_view(store=store),
        export_panel(store=store),
        share_panel(store=store),
    ):
        assert isinstance(w, widgets.VBox)
        assert "pl-exercise" in w._dom_classes


def _textareas(widget):
    return [w for w in _walk(widget) if isinstance(w, widgets.Textarea)]


def _fill_text(widget, tag, answers):
    for i, area in enumerate(_textareas(widget)):
        text = f"{tag} answer {i} <b>&'\"</b>"
        area.value = text
        answers.append(text)


def test_portfolio_holds_every_answer_from_notebooks_00_to_04(store):
    """Fill answers through the real builders, export the HTML portfolio, find them all."""
    from partnership_lib import widgets as ex
    from partnership_lib.documents.portfolio import export_portfolio
    from partnership_lib.models.programme import session_catalogue
    from partnership_lib.sessions import s01_concepts as concepts
    from partnership_lib.sessions import s02_climate as climate
    from partnership_lib.sessions import s03_influencing as influencing
    from partnership_lib.sessions.session import Session

    answers: list[str] = []
    # 00: the scenario form
    _fill_text(
        ex.scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store)),
        "scenario",
        answers,
    )
    # 01: Activity 2's form
    s1 = Session("01_concepts_and_contexts", store=store)
    _fill_text(concepts.activity2_form(s1.bind("activity2")), "activity2", answers)
    # 02: stakeholder rows and Activity 4's form
    s2 = Session("02_climate_for_change", store=store)
    editor = ex.stakeholder_editor(s2.bind("activity3")).editor
    for name, power, interest in (("Police & <Fire>", 8.0, 7.0), ("Residents' forum", 2.0, 9.0)):
        editor.chooser.value = -1
        editor.name.value = name
        editor.power.value = power
        editor.interest.value = interest
        editor.add_button.click()
        answers.append(name)
    _fill_text(climate.activity4_form(s2.bind("activity4")), "activity4", answers)
    # 03: the action plan
    s3 = Session("03_influencing_and_negotiation", store=store)
    _fill_text(influencing.action_plan(s3.bind("action_plan")), "plan", answers)
    # 04: wall notes, learning logs, assessment ratings, development plan
    s4 = Session(NB, store=store)
    wall = ex.postit_wall(s4.bind("evaluation"))
    colour = next(w for w in _walk(wall) if isinstance(w, widgets.RadioButtons))
    for value, text in zip(
        [v for _label, v in colour.options][:2], ("Great <day>", "More on trust"), strict=True
    ):
        colour.value = value
        _textareas(wall)[0].value = text
        next(w for w in _walk(wall) if getattr(w, "description", "") == "Add note").click()
        answers.append(text)
    # each session's log at the end of its notebook; the day's page in 04
    for key, log in (
        ("log_01", session_log(s1.bind("learning_log"))),
        ("log_day", ex.learning_log(s4.bind("log_day"), session_title="The day")),
    ):
        for stage, area in log.textareas.items():
            area.value = f"{key} {stage} <i>note</i>"
            answers.append(area.value)
    start = assessment_scale(
        s1.bind("assessment_start"),  # the start of the day opens Session 1
        "start",
    )
    end = assessment_scale(
        s4.bind("assessment_end"),
        "end",
    )
    start.buttons["listening"].value = 2
    end.buttons["listening"].value = 5
    _fill_text(development_plan(s4.bind("development_plan")), "develop", answers)

    path = export_portfolio(store=store, folder=store.path.parent, path="portfolio.html")
    document = path.read_text(encoding="utf-8")
    for text in answers:
        assert str(escape(text)) in document, text
    assert "<b>&'" not in document and "<i>note</i>" not in document
    for entry in session_catalogue():
        assert f'<section class="session" id="{entry["key"]}"' in document
    images = re.findall(r"<img [^>]*>", document)
    assert len(images) >= 4  # wall, stakeholder grid, learning logs' ratings ...
    for img in images:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and alt.group(1).strip(), img
    assert 'src="http' not in document and "<script" not in document


def test_the_change_view_repaints_only_what_moved(store):
    start = assessment_scale(exercise_binding(S1, "assessment_start", store=store), "start")
    end = assessment_scale(exercise_binding(NB, "assessment_end", store=store), "end")
    for item in assessment_items():
        start.buttons[item.key].value = 2
        end.buttons[item.key].value = 3
    view = change_view(store=store)
    view.button.click()
    assert view.chart.last_path == "full"
    fig = view.chart.figure
    end.buttons["listening"].value = 5
    view.button.click()
    assert view.chart.last_path == "partial" and view.chart.figure is fig
    assert "start of day 2, end of day 5 (up 3)" in html.unescape(view.chart.value)


def test_the_panels_are_exercises_bound_to_the_settings(store):
    from partnership_lib.documents.share import ANONYMISE_NAMES_KEY, LEARNER_NAME_KEY
    from partnership_lib.widgets.base import Exercise

    export, share = export_panel(store=store), share_panel(store=store)
    assert isinstance(export, Exercise) and isinstance(share, Exercise)
    export.name.value = "  Sam   Smith "
    assert store.get(LEARNER_NAME_KEY) == "Sam Smith"
    share.names.value = "Priya\n\n Jo "
    assert store.get(ANONYMISE_NAMES_KEY) == ["Priya", "Jo"]
    assert export_panel(store=store).name.value == "Sam Smith"
    assert share_panel(store=store).names.value == "Priya\nJo"


# --------------------------------------------------------------------------- the day's record


def _legacy(store):
    """What an earlier version stored in notebook 04: a start rating and a session log."""
    store.save((NB, "assessment_start", "ratings"), {"listening": 1, "trust": 2})
    store.save((NB, "assessment_start", "_meta"), {"kind": "rating", "title": "Start"})
    store.save((NB, "log_02", "experience"), "Mapped <b>stakeholders</b>")
    store.save((NB, "log_02", "_status"), "started")


def test_the_start_of_day_and_each_session_log_live_in_their_own_notebooks(store):
    from partnership_lib.sessions.session import Session

    s1 = Session(S1, store=store)
    start = assessment_scale(s1.bind("assessment_start"), "start")
    start.buttons["listening"].value = 3
    assert store.get((S1, "assessment_start", "ratings")) == {"listening": 3}
    for nb in (S1, "02_climate_for_change", "03_influencing_and_negotiation"):
        log = session_log(Session(nb, store=store).bind("learning_log"))
        first = next(iter(log.textareas))
        log.textareas[first].value = f"{nb} page"
        assert store.get((nb, "learning_log", first)) == f"{nb} page"
    with pytest.raises(ValueError, match="no exercise 'log_01'"):
        Session(NB, store=store).bind("log_01")  # no longer a part of notebook 04
    assert "Learning log" in Session(S1, store=store).title_of("learning_log")


def test_answers_kept_in_04_by_an_earlier_version_move_to_their_new_homes(store):
    _legacy(store)
    view = change_view(store=store)
    view.button.click()  # read from 04 while they have not moved
    assert "2 start ratings" in view.note.value
    logs = learning_logs_view(store=store)
    assert "Mapped &lt;b&gt;stakeholders&lt;/b&gt;" in logs.pages.value
    # opening the new homes moves them there, once
    start = assessment_scale(exercise_binding(S1, "assessment_start", store=store), "start")
    assert start.buttons["trust"].value == 2
    page = session_log(exercise_binding("02_climate_for_change", "learning_log", store=store))
    assert page.textareas["experience"].value == "Mapped <b>stakeholders</b>"
    assert store.get((NB, "assessment_start", "ratings")) is None
    assert store.get((NB, "log_02", "experience")) is None
    assert store.get(("02_climate_for_change", "learning_log", "_status")) == "started"
    # still gathered in 04, once
    logs.button.click()
    assert logs.pages.value.count("Mapped &lt;b&gt;stakeholders&lt;/b&gt;") == 1
    view.button.click()
    assert "2 start ratings" in view.note.value


def test_the_gathered_logs_say_where_an_unwritten_page_is(store):
    store.save(("03_influencing_and_negotiation", "learning_log", "plan"), "Rate <us>")
    html_ = learning_logs_view(store=store).pages.value
    assert html_.count("Not written yet") == 2
    assert "notebook 01_concepts_and_contexts" in html_
    assert "Rate &lt;us&gt;" in html_ and "<us>" not in html_
    assert "Influencing and Negotiation" in html_
