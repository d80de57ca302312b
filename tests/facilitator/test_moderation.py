"""Moderation before projection: scrub, flag, queue, decide, and keep decisions."""

from __future__ import annotations

import json

import pytest

from partnership_lib.facilitator.moderation import (
    APPROVED,
    HIDDEN,
    MODERATION_FILE,
    PENDING,
    Item,
    Moderation,
    item_id,
    possible_names,
    scrub,
)


def test_scrub_replaces_contact_details_and_nhs_numbers():
    s = scrub("Ask jo@example.org or ring 01632 960 001; NHS no. 943 476 5919 lives in LS1 4AP")
    assert (
        s.text == "Ask [e-mail 1] or ring [phone 1]; NHS no. [NHS number 1] lives in [postcode 1]"
    )
    assert {r.kind for r in s.replaced} == {"e-mail", "phone", "NHS number", "postcode"}


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Talk to Dave Smith about the budget", ["Dave Smith"]),
        ("Dr Patel said the clinic is full", ["Dr Patel"]),
        ("Cllr Jones chairs it", ["Cllr Jones"]),
        ("The County Council and the NHS Trust", []),
        ("Public Health Team meets on Monday", []),
        ("Shared goals. Better trust", []),
        ("we need more money", []),
    ],
)
def test_possible_names_are_flagged_and_organisations_are_not(text, flagged):
    assert possible_names(text) == flagged


def test_flags_survive_the_scrub_and_do_not_change_the_text():
    s = scrub("Sarah Jones from the council")
    assert s.text == "Sarah Jones from the council" and s.flags == ("Sarah Jones",)


def test_item_ids_are_stable_and_ignore_case_spacing_and_end_punctuation():
    a = item_id("wall", "pink", "More time  for questions.")
    assert a == item_id("wall", "pink", "more time for questions")
    assert a != item_id("wall", "green", "more time for questions")
    assert a != item_id("opportunities", "pink", "more time for questions")


def _items():
    return [Item(item_id("wall", "pink", t), "wall", "pink", t) for t in ("A", "B", "C")]


def test_decisions_are_kept_with_the_room_and_survive_a_restart(tmp_path):
    a, b, c = _items()
    m = Moderation(tmp_path)
    assert [m.status(i) for i in (a, b, c)] == [PENDING] * 3
    assert m.approve(a) == 1 and m.hide(b) == 1 and m.approve(a) == 0
    again = Moderation(tmp_path)
    assert [again.status(i) for i in (a, b, c)] == [APPROVED, HIDDEN, PENDING]
    assert again.approve_all([a, b, c]) == 1  # the hidden one stays hidden
    assert [Moderation(tmp_path).status(i) for i in (a, b, c)] == [APPROVED, HIDDEN, APPROVED]
    saved = json.loads((tmp_path / MODERATION_FILE).read_text())
    assert saved["version"] == 1 and set(saved["decisions"]) == {a.id, b.id, c.id}


def test_a_second_window_sees_decisions_made_in_the_first(tmp_path):
    a, *_ = _items()
    projected, facilitator = Moderation(tmp_path), Moderation(tmp_path)
    facilitator.approve(a)
    assert projected.reload() and projected.approved(a)
    facilitator.hide(a)
    assert projected.reload() and projected.status(a) == HIDDEN
    assert not projected.reload()  # nothing new


def test_an_unreadable_decisions_file_is_moved_aside_and_nothing_is_shown(tmp_path):
    (tmp_path / MODERATION_FILE).write_text("{not json", encoding="utf-8")
    m = Moderation(tmp_path)
    assert m.problem and "could not be read" in m.problem
    assert m.status(_items()[0]) == PENDING
    (aside,) = tmp_path.glob(".moderation.unreadable-*.json")
    assert aside.read_text(encoding="utf-8") == "{not json"


def test_an_unknown_status_is_refused(tmp_path):
    with pytest.raises(ValueError, match="approved, hidden or pending"):
        Moderation(tmp_path).decide(["x"], "maybe")
