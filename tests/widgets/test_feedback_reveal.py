"""'What other groups said': revealed only once the exercise it follows has an answer."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pytest

from partnership_lib.core.store import AnswerKey
from partnership_lib.widgets.base import Exercise, exercise_binding
from partnership_lib.widgets.feedback import FeedbackReveal, feedback_reveal

NB, EX = "01_test", "activity1"


@dataclass(frozen=True)
class Feedback:
    heading: str
    items: tuple[str, ...]


LISTS = [Feedback("Positive <experiences>", ("Shared goals", "A & B worked well"))]


def test_it_reads_the_exercise_it_follows_and_never_writes(store):
    binding = exercise_binding(NB, EX, store=store)
    box = feedback_reveal(binding, LISTS)
    assert isinstance(box, FeedbackReveal) and isinstance(box, widgets.VBox)
    assert not isinstance(box, Exercise)  # it owns no answers: no reset bar, no saves
    assert "pl-feedback-reveal" in box._dom_classes
    assert box.answered is False
    box.button.value = True
    assert box.button.value is False and box.panel.value == ""
    assert "Answer the activity first" in box.status.value
    assert store.answers(NB) == {}  # pressing it saved nothing
    store.save(AnswerKey(NB, "another_exercise", "text"), "not this one")
    assert box.answered is False
    store.save(AnswerKey(NB, EX, "_status"), "started")  # bookkeeping is not an answer
    assert box.answered is False
    store.save(AnswerKey(NB, EX, "text"), "My answer")
    assert box.answered is True
    box.button.value = True
    assert "Positive &lt;experiences&gt;" in box.panel.value
    assert "<li>A &amp; B worked well</li>" in box.panel.value
    assert box.button.description == "Hide what other groups said"
    assert box.status.value == '<div role="status" aria-live="polite" class="pl-status"></div>'
    box.button.value = False
    assert box.panel.value == "" and box.button.description == "Show what other groups said"
    assert set(store.answers(NB)) == {
        AnswerKey(NB, "another_exercise", "text"),
        AnswerKey(NB, EX, "_status"),
        AnswerKey(NB, EX, "text"),
    }


def test_its_words_can_be_given_and_it_needs_a_binding(store):
    box = feedback_reveal(
        exercise_binding(NB, EX, store=store), LISTS, intro="Others said:", label="Compare"
    )
    assert box.button.description == "Compare"
    assert box.button.layout.width == "auto"  # never cut short
    store.save(AnswerKey(NB, EX, "text"), "x")
    box.button.value = True
    assert box.panel.value.startswith('<div class="pl-feedback"><p>Others said:</p>')
    with pytest.raises(TypeError, match="needs a Binding"):
        feedback_reveal({"notebook": NB, "exercise": EX}, LISTS)
