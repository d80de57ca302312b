"""The board a facilitator can trust, driven headless: the anonymity threshold box, the
moderation screen the board follows, the session code and the "How to join" panel."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import ipywidgets as widgets
import pytest
from _helpers import html_values
from _share_files import share_doc, write_share

from partnership_lib.facilitator import joining
from partnership_lib.facilitator.board import facilitator_board, moderation_panel

CODE = "K7PQ3M"
NB1, NB2 = "01_concepts_and_contexts", "02_climate_for_change"
GRID = (NB2, "activity3", "stakeholders")
OPPORTUNITY = (NB1, "activity2", "opportunities_case")
WALL = ("04_feedback_and_reflection", "evaluation", "notes")
STAKEHOLDER = "Harbour Fisheries Trust"
IDEA = "Pool the harbour budgets"
NOTE = "Loved the lighthouse role-play"
CONTACT = "Call me on 07700 900123"


def answers() -> dict:
    return {
        GRID: [{"name": STAKEHOLDER, "power": 8, "interest": 7, "attitude": None}],
        OPPORTUNITY: IDEA,
        WALL: [
            {"id": 1, "colour": "pink", "text": NOTE},
            {"id": 2, "colour": "blue", "text": CONTACT},
        ],
    }


def write_learners(folder: Path, n: int, *, start: int = 0, code: str | None = CODE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        doc = share_doc(uuid.uuid4().hex, f"Learner {i}", answers(), session_code=code)
        write_share(folder, f"learner-{i}.json", doc)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def views_html(board) -> str:
    return "\n".join(w.value for w in board.view_html.values())


@pytest.fixture
def make_board(no_display, monkeypatch):
    monkeypatch.delenv("PARTNERSHIP_HUB_URL", raising=False)
    monkeypatch.delenv("PARTNERSHIP_SESSION_CODE", raising=False)
    made = []

    def make(folder, **kwargs):
        board = facilitator_board(folder, **kwargs).board
        made.append(board)
        return board

    yield make
    for board in made:
        board.close()


def panel_row(panel, item_text: str):
    (row,) = [r for r in panel.rows if r[0].text == item_text]
    return row


# --------------------------------------------------------------------------- threshold


def test_the_threshold_box_is_labelled_bounded_and_defaults_to_five(tmp_path, make_board):
    b = make_board(tmp_path, session_code=CODE)
    assert isinstance(b.k_input, widgets.BoundedIntText)
    assert b.k_input.description == "Anonymity threshold (learners)"
    assert (b.k_input.value, b.k_input.min, b.k_input.max) == (5, 3, 40)


def test_nothing_is_shown_until_k_learners_are_in(tmp_path, make_board):
    write_learners(tmp_path, 4)
    b = make_board(tmp_path, session_code=CODE)
    b.moderation.approve_all(b.moderation_items())  # even approved text waits

    b.scan_button.click()
    assert "1 more needed before results are shown (at least 5 learners)." in text(b.privacy.value)
    shown = views_html(b)
    for answer in (STAKEHOLDER, IDEA, NOTE):
        assert answer not in shown
    assert b.table("grid").empty

    write_learners(tmp_path, 1, start=4)  # the fifth learner's file arrives
    b.scan_button.click()
    assert "Results are shown: at least 5 learners are in." in text(b.privacy.value)
    shown = views_html(b)
    for answer in (STAKEHOLDER, IDEA, NOTE):
        assert answer in shown
    assert list(b.table("grid")["stakeholder"]) == [STAKEHOLDER]


def test_below_the_threshold_not_even_the_waiting_items_are_counted(tmp_path, make_board):
    write_learners(tmp_path, 4)
    b = make_board(tmp_path, session_code=CODE)
    assert "waiting" not in text(b.privacy.value) and "waiting" not in views_html(b)
    write_learners(tmp_path, 1, start=4)
    b.scan()
    assert "3 items waiting for the facilitator." in text(b.privacy.value)


def test_the_facilitator_can_lower_or_raise_k(tmp_path, make_board):
    write_learners(tmp_path, 4)
    b = make_board(tmp_path, session_code=CODE)
    assert STAKEHOLDER not in views_html(b)

    b.k_input.value = 4
    assert b.threshold.k == 4 and STAKEHOLDER in views_html(b)
    assert "at least 4 learners are in" in text(b.privacy.value)

    b.k_input.value = 12
    assert STAKEHOLDER not in views_html(b)
    assert "8 more needed before results are shown (at least 12 learners)." in text(b.privacy.value)


def test_the_board_starts_with_the_k_it_is_given(tmp_path, make_board):
    write_learners(tmp_path, 3)
    b = make_board(tmp_path, session_code=CODE, k=3)
    assert b.k_input.value == 3 and STAKEHOLDER in views_html(b)
    with pytest.raises(ValueError, match="between 3 and 40"):
        make_board(tmp_path, session_code=CODE, k=2)


def test_the_exported_report_follows_the_boards_threshold(tmp_path, make_board):
    write_learners(tmp_path, 4)
    b = make_board(tmp_path, session_code=CODE)
    path = b.export()
    html = path.read_text(encoding="utf-8")
    assert STAKEHOLDER not in html and "1 more needed" in html
    b.k_input.value = 4
    html = b.export().read_text(encoding="utf-8")
    assert STAKEHOLDER in html


# --------------------------------------------------------------------------- moderation


def test_approval_on_the_moderation_screen_reaches_the_board_at_the_next_scan(
    tmp_path, make_board, no_display
):
    write_learners(tmp_path, 5)
    b = make_board(tmp_path, session_code=CODE)
    assert NOTE not in views_html(b) and IDEA not in views_html(b)
    assert "3 items waiting for the facilitator." in text(b.privacy.value)
    assert "2 items waiting for the facilitator." in text(b.view_html["wall"].value)

    panel = moderation_panel(tmp_path).panel  # the facilitator's own screen
    assert isinstance(panel.widget, widgets.VBox)
    assert {r[0].text for r in panel.rows} == {IDEA, NOTE, "Call me on [phone 1]"}
    assert "3 waiting · 0 approved · 0 hidden" in text(panel.status.value)
    item, approve, hide, html = panel_row(panel, NOTE)
    assert NOTE in html.value and "5 learners" in html.value

    approve.click()
    assert NOTE not in views_html(b)  # not until the board scans
    b.scan_button.click()
    assert NOTE in b.view_html["wall"].value
    assert IDEA not in views_html(b)
    assert "2 items waiting for the facilitator." in text(b.privacy.value)

    _item, _approve, hide, _html = panel_row(panel, NOTE)
    hide.click()
    b.scan()
    assert NOTE not in views_html(b)
    assert "hidden" in text(panel.status.value)

    # Decisions survive a restart of the board (and of the moderation screen).
    b.close()
    again = make_board(tmp_path, session_code=CODE)
    assert NOTE not in views_html(again)
    assert panel_row(moderation_panel(tmp_path).panel, NOTE)[0].id == item.id
    assert again.moderation.status(item) == "hidden"


def test_approve_all_shows_every_waiting_item_scrubbed(tmp_path, make_board):
    write_learners(tmp_path, 5)
    b = make_board(tmp_path, session_code=CODE)
    panel = moderation_panel(tmp_path).panel
    panel.approve_all_button.click()
    b.scan()
    shown = views_html(b)
    assert NOTE in shown and IDEA in shown and "Call me on [phone 1]" in shown
    assert "07700 900123" not in "\n".join(html_values(b.widget))
    assert "waiting" not in text(b.privacy.value)


def test_the_moderation_screen_flags_possible_names(tmp_path, no_display):
    write_learners(tmp_path, 1)
    doc = share_doc(
        uuid.uuid4().hex,
        "Learner 9",
        {WALL: [{"id": 1, "colour": "green", "text": "Thanks to Dave Smith"}]},
        session_code=CODE,
    )
    write_share(tmp_path, "learner-9.json", doc)
    joining.save_session_code(tmp_path, CODE)
    panel = moderation_panel(tmp_path).panel
    _item, _a, _h, html = panel_row(panel, "Thanks to Dave Smith")
    assert "possible name: Dave Smith" in html.value


# --------------------------------------------------------------------------- session code


def test_the_session_code_chooses_the_files_and_is_kept_with_the_room(tmp_path, make_board):
    write_learners(tmp_path, 5)
    write_learners(tmp_path, 1, start=5, code="AAAA44")
    b = make_board(tmp_path, session_code="k7p-q3m")
    assert b.session_text.value == CODE and b.session_code == CODE
    assert text(b.status.value).startswith("5 learners · 1 file skipped")
    assert "learner-5.json" in b.summary.value and "from another session" in b.summary.value
    assert joining.read_session_code(tmp_path) == (True, CODE)

    # A restarted board keeps the code.
    b.close()
    b = make_board(tmp_path)
    assert b.session_text.value == CODE
    assert text(b.status.value).startswith("5 learners · 1 file skipped")

    # Typing another code applies at once; a bad one is refused and the old one kept.
    b.session_text.value = "AAAA44"
    assert text(b.status.value).startswith("1 learner · 5 files skipped")
    b.session_text.value = "no!"
    assert "cannot be used" in text(b.notice.value)
    assert b.session_text.value == "AAAA44" and b.session_code == "AAAA44"
    # An empty box takes every session's files.
    b.session_text.value = ""
    assert text(b.status.value).startswith("6 learners · 0 files skipped")
    assert joining.read_session_code(tmp_path) == (True, None)


def test_a_new_board_makes_a_code_and_new_code_replaces_it(tmp_path, make_board):
    b = make_board(tmp_path)
    first = b.session_code
    assert first and set(first) <= set(joining.CODE_ALPHABET) and len(first) == 6
    assert joining.read_session_code(tmp_path) == (True, first)
    b.new_code_button.click()
    assert b.session_code != first and b.session_text.value == b.session_code
    assert joining.read_session_code(tmp_path) == (True, b.session_code)


def test_the_hubs_code_is_the_default(tmp_path, make_board, monkeypatch):
    monkeypatch.setenv("PARTNERSHIP_SESSION_CODE", "hub123")
    assert make_board(tmp_path).session_code == "HUB123"


# --------------------------------------------------------------------------- how to join


def test_the_join_panel_shows_the_code_the_address_and_a_qr_code(tmp_path, make_board, monkeypatch):
    monkeypatch.setenv("PARTNERSHIP_HUB_URL", "https://hub.example.org/")
    b = make_board(tmp_path, session_code=CODE)
    html = b.join_html.value
    address = "https://hub.example.org/hub/user-redirect/lab/tree/04_feedback_and_reflection.ipynb"
    assert '<span aria-hidden="true">K7P Q3M</span>' in html  # read out letter by letter:
    assert '<span class="pl-join-code-letters"' in html and ">K 7 P Q 3 M</span>" in html
    assert '<svg role="img"' in html
    assert '<p class="pl-join-address"' in html and address in text(html)  # the QR's text
    assert "<svg" in html and "<title>" in html and "<script" not in html.lower()
    sizes = [int(px) for px in re.findall(r"font-size:(\d+)px", html)]
    assert sizes and min(sizes) >= 18
    assert b.join_toggle.value is True
    b.join_toggle.value = False
    assert b.join_html.layout.display == "none"
    b.join_toggle.value = True
    assert b.join_html.layout.display is None

    b.session_text.value = "AAAA44"
    assert "AAA A44" in b.join_html.value


def test_without_a_hub_the_join_panel_says_which_notebook_to_open(tmp_path, make_board):
    b = make_board(tmp_path, session_code=CODE)
    html = b.join_html.value
    assert "K7P Q3M" in html and "04_feedback_and_reflection.ipynb" in html
    assert "<svg" not in html


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_decisions_or_a_code_another_account_put_in_the_room_are_ignored(tmp_path, make_board):
    """On a hub learners can create files in the room: they cannot approve their own text."""
    write_learners(tmp_path, 5)
    b = make_board(tmp_path, session_code=CODE)
    b.moderation.approve_all(b.moderation_items())
    b.scan()
    assert NOTE in views_html(b)
    b.close()
    for name in (".moderation.json", ".session.json"):
        os.chown(tmp_path / name, 4242, 4242)  # as if a learner had written them

    again = make_board(tmp_path)
    assert again.session_code != CODE  # the planted code is not used
    again.set_session_code(CODE)  # the facilitator types the code
    assert NOTE not in views_html(again) and IDEA not in views_html(again)
    assert "not written by this account" in text(again.privacy.value)
    panel = moderation_panel(tmp_path).panel
    assert "not written by this account" in text(panel.status.value)

    (tmp_path / ".moderation.json").unlink()  # removed: the warning goes with it
    again.scan()
    assert "not written by this account" not in text(again.privacy.value)
