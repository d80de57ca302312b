"""Sorter and matching exercises: headless, through the widgets, asserting what is stored."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest
from _helpers import html_values, walk

from partnership_lib.core.store import STATUS_FIELD, AnswerKey, AnswerStore
from partnership_lib.models import frameworks
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.sorter import (
    Category,
    MatchPair,
    SortItem,
    matching_exercise,
    partnership_definition_pairs,
    sorter,
    team_trait_items,
)

NB, EX = "01_concepts", "traits"
HOSTILE = [
    "<script>alert(1)</script>",
    "\"&'<>",
    "مرحبا \u200f",
    "🧑🏽\u200d🤝\u200d🧑🏻",
    "a\x00b",
]

CATEGORIES = (
    Category("fruit", "Fruit", "Grows from a flower"),
    Category("veg", "Vegetable"),
)
ITEMS = (
    SortItem("apple", "Apple", "fruit", "Apples grow from blossom."),
    SortItem("carrot", "Carrot", "veg", "A carrot is a root."),
    SortItem(
        "tomato",
        "Tomato, which a lot of people are surprised to learn about",
        "fruit",
        "Botanically a fruit.",
    ),
)


# --------------------------------------------------------------------------- helpers


def button(widget, description):
    found = [
        w for w in walk(widget) if isinstance(w, widgets.Button) and w.description == description
    ]
    assert len(found) == 1, f"expected one {description!r} button, found {len(found)}"
    return found[0]


def dropdowns(widget):
    return [w for w in walk(widget) if isinstance(w, widgets.Dropdown)]


def status(widget):
    (live,) = [w for w in walk(widget) if "pl-live" in w._dom_classes]
    return live.value


def feedback(widget):
    return [w.value for w in walk(widget) if "pl-item-feedback" in w._dom_classes]


def reset(widget):
    button(widget, "Reset this exercise").click()
    button(widget, "Yes, clear my answers").click()


def key(field):
    return AnswerKey(NB, EX, field)


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


def build(store, items=ITEMS, categories=CATEGORIES, **kwargs):
    return sorter(exercise_binding(NB, EX, store=store), items, categories, **kwargs)


def place(widget, *values):
    for dropdown, value in zip(dropdowns(widget), values, strict=True):
        dropdown.value = value


# --------------------------------------------------------------------------- models


@pytest.mark.parametrize(
    ("items", "categories", "message"),
    [
        (
            (SortItem("a", "A", "nowhere"),),
            CATEGORIES,
            r"item 'a': answer 'nowhere' is not a category",
        ),
        ((ITEMS[0], ITEMS[0]), CATEGORIES, r"item 'Apple': duplicate key 'apple'"),
        (ITEMS, (CATEGORIES[0], CATEGORIES[0]), r"category 'Fruit': duplicate key 'fruit'"),
        ((), CATEGORIES, "at least one item"),
        (ITEMS, (), "at least one category"),
        (("apple",), CATEGORIES, "must be SortItem objects, got 'apple'"),
        ("Apple", CATEGORIES, "items must be a sequence"),
    ],
)
def test_bad_content_is_refused_naming_item_and_value(store, items, categories, message):
    with pytest.raises(ValueError, match=message):
        build(store, items=items, categories=categories)


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (lambda: SortItem("", "Text", "a"), "key must be non-empty text"),
        (lambda: SortItem(" k", "Text", "a"), "must not start or end with spaces"),
        (lambda: SortItem("k", "  ", "a"), r"item 'k': text must be non-empty"),
        (lambda: SortItem("k", "Text", None), r"item 'k': answer must be non-empty"),
        (lambda: SortItem("k", "Text", "a", None), r"item 'k': explanation must be text"),
        (lambda: Category("k", ""), r"category 'k': label must be non-empty"),
        (lambda: MatchPair("Term", ""), r"term 'Term': definition must be non-empty"),
    ],
)
def test_models_fail_loudly(factory, message):
    with pytest.raises(ValueError, match=message):
        factory()


# --------------------------------------------------------------------------- widget


def test_builds_labelled_dropdowns_without_display(store):
    widget = build(store, prompt="Sort these <things>")
    assert {"pl-exercise", "pl-sorter"} <= set(widget._dom_classes)
    boxes = dropdowns(widget)
    assert [d.description for d in boxes] == ["1. Apple", "2. Carrot", "Item 3"]
    assert boxes[2].tooltip == ITEMS[2].text
    assert all(d._options_labels[0] == "Choose…" and d.value == "" for d in boxes)
    assert list(boxes[0]._options_labels[1:]) == ["Fruit", "Vegetable"]
    # the long item is shown in full above its drop-down, and the prompt is escaped
    joined = "\n".join(html_values(widget))
    assert "<strong>Item 3.</strong> Tomato, which a lot" in joined
    assert "Sort these &lt;things&gt;" in joined
    assert "Grows from a flower" in joined  # category descriptions are listed
    assert store.get(key("placements")) is None  # building saves nothing


def test_choices_are_stored_and_restored(store):
    widget = build(store)
    place(widget, "fruit", "fruit", "")
    assert store.get(key("placements")) == {"apple": "fruit", "carrot": "fruit"}
    assert store.get(key(STATUS_FIELD)) == "started"
    again = build(store)
    assert [d.value for d in dropdowns(again)] == ["fruit", "fruit", ""]
    assert status(again).count("pl-status-") == 0  # no warning on a clean restore


def test_check_gives_feedback_per_item_and_a_score(store):
    widget = build(store)
    place(widget, "fruit", "fruit", "")
    button(widget, "Check my answers").click()
    assert store.get(key("checked")) == {"apple": "fruit", "carrot": "fruit"}
    right, wrong, unplaced = feedback(widget)
    assert "\u2713 Right." in right and "Apples grow from blossom." in right
    assert "\u2717 Not this one." in wrong and "A carrot is a root." in wrong
    assert "Not placed yet" in unplaced
    assert "1 of 3 right. 1 not placed yet." in status(widget)
    assert 'aria-live="polite"' in status(widget)
    assert store.get(key(STATUS_FIELD)) == "started"  # not every item is placed


def test_complete_when_every_item_is_placed_and_checked(store):
    widget = build(store)
    place(widget, "fruit", "fruit", "fruit")
    assert store.get(key(STATUS_FIELD)) == "started"
    button(widget, "Check my answers").click()
    assert store.get(key(STATUS_FIELD)) == "complete"  # complete even with one wrong
    assert "2 of 3 right." in status(widget)
    assert "pl-status-info" in status(widget)
    # changing an answer clears its mark and makes the exercise "started" again
    dropdowns(widget)[1].value = "veg"
    assert store.get(key(STATUS_FIELD)) == "started"
    assert feedback(widget)[1] == ""
    assert "\u2713 Right." in feedback(widget)[0]  # unchanged items keep theirs
    button(widget, "Check my answers").click()
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert "3 of 3 right. Well done." in status(widget)
    assert "pl-status-right" in status(widget)


def test_checked_feedback_is_restored_on_rebuild(store):
    widget = build(store)
    place(widget, "veg", "veg", "fruit")
    button(widget, "Check my answers").click()
    again = build(store)
    marks = feedback(again)
    assert "\u2717" in marks[0] and "\u2713" in marks[1] and "\u2713" in marks[2]


def test_check_with_nothing_placed_warns_and_stores_nothing(store):
    widget = build(store)
    button(widget, "Check my answers").click()
    assert "pl-status-warning" in status(widget)
    assert store.get(key("checked")) is None


def test_model_answer_is_shown_stored_and_hidden(store):
    widget = build(store)
    reveal = button(widget, "Show the model answer")
    reveal.click()
    assert store.get(key("revealed")) is True
    assert reveal.description == "Hide the model answer"
    marks = feedback(widget)
    assert "Model answer: <strong>Fruit</strong>. Apples grow from blossom." in marks[0]
    assert "Model answer: <strong>Vegetable</strong>." in marks[1]
    again = build(store)
    assert "Model answer" in feedback(again)[2]
    button(again, "Hide the model answer").click()
    assert store.get(key("revealed")) is False
    assert all("Model answer" not in m for m in feedback(again))


def test_reset_clears_and_undo_brings_back(store):
    widget = build(store)
    place(widget, "fruit", "veg", "fruit")
    button(widget, "Check my answers").click()
    reset(widget)
    assert store.get(key("placements")) is None
    assert store.get(key("checked")) is None
    assert store.get(key(STATUS_FIELD)) is None
    assert [d.value for d in dropdowns(widget)] == ["", "", ""]
    assert all(m == "" for m in feedback(widget))
    button(widget, "Undo reset").click()
    assert store.get(key("placements")) == {"apple": "fruit", "carrot": "veg", "tomato": "fruit"}
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert [d.value for d in dropdowns(widget)] == ["fruit", "veg", "fruit"]
    assert all("\u2713 Right." in m for m in feedback(widget))


def test_shuffle_is_deterministic_and_stable_across_rebuilds(store):
    many = tuple(SortItem(f"i{n}", f"Item {n}", "fruit") for n in range(12))
    content_order = [d.description for d in dropdowns(build(store, items=many))]
    assert content_order == [f"{n + 1}. Item {n}" for n in range(12)]
    first = [
        d.description.split(". ", 1)[1] for d in dropdowns(build(store, items=many, shuffle_seed=3))
    ]
    second = [
        d.description.split(". ", 1)[1] for d in dropdowns(build(store, items=many, shuffle_seed=3))
    ]
    other = [
        d.description.split(". ", 1)[1] for d in dropdowns(build(store, items=many, shuffle_seed=4))
    ]
    assert first == second
    assert first != [f"Item {n}" for n in range(12)]
    assert first != other
    assert sorted(first) == sorted(f"Item {n}" for n in range(12))


def test_shuffled_answers_are_stored_by_item_key(store):
    widget = build(store, shuffle_seed=1)
    by_text = {d.tooltip: d for d in dropdowns(widget)}
    by_text["Carrot"].value = "veg"
    assert store.get(key("placements")) == {"carrot": "veg"}
    again = build(store, shuffle_seed=1)
    assert {d.tooltip: d.value for d in dropdowns(again)}["Carrot"] == "veg"


def test_hostile_content_is_escaped_in_every_html_value(store):
    for n, text in enumerate(HOSTILE):
        items = (
            SortItem(text, f"{text} item text long enough to be shown above {n}", "c", text),
            SortItem("plain", text, "c", f"Because {text}"),
        )
        categories = (Category("c", text, text),)
        widget = sorter(
            exercise_binding(NB, f"hostile{n}", store=store), items, categories, prompt=text
        )
        place(widget, "c", "c")
        button(widget, "Check my answers").click()
        button(widget, "Show the model answer").click()
        stored = store.get(AnswerKey(NB, f"hostile{n}", "placements"))
        assert stored == {text: "c", "plain": "c"}  # keys round-trip exactly
        for value in html_values(widget):
            assert "<script>" not in value
            assert "alert(1)</script>" not in value
        joined = "\n".join(html_values(widget))
        from markupsafe import escape

        assert escape(text) in joined


def test_corrupt_stored_values_are_reported_not_fatal(store):
    store.save(key("placements"), "not a mapping")
    store.save(key("checked"), {"apple": "fruit", "ghost": "fruit", "carrot": "nowhere"})
    store.save(key("revealed"), [1, 2])
    widget = build(store)
    assert [d.value for d in dropdowns(widget)] == ["", "", ""]
    message = status(widget)
    assert "pl-status-warning" in message
    assert "could not be shown" in message and "kept in your history" in message
    assert store.get(key("placements")) == "not a mapping"  # nothing overwritten yet
    dropdowns(widget)[0].value = "fruit"
    assert store.get(key("placements")) == {"apple": "fruit"}
    assert any(r.value == "not a mapping" for r in store.history(key("placements")))


# --------------------------------------------------------------------------- real content


def test_team_trait_items_give_two_items_per_trait():
    items, categories = team_trait_items()
    traits = frameworks.team_traits()
    assert [c.key for c in categories] == ["collaborative", "hierarchical"]
    assert [c.label for c in categories] == ["Collaborative Team", "Hierarchical team"]
    assert len(items) == 2 * len(traits) == 28
    by_key = {i.key: i for i in items}
    for trait in traits:
        assert by_key[f"{trait.key}_collaborative"].text == trait.collaborative
        assert by_key[f"{trait.key}_collaborative"].answer == "collaborative"
        assert by_key[f"{trait.key}_hierarchical"].text == trait.hierarchical
        assert by_key[f"{trait.key}_hierarchical"].answer == "hierarchical"
        assert trait.hierarchical in by_key[f"{trait.key}_collaborative"].explanation
    again, _ = team_trait_items()
    assert [i.key for i in again] == [i.key for i in items]  # deterministic
    assert [i.key for i in items] != [i.key for i in team_trait_items(seed=None)[0]]
    assert items[0].key.removesuffix("_collaborative").removesuffix("_hierarchical") != (
        items[1].key.removesuffix("_collaborative").removesuffix("_hierarchical")
    )


def test_real_team_traits_can_be_sorted_and_completed(store):
    items, categories = team_trait_items()
    widget = build(store, items=items, categories=categories)
    boxes = dropdowns(widget)
    assert len(boxes) == 28
    texts = {i.text: i for i in items}
    for box in boxes:
        box.value = texts[box.tooltip].answer
    button(widget, "Check my answers").click()
    assert "28 of 28 right." in status(widget)
    assert store.get(key(STATUS_FIELD)) == "complete"
    assert len(store.get(key("placements"))) == 28


def test_matching_exercise_matches_terms_to_definitions(store):
    pairs = partnership_definition_pairs()
    assert [p.term for p in pairs] == [
        "Partner",
        "Partnership",
        "Multi-sectoral Partnership",
        "Alliance",
    ]
    assert "Audit Commission 2005" in pairs[1].explanation
    widget = matching_exercise(exercise_binding(NB, "language", store=store), pairs)
    assert "pl-matching" in widget._dom_classes
    boxes = dropdowns(widget)
    assert list(boxes[0]._options_labels[1:]) == [p.term for p in pairs]
    definitions = {p.definition: p.key for p in pairs}
    shown = [definitions[b.tooltip] for b in boxes]
    assert shown != [p.key for p in pairs]  # shuffled by default
    for box in boxes:
        box.value = definitions[box.tooltip]
    button(widget, "Check my answers").click()
    assert "4 of 4 right." in status(widget)
    assert store.get(AnswerKey(NB, "language", "placements"))["multi_sectoral_partnership"] == (
        "multi_sectoral_partnership"
    )


def test_matching_exercise_accepts_tuples_and_refuses_bad_pairs(store):
    widget = matching_exercise(
        exercise_binding(NB, "tuples", store=store),
        [("Term A", "Means a"), ("Term B", "Means b", "Because.")],
        shuffle_seed=None,
    )
    assert [d.tooltip for d in dropdowns(widget)] == ["Means a", "Means b"]
    with pytest.raises(ValueError, match=re.escape("(term, definition[, explanation])")):
        matching_exercise(exercise_binding(NB, "bad", store=store), [("only a term",)])
    with pytest.raises(ValueError, match="duplicate key 'term_a'"):
        matching_exercise(
            exercise_binding(NB, "dup", store=store), [("Term A", "x"), ("term a", "y")]
        )


# --------------------------------------------------------------------------- the exercise


def test_the_sorter_is_the_exercise_and_its_methods_do_what_its_buttons_do(store):
    from partnership_lib.widgets.base import Exercise
    from partnership_lib.widgets.sorter import Matching, Sorter

    widget = build(store)
    assert isinstance(widget, Sorter) and isinstance(widget, Exercise)
    assert widget.kind == "sorter" and widget.key == EX
    assert [i.key for i in widget.items] == ["apple", "carrot", "tomato"]
    assert list(widget.dropdowns) == ["apple", "carrot", "tomato"]
    widget.dropdowns["apple"].value = "fruit"
    widget.dropdowns["carrot"].value = "fruit"
    assert widget.placements == {"apple": "fruit", "carrot": "fruit"}
    assert widget.score() == (1, 3)
    widget.check()
    assert widget.checked == widget.placements
    assert widget.value["checked"] == {"apple": "fruit", "carrot": "fruit"}
    assert "1 of 3 right." in widget.status.value
    widget.toggle_model_answer()
    assert widget.revealed is True and store.get(key("revealed")) is True
    assert widget.reveal_button.description == "Hide the model answer"
    # placements, checked, revealed, the progress mark and the kind/title record
    assert widget.reset() == 5
    assert widget.placements == {} and widget.checked == {} and widget.revealed is False
    assert [d.value for d in widget.dropdowns.values()] == ["", "", ""]
    assert widget.undo_reset() == 5
    assert widget.placements == {"apple": "fruit", "carrot": "fruit"}
    # the kind and title are recorded with the first answer, for the portfolio
    assert store.get(key("_meta"))["kind"] == "sorter"

    pairs = partnership_definition_pairs()
    matching = matching_exercise(exercise_binding(NB, "language", store=store), pairs)
    assert isinstance(matching, Matching) and isinstance(matching, Sorter)
    assert matching.kind == "matching" and matching.pairs == pairs
