"""The personal learning log widget."""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import button, html_values
from markupsafe import escape
from matplotlib.colors import to_hex
from PIL import Image

from partnership_lib.core import style
from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.models.learning import describe_kolb_cycle, learning_cycle, plot_kolb_cycle
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.learning_log import LearningLog, learning_log

NB, EX = "01_test", "learning_log"
STAGES = ["experience", "reflect", "conclude", "plan"]


pytestmark = pytest.mark.usefixtures("no_display")


def build(store, **kwargs):
    kwargs.setdefault("session_title", "Concepts and Contexts of Collaboration")
    return learning_log(exercise_binding(NB, EX, store=store), **kwargs)


def same_picture(live, png, tol=2):
    """``png`` matches a full redraw of the live figure as it stands now."""

    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    diff = np.abs(pixels(png) - pixels(live.reference_png()))
    assert diff.max() <= tol, f"{int((diff.max(axis=2) > tol).sum())} pixels differ"


def key(field):
    return f"{NB}/{EX}/{field}"


def highlighted(w):
    """The stage keys whose box is drawn as 'you are here', and whether the marker shows."""
    ax = w.figure.axes[0]
    current_fill = to_hex(style.current_theme().quadrant_fills[0])
    boxes = [
        p.get_gid().split(":")[1]
        for p in ax.patches
        if (p.get_gid() or "").startswith("stage:") and to_hex(p.get_facecolor()) == current_fill
    ]
    markers = [t for t in ax.texts if t.get_gid() == "current-marker"]
    return boxes, len(markers)


def test_log_shape(store):
    w = build(store, session_title="Session <1> & more")
    assert isinstance(w, LearningLog) and isinstance(w, widgets.VBox)
    assert {"pl-exercise", "pl-learning-log"} <= set(w._dom_classes)
    assert list(w.textareas) == STAGES
    cycle = learning_cycle("learning_log")
    joined = "".join(html_values(w))
    assert "Personal learning log: Session &lt;1&gt; &amp; more" in joined
    for i, stage in enumerate(cycle.stages, start=1):
        assert f"{i}. {stage.name}" in joined
        assert str(escape(stage.prompt)) in joined
        assert w.textareas[stage.key].description == stage.name
        assert w.textareas[stage.key].continuous_update is True
    assert "0 of 4 stages written" in joined
    assert plt.get_fignums() == []


def test_diagram_starts_on_the_first_empty_stage(store):
    w = build(store)
    assert w.current == "experience"
    assert highlighted(w) == (["experience"], 1)
    alt = describe_kolb_cycle(model="learning_log", current="experience")
    assert str(escape(alt.splitlines()[-1])) in w.diagram.value
    assert 'src="data:image/png;base64,' in w.diagram.value
    store.save(key("experience"), "Talks and group work")
    store.save(key("reflect"), "Trust matters")
    again = build(store)
    assert again.current == "conclude"
    assert highlighted(again) == (["conclude"], 1)


def test_typing_saves_and_moves_the_highlight(store):
    w = build(store)
    picture = w.diagram.value
    w.textareas["conclude"].value = "I need to practise negotiating"
    assert store.get(key("conclude")) == "I need to practise negotiating"
    assert store.get(key(STATUS_FIELD)) == "started"
    assert w.current == "conclude"
    assert highlighted(w) == (["conclude"], 1)
    assert w.diagram.value != picture
    assert "You are here: Conclude, stage 3 of 4." in w.diagram.value
    assert "1 of 4 stages written" in "".join(html_values(w))
    assert "Saved." in w.status.value


def test_complete_when_all_four_are_written(store):
    w = build(store)
    for stage in STAGES[:-1]:
        w.textareas[stage].value = f"Notes on {stage}"
    assert store.get(key(STATUS_FIELD)) == "started"
    w.textareas["plan"].value = "Meet the council by June"
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert "4 of 4 stages written" in "".join(html_values(w))
    w.textareas["reflect"].value = ""
    assert store.get(key(STATUS_FIELD)) == "started"


def test_restores_on_rebuild_with_no_highlight_when_all_written(store):
    w = build(store)
    for stage in STAGES:
        w.textareas[stage].value = f"Notes on {stage}"
    again = build(store)
    assert [a.value for a in again.textareas.values()] == [f"Notes on {s}" for s in STAGES]
    assert again.current is None
    assert highlighted(again) == ([], 0)
    assert "You are here" not in again.diagram.value


def test_reset_clears_and_undo_brings_back(store):
    w = build(store)
    w.textareas["experience"].value = "A workshop"
    w.textareas["reflect"].value = "Listening matters"
    button(w, "Reset this exercise").click()
    button(w, "Yes, clear my answers").click()
    assert store.get(key("experience")) is None
    assert store.get(key(STATUS_FIELD)) is None
    assert [a.value for a in w.textareas.values()] == ["", "", "", ""]
    assert w.current == "experience"
    assert highlighted(w) == (["experience"], 1)
    button(w, "Undo reset").click()
    assert w.textareas["reflect"].value == "Listening matters"
    assert store.get(key("experience")) == "A workshop"
    assert w.current == "conclude"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "\"&'<>",
        "مرحبا \u202e",
        "🤝 emoji",
        "nul\x00byte",
        "y" * 1_000_000,
    ],
    ids=["script", "quotes", "rtl", "emoji", "nul", "1MB"],
)
def test_hostile_text_round_trips_and_is_never_raw_html(store, text):
    w = build(store, session_title="<script>alert(1)</script>")
    w.textareas["plan"].value = text
    assert store.get(key("plan")) == text
    again = build(store, session_title="<script>alert(1)</script>")
    assert again.textareas["plan"].value == text
    for value in html_values(again):
        assert "<script>" not in value
        assert "\"&'<>" not in value


def test_stored_value_of_the_wrong_shape_is_reported(store):
    store.save(key("reflect"), {"points": ["a", "b"]})
    w = build(store)
    assert w.textareas["reflect"].value == ""
    status = html.unescape(w.status.value)
    assert "Your saved answer for 'Reflect' is a table of values, not text" in status
    w.textareas["reflect"].value = "Now as text"
    assert store.history(key("reflect"))[0].value == {"points": ["a", "b"]}


def test_no_figure_growth_after_50_changes(store):
    w = build(store)
    assert plt.get_fignums() == []
    for i in range(50):
        w.textareas[STAGES[i % 4]].value = f"note {i}"
    assert plt.get_fignums() == []
    assert len(w.figure.axes) == 1
    stage_boxes = [p for p in w.figure.axes[0].patches if (p.get_gid() or "").startswith("stage:")]
    assert len(stage_boxes) == 4


def test_session_title_is_required(store):
    with pytest.raises(ValueError, match="session_title must be non-empty"):
        build(store, session_title=" ")


def test_the_log_is_an_exercise_with_its_stages_as_its_value(store):
    w = build(store)
    assert isinstance(w, Exercise)
    assert (w.kind, w.key, w.title) == (
        "learning_log",
        EX,
        "Personal learning log: Concepts and Contexts of Collaboration",
    )
    w.textareas["plan"].value = "Call the council"
    assert w.value["plan"] == "Call the council"
    assert w.filled("plan") and not w.filled("experience")


def test_moving_the_highlight_repaints_only_part_of_the_cycle(store):
    w = build(store)
    assert w.diagram.last_path == "full"
    figure = w.figure
    for stage in ["conclude", "reflect", "plan", "experience"]:
        w.textareas[stage].value = f"Notes on {stage}"
        assert w.diagram.last_path == "partial", stage
        same_picture(w.diagram.engine, w.diagram.png)
        assert highlighted(w) == ([stage], 1)
    before = w.diagram.value
    w.textareas["experience"].value = "Notes on experience, and more"  # same stage
    assert w.diagram.value == before
    assert w.figure is figure


def test_the_cycle_is_drawn_small_with_the_questions_above_the_boxes(store):
    # Notebook 04 shows several log pages: each draws a small cycle, names only, since
    # every stage's question is written above its own text box.
    w = build(store)
    full = plot_kolb_cycle(model="learning_log")
    full_w, full_h = full.figure.canvas.get_width_height()
    width, height = w.diagram.engine.size
    assert width <= full_w / 2 and height <= full_h / 2
    assert f'width="{width}" height="{height}"' in w.diagram.value
    drawn = [t.get_gid() or "" for t in w.figure.axes[0].texts]
    assert not [g for g in drawn if g.startswith("stage-prompt:")]
    joined = "".join(html_values(w))
    for stage in learning_cycle("learning_log").stages:
        assert str(escape(stage.prompt)) in joined  # the question is on the page
