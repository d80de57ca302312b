"""The facilitator's live group board: the room's share files, collated and shown back.

:func:`facilitator_board` builds one widget for ``notebooks/facilitator.ipynb``: a folder
of learners' share files (see :mod:`partnership_lib.facilitator.room`), a status line, the files that
were skipped and why, and one section per room view (chart, table, text). "Scan now"
reads the folder once; "Live" re-reads it every few seconds.

What the board may show
-----------------------
Nothing about the room's answers shows until the anonymity threshold is met (the
"Anonymity threshold" box, ``k`` learners, 3 to 40, default 5): the privacy line says how
many more learners are needed, and every view goes through
:func:`~partnership_lib.facilitator.views.shown_table`. Free text shows only once the
facilitator approved it on the moderation screen (:func:`moderation_panel`, in
``notebooks/facilitator_moderation.ipynb``, not projected); the board reads the
decisions in ``<folder>/.moderation.json`` again on every scan, so an approval appears,
and a hidden item goes, at the next scan. The session code box (a new code by default,
kept in ``<folder>/.session.json``) chooses which share files count; "How to join"
projects the code, the address and a QR code of it.

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

import contextlib
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
from partnership_lib.facilitator import demo, joining, report, views
from partnership_lib.facilitator.moderation import APPROVED, HIDDEN, PENDING, Item, Moderation
from partnership_lib.facilitator.privacy import DEFAULT_K, MAX_K, MIN_K, Threshold
from partnership_lib.facilitator.room import Room, RoomScanner
from partnership_lib.widgets.base import live_region
from partnership_lib.widgets.page import page_style
from partnership_lib.widgets.projector import projector_toggle

__all__ = [
    "ROOM_DIR_ENV",
    "THREAD_NAME",
    "FacilitatorBoard",
    "ModerationPanel",
    "default_room_folder",
    "facilitator_board",
    "moderation_panel",
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
        k: int = DEFAULT_K,
        session_code: str | None = None,
    ) -> None:
        self._scanner_factory = scanner_factory
        self.threshold = Threshold(k)
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
        self.session_code = joining.session_code_for(self.folder, session_code)
        self.moderation = Moderation(self.folder)
        self._scanner = self._new_scanner(self.folder)
        self._build(interval)
        if problem:
            self._announce(problem, "error")
        self.scan()
        if live:
            self.live_toggle.value = True

    def _new_scanner(self, folder: Path) -> RoomScanner:
        scanner = self._scanner_factory(folder)
        scanner.session_code = self.session_code  # a factory need not know the code
        return scanner

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
        self.k_input = widgets.BoundedIntText(
            value=self.threshold.k,
            min=MIN_K,
            max=MAX_K,
            step=1,
            description="Anonymity threshold (learners)",
            tooltip="Nothing about the answers is shown until this many learners are in",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", min_width="18em"),
        )
        self.session_text = widgets.Text(
            value=self.session_code or "",
            description="Session code",
            placeholder="empty: every session",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", min_width="16em"),
        )
        self.new_code_button = widgets.Button(
            description="New code",
            icon="random",
            tooltip="Start a new session with a new code (files sent with the old one are skipped)",
            layout=wide,
        )
        self.join_toggle = widgets.ToggleButton(
            value=True,
            description="How to join",
            icon="qrcode",
            tooltip="Show or hide the session code, the address and its QR code",
            layout=wide,
        )
        self.join_html = widgets.HTML(self._join_html(), layout=widgets.Layout(width="100%"))
        self.join_html.add_class("pl-board-join-panel")
        self.privacy = widgets.HTML("")
        self.privacy.add_class("pl-board-privacy-line")
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
        session = [self.session_text, self.new_code_button, self.join_toggle, self.k_input]
        actions = [self.export_button, self.demo_button, projector_toggle()]

        self.widget = widgets.VBox(
            [
                page_style(),  # the focus ring and reduced motion of the session notebooks
                self.folder_text,
                widgets.HBox(session, layout=widgets.Layout(flex_flow="row wrap")),
                self.join_html,
                widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(actions, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(
                    [self.status, self.clock],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.notice,
                self.privacy,
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
        self.k_input.observe(self._k_changed, names="value")
        self.session_text.observe(self._session_changed, names="value")
        self.new_code_button.on_click(lambda _b: self.new_session())
        self.join_toggle.observe(self._show_join, names="value")
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
        self.moderation.reload()  # the moderation screen may have decided since
        self._set(self.status, self._status_html(room))
        self.clock.value = self._clock_html(room.scanned_at)
        self._set(self.summary, self._summary_html(room))
        self._set(self.privacy, self._privacy_html(room))
        style_name = style.current_theme().name
        fingerprint = (
            style_name,
            self.threshold.k,
            tuple(sorted(self.moderation.decisions.items())),
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
        table = views.shown_table(
            room, view.key, threshold=self.threshold, moderation=self.moderation
        )
        if (
            previous is not None
            and previous.style_name == style_name
            and _same_table(previous.table, table)
        ):
            return
        output = views.render_view(
            room,
            view.key,
            style_name=style_name,
            threshold=self.threshold,
            moderation=self.moderation,
        )
        self.renders += 1
        self._set(self.view_html[view.key], output.html)
        self._views[view.key] = _ViewState(table, style_name)

    def moderation_items(self) -> list[Item]:
        """The free text of the room last scanned, as the moderation screen lists it."""
        with self._lock:
            room = self.room
        return [] if room is None else views.free_text_items(room)

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

    def _privacy_html(self, room: Room) -> str:
        words = views.room_text("privacy")
        k = self.threshold.k
        more = ""
        if not self.threshold.met(len(room)):
            more = words["room_withheld"].format(more=self.threshold.needed(len(room)), k=k)
        # Below the threshold not even how much free text there is is shown.
        pending = len(self.moderation.pending(views.free_text_items(room))) if not more else 0
        waiting = ""
        if pending:
            waiting = words["waiting"].format(items=_plural(pending, "item", "items"))
            waiting += " Approve them on the moderation screen to show them here."
        return str(
            render(
                "board_privacy.html.j2",
                more=more,
                k=k,
                waiting=waiting,
                problem=self.moderation.problem or "",
            )
        )

    def _join_html(self) -> str:
        code = self.session_code or ""
        address = joining.join_address()
        qr = ""
        if address:
            svg = joining.qr_svg(address, title=f"QR code of {address}")
            qr = Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # its <title> names it
        return str(
            render(
                "board_join.html.j2",
                code=code,
                spoken=joining.spoken_code(code),
                letters=" ".join(code),
                address=address,
                notebook=joining.SEND_NOTEBOOK,
                qr=qr,
            )
        )

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
            found, code = joining.read_session_code(self.folder)
            self.session_code = (
                code if found else joining.session_code_for(self.folder, self.session_code or "")
            )
            self.moderation = Moderation(self.folder)
            self._scanner = self._new_scanner(self.folder)
            self._room_fingerprint = None
        self._show_session()
        self.scan()

    def _show_session(self) -> None:
        if self.session_text.value != (self.session_code or ""):
            self._quiet_code = True
            try:
                self.session_text.value = self.session_code or ""
            finally:
                self._quiet_code = False
        self._set(self.join_html, self._join_html())

    _quiet_code = False

    def set_session_code(self, code: str | None) -> str | None:
        """Use ``code`` for this room (``None`` or ``""``: every session); keep it in the
        folder; re-scan. Raises ``ValueError`` for a code that is not 4 to 12 letters
        and digits."""
        with self._lock:
            self.session_code = joining.session_code_for(self.folder, code or "")
            self._scanner.session_code = self.session_code
            self._room_fingerprint = None
        self._show_session()
        self.scan()
        return self.session_code

    def new_session(self) -> str | None:
        """Start a new session with a new code (the "New code" button)."""
        return self.set_session_code(joining.new_session_code())

    def _session_changed(self, change: dict[str, Any]) -> None:
        if self._quiet_code:
            return
        try:
            self.set_session_code(str(change["new"]))
        except ValueError as exc:
            self._announce(f"That session code cannot be used: {exc}", "error")
            self._show_session()  # back to the code in use
            return
        if self.session_code:
            self._announce(f"Session code {self.session_code}: only its share files count.")
        else:
            self._announce("No session code: share files from every session count.", "warning")

    def set_threshold(self, k: int) -> None:
        """Use an anonymity threshold of ``k`` learners (3 to 40) and re-scan."""
        with self._lock:
            self.threshold = Threshold(int(k))
            self._room_fingerprint = None
        if self.k_input.value != self.threshold.k:
            self.k_input.value = self.threshold.k
        self.scan()

    def _k_changed(self, change: dict[str, Any]) -> None:
        try:
            self.set_threshold(int(change["new"]))
        except ValueError as exc:
            self._announce(str(exc), "error")

    def _show_join(self, change: dict[str, Any]) -> None:
        self.join_html.layout.display = None if change["new"] else "none"

    def export(self) -> Path | None:
        """Write the room report (see :func:`partnership_lib.facilitator.report.export_room_report`)."""
        with self._lock:
            room = self.room
        if room is None:
            self._announce("Scan the folder first.", "warning")
            return None
        try:
            path = report.export_room_report(
                room, threshold=self.threshold, moderation=self.moderation
            )
        except Exception as exc:
            self._announce(f"The room report could not be written: {exc}", "error")
            return None
        self._announce(f"Room report written to {path}", "saved")
        return path

    def load_demo(self) -> Path | None:
        """Write a rehearsal room into ``<folder>/demo`` and show it."""
        target = self.folder / "demo"
        try:
            demo.write_demo_room(
                target, DEMO_LEARNERS, session_code=self.session_code, approve=True
            )
        except Exception as exc:
            self._announce(f"The demo room could not be written: {exc}", "error")
            return None
        self._announce(
            f"{DEMO_LEARNERS} fictional learners' share files are in {target}. To go back to "
            "the real room, type its folder above.",
            "info",
        )
        if target.is_dir():
            with contextlib.suppress(OSError):
                joining.save_session_code(target, self.session_code)
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
    k: int = DEFAULT_K,
    session_code: str | None = None,
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
        Makes the scanner for a folder (tests pass a failing or counting one); the board
        sets its ``session_code``.
    k
        The anonymity threshold: nothing about the answers shows until ``k`` learners
        (3 to 40) are in, and have answered each view's activity. The facilitator can change it.
    session_code
        Take only share files sent with this code (``""``: every file). By default the
        code kept in the folder's ``.session.json``, else ``$PARTNERSHIP_SESSION_CODE``,
        else a new one; it is kept in the folder.

    Returns
    -------
    ipywidgets.VBox
        With class ``pl-facilitator-board``; its ``board`` attribute is the
        :class:`FacilitatorBoard` (its widgets, ``room``, ``scan()``, ``set_live()``,
        ``close()``). It scans once before it is returned.
    """
    return FacilitatorBoard(
        folder,
        interval=interval,
        live=live,
        scanner_factory=scanner_factory,
        k=k,
        session_code=session_code,
    ).widget


# =========================================================================== moderation screen

_STATUS_LABELS = {PENDING: "waiting", APPROVED: "approved: shown on the board", HIDDEN: "hidden"}


class ModerationPanel:
    """The facilitator's own moderation screen (never projected): see :func:`moderation_panel`.

    Attributes
    ----------
    widget
        The ``VBox`` to display; ``widget.panel`` points back here.
    items
        The room's free text at the last refresh (:func:`~.views.free_text_items`).
    rows
        One ``(item, approve button, hide button, HTML)`` per item, pending first.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_room_folder()
        self.moderation = Moderation(self.folder)
        self.items: list[Item] = []
        self.rows: list[tuple[Item, widgets.Button, widgets.Button, widgets.HTML]] = []
        self.intro = widgets.HTML(
            str(
                Markup(
                    "<p>Learners' free text waits here until you approve it: only approved "
                    "items appear on the projected board. Keep this screen off the "
                    "projector. Contact details are already replaced; check the possible "
                    "names flagged before you approve. Room folder: <code>{}</code></p>"
                ).format(self.folder)
            )
        )
        self.refresh_button = widgets.Button(
            description="Refresh", icon="refresh", tooltip="Read the room's share files again"
        )
        self.approve_all_button = widgets.Button(
            description="Approve all waiting",
            icon="check",
            tooltip="Approve every item still waiting (hidden items stay hidden)",
            layout=widgets.Layout(width="auto"),
        )
        self.status = widgets.HTML(live_region())
        self.list = widgets.VBox([])
        self.widget = widgets.VBox(
            [
                page_style(),
                self.intro,
                widgets.HBox(
                    [self.refresh_button, self.approve_all_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.status,
                self.list,
            ]
        )
        self.widget.add_class("pl-moderation-panel")
        self.widget.panel = self
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.approve_all_button.on_click(lambda _b: self.approve_all())
        self.refresh()

    def refresh(self) -> list[Item]:
        """Read the room again (with its session code) and list every item."""
        self.moderation.reload()
        _found, code = joining.read_session_code(self.folder)
        room = RoomScanner(self.folder, session_code=code).scan()
        self.items = views.free_text_items(room)
        order = {PENDING: 0, APPROVED: 1, HIDDEN: 2}
        ordered = sorted(self.items, key=lambda i: order[self.moderation.status(i)])
        for row in self.list.children:  # each refresh lists afresh: close the old rows
            for w in row.children:
                w.close()
            row.close()
        self.rows = [self._row(item) for item in ordered]
        self.list.children = [
            widgets.HBox(
                [html, approve, hide],
                layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
            )
            for item, approve, hide, html in self.rows
        ]
        counts = {s: 0 for s in order}
        for item in self.items:
            counts[self.moderation.status(item)] += 1
        if self.moderation.problem:
            self.status.value = live_region(self.moderation.problem, "warning")
        elif not self.items:
            self.status.value = live_region("No free text from the room yet.")
        else:
            self.status.value = live_region(
                f"{counts[PENDING]} waiting · {counts[APPROVED]} approved · {counts[HIDDEN]} hidden"
            )
        return self.items

    def _row(self, item: Item) -> tuple[Item, widgets.Button, widgets.Button, widgets.HTML]:
        status = self.moderation.status(item)
        html = widgets.HTML(
            str(
                render(
                    "moderation_item.html.j2",
                    text=item.text,
                    group=item.group,
                    count=_plural(item.count, "learner", "learners"),
                    status=status,
                    status_label=_STATUS_LABELS[status],
                    flags=item.flags,
                )
            ),
            layout=widgets.Layout(flex="1 1 24em"),
        )
        approve = widgets.Button(
            description="Approve",
            icon="check",
            button_style="success" if status == APPROVED else "",
            disabled=status == APPROVED,
            tooltip=f"Show on the board: {item.text[:60]}",
        )
        hide = widgets.Button(
            description="Hide",
            icon="eye-slash",
            button_style="danger" if status == HIDDEN else "",
            disabled=status == HIDDEN,
            tooltip=f"Keep off the board: {item.text[:60]}",
        )
        approve.on_click(lambda _b: self.decide(item, APPROVED))
        hide.on_click(lambda _b: self.decide(item, HIDDEN))
        return item, approve, hide, html

    def decide(self, item: Item, status: str) -> None:
        """Approve or hide one item (kept in ``.moderation.json`` at once) and list again."""
        try:
            self.moderation.decide([item], status)
        except OSError as exc:
            self.status.value = live_region(f"The decision could not be saved: {exc}", "error")
            return
        self.refresh()

    def approve_all(self) -> int:
        """Approve every item still waiting; return how many."""
        try:
            changed = self.moderation.approve_all(self.items)
        except OSError as exc:
            self.status.value = live_region(f"The decisions could not be saved: {exc}", "error")
            return 0
        self.refresh()
        return changed


def moderation_panel(folder: str | Path | None = None) -> widgets.VBox:
    """Build the facilitator's moderation screen for the room in ``folder``.

    Lists the room's free text (scrubbed of contact details, possible names flagged),
    waiting items first, each with Approve and Hide, and "Approve all waiting". Decisions
    are kept in ``folder/.moderation.json``; the board reads them on every scan. For the
    facilitator's own screen (``notebooks/facilitator_moderation.ipynb``), never the
    projector.

    Parameters
    ----------
    folder
        The room's share-file folder; by default the board's (``$PARTNERSHIP_ROOM_DIR``,
        else ``room/`` in the data folder).

    Returns
    -------
    ipywidgets.VBox
        With class ``pl-moderation-panel``; its ``panel`` attribute is the
        :class:`ModerationPanel`.
    """
    return ModerationPanel(folder).widget
