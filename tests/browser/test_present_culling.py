"""``make present`` stays up all day: kernels of closed pages go, open pages keep theirs.

Voilà starts a kernel (about 150 MB) for every page load. This test starts Voilà with the
settings ``make present`` uses (``deploy/voila/voila.py``, read through
``harness.start_voila(present=True)``), except that the culler's timeout and interval are
cut to seconds with :func:`harness.quicker_culling`, the same command-line override
``make present VOILA_ARGS=...`` offers. A timeout of 0 in the file stays 0, so this test
fails when ``make present`` would not cull.

The facilitator's board stays open with Live on, and one session page stays open and
untouched, while a session notebook is loaded 20 times, each page closed once it has
rendered: every other page as a tab is closed (its ``beforeunload`` asks Voilà to shut its
kernel down), the rest abruptly, as when a browser is killed or a laptop dropped off the
network (no ``beforeunload``; only the culler can free those kernels). Within the cull
timeout plus one interval, only the two open pages' kernels are left.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from . import harness
from .harness import REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = REPO_ROOT / "notebooks" / "00_partnership_scenario.ipynb"
BOARD = REPO_ROOT / "notebooks" / "facilitator.ipynb"
PAGE_LOADS = 20
#: The culler's timeout and interval for this test, in seconds (make present: 900 and 60).
#: A kernel is idle, with no page connected, from the end of Voilà running its cells until
#: the page's scripts have loaded and connect; on a 2-core machine under load that took
#: over 15 s once, and the culler took the kernel of a page still loading.
IDLE_TIMEOUT = 45
CULL_INTERVAL = 5
#: Time for the culler's shutdowns themselves, on a busy 2-core machine.
SHUTDOWN_SLACK = 30


@pytest.fixture(scope="module")
def present_voila(
    browser_requirements, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[harness.VoilaServer]:
    """Voilà with make present's settings and a culler that acts within seconds."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARTNERSHIP_ROOM_DIR", str(tmp_path_factory.mktemp("room")))
        mp.delenv("PARTNERSHIP_PROJECTOR", raising=False)
        voila = harness.start_voila(
            tmp_path_factory.mktemp("voila-present"),
            present=True,
            extra_args=harness.quicker_culling(idle=IDLE_TIMEOUT, interval=CULL_INTERVAL),
        )
    yield voila
    voila.stop()


@pytest.fixture
def context(chromium_browser: Browser) -> Iterator[BrowserContext]:
    """One browser context for all the pages (requests off this machine aborted)."""
    ctx = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    ctx.set_default_timeout(30_000)
    ctx.route(harness.EXTERNAL_URL, lambda route: route.abort())
    yield ctx
    ctx.close()


def culled(log: str, kernel_id: str) -> bool:
    """Whether the server log says the culler shut ``kernel_id`` down."""
    return re.search(rf"Culling '\w+' kernel '[^']*' \({re.escape(kernel_id)}\)", log) is not None


def idle_seconds(model: dict) -> float:
    last = dt.datetime.fromisoformat(model["last_activity"].replace("Z", "+00:00"))
    return (dt.datetime.now(dt.UTC) - last).total_seconds()


def test_closed_pages_lose_their_kernels_and_open_pages_keep_theirs(
    present_voila: harness.VoilaServer, context: BrowserContext
) -> None:
    voila = present_voila
    # The facilitator's board, open all day with Live on.
    board = context.new_page()
    harness.open_voila(board, voila, BOARD, subdir="board")
    board_kernel = harness.voila_kernel_id(board)
    live = board.get_by_role("button", name=re.compile(r"^\W*Live$"))
    live.click()
    expect(live).to_have_class(re.compile(r"mod-active"))
    # A session page left open on the projector, untouched.
    still_open = context.new_page()
    harness.open_voila(still_open, voila, NOTEBOOK, subdir="open")
    open_kernel = harness.voila_kernel_id(still_open)

    closed_tab: list[str] = []  # beforeunload ran: Voilà is asked to shut the kernel down
    dropped: list[str] = []  # no beforeunload: only the culler frees the kernel
    for i in range(PAGE_LOADS):
        page = context.new_page()
        harness.open_voila(page, voila, NOTEBOOK, subdir="loads")
        kernel_id = harness.voila_kernel_id(page)
        assert kernel_id and voila.kernel(kernel_id), f"page load {i} has no live kernel"
        tab_closed = i % 2 == 0
        (closed_tab if tab_closed else dropped).append(kernel_id)
        if tab_closed:
            # Leave the page, as closing a tab does: its beforeunload sends Voilà's
            # shutdown beacon. (Playwright's close(run_before_unload=True) can end the
            # page's process before headless Chromium has sent the beacon; a real
            # browser sends it. Leaving first keeps the process until it has.)
            page.goto("about:blank")
        page.close()
    assert len({*closed_tab, *dropped, board_kernel, open_kernel}) == PAGE_LOADS + 2

    expected = {board_kernel, open_kernel}
    deadline = time.monotonic() + IDLE_TIMEOUT + CULL_INTERVAL + SHUTDOWN_SLACK
    while (live_kernels := set(voila.kernel_processes())) != expected:
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    left = live_kernels - expected
    assert live_kernels == expected, (
        f"{len(live_kernels)} kernel processes still running "
        f"{IDLE_TIMEOUT + CULL_INTERVAL + SHUTDOWN_SLACK} s after the last of {PAGE_LOADS} "
        f"pages closed (expected the 2 open pages' only): {len(left & set(closed_tab))} of "
        f"closed tabs, {len(left & set(dropped))} of dropped pages; open pages' kernels "
        f"missing: {sorted(expected - live_kernels)}"
    )

    log = voila.server.log_path.read_text(encoding="utf-8", errors="replace")
    # A tab closed as usual shuts its kernel down at once (the XSRF cookie the page needs
    # for that is set by make present's prelaunch hook); the culler is for the rest.
    assert not [k for k in closed_tab if culled(log, k)], "closed tabs left their kernels"
    assert all(culled(log, k) for k in dropped), "dropped pages' kernels were not culled"

    # The open pages were not culled, though the untouched one has been idle for longer
    # than the timeout: a connected page keeps its kernel (cull_connected = False).
    for kernel_id in expected:
        model = voila.kernel(kernel_id)
        assert model is not None and model["connections"] >= 1, model
        assert not culled(log, kernel_id)
    assert idle_seconds(voila.kernel(open_kernel)) > IDLE_TIMEOUT
    # The board is still live: its scans keep the clock moving.
    expect(live).to_have_class(re.compile(r"mod-active"))
    clock = board.locator(".pl-board-clock")
    before = " ".join((clock.text_content() or "").split())
    expect(clock).not_to_have_text(before, timeout=20_000)
    live.click()  # off again before the server stops
    expect(live).not_to_have_class(re.compile(r"mod-active"))
