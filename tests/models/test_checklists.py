"""Checklists' models: ScoreBand, GroupScore, the score-by-group chart and its updater."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from _helpers import compare_with_baseline
from colours import contrast_ratio
from matplotlib.colors import to_hex

from partnership_lib.core import style
from partnership_lib.models.checklists import (
    TRACK_COLOUR,
    GroupScore,
    ScoreBand,
    band_for,
    describe_checklist_scores,
    group_scores,
    plot_checklist_scores,
    update_checklist_scores,
    weakest_groups,
)

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


def test_update_returns_only_the_bars_and_labels_it_changed():
    ax = plot_checklist_scores([("A", 0, 2), ("B", 1, 2), ("C", 2, 2)])
    # A gains a tick: its bar grows and it stops being the weakest (no hatch, new label)
    changed = update_checklist_scores(ax, [("A", 1, 2), ("B", 1, 2), ("C", 2, 2)])
    assert sorted(a.get_gid() for a in changed) == [
        "score-bar:A",
        "score-bar:B",
        "score-label:A",
        "score-label:B",
    ]  # B's bar and label change too: A and B are now the weakest together
    assert update_checklist_scores(ax, [("A", 1, 2), ("B", 1, 2), ("C", 2, 2)]) == []
    assert update_checklist_scores(ax, [("C", 2, 2)], title=ax.get_title(loc="left")) == []
    assert update_checklist_scores(ax, [("C", 1, 2)], title="Another title") is None


def test_group_scores_count_the_ticked_items_of_each_group():
    groups = [("Purpose", ["vision", "aims"]), ("Money", ["money"])]
    assert group_scores(groups, {"aims", "money", "other"}) == [
        GroupScore("Purpose", 1, 2),
        GroupScore("Money", 1, 1),
    ]
    assert group_scores(groups, []) == [GroupScore("Purpose", 0, 2), GroupScore("Money", 0, 1)]


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_an_empty_group_looks_empty(style_name):
    # The track behind each bar is a faint fill with no outline, so it never reads as a
    # full bar; a group with nothing ticked has no bar at all (not a sliver at 0%).
    with style.style_context(style_name):
        ax = plot_checklist_scores([("None yet", 0, 3), ("Some", 1, 3), ("All", 3, 3)])
        theme = style.current_theme()
    tracks = by_gid(ax, "score-track:")
    bars = by_gid(ax, "score-bar:")
    page = ax.get_facecolor()
    for track in tracks.values():
        assert track.get_linewidth() == 0 and track.get_width() == 100
        assert to_hex(track.get_facecolor()) == TRACK_COLOUR.lower()
        assert contrast_ratio(track.get_facecolor(), page) < 1.3  # faint
        assert track.get_zorder() < bars["score-bar:Some"].get_zorder()
    empty = bars["score-bar:None yet"]
    assert not empty.get_visible() and empty.get_width() == 0
    for name in ("Some", "All"):  # a bar with something in it is drawn, and stands out
        bar = bars[f"score-bar:{name}"]
        assert bar.get_visible() and bar.get_linewidth() > 0
        assert contrast_ratio(bar.get_edgecolor(), page) >= 3
        assert to_hex(bar.get_edgecolor()) == to_hex(theme.edge)
    label = by_gid(ax, "score-label:")["score-label:None yet"]
    assert label.get_text() == "0 of 3  (weakest)"


def test_update_hides_and_shows_the_bar_of_a_group_that_empties_or_fills():
    ax = plot_checklist_scores([("A", 1, 2), ("B", 2, 2)])
    bar = by_gid(ax, "score-bar:")["score-bar:A"]
    changed = update_checklist_scores(ax, [("A", 0, 2), ("B", 2, 2)])
    assert bar in changed and not bar.get_visible()
    changed = update_checklist_scores(ax, [("A", 1, 2), ("B", 2, 2)])
    assert bar in changed and bar.get_visible() and bar.get_width() == 50


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
                ("Pooled budgets", 0, 3),
            ]
        )
        fig = ax.figure
        if style_name == "projector":
            small = [t for t in fig.findobj(plt.Text) if t.get_text() and t.get_fontsize() < 18]
            assert not small, [(t.get_text(), t.get_fontsize()) for t in small]
        compare_with_baseline(fig, f"checklist_scores_{style_name}", tmp_path)
