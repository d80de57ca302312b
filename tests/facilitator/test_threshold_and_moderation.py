"""The anonymity threshold and moderation, where they live: the room's views and report.

A room of ``n`` learners who all give the same distinctive answers to every activity
(plus one stakeholder only one of them named, and contact details in their free text).
With ``k - 1`` learners nothing about those answers may reach a chart, a description,
a table or the report; with ``k`` everything does, except the stakeholder one learner
named and free text the facilitator has not approved.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from _helpers import visible_texts
from _share_files import share_doc, write_share

from partnership_lib import cli
from partnership_lib.facilitator import report, views
from partnership_lib.facilitator.moderation import Moderation
from partnership_lib.facilitator.privacy import Threshold
from partnership_lib.facilitator.room import scan_room

NB1, NB2 = "01_concepts_and_contexts", "02_climate_for_change"
NB3, NB4 = "03_influencing_and_negotiation", "04_feedback_and_reflection"
GRID = (NB2, "activity3", "stakeholders")
WALL = (NB4, "evaluation", "notes")

#: Answer text that must never show below the threshold (and the numbers are checked
#: through the tables).
SHARED_STAKEHOLDER = "Harbour Fisheries Trust"
LONE_STAKEHOLDER = "Quayside Bakery"  # named by one learner only
OPPORTUNITY = "Pool the harbour budgets"
CHALLENGE = "Ferry timetable clashes"
NOTE = "Loved the lighthouse role-play"
CONTACT_NOTE = "Ring me on 07700 900123 or mail jo.bloggs@example.org"
NHS_CHALLENGE = "Patient 943 476 5919 was missed"
ANSWER_TEXTS = (SHARED_STAKEHOLDER, LONE_STAKEHOLDER, OPPORTUNITY, CHALLENGE, NOTE)
CONTACTS = ("07700 900123", "jo.bloggs@example.org", "943 476 5919")


def answers(i: int) -> dict:
    grid = [{"name": SHARED_STAKEHOLDER, "power": 8, "interest": 7, "attitude": None}]
    if i == 0:
        grid.append({"name": LONE_STAKEHOLDER, "power": 2, "interest": 9, "attitude": None})
    return {
        GRID: grid,
        (NB1, "activity1", "skills_personal"): ["listening"],
        (NB1, "activity2", "opportunities_case"): OPPORTUNITY,
        (NB1, "activity2", "challenges_own"): f"{CHALLENGE}\n- {NHS_CHALLENGE}",
        (NB1, "stage_diagnosis", "observed"): ["forming:0", "forming:1"],
        (NB3, "rate_relationship", "ratings"): {"mutual_understanding": 4},
        (NB3, "self_assessment", "ratings"): {"shared_vision": 2 + i % 3},
        WALL: [
            {"id": 1, "colour": "pink", "text": NOTE},
            {"id": 2, "colour": "blue", "text": CONTACT_NOTE},
        ],
    }


def write_room(folder: Path, n: int, *, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        doc = share_doc(uuid.uuid4().hex, f"Learner {i}", answers(i))
        write_share(folder, f"learner-{i}.json", doc)
    return folder


def approve_all(folder: Path) -> Moderation:
    moderation = Moderation(folder)
    moderation.approve_all(views.free_text_items(scan_room(folder)))
    return moderation


def chart_texts(key: str, table) -> str:
    """Every piece of text the view's chart draws, ticks and legend included."""
    ax = views.room_view(key).plot(table)
    try:
        return "\n".join(t.get_text() for t in visible_texts(ax.figure))
    finally:
        plt.close(ax.figure)


def everything_shown(room, key: str, k: int) -> str:
    """A view's chart texts, description, table and HTML, as one string."""
    table = views.shown_table(room, key, threshold=k)
    out = views.render_view(room, key, threshold=k)
    return "\n".join([chart_texts(key, table), out.text, table.to_string(), out.html])


@pytest.mark.parametrize("k", [3, 5])
@pytest.mark.parametrize("key", [v.key for v in views.ROOM_VIEWS])
def test_below_the_threshold_no_view_shows_anything_of_the_answers(tmp_path, key, k):
    folder = write_room(tmp_path / "room", k - 1)
    approve_all(folder)  # even approved text waits for the threshold
    room = scan_room(folder)
    table = views.shown_table(room, key, threshold=k)

    assert table.empty
    assert table.attrs["withheld"] == (
        f"1 more needed before results are shown (at least {k} learners)."
    )
    shown = everything_shown(room, key, k)
    for answer in (*ANSWER_TEXTS, *CONTACTS, "Listening", "mean 4", f"{k - 1} votes"):
        assert answer not in shown, (key, answer)
    assert f"1 more needed before results are shown (at least {k} learners)." in shown


@pytest.mark.parametrize("key", [v.key for v in views.ROOM_VIEWS])
def test_at_the_threshold_every_view_shows_the_answers(tmp_path, key):
    folder = write_room(tmp_path / "room", 5)
    approve_all(folder)
    room = scan_room(folder)
    table = views.shown_table(room, key, threshold=5)
    out = views.render_view(room, key, threshold=5)

    assert not table.empty and "withheld" not in table.attrs
    assert "more needed" not in out.text and "Waiting for" not in out.html
    expected = {
        "grid": SHARED_STAKEHOLDER,
        "skills": "Listening",
        "opportunities": OPPORTUNITY,
        "lifecycle": "5 votes",
        "mobius": "mean 4",
        "assessment": "mean",
        "wall": NOTE,
    }[key]
    assert expected in " ".join(chart_texts(key, table).split()), key  # labels wrap
    assert expected in out.text and expected in out.html


def test_the_default_threshold_is_five_learners(tmp_path):
    room = scan_room(write_room(tmp_path / "room", 4))
    assert views.shown_table(room, "skills").attrs["withheld"].startswith("1 more needed")
    assert views.shown_table(room, "skills", threshold=Threshold(4)).attrs.get("withheld") is None


def test_a_stakeholder_named_by_fewer_than_k_learners_is_not_shown_at_all(tmp_path):
    folder = write_room(tmp_path / "room", 5)
    room = scan_room(folder)
    assert LONE_STAKEHOLDER in set(views.grid_table(room)["stakeholder"])  # it is collated
    table = views.shown_table(room, "grid", threshold=5)

    assert list(table["stakeholder"]) == [SHARED_STAKEHOLDER]
    assert table.attrs["held_back"] == 1
    shown = everything_shown(room, "grid", 5)
    assert LONE_STAKEHOLDER not in shown
    assert "1 stakeholder named by fewer than 5 learners not shown." in shown
    html = report.room_report_html(room, threshold=5)
    assert LONE_STAKEHOLDER not in html and SHARED_STAKEHOLDER in html


def test_each_view_waits_for_k_learners_to_answer_its_own_activity(tmp_path):
    folder = write_room(tmp_path / "room", 4)
    # A fifth learner who did everything but the wall.
    late = {key: value for key, value in answers(4).items() if key != WALL}
    write_share(folder, "learner-4.json", share_doc(uuid.uuid4().hex, "Learner 4", late))
    approve_all(folder)
    room = scan_room(folder)

    assert views.shown_table(room, "grid", threshold=5).attrs.get("withheld") is None
    wall = views.shown_table(room, "wall", threshold=5)
    assert wall.empty
    assert wall.attrs["withheld"] == (
        "Waiting for 1 more learner to answer this activity: its results are shown once "
        "at least 5 learners have answered."
    )
    shown = everything_shown(room, "wall", 5)
    assert NOTE not in shown and "Waiting for 1 more learner" in shown


def test_the_report_holds_back_every_answer_below_the_threshold(tmp_path):
    folder = write_room(tmp_path / "room", 4)
    approve_all(folder)
    html = report.room_report_html(scan_room(folder), threshold=5)
    for answer in (*ANSWER_TEXTS, *CONTACTS):
        assert answer not in html
    assert "1 more needed before results are shown (at least 5 learners)." in html
    assert "results are shown once at least 5 learners have answered" in html
    assert html.count('<section class="pl-room-view"') == 7

    write_room(folder, 1, start=4)
    approve_all(folder)
    html = report.room_report_html(scan_room(folder), threshold=5)
    for answer in (SHARED_STAKEHOLDER, OPPORTUNITY, CHALLENGE, NOTE):
        assert answer in html
    assert "more needed" not in html


# --------------------------------------------------------------------------- moderation


def test_free_text_waits_for_the_facilitator_and_is_scrubbed(tmp_path):
    folder = write_room(tmp_path / "room", 5)
    room = scan_room(folder)
    items = views.free_text_items(room)
    texts = {i.text for i in items}
    assert {OPPORTUNITY, CHALLENGE, NOTE} <= texts
    assert all(c not in t for t in texts for c in CONTACTS)  # scrubbed before queueing
    assert all(i.count == 5 for i in items)  # identical items from five learners are one

    # Nothing approved: no free text in any view or the report, only how much waits.
    for key in ("opportunities", "wall"):
        shown = everything_shown(room, key, 5)
        for answer in (OPPORTUNITY, CHALLENGE, NOTE, *CONTACTS):
            assert answer not in shown, (key, answer)
    wall = views.render_view(room, "wall", threshold=5)
    assert "2 items waiting for the facilitator." in wall.text
    assert (
        "3 items waiting for the facilitator."
        in views.render_view(room, "opportunities", threshold=5).text
    )
    html = report.room_report_html(room, threshold=5)
    assert all(a not in html for a in (OPPORTUNITY, CHALLENGE, NOTE, *CONTACTS))

    # Approve one note: it, and only it, is shown.
    (note,) = [i for i in items if i.text == NOTE]
    Moderation(folder).approve(note)
    wall = views.render_view(room, "wall", threshold=5)
    assert NOTE in wall.html and NOTE in wall.text
    assert "1 item waiting for the facilitator." in wall.text
    assert OPPORTUNITY not in views.render_view(room, "opportunities", threshold=5).html

    # Hide it: gone at once; the decision survives a restart (a new Moderation).
    Moderation(folder).hide(note)
    assert NOTE not in views.render_view(room, "wall", threshold=5).html
    assert Moderation(folder).status(note) == "hidden"
    assert NOTE not in report.room_report_html(room, threshold=5)


def test_approved_text_reaches_the_views_only_scrubbed(tmp_path):
    folder = write_room(tmp_path / "room", 5)
    approve_all(folder)
    room = scan_room(folder)
    shown = "\n".join(everything_shown(room, key, 5) for key in ("opportunities", "wall"))
    shown += report.room_report_html(room, threshold=5)
    for contact in CONTACTS:
        assert contact not in shown
    assert "Ring me on" in shown and "Patient" in shown  # the rest of the text is there
    assert NOTE in shown and OPPORTUNITY in shown


def test_possible_names_are_flagged_for_the_facilitator(tmp_path):
    folder = tmp_path / "room"
    write_room(folder, 5)
    doc = share_doc(
        uuid.uuid4().hex,
        "Learner 9",
        {WALL: [{"id": 1, "colour": "green", "text": "Thanks to Dave Smith for the tea"}]},
    )
    write_share(folder, "learner-9.json", doc)
    (item,) = [i for i in views.free_text_items(scan_room(folder)) if "Dave" in i.text]
    assert item.flags == ("Dave Smith",)


# --------------------------------------------------------------------------- the CLI


def test_the_cli_room_report_applies_the_threshold_and_the_session(tmp_path, capsys):
    folder = write_room(tmp_path / "room", 4)
    approve_all(folder)
    out = tmp_path / "report.html"

    assert cli.main(["room", "report", str(folder), "-o", str(out), "--k", "5"]) == 0
    html = out.read_text(encoding="utf-8")
    assert SHARED_STAKEHOLDER not in html and NOTE not in html
    assert "1 more needed before results are shown (at least 5 learners)." in html
    assert str(out) in capsys.readouterr().out

    assert cli.main(["room", "report", str(folder), "-o", str(out), "--threshold", "4"]) == 0
    html = out.read_text(encoding="utf-8")
    assert SHARED_STAKEHOLDER in html and NOTE in html

    # With a session code, files sent for another session do not count.
    assert cli.main(["room", "report", str(folder), "-o", str(out), "--k", "4",
                     "--session-code", "OTHER1"]) == 0  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert SHARED_STAKEHOLDER not in html and "from another session" in html


def test_the_cli_refuses_a_threshold_outside_three_to_forty(tmp_path, capsys):
    folder = write_room(tmp_path / "room", 1)
    assert cli.main(["room", "report", str(folder), "--k", "2"]) != 0
    assert "between 3 and 40" in capsys.readouterr().err
