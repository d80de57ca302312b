"""The session evaluation wall widget, through its controls, its store and its live chart."""

from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import html_values, walk
from markupsafe import escape
from matplotlib.colors import to_hex
from PIL import Image

from partnership_lib.core.store import STATUS_FIELD, AnswerKey, AnswerStore
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.postits import PostItWall, postit_wall

NB, EX = "04_feedback", "evaluation"
HOSTILE = [
    "<script>alert(1)</script>",
    "\"&'<>",
    "مرحبا بالعالم \u200f",
    "🧑🏽\u200d🤝\u200d🧑🏻 👍🏿",
    "before\x00after",
    "Cost $5_000 \\ year",
]
FILLS = {"pink": "#f6c8e7", "yellow": "#f4ec9c", "green": "#b5e1ca", "blue": "#85a9ec"}


# --------------------------------------------------------------------------- helpers


def same_picture(live, png, tol=2):
    """``png`` matches a full redraw of the live figure as it stands now."""

    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    diff = np.abs(pixels(png) - pixels(live.reference_png()))
    assert diff.max() <= tol, f"{int((diff.max(axis=2) > tol).sum())} pixels differ"


def button(widget, description):
    found = [
        w for w in walk(widget) if isinstance(w, widgets.Button) and w.description == description
    ]
    assert len(found) == 1, f"expected one {description!r} button, found {len(found)}"
    return found[0]


def one(widget, cls):
    (found,) = [w for w in walk(widget) if isinstance(w, cls)]
    return found


def status(widget):
    (live,) = [w for w in walk(widget) if "pl-live" in w._dom_classes]
    return live.value


def picture(widget):
    (pic,) = [w for w in walk(widget) if "pl-postit-picture" in w._dom_classes]
    return pic.value


def by_gid(ax, gid):
    found = [a for a in ax.findobj() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist {gid!r}, found {len(found)}"
    return found[0]


def gids(ax, prefix):
    return sorted(a.get_gid() for a in ax.findobj() if (a.get_gid() or "").startswith(prefix))


def key(field, exercise=EX):
    return AnswerKey(NB, exercise, field)


def add(widget, colour, text):
    one(widget, widgets.RadioButtons).value = colour
    one(widget, widgets.Textarea).value = text
    button(widget, "Add note").click()


def reset(widget):
    button(widget, "Reset this exercise").click()
    button(widget, "Yes, clear my answers").click()


@pytest.fixture
def store(tmp_path):
    with AnswerStore(tmp_path / "answers.sqlite3") as answer_store:
        yield answer_store


@pytest.fixture(autouse=True)
def _no_display(monkeypatch):
    import IPython.core.display_functions
    import IPython.display

    def refuse(*_args, **_kwargs):
        raise AssertionError("a builder called display()")

    monkeypatch.setattr(IPython.display, "display", refuse)
    monkeypatch.setattr(IPython.core.display_functions, "display", refuse)


def build(store, exercise=EX):
    return postit_wall(exercise_binding(NB, exercise, store=store))


NOTES = [
    {"id": 1, "colour": "pink", "text": "The Mobius exercise"},
    {"id": 2, "colour": "yellow", "text": "Map stakeholders before the next board"},
    {"id": 5, "colour": "pink", "text": "Working in small groups"},
    {"id": 7, "colour": "blue", "text": "More time for Activity 3"},
]


# --------------------------------------------------------------------------- widget


def test_builds_labelled_controls_without_display(store):
    widget = build(store)
    assert {"pl-exercise", "pl-postits"} <= set(widget._dom_classes)
    colour = one(widget, widgets.RadioButtons)
    assert colour.description == "Colour of the note:"
    assert list(colour._options_labels) == [
        "Pink: What went well for you in today's session?",
        "Yellow: Which key learning points will you take back and use in your work?",
        "Green: What do you still need to learn in future?",
        "Blue: What could be better next time, and how?",
    ]
    assert colour.value is None
    text = one(widget, widgets.Textarea)
    assert text.description == "Your note:" and text.continuous_update is True
    assert "No notes yet" in "\n".join(html_values(widget))
    assert picture(widget).startswith('<figure class="pl-chart"')
    assert store.get(key("notes")) is None


def test_adding_a_note_stores_it_and_draws_it(store):
    widget = build(store)
    before = picture(widget)
    add(widget, "yellow", "Try the grid at work")
    assert store.get(key("notes")) == [
        {"id": 1, "colour": "yellow", "text": "Try the grid at work"}
    ]
    assert one(widget, widgets.Textarea).value == ""  # ready for the next note
    assert one(widget, widgets.RadioButtons).value == "yellow"  # colour kept
    assert store.get(key("draft")) == {"colour": "yellow", "text": "", "editing": None}
    ax = widget.figure.axes[0]
    assert to_hex(by_gid(ax, "note:1").get_facecolor()) == FILLS["yellow"]
    assert by_gid(ax, "note-text:1").get_text().replace("\n", " ") == "Try the grid at work"
    assert picture(widget) != before
    assert "note 1: Try the grid at work" in picture(widget)  # the alt text
    assert "Added note 1 (Yellow)" in status(widget)
    assert "Still to add: Pink" in status(widget)
    button(widget, "Edit note 1")
    button(widget, "Remove note 1")
    assert store.get(key(STATUS_FIELD)) == "started"


def test_empty_note_and_missing_colour_are_refused(store):
    widget = build(store)
    add(widget, "pink", "   \n ")
    assert "empty note is not added" in status(widget)
    assert "pl-status-warning" in status(widget)
    assert store.get(key("notes")) is None
    one(widget, widgets.RadioButtons).value = None
    one(widget, widgets.Textarea).value = "Something"
    button(widget, "Add note").click()
    assert "Choose the colour" in status(widget)
    assert store.get(key("notes")) is None
    assert store.get(key("draft"))["text"] == "Something"  # the draft is kept


def test_edit_changes_text_and_colour_in_place(store):
    widget = build(store)
    add(widget, "pink", "First")
    add(widget, "green", "Second")
    button(widget, "Edit note 1").click()
    assert one(widget, widgets.Textarea).value == "First"
    assert store.get(key("draft"))["editing"] == 1
    one(widget, widgets.Textarea).value = "First, edited"
    one(widget, widgets.RadioButtons).value = "blue"
    button(widget, "Save note 1").click()
    assert store.get(key("notes")) == [
        {"id": 1, "colour": "blue", "text": "First, edited"},
        {"id": 2, "colour": "green", "text": "Second"},
    ]
    assert to_hex(by_gid(widget.figure.axes[0], "note:1").get_facecolor()) == FILLS["blue"]
    button(widget, "Add note")  # back to adding
    # cancelling an edit leaves the note alone
    button(widget, "Edit note 2").click()
    one(widget, widgets.Textarea).value = "changed my mind"
    button(widget, "Cancel editing").click()
    assert store.get(key("notes"))[1]["text"] == "Second"
    assert one(widget, widgets.Textarea).value == ""


def test_remove_and_undo_remove(store):
    widget = build(store)
    for colour, text in [("pink", "a"), ("yellow", "b"), ("green", "c")]:
        add(widget, colour, text)
    button(widget, "Remove note 2").click()
    assert [n["text"] for n in store.get(key("notes"))] == ["a", "c"]
    assert gids(widget.figure.axes[0], "note:") == ["note:1", "note:2"]
    assert "Removed note 2 (Yellow)" in status(widget)
    undo = button(widget, "Undo remove")
    assert undo.disabled is False
    undo.click()
    assert store.get(key("notes")) == [
        {"id": 1, "colour": "pink", "text": "a"},
        {"id": 2, "colour": "yellow", "text": "b"},
        {"id": 3, "colour": "green", "text": "c"},
    ]
    assert undo.disabled is True


def test_complete_once_every_colour_has_a_note(store):
    widget = build(store)
    for colour in ["pink", "yellow", "green"]:
        add(widget, colour, f"A {colour} note")
    assert store.get(key(STATUS_FIELD)) == "started"
    add(widget, "blue", "A blue note")
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert "your evaluation is complete" in status(widget)
    button(widget, "Remove note 4").click()
    assert store.get(key(STATUS_FIELD)) == "started"


def test_notes_and_draft_are_restored_on_rebuild(store):
    widget = build(store)
    add(widget, "pink", "Kept")
    one(widget, widgets.RadioButtons).value = "green"
    one(widget, widgets.Textarea).value = "half-written"
    again = build(store)
    assert one(again, widgets.Textarea).value == "half-written"
    assert one(again, widgets.RadioButtons).value == "green"
    assert "Kept" in "\n".join(html_values(again))
    assert gids(again.figure.axes[0], "note:") == ["note:1"]
    button(again, "Remove note 1")


def test_reset_clears_and_undo_brings_back(store):
    widget = build(store)
    add(widget, "pink", "One")
    add(widget, "blue", "Two")
    reset(widget)
    assert store.get(key("notes")) is None
    assert store.get(key(STATUS_FIELD)) is None
    assert one(widget, widgets.RadioButtons).value is None
    assert gids(widget.figure.axes[0], "note:") == []
    assert "No notes yet" in "\n".join(html_values(widget))
    button(widget, "Undo reset").click()
    assert [n["text"] for n in store.get(key("notes"))] == ["One", "Two"]
    assert gids(widget.figure.axes[0], "note:") == ["note:1", "note:2"]
    assert one(widget, widgets.RadioButtons).value == "blue"


@pytest.mark.parametrize("text", [*HOSTILE, "x" * 1_000_000])
def test_hostile_text_round_trips_and_is_only_shown_escaped(store, text):
    widget = build(store)
    add(widget, "pink", text)
    assert store.get(key("notes"))[0]["text"] == text
    again = build(store)
    values = html_values(again)
    for value in values:
        assert "<script>" not in value
    joined = "\n".join(values)
    assert str(escape(text[:600])) in joined
    drawn = by_gid(again.figure.axes[0], "note-text:1").get_text()
    assert "\x00" not in drawn
    if text == "Cost $5_000 \\ year":
        assert drawn.replace("\n", " ") == text
    if len(text) > 1000:
        assert drawn.endswith("…")
        assert "more characters" in joined
    button(again, "Edit note 1").click()
    assert one(again, widgets.Textarea).value == text  # full text back in the editor


def test_corrupt_stored_values_are_reported_not_fatal(store):
    store.save(key("notes"), {"not": "a list"})
    store.save(key("draft"), "not a mapping")
    widget = build(store)
    assert "pl-status-warning" in status(widget)
    assert "could not be shown" in status(widget)
    assert gids(widget.figure.axes[0], "note:") == []
    add(widget, "pink", "fresh")
    assert store.get(key("notes")) == [{"id": 1, "colour": "pink", "text": "fresh"}]
    assert any(r.value == {"not": "a list"} for r in store.history(key("notes")))
    assert any(r.value == "not a mapping" for r in store.history(key("draft")))


def test_damaged_notes_are_skipped_and_the_rest_shown(store):
    store.save(
        key("notes"),
        [
            {"id": 3, "colour": "pink", "text": "good"},
            {"id": 4, "colour": "mauve", "text": "bad colour"},
            "junk",
            {"id": 3, "colour": "blue", "text": "repeated id"},
        ],
    )
    widget = build(store)
    assert "a saved note is damaged" in status(widget)
    assert gids(widget.figure.axes[0], "note:") == ["note:1", "note:2"]
    add(widget, "green", "new")
    ids = [n["id"] for n in store.get(key("notes"))]
    assert len(set(ids)) == 3


def test_one_figure_for_the_wall_however_many_changes(store):
    widget = build(store)
    figure = widget.figure
    open_before = len(plt.get_fignums())
    for n in range(25):
        add(widget, ["pink", "yellow", "green", "blue"][n % 4], f"note {n}")
        if n % 5 == 4:
            button(widget, f"Remove note {len(store.get(key('notes')))}").click()
        one(widget, widgets.Textarea).value = f"draft {n}"
    assert len(plt.get_fignums()) == open_before
    assert widget.figure is figure
    assert len(figure.axes) == 1
    assert len(gids(figure.axes[0], "note:")) == len(store.get(key("notes")))


def test_the_wall_is_an_exercise_with_its_notes_as_its_value(store):
    widget = build(store)
    assert isinstance(widget, PostItWall) and isinstance(widget, Exercise)
    assert (widget.kind, widget.key, widget.notebook) == ("postits", EX, NB)
    add(widget, "pink", "Group work")
    assert widget.notes == [{"id": 1, "colour": "pink", "text": "Group work"}]
    assert widget.value["notes"] == widget.notes
    held = [k.field for k in store.answers(NB) if k.exercise == EX]
    assert {"notes", "draft", STATUS_FIELD} <= set(held)
    assert widget.reset() == len(held)
    assert widget.notes == [] and store.get(key("notes")) is None
    assert widget.undo_reset() == len(held)
    assert widget.notes == [{"id": 1, "colour": "pink", "text": "Group work"}]


def test_adding_and_removing_notes_repaints_only_part_of_the_wall(store):
    widget = build(store)
    assert widget.chart.last_path == "full"
    for n, colour in enumerate(["pink", "yellow", "green", "blue", "pink"], start=1):
        add(widget, colour, f"Note {n} about the day")
        assert widget.chart.last_path == "partial", n
        same_picture(widget.chart.engine, widget.chart.png)
    button(widget, "Remove note 2").click()
    assert widget.chart.last_path == "partial"
    same_picture(widget.chart.engine, widget.chart.png)
    # typing a draft changes nothing in the picture
    before = widget.chart.value
    one(widget, widgets.Textarea).value = "half a thought"
    assert widget.chart.value == before
    assert plt.get_fignums() == []
