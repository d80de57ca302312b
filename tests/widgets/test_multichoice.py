"""The several-choice picker: one click toggles one option, and the chosen stay in view."""

from __future__ import annotations

import pytest
import traitlets

from partnership_lib.widgets.multichoice import MultiChoice

OPTIONS = [("Listening", "listening"), ("Trust", "trust"), ("Planning", "planning")]


def picker(**kwargs):
    return MultiChoice(OPTIONS, description="Skills used (Team)", **kwargs)


def test_each_click_toggles_one_option_and_keeps_the_others():
    p = picker()
    seen = []
    p.observe(lambda change: seen.append(change["new"]), names="value")
    p.checkboxes["planning"].value = True
    p.checkboxes["listening"].value = True  # a plain click adds; it replaces nothing
    assert p.value == ("listening", "planning")  # in the options' order
    p.checkboxes["planning"].value = False
    assert p.value == ("listening",)
    assert seen == [("planning",), ("listening", "planning"), ("listening",)]


def test_chosen_options_are_named_in_view():
    p = picker()
    assert "Nothing chosen yet" in p.chosen.value
    p.value = ("trust", "listening")
    assert [k for k, box in p.checkboxes.items() if box.value] == ["listening", "trust"]
    assert "Chosen (2): Listening, Trust" in p.chosen.value
    assert p.chosen in p.children  # below the boxes, never scrolled away


def test_value_keeps_the_options_order_and_refuses_unknown_keys():
    p = picker()
    p.value = ("planning", "listening", "planning")
    assert p.value == ("listening", "planning")
    with pytest.raises(traitlets.TraitError, match="unknown choice 'juggling'"):
        p.value = ("juggling",)
    assert p.value == ("listening", "planning")


def test_boxes_are_labelled_grouped_and_told_apart_by_their_tooltip():
    p = picker(
        groups=[("Talking", ["listening"]), ("Doing", ["trust", "planning"])], context="Team"
    )
    assert {k: b.description for k, b in p.checkboxes.items()} == {
        "listening": "Listening",
        "trust": "Trust",
        "planning": "Planning",
    }
    assert p.checkboxes["trust"].tooltip == "Trust, Team"
    assert all(not b.indent for b in p.checkboxes.values())
    texts = [c.value for c in p.children if hasattr(c, "value") and isinstance(c.value, str)]
    assert any("Skills used (Team)" in t for t in texts)
    assert any("Talking" in t for t in texts) and any("Doing" in t for t in texts)
    wraps = [c for c in p.children if getattr(c.layout, "flex_flow", None) == "row wrap"]
    assert len(wraps) == 2


def test_bad_groups_and_options_are_named():
    with pytest.raises(ValueError, match="groups must hold every option once"):
        picker(groups=[("Talking", ["listening"])])
    with pytest.raises(ValueError, match="each option needs a key of its own"):
        MultiChoice([("A", "a"), ("B", "a")], description="Pick")


def test_labels_are_escaped():
    p = MultiChoice([("<b>x</b>", "x")], description="<script>", groups=[("<i>g</i>", ["x"])])
    html = " ".join(c.value for c in p.children if isinstance(getattr(c, "value", None), str))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;i&gt;g" in html
