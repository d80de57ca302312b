"""The rating_scale widget: a RatingScale exercise with its live chart."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import button, html_values, same_picture
from colours import contrast_ratio

from partnership_lib.core import style
from partnership_lib.core.projector import set_projector
from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.widgets import page
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.projector import PROJECTOR_CSS
from partnership_lib.widgets.rating import RatingScale, rating_scale

pytestmark = pytest.mark.usefixtures("no_display")


NB, EX = "04_test", "rating"
ITEMS = [
    ("trust", "Trust"),
    ("respect", "Respect between partners"),
    ("vision", "Shared vision"),
    ("roles", "Clear roles and responsibilities"),
    ("money", "Cost $5_000 \\ year"),
    ("comms", "Communication"),
]
GROUPS = [
    ("Relationships", ["trust", "respect"]),
    ("Direction", ["vision", "roles"]),
    ("Resources", ["money"]),
    ("Talking", ["comms"]),
]


def by_gid(ax, prefix):
    return {
        a.get_gid(): a
        for a in [*ax.patches, *ax.texts, *ax.lines, *ax.collections]
        if a.get_gid() and a.get_gid().startswith(prefix)
    }


def key(field, exercise=EX):
    return f"{NB}/{exercise}/{field}"


def build(store, **kwargs):
    return rating_scale(exercise_binding(NB, EX, store=store), ITEMS, **kwargs)


def test_widget_shape_and_labels(store):
    w = build(store, title="How is your <partnership>?")
    assert isinstance(w, RatingScale) and isinstance(w, Exercise)
    assert isinstance(w, widgets.VBox) and isinstance(w.chart, LiveChart)
    assert w.key == EX and w.kind == "rating" and w.chart in w.children
    assert {"pl-exercise", "pl-rating"} <= set(w._dom_classes)
    toggle = w.buttons["trust"]
    assert isinstance(toggle, widgets.ToggleButtons)
    assert toggle._options_labels == ("Not rated", "1", "2", "3", "4", "5")
    assert toggle._options_values == (0, 1, 2, 3, 4, 5)
    assert toggle.value == 0
    assert list(toggle.tooltips) == [
        "Trust: not rated",
        "Trust: 1 = not at all",
        "Trust: 2",
        "Trust: 3",
        "Trust: 4",
        "Trust: 5 = fully",
    ]
    joined = "".join(html_values(w))
    assert "How is your &lt;partnership&gt;?" in joined
    assert "1 = not at all" in joined and "5 = fully" in joined
    assert "Cost $5_000 \\ year" in joined
    assert plt.get_fignums() == []


def test_rating_saves_redraws_and_completes(store):
    w = build(store)
    picture = w.chart.value
    w.buttons["trust"].value = 4
    assert store.get(key("ratings")) == {"trust": 4}
    assert store.get(key(STATUS_FIELD)) == "started"
    assert "Saved. 1 of 6 rated." in w.status.value
    bars = by_gid(w.chart.ax, "rating-bar:")
    assert bars["rating-bar:trust"].get_width() == 4
    assert w.chart.value != picture
    assert "Trust: 4." in w.chart.value
    for i, k in enumerate(w.buttons, start=1):
        w.buttons[k].value = min(i, 5)
    assert store.get(key(STATUS_FIELD)) == "complete"
    w.buttons["money"].value = 0  # back to not rated
    assert "money" not in store.get(key("ratings"))
    assert store.get(key(STATUS_FIELD)) == "started"


@pytest.mark.parametrize("chart", ["bar", "radar"])
def test_a_rating_change_repaints_only_part_of_the_picture(store, chart):
    w = build(store, groups=GROUPS, chart=chart)
    assert w.chart.last_path == "full"
    figure = w.chart.figure
    for item, value in (("trust", 4), ("money", 2), ("trust", 1), ("trust", 0)):
        w.buttons[item].value = value
        assert w.chart.last_path == "partial", (item, value)
        assert w.chart.figure is figure
        same_picture(w.chart.engine, w.chart.png)
    # the picture shown is the one just painted
    assert base64.b64encode(w.chart.png).decode() in w.chart.value


def test_the_chart_follows_projector_mode_and_back(store):
    w = build(store)
    w.buttons["vision"].value = 3
    workbook = w.chart.engine.size
    set_projector(True)
    try:
        assert w.chart.last_path == "full"
        assert w.chart.engine.size[0] > workbook[0]
        assert w.chart.engine.min_text_px >= 30
        w.buttons["vision"].value = 5  # a change in projector mode: partial, same style
        assert w.chart.last_path == "partial"
        same_picture(w.chart.engine, w.chart.png)
        assert by_gid(w.chart.ax, "rating-bar:")["rating-bar:vision"].get_width() == 5
    finally:
        set_projector(False)
    assert w.chart.engine.size == workbook
    assert "Shared vision: 5." in w.chart.value


def test_radar_widget_uses_group_means(store):
    w = build(store, groups=GROUPS, chart="radar", chart_title="By group")
    w.buttons["trust"].value = 5
    w.buttons["respect"].value = 3
    _, radii = by_gid(w.chart.ax, "rating-line")["rating-line"].get_data()
    assert list(radii) == [4, 0, 0, 0, 4]
    assert "Relationships: mean 4 (2 of 2 items rated)." in w.chart.value
    joined = "".join(html_values(w))
    assert "Relationships" in joined and "Talking" in joined


def test_restores_on_rebuild(store):
    w = build(store)
    w.buttons["vision"].value = 2
    w.buttons["comms"].value = 5
    again = build(store)
    assert again.ratings() == {"vision": 2, "comms": 5}
    assert by_gid(again.chart.ax, "rating-bar:")["rating-bar:comms"].get_width() == 5
    assert len(store.history(key("ratings"))) == 1


def test_reset_clears_and_undo_brings_back(store):
    w = build(store)
    w.buttons["vision"].value = 2
    button(w, "Reset this exercise").click()
    button(w, "Yes, clear my answers").click()
    assert store.get(key("ratings")) is None
    assert w.ratings() == {}
    assert by_gid(w.chart.ax, "rating-bar:")["rating-bar:vision"].get_width() == 0
    button(w, "Undo reset").click()
    assert w.ratings() == {"vision": 2}
    assert store.get(key("ratings")) == {"vision": 2}
    assert "Shared vision: 2." in w.chart.value


@pytest.mark.parametrize(
    ("stored", "shown", "message"),
    [
        ({"trust": 9, "vision": 3}, {"vision": 3}, "a rating of 9 for 'Trust'"),
        ({"trust": "high"}, {}, "a rating of 'high' for 'Trust'"),
        ({"gone": 2, "trust": 1}, {"trust": 1}, "a rating for 'gone', which is not on this scale"),
        ([1, 2, 3], {}, "not a table of ratings"),
        ("5", {}, "not a table of ratings"),
    ],
)
def test_stored_ratings_of_the_wrong_shape_are_ignored_and_reported(store, stored, shown, message):
    store.save(key("ratings"), stored)
    w = build(store)
    assert w.ratings() == shown
    status = html.unescape(w.status.value)
    assert message in status
    assert "pl-status-warning" in status
    w.buttons["comms"].value = 4
    assert store.get(key("ratings")) == {**shown, "comms": 4}
    assert store.history(key("ratings"))[0].value == stored  # kept in the history


def test_hostile_text_is_escaped(store):
    hostile = "<script>alert(1)</script>"
    items = [("a", hostile), ("b", "\"&'<>"), ("c", "C")]
    w = rating_scale(
        exercise_binding(NB, EX, store=store),
        items,
        low_label=hostile,
        high_label="\"&'<>",
        groups=[(hostile, ["a", "b", "c"])],
        title=hostile,
        chart_title=hostile,
    )
    w.buttons["a"].value = 3
    for value in html_values(w):
        assert "<script>" not in value
        assert "\"&'<>" not in value
    joined = "".join(html_values(w))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert w.buttons["a"].tooltips[1] == f"{hostile}: {hostile}"  # tooltips are plain text


def test_no_figure_growth_after_many_changes(store):
    w = build(store, groups=GROUPS, chart="radar")
    assert plt.get_fignums() == []
    figure = w.chart.figure
    keys = list(w.buttons)
    for i in range(2 * len(keys) + 1):  # every item twice, through every value
        w.buttons[keys[i % len(keys)]].value = i % 6
    assert plt.get_fignums() == []
    assert w.chart.figure is figure
    ax = w.chart.ax
    assert len(w.chart.figure.axes) == 1
    assert len(ax.lines) == 1 and len(ax.texts) == len(GROUPS)


def test_widget_rejects_bad_arguments(store):
    with pytest.raises(ValueError, match="duplicate item key 'a'"):
        rating_scale(exercise_binding(NB, EX, store=store), [("a", "A"), ("a", "B")])
    with pytest.raises(ValueError, match="unknown chart kind 'pie'"):
        build(store, chart="pie")
    with pytest.raises(ValueError, match="at least three spokes"):
        rating_scale(exercise_binding(NB, EX, store=store), [("a", "A"), ("b", "B")], chart="radar")
    with pytest.raises(ValueError, match="must be a \\(key, text\\) pair"):
        rating_scale(exercise_binding(NB, EX, store=store), [1])


# --- the chosen button's look (issue 14: WCAG 1.4.11) ---------------------------------


def _rules(css):
    """``{selector: {property: value}}`` for a flat style sheet (no nesting)."""
    out = {}
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = (d.split(":", 1) for d in body.split(";") if ":" in d)
        out[selector.strip()] = {
            k.strip(): v.replace("!important", "").strip() for k, v in declarations
        }
    return out


def test_the_chosen_rating_has_3_to_1_against_its_neighbours_and_the_page():
    selected, unselected = page.RATING_SELECTED_BACKGROUND, page.RATING_UNSELECTED_BACKGROUND
    assert contrast_ratio(selected, unselected) >= 3  # the buttons beside it
    assert contrast_ratio(selected, "#FFFFFF") >= 3  # the page
    assert contrast_ratio(page.RATING_SELECTED_TEXT, selected) >= 4.5  # its label
    assert contrast_ratio(page.RATING_UNSELECTED_TEXT, unselected) >= 4.5
    # ipywidgets' own grey, which the issue measured: the check can fail
    assert contrast_ratio("#BDBDBD", "#EEEEEE") == pytest.approx(1.62, abs=0.01)


def test_the_page_style_gives_the_chosen_rating_those_colours_bold_and_a_tick():
    rules = _rules(page.RATING_CSS)
    scope = ".jp-OutputArea-output .pl-rating-buttons .widget-toggle-button"
    assert rules[scope] == {
        "background-color": page.RATING_UNSELECTED_BACKGROUND,
        "color": page.RATING_UNSELECTED_TEXT,
    }
    chosen = rules[f"{scope}.mod-active"]
    assert chosen["background-color"] == page.RATING_SELECTED_BACKGROUND
    assert chosen["color"] == page.RATING_SELECTED_TEXT
    assert chosen["font-weight"] == "bold"
    tick = rules[f"{scope}.mod-active::after"]["content"]
    assert tick == '"\\00a0\\2713"' and page.RATING_SELECTED_MARK == "\u00a0\u2713"
    # the page's near-black focus ring is drawn outside the dark button, not inside it
    focus = [s for s in rules if s.endswith(".mod-active:focus-visible")]
    assert len(focus) == 1 and float(rules[focus[0]]["outline-offset"].rstrip("px")) >= 0
    assert contrast_ratio("#0B0C0C", "#FFFFFF") >= 3 and "#0B0C0C" in page.PAGE_CSS
    assert page.PAGE_CSS.endswith(page.RATING_CSS)  # every session header shows it


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_every_style_keeps_the_chosen_rating_look(store, style_name):
    # The look is page CSS, the same in every chart style; projector mode adds its own
    # sheet, which must not recolour buttons.
    with style.style_context(style_name):
        w = build(store)
    assert all("pl-rating-buttons" in t._dom_classes for t in w.buttons.values())
    for selector, declarations in _rules(PROJECTOR_CSS).items():
        if "button" in selector:
            assert not {"background", "background-color", "color"} & set(declarations)


# --- the count is out of all the items (issue 14: "3 of 3" where the notebook said 3 of 7)


def test_the_portfolio_counts_the_ratings_out_of_every_item(store):
    from partnership_lib.documents.portfolio import portfolio_document

    w = build(store, title="Our partnership")
    for item, value in (("trust", 4), ("vision", 2), ("comms", 5)):
        w.buttons[item].value = value
    assert "Saved. 3 of 6 rated." in w.status.value
    assert "3 of 6 items rated" in w.chart.value
    meta = store.get(key("_meta"))
    assert meta == {"kind": "rating", "title": "Our partnership", "items": [list(i) for i in ITEMS]}

    markdown = portfolio_document(store=store, format="md")
    assert "3 of 6 items rated" in markdown and "3 of 3" not in markdown
    assert "| Respect between partners | not rated |" in markdown  # each item, by its text
    assert "| Trust | 4 |" in markdown and "Respect between" in markdown
    assert "3 of 6 items rated" in portfolio_document(store=store)


def test_ratings_saved_without_their_items_are_counted_not_printed_by_key(store):
    from partnership_lib.documents.portfolio import portfolio_document

    # An exercise the workbook does not describe, saved before scales recorded their
    # items: its keys are all there is, and a key is never printed as if it were a label.
    store.save(key("_meta"), {"kind": "rating", "title": "Before items were saved"})
    store.save(key("ratings"), {"shared_vision": 3})
    markdown = portfolio_document(store=store, format="md")
    assert "shared_vision" not in markdown and "Shared vision |" not in markdown
    assert "1 answer from exercises this version of the workbook does not describe" in markdown
    # an exercise of the day is shown with its items' words from data/, items or not
    nb = "01_concepts_and_contexts"
    store.save((nb, "success_rating", "_meta"), {"kind": "rating", "title": ""})
    store.save((nb, "success_rating", "ratings"), {"shared_vision": 3})
    markdown = portfolio_document(store=store, format="md")
    assert "| Shared vision and purpose | 3 |" in markdown and "1 of 7 items rated" in markdown
