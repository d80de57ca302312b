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
    progress_view,
    share_panel,
    stored_ratings,
)
from partnership_lib.widgets.base import exercise_binding

NB = NOTEBOOK


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
    start = assessment_scale(exercise_binding(NB, "assessment_start", store=store), "start")
    end = assessment_scale(exercise_binding(NB, "assessment_end", store=store), "end")
    view = change_view(store=store)
    view.button.click()
    assert "Rate yourself at the start and at the end" in view.note.value
    assert "<img" not in view.chart.value
    start.buttons["listening"].value = 2
    end.buttons["listening"].value = 4
    end.buttons["trust"].value = 3
    assert stored_ratings(store, "assessment_start") == {"listening": 2}
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
    for key, title in (("log_01", "Concepts"), ("log_day", "The day")):
        log = ex.learning_log(s4.bind(key), session_title=title)
        for stage, area in log.textareas.items():
            area.value = f"{key} {stage} <i>note</i>"
            answers.append(area.value)
    start = assessment_scale(
        s4.bind("assessment_start"),
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
    start = assessment_scale(exercise_binding(NB, "assessment_start", store=store), "start")
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
