"""The stakeholder editor keeps every late keystroke with the stakeholder it was typed for.

On a slow kernel the browser holds back a box's latest value until the kernel has caught
up, so a value typed for stakeholder A can reach the kernel after the switch to B (issue
#14 §5). Each test keeps a reference to a box shown for one stakeholder, switches, then
sets the old box's value (the late keystroke) and checks where it landed. With one shared
set of boxes, as before, every one of these late values was applied to B.
"""

from __future__ import annotations

import html
import random

import pytest

from partnership_lib.core.store import AnswerKey
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.stakeholder_editor import stakeholder_editor

NB, EX = "02_climate_for_change", "activity3"
KEY = AnswerKey(NB, EX, "stakeholders")
DRAFT = AnswerKey(NB, EX, "_stakeholders_draft")
FIELDS = ("name", "organisation", "role", "power", "interest", "attitude")


@pytest.fixture(autouse=True)
def _no_display(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a builder called display()")

    monkeypatch.setattr("IPython.display.display", refuse)


def build(store):
    return stakeholder_editor(exercise_binding(NB, EX, store=store)).editor


def three(store):
    ed = build(store)
    for name, power, interest in (("Police", 8, 8), ("Fire", 2, 2), ("Schools", 5, 9)):
        ed.chooser.value = -1
        ed.name.value, ed.power.value, ed.interest.value = name, power, interest
        ed.add_button.click()
    return ed


def boxes(ed):
    """The boxes shown now, by field (kept to send late values to them)."""
    return {field: getattr(ed, field) for field in FIELDS}


def row(store, name):
    return next(r for r in store.get(KEY) if r["name"] == name)


def test_late_text_after_a_switch_is_saved_for_the_stakeholder_it_was_typed_for(store):
    ed = three(store)
    ed.chooser.value = 0
    police = boxes(ed)
    police["role"].value = "Lead"  # reached the kernel before the switch
    ed.chooser.value = 1
    assert row(store, "Police")["role"] == "Lead"  # switching saves, as before
    revisions = len(store.history(KEY))
    police["role"].value = "Lead agency"  # the rest of the word, arriving late
    police["organisation"].value = "County force"
    police["attitude"].value = "supporter"
    police["name"].value = "Police HQ"
    assert row(store, "Police HQ") == {
        "name": "Police HQ",
        "organisation": "County force",
        "role": "Lead agency",
        "power": 8.0,
        "interest": 8.0,
        "attitude": "supporter",
    }
    assert ed.people[0].role == "Lead agency"
    # Fire, shown now, is untouched, in the store, the table and its boxes
    assert row(store, "Fire") == {
        "name": "Fire",
        "organisation": "",
        "role": "",
        "power": 2.0,
        "interest": 2.0,
        "attitude": None,
    }
    assert (ed.name.value, ed.role.value, ed.attitude.value) == ("Fire", "", "")
    assert ed.name is not police["name"]
    assert store.get(DRAFT) is None  # nothing is pending for Fire
    assert [label for label, _ in ed.chooser.options][1] == "Police HQ"
    assert ed.chooser.value == 1
    # the late typing joined the revision the switch made, and is one step to undo
    assert len(store.history(KEY)) == revisions
    ed.undo_button.click()  # one step takes back the switch's save and the late typing
    assert store.get(KEY)[0] == {
        "name": "Police",
        "organisation": "",
        "role": "",
        "power": 8.0,
        "interest": 8.0,
        "attitude": None,
    }
    assert "Undone: changing Police" in ed.status.value


def test_late_scores_move_the_stakeholder_they_were_typed_for(store):
    ed = three(store)
    ed.chooser.value = 0
    police = boxes(ed)
    police["power"].value = 7.0
    ed.chooser.value = 1
    revisions = len(store.history(KEY))
    police["power"].value = 7.5  # late, and part of the same run of moves
    assert row(store, "Police")["power"] == 7.5
    assert row(store, "Fire")["power"] == 2.0
    assert ed.power.value == 2.0
    assert len(store.history(KEY)) == revisions
    ed.power.value = 3.0  # Fire moves
    police["interest"].value = 1.5  # late again, after Fire's move: a revision of its own
    assert (row(store, "Police")["interest"], row(store, "Fire")["interest"]) == (1.5, 2.0)
    assert (row(store, "Fire")["power"], ed.interest.value) == (3.0, 2.0)
    assert len(store.history(KEY)) == revisions + 2
    ed.undo()
    assert (row(store, "Police")["interest"], row(store, "Fire")["power"]) == (8.0, 3.0)
    ed.undo()
    assert row(store, "Fire")["power"] == 2.0
    ed.undo()
    assert row(store, "Police")["power"] == 8.0


def test_a_late_value_for_the_stakeholder_chosen_again_reaches_its_new_boxes(store):
    ed = three(store)
    ed.chooser.value = 0
    first = boxes(ed)
    first["role"].value = "Lead"
    ed.chooser.value = 1
    ed.chooser.value = 0  # back at once: fresh boxes, loaded before the late value came
    assert ed.role is not first["role"] and ed.role.value == "Lead"
    first["role"].value = "Lead agency"
    first["power"].value = 6.5
    assert (ed.role.value, ed.power.value) == ("Lead agency", 6.5)
    assert row(store, "Police")["power"] == 6.5
    ed.chooser.value = 2  # switching saves what the new boxes now show
    assert row(store, "Police")["role"] == "Lead agency"
    # a value that reaches old boxes after newer ones changed that field is older typing
    ed.chooser.value = 0
    ed.role.value = "Chief"
    first["role"].value = "Lead agency, again"
    assert ed.role.value == "Chief"
    ed.chooser.value = 1
    assert row(store, "Police")["role"] == "Chief"


def test_late_keystrokes_after_adding_belong_to_the_stakeholder_added(store):
    ed = three(store)
    ed.chooser.value = -1
    new = boxes(ed)
    new["name"].value = "Local polic"
    new["power"].value = 9.0
    ed.add_button.click()  # the click overtook the last keystroke
    assert ed.name is not new["name"] and ed.name.value == ""
    revisions = len(store.history(KEY))
    new["name"].value = "Local police"
    new["interest"].value = 1.0
    assert store.get(KEY)[3] == {
        "name": "Local police",
        "organisation": "",
        "role": "",
        "power": 9.0,
        "interest": 1.0,
        "attitude": None,
    }
    assert (ed.name.value, ed.interest.value) == ("", 5.0)  # the next new one is blank
    assert store.get(DRAFT) is None
    assert len(store.history(KEY)) == revisions  # joined the adding revision
    ed.undo()
    assert [r["name"] for r in store.get(KEY)] == ["Police", "Fire", "Schools"]


def test_a_new_stakeholder_left_unadded_is_kept_with_its_late_typing(store):
    """Typing for a new stakeholder, then choosing another before "Add": nothing typed
    is lost (it used to be dropped), no one else is touched, and it comes back."""
    ed = three(store)
    ed.chooser.value = -1
    new = boxes(ed)
    new["name"].value = "Half typed"
    ed.chooser.value = 2
    assert "is kept, not added" in ed.status.value
    before = store.get(KEY)
    for field, value in (("name", "Half typed name"), ("role", "x"), ("power", 1.0)):
        new[field].value = value  # still on its way when the switch came
    assert store.get(KEY) == before  # not added, and no other stakeholder changed
    assert (ed.name.value, ed.role.value, ed.power.value) == ("Schools", "", 5.0)
    kept = store.get(DRAFT)["unadded"]
    assert (kept["name"], kept["role"], kept["power"]) == ("Half typed name", "x", 1.0)
    # a late keystroke for an existing stakeholder goes to it, not to the kept one
    schools = boxes(ed)
    ed.chooser.value = -1
    assert "Back to the new stakeholder you had started (Half typed name)" in ed.status.value
    schools["role"].value = "Head teachers"
    assert row(store, "Schools")["role"] == "Head teachers"
    assert (ed.name.value, ed.role.value, ed.power.value) == ("Half typed name", "x", 1.0)
    ed.add_button.click()
    assert row(store, "Half typed name")["power"] == 1.0
    assert store.get(DRAFT) is None  # nothing left pending


def test_a_new_stakeholder_left_unadded_survives_a_kernel_restart(store):
    ed = three(store)
    ed.chooser.value = -1
    ed.name.value, ed.organisation.value, ed.interest.value = "Youth club", "Voluntary", 7.5
    ed.chooser.value = 0
    ed.role.value = "Neighbourhood team"  # Police's own pending edit, in the draft too
    again = build(store)  # the kernel died; the notebook is run again
    assert again.editing == 0 and again.role.value == "Neighbourhood team"
    again.chooser.value = -1
    assert row(store, "Police")["role"] == "Neighbourhood team"  # saved on the switch
    assert (again.name.value, again.organisation.value, again.interest.value) == (
        "Youth club",
        "Voluntary",
        7.5,
    )


def test_a_late_name_that_cannot_be_used_is_shown_again_to_fix(store):
    ed = three(store)
    ed.chooser.value = 0
    police = boxes(ed)
    ed.chooser.value = 1
    police["name"].value = "fire"  # late, and taken by Fire
    assert ed.chooser.value == 0
    assert ed.name.value == "fire" and ed.name is not police["name"]
    assert "already a stakeholder called 'Fire'" in html.unescape(ed.status.value)
    assert row(store, "Police")["name"] == "Police"
    assert store.get(DRAFT)["name"] == "fire"  # kept, so a killed kernel loses nothing
    ed.name.value = "Fire police"
    ed.chooser.value = 2
    assert [r["name"] for r in store.get(KEY)] == ["Fire police", "Fire", "Schools"]


def test_a_late_value_for_a_deleted_stakeholder_is_dropped(store):
    ed = three(store)
    ed.chooser.value = 0
    police = boxes(ed)
    ed.delete(0)
    police["role"].value = "Gone"
    police["power"].value = 1.0
    assert [r["role"] for r in store.get(KEY)] == ["", ""]
    assert [r["power"] for r in store.get(KEY)] == [2.0, 5.0]


def test_interleaved_switches_and_late_values_keep_every_stakeholder_its_own(store):
    """Random typing, switches and late deliveries, in any order a busy kernel allows."""
    rng = random.Random(14)
    ed = three(store)
    ed.chooser.value = 0
    names = ["Police", "Fire", "Schools"]
    start = {"Police": (8.0, 8.0), "Fire": (2.0, 2.0), "Schools": (5.0, 9.0)}
    want = {n: dict(zip(FIELDS, (n, "", "", *start[n], None), strict=True)) for n in names}
    # values still on their way to boxes left by a switch: (who, boxes, field, value, when)
    in_flight: list[tuple[str, dict, str, object, int]] = []
    switches = 0
    for step in range(150):
        # the oldest arrive within a few switches (forms are kept for ten)
        for late in [f for f in in_flight if switches - f[4] >= 4]:
            in_flight.remove(late)
            late[1][late[2]].value = late[3]
        if rng.random() < 0.25:
            old = boxes(ed)
            who = names[ed.chooser.value]
            ed.chooser.value = rng.randrange(3)
            switches += 1
            field = rng.choice(FIELDS[1:])  # the box left may still get its last value
            value = _typed(field, step)
            want[who][field] = _stored(field, value)
            in_flight = [f for f in in_flight if (f[0], f[2]) != (who, field) or f[1] is not old]
            in_flight.append((who, old, field, value, switches))
            continue
        if in_flight and rng.random() < 0.5:
            _who, old, field, value, _when = in_flight.pop(rng.randrange(len(in_flight)))
            old[field].value = value
            continue
        who = names[ed.chooser.value]
        field = rng.choice(FIELDS[1:])
        # typing in the shown boxes is newer than anything on its way for that field
        in_flight = [f for f in in_flight if (f[0], f[2]) != (who, field)]
        value = _typed(field, step)
        getattr(ed, field).value = value
        want[who][field] = _stored(field, value)
    assert switches > 20
    for _who, old, field, value, _when in in_flight:
        old[field].value = value
    ed.chooser.value = -1  # leaving saves the last typing
    assert store.get(KEY) == [want[n] for n in names]
    # a kernel restart (the editor built again from the store) keeps all of it
    again = build(store)
    assert again.rows == [want[n] for n in names]


def _typed(field: str, step: int):
    if field in ("power", "interest"):
        return round(1 + (step % 80) / 10, 1)
    if field == "attitude":
        return ("supporter", "neutral", "opponent", "")[step % 4]
    return f"{field} {step}"


def _stored(field: str, value):
    return (value or None) if field == "attitude" else value


def test_typing_survives_a_kernel_restart_after_late_values(store):
    ed = three(store)
    ed.chooser.value = 0
    police = boxes(ed)
    ed.chooser.value = 1
    police["role"].value = "Lead agency"  # late: saved to Police at once
    ed.role.value = "Crews"  # typed for Fire, not yet saved: kept in the draft
    police["interest"].value = 3.0  # late again, after Fire's typing
    assert store.get(DRAFT)["role"] == "Crews" and store.get(DRAFT)["editing"] == 1
    again = build(store)  # the kernel died; the notebook is run again
    assert again.chooser.value == 1
    assert (again.name.value, again.role.value) == ("Fire", "Crews")
    assert (again.people[0].role, again.people[0].interest) == ("Lead agency", 3.0)
    assert again.people[1].role == ""
    again.chooser.value = 2
    assert row(store, "Fire")["role"] == "Crews"


def test_forms_left_behind_are_closed_after_a_while(store):
    ed = three(store)
    ed.chooser.value = 0
    first = boxes(ed)
    for target in [1, 2, 0] * 5:
        ed.chooser.value = target
    assert first["name"].comm is None  # closed: its changes no longer reach the kernel
    first["role"].value = "Too late"
    assert all(r["role"] == "" for r in store.get(KEY))
    # the boxes shown keep the names a screen reader gives them
    assert [getattr(ed, f).description for f in FIELDS] == [
        "Name",
        "Organisation",
        "Role",
        "Power (0 low, 10 high)",
        "Interest (0 low, 10 high)",
        "Attitude",
    ]
