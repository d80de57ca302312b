"""Session scaffolding: header, how-to, progress and the group-feedback reveal."""

from __future__ import annotations

import pytest

from partnership_lib.models import frameworks
from partnership_lib.sessions.session import Session
from partnership_lib.widgets import feedback_reveal, text_prompt
from partnership_lib.widgets.base import exercise_binding


def test_header_names_the_session_and_its_place_in_the_day():
    header = Session("02_climate_for_change").header()
    assert "Session 2 of the day, 11.30" in header.html
    assert "Reviewing Stakeholder Involvement" in header.html
    assert header.text.startswith("Creating a Climate for Change.")


def test_unknown_session_and_exercise_are_named():
    with pytest.raises(ValueError, match="unknown session '99_x'"):
        Session("99_x")
    with pytest.raises(ValueError, match="no exercise 'nope'"):
        Session("00_partnership_scenario").title_of("nope")


def test_how_to_mentions_run_all_autosave_reset_and_export(monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    text = Session("01_concepts_and_contexts").how_to().html
    for phrase in ("Run All", "save themselves", "Reset this exercise", "Undo reset", "export"):
        assert phrase in text


def test_how_to_in_voila_has_no_run_menu_and_keeps_the_data_folder_in_a_fold(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.8")
    block = Session("01_concepts_and_contexts").how_to()
    assert "Run All" not in block.html and "Run All" not in block.text
    assert "ready" in block.html and "open it again" in block.html
    monkeypatch.delenv("SERVER_SOFTWARE")
    for html in (block.html, Session("01_concepts_and_contexts").how_to().html):
        # the terminal command and the variable sit in the "More" fold, not in the list
        listed, fold = html.split("<details", 1)
        assert "partnership where" not in listed and "PARTNERSHIP_DATA_DIR" not in listed
        assert "<summary>More: where your answers are kept</summary>" in fold
        assert "partnership where" in fold and "PARTNERSHIP_DATA_DIR" in fold


def test_feedback_is_revealed_only_after_an_answer(store):
    lists = frameworks.feedback(1)
    box = feedback_reveal(exercise_binding("nb", "act1", store=store), lists)
    button, status, panel = box.children
    button.value = True
    assert panel.value == "" and "Answer the activity first" in status.value
    assert button.value is False
    prompt = text_prompt(exercise_binding("nb", "act1", store=store), "Q?")
    prompt.textarea.value = "My example <b>"
    button.value = True
    assert "setting up a domestic violence forum" in panel.value
    assert "Positive experiences included" in panel.value
    button.value = False
    assert panel.value == ""


def test_feedback_text_is_escaped():
    from partnership_lib.widgets import feedback_html

    class FL:
        heading = "<h1>x</h1>"
        items = ("<script>alert(1)</script>",)

    out = feedback_html([FL()])
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_header_and_closing_escape_the_content_they_show(content_copy):
    sessions = content_copy / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    text = text.replace(
        "- Reviewing Stakeholder Involvement", "- Reviewing <b>Stakeholder</b> & co"
    )
    sessions.write_text(text, encoding="utf-8")
    session = Session("02_climate_for_change")
    header = session.header().html
    assert "<li>Reviewing &lt;b&gt;Stakeholder&lt;/b&gt; &amp; co</li>" in header
    assert "<b>Stakeholder" not in header
    assert header.startswith('<div class="pl-session-header"><style>')
    assert "[style^='width: 100%']" in header  # the page's own style sheet is not escaped
    closing = session.closing(["Which <i>one</i> change?"]).html
    assert "<li>Which &lt;i&gt;one&lt;/i&gt; change?</li>" in closing
    assert "<strong>What comes next:</strong> Session 3" in closing
    assert Session("04_feedback_and_reflection").closing().html.count("THINK ABOUT") == 0
