"""The day's own record: each part stored once, where it is used; earlier answers move."""

from __future__ import annotations

import pytest

from partnership_lib.core.store import META_FIELD, STATUS_FIELD
from partnership_lib.models.day_records import (
    EARLIER_HOMES,
    SESSION_LOGS,
    START_OF_DAY,
    Home,
    adopt_earlier_answers,
    record_fields,
)
from partnership_lib.models.programme import session_catalogue

OLD_LOG = EARLIER_HOMES[SESSION_LOGS[0]]


def _old_log(store):
    store.save(OLD_LOG.key("experience"), "We <b>met</b> the council")
    store.save(OLD_LOG.key("plan"), "Call Sam")
    store.save(OLD_LOG.key(STATUS_FIELD), "started")
    store.save(OLD_LOG.key(META_FIELD), {"kind": "learning_log", "title": "Old title"})


def test_every_home_is_an_exercise_of_its_notebook():
    listed = {(s["key"], e["key"]) for s in session_catalogue() for e in s.get("exercises", [])}
    for home in (START_OF_DAY, *SESSION_LOGS):
        assert (home.notebook, home.exercise) in listed, home
    for earlier in EARLIER_HOMES.values():
        assert (earlier.notebook, earlier.exercise) not in listed, earlier  # gone from 04
    assert [h.notebook[:2] for h in SESSION_LOGS] == ["01", "02", "03"]


def test_earlier_answers_move_once_with_their_state_and_a_new_title(store):
    _old_log(store)
    home = SESSION_LOGS[0]
    assert record_fields(store, home) == {
        "experience": "We <b>met</b> the council",
        "plan": "Call Sam",
    }
    assert adopt_earlier_answers(store, home, title="Learning log: Concepts") == 2
    assert store.get(home.key("experience")) == "We <b>met</b> the council"
    assert store.get(home.key(STATUS_FIELD)) == "started"
    assert store.get(home.key(META_FIELD)) == {
        "kind": "learning_log",
        "title": "Learning log: Concepts",
    }
    # stored once: the earlier place is reset, its history kept
    assert store.get(OLD_LOG.key("experience")) is None
    history = [r.value for r in store.history(OLD_LOG.key("experience"))]
    assert history == ["We <b>met</b> the council", None]
    assert record_fields(store, home) == {
        "experience": "We <b>met</b> the council",
        "plan": "Call Sam",
    }
    assert adopt_earlier_answers(store, home) == 0  # nothing left to move


def test_a_home_with_answers_of_its_own_keeps_them_and_the_earlier_ones_stay(store):
    _old_log(store)
    home = SESSION_LOGS[0]
    store.save(home.key("reflect"), "Newer")
    assert adopt_earlier_answers(store, home) == 0
    assert store.get(OLD_LOG.key("plan")) == "Call Sam"  # not lost
    assert record_fields(store, home) == {"reflect": "Newer"}


def test_homes_without_an_earlier_place_and_empty_earlier_places_move_nothing(store):
    assert adopt_earlier_answers(store, Home("04_feedback_and_reflection", "log_day")) == 0
    assert adopt_earlier_answers(store, START_OF_DAY) == 0
    store.save(EARLIER_HOMES[START_OF_DAY].key(STATUS_FIELD), "started")  # bookkeeping only
    assert adopt_earlier_answers(store, START_OF_DAY) == 0
    assert record_fields(store, START_OF_DAY) == {}


def test_a_home_names_a_bad_part():
    with pytest.raises(ValueError, match="exercise"):
        Home("01_concepts_and_contexts", "no spaces/here")
