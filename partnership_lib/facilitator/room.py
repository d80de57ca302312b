"""The facilitator's room: collect the learners' share files and show the room's answers.

A facilitator gathers the share files learners write with
:func:`partnership_lib.documents.share.export_share_file` into one folder (a shared folder on
JupyterHub or a network drive, or files copied from USB or e-mail).
:class:`RoomScanner` reads that folder cheaply and often: a file is read again only
when it changed, a bad or half-written file is listed with its reason and retried
later, and each learner counts once, with their newest file. :func:`scan_room` does a
single scan.

The room's answers are shown as seven views (:data:`ROOM_VIEWS`), each a table, an
Axes-first chart and a text description: the combined power-interest grid, the skills
heatmap, the opportunities and challenges, the lifecycle stage votes, the Mobius
quality profile, the self-assessment spread and the post-it wall.
:func:`render_view` turns one view into a PNG with its text alternative and HTML;
:func:`room_report_html` and :func:`export_room_report` put the whole room in one
self-contained, printable HTML document. :func:`write_demo_room` writes a rehearsal
room of fictional learners. Titles, introductions and labels live in ``data/room.yaml``.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from partnership_lib.documents.room_drop import identify_owner, user_from_file_name
from partnership_lib.documents.share import ShareFile, ShareFileError, load_share_file

if TYPE_CHECKING:
    pass

__all__ = [
    "Room",
    "RoomScanner",
    "Skipped",
    "scan_room",
]

#: A file that failed to parse is read again on every scan while it is younger than this
#: (seconds): a rename can keep the modification time, so size and time may not change.
RETRY_YOUNGER_THAN = 10.0


# =========================================================================== the room


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be used: its name (never the full path) and why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Room:
    """One scan of the room's folder.

    ``learners`` holds the newest share file of each learner (by ``exported_at``, then
    the file's modification time), ordered by display name; ``skipped`` the files that
    could not be used (sorted by name); ``superseded`` the names of older files from a
    learner who has a newer one. ``len(room)`` is the number of learners.
    """

    folder: Path
    learners: tuple[ShareFile, ...]
    skipped: tuple[Skipped, ...]
    superseded: tuple[str, ...]
    scanned_at: datetime

    def __len__(self) -> int:
        return len(self.learners)


@dataclass(frozen=True, slots=True)
class _Seen:
    """What the scanner remembers about one file."""

    stamp: tuple[int, int, int]  # size, mtime_ns, inode
    result: ShareFile | Skipped


def _reason(name: str, exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.startswith(f"{name}:") else f"{name}: {text}"


class RoomScanner:
    """Re-scans a folder cheaply.

    A file is read again only when its size, modification time or inode changed (a
    share file is written to a temporary name and renamed, so a rewrite is a new
    inode). A file that fails to parse may be half-written: it is read again when it
    changes, and on every scan while it is younger than :data:`RETRY_YOUNGER_THAN`
    seconds. Files that disappear are forgotten. Holds no figures.

    Parameters
    ----------
    folder
        The folder learners' share files are collected in.
    pattern
        Which file names count (``fnmatch`` style); hidden files are never read.
    session_code
        The workshop session's code: files sent with another code, or none, are listed
        as skipped ("from another session"). ``None`` takes every file. It may be changed
        between scans (the files are not read again for it).
    by_owner
        Know each learner by the account that owns their file (on JupyterHub, where
        learners send into a shared room folder), not by the id or name inside it, so
        nobody can pass their answers off as someone else's; a file named for another
        account than its owner is left out. Default: on when running on JupyterHub.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        pattern: str = "*.json",
        session_code: str | None = None,
        by_owner: bool | None = None,
    ) -> None:
        self.folder = Path(folder).expanduser()
        self.pattern = pattern
        self.session_code = session_code
        self.by_owner = bool(os.environ.get("JUPYTERHUB_USER")) if by_owner is None else by_owner
        self._seen: dict[str, _Seen] = {}
        #: How many files the last scan actually read (the rest came from the cache).
        self.last_reads = 0

    def _entries(self) -> Iterator[os.DirEntry[str]]:
        with os.scandir(self.folder) as it:
            for entry in it:
                if not entry.name.startswith(".") and fnmatch.fnmatch(entry.name, self.pattern):
                    yield entry

    def _read(self, path: Path) -> ShareFile | Skipped:
        try:
            shared = load_share_file(path)
            if not self.by_owner:
                return shared
            owner = identify_owner(path)
            claimed = user_from_file_name(path.name)
            if claimed is not None and owner and claimed != owner:
                return Skipped(
                    path.name,
                    f"{path.name}: written by {owner} but named for {claimed}, so it was left out",
                )
            return replace(shared, owner=owner)
        except ShareFileError as exc:
            return Skipped(path.name, str(exc))
        except Exception as exc:  # a bad file must never stop the rest of the room
            return Skipped(path.name, _reason(path.name, exc))

    def scan(self) -> Room:
        """Read the folder and return the room; never raises for a bad file.

        A missing folder gives a room with no learners and one :class:`Skipped` entry
        naming the folder.
        """
        now = datetime.now(UTC)
        self.last_reads = 0
        if not self.folder.is_dir():
            self._seen.clear()
            problem = "does not exist" if not self.folder.exists() else "is not a folder"
            skipped = (
                Skipped(self.folder.name or str(self.folder), f"folder {self.folder} {problem}"),
            )
            return Room(self.folder, (), skipped, (), now)
        try:
            entries = list(self._entries())
        except OSError as exc:
            self._seen.clear()
            reason = f"folder {self.folder} cannot be read ({exc.strerror or exc})"
            return Room(self.folder, (), (Skipped(self.folder.name, reason),), (), now)
        fresh: dict[str, _Seen] = {}
        mtimes: dict[str, int] = {}
        wall_ns = time.time_ns()
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # gone between listing and looking: it is simply not there
            if not entry.is_file(follow_symlinks=False):
                # A link could point at another learner's file (or anything else).
                kind = "a link, not a file" if entry.is_symlink() else "not a file"
                fresh[entry.name] = _Seen(
                    (0, 0, 0), Skipped(entry.name, f"{entry.name}: is {kind}")
                )
                continue
            stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
            mtimes[entry.name] = st.st_mtime_ns
            old = self._seen.get(entry.name)
            young = wall_ns - st.st_mtime_ns < RETRY_YOUNGER_THAN * 1e9
            if (
                old is not None
                and old.stamp == stamp
                and not (isinstance(old.result, Skipped) and young)
            ):
                fresh[entry.name] = old
                continue
            self.last_reads += 1
            fresh[entry.name] = _Seen(stamp, self._read(Path(entry.path)))
        self._seen = fresh
        return _collate(self.folder, fresh, mtimes, now, self.session_code)


def _another_session(name: str, shared: ShareFile, code: str) -> Skipped:
    if shared.session_code is None:
        why = "it was sent without a session code"
    else:
        why = f"it was sent for session {shared.session_code}"
    return Skipped(name, f"{name}: from another session ({why}; this session is {code})")


def _collate(
    folder: Path,
    seen: Mapping[str, _Seen],
    mtimes: Mapping[str, int],
    now: datetime,
    session_code: str | None = None,
) -> Room:
    results: dict[str, ShareFile | Skipped] = {}
    for name, s in seen.items():
        result = s.result
        if (
            session_code is not None
            and isinstance(result, ShareFile)
            and result.session_code != session_code
        ):
            result = _another_session(name, result, session_code)
        results[name] = result
    skipped = sorted((r for r in results.values() if isinstance(r, Skipped)), key=lambda s: s.name)
    by_learner: dict[str, list[tuple[tuple[datetime, int, str], ShareFile]]] = {}
    for name, result in results.items():
        if isinstance(result, ShareFile):
            order = (result.exported_at, mtimes.get(name, 0), name)
            who = f"owner:{result.owner}" if result.owner else result.learner_id
            by_learner.setdefault(who, []).append((order, result))
    learners = []
    superseded = []
    for files in by_learner.values():
        files.sort(key=lambda pair: pair[0])
        learners.append(files[-1][1])
        superseded += [order[2] for order, _ in files[:-1]]
    learners.sort(key=lambda f: (f.label.casefold(), f.learner_id))
    return Room(folder, tuple(learners), tuple(skipped), tuple(sorted(superseded)), now)


def scan_room(
    folder: str | Path, *, session_code: str | None = None, by_owner: bool | None = None
) -> Room:
    """Scan ``folder`` once: ``RoomScanner(folder, ...).scan()``."""
    return RoomScanner(folder, session_code=session_code, by_owner=by_owner).scan()


# =========================================================================== demo room


# =========================================================================== view helpers


# =========================================================================== grid view


# =========================================================================== skills view


# =========================================================================== opportunities view


# =========================================================================== lifecycle view


# =========================================================================== Mobius view


# =========================================================================== assessment view


# =========================================================================== wall view


# =========================================================================== the views


# =========================================================================== summary and report
