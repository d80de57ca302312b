"""Ratings from 1 to 5: plot_ratings, update_ratings, plot_rating_change and their twins."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import compare_with_baseline
from matplotlib.colors import to_hex

from partnership_lib.charts.chart import Chart
from partnership_lib.core import style
from partnership_lib.models.ratings import (
    compare_ratings,
    describe_rating_change,
    describe_ratings,
    plot_rating_change,
    plot_ratings,
    update_ratings,
)

ITEMS = [
    ("trust", "Trust"),
    ("respect", "Respect between partners"),
    ("vision", "Shared vision"),
    ("roles", "Clear roles and responsibilities"),
    ("money", "Cost $5_000 \\ year"),
    ("comms", "Communication"),
]
LABELS = dict(ITEMS)
GROUPS = [
    ("Relationships", ["trust", "respect"]),
    ("Direction", ["vision", "roles"]),
    ("Resources", ["money"]),
    ("Talking", ["comms"]),
]
RATED = {"trust": 4, "respect": 2, "vision": 5, "roles": 1, "money": None, "comms": 3}
BEFORE = {"trust": 2, "respect": 2, "vision": 4, "roles": 3, "comms": 1}
AFTER = {"trust": 4, "respect": 2, "vision": 3, "roles": 5, "money": 2, "comms": 3}


def by_gid(ax, prefix):
    return {
        a.get_gid(): a
        for a in [*ax.patches, *ax.texts, *ax.lines, *ax.collections]
        if a.get_gid() and a.get_gid().startswith(prefix)
    }


def assert_projector_text_large(fig):
    small = [t for t in fig.findobj(plt.Text) if t.get_text() and t.get_fontsize() < 18]
    assert not small, [(t.get_text(), t.get_fontsize()) for t in small]


# --- plot_ratings: bar ---------------------------------------------------------------


def test_bar_chart_has_a_bar_and_a_value_per_item():
    theme = style.current_theme()
    ax = plot_ratings(RATED, labels=LABELS)
    bars = by_gid(ax, "rating-bar:")
    assert list(bars) == [f"rating-bar:{k}" for k, _ in ITEMS]
    assert [b.get_width() for b in bars.values()] == [4, 2, 5, 1, 0, 3]
    assert [b.get_y() + b.get_height() / 2 for b in bars.values()] == pytest.approx(
        [5, 4, 3, 2, 1, 0]
    )
    values = by_gid(ax, "rating-value:")
    assert [t.get_text() for t in values.values()] == ["4", "2", "5", "1", "not rated", "3"]
    assert values["rating-value:money"].get_fontstyle() == "italic"
    # colour follows the score scale, and the length and number say the same
    assert to_hex(bars["rating-bar:vision"].get_facecolor()) == to_hex(theme.score_colors[4])
    assert to_hex(bars["rating-bar:roles"].get_facecolor()) == to_hex(theme.score_colors[0])
    assert [t.get_text() for t in ax.get_yticklabels()][4] == "Cost $5_000 \\ year"
    assert all(t.get_parse_math() is False for t in [*ax.texts, *ax.get_yticklabels()])


def test_update_bars_in_place():
    ax = plot_ratings({}, labels=LABELS)
    counts = (len(ax.patches), len(ax.texts))
    update_ratings(ax, {"trust": 5, "money": 1}, labels=LABELS)
    bars = by_gid(ax, "rating-bar:")
    assert bars["rating-bar:trust"].get_width() == 5
    assert bars["rating-bar:money"].get_width() == 1
    assert bars["rating-bar:vision"].get_width() == 0
    values = by_gid(ax, "rating-value:")
    assert values["rating-value:trust"].get_text() == "5"
    assert values["rating-value:trust"].get_position()[0] == pytest.approx(5.12)
    assert values["rating-value:vision"].get_text() == "not rated"
    assert (len(ax.patches), len(ax.texts)) == counts


def test_update_returns_only_the_artists_it_changed():
    ax = plot_ratings({"trust": 2}, labels=LABELS)
    changed = update_ratings(ax, {"trust": 2, "vision": 4}, labels=LABELS)
    assert sorted(a.get_gid() for a in changed) == ["rating-bar:vision", "rating-value:vision"]
    assert update_ratings(ax, {"trust": 2, "vision": 4}, labels=LABELS) == []
    # a colour change alone (the same width) is a change too
    changed = update_ratings(ax, {"trust": 2, "vision": 4, "comms": 1}, labels=LABELS)
    assert {a.get_gid() for a in changed} == {"rating-bar:comms", "rating-value:comms"}


def test_radar_update_returns_the_line_fill_and_changed_values():
    ax = plot_ratings({}, labels=LABELS, groups=GROUPS, kind="radar")
    changed = update_ratings(ax, {"money": 4}, labels=LABELS, groups=GROUPS, kind="radar")
    assert sorted(a.get_gid() for a in changed) == [
        "rating-fill",
        "rating-line",
        "rating-value:Resources",
    ]
    assert update_ratings(ax, {"money": 4}, labels=LABELS, groups=GROUPS, kind="radar") == []


def test_update_asks_for_a_full_draw_when_it_cannot_update_in_place():
    bars = plot_ratings({}, labels=LABELS)
    assert update_ratings(bars, {"trust": 3}, labels=LABELS, kind="radar") is None
    assert update_ratings(bars, {"trust": 3}, labels=LABELS, title="Another title") is None
    assert update_ratings(bars, {"trust": 3}, labels=LABELS, title="Your ratings") is not None
    radar = plot_ratings({}, labels=LABELS, kind="radar")
    assert update_ratings(radar, {"trust": 3}, labels=LABELS) is None
    with pytest.raises(ValueError, match="'extra' is not drawn on this chart"):
        update_ratings(bars, {}, labels={**LABELS, "extra": "Extra"})


def test_ratings_without_labels_use_the_keys_in_order():
    ax = plot_ratings({"b": 2, "a": 1})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ({"trust": 9}, "rating for 'trust' must be from 1 to 5, got 9"),
        ({"trust": 0}, "rating for 'trust' must be from 1 to 5, got 0"),
        ({"trust": 2.5}, "whole number from 1 to 5, got 2.5"),
        ({"trust": float("nan")}, "whole number from 1 to 5, got nan"),
        ({"trust": "4"}, "whole number from 1 to 5, got '4'"),
        ({"trust": True}, "whole number from 1 to 5, got True"),
        ({"other": 3}, "rated item 'other' has no label"),
    ],
)
def test_bad_ratings_raise(ratings, message):
    with pytest.raises(ValueError, match=message):
        plot_ratings(ratings, labels=LABELS)
    with pytest.raises(ValueError, match=message):
        describe_ratings(ratings, labels=LABELS)


def test_bad_kind_and_groups_raise():
    with pytest.raises(ValueError, match="unknown chart kind 'pie'"):
        plot_ratings(RATED, labels=LABELS, kind="pie")
    with pytest.raises(ValueError, match="at least three spokes, got 2"):
        plot_ratings({"a": 1, "b": 2}, kind="radar")
    with pytest.raises(ValueError, match="'comms' is in no group"):
        plot_ratings(RATED, labels=LABELS, groups=GROUPS[:-1])
    with pytest.raises(ValueError, match="needs a polar Axes"):
        _, ax = plt.subplots()
        plot_ratings(RATED, labels=LABELS, kind="radar", ax=ax)


def test_describe_bar():
    assert describe_ratings(RATED, labels=LABELS).splitlines() == [
        "Your ratings: a bar chart of ratings from 1 to 5, one bar per item; 5 of 6 items rated.",
        "Trust: 4.",
        "Respect between partners: 2.",
        "Shared vision: 5.",
        "Clear roles and responsibilities: 1.",
        "Cost $5_000 \\ year: not rated.",
        "Communication: 3.",
    ]


# --- plot_ratings: radar -------------------------------------------------------------


def test_radar_by_group_mean():
    ax = plot_ratings(RATED, labels=LABELS, groups=GROUPS, kind="radar")
    assert ax.name == "polar"
    line = by_gid(ax, "rating-line")["rating-line"]
    thetas, radii = line.get_data()
    assert list(radii) == [3, 3, 0, 3, 3]  # closed: back to the first spoke
    assert thetas[0] == thetas[-1] == 0
    assert list(thetas[:4]) == pytest.approx(np.linspace(0, 2 * np.pi, 4, endpoint=False))
    values = by_gid(ax, "rating-value:")
    assert [t.get_text() for t in values.values()] == ["3", "3", "not rated", "3"]
    assert [t.get_text() for t in ax.get_xticklabels()] == [t for t, _ in GROUPS]
    fill = by_gid(ax, "rating-fill")["rating-fill"]
    assert fill.get_xy()[:, 1].tolist() == [3, 3, 0, 3, 3]


def test_radar_update_in_place_and_describe():
    ax = plot_ratings({}, labels=LABELS, groups=GROUPS, kind="radar")
    counts = (len(ax.lines), len(ax.patches), len(ax.texts))
    update_ratings(
        ax, {"trust": 5, "respect": 2, "money": 4}, labels=LABELS, groups=GROUPS, kind="radar"
    )
    _, radii = by_gid(ax, "rating-line")["rating-line"].get_data()
    assert list(radii) == [3.5, 0, 4, 0, 3.5]
    assert by_gid(ax, "rating-value:")["rating-value:Relationships"].get_text() == "3.5"
    assert (len(ax.lines), len(ax.patches), len(ax.texts)) == counts
    text = describe_ratings(
        {"trust": 5, "respect": 2, "money": 4}, labels=LABELS, groups=GROUPS, kind="radar"
    )
    assert text.splitlines() == [
        "Your ratings: a radar chart of the mean rating from 1 to 5 in each of 4 groups, "
        "starting at the top and running clockwise; 3 of 6 items rated.",
        "Relationships: mean 3.5 (2 of 2 items rated).",
        "Direction: not rated (0 of 2 items rated).",
        "Resources: mean 4 (1 of 1 item rated).",
        "Talking: not rated (0 of 1 item rated).",
    ]


def test_radar_by_item_without_groups():
    ax = plot_ratings(RATED, labels=LABELS, kind="radar")
    _, radii = by_gid(ax, "rating-line")["rating-line"].get_data()
    assert list(radii) == [4, 2, 5, 1, 0, 3, 4]
    assert "Shared vision: 5." in describe_ratings(RATED, labels=LABELS, kind="radar")


# --- plot_rating_change --------------------------------------------------------------


def test_rating_change_markers_arrows_and_labels():
    ax = plot_rating_change(BEFORE, AFTER, labels=LABELS)
    before = by_gid(ax, "before:")
    after = by_gid(ax, "after:")
    assert before["before:trust"].get_offsets().tolist() == [[2, 5]]
    assert after["after:trust"].get_offsets().tolist() == [[4, 5]]
    assert "before:money" not in before  # no start rating
    assert after["after:money"].get_offsets().tolist() == [[2, 1]]
    arrows = by_gid(ax, "change-arrow:")
    assert set(arrows) == {
        "change-arrow:trust",
        "change-arrow:vision",
        "change-arrow:roles",
        "change-arrow:comms",
    }
    labels = {k.split(":")[1]: t.get_text() for k, t in by_gid(ax, "change-label:").items()}
    assert labels == {
        "trust": "2 \u2192 4 (+2)",
        "respect": "2 (no change)",
        "vision": "4 \u2192 3 (-1)",
        "roles": "3 \u2192 5 (+2)",
        "money": "2 (no start rating)",
        "comms": "1 \u2192 3 (+2)",
    }
    # before and after differ in shape and fill, not colour alone
    assert before["before:trust"].get_facecolors().size == 0  # hollow ring
    assert after["after:trust"].get_paths()[0] is not before["before:trust"].get_paths()[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Start of day", "End of day"]


def test_rating_change_describe_and_kwargs():
    _, ax = plt.subplots()
    out = plot_rating_change(
        {"a": 1}, {"a": 3}, ax=ax, s=99, before_label="Before", after_label="After"
    )
    assert out is ax
    assert by_gid(ax, "after:a")["after:a"].get_sizes().tolist() == [99]
    assert describe_rating_change(BEFORE, AFTER, labels=LABELS).splitlines() == [
        "How your ratings changed: ratings from 1 to 5 for 6 items, start of day (hollow "
        "circle) and end of day (filled diamond). 3 went up, 1 went down, 1 stayed the same.",
        "Trust: start of day 2, end of day 4 (up 2).",
        "Respect between partners: start of day 2, end of day 2 (no change).",
        "Shared vision: start of day 4, end of day 3 (down 1).",
        "Clear roles and responsibilities: start of day 3, end of day 5 (up 2).",
        "Cost $5_000 \\ year: start of day not rated, end of day 2.",
        "Communication: start of day 1, end of day 3 (up 2).",
    ]
    with pytest.raises(ValueError, match="rating for 'a' must be from 1 to 5, got 6"):
        plot_rating_change({"a": 6}, {"a": 3})
    with pytest.raises(ValueError, match="chart labels must be non-empty"):
        plot_rating_change({"a": 1}, {"a": 3}, before_label="")


def test_compare_ratings_is_a_chart_with_alt_text():
    chart = compare_ratings(BEFORE, AFTER, labels=LABELS)
    assert isinstance(chart, Chart)
    assert chart.png.startswith(b"\x89PNG")
    assert chart.alt == describe_rating_change(BEFORE, AFTER, labels=LABELS)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_ratings_bar_image(style_name, tmp_path):
    with style.style_context(style_name):
        fig = plot_ratings(RATED, labels=LABELS).figure
        if style_name == "projector":
            assert_projector_text_large(fig)
        compare_with_baseline(fig, f"ratings_bar_{style_name}", tmp_path)


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_ratings_radar_image(style_name, tmp_path):
    with style.style_context(style_name):
        fig = plot_ratings(RATED, labels=LABELS, kind="radar").figure
        if style_name == "projector":
            assert_projector_text_large(fig)
        compare_with_baseline(fig, f"ratings_radar_{style_name}", tmp_path)


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_rating_change_image(style_name, tmp_path):
    with style.style_context(style_name):
        fig = plot_rating_change(BEFORE, AFTER, labels=LABELS).figure
        if style_name == "projector":
            assert_projector_text_large(fig)
        compare_with_baseline(fig, f"rating_change_{style_name}", tmp_path)
