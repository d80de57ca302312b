"""The facilitator notebook in Voilà: a room of 30 demo learners, 3 malformed files and
5 hostile files; live mode picking up a share file written during the test; and the
anonymity threshold, with one learner too few and then enough.

The tests get a Voilà server of their own, started with ``PARTNERSHIP_ROOM_DIR`` pointing
at a temporary folder that each test fills afresh.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path

import pytest
from _share_files import PAYLOAD, hostile_doc, share_doc, write_malformed, write_share
from playwright.sync_api import expect

from . import harness
from .axe import assert_accessible, axe_available
from .harness import (
    REPO_ROOT,
    assert_no_error_outputs,
    assert_no_widgets_as_text,
    assert_widgets_rendered,
)

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "facilitator.ipynb"
MODERATION_NOTEBOOK = REPO_ROOT / "notebooks" / "facilitator_moderation.ipynb"
DEMO_LEARNERS = 30
#: Five learners send the hostile answers: a stakeholder needs five (the default
#: threshold) to be shown on the grid.
HOSTILE_LEARNERS = 5
LEARNERS = DEMO_LEARNERS + HOSTILE_LEARNERS
#: The session every file of these tests is sent for (the board gets it from the
#: environment, as on the hub).
CODE = "BRW346"
HUB = "https://hub.example.org"

# Runs before any page script: records dialogs and any attempt to set the trap.
TRAP = """
window.__dialogs = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__dialogs.push([name, ...args]); };
}
"""


@pytest.fixture(scope="module")
def room_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("room")


@pytest.fixture(scope="module")
def room_voila(browser_requirements, tmp_path_factory, room_dir):
    """A Voilà server whose kernels read share files from ``room_dir``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARTNERSHIP_ROOM_DIR", str(room_dir))
        mp.setenv("PARTNERSHIP_SESSION_CODE", CODE)
        mp.setenv("PARTNERSHIP_HUB_URL", HUB)
        mp.delenv("PARTNERSHIP_PROJECTOR", raising=False)
        voila = harness.start_voila(tmp_path_factory.mktemp("voila-room"))
    yield voila
    voila.stop()


def empty_room(room_dir: Path) -> None:
    for child in room_dir.iterdir():  # share files, decisions and the session's code
        shutil.rmtree(child) if child.is_dir() else child.unlink()


@pytest.fixture
def room(room_dir, tmp_path):
    """Fill the room: 30 demo learners, 3 malformed files and 5 hostile files, all for
    this session, with every piece of free text approved for the board."""
    from partnership_lib.facilitator.demo import write_demo_room
    from partnership_lib.facilitator.moderation import Moderation
    from partnership_lib.facilitator.room import scan_room
    from partnership_lib.facilitator.views import free_text_items

    empty_room(room_dir)
    demo = write_demo_room(room_dir, DEMO_LEARNERS, session_code=CODE)
    reasons = write_malformed(room_dir)
    for i in range(HOSTILE_LEARNERS):
        write_share(room_dir, f"hostile-{i}.json", hostile_doc(demo[0]))
    everything = free_text_items(scan_room(room_dir, session_code=CODE))
    Moderation(room_dir).approve_all(everything)
    return reasons


@pytest.fixture
def open_board(page, room_voila, request):
    """Open the facilitator notebook in Voilà; shut its kernel down afterwards."""
    kernels = []
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(TRAP)

    def open_(notebook: Path = NOTEBOOK) -> None:
        folder = f"{harness.artifact_name(request.node.name)[:40]}-{uuid.uuid4().hex[:6]}"
        try:
            harness.open_voila(page, room_voila, notebook, subdir=folder)
        finally:
            if kernel := harness.voila_kernel_id(page):
                kernels.append(kernel)
        return dialogs

    yield open_
    for kernel in kernels:
        room_voila.shutdown_kernel(kernel)


def board_text(page, selector: str) -> str:
    """The textContent (so closed <details> count too) of one part of the board."""
    return " ".join((page.locator(selector).first.text_content() or "").split())


def assert_no_script_ran(page, dialogs) -> None:
    assert page.evaluate("window.__pwned") is None, "a hostile script ran"
    assert page.evaluate("window.__dialogs") == []
    assert dialogs == []
    board = page.locator(".pl-facilitator-board")
    assert board.locator("script").count() == 0
    assert board.locator("img[src='x']").count() == 0


def test_board_shows_the_room_and_hostile_text_as_text(open_board, page, room, screenshot):
    dialogs = open_board()

    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)
    assert_widgets_rendered(page, minimum=1)
    expect(page.locator(".pl-board-status")).to_contain_text(
        f"{LEARNERS} learners · 3 files skipped"
    )
    assert re.search(r"last scan \d\d:\d\d:\d\d", board_text(page, ".pl-board-clock"))

    skipped = page.locator(".pl-board-skipped li")
    assert skipped.count() == 3
    listed = [" ".join((skipped.nth(i).text_content() or "").split()) for i in range(3)]
    for (name, word), line in zip(sorted(room.items()), listed, strict=True):
        assert line.startswith(f"{name}:"), listed
        assert word in line, (word, line)

    # The hostile learner's text is on the page, as text, in every place it is shown.
    assert PAYLOAD in board_text(page, ".pl-board-learners")  # display name
    for key in ("grid", "opportunities", "wall"):
        assert PAYLOAD in board_text(page, f".pl-board-view-{key}"), key
    assert page.get_by_text("<script>window.__pwned=1</script>").count() >= 1
    assert_no_script_ran(page, dialogs)

    # Every view has its chart (with a text alternative) and its table.
    views = page.locator(".pl-board-view")
    assert views.count() == 7
    for i in range(7):
        view = views.nth(i)
        img = view.locator("img").first
        assert (img.get_attribute("alt") or "").strip()
        assert img.evaluate("el => el.complete && el.naturalWidth > 0")
        assert view.locator("details summary", has_text="Show as table").count() == 1

    # Show one view at a time, as on the projector.
    page.get_by_label("Show").select_option(label="Post-it wall")
    expect(page.locator(".pl-board-view-grid")).to_be_hidden()
    expect(page.locator(".pl-board-view-wall")).to_be_visible()
    page.get_by_label("Show").select_option(label="All views")
    expect(page.locator(".pl-board-view-grid")).to_be_visible()

    page.locator(".pl-board-skipped summary").click()
    page.locator(".pl-facilitator-board").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot("board-top", full_page=False)
    # Voilà scrolls inside the page, so a full-page shot needs a viewport as tall as it.
    height = page.evaluate("document.querySelector('.pl-facilitator-board').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 200, 16000)})
    page.locator(".pl-facilitator-board").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot("board")
    assert_no_script_ran(page, dialogs)

    # Projector mode: the board draws every view again in the projector style (16:9).
    page.set_viewport_size({"width": 1920, "height": 1080})
    grid = page.locator(".pl-board-view-grid img").first
    old_src = grid.get_attribute("src")
    page.get_by_role("button", name=re.compile(r"^\W*Projector mode$")).click()
    expect(page.locator(".pl-projector-css style")).to_have_count(1)  # at once
    expect(grid).not_to_have_attribute("src", old_src or "", timeout=60_000)
    ratio = grid.evaluate("el => el.naturalWidth / el.naturalHeight")
    assert ratio == pytest.approx(16 / 9, rel=0.02)
    page.locator(".pl-facilitator-board").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot("board-projector", full_page=False)
    # The full board, hostile learners included, passes the axe audit (when installed).
    if axe_available() is None:
        assert_accessible(page, "facilitator-board-room-of-35-projector")


def test_live_mode_shows_a_new_share_file(open_board, page, room, room_dir, screenshot):
    dialogs = open_board()
    status = page.locator(".pl-board-status")
    expect(status).to_contain_text(f"{LEARNERS} learners")

    interval = page.get_by_label("Re-scan every (seconds)")
    interval.fill("2")
    interval.press("Enter")
    # The icon's glyph may be part of the accessible name.
    live = page.get_by_role("button", name=re.compile(r"^\W*Live$"))
    live.click()
    expect(live).to_have_class(re.compile(r"mod-active"))
    # Live scans keep the clock moving.
    first = board_text(page, ".pl-board-clock")
    expect(page.locator(".pl-board-clock")).not_to_have_text(first, timeout=15_000)

    newcomer = "Newcomer (live test)"
    doc = share_doc(uuid.uuid4().hex, newcomer, {}, session_code=CODE)
    write_share(room_dir, "newcomer.json", doc)
    written = time.monotonic()
    expect(status).to_contain_text(f"{LEARNERS + 1} learners", timeout=15_000)
    elapsed = time.monotonic() - written
    expect(page.locator(".pl-board-learners")).to_contain_text(newcomer)
    # The issue asks for 5 s with the default 5 s interval; with 2 s it must be well inside.
    assert elapsed <= 5.0, f"the new share file took {elapsed:.1f} s to appear"
    assert_no_error_outputs(page)
    assert_no_script_ran(page, dialogs)
    screenshot("live", full_page=False)

    live.click()  # off again: the kernel's loop stops before the kernel is shut down
    expect(live).not_to_have_class(re.compile(r"mod-active"))


def test_nothing_of_the_answers_shows_until_k_learners_are_in(
    open_board, page, room_dir, screenshot
):
    """Four demo learners of the default five: the privacy line counts down and no view
    shows an answer; the fifth learner's file arrives, Scan now, and the views fill."""
    from partnership_lib.facilitator.demo import write_demo_room

    empty_room(room_dir)
    write_demo_room(room_dir, 4, session_code=CODE, approve=True)
    dialogs = open_board()
    privacy = page.locator(".pl-board-privacy")
    expect(privacy).to_contain_text("1 more needed before results are shown (at least 5 learners).")
    expect(page.get_by_label("Anonymity threshold (learners)")).to_have_value("5")
    # Answers these five demo learners gave (a stakeholder all five named, a skill).
    views = page.locator(".pl-board-view")
    expect(views).to_have_count(7)
    for i in range(7):
        text = board_text(page, f".pl-board-view >> nth={i}")
        assert "Fire service" not in text and "Questioning" not in text, text[:200]
        assert "1 more needed before results are shown" in text
    alts = page.locator(".pl-board-view img").evaluate_all("els => els.map(e => e.alt)")
    assert alts and all("Fire service" not in a and "Questioning" not in a for a in alts)

    # How to join: the code, large, the address as text and its QR code.
    join = page.locator(".pl-board-join")
    expect(join.locator(".pl-join-code")).to_contain_text("BRW 346")
    expect(join.locator(".pl-join-address")).to_contain_text(f"{HUB}/hub/user-redirect/lab/")
    expect(join.locator("svg.pl-join-qr")).to_be_visible()
    code_px = join.locator(".pl-join-code").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    sizes = join.locator("p, figcaption").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert code_px >= 48 and min(sizes) >= 18, (code_px, sizes)
    screenshot("below-threshold", full_page=False)

    write_demo_room(room_dir, 5, session_code=CODE, approve=True)  # the fifth learner
    page.get_by_role("button", name=re.compile(r"^\W*Scan now$")).click()
    expect(page.locator(".pl-board-status")).to_contain_text("5 learners")
    expect(privacy).to_contain_text("Results are shown: at least 5 learners are in.")
    expect(page.locator(".pl-board-view-grid")).to_contain_text("Fire service")
    expect(page.locator(".pl-board-view-skills")).to_contain_text("Questioning")
    # The grid holds back the stakeholders fewer than five learners named, by number only.
    expect(page.locator(".pl-board-view-grid")).to_contain_text(
        "stakeholders named by fewer than 5 learners not shown"
    )
    assert_no_error_outputs(page)
    assert_no_script_ran(page, dialogs)


def test_an_item_approved_on_the_moderation_screen_reaches_the_board(
    open_board, page, room_dir, screenshot
):
    """The facilitator approves one opportunity on their own screen: the board shows it
    and no other; Hide takes it off again."""
    from partnership_lib.facilitator.demo import write_demo_room
    from partnership_lib.facilitator.room import scan_room
    from partnership_lib.facilitator.views import free_text_items

    empty_room(room_dir)
    write_demo_room(room_dir, 5, session_code=CODE)
    items = free_text_items(scan_room(room_dir, session_code=CODE))
    chosen = next(i for i in items if i.view == "opportunities")
    others = [i.text for i in items if i.view == "opportunities" and i.id != chosen.id]

    open_board(MODERATION_NOTEBOOK)
    panel = page.locator(".pl-moderation-panel")
    expect(panel).to_contain_text(f"{len(items)} waiting · 0 approved · 0 hidden")
    row = panel.locator(".widget-hbox", has_text=chosen.text).last
    row.get_by_role("button", name=re.compile(r"^\W*Approve$")).click()
    expect(panel).to_contain_text(f"{len(items) - 1} waiting · 1 approved · 0 hidden")
    screenshot("moderation", full_page=False)

    open_board()
    view = page.locator(".pl-board-view-opportunities")
    expect(view).to_contain_text(chosen.text)
    assert not [t for t in others if t in board_text(page, ".pl-board-view-opportunities")]
    expect(page.locator(".pl-board-privacy")).to_contain_text(
        f"{len(items) - 1} items waiting for the facilitator."
    )

    open_board(MODERATION_NOTEBOOK)
    row = page.locator(".pl-moderation-panel .widget-hbox", has_text=chosen.text).last
    row.get_by_role("button", name=re.compile(r"^\W*Hide$")).click()
    expect(page.locator(".pl-moderation-panel")).to_contain_text("1 hidden")
    open_board()
    expect(page.locator(".pl-board-status")).to_contain_text("5 learners")
    assert chosen.text not in board_text(page, ".pl-board-view-opportunities")
