"""The session evaluation wall: the plot on its artists, and the widget through its controls."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import html_values, walk
from markupsafe import escape
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from matplotlib.testing.compare import compare_images

from partnership_lib.core import content, style
from partnership_lib.core.content import ContentError
from partnership_lib.core.store import STATUS_FIELD, AnswerKey, AnswerStore
from partnership_lib.models.postits import (
    PostIt,
    describe_postit_wall,
    evaluation_wall,
    plot_postit_wall,
)
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.postits import postit_wall

NB, EX = "04_feedback", "evaluation"
BASELINES = Path(__file__).parent / "baseline_images"
DATA = Path(__file__).resolve().parents[1] / "data"
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


# --------------------------------------------------------------------------- content


def test_wall_content_has_the_workbooks_four_colours_and_questions():
    wall = evaluation_wall()
    assert [(c.key, c.name) for c in wall.colours] == [
        ("pink", "Pink"),
        ("yellow", "Yellow"),
        ("green", "Green"),
        ("blue", "Blue"),
    ]
    assert [c.question for c in wall.colours] == [
        "What went well for you in today's session?",
        "Which key learning points will you take back and use in your work?",
        "What do you still need to learn in future?",
        "What could be better next time, and how?",
    ]
    assert wall.title == "Session Evaluation"
    assert wall.colour("PINK").key == "pink"
    with pytest.raises(ValueError, match=r"unknown note colour 'purple'; colours: pink, yellow"):
        wall.colour("purple")


def test_malformed_wall_content_names_file_and_entry(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "evaluation_wall.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('fill: "#F4EC9C"', 'fill: "yellowish"'),
        encoding="utf-8",
    )
    monkeypatch.setenv(content.CONTENT_DIR_ENV, str(folder))
    content.clear_cache()
    with pytest.raises(ContentError, match=r"evaluation_wall\.yaml.*colours/yellow.*fill"):
        evaluation_wall()


# --------------------------------------------------------------------------- plot


def test_plot_draws_columns_headers_and_notes_in_their_colours():
    ax = plot_postit_wall(NOTES)
    for key, fill in FILLS.items():
        assert to_hex(by_gid(ax, f"column-header:{key}").get_facecolor()) == fill
        assert by_gid(ax, f"column-name:{key}").get_text() == key.upper()
    assert "went well" in by_gid(ax, "column-question:pink").get_text()
    assert gids(ax, "note:") == ["note:1", "note:2", "note:3", "note:4"]
    notes = {n: by_gid(ax, f"note:{n}") for n in range(1, 5)}
    assert [to_hex(notes[n].get_facecolor()) for n in range(1, 5)] == [
        FILLS["pink"],
        FILLS["yellow"],
        FILLS["pink"],
        FILLS["blue"],
    ]
    # squares, in their colour's column, the second pink note below the first
    for n, colour in zip(range(1, 5), ["pink", "yellow", "pink", "blue"], strict=True):
        square, column = notes[n], by_gid(ax, f"column:{colour}")
        assert square.get_width() == pytest.approx(square.get_height())
        assert column.get_x() <= square.get_x()
        assert square.get_x() + square.get_width() <= column.get_x() + column.get_width()
    assert notes[3].get_y() < notes[1].get_y()
    assert by_gid(ax, "note-text:2").get_text().replace("\n", " ") == (
        "Map stakeholders before the next board"
    )
    assert by_gid(ax, "note-number:3").get_text() == "3"
    assert by_gid(ax, "empty:green").get_text() == "No notes yet"
    assert gids(ax, "empty:") == ["empty:green"]
    assert ax.get_title(loc="left") == "Session Evaluation: 4 notes"


def test_plot_passes_kwargs_to_the_notes_and_returns_given_axes():
    _fig, ax = plt.subplots()
    out = plot_postit_wall(NOTES[:1], ax=ax, linestyle="--", hatch="//")
    assert out is ax
    square = by_gid(ax, "note:1")
    assert square.get_hatch() == "//"
    assert square.get_linestyle() == "--"
    assert to_hex(square.get_facecolor()) == FILLS["pink"]
    assert isinstance(square, Rectangle)


def test_text_is_drawn_literally_and_long_notes_end_with_an_ellipsis():
    long = "word " * 400
    ax = plot_postit_wall(
        [
            PostIt("pink", "Cost $5_000 \\ year"),
            {"colour": "Yellow", "text": long},
            {"colour": "green", "text": "<script>alert(1)</script>"},
        ]
    )
    ax.figure.canvas.draw()  # mathtext would fail on "$5_000 \ year"
    text = by_gid(ax, "note-text:1")
    assert text.get_text().replace("\n", " ") == "Cost $5_000 \\ year"
    assert text.get_parse_math() is False
    shown = by_gid(ax, "note-text:2").get_text()
    assert shown.endswith("…")
    assert len(shown) < len(long) / 4
    assert by_gid(ax, "note-text:3").get_text().replace("\n", "") == "<script>alert(1)</script>"
    assert all(t.get_parse_math() is False for t in ax.texts)


def test_characters_the_font_lacks_are_boxed_and_control_characters_dropped():
    ax = plot_postit_wall([{"colour": "pink", "text": "ok 🙂 a\x00b\u200dc"}])
    ax.figure.canvas.draw()  # no "Glyph missing" warning (warnings are errors here)
    assert by_gid(ax, "note-text:1").get_text() == "ok □ abc"


def test_overflowing_column_says_how_many_more():
    notes = [{"colour": "green", "text": f"Need {n}"} for n in range(40)]
    ax = plot_postit_wall(notes)
    more = by_gid(ax, "more:green").get_text()
    shown = len(gids(ax, "note:"))
    assert 1 <= shown < 40
    assert more.replace("\n", " ") == f"+ {40 - shown} more notes"


def test_projector_text_is_never_below_18pt():
    with style.style_context("projector"):
        ax = plot_postit_wall([*NOTES, {"colour": "green", "text": "x " * 300}])
    assert min(t.get_fontsize() for t in ax.texts) >= 18


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ([{"colour": "purple", "text": "x"}], r"note 1: unknown note colour 'purple'"),
        ([NOTES[0], {"colour": "pink", "text": "   "}], r"note 2: text must be non-empty"),
        ([{"colour": "pink"}], r"note 1: text must be non-empty, got None"),
        (["just text"], r"note 1: must be a mapping with colour and text"),
        ([{"colour": "pink", "text": "x", "id": "7"}], r"note 1: id must be a whole number"),
        ("pink", "notes must be a sequence"),
    ],
)
def test_bad_notes_raise_naming_the_note_and_value(notes, message):
    with pytest.raises(ValueError, match=message):
        plot_postit_wall(notes)
    with pytest.raises(ValueError, match=message):
        describe_postit_wall(notes)


def test_postit_model_fails_loudly():
    with pytest.raises(ValueError, match="note: text must be non-empty"):
        PostIt("pink", " ")
    with pytest.raises(ValueError, match="note: id must be a whole number, got True"):
        PostIt("pink", "x", True)
    with pytest.raises(ValueError, match=r"note 1: unknown note colour 'mauve'"):
        plot_postit_wall([PostIt("mauve", "x")])


def test_describe_names_every_column_and_note():
    text = describe_postit_wall(NOTES)
    assert text.splitlines() == [
        "Session Evaluation wall with 4 notes in 4 columns, one for each colour of note.",
        "Pink column (1st from the left), What went well for you in today's session?: 2 notes. "
        "note 1: The Mobius exercise; note 3: Working in small groups",
        "Yellow column (2nd from the left), Which key learning points will you take back and "
        "use in your work?: 1 note. note 2: Map stakeholders before the next board",
        "Green column (3rd from the left), What do you still need to learn in future?: no notes yet.",
        "Blue column (4th from the left), What could be better next time, and how?: 1 note. "
        "note 4: More time for Activity 3",
    ]
    assert describe_postit_wall([]).startswith("Session Evaluation wall with 0 notes")
    long = describe_postit_wall([{"colour": "pink", "text": "a\nb " + "y" * 1000}])
    pink = long.splitlines()[1]
    assert "note 1: a b yyy" in pink and pink.endswith("…")
    assert len(pink) < 700


def _compare(fig, name, tmp_path, tol=3):
    """Compare with tests/baseline_images/<name>.png; PARTNERSHIP_REGENERATE_BASELINES=1 rewrites."""
    expected = BASELINES / f"{name}.png"
    if os.environ.get("PARTNERSHIP_REGENERATE_BASELINES"):
        BASELINES.mkdir(exist_ok=True)
        fig.savefig(expected)
        pytest.skip(f"regenerated {expected.name}")
    assert expected.exists(), f"missing baseline {expected}; regenerate it"
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual)
    result = compare_images(str(expected), str(actual), tol=tol)
    assert result is None, result


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_wall_image(style_name, tmp_path):
    notes = [
        *NOTES,
        {"colour": "pink", "text": "Hearing how other partnerships handled conflict"},
        {"colour": "yellow", "text": "Use the Mobius map to plan the next hard conversation"},
        {"colour": "green", "text": "Negotiation skills"},
        {"colour": "blue", "text": "Fewer slides in the morning, and more practice " * 4},
    ]
    with style.style_context(style_name):
        ax = plot_postit_wall(notes)
        _compare(ax.figure, f"postit_wall_{style_name}", tmp_path)


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
