"""The checklist widget: a Checklist exercise with its score and live chart."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import button, html_values, same_picture

from partnership_lib.core.projector import set_projector
from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import ChecklistItem, ScoreBand
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.checklist import Checklist, checklist
from partnership_lib.widgets.live import LiveChart

pytestmark = pytest.mark.usefixtures("no_display")


NB, EX = "01_test", "checklist"
ITEMS = [
    ("vision", "We share a vision of what the partnership is for"),
    ("aims", "Our aims are written down and agreed"),
    ("trust", "Partners trust one another"),
    ("respect", "Partners respect each other's ways of working"),
    ("roles", "Everyone knows their role"),
    ("money", "Resources are pooled fairly"),
]
GROUPS = [
    ("Purpose", ["vision", "aims"]),
    ("Relationships", ["trust", "respect"]),
    ("Arrangements", ["roles", "money"]),
]
BANDS = [
    ScoreBand(0, "Early days", "Most foundations are still to be laid."),
    ScoreBand(0.5, "Getting there", "Some foundations are in place."),
    ScoreBand(5 / 6, "Strong foundations", "Most of what matters is in place."),
]


def by_gid(ax, prefix):
    return {
        a.get_gid(): a
        for a in [*ax.patches, *ax.texts]
        if a.get_gid() and a.get_gid().startswith(prefix)
    }


def build(store, **kwargs):
    kwargs.setdefault("groups", GROUPS)
    return checklist(exercise_binding(NB, EX, store=store), ITEMS, bands=BANDS, **kwargs)


def key(field):
    return f"{NB}/{EX}/{field}"


def test_checklist_widget_shape(store):
    w = build(store, title="Partnership <health> check")
    assert isinstance(w, Checklist) and isinstance(w, Exercise)
    assert isinstance(w, widgets.VBox) and isinstance(w.chart, LiveChart)
    assert w.key == EX and w.kind == "checklist" and w.chart in w.children
    assert {"pl-exercise", "pl-checklist"} <= set(w._dom_classes)
    assert list(w.checkboxes) == [k for k, _ in ITEMS]
    box = w.checkboxes["respect"]
    assert box.description == "Partners respect each other's ways of working"
    assert box.indent is False and box.layout.width == "auto"
    joined = "".join(html_values(w))
    assert "Partnership &lt;health&gt; check" in joined
    for title, _ in GROUPS:
        assert title in joined
    assert "<strong>0 of 6</strong> ticked" in w.score.value
    assert "Early days:</strong> Most foundations" in w.score.value
    assert w.done_button.description == "I've finished"
    assert w.chart.figure is not None and plt.get_fignums() == []


def test_items_may_be_objects_with_key_and_text(store):
    items = [ChecklistItem("a", "A"), ("b", "B")]
    w = checklist(exercise_binding(NB, EX, store=store), items, bands=BANDS)
    assert list(w.checkboxes) == ["a", "b"]
    # any object with .key and .text works, such as the workbook's success items
    source = frameworks.success_sources()[0]
    from_content = checklist(exercise_binding(NB, "s", store=store), source.items, bands=BANDS)
    assert list(from_content.checkboxes) == [i.key for i in source.items]
    assert w.chart is None and w.scores() == []


def test_ticking_saves_scores_and_redraws(store):
    w = build(store)
    ax = w.chart.ax
    picture = w.chart.value
    w.checkboxes["trust"].value = True
    w.checkboxes["vision"].value = True
    w.checkboxes["aims"].value = True
    assert store.get(key("ticked")) == ["vision", "aims", "trust"]
    assert store.get(key(STATUS_FIELD)) == "started"
    assert "<strong>3 of 6</strong> ticked" in w.score.value
    assert "Getting there:" in w.score.value
    assert "<li>Purpose: 2 of 2</li>" in w.score.value
    assert "<li>Arrangements: 0 of 2 <strong>(weakest)</strong></li>" in w.score.value
    assert "Saved. 3 of 6 ticked: Getting there." in w.status.value
    bars = by_gid(ax, "score-bar:")
    assert [b.get_width() for b in bars.values()] == [100, 50, 0]
    assert by_gid(ax, "score-label:")["score-label:Arrangements"].get_text().endswith("(weakest)")
    assert w.chart.value != picture
    assert "Arrangements: 0 of 2 ticked (0%). This is the weakest group." in w.chart.value


def test_a_tick_repaints_only_part_of_the_picture(store):
    w = build(store)
    assert w.chart.last_path == "full"
    figure = w.chart.figure
    for item, value in (("trust", True), ("vision", True), ("aims", True), ("trust", False)):
        w.checkboxes[item].value = value
        assert w.chart.last_path == "partial", (item, value)
        assert w.chart.figure is figure
        same_picture(w.chart.engine, w.chart.png)
    assert base64.b64encode(w.chart.png).decode() in w.chart.value


def test_the_chart_follows_projector_mode_and_back(store):
    w = build(store)
    w.checkboxes["roles"].value = True
    workbook = w.chart.engine.size
    set_projector(True)
    try:
        assert w.chart.last_path == "full"
        assert w.chart.engine.size[0] > workbook[0]
        assert w.chart.engine.min_text_px >= 30
        w.checkboxes["money"].value = True
        assert w.chart.last_path == "partial"
        same_picture(w.chart.engine, w.chart.png)
        bars = by_gid(w.chart.ax, "score-bar:")
        assert bars["score-bar:Arrangements"].get_width() == 100
    finally:
        set_projector(False)
    assert w.chart.engine.size == workbook
    assert "Arrangements: 2 of 2 ticked (100%)." in w.chart.value


def test_finished_marks_complete_even_with_nothing_ticked(store):
    w = build(store)
    w.done_button.click()
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert store.get(key("done")) is True
    assert store.get(key("ticked")) == []
    assert "Finished and saved. 0 of 6 ticked: Early days." in w.status.value
    w.checkboxes["roles"].value = True  # still complete after a later change
    assert store.get(key(STATUS_FIELD)) == "complete"


def test_not_complete_until_finished(store):
    w = build(store)
    for box in w.checkboxes.values():
        box.value = True
    assert store.get(key(STATUS_FIELD)) == "started"
    assert "Strong foundations:" in w.score.value
    w.done_button.click()
    assert store.get(key(STATUS_FIELD)) == "complete"


def test_restores_on_rebuild(store):
    w = build(store)
    w.checkboxes["money"].value = True
    w.checkboxes["trust"].value = True
    again = build(store)
    assert again.ticked() == ["trust", "money"]
    assert "<strong>2 of 6</strong>" in again.score.value
    bars = by_gid(again.chart.ax, "score-bar:")
    assert [b.get_width() for b in bars.values()] == [0, 50, 50]
    # rebuilding does not save anything new
    assert len(store.history(key("ticked"))) == 1


def test_reset_clears_and_undo_brings_back(store):
    w = build(store)
    w.checkboxes["vision"].value = True
    w.done_button.click()
    button(w, "Reset this exercise").click()
    button(w, "Yes, clear my answers").click()
    assert store.get(key("ticked")) is None
    assert store.get(key("done")) is None
    assert store.get(key(STATUS_FIELD)) is None
    assert w.ticked() == []
    assert "<strong>0 of 6</strong>" in w.score.value
    assert by_gid(w.chart.ax, "score-bar:")["score-bar:Purpose"].get_width() == 0
    button(w, "Undo reset").click()
    assert w.ticked() == ["vision"]
    assert store.get(key("done")) is True
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert by_gid(w.chart.ax, "score-bar:")["score-bar:Purpose"].get_width() == 50


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("vision", "not a list"),
        ({"vision": True}, "not a list"),
        (["vision", "gone", 7], "Ignored 2 saved ticks"),
    ],
)
def test_stored_ticks_of_the_wrong_shape_are_reported(store, stored, message):
    store.save(key("ticked"), stored)
    w = build(store)
    assert message in w.status.value
    assert "pl-status-warning" in w.status.value
    expected = ["vision"] if isinstance(stored, list) else []
    assert w.ticked() == expected
    w.checkboxes["roles"].value = True
    assert store.history(key("ticked"))[0].value == stored  # kept in the history


def test_hostile_text_is_escaped_everywhere(store):
    hostile = "<script>alert(1)</script>"
    items = [("a", hostile), ("b", "\"&'<>")]
    bands = [ScoreBand(0, hostile, "\"&'<>")]
    w = checklist(
        exercise_binding(NB, EX, store=store),
        items,
        bands=bands,
        groups=[(hostile, ["a"]), ("\"&'<>", ["b"])],
        title=hostile,
        chart_title=hostile,
    )
    w.checkboxes["a"].value = True
    assert w.checkboxes["a"].description == hostile  # plain text, not HTML
    assert w.checkboxes["a"].description_allow_html is False
    for value in html_values(w):
        assert "<script>" not in value
        assert "\"&'<>" not in value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in w.score.value
    assert "&lt;script&gt;" in w.chart.value


def test_no_figure_growth_after_many_changes(store):
    w = build(store)
    before = len(plt.get_fignums())
    figure = w.chart.figure
    boxes = list(w.checkboxes.values())
    for i in range(2 * len(boxes) + 1):  # every box ticked and unticked
        boxes[i % len(boxes)].value = not boxes[i % len(boxes)].value
    assert len(plt.get_fignums()) == before == 0
    assert w.chart.figure is figure
    assert len(w.chart.figure.axes) == 1
    assert len(w.chart.ax.patches) == 2 * len(GROUPS)


def test_checklist_rejects_bad_items_groups_and_bands(store):
    def make(items=ITEMS, groups=None, bands=BANDS):
        return checklist(exercise_binding(NB, EX, store=store), items, bands=bands, groups=groups)

    with pytest.raises(ValueError, match="duplicate item key 'a'"):
        make(items=[("a", "A"), ("a", "B")])
    with pytest.raises(ValueError, match="at least one item"):
        make(items=[])
    with pytest.raises(ValueError, match="text must be non-empty"):
        make(items=[("a", " ")])
    with pytest.raises(ValueError, match="must be a \\(key, text\\) pair"):
        make(items=[42])
    with pytest.raises(ValueError, match="unknown item 'nope'"):
        make(groups=[("G", ["nope"])])
    with pytest.raises(ValueError, match="'vision' is in two groups"):
        make(groups=[("G", ["vision"]), ("H", [k for k, _ in ITEMS])])
    with pytest.raises(ValueError, match="'money' is in no group"):
        make(groups=[("G", [k for k, _ in ITEMS[:-1]])])
    with pytest.raises(ValueError, match="must start at 0"):
        make(bands=[ScoreBand(0.5, "Half")])
    with pytest.raises(ValueError, match="at least one score band"):
        make(bands=[])
