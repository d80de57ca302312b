"""Free-text exercises: text_prompt, text_form, scenario_form, fill_form and undo_fill."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import button, html_values, walk

from partnership_lib.core.store import STATUS_FIELD, AnswerStore
from partnership_lib.models import frameworks
from partnership_lib.widgets.base import Exercise, NotebookProgress, exercise_binding
from partnership_lib.widgets.text import (
    FormField,
    TextForm,
    TextPrompt,
    fill_form,
    scenario_fields,
    scenario_form,
    text_form,
    text_prompt,
    undo_fill,
    word_count,
)

NB, EX = "01_test", "prompt"
HOSTILE = [
    "<script>alert(1)</script>",
    "\"&'<>",
    "مرحبا بالعالم \u202eevil",
    "Partnership 🤝 working 🎉",
    "nul\x00byte",
    "x" * 1_000_000,
]


@pytest.fixture(autouse=True)
def _no_display(monkeypatch):
    """Builders must never display anything themselves."""
    import IPython.display

    def _refuse(*args, **kwargs):
        raise AssertionError("a builder called display()")

    monkeypatch.setattr(IPython.display, "display", _refuse)


def reset_and_confirm(widget):
    button(widget, "Reset this exercise").click()
    button(widget, "Yes, clear my answers").click()


def status_text(widget):
    return widget.status.value


def key(field, exercise=EX, notebook=NB):
    return f"{notebook}/{exercise}/{field}"


# --- text_prompt ---------------------------------------------------------------------


def test_prompt_is_a_labelled_textarea_in_a_vbox(store):
    w = text_prompt(exercise_binding(NB, EX, store=store), "What does partnership mean to you?")
    # the returned widget is the exercise itself
    assert isinstance(w, TextPrompt) and isinstance(w, Exercise) and isinstance(w, widgets.VBox)
    assert w.kind == "text" and w.key == EX and w.notebook == NB
    assert {"pl-exercise", "pl-text"} <= set(w._dom_classes)
    area = w.textarea
    assert area.description == "What does partnership mean to you?"
    assert area.continuous_update is True
    assert any("What does partnership mean to you?" in v for v in html_values(w))
    assert area in list(walk(w))
    assert w.status in list(walk(w))
    assert button(w, "Reset this exercise")


def test_each_keystroke_is_saved_and_counted(store):
    w = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
    assert "0 words" in w.word_count.value
    w.textarea.value = "S"
    w.textarea.value = "Shared"
    w.textarea.value = "Shared outcomes for people"
    assert store.get(key("text")) == "Shared outcomes for people"
    assert len(store.history(key("text"))) == 1  # one burst of typing, one revision
    assert "4 words" in w.word_count.value
    assert "Saved." in status_text(w)
    assert store.get(key(STATUS_FIELD)) == "complete"


def test_prompt_completion_follows_the_text(store):
    w = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
    assert store.get(key(STATUS_FIELD)) is None
    w.textarea.value = "   "
    assert store.get(key(STATUS_FIELD)) == "started"
    w.textarea.value = "Because"
    assert store.get(key(STATUS_FIELD)) == "complete"
    w.textarea.value = ""
    assert store.get(key(STATUS_FIELD)) == "started"


def test_prompt_restores_on_rebuild_and_uses_its_field(store):
    w = text_prompt(exercise_binding(NB, EX, store=store), "Why?", field="why")
    w.textarea.value = "Trust takes time"
    again = text_prompt(exercise_binding(NB, EX, store=store), "Why?", field="why")
    assert again.textarea.value == "Trust takes time"
    assert "3 words" in again.word_count.value
    assert store.get(key("text")) is None


def test_prompt_reset_clears_and_undo_brings_back(store):
    w = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
    w.textarea.value = "Keep this"
    reset_and_confirm(w)
    assert store.get(key("text")) is None
    assert store.get(key(STATUS_FIELD)) is None
    assert w.textarea.value == ""
    assert "0 words" in w.word_count.value
    assert "Cleared" in status_text(w)
    # the reset itself did not save the empty box as an answer
    assert store.history(key("text"))[-1].action == "reset"
    button(w, "Undo reset").click()
    assert store.get(key("text")) == "Keep this"
    assert w.textarea.value == "Keep this"
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert "2 words" in w.word_count.value


def test_prompt_refreshes_the_progress_line(store):
    progress = NotebookProgress(NB, [(EX, "Why"), ("other", "Other")], store=store)
    w = text_prompt(exercise_binding(NB, EX, store=store, progress=progress), "Why?")
    assert "0 of 2 activities started" in progress.widget.value
    w.textarea.value = "Done"
    assert "1 of 2 activities started, 1 complete" in progress.widget.value


@pytest.mark.parametrize("text", HOSTILE, ids=["script", "quotes", "rtl", "emoji", "nul", "1MB"])
def test_hostile_text_round_trips_and_is_never_raw_html(store, text):
    w = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
    w.textarea.value = text
    assert store.get(key("text")) == text
    again = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
    assert again.textarea.value == text
    for value in html_values(again):
        assert "<script>" not in value
        assert "\"&'<>" not in value


def test_hostile_prompt_is_escaped(store):
    w = text_prompt(exercise_binding(NB, EX, store=store), "<script>alert(1)</script> \"&'<>")
    joined = "".join(html_values(w))
    assert "<script>" not in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&amp;&#39;&lt;&gt;" in joined
    # the accessible name is plain text, not HTML
    assert w.textarea.description == "<script>alert(1)</script> \"&'<>"
    assert w.textarea.description_allow_html is False


@pytest.mark.parametrize("stored", [["a", "list"], {"a": 1}, 42, True])
def test_stored_value_of_the_wrong_shape_is_reported_not_shown(store, stored):
    store.save(key("text"), stored)
    w = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
    assert w.textarea.value == ""
    assert "not text" in status_text(w)
    assert "pl-status-warning" in status_text(w)
    # it is still in the store until the learner types over it
    assert store.get(key("text")) == stored
    w.textarea.value = "New answer"
    assert store.get(key("text")) == "New answer"
    assert store.history(key("text"))[0].value == stored


def test_prompt_rejects_bad_arguments(store):
    with pytest.raises(ValueError, match="prompt must be non-empty"):
        text_prompt(exercise_binding(NB, EX, store=store), "  ")
    with pytest.raises(ValueError, match="rows must be a whole number"):
        text_prompt(exercise_binding(NB, EX, store=store), "Why?", rows=0)
    with pytest.raises(ValueError, match="must not contain '/'"):
        text_prompt(exercise_binding(NB, EX, store=store), "Why?", field="a/b")
    with pytest.raises(ValueError, match="reserved"):
        text_prompt(exercise_binding(NB, EX, store=store), "Why?", field="_status")


def test_memory_store_says_answers_are_kept_for_this_session_only(tmp_path):
    # a folder that is a file cannot hold the database: the store falls back to memory
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    store = AnswerStore(blocker / "answers.sqlite3")
    try:
        assert store.status.mode == "memory"
        w = text_prompt(exercise_binding(NB, EX, store=store), "Why?")
        w.textarea.value = "Hello"
        assert "this session only" in status_text(w)
    finally:
        store.close()


def test_word_count():
    assert word_count("") == 0
    assert word_count("  one\ttwo\nthree  ") == 3


# --- FormField and text_form ---------------------------------------------------------


def fields():
    return [
        FormField("who", "Who is involved?", guidance="List <them> all.", optional=False),
        FormField("what", "What will you do?", questions=("When?", "How & why?")),
        FormField("why", "Why?", rows=2, optional=False),
    ]


def test_form_field_validates():
    with pytest.raises(ValueError, match="label must be non-empty"):
        FormField("a", " ")
    with pytest.raises(ValueError, match="must not contain '/'"):
        FormField("a/b", "A")
    with pytest.raises(ValueError, match="reserved"):
        FormField("_a", "A")
    with pytest.raises(ValueError, match="rows must be a whole number"):
        FormField("a", "A", rows=0)
    with pytest.raises(ValueError, match="questions must be a list"):
        FormField("a", "A", questions="one question")
    with pytest.raises(ValueError, match="each question must be non-empty"):
        FormField("a", "A", questions=("ok", ""))
    with pytest.raises(ValueError, match="optional must be True or False"):
        FormField("a", "A", optional="yes")
    assert FormField("a", "A", questions=["q"]).questions == ("q",)


def test_form_rejects_duplicate_and_missing_fields(store):
    with pytest.raises(ValueError, match="duplicate field key 'a'"):
        text_form(exercise_binding(NB, EX, store=store), [FormField("a", "A"), FormField("a", "B")])
    with pytest.raises(ValueError, match="at least one field"):
        text_form(exercise_binding(NB, EX, store=store), [])


def test_form_shows_labels_guidance_and_questions(store):
    form = text_form(exercise_binding(NB, "form", store=store), fields(), title="My <form>")
    assert isinstance(form, TextForm)
    assert {"pl-exercise", "pl-text-form"} <= set(form._dom_classes)
    joined = "".join(html_values(form))
    assert "My &lt;form&gt;" in joined
    assert "List &lt;them&gt; all." in joined
    assert "<li>How &amp; why?</li>" in joined
    assert form.textareas["why"].rows == 2
    assert form.textareas["who"].description == "Who is involved?"
    hidden = text_form(exercise_binding(NB, "form2", store=store), fields(), show_guidance=False)
    assert "List &lt;them&gt; all." not in "".join(html_values(hidden))


def test_form_saves_each_field_and_tracks_completeness(store):
    form = text_form(exercise_binding(NB, "form", store=store), fields())
    assert "0 of 3 steps complete (still needed: Who is involved?, Why?)" in form.completeness.value
    form.textareas["who"].value = "Council, NHS"
    assert store.get(key("who", "form")) == "Council, NHS"
    assert "1 of 3 steps complete (still needed: Why?)" in form.completeness.value
    assert store.get(key(STATUS_FIELD, "form")) == "started"
    form.textareas["why"].value = "Better health"
    assert "2 of 3 steps complete" in form.completeness.value
    assert "still needed" not in form.completeness.value
    # complete: every required field filled; the optional one may stay empty
    assert store.get(key(STATUS_FIELD, "form")) == "complete"
    assert form.is_complete()
    form.textareas["who"].value = " "
    assert store.get(key(STATUS_FIELD, "form")) == "started"


def test_all_optional_form_is_complete_only_when_all_filled(store):
    f = [FormField("a", "A"), FormField("b", "B")]
    form = text_form(exercise_binding(NB, "opt", store=store), f, item_name="question")
    form.textareas["a"].value = "x"
    assert "1 of 2 questions complete" in form.completeness.value
    assert store.get(key(STATUS_FIELD, "opt")) == "started"
    form.textareas["b"].value = "y"
    assert store.get(key(STATUS_FIELD, "opt")) == "complete"


def test_form_restores_and_resets(store):
    form = text_form(exercise_binding(NB, "form", store=store), fields())
    form.textareas["who"].value = "Police"
    form.textareas["what"].value = "Patrols"
    again = text_form(exercise_binding(NB, "form", store=store), fields())
    assert again.textareas["who"].value == "Police"
    assert again.textareas["what"].value == "Patrols"
    assert "2 of 3" in again.completeness.value
    reset_and_confirm(again)
    assert store.answers(NB) == {}
    assert [a.value for a in again.textareas.values()] == ["", "", ""]
    assert "0 of 3" in again.completeness.value
    button(again, "Undo reset").click()
    assert again.textareas["who"].value == "Police"
    assert store.get(key("what", "form")) == "Patrols"
    assert "2 of 3" in again.completeness.value


def test_form_reports_each_field_of_the_wrong_shape(store):
    store.save(key("who", "form"), ["Police", "Fire"])
    store.save(key("why", "form"), 7)
    form = text_form(exercise_binding(NB, "form", store=store), fields())
    status = status_text(form)
    assert "Who is involved?" in status and "a list" in status
    assert "Why?" in status and "a number" in status
    assert form.textareas["who"].value == ""


def test_form_escapes_hostile_labels_and_text(store):
    hostile = [FormField("a", "<script>alert(1)</script>", guidance="\"&'<>")]
    form = text_form(exercise_binding(NB, "h", store=store), hostile, title="<b>t</b>")
    form.textareas["a"].value = "<script>alert(2)</script>"
    assert store.get(key("a", "h")) == "<script>alert(2)</script>"
    for value in html_values(form):
        assert "<script>" not in value and "\"&'<>" not in value and "<b>t" not in value
    assert "still needed" not in form.completeness.value


def test_form_does_not_open_figures(store):
    before = plt.get_fignums()
    form = text_form(exercise_binding(NB, "form", store=store), fields())
    for i in range(50):
        form.textareas["who"].value = f"text {i}"
    assert plt.get_fignums() == before


# --- scenario_form -------------------------------------------------------------------


def test_scenario_form_has_the_ten_steps(store):
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    steps = frameworks.scenario_steps()
    assert [f.key for f in form.fields] == [s.key for s in steps]
    assert len(form.fields) == 10
    assert all(f.optional for f in form.fields)
    assert form.fields[0].label == "Step 1: Naming your Partnership"
    joined = "".join(html_values(form))
    assert "10 Steps to Building your Partnership Scenario" in joined
    for s in steps:
        assert f"Step {s.number}: " in joined
        for q in s.questions:
            assert q.replace("'", "&#39;") in joined
    assert "0 of 10 steps complete" in form.completeness.value
    assert scenario_fields() == form.fields


def test_scenario_form_stores_under_step_keys(store):
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    form.textareas["naming"].value = "Healthy Streets"
    assert store.get("00_partnership_scenario/scenario/naming") == "Healthy Streets"
    assert "1 of 10 steps complete" in form.completeness.value
    assert store.get("00_partnership_scenario/scenario/_status") == "started"
    for step in frameworks.scenario_steps():
        form.textareas[step.key].value = f"About {step.title}"
    assert store.get("00_partnership_scenario/scenario/_status") == "complete"
    other = scenario_form(exercise_binding("nb2", "mine", store=store))
    assert other.textareas["naming"].value == ""


# --- fill_form and undo_fill ---------------------------------------------------------


def test_fill_form_fills_empty_fields_and_keeps_the_learners_text(store):
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    form.textareas["naming"].value = "My own name"
    filled = fill_form(form, {"naming": "Example name", "background": "Example background"})
    assert filled == ("background",)
    assert form.textareas["naming"].value == "My own name"
    assert form.textareas["background"].value == "Example background"
    assert store.get("00_partnership_scenario/scenario/background") == "Example background"
    assert "2 of 10" in form.completeness.value
    assert "Filled in 1 field" in status_text(form)


def test_fill_form_overwrite_keeps_earlier_text_in_history_and_can_be_undone(store):
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    form.textareas["naming"].value = "Mine"  # typing: a coalescing revision
    assert form.fill({"naming": "Example"}, overwrite=True) == ("naming",)
    k = "00_partnership_scenario/scenario/naming"
    assert [r.value for r in store.history(k)] == ["Mine", "Example"]
    assert form.textareas["naming"].value == "Example"
    assert form.undo_fill() == ("naming",)
    assert form.textareas["naming"].value == "Mine"
    assert store.get(k) == "Mine"
    assert undo_fill(form) == ()  # nothing left to undo


def test_undo_fill_clears_fields_that_were_empty_and_spares_later_edits(store):
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    form.fill({"naming": "Example", "members": "Council"})
    form.textareas["members"].value = "Council and police"  # the learner builds on it
    assert undo_fill(form) == ("naming",)
    assert form.textareas["naming"].value == ""
    assert store.get("00_partnership_scenario/scenario/naming") is None
    assert form.textareas["members"].value == "Council and police"


def test_fill_form_through_an_exercise_saves_for_a_later_form(store):
    ex = Exercise(exercise_binding("00_partnership_scenario", "scenario", store=store))
    assert fill_form(ex, {"naming": "Stored"}) == ("naming",)
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    assert form.textareas["naming"].value == "Stored"


def test_fill_form_rejects_unknown_fields_and_non_text(store):
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    with pytest.raises(ValueError, match="unknown field 'nope'"):
        fill_form(form, {"nope": "x"})
    with pytest.raises(ValueError, match="must be text"):
        fill_form(form, {"naming": ["x"]})
    with pytest.raises(ValueError, match="pass a form"):
        fill_form("not a form", {"naming": "x"})
    assert store.get("00_partnership_scenario/scenario/naming") is None


# --- the returned widget is the exercise ---------------------------------------------


def test_form_is_the_exercise_with_its_value_reset_and_undo(store):
    form = text_form(exercise_binding(NB, "form", store=store, title="Three questions"), fields())
    assert isinstance(form, TextForm) and isinstance(form, Exercise)
    assert form.kind == "text_form" and form.title == "Three questions"
    form.textareas["who"].value = "Council"
    form.textareas["why"].value = "Health"
    assert form.value == {"who": "Council", "why": "Health"}
    assert store.get(key("_meta", "form")) == {"kind": "text_form", "title": "Three questions"}
    assert form.reset() == 4  # two answers, the progress mark and the meta record
    assert form.value == {} and form.textareas["who"].value == ""
    assert "0 of 3" in form.completeness.value
    form.undo_reset()
    assert form.textareas["why"].value == "Health"
    assert form.is_complete()


def test_a_subclass_lays_the_form_out_by_overriding_compose(store):
    class Reversed(TextForm):
        def compose(self):
            return list(reversed(super().compose()))

    form = Reversed(exercise_binding(NB, "rev", store=store), fields())
    rows = form.field_rows
    assert list(rows) == ["who", "what", "why"]
    assert form.children == (
        form.reset_controls,
        form.status,
        rows["why"],
        rows["what"],
        rows["who"],
        form.completeness,
    )
    assert form.textareas["what"] in list(walk(rows["what"]))
    form.textareas["what"].value = "Still saved"
    assert store.get(key("what", "rev")) == "Still saved"


def test_the_completeness_line_names_fields_in_good_english(store):
    from partnership_lib.widgets.text import plural

    assert [plural(n) for n in ("step", "box", "question", "entry", "day", "match")] == [
        "steps",
        "boxes",
        "questions",
        "entries",
        "days",
        "matches",
    ]
    boxes = text_form(
        exercise_binding(NB, "boxes", store=store),
        [FormField("a", "A"), FormField("b", "B")],
        item_name="box",
    )
    assert "0 of 2 boxes complete" in boxes.completeness.value
    one = text_form(exercise_binding(NB, "one", store=store), [FormField("a", "A")])
    assert "0 of 1 step complete" in one.completeness.value
    people = text_form(
        exercise_binding(NB, "people", store=store),
        [FormField("a", "A"), FormField("b", "B")],
        item_name="person",
        item_plural="people",
    )
    assert "0 of 2 people complete" in people.completeness.value


def test_scenario_form_is_an_exercise_of_kind_scenario(store):
    from partnership_lib.widgets.text import ScenarioForm

    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    assert isinstance(form, ScenarioForm) and form.kind == "scenario"
    assert {"pl-exercise", "pl-text-form", "pl-scenario"} <= set(form._dom_classes)
