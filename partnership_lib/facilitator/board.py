"""The facilitator's live group board: the room's share files, collated and shown back.

:func:`facilitator_board` builds one widget for ``notebooks/facilitator.ipynb``: a folder
of learners' share files (see :mod:`partnership_lib.facilitator.room`), a status line, the files that
were skipped and why, and one section per room view (chart, table, text). "Scan now"
reads the folder once; "Live" re-reads it every few seconds.

How live mode works
-------------------
A daemon thread (one per board, never two) scans the folder, then sleeps on a
``threading.Condition`` for the chosen interval, so the kernel stays free for the
front end: Voila and JupyterLab remain responsive, and widget changes made by the thread
reach the page as ordinary comm messages (ipywidgets' documented way to update a widget
in the background; it works with ipykernel 7). A thread rather than an asyncio task
because a kernel interrupt (SIGINT) only ever reaches the main thread, and a long
scan never holds up the kernel's message loop. Turning "Live" off, closing the widget
or :meth:`FacilitatorBoard.close` stops the thread at its next wake-up; turning it on
again while the old thread is still finishing reuses that thread. One lock serialises
every scan-and-render (the thread's and the buttons'), because matplotlib's pyplot
state is not thread-safe.

Updates are made in place: each widget's ``value`` is set (no new widgets, no
``clear_output``), and only when it changes. A view is redrawn only when its input
changed: first the room's fingerprint (every learner's id and export time, and the chart
style) is compared, then each view's table. Nothing grows with the number of scans: the
board keeps the last table of each view and the HTML on the page, and
:class:`~partnership_lib.facilitator.room.RoomScanner` caches one parsed file per share file.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnership_lib.core import style
from partnership_lib.core.html import Markup, render
from partnership_lib.core.store import data_dir
from partnership_lib.facilitator import demo, report, views
from partnership_lib.facilitator.room import Room, RoomScanner
from partnership_lib.widgets.base import live_region
from partnership_lib.widgets.page import page_style
from partnership_lib.widgets.projector import projector_toggle

__all__ = [
    "ROOM_DIR_ENV",
    "THREAD_NAME",
    "FacilitatorBoard",
    "default_room_folder",
    "facilitator_board",
]

#: Environment variable naming the folder the board reads share files from.
ROOM_DIR_ENV = "PARTNERSHIP_ROOM_DIR"
#: Re-scan interval limits offered to the facilitator, in seconds.
MIN_INTERVAL, MAX_INTERVAL = 1.0, 60.0
ALL_VIEWS = "all"
DEMO_LEARNERS = 30
THREAD_NAME = "partnership-board-live"


def default_room_folder() -> Path:
    """``$PARTNERSHIP_ROOM_DIR`` when set, else ``room/`` in the data folder (created)."""
    configured = os.environ.get(ROOM_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()

    folder = data_dir() / "room"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True, slots=True)
class _ViewState:
    """What a view was last drawn from: its table (and the table's notes) and the style."""

    table: Any
    style_name: str


def _same_table(a: Any, b: Any) -> bool:
    try:
        return bool(a.equals(b)) and list(a.columns) == list(b.columns) and a.attrs == b.attrs
    except Exception:  # an uncomparable table: draw it again rather than show a stale one
        return False


class FacilitatorBoard:
    """The board's widgets, its scanner and its live loop (see :func:`facilitator_board`).

    Attributes
    ----------
    widget
        The ``VBox`` to display; ``widget.board`` points back here.
    room
        The last :class:`~partnership_lib.facilitator.room.Room` scanned (``None`` before the first scan).
    scans, renders
        How many scans ran, and how many views were drawn (for tests and the curious).
    """

    def __init__(
        self,
        folder: str | Path | None = None,
        *,
        interval: float = 5.0,
        live: bool = False,
        scanner_factory: Callable[[Path], RoomScanner] = RoomScanner,
    ) -> None:
        self._scanner_factory = scanner_factory
        self._lock = threading.RLock()  # one scan-and-render at a time
        self._cond = threading.Condition()  # guards _live, _closed, _thread, _wake
        self._live = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._wake = False
        self._room_fingerprint: tuple[Any, ...] | None = None
        self._views: dict[str, _ViewState] = {}
        self.room: Room | None = None
        self.scans = 0
        self.renders = 0
        #: The last few warnings raised while scanning in the background (never printed).
        self.warnings: deque[str] = deque(maxlen=20)

        problem = ""
        if folder is None:
            try:
                folder = default_room_folder()
            except Exception as exc:  # unwritable data folder: say so, the board still works
                problem = f"Could not prepare the default folder: {exc}"
                folder = Path(os.environ.get(ROOM_DIR_ENV, "") or "room")
        self.folder = Path(folder).expanduser()
        self._scanner = scanner_factory(self.folder)
        self._build(interval)
        if problem:
            self._announce(problem, "error")
        self.scan()
        if live:
            self.live_toggle.value = True

    # ------------------------------------------------------------------ widgets
    def _build(self, interval: float) -> None:
        wide = widgets.Layout(width="auto")
        self.folder_text = widgets.Text(
            value=str(self.folder),
            description="Share-file folder",
            placeholder="Folder holding the learners' share files (.json)",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 60em)"),
        )
        self.scan_button = widgets.Button(
            description="Scan now",
            icon="refresh",
            tooltip="Read the folder again now",
            layout=wide,
        )
        self.live_toggle = widgets.ToggleButton(
            value=False,
            description="Live",
            icon="play",
            tooltip="Re-scan the folder every few seconds and update the board",
            layout=wide,
        )
        low = min(MIN_INTERVAL, float(interval))  # tests may ask for a shorter interval
        self.interval_input = widgets.BoundedFloatText(
            value=float(interval),
            min=low,
            max=MAX_INTERVAL,
            step=1.0,
            description="Re-scan every (seconds)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", min_width="16em"),  # grows with projector text
        )
        self.export_button = widgets.Button(
            description="Export room report",
            icon="download",
            tooltip="Write one printable HTML report of every view into the folder",
            layout=wide,
        )
        self.demo_button = widgets.Button(
            description=f"Load demo room ({DEMO_LEARNERS} fictional learners)",
            icon="users",
            tooltip="Write fictional share files into a 'demo' folder and show it, to rehearse",
            layout=wide,
        )
        self.status = widgets.HTML(live_region())
        self.status.add_class("pl-board-status")
        self.clock = widgets.HTML()
        self.clock.add_class("pl-board-clock")
        self.notice = widgets.HTML(live_region())
        self.notice.add_class("pl-board-notice")
        self.summary = widgets.HTML()
        self.summary.add_class("pl-board-summary")
        room_views = views.ROOM_VIEWS
        self.view_picker = widgets.Dropdown(
            options=[("All views", ALL_VIEWS), *[(v.title, v.key) for v in room_views]],
            value=ALL_VIEWS,
            description="Show",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 36em)"),
        )
        self.view_html: dict[str, widgets.HTML] = {}
        for view in room_views:
            box = widgets.HTML(
                str(render("board_view.html.j2", title=view.title, problem=None)),
                layout=widgets.Layout(width="100%"),
            )
            box.add_class("pl-board-view")
            box.add_class(f"pl-board-view-{view.key}")
            self.view_html[view.key] = box

        controls = [self.scan_button, self.live_toggle, self.interval_input]
        actions = [self.export_button, self.demo_button, projector_toggle()]

        self.widget = widgets.VBox(
            [
                page_style(),  # the focus ring and reduced motion of the session notebooks
                self.folder_text,
                widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(actions, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(
                    [self.status, self.clock],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.notice,
                self.summary,
                self.view_picker,
                widgets.VBox(list(self.view_html.values())),
            ]
        )
        self.widget.add_class("pl-facilitator-board")
        self.widget.board = self

        self.scan_button.on_click(lambda _b: self.scan())
        self.live_toggle.observe(self._live_changed, names="value")
        self.interval_input.observe(self._interval_changed, names="value")
        self.folder_text.observe(self._folder_changed, names="value")
        self.export_button.on_click(lambda _b: self.export())
        self.demo_button.on_click(lambda _b: self.load_demo())
        self.view_picker.observe(self._show_views, names="value")
        self.widget.observe(self._widget_closed, names="comm")
        # Projector mode changes the chart style: draw the views again in the new one.
        style.on_style_change(self._style_changed)

    def _style_changed(self, _name: str) -> None:
        # Draw in the background: the projector toggle that changed the style should
        # finish (and enlarge the page) at once, not after seven charts.
        if self._closed:
            return
        with self._cond:
            if self._live and self._thread is not None:
                self._wake = True  # the live loop scans now
                self._cond.notify_all()
                return
        threading.Thread(target=self.scan, name=f"{THREAD_NAME}-restyle", daemon=True).start()

    def _announce(self, message: str, kind: str = "info") -> None:
        self.notice.value = live_region(message, kind)

    def _show_views(self, _change: Any = None) -> None:
        chosen = self.view_picker.value
        for key, box in self.view_html.items():
            box.layout.display = None if chosen in (ALL_VIEWS, key) else "none"

    # ------------------------------------------------------------------ scanning
    def scan(self) -> Room | None:
        """Read the folder now and update the board in place; never raises.

        Returns the room, or ``None`` when the scan failed (the status line says why and
        the board keeps showing the last good scan).
        """
        with self._lock:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    room = self._scanner.scan()
                    self._update(room)
                for w in caught:
                    self.warnings.append(f"{w.category.__name__}: {w.message}")
            except Exception as exc:
                self._scan_failed(exc)
                return None
            return room

    def _scan_failed(self, exc: Exception) -> None:
        again = (
            f"Trying again in {self._interval():g} s."
            if self._live
            else "Press 'Scan now' to try again."
        )
        detail = str(exc).strip() or type(exc).__name__
        try:
            self.status.value = live_region(
                f"The folder could not be read: {detail}. {again}", "error"
            )
            self.clock.value = self._clock_html()
        except Exception:  # the widget is gone: nothing left to tell
            pass

    def _update(self, room: Room) -> None:
        self.scans += 1
        self.room = room
        self._set(self.status, self._status_html(room))
        self.clock.value = self._clock_html(room.scanned_at)
        self._set(self.summary, self._summary_html(room))
        style_name = style.current_theme().name
        fingerprint = (
            style_name,
            tuple(
                sorted(
                    (learner.learner_id, learner.exported_at.isoformat())
                    for learner in room.learners
                )
            ),
        )
        if fingerprint == self._room_fingerprint:
            return
        failed = []
        for view in views.ROOM_VIEWS:
            try:
                self._update_view(room, view, style_name)
            except Exception as exc:
                failed.append(view.title)
                problem = live_region(f"This view could not be drawn: {exc}", "error")
                self.view_html[view.key].value = str(
                    # live_region escapes the message: its markup is our own
                    render("board_view.html.j2", title=view.title, problem=Markup(problem))
                )
                self._views.pop(view.key, None)
        if failed:
            self.status.value = live_region(
                f"{self._status_text(room)}. Could not draw: {', '.join(failed)}.", "warning"
            )
            self._room_fingerprint = None  # try the failed views again on the next scan
        else:
            self._room_fingerprint = fingerprint

    def _update_view(self, room: Room, view: Any, style_name: str) -> None:
        previous = self._views.get(view.key)
        if (
            previous is not None
            and previous.style_name == style_name
            and _same_table(previous.table, view.table(room))
        ):
            return
        output = views.render_view(room, view.key, style_name=style_name)
        self.renders += 1
        self._set(self.view_html[view.key], output.html)
        self._views[view.key] = _ViewState(output.table, style_name)

    def table(self, key: str) -> Any:
        """The table the board last drew view ``key`` from (``None`` before that)."""
        with self._lock:
            state = self._views.get(key)
        return None if state is None else state.table

    @staticmethod
    def _set(widget: widgets.HTML, value: str) -> None:
        if widget.value != value:  # no message to the page when nothing changed
            widget.value = value

    # ------------------------------------------------------------------ text
    @staticmethod
    def _status_text(room: Room) -> str:
        return " · ".join(
            [
                _plural(len(room.learners), "learner", "learners"),
                _plural(len(room.skipped), "file skipped", "files skipped"),
            ]
        )

    def _status_html(self, room: Room) -> str:
        if not room.folder.is_dir():
            return live_region(
                f"The folder {room.folder} does not exist. Create it, or type another "
                "folder above.",
                "warning",
            )
        return live_region(self._status_text(room))

    @staticmethod
    def _clock_html(when: datetime | None = None) -> str:
        stamp = (when or datetime.now()).astimezone().strftime("%H:%M:%S")
        return str(Markup('<span class="pl-board-clock-text"> · last scan {}</span>').format(stamp))

    @staticmethod
    def _summary_html(room: Room) -> str:
        names = sorted(
            (learner.display_name or f"(no name, {learner.learner_id[:6]})")
            for learner in room.learners
        )
        return str(
            render(
                "board_summary.html.j2",
                names=names,
                skipped=[(s.name, s.reason.removeprefix(f"{s.name}: ")) for s in room.skipped],
                skipped_count=_plural(len(room.skipped), "file", "files"),
                superseded=_plural(len(room.superseded), "older file", "older files")
                if room.superseded
                else "",
            )
        )

    # ------------------------------------------------------------------ actions
    def _folder_changed(self, change: dict[str, Any]) -> None:
        text = str(change["new"]).strip()
        if not text:
            self._announce("Type the folder that holds the share files.", "warning")
            return
        with self._lock:
            self.folder = Path(text).expanduser()
            self._scanner = self._scanner_factory(self.folder)
            self._room_fingerprint = None
        self.scan()

    def export(self) -> Path | None:
        """Write the room report (see :func:`partnership_lib.facilitator.report.export_room_report`)."""
        with self._lock:
            room = self.room
        if room is None:
            self._announce("Scan the folder first.", "warning")
            return None
        try:
            path = report.export_room_report(room)
        except Exception as exc:
            self._announce(f"The room report could not be written: {exc}", "error")
            return None
        self._announce(f"Room report written to {path}", "saved")
        return path

    def load_demo(self) -> Path | None:
        """Write a rehearsal room into ``<folder>/demo`` and show it."""
        target = self.folder / "demo"
        try:
            demo.write_demo_room(target, DEMO_LEARNERS)
        except Exception as exc:
            self._announce(f"The demo room could not be written: {exc}", "error")
            return None
        self._announce(
            f"{DEMO_LEARNERS} fictional learners' share files are in {target}. To go back to "
            "the real room, type its folder above.",
            "info",
        )
        if self.folder_text.value != str(target):
            self.folder_text.value = str(target)  # re-scans
        else:
            self.scan()
        return target

    # ------------------------------------------------------------------ live loop
    def _interval(self) -> float:
        try:
            value = float(self.interval_input.value)
        except Exception:
            value = MAX_INTERVAL
        return min(max(value, 0.05), MAX_INTERVAL)

    def _live_changed(self, change: dict[str, Any]) -> None:
        self.set_live(bool(change["new"]))

    def _interval_changed(self, _change: dict[str, Any]) -> None:
        with self._cond:
            self._cond.notify_all()  # the loop recomputes its next wake-up

    def _widget_closed(self, change: dict[str, Any]) -> None:
        if change["new"] is None:
            self.stop()

    @property
    def live(self) -> bool:
        """True while live mode is on."""
        return self._live

    @property
    def loop_running(self) -> bool:
        """True while a live thread exists."""
        with self._cond:
            return self._thread is not None and self._thread.is_alive()

    def set_live(self, on: bool) -> None:
        """Start or stop re-scanning in the background (the "Live" toggle calls this)."""
        with self._cond:
            if self._closed:
                on = False
            self._live = on
            if on and self._thread is None:
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
            self._cond.notify_all()
        self.live_toggle.icon = "pause" if on else "play"
        self.live_toggle.button_style = "success" if on else ""
        if self.live_toggle.value != on:
            self.live_toggle.value = on

    def stop(self) -> None:
        """Stop the live loop for good (the board's widget was closed)."""
        with self._cond:
            self._closed = True
            self._live = False
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the live loop and close every widget of the board."""
        self.stop()
        stack = [self.widget]
        while stack:
            w = stack.pop()
            stack.extend(getattr(w, "children", ()))
            w.close()

    def _keep_going(self) -> bool:
        return self._live and not self._closed and self.widget.comm is not None

    def _run(self) -> None:
        me = threading.current_thread()
        try:
            while True:
                with self._cond:
                    if not self._keep_going():
                        return
                    self._wake = False
                self.scan()  # never raises
                last = time.monotonic()
                with self._cond:
                    while self._keep_going() and not self._wake:
                        remaining = last + self._interval() - time.monotonic()
                        if remaining <= 0:
                            break
                        self._cond.wait(remaining)
        except BaseException as exc:  # nothing may escape onto the facilitator's screen
            self.warnings.append(f"live loop stopped: {exc!r}")
        finally:
            with self._cond:
                if self._thread is me:
                    self._thread = None


def facilitator_board(
    folder: str | Path | None = None,
    *,
    interval: float = 5.0,
    live: bool = False,
    scanner_factory: Callable[[Path], RoomScanner] = RoomScanner,
) -> widgets.VBox:
    """Build the facilitator's board of the room's share files.

    Parameters
    ----------
    folder
        Folder of share files; by default ``$PARTNERSHIP_ROOM_DIR``, else ``room/`` in
        the data folder (created when missing). The facilitator can type another.
    interval
        Seconds between scans in live mode (the facilitator can choose 1 to 60).
    live
        Start in live mode.
    scanner_factory
        Makes the scanner for a folder (tests pass a failing or counting one).

    Returns
    -------
    ipywidgets.VBox
        With class ``pl-facilitator-board``; its ``board`` attribute is the
        :class:`FacilitatorBoard` (its widgets, ``room``, ``scan()``, ``set_live()``,
        ``close()``). It scans once before it is returned.
    """
    return FacilitatorBoard(
        folder, interval=interval, live=live, scanner_factory=scanner_factory
    ).widget
