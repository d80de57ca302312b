"""Checklists: ScoreBand, the score-by-group chart and the checklist widget."""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import button, html_values
from matplotlib.colors import to_hex
from matplotlib.testing.compare import compare_images

from partnership_lib.core import style
from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import (
    ChecklistItem,
    GroupScore,
    ScoreBand,
    band_for,
    describe_checklist_scores,
    plot_checklist_scores,
    update_checklist_scores,
    weakest_groups,
)
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.checklist import Checklist, checklist

pytestmark = pytest.mark.usefixtures("no_display")


BASELINES = Path(__file__).resolve().parent / "baseline_images"
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
SCORES = [("Purpose", 2, 2), ("Relationships", 1, 4), ("Cost $5_000 \\ year", 2, 5)]


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


def compare_with_baseline(fig, name, tmp_path, tol=3):
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


# --- models --------------------------------------------------------------------------


def test_score_band_validates():
    with pytest.raises(ValueError, match=r"between 0 and 1, got 1\.5"):
        ScoreBand(1.5, "Too high")
    with pytest.raises(ValueError, match="must be a number, got nan"):
        ScoreBand(float("nan"), "Not a number")
    with pytest.raises(ValueError, match="label must be non-empty"):
        ScoreBand(0, "")


def test_band_for_picks_the_highest_band_reached():
    assert band_for(0, BANDS).label == "Early days"
    assert band_for(0.49, BANDS).label == "Early days"
    assert band_for(0.5, BANDS).label == "Getting there"
    assert band_for(5 / 6, BANDS).label == "Strong foundations"
    assert band_for(1, BANDS).label == "Strong foundations"
    with pytest.raises(ValueError, match="must start at 0"):
        band_for(0.5, [ScoreBand(0.5, "Half")])
    with pytest.raises(ValueError, match="two score bands start at 0"):
        band_for(0.5, [ScoreBand(0, "A"), ScoreBand(0, "B")])


def test_group_score_validates():
    assert GroupScore("A", 1, 4).fraction == 0.25
    with pytest.raises(ValueError, match="group 'A': ticked must be between 0 and 4, got 5"):
        GroupScore("A", 5, 4)
    with pytest.raises(ValueError, match="group 'A': total must be at least 1, got 0"):
        GroupScore("A", 0, 0)
    with pytest.raises(ValueError, match=r"ticked must be a whole number, got 1\.5"):
        GroupScore("A", 1.5, 4)


def test_weakest_groups():
    assert weakest_groups(SCORES) == ("Relationships",)
    assert weakest_groups({"A": (1, 4), "B": (2, 8), "C": (3, 4)}) == ("A", "B")
    assert weakest_groups({"A": (1, 2), "B": (2, 4)}) == ()


# --- plot ----------------------------------------------------------------------------


def test_plot_draws_a_bar_per_group_with_its_share_and_label():
    ax = plot_checklist_scores(SCORES)
    bars = by_gid(ax, "score-bar:")
    assert list(bars) == [
        "score-bar:Purpose",
        "score-bar:Relationships",
        "score-bar:Cost $5_000 \\ year",
    ]
    assert [round(b.get_width(), 6) for b in bars.values()] == [100, 25, 40]
    assert [b.get_y() + b.get_height() / 2 for b in bars.values()] == [2, 1, 0]
    labels = by_gid(ax, "score-label:")
    assert [t.get_text() for t in labels.values()] == ["2 of 2", "1 of 4  (weakest)", "2 of 5"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Purpose",
        "Relationships",
        "Cost $5_000 \\ year",
    ]
    tracks = by_gid(ax, "score-track:")
    assert [t.get_width() for t in tracks.values()] == [100, 100, 100]
    assert ax.get_title(loc="left") == "Score by group"


def test_weakest_bar_is_marked_by_hatch_and_text_not_colour_alone():
    theme = style.current_theme()
    ax = plot_checklist_scores(SCORES)
    bars = by_gid(ax, "score-bar:")
    weak = bars["score-bar:Relationships"]
    strong = bars["score-bar:Purpose"]
    assert weak.get_hatch() == "//"
    assert not strong.get_hatch()
    assert to_hex(strong.get_facecolor()) == to_hex(theme.accent)
    assert to_hex(weak.get_facecolor()) == to_hex(theme.score_colors[1])
    assert by_gid(ax, "score-label:")["score-label:Relationships"].get_fontweight() == "bold"


def test_text_is_drawn_literally():
    ax = plot_checklist_scores(SCORES)
    for text in [*ax.texts, *ax.get_yticklabels(), ax.title]:
        assert text.get_parse_math() is False or text.get_text() == ""


def test_update_moves_bars_and_labels_in_place():
    ax = plot_checklist_scores(SCORES)
    n_patches, n_texts = len(ax.patches), len(ax.texts)
    update_checklist_scores(
        ax, [("Purpose", 0, 2), ("Relationships", 4, 4), ("Cost $5_000 \\ year", 5, 5)]
    )
    bars = by_gid(ax, "score-bar:")
    assert [b.get_width() for b in bars.values()] == [0, 100, 100]
    labels = by_gid(ax, "score-label:")
    assert labels["score-label:Purpose"].get_text() == "0 of 2  (weakest)"
    assert labels["score-label:Relationships"].get_text() == "4 of 4"
    assert bars["score-bar:Purpose"].get_hatch() == "//"
    assert not bars["score-bar:Relationships"].get_hatch()
    assert (len(ax.patches), len(ax.texts)) == (n_patches, n_texts)
    with pytest.raises(ValueError, match="'Other' is not drawn"):
        update_checklist_scores(ax, [("Other", 1, 2)])


def test_plot_passes_kwargs_and_draws_on_a_given_axes():
    _, ax = plt.subplots()
    out = plot_checklist_scores(SCORES, ax=ax, height=0.3, title="Mine")
    assert out is ax
    assert by_gid(ax, "score-bar:")["score-bar:Purpose"].get_height() == pytest.approx(0.3)
    assert ax.get_title(loc="left") == "Mine"


def test_plot_rejects_bad_scores():
    with pytest.raises(ValueError, match="ticked must be between 0 and 2, got 3"):
        plot_checklist_scores([("A", 3, 2)])
    with pytest.raises(ValueError, match="duplicate group 'A'"):
        plot_checklist_scores([("A", 1, 2), ("A", 1, 2)])
    with pytest.raises(ValueError, match="name must be non-empty"):
        plot_checklist_scores([("", 1, 2)])
    with pytest.raises(ValueError, match="at least one group"):
        plot_checklist_scores([])


def test_describe_names_every_group_and_the_weakest():
    text = describe_checklist_scores(SCORES)
    assert text.splitlines() == [
        "Score by group: a bar chart of the share of statements ticked in each of 3 groups, "
        "from 0% to 100%.",
        "Purpose: 2 of 2 ticked (100%).",
        "Relationships: 1 of 4 ticked (25%). This is the weakest group.",
        "Cost $5_000 \\ year: 2 of 5 ticked (40%).",
        "Weakest group: Relationships.",
    ]
    tied = describe_checklist_scores({"A": (1, 4), "B": (1, 4), "C": (4, 4)})
    assert "Weakest groups: A and B." in tied
    assert "One of the weakest groups." in tied
    same = describe_checklist_scores({"A": (1, 2), "B": (2, 4)})
    assert "Every group scores the same (50%)." in same
    assert "<" not in describe_checklist_scores({"<b>": (1, 2)}).replace("<b>", "")


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_checklist_scores_image(style_name, tmp_path):
    with style.style_context(style_name):
        ax = plot_checklist_scores(
            [
                ("Shared vision and purpose", 3, 4),
                ("Trust and respect between partners", 1, 4),
                ("Clear roles", 4, 4),
                ("Cost $5_000 \\ year", 2, 5),
            ]
        )
        fig = ax.figure
        if style_name == "projector":
            small = [t for t in fig.findobj(plt.Text) if t.get_text() and t.get_fontsize() < 18]
            assert not small, [(t.get_text(), t.get_fontsize()) for t in small]
        compare_with_baseline(fig, f"checklist_scores_{style_name}", tmp_path)


# --- the widget ----------------------------------------------------------------------


def test_checklist_widget_shape(store):
    w = build(store, title="Partnership <health> check")
    assert isinstance(w, Checklist) and isinstance(w, widgets.VBox)
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
    assert w.figure is not None and plt.get_fignums() == []


def test_items_may_be_objects_with_key_and_text(store):
    items = [ChecklistItem("a", "A"), ("b", "B")]
    w = checklist(exercise_binding(NB, EX, store=store), items, bands=BANDS)
    assert list(w.checkboxes) == ["a", "b"]
    # any object with .key and .text works, such as the workbook's success items
    source = frameworks.success_sources()[0]
    from_content = checklist(exercise_binding(NB, "s", store=store), source.items, bands=BANDS)
    assert list(from_content.checkboxes) == [i.key for i in source.items]
    assert w.chart is None and w.figure is None


def test_ticking_saves_scores_and_redraws(store):
    w = build(store)
    ax = w.figure.axes[0]
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
    assert "Saved. 3 of 6 ticked: Getting there." in w.exercise.status.value
    bars = by_gid(ax, "score-bar:")
    assert [b.get_width() for b in bars.values()] == [100, 50, 0]
    assert by_gid(ax, "score-label:")["score-label:Arrangements"].get_text().endswith("(weakest)")
    assert w.chart.value != picture
    assert "Arrangements: 0 of 2 ticked (0%). This is the weakest group." in w.chart.value


def test_finished_marks_complete_even_with_nothing_ticked(store):
    w = build(store)
    w.done_button.click()
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert store.get(key("done")) is True
    assert store.get(key("ticked")) == []
    assert "Finished and saved. 0 of 6 ticked: Early days." in w.exercise.status.value
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
    bars = by_gid(again.figure.axes[0], "score-bar:")
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
    assert by_gid(w.figure.axes[0], "score-bar:")["score-bar:Purpose"].get_width() == 0
    button(w, "Undo reset").click()
    assert w.ticked() == ["vision"]
    assert store.get(key("done")) is True
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert by_gid(w.figure.axes[0], "score-bar:")["score-bar:Purpose"].get_width() == 50


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
    assert message in w.exercise.status.value
    assert "pl-status-warning" in w.exercise.status.value
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


def test_no_figure_growth_after_50_changes(store):
    w = build(store)
    before = len(plt.get_fignums())
    boxes = list(w.checkboxes.values())
    for i in range(50):
        boxes[i % len(boxes)].value = not boxes[i % len(boxes)].value
    assert len(plt.get_fignums()) == before == 0
    assert len(w.figure.axes) == 1
    assert len(w.figure.axes[0].patches) == 2 * len(GROUPS)


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
