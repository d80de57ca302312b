"""The facilitator's live group board, driven headless through its widgets."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from _helpers import html_values, walk
from _share_files import (
    PAYLOAD,
    WALL,
    hostile_doc,
    read_answers,
    share_doc,
    write_malformed,
    write_share,
)

from partnership_lib.core import style
from partnership_lib.facilitator import board as board_mod
from partnership_lib.facilitator import demo, views
from partnership_lib.facilitator.board import THREAD_NAME, FacilitatorBoard, facilitator_board
from partnership_lib.facilitator.moderation import Moderation
from partnership_lib.facilitator.room import RoomScanner

#: The session the tests' boards run and their demo files are sent for.
CODE = "TEST42"
DEADLINE = 30.0  # generous: the machine is shared; this is a liveness check, not a speed test


def wait_for(predicate, *, deadline: float = DEADLINE, what: str = "condition"):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {deadline:.0f} s waiting for {what}")


def live_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]


def text(html: str) -> str:
    """Visible text of an HTML snippet (tags dropped, entities kept escaped)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def make_board(no_display):
    """Build boards; close each one at the end and wait until its live thread has gone."""
    made: list[FacilitatorBoard] = []

    def make(folder, **kwargs) -> FacilitatorBoard:
        kwargs.setdefault("session_code", CODE)
        widget = facilitator_board(folder, **kwargs)
        assert isinstance(widget, widgets.VBox)
        made.append(widget.board)
        return widget.board

    yield make
    for b in made:
        b.close()
    wait_for(lambda: not live_threads(), what="live threads to stop")


@pytest.fixture
def quick_views(monkeypatch):
    """Stand-in for drawing views, for tests about scanning and the loop, not the charts.

    It collates each view's table from the room as the real one does, and shows the
    learner count, so the board's updates can still be seen in the view's HTML.
    """

    class Output:
        def __init__(self, r, key):
            self.key, self.table = key, views.room_view(key).table(r)
            self.html = f'<section class="quick">{key}: {len(r)} learners</section>'

    monkeypatch.setattr(views, "render_view", lambda r, key, **_kw: Output(r, key))


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> list[Path]:
    """Five demo learners' files, written once; tests copy the ones they need."""
    return demo.write_demo_room(tmp_path_factory.mktemp("demo"), 5, session_code=CODE)


def copy_in(folder: Path, files) -> None:
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())


def approve_everything(folder: Path) -> None:
    """Approve all the free text in the room (what the moderation screen's button does)."""
    room = RoomScanner(folder, session_code=CODE).scan()
    Moderation(folder).approve_all(views.free_text_items(room))


def status_text(b: FacilitatorBoard) -> str:
    return text(b.status.value) + " " + text(b.clock.value)


# --------------------------------------------------------------------------- scanning


def test_scan_shows_counts_skipped_files_and_every_view(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:3])
    reasons = write_malformed(tmp_path)
    b = make_board(tmp_path)

    assert re.fullmatch(
        r"3 learners · 3 files skipped · last scan \d\d:\d\d:\d\d", status_text(b)
    ), status_text(b)
    assert 'role="status"' in b.status.value and 'aria-live="polite"' in b.status.value
    summary = b.summary.value
    for name, word in reasons.items():
        item = re.search(rf"<li><strong>{re.escape(name)}</strong>: ([^<]*)</li>", summary)
        assert item, (name, summary)
        assert word in item.group(1), (name, item.group(1))
    assert "Learner 01 (demo), Learner 02 (demo), Learner 03 (demo)" in summary
    for view in views.ROOM_VIEWS:
        value = b.view_html[view.key].value
        assert html_values(b.widget).count(value) == 1
        assert view.title in value
        assert re.search(r'<img [^>]*alt="[^"]+"', value), view.key
        assert "Show as table" in value and "<table" in value, view.key
    assert b.renders == len(views.ROOM_VIEWS)


def test_controls_are_labelled_and_bounded(tmp_path, make_board, quick_views):
    b = make_board(tmp_path)
    assert b.folder_text.description == "Share-file folder"
    assert b.folder_text.value == str(tmp_path)
    assert b.scan_button.description == "Scan now"
    assert isinstance(b.live_toggle, widgets.ToggleButton) and b.live_toggle.description == "Live"
    assert (b.interval_input.min, b.interval_input.max, b.interval_input.value) == (1, 60, 5)
    assert b.interval_input.description.startswith("Re-scan every")
    b.interval_input.value = 500
    assert b.interval_input.value == 60
    assert [o[1] for o in b.view_picker.options] == ["all"] + [v.key for v in views.ROOM_VIEWS]
    b.view_picker.value = "wall"
    shown = [k for k, w in b.view_html.items() if w.layout.display != "none"]
    assert shown == ["wall"]
    b.view_picker.value = "all"
    assert all(w.layout.display != "none" for w in b.view_html.values())
    # the session notebooks' focus ring and reduced-motion rule come with the board
    from partnership_lib.widgets.page import PAGE_CSS

    assert any("pl-page-style" in w._dom_classes and PAGE_CSS in w.value for w in b.widget.children)


def test_default_folder_is_the_room_env_or_the_data_folder(
    tmp_path, monkeypatch, make_board, quick_views
):
    monkeypatch.delenv(board_mod.ROOM_DIR_ENV, raising=False)
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(tmp_path / "data"))
    b = make_board(None)
    assert b.folder == tmp_path / "data" / "room"
    assert b.folder.is_dir()  # created, so the first scan finds an empty room
    assert status_text(b).startswith("0 learners · 0 files skipped")

    monkeypatch.setenv(board_mod.ROOM_DIR_ENV, str(tmp_path / "shared"))
    b = make_board(None)
    assert b.folder == tmp_path / "shared"
    assert "does not exist" in text(b.status.value)


def test_hostile_text_is_escaped_in_every_widget(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:2])
    # Three learners name the same hostile stakeholders: enough to pass a threshold of 3.
    for i in range(3):
        write_share(tmp_path, f"hostile-{i}.json", hostile_doc(demo_files[0]))
    write_share(tmp_path, f"{PAYLOAD[:30]}.json".replace("/", "_"), "not json <b>")
    approve_everything(tmp_path)
    b = make_board(tmp_path, k=3)

    assert text(b.status.value).startswith("5 learners · 1 file skipped")
    values = html_values(b.widget)
    combined = "\n".join(values)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in b.summary.value  # display name
    for key in ("grid", "opportunities", "wall"):  # stakeholder names, texts, post-its
        assert "&lt;script&gt;window.__pwned=1" in b.view_html[key].value, key
    for value in values:
        assert "<script" not in value.lower()
        assert "<img src=x" not in value
    assert "<strong>&lt;script&gt;window.__pwned=1&lt;_scri.json</strong>" in combined


def test_scan_now_after_a_new_file_updates_the_views(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:3])
    b = make_board(tmp_path)
    before = {k: w.value for k, w in b.view_html.items()}
    children = list(walk(b.widget))
    copy_in(tmp_path, demo_files[3:4])

    b.scan_button.click()

    assert text(b.status.value).startswith("4 learners")
    assert "Learner 04 (demo)" in b.summary.value
    assert before["grid"] != b.view_html["grid"].value
    assert list(walk(b.widget)) == children  # updated in place: the same widgets


def test_only_views_whose_input_changed_are_drawn_again(
    tmp_path, make_board, demo_files, monkeypatch
):
    drawn: list[str] = []
    real = views.render_view

    def counting(r, key, **kwargs):
        drawn.append(key)
        return real(r, key, **kwargs)

    monkeypatch.setattr(views, "render_view", counting)
    copy_in(tmp_path, demo_files[:5])  # three of them answered the wall: enough for k=3
    approve_everything(tmp_path)
    b = make_board(tmp_path, k=3)
    assert sorted(drawn) == sorted(v.key for v in views.ROOM_VIEWS)

    drawn.clear()
    for _ in range(3):
        b.scan()
    assert drawn == []  # nothing changed, nothing drawn

    # Learner 2 writes a new file in which only a post-it changed.
    answers = read_answers(demo_files[1])
    notes = list(answers.get(WALL) or [])
    notes.append({"id": 99, "colour": "blue", "text": "More time for the role-play"})
    answers[WALL] = notes
    original = json.loads(demo_files[1].read_text(encoding="utf-8"))
    doc = share_doc(original["learner_id"], original["display_name"], answers, session_code=CODE)
    doc["exported_at"] = "2099-01-01T00:00:00+00:00"  # newer than the demo's stamp
    write_share(tmp_path, "learner-02-again.json", doc)
    approve_everything(tmp_path)  # the facilitator approves the new note
    b.scan()

    assert drawn == ["wall"]
    assert "More time for the role-play" in b.view_html["wall"].value
    assert "learner" in b.summary.value.lower()
    assert "1 older file replaced" in b.summary.value


def test_style_change_draws_every_view_again(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:2])
    b = make_board(tmp_path)
    renders = b.renders
    with style.style_context("workbook"):
        style.use_style("projector")  # returns at once; the board draws in the background
        try:
            wait_for(lambda: b.renders == renders + len(views.ROOM_VIEWS), what="redraw")
            assert b.table("grid") is not None
        finally:
            style.use_style("workbook")
        wait_for(lambda: b.renders == renders + 2 * len(views.ROOM_VIEWS), what="redraw")
    wait_for(lambda: not [t for t in threading.enumerate() if t.name.startswith(THREAD_NAME)])
    assert plt.get_fignums() == []


def test_no_figure_is_left_open_after_many_scans(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:1])
    b = make_board(tmp_path)
    for f in demo_files[1:3]:
        copy_in(tmp_path, [f])
        b.scan()
        assert plt.get_fignums() == []
    assert b.renders > 2 * len(views.ROOM_VIEWS)


# --------------------------------------------------------------------------- errors


class FlakyScanner(RoomScanner):
    """Fails while ``failing`` is set, like a network drive that drops out."""

    failing = True

    def scan(self):
        if FlakyScanner.failing:
            raise OSError("the network drive went away")
        return super().scan()


def test_a_failing_scan_is_shown_in_the_status_not_raised(
    tmp_path, make_board, quick_views, demo_files
):
    copy_in(tmp_path, demo_files[:2])
    FlakyScanner.failing = True
    b = make_board(tmp_path, scanner_factory=FlakyScanner)
    assert "the network drive went away" in text(b.status.value)
    assert "pl-status-error" in b.status.value
    assert b.scan() is None
    b.scan_button.click()  # a button never raises either

    FlakyScanner.failing = False
    b.scan_button.click()
    assert text(b.status.value).startswith("2 learners")


def test_a_view_that_cannot_be_drawn_leaves_the_others(
    tmp_path, make_board, demo_files, monkeypatch
):
    real = views.render_view

    def broken_wall(r, key, **kwargs):
        if key == "wall":
            raise ValueError("no wall <here>")
        return real(r, key, **kwargs)

    monkeypatch.setattr(views, "render_view", broken_wall)
    copy_in(tmp_path, demo_files[:2])
    b = make_board(tmp_path)
    wall_title = views.room_view("wall").title
    assert f"Could not draw: {wall_title}" in text(b.status.value)
    assert "no wall &lt;here&gt;" in b.view_html["wall"].value
    assert "<img" in b.view_html["grid"].value

    monkeypatch.setattr(views, "render_view", real)
    b.scan()  # the failed view is tried again
    assert "<img" in b.view_html["wall"].value
    assert "Could not draw" not in b.status.value


def test_the_live_loop_survives_scan_errors(tmp_path, make_board, quick_views, demo_files):
    copy_in(tmp_path, demo_files[:1])
    FlakyScanner.failing = False
    b = make_board(tmp_path, interval=0.2, scanner_factory=FlakyScanner)
    b.live_toggle.value = True
    FlakyScanner.failing = True
    scans = b.scans
    wait_for(lambda: "network drive" in b.status.value, what="the error in the status")
    assert "Trying again in 0.2 s" in text(b.status.value)
    FlakyScanner.failing = False
    copy_in(tmp_path, demo_files[1:2])
    wait_for(lambda: text(b.status.value).startswith("2 learners"), what="recovery")
    assert b.scans > scans and b.loop_running


# --------------------------------------------------------------------------- live mode


def test_live_mode_picks_up_a_new_file(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:2])
    b = make_board(tmp_path, interval=0.2)
    assert b.interval_input.value == 0.2
    b.live_toggle.value = True
    assert b.loop_running and b.live_toggle.icon == "pause"

    copy_in(tmp_path, demo_files[2:3])
    wait_for(lambda: text(b.status.value).startswith("3 learners"), what="the new learner")
    assert "Learner 03 (demo)" in b.summary.value

    b.live_toggle.value = False
    wait_for(lambda: not b.loop_running, what="the loop to stop")
    assert plt.get_fignums() == []  # the loop drew the views and closed every figure
    scans = b.scans
    copy_in(tmp_path, demo_files[3:4])
    time.sleep(0.6)  # three intervals: a loop still running would have scanned
    assert b.scans == scans
    assert text(b.status.value).startswith("3 learners")


def test_toggling_live_on_and_off_leaves_one_loop(tmp_path, make_board, quick_views):
    b = make_board(tmp_path, interval=0.2)
    for value in (True, False, True, False, True):
        b.live_toggle.value = value
    b.set_live(True)  # and once more through the method
    wait_for(lambda: len(live_threads()) == 1, what="one live thread")
    time.sleep(0.5)
    assert len(live_threads()) == 1
    b.live_toggle.value = False
    wait_for(lambda: not live_threads(), what="no live thread")


def test_closing_the_widget_stops_the_loop(tmp_path, make_board, quick_views):
    b = make_board(tmp_path, interval=0.2, live=True)
    assert b.live and b.loop_running
    b.widget.close()
    wait_for(lambda: not b.loop_running, what="the loop to stop")
    b.live_toggle.value = True  # a closed board never starts again
    assert not b.loop_running


def test_a_shorter_interval_takes_effect_at_once(tmp_path, make_board, quick_views, demo_files):
    b = make_board(tmp_path, interval=0.2)
    b.interval_input.value = 60
    b.live_toggle.value = True
    scans = b.scans
    wait_for(lambda: b.scans > scans, what="the first live scan")
    scans = b.scans
    b.interval_input.value = 0.2  # wakes the sleeping loop, which now waits 0.2 s
    copy_in(tmp_path, demo_files[:1])
    wait_for(lambda: text(b.status.value).startswith("1 learner "), what="the new file")


# --------------------------------------------------------------------------- actions


def test_export_writes_the_room_report_and_says_where(tmp_path, make_board, demo_files):
    copy_in(tmp_path, demo_files[:2])
    b = make_board(tmp_path)
    b.export_button.click()
    reports = sorted(tmp_path.glob("room-report-*.html"))
    assert len(reports) == 1
    assert str(reports[0]) in text(b.notice.value)
    assert "Learner" not in reports[0].name
    assert text(b.status.value).startswith("2 learners")  # the report is not a share file
    b.scan()
    assert text(b.status.value).startswith("2 learners · 0 files skipped")


def test_load_demo_room_switches_to_the_demo_folder(tmp_path, make_board, quick_views):
    b = make_board(tmp_path)
    b.demo_button.click()
    assert b.folder == tmp_path / "demo"
    assert b.folder_text.value == str(tmp_path / "demo")
    share_files = [p for p in (tmp_path / "demo").glob("*.json") if not p.name.startswith(".")]
    assert len(share_files) == board_mod.DEMO_LEARNERS
    assert text(b.status.value).startswith(f"{board_mod.DEMO_LEARNERS} learners")
    assert "fictional" in text(b.notice.value)


def test_typing_another_folder_scans_it(tmp_path, make_board, quick_views, demo_files):
    other = tmp_path / "other"
    other.mkdir()
    copy_in(other, demo_files[:1])
    b = make_board(tmp_path)
    assert text(b.status.value).startswith("0 learners")
    b.folder_text.value = str(other)
    assert text(b.status.value).startswith("1 learner ")
    b.folder_text.value = "   "
    assert "Type the folder" in text(b.notice.value)
    assert b.folder == other


# --------------------------------------------------------------------------- a real kernel


class KernelSession:
    """A real ipykernel of this venv, and what it sends to the front end."""

    def __init__(self, tmp_path: Path, monkeypatch) -> None:
        import json as _json
        import sys

        from jupyter_client.manager import start_new_kernel

        spec = tmp_path / "jupyter" / "kernels" / "python3"
        spec.mkdir(parents=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        (spec / "kernel.json").write_text(
            _json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
        )
        monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
        monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")
        self.km, self.kc = start_new_kernel(kernel_name="python3")
        self.stderr: list[str] = []

    def run(self, code: str, *, timeout: float = 60) -> dict:
        reply = self.kc.execute_interactive(
            code, timeout=timeout, output_hook=self._output, allow_stdin=False
        )
        return reply["content"]

    def _output(self, msg: dict) -> None:
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stderr":
            self.stderr.append(msg["content"]["text"])
        if msg["msg_type"] == "error":
            self.stderr.append(msg["content"]["ename"])

    def wait_for_update(self, needle: str, *, deadline: float = DEADLINE) -> None:
        """Wait for a widget update carrying ``needle``, sent while no cell runs."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except Exception:
                continue
            self._output(msg)
            data = msg["content"].get("data", {}) if msg["msg_type"] == "comm_msg" else {}
            if data.get("method") == "update" and needle in str(data.get("state")):
                return
        raise AssertionError(f"no widget update with {needle!r} within {deadline:.0f} s")

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def test_live_mode_in_a_real_kernel_survives_an_interrupt(tmp_path, monkeypatch, demo_files):
    room_dir = tmp_path / "room"
    room_dir.mkdir()
    copy_in(room_dir, demo_files[:1])
    kernel = KernelSession(tmp_path, monkeypatch)
    try:
        reply = kernel.run(
            "from IPython.display import display\n"
            "from partnership_lib.facilitator.board import facilitator_board\n"
            f"w = facilitator_board({str(room_dir)!r}, interval=0.2, session_code={CODE!r})\n"
            "display(w)\n"
            "w.board.live_toggle.value = True\n"
        )
        assert reply["status"] == "ok", reply
        # The kernel is idle; the live thread's changes still reach the front end.
        copy_in(room_dir, demo_files[1:2])
        kernel.wait_for_update("2 learners")

        # Interrupting a long cell stops that cell, not the board.
        kernel.kc.execute("import time; time.sleep(60)")
        time.sleep(1.0)
        kernel.km.interrupt_kernel()
        reply = kernel.kc.get_shell_msg(timeout=DEADLINE)["content"]
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
        copy_in(room_dir, demo_files[2:3])
        kernel.wait_for_update("3 learners")

        reply = kernel.run(
            "import threading\n"
            f"n = sum(t.name == {THREAD_NAME!r} for t in threading.enumerate())\n"
            "assert n == 1 and w.board.loop_running, n\n"
            "w.board.live_toggle.value = False\n"
        )
        assert reply["status"] == "ok", reply
        # Only the interrupted cell's KeyboardInterrupt was ever shown: the board itself
        # printed nothing to the facilitator's screen.
        assert kernel.stderr == ["KeyboardInterrupt"], kernel.stderr
    finally:
        kernel.close()
