"""The session evaluation wall's model: its content, the plot on its artists, the text twin,
and the in-place update a live chart uses."""

from __future__ import annotations

import io
import shutil

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import DATA, by_gid, compare_with_baseline, gids
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from PIL import Image

from partnership_lib.charts.live import LiveFigure
from partnership_lib.core import content, style
from partnership_lib.core.content import ContentError
from partnership_lib.models.postits import (
    PostIt,
    describe_postit_wall,
    evaluation_wall,
    plot_postit_wall,
    update_postit_wall,
)

FILLS = {"pink": "#f6c8e7", "yellow": "#f4ec9c", "green": "#b5e1ca", "blue": "#85a9ec"}
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
        compare_with_baseline(ax.figure, f"postit_wall_{style_name}", tmp_path)


# --------------------------------------------------------------------------- update


def _wall_look(ax):
    """What the wall shows, by gid: each square's place, size and colour, each text."""
    out = {"title": ax.get_title(loc="left")}
    for p in ax.patches:
        out[p.get_gid()] = (
            tuple(round(v, 9) for v in (p.get_x(), p.get_y(), p.get_width(), p.get_height())),
            to_hex(p.get_facecolor()),
            p.get_hatch(),
        )
    for t in ax.texts:
        out[t.get_gid()] = (t.get_text(), tuple(round(v, 9) for v in t.get_position()))
    return out


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def test_update_gives_the_artists_a_fresh_plot_gives_and_keeps_the_unchanged_notes():
    ax = plot_postit_wall(NOTES[:2])
    first = by_gid(ax, "note:1")
    grown = [*NOTES[:2], {"colour": "green", "text": "Negotiation"}]
    changed = update_postit_wall(ax, grown)
    assert {a.get_gid() for a in changed if a.get_gid()} == {
        "note:3",
        "note-number:3",
        "note-text:3",
    }
    assert [t.get_text() for t in changed if not t.get_gid()] == ["Session Evaluation: 3 notes"]
    assert gids(ax, "empty:") == ["empty:blue"]  # the green column's "No notes yet" is gone
    assert by_gid(ax, "note:1") is first  # untouched, not drawn again
    assert _wall_look(ax) == _wall_look(plot_postit_wall(grown))
    assert update_postit_wall(ax, grown) == []
    # removing the first note renumbers the rest: they are drawn again, numbered anew
    shrunk = grown[1:]
    update_postit_wall(ax, shrunk, hatch="//")
    assert _wall_look(ax) == _wall_look(plot_postit_wall(shrunk, hatch="//"))
    assert by_gid(ax, "note:1").get_hatch() == "//"
    with pytest.raises(ValueError, match="note 1: unknown note colour"):
        update_postit_wall(ax, [{"colour": "mauve", "text": "x"}])
    assert update_postit_wall(plt.subplots()[1], NOTES) is None


@pytest.mark.parametrize("style_name", ["workbook", "high_contrast"])
def test_live_wall_repaints_only_what_changed_and_matches_a_full_draw(style_name):
    live = LiveFigure(style_name=style_name)
    notes = []
    live.render(lambda ax: plot_postit_wall(notes, ax=ax))
    colours = ["pink", "yellow", "green", "blue"]
    for i in range(10):
        notes = [*notes, {"colour": colours[i % 4], "text": f"Note {i}: what I will try next"}]
        if i == 7:
            notes = notes[1:]  # a removal renumbers every later note
        png = live.render(
            lambda ax, n=notes: plot_postit_wall(n, ax=ax),
            lambda ax, n=notes: update_postit_wall(ax, n),
        )
        assert live.last_path == "partial", i
        diff = np.abs(_pixels(png) - _pixels(live.reference_png()))
        assert diff.max() <= 2, f"{int((diff.max(axis=2) > 2).sum())} pixels differ"
        with style.style_context(style_name):
            assert _wall_look(live.ax) == _wall_look(plot_postit_wall(notes))
