"""The conversation tagger: splitting, tagging, the path on the Mobius map, and the store."""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import html_values, walk
from markupsafe import escape
from PIL import Image

from partnership_lib.core.store import STATUS_FIELD, AnswerKey, AnswerStore
from partnership_lib.models.conversations import (
    ConversationStep,
    WorkedConversation,
    worked_conversation,
)
from partnership_lib.models.mobius import TAGS
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.tagger import MAX_STATEMENTS, ConversationTagger, conversation_tagger

NB, EX = "03_influencing", "mobius_tagger"
HOSTILE = [
    "<script>alert(1)</script>",
    "\"&'<>",
    "مرحبا بالعالم \u200f",
    "🧑🏽\u200d🤝\u200d🧑🏻 👍🏿",
    "before\x00after",
    "Cost $5_000 \\ year",
]
EXCHANGE = "GP lead: You keep changing the brief.\nWhat if we agreed it for a year?\nCommissioner: I'd back that."


# --------------------------------------------------------------------------- helpers


def same_picture(live, png, tol=2):
    """``png`` matches a full redraw of the live figure as it stands now."""

    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    diff = np.abs(pixels(png) - pixels(live.reference_png()))
    assert diff.max() <= tol, f"{int((diff.max(axis=2) > tol).sum())} pixels differ"


def button(widget, description):
    found = [
        w for w in walk(widget) if isinstance(w, widgets.Button) and w.description == description
    ]
    assert len(found) == 1, f"expected one {description!r} button, found {len(found)}"
    return found[0]


def textarea(widget):
    (found,) = [w for w in walk(widget) if isinstance(w, widgets.Textarea)]
    return found


def dropdowns(widget):
    return [w for w in walk(widget) if isinstance(w, widgets.Dropdown)]


def by_class(widget, name):
    (found,) = [w for w in walk(widget) if name in w._dom_classes]
    return found.value


def status(widget):
    return by_class(widget, "pl-live")


def arrows(widget):
    ax = widget.figure.axes[0]
    return sorted(
        a.get_gid() for a in ax.findobj() if (a.get_gid() or "").startswith("path-arrow:")
    )


def key(field=STATUS_FIELD, exercise=EX):
    return AnswerKey(NB, exercise, field)


CONV = key("conversation")


def split(widget, text):
    textarea(widget).value = text
    button(widget, "Split into statements").click()


def tag(widget, *tags):
    for dropdown, value in zip(dropdowns(widget), tags, strict=True):
        dropdown.value = value


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


def build(store, exercise=EX, **kwargs):
    return conversation_tagger(exercise_binding(NB, exercise, store=store), **kwargs)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("A", "hi", "grumble")], r"step 1: unknown Mobius tag 'grumble'"),
        ([("A", "hi", "blame"), ("B", "  ", "worry")], r"step 2: statement must be non-empty"),
        ([("A", "hi")], r"step 1: must be \(speaker, statement, tag\)"),
        ([(None, "hi", "blame")], r"step 1: speaker must be text"),
    ],
)
def test_bad_example_steps_are_refused(store, steps, message):
    with pytest.raises(ValueError, match=message):
        build(store, example=steps)


def test_example_as_plain_tuples_loads_and_normalises_tags(store):
    widget = build(
        store,
        example=[("A", "You never listen", "Blame"), ("B", "Tell me more", "Mutual understanding")],
    )
    button(widget, "Load the worked example").click()
    assert store.get(CONV)["tags"] == ["blame", "mutual_understanding"]
    assert ConversationStep("A", "x", "blame").tag == "blame"


# --------------------------------------------------------------------------- widget


def test_builds_without_display_and_without_example_button(store):
    widget = build(store)
    assert {"pl-exercise", "pl-tagger"} <= set(widget._dom_classes)
    area = textarea(widget)
    assert area.description == "Conversation:" and area.continuous_update is True
    assert next(b.description for b in walk(widget) if isinstance(b, widgets.Button)) == (
        "Split into statements"
    )
    assert not [
        b for b in walk(widget) if getattr(b, "description", "") == "Load the worked example"
    ]
    assert arrows(widget) == []
    assert by_class(widget, "pl-mobius-picture").startswith('<figure class="pl-chart"')
    assert store.get(CONV) is None


def test_typing_is_saved_and_split_makes_one_tag_dropdown_per_statement(store):
    widget = build(store)
    textarea(widget).value = EXCHANGE
    assert store.get(CONV)["text"] == EXCHANGE
    assert store.get(key()) == "started"
    button(widget, "Split into statements").click()
    stored = store.get(CONV)
    assert stored["statements"] == [
        {"speaker": "GP lead", "text": "You keep changing the brief."},
        {"speaker": "", "text": "What if we agreed it for a year?"},
        {"speaker": "Commissioner", "text": "I'd back that."},
    ]
    assert stored["tags"] == [None, None, None]
    boxes = dropdowns(widget)
    assert [d.description for d in boxes] == [f"Tag for statement {n}:" for n in (1, 2, 3)]
    labels = list(boxes[0]._options_labels)
    assert labels[:5] == [
        "Not tagged",
        "Blame (monologue)",
        "Praise (monologue)",
        "Worry (monologue)",
        "Claim (monologue)",
    ]
    assert labels[5] == "Mutual understanding (dialogue quality)"
    assert len(labels) == 1 + len(TAGS)
    joined = "\n".join(html_values(widget))
    assert "<strong>1. GP lead: </strong>You keep changing the brief." in joined
    assert "<strong>2. </strong>What if we agreed" in joined
    assert "Split into 3 statements" in status(widget)


def test_tags_are_stored_and_drawn_as_a_numbered_path(store):
    widget = build(store)
    split(widget, EXCHANGE)
    before = by_class(widget, "pl-mobius-picture")
    tag(widget, "blame", "possibility", "commitment")
    assert store.get(CONV)["tags"] == ["blame", "possibility", "commitment"]
    assert arrows(widget) == ["path-arrow:1", "path-arrow:2"]
    picture = by_class(widget, "pl-mobius-picture")
    assert picture != before
    assert "Conversation path with 3 steps: 1 Blame, 2 Possibility, 3 Commitment." in html.unescape(
        picture
    )
    path = by_class(widget, "pl-path")
    assert "1 Blame (statement 1); 2 Possibility (statement 2); 3 Commitment (statement 3)" in path
    assert store.get(key()) == "complete"


def test_untagged_statements_are_skipped_and_said_so(store):
    widget = build(store)
    split(widget, "a\nb\nc\nd")
    tag(widget, "worry", "", "claim", "")
    assert store.get(CONV)["tags"] == ["worry", None, "claim", None]
    assert arrows(widget) == ["path-arrow:1"]
    path = by_class(widget, "pl-path")
    assert "1 Worry (statement 1); 2 Claim (statement 3)" in path
    assert "Statements 2 and 4 are not tagged, so the path leaves them out." in path
    tag(widget, "worry", "", "", "")
    assert "Statements 2, 3 and 4 are not tagged" in by_class(widget, "pl-path")
    assert store.get(key()) == "started"  # one tag is not yet a path


def test_resplit_keeps_tags_of_unchanged_statements(store):
    widget = build(store)
    split(widget, "A: one\nB: two\nA: three")
    tag(widget, "blame", "praise", "worry")
    textarea(widget).value = "A: one\nB: something new\nA: three\nB: four"
    assert "changed since you split it" in by_class(widget, "pl-hint")
    assert store.get(CONV)["tags"] == ["blame", "praise", "worry"]  # until split again
    button(widget, "Split into statements").click()
    assert store.get(CONV)["tags"] == ["blame", None, "worry", None]
    assert by_class(widget, "pl-hint") == ""


def test_split_with_no_statements_warns(store):
    widget = build(store)
    split(widget, "  \n\n ")
    assert "pl-status-warning" in status(widget)
    assert store.get(CONV)["statements"] == []


def test_long_exchanges_are_cut_at_the_maximum(store):
    widget = build(store)
    split(widget, "\n".join(f"line {n}" for n in range(MAX_STATEMENTS + 5)))
    assert len(dropdowns(widget)) == MAX_STATEMENTS
    assert f"Only the first {MAX_STATEMENTS} lines" in status(widget)


def test_answers_are_restored_on_rebuild(store):
    widget = build(store)
    split(widget, EXCHANGE)
    tag(widget, "claim", "", "acknowledgement")
    again = build(store)
    assert textarea(again).value == EXCHANGE
    assert [d.value for d in dropdowns(again)] == ["claim", "", "acknowledgement"]
    assert arrows(again) == ["path-arrow:1"]
    assert "pl-status-" not in status(again)


def test_load_worked_example_and_undo_it(store):
    widget = build(store, example=worked_conversation())
    textarea(widget).value = "Me: my own words"  # typed just before: must survive the load
    button(widget, "Load the worked example").click()
    stored = store.get(CONV)
    assert stored["example"] is True
    assert len(stored["statements"]) == 10
    assert stored["tags"][0] == "blame" and stored["tags"][-1] == "acknowledgement"
    assert stored["text"].splitlines()[0].startswith("GP lead: We've lost six months")
    assert arrows(widget) == [f"path-arrow:{n}" for n in range(1, 10)]
    assert store.get(key()) == "started"  # the untouched example is not the learner's work
    undo = button(widget, "Undo loading the example")
    assert undo.disabled is False
    undo.click()
    assert store.get(CONV)["text"] == "Me: my own words"
    assert textarea(widget).value == "Me: my own words"
    assert dropdowns(widget) == []
    assert arrows(widget) == []
    assert undo.disabled is True


def test_undo_load_with_nothing_before_clears(store):
    widget = build(store, example=worked_conversation())
    button(widget, "Load the worked example").click()
    button(widget, "Undo loading the example").click()
    assert store.get(CONV) is None
    assert textarea(widget).value == ""


def test_changing_a_tag_of_the_example_makes_it_the_learners(store):
    widget = build(store, example=worked_conversation())
    button(widget, "Load the worked example").click()
    dropdowns(widget)[1].value = "claim"
    assert store.get(CONV)["example"] is False
    assert store.get(key()) == "complete"


def test_example_reasons_are_shown_escaped(store):
    steps = (("A", "<b>bold</b>", "blame"), ("B", "ok", "possibility"))
    example = WorkedConversation("x", "T <i>", "S & co", steps, ("why <1>", "why 2"))
    widget = build(store, example=example)
    joined = "\n".join(html_values(widget))
    assert "&lt;b&gt;bold&lt;/b&gt;" in joined and "why &lt;1&gt;" in joined
    assert "<b>bold" not in joined
    assert "S &amp; co" in joined


def test_reset_clears_and_undo_brings_back(store):
    widget = build(store)
    split(widget, EXCHANGE)
    tag(widget, "blame", "worry", "")
    reset(widget)
    assert store.get(CONV) is None
    assert store.get(key()) is None
    assert textarea(widget).value == ""
    assert dropdowns(widget) == []
    assert arrows(widget) == []
    button(widget, "Undo reset").click()
    assert store.get(CONV)["tags"] == ["blame", "worry", None]
    assert textarea(widget).value == EXCHANGE
    assert [d.value for d in dropdowns(widget)] == ["blame", "worry", ""]
    assert arrows(widget) == ["path-arrow:1"]


@pytest.mark.parametrize("text", [*HOSTILE, "y" * 1_000_000])
def test_hostile_text_round_trips_and_is_only_shown_escaped(store, text):
    widget = build(store)
    exchange = f"Name: {text}\n{text}"
    split(widget, exchange)
    tag(widget, *(["blame"] * len(dropdowns(widget))))
    assert store.get(CONV)["text"] == exchange
    again = build(store)
    assert textarea(again).value == exchange
    values = html_values(again)
    for value in values:
        assert "<script>" not in value
    joined = "\n".join(values)
    assert str(escape(text.strip()[:500])) in joined


def test_corrupt_stored_value_is_reported_not_fatal(store):
    store.save(CONV, ["not", "a", "mapping"])
    widget = build(store)
    assert "pl-status-warning" in status(widget)
    assert "could not be shown" in status(widget)
    assert textarea(widget).value == ""
    textarea(widget).value = "fresh"
    assert store.get(CONV)["text"] == "fresh"
    assert any(r.value == ["not", "a", "mapping"] for r in store.history(CONV))


def test_partly_damaged_value_keeps_what_it_can(store):
    store.save(
        CONV,
        {
            "text": "A: x\nB: y",
            "statements": [{"speaker": "A", "text": "x"}, {"speaker": "B", "text": "y"}],
            "tags": ["blame", "grumble", "extra"],
        },
    )
    widget = build(store)
    message = status(widget)
    assert "not a Mobius tag" in message and "more saved tags than statements" in message
    assert [d.value for d in dropdowns(widget)] == ["blame", ""]
    store.save(CONV, {"text": 42, "statements": "junk", "tags": {}})
    again = build(store)
    assert "split the text again" in status(again)
    assert dropdowns(again) == []


def test_one_figure_for_the_map_however_many_changes(store):
    widget = build(store)
    figure = widget.figure
    open_before = len(plt.get_fignums())
    split(widget, "a\nb\nc")
    boxes = dropdowns(widget)
    cycle = [*TAGS, ""]
    for n in range(50):
        boxes[n % 3].value = cycle[n % len(cycle)]
    assert len(plt.get_fignums()) == open_before
    assert widget.figure is figure
    assert len(figure.axes) == 1
    tags = store.get(CONV)["tags"]
    assert len(arrows(widget)) == max(0, sum(1 for t in tags if t) - 1)


def test_the_tagger_is_an_exercise_with_its_conversation_as_its_value(store):
    widget = build(store)
    assert isinstance(widget, ConversationTagger) and isinstance(widget, Exercise)
    assert (widget.kind, widget.key, widget.notebook) == ("tagger", EX, NB)
    split(widget, EXCHANGE)
    tag(widget, "blame", "", "possibility")
    assert widget.statements == store.get(CONV)["statements"]
    assert widget.tags == ["blame", None, "possibility"]
    assert widget.path() == (["blame", "possibility"], [1, 3], [2])
    assert widget.value["conversation"] == widget.conversation() == store.get(CONV)
    widget.reset()
    assert widget.tags == [] and dropdowns(widget) == []
    widget.undo_reset()
    assert widget.tags == ["blame", None, "possibility"]


def test_a_tag_change_repaints_only_part_of_the_map(store):
    widget = build(store, example=worked_conversation())
    assert widget.chart.last_path == "full"
    figure = widget.figure
    button(widget, "Load the worked example").click()
    assert widget.chart.last_path == "partial"
    same_picture(widget.chart.engine, widget.chart.png)
    for n, value in [(3, "blame"), (6, "worry"), (6, ""), (0, "possibility"), (9, "claim")]:
        dropdowns(widget)[n].value = value
        assert widget.chart.last_path == "partial", (n, value)
        same_picture(widget.chart.engine, widget.chart.png)
    assert widget.figure is figure
    assert plt.get_fignums() == []
