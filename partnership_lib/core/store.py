"""The learner's answer store: every answer, with its full history, in one SQLite file.

The store does I/O only (no widgets, no plotting). It is built so that an answer, once
acknowledged, is never lost: closing the laptop lid, restarting the kernel, a power cut or a
killed process leave every acknowledged save on disk.

- One database per learner, ``answers.sqlite3``, in the learner's data folder (see
  :func:`data_dir`), never inside the project's source tree.
- WAL journal with ``synchronous=FULL``: a save is acknowledged only once it is on disk.
- Every save is one ``BEGIN IMMEDIATE`` transaction and waits (busy timeout) for other
  kernels writing the same file, so two kernels saving at once never lose an update.
- Every change is kept as a revision ('save', 'reset', 'restore' or 'import'), so a reset
  can be undone.
- A damaged file is moved aside (never deleted) and a fresh one started; a folder that
  cannot be written falls back to an in-memory store. Both are explained in
  :attr:`AnswerStore.status`.

Examples
--------
>>> with AnswerStore(tmp / "answers.sqlite3") as store:  # doctest: +SKIP
...     store.save("01_partnerships/purpose/why", "Shared outcomes")
...     store.get(("01_partnerships", "purpose", "why"))
'Shared outcomes'
"""

from __future__ import annotations

import atexit
import json
import math
import os
import random
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

import platformdirs

__all__ = [
    "ACTIONS",
    "APP_NAME",
    "BUSY_TIMEOUT_SECONDS",
    "DATA_DIR_ENV",
    "DB_FILENAME",
    "META_FIELD",
    "SCHEMA_VERSION",
    "STATUS_FIELD",
    "AnswerKey",
    "AnswerStore",
    "DataFolderError",
    "KeyLike",
    "Revision",
    "StoreError",
    "StoreStatus",
    "UnknownRevisionError",
    "close_default_stores",
    "data_dir",
    "default_store",
    "project_root",
]

APP_NAME: Final = "collaborative-working"
DATA_DIR_ENV: Final = "PARTNERSHIP_DATA_DIR"
DB_FILENAME: Final = "answers.sqlite3"
SCHEMA_VERSION: Final = 2
BUSY_TIMEOUT_SECONDS: Final = 10.0
ACTIONS: Final = ("save", "reset", "restore", "import")
#: Field every exercise uses to record "started" / "complete" for progress views.
STATUS_FIELD: Final = "_status"
#: Field holding {"kind": ..., "title": ...} so exports can show an exercise without its widget.
META_FIELD: Final = "_meta"

Action = Literal["save", "reset", "restore", "import"]

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_AUTH, _SQLITE_NOTADB = 13, 14, 23, 26
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_BUSY_CODES = frozenset({_SQLITE_BUSY, _SQLITE_LOCKED})
_DAMAGED_CODES = frozenset({_SQLITE_CORRUPT, _SQLITE_NOTADB})
_UNWRITABLE_CODES = frozenset(
    {_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_AUTH}
)


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """The answer store could not do what was asked (file busy, disk full, newer schema, ...)."""


class DataFolderError(StoreError, ValueError):
    """The data folder cannot be used, for example because it lies inside the project."""


class UnknownRevisionError(StoreError, LookupError):
    """A revision number that does not exist in a key's history was asked for."""


class _DamagedFile(Exception):
    """Internal: the database file is not a readable SQLite database."""


# --------------------------------------------------------------------------- where


def project_root() -> Path | None:
    """Return the project's source folder, or None when the library is installed normally.

    The source folder is the one holding ``pyproject.toml`` next to ``partnership_lib``; it
    exists only for a source checkout (an editable install).

    Returns
    -------
    Path or None
        The resolved source folder, or None when there is no ``pyproject.toml`` beside the
        package.
    """
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


def _check_outside_project(folder: Path) -> None:
    root = project_root()
    if root is not None and folder.resolve().is_relative_to(root):
        raise DataFolderError(
            f"The answers folder {folder} is inside the project's source folder {root}. "
            "Learners' answers must not be kept there: they could be committed to git or "
            f"overwritten by an update. Set {DATA_DIR_ENV} to a folder outside {root}, "
            "or unset it to use your personal data folder."
        )


def resolve_folder(folder: str | os.PathLike[str] | None) -> Path:
    if folder is None:
        return data_dir()
    path = Path(folder).expanduser().resolve()
    _check_outside_project(path)
    return path


def data_dir() -> Path:
    """Return the learner's data folder, where ``answers.sqlite3`` lives.

    This is ``$PARTNERSHIP_DATA_DIR`` when set (and not empty), otherwise the platform's
    user data folder for ``collaborative-working`` (for example
    ``~/.local/share/collaborative-working`` on Linux). The folder is not created here.

    Returns
    -------
    Path
        The absolute, resolved folder.

    Raises
    ------
    DataFolderError
        If the folder lies inside the project's source tree (see :func:`project_root`).
    """
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    if configured:
        folder = Path(configured).expanduser()
    else:
        folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder = folder.resolve()
    _check_outside_project(folder)
    return folder


# --------------------------------------------------------------------------- models


def check_part(name: str, part: object) -> None:
    if not isinstance(part, str):
        raise TypeError(f"answer key {name} must be text, got {type(part).__name__} {part!r}")
    if not part.strip():
        raise ValueError(f"answer key {name} must not be empty, got {part!r}")
    if part != part.strip():
        raise ValueError(f"answer key {name} must not start or end with spaces, got {part!r}")
    if "/" in part:
        raise ValueError(f"answer key {name} must not contain '/', got {part!r}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in part):
        raise ValueError(f"answer key {name} must not contain control characters, got {part!r}")


@dataclass(frozen=True, slots=True, order=True)
class AnswerKey:
    """Where an answer belongs: ``notebook/exercise/field``.

    Parameters
    ----------
    notebook, exercise, field : str
        Non-empty text without ``/``, control characters or surrounding spaces.

    Examples
    --------
    >>> key = AnswerKey.parse("01_partnerships/purpose/why")
    >>> key.exercise, str(key)
    ('purpose', '01_partnerships/purpose/why')
    """

    notebook: str
    exercise: str
    field: str

    def __post_init__(self) -> None:
        check_part("notebook", self.notebook)
        check_part("exercise", self.exercise)
        check_part("field", self.field)

    def __str__(self) -> str:
        return f"{self.notebook}/{self.exercise}/{self.field}"

    @classmethod
    def parse(cls, text: str) -> AnswerKey:
        """Parse ``"notebook/exercise/field"`` into an AnswerKey.

        Raises
        ------
        ValueError
            If the text does not have exactly three valid parts.
        """
        if not isinstance(text, str):
            raise TypeError(f"answer key must be text, got {type(text).__name__} {text!r}")
        parts = text.split("/")
        if len(parts) != 3:
            raise ValueError(
                f"answer key {text!r} must have three parts, 'notebook/exercise/field'; "
                f"it has {len(parts)}"
            )
        return cls(*parts)

    @classmethod
    def coerce(cls, key: KeyLike) -> AnswerKey:
        """Return ``key`` as an AnswerKey: accepts an AnswerKey, a 3-tuple or a string."""
        if isinstance(key, AnswerKey):
            return key
        if isinstance(key, str):
            return cls.parse(key)
        if isinstance(key, tuple):
            if len(key) != 3:
                raise ValueError(
                    f"answer key {key!r} must have three parts (notebook, exercise, field); "
                    f"it has {len(key)}"
                )
            return cls(*key)
        raise TypeError(
            "answer key must be an AnswerKey, a (notebook, exercise, field) tuple or a "
            f"'notebook/exercise/field' string, got {type(key).__name__} {key!r}"
        )


KeyLike = AnswerKey | tuple[str, str, str] | str


@dataclass(frozen=True, slots=True)
class Revision:
    """One entry in an answer's history.

    Attributes
    ----------
    key : AnswerKey
    revision : int
        Revision number, counted per key from 1.
    saved_at : datetime
        When it was recorded (timezone-aware, UTC).
    action : {'save', 'reset', 'restore', 'import'}
    value : Any
        The answer after this revision. None after a reset (the answer is cleared).
    """

    key: AnswerKey
    revision: int
    saved_at: datetime
    action: Action
    value: Any


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """Where answers are being kept, and anything the learner needs to be told about it.

    Attributes
    ----------
    mode : {'disk', 'memory'}
        'memory' means answers will be lost when the kernel stops unless exported.
    path : Path or None
        The answers file on disk, or None when answers are kept only in memory.
    message : str
        A plain-English sentence or two for the learner.
    moved_aside : Path or None
        Where a damaged answers file was moved to at start-up, if that happened.
    """

    mode: Literal["disk", "memory"]
    path: Path | None
    message: str
    moved_aside: Path | None = None

    @property
    def ok(self) -> bool:
        """True when answers are saved to disk and nothing happened that the learner must know."""
        return self.mode == "disk" and self.moved_aside is None


# --------------------------------------------------------------------------- values


_ALLOWED = "text, numbers, True/False, None, and lists or dicts (with text keys) of those"


def _check_json(key: AnswerKey, value: object, where: str, active: set[int]) -> None:
    """Raise a clear error if ``value`` would not round-trip exactly through JSON."""
    if value is None or isinstance(value, bool | str | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(
                f"Cannot save the answer {key}: {where} is {value!r}. NaN and infinity are "
                "not valid JSON; store None (or leave the answer empty) instead."
            )
        return
    if isinstance(value, list | tuple | dict):
        if id(value) in active:
            raise ValueError(f"Cannot save the answer {key}: {where} contains itself.")
        active.add(id(value))
        if isinstance(value, dict):
            for name, item in value.items():
                if not isinstance(name, str):
                    raise TypeError(
                        f"Cannot save the answer {key}: {where} has the key {name!r} "
                        f"({type(name).__name__}); JSON keys must be text."
                    )
                _check_json(key, item, f"{where}[{name!r}]", active)
        else:
            for index, item in enumerate(value):
                _check_json(key, item, f"{where}[{index}]", active)
        active.discard(id(value))
        return
    hint = ""
    if hasattr(value, "to_dict"):
        hint = " Convert it first, for example with frame.to_dict('records')."
    elif hasattr(value, "item"):
        hint = " Convert it first, for example with int(...), float(...) or .item()."
    elif isinstance(value, set | frozenset):
        hint = " Convert it to a sorted list first."
    summary = " ".join(repr(value).split())
    if len(summary) > 60:
        summary = summary[:57] + "..."
    raise TypeError(
        f"Cannot save the answer {key}: {where} is a {type(value).__name__} ({summary}), "
        f"which cannot be stored as JSON. Answers must be {_ALLOWED}.{hint}"
    )


def _encode(key: AnswerKey, value: object) -> str:
    try:
        _check_json(key, value, "the value", set())
    except RecursionError:
        raise ValueError(f"Cannot save the answer {key}: the value is nested too deeply.") from None
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be written as UTF-8; \u escapes round-trip them exactly.
        text = json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _canonical(text: str) -> str:
    """A form in which equal answers are equal text (key order ignored; 1, 1.0, true differ)."""
    return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _same_value(stored: str | None, new: str) -> bool:
    if stored is None:
        return False
    return stored == new or _canonical(stored) == _canonical(new)


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(text: str) -> datetime:
    stamp = datetime.fromisoformat(text)
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- schema

# Version 1 (the first release) kept one row per answer and no history:
#   answers(key TEXT PRIMARY KEY, value TEXT, saved_at TEXT), schema_version(version) = 1.
# Version 2 keeps every revision; ``answers`` points at each key's current revision.
_SCHEMA_V2: Final = (
    """CREATE TABLE revisions (
        notebook TEXT NOT NULL,
        exercise TEXT NOT NULL,
        field    TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        saved_at TEXT NOT NULL,
        action   TEXT NOT NULL CHECK (action IN ('save', 'reset', 'restore', 'import')),
        value    TEXT,  -- JSON; NULL means the answer is cleared (after a reset)
        PRIMARY KEY (notebook, exercise, field, revision)
    )""",
    """CREATE TABLE answers (
        notebook TEXT NOT NULL,
        exercise TEXT NOT NULL,
        field    TEXT NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY (notebook, exercise, field),
        FOREIGN KEY (notebook, exercise, field, revision)
            REFERENCES revisions (notebook, exercise, field, revision)
    )""",
)
_V1_COLUMNS: Final = ("key", "value", "saved_at")


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _schema_version(conn: sqlite3.Connection) -> int | None:
    """Return the schema version, or None for an empty database."""
    tables = _tables(conn)
    if "schema_version" in tables:
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        if row[0] is None:
            raise StoreError("The answers file has an empty schema_version table.")
        return int(row[0])
    if not tables:
        return None
    if tables == {"answers"}:
        columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(answers)").fetchall())
        if columns == _V1_COLUMNS:
            return 1  # an early v1 file written before the version was recorded
    raise StoreError(
        f"This is not a Collaborative Working answers file (it holds tables {sorted(tables)})."
    )


def _set_version(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    conn.execute("DELETE FROM schema_version")
    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))


def _migrate_v1_row(
    key_text: object, value_text: object, saved_at: object, now: datetime
) -> tuple[AnswerKey, str, datetime] | None:
    """Convert one v1 row; None when its key cannot be understood (the row is kept aside)."""
    try:
        key = AnswerKey.parse(key_text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not isinstance(value_text, str):
        return None
    try:
        value = json.loads(value_text, parse_constant=_reject_constant)
        text = _encode(key, value)
    except (ValueError, TypeError):
        text = _encode(key, value_text)  # not JSON: keep what the learner typed as text
    try:
        stamp = _parse_time(saved_at) if isinstance(saved_at, str) else now
    except ValueError:
        stamp = now
    return key, text, stamp


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    """Move v1 answers into the v2 tables; the caller holds the transaction."""
    now = _now()
    conn.execute("ALTER TABLE answers RENAME TO answers_v1")
    for statement in _SCHEMA_V2:
        conn.execute(statement)
    rows = conn.execute("SELECT key, value, saved_at FROM answers_v1 ORDER BY rowid").fetchall()
    unmigrated = []
    for key_text, value_text, saved_at in rows:
        if value_text is None:
            continue  # a v1 row without a value held no answer
        migrated = _migrate_v1_row(key_text, value_text, saved_at, now)
        if migrated is None:
            unmigrated.append((key_text, value_text, saved_at))
            continue
        key, text, stamp = migrated
        parts = (key.notebook, key.exercise, key.field)
        conn.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, 1, ?, 'save', ?)",
            (*parts, stamp.isoformat(), text),
        )
        conn.execute("INSERT INTO answers VALUES (?, ?, ?, 1)", parts)
    if unmigrated:
        # Never drop a learner's data: rows we cannot place are kept for a facilitator.
        conn.execute("CREATE TABLE unmigrated_v1 (key, value, saved_at)")
        conn.executemany("INSERT INTO unmigrated_v1 VALUES (?, ?, ?)", unmigrated)
    conn.execute("DROP TABLE answers_v1")
    _set_version(conn, 2)


def _prepare_schema(conn: sqlite3.Connection) -> None:
    """Create or migrate the schema, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _schema_version(conn)
        if version is None:
            for statement in _SCHEMA_V2:
                conn.execute(statement)
            _set_version(conn, SCHEMA_VERSION)
        elif version == 1:
            _migrate_v1_to_v2(conn)
        elif version > SCHEMA_VERSION:
            raise StoreError(
                f"The answers file was written by a newer version of the workbook "
                f"(schema {version}; this version reads up to {SCHEMA_VERSION}). "
                "Update partnership_lib; your answers are untouched."
            )
        elif version != SCHEMA_VERSION:
            raise StoreError(f"The answers file has an unknown schema version {version}.")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# --------------------------------------------------------------------------- opening


def _error_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_damage(exc: sqlite3.Error) -> bool:
    code = _error_code(exc)
    if code is not None:
        return code in _DAMAGED_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying: changing the journal mode does not wait on the busy handler."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if _error_code(exc) not in _BUSY_CODES or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


def _quick_check(path: Path) -> None:
    """Raise _DamagedFile if the existing file at ``path`` is not a sound SQLite database.

    The check uses a read-only connection: a read-write one would checkpoint and delete the
    -wal file when it closes, changing a damaged file before it can be moved aside.
    """
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error:
        return  # cannot even open it read-only; the read-write open reports why
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            raise _DamagedFile(str(exc)) from exc
        return
    finally:
        conn.close()
    result = "\n".join(str(row[0]) for row in rows)
    if result != "ok":
        raise _DamagedFile(result)


def _connect_disk(path: Path) -> sqlite3.Connection:
    """Open, check and prepare the database at ``path``; raise _DamagedFile if it is damaged."""
    _quick_check(path)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        # macOS only flushes the drive's own cache with F_FULLFSYNC; elsewhere a no-op.
        conn.execute("PRAGMA fullfsync = ON")
        conn.execute("PRAGMA checkpoint_fullfsync = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        _prepare_schema(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _is_damage(exc):
            raise _DamagedFile(str(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def _aside_name(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem, suffix = path.stem, path.suffix
    target = path.with_name(f"{stem}.corrupt-{stamp}{suffix}")
    counter = 1
    while any(Path(f"{target}{end}").exists() for end in ("", "-wal", "-shm")):
        target = path.with_name(f"{stem}.corrupt-{stamp}-{counter}{suffix}")
        counter += 1
    return target


def _move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to a timestamped name; never delete it."""
    target = _aside_name(path)
    # The -wal goes first: a stale log left beside a fresh file could be replayed into it.
    for end in ("-wal", "-shm", ""):
        source = Path(f"{path}{end}")
        if source.exists():
            os.rename(source, f"{target}{end}")
    return target


def probe_writable(folder: Path) -> None:
    """Raise OSError if a file cannot be created in ``folder`` (creating the folder if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".write-test-", dir=folder)
    os.close(handle)
    os.unlink(name)


def _copy_readable(path: Path, target: sqlite3.Connection) -> bool:
    """Copy an existing answers file into ``target`` without writing to it; True if copied."""
    if not path.is_file():
        return False
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            source = sqlite3.connect(f"{path.as_uri()}?{options}", uri=True)
        except sqlite3.Error:
            continue
        try:
            source.execute("PRAGMA quick_check").fetchall()
            source.backup(target)
            return True
        except sqlite3.Error:
            continue
        finally:
            source.close()
    return False


def _connect_memory(copy_from: Path | None) -> tuple[sqlite3.Connection, bool]:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        copied = copy_from is not None and _copy_readable(copy_from, conn)
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            _prepare_schema(conn)
        except (StoreError, sqlite3.Error):
            if not copied:
                raise
            # The copy was unusable; start empty rather than refuse to work at all.
            conn.close()
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            _prepare_schema(conn)
            copied = False
    except BaseException:
        conn.close()
        raise
    return conn, copied


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _memory_message(folder: Path, reason: str, path: Path, copied: bool) -> str:
    text = (
        f"Your answers cannot be saved: the folder {folder} cannot be written ({reason}). "
        "For this session your answers are kept in memory only, and they will be lost when "
        "the notebook's kernel stops. Export your answers before you close the notebook, or "
        f"set {DATA_DIR_ENV} to a folder you can write and restart the kernel."
    )
    if copied:
        text += f" Your earlier answers were read from {path}."
    return text


# --------------------------------------------------------------------------- the store

_CURRENT_SQL: Final = """
    SELECT r.revision, r.saved_at, r.action, r.value
    FROM answers AS a JOIN revisions AS r USING (notebook, exercise, field, revision)
    WHERE a.notebook = ? AND a.exercise = ? AND a.field = ?
"""


def _parts(key: AnswerKey) -> tuple[str, str, str]:
    return key.notebook, key.exercise, key.field


class AnswerStore:
    """A learner's answers, with every revision, in one SQLite database.

    Parameters
    ----------
    path : str or Path, optional
        The database file. Defaults to ``data_dir() / "answers.sqlite3"``.

    Notes
    -----
    Opening never fails because of the file itself: a damaged file is moved aside and a fresh
    one started, and a folder that cannot be written falls back to memory. Read
    :attr:`status` and show ``status.message`` to the learner when ``status.ok`` is False.
    Methods accept an :class:`AnswerKey`, a ``(notebook, exercise, field)`` tuple or a
    ``"notebook/exercise/field"`` string. The store is safe to use from several threads and
    from several processes (kernels) at once.

    Raises
    ------
    DataFolderError
        If ``path`` lies inside the project's source tree.
    StoreError
        If the file was written by a newer version, is not an answers file, or stays locked
        by another program for longer than the busy timeout.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        target = Path(path).expanduser().resolve() if path is not None else None
        if target is None:
            target = data_dir() / DB_FILENAME
        else:
            _check_outside_project(target)
        self._conn, self._status = self._open(target)

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> AnswerStore:
        """Open ``answers.sqlite3`` in ``data_dir`` (default: :func:`data_dir`)."""
        return cls(resolve_folder(data_dir) / DB_FILENAME)

    # -- opening ---------------------------------------------------------------

    @staticmethod
    def _open(path: Path) -> tuple[sqlite3.Connection, StoreStatus]:
        folder = path.parent
        try:
            probe_writable(folder)
        except OSError as exc:
            return AnswerStore._open_memory(path, failure_reason(exc))
        moved: Path | None = None
        try:
            try:
                conn = _connect_disk(path)
            except _DamagedFile:
                try:
                    moved = _move_aside(path)
                except OSError as exc:
                    return AnswerStore._open_memory(
                        path,
                        f"the damaged answers file {path} could not be moved aside: {failure_reason(exc)}",
                    )
                try:
                    conn = _connect_disk(path)
                except _DamagedFile as exc:
                    raise StoreError(
                        f"A fresh answers file at {path} is unreadable: {exc}"
                    ) from None
        except sqlite3.Error as exc:
            if _error_code(exc) in _UNWRITABLE_CODES:
                return AnswerStore._open_memory(path, str(exc))
            raise StoreError(f"Could not open the answers file {path}: {exc}") from exc
        if moved is None:
            message = f"Your answers are saved to {path}."
        else:
            message = (
                f"Your answers file {path} was damaged and could not be read, so it has been "
                f"moved aside to {moved}; it has not been deleted, and a facilitator may be "
                f"able to recover answers from it. A fresh, empty answers file has been "
                f"started at {path}."
            )
        return conn, StoreStatus("disk", path, message, moved)

    @staticmethod
    def _open_memory(path: Path, reason: str) -> tuple[sqlite3.Connection, StoreStatus]:
        conn, copied = _connect_memory(path)
        message = _memory_message(path.parent, reason, path, copied)
        return conn, StoreStatus("memory", None, message, None)

    # -- plumbing --------------------------------------------------------------

    @property
    def status(self) -> StoreStatus:
        """Where answers are kept and what the learner should be told (see StoreStatus)."""
        return self._status

    @property
    def path(self) -> Path | None:
        """The database file, or None when answers are kept in memory."""
        return self._status.path

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has been called."""
        return self._conn is None

    def _require(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("The answer store is closed.")
        return self._conn

    def _failure(self, what: str, exc: sqlite3.Error) -> StoreError:
        where = self._status.path or "memory"
        code = _error_code(exc)
        if code == _SQLITE_FULL:
            detail = "the disk is full"
        elif "locked" in str(exc) or "busy" in str(exc):
            detail = (
                "the file is locked by another program (waited up to "
                f"{BUSY_TIMEOUT_SECONDS:g} s); close other notebooks using it and try again"
            )
        else:
            detail = str(exc)
        return StoreError(f"Could not {what} in {where}: {detail}.")

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction that takes the write lock up front (BEGIN IMMEDIATE)."""
        with self._lock:
            conn = self._require()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._failure(what, exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    # The original error is the one to report.
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._failure(what, exc) from exc
                raise

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._require()
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._failure("read answers", exc) from exc

    @staticmethod
    def _current(conn: sqlite3.Connection, key: AnswerKey) -> tuple[Any, ...] | None:
        return conn.execute(_CURRENT_SQL, _parts(key)).fetchone()

    @staticmethod
    def _append(
        conn: sqlite3.Connection, key: AnswerKey, action: Action, text: str | None
    ) -> Revision:
        parts = _parts(key)
        (latest,) = conn.execute(
            "SELECT COALESCE(MAX(revision), 0) FROM revisions "
            "WHERE notebook = ? AND exercise = ? AND field = ?",
            parts,
        ).fetchone()
        number = latest + 1
        stamp = _now()
        conn.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*parts, number, stamp.isoformat(), action, text),
        )
        conn.execute(
            "INSERT INTO answers VALUES (?, ?, ?, ?) ON CONFLICT (notebook, exercise, field) "
            "DO UPDATE SET revision = excluded.revision",
            (*parts, number),
        )
        return Revision(key, number, stamp, action, _decode(text))

    @staticmethod
    def _revision(key: AnswerKey, row: tuple[Any, ...]) -> Revision:
        number, saved_at, action, text = row
        return Revision(key, number, _parse_time(saved_at), action, _decode(text))

    def _save_in(
        self,
        conn: sqlite3.Connection,
        key: AnswerKey,
        text: str,
        action: Action,
        coalesce_within: float | None = None,
    ) -> Revision:
        current = self._current(conn, key)
        if current is not None and _same_value(current[3], text):
            return self._revision(key, current)
        if coalesce_within and current is not None and action == "save":
            number, saved_at, previous_action, previous_text = current
            started = _parse_time(saved_at)
            if (
                previous_action == "save"
                and previous_text is not None
                and (_now() - started).total_seconds() < coalesce_within
            ):
                # Same typing burst: replace the burst's revision (keeping when it began).
                conn.execute(
                    "UPDATE revisions SET value = ? WHERE notebook = ? AND exercise = ? "
                    "AND field = ? AND revision = ?",
                    (text, *_parts(key), number),
                )
                return Revision(key, number, started, "save", _decode(text))
        return self._append(conn, key, action, text)

    # -- writing ---------------------------------------------------------------

    def save(self, key: KeyLike, value: Any, *, coalesce_within: float | None = None) -> Revision:
        """Save an answer as a new revision, unless it equals the current answer.

        Parameters
        ----------
        key : AnswerKey, tuple or str
        value : JSON-compatible
            Text, numbers, booleans, None, and lists or dicts (text keys) of those.
            Tuples are stored as lists.
        coalesce_within : float, optional
            Seconds. When the current revision is a plain save begun less than this long
            ago, replace its value instead of adding a revision: widgets save on every
            keystroke, and one revision per burst of typing keeps the history usable.
            Resets, restores and imports are never replaced.

        Returns
        -------
        Revision
            The new revision, or the current one when ``value`` is unchanged (autosave can
            call this as often as it likes).

        Raises
        ------
        TypeError
            If the value cannot be stored as JSON (the message names the key and the part).
        ValueError
            If the value holds NaN or infinity.
        StoreError
            If the save could not be written (disk full, file busy for too long).
        """
        answer_key = AnswerKey.coerce(key)
        text = _encode(answer_key, value)
        with self._transaction(f"save the answer {answer_key}") as conn:
            return self._save_in(conn, answer_key, text, "save", coalesce_within)

    def save_many(
        self,
        values: Mapping[KeyLike, Any] | Iterable[tuple[KeyLike, Any]],
        *,
        action: Literal["save", "import"] = "save",
    ) -> list[Revision]:
        """Save several answers in one transaction (all or none); unchanged ones are skipped.

        Parameters
        ----------
        values : mapping or iterable of (key, value) pairs
        action : {'save', 'import'}
            Recorded in the history; use 'import' for answers read from a share file.

        Returns
        -------
        list of Revision
            The revisions recorded (unchanged answers are not included).
        """
        if action not in ("save", "import"):
            raise ValueError(f"save_many action must be 'save' or 'import', got {action!r}")
        pairs = values.items() if isinstance(values, Mapping) else values
        encoded = []
        for key, value in pairs:
            answer_key = AnswerKey.coerce(key)
            encoded.append((answer_key, _encode(answer_key, value)))
        recorded = []
        with self._transaction(f"save {len(encoded)} answers") as conn:
            for answer_key, text in encoded:
                before = self._current(conn, answer_key)
                revision = self._save_in(conn, answer_key, text, action)
                if before is None or revision.revision != before[0]:
                    recorded.append(revision)
        return recorded

    def restore(self, key: KeyLike, revision: int) -> Any:
        """Make an earlier revision the current answer again, recorded as a 'restore'.

        Restoring the revision of a reset clears the answer again.

        Returns
        -------
        Any
            The restored value (None if the restored revision was a reset).

        Raises
        ------
        UnknownRevisionError
            If ``key`` has no such revision.
        """
        answer_key = AnswerKey.coerce(key)
        if isinstance(revision, bool) or not isinstance(revision, int):
            raise TypeError(f"revision must be a whole number, got {revision!r}")
        with self._transaction(f"restore the answer {answer_key}") as conn:
            row = conn.execute(
                "SELECT value FROM revisions "
                "WHERE notebook = ? AND exercise = ? AND field = ? AND revision = ?",
                (*_parts(answer_key), revision),
            ).fetchone()
            if row is None:
                (count,) = conn.execute(
                    "SELECT COUNT(*) FROM revisions "
                    "WHERE notebook = ? AND exercise = ? AND field = ?",
                    _parts(answer_key),
                ).fetchone()
                if count == 0:
                    detail = "it has no saved revisions"
                else:
                    detail = f"its revisions are numbered 1 to {count}"
                raise UnknownRevisionError(
                    f"The answer {answer_key} has no revision {revision}; {detail}."
                )
            return self._append(conn, answer_key, "restore", row[0]).value

    def reset(self, key: KeyLike) -> Revision | None:
        """Clear an answer, recording a 'reset' revision so that it can be undone.

        Returns
        -------
        Revision or None
            The reset revision; the current revision if the answer was already cleared; None
            if nothing was ever saved for ``key``.
        """
        answer_key = AnswerKey.coerce(key)
        with self._transaction(f"reset the answer {answer_key}") as conn:
            current = self._current(conn, answer_key)
            if current is None:
                return None
            if current[3] is None:
                return self._revision(answer_key, current)
            return self._append(conn, answer_key, "reset", None)

    def _reset_where(self, what: str, where: str, params: tuple[str, ...]) -> list[Revision]:
        with self._transaction(f"reset {what}") as conn:
            rows = conn.execute(
                "SELECT a.notebook, a.exercise, a.field FROM answers AS a "
                "JOIN revisions AS r USING (notebook, exercise, field, revision) "
                f"WHERE r.value IS NOT NULL AND {where} "
                "ORDER BY a.notebook, a.exercise, a.field",
                params,
            ).fetchall()
            return [self._append(conn, AnswerKey(*row), "reset", None) for row in rows]

    def reset_exercise(self, notebook: str, exercise: str) -> list[Revision]:
        """Reset every answer of one exercise, in one transaction; returns the resets."""
        check_part("notebook", notebook)
        check_part("exercise", exercise)
        return self._reset_where(
            f"exercise {notebook}/{exercise}",
            "a.notebook = ? AND a.exercise = ?",
            (notebook, exercise),
        )

    def reset_notebook(self, notebook: str) -> list[Revision]:
        """Reset every answer of one notebook, in one transaction; returns the resets."""
        check_part("notebook", notebook)
        return self._reset_where(f"notebook {notebook}", "a.notebook = ?", (notebook,))

    # -- reading ---------------------------------------------------------------

    def get(self, key: KeyLike, default: Any = None) -> Any:
        """Return the current answer for ``key``, or ``default`` if none (or it was reset)."""
        answer_key = AnswerKey.coerce(key)
        rows = self._read(_CURRENT_SQL, _parts(answer_key))
        if not rows or rows[0][3] is None:
            return default
        return _decode(rows[0][3])

    def history(self, key: KeyLike) -> list[Revision]:
        """Every revision of ``key``, oldest first (empty if nothing was saved)."""
        answer_key = AnswerKey.coerce(key)
        rows = self._read(
            "SELECT revision, saved_at, action, value FROM revisions "
            "WHERE notebook = ? AND exercise = ? AND field = ? ORDER BY revision",
            _parts(answer_key),
        )
        return [self._revision(answer_key, row) for row in rows]

    def last_saved(self, key: KeyLike) -> datetime | None:
        """When ``key`` last changed (any action), or None if nothing was ever saved."""
        answer_key = AnswerKey.coerce(key)
        rows = self._read(_CURRENT_SQL, _parts(answer_key))
        return _parse_time(rows[0][1]) if rows else None

    def keys(
        self,
        notebook: str | None = None,
        exercise: str | None = None,
        *,
        include_reset: bool = False,
    ) -> list[AnswerKey]:
        """Keys with a current answer, sorted; optionally filtered by notebook and exercise.

        Parameters
        ----------
        notebook, exercise : str, optional
            Only keys in this notebook / exercise.
        include_reset : bool
            Also list keys whose answer was reset (they still have a history).
        """
        conditions, params = self._filters(notebook, exercise)
        if not include_reset:
            conditions.append("r.value IS NOT NULL")
        where = " AND ".join(conditions) or "1"
        rows = self._read(
            "SELECT a.notebook, a.exercise, a.field FROM answers AS a "
            "JOIN revisions AS r USING (notebook, exercise, field, revision) "
            f"WHERE {where} ORDER BY a.notebook, a.exercise, a.field",
            params,
        )
        return [AnswerKey(*row) for row in rows]

    def answers(self, notebook: str | None = None) -> dict[AnswerKey, Any]:
        """Current (not reset) answers, sorted by key; optionally for one notebook only."""
        conditions, params = self._filters(notebook, None)
        conditions.append("r.value IS NOT NULL")
        rows = self._read(
            "SELECT a.notebook, a.exercise, a.field, r.value FROM answers AS a "
            "JOIN revisions AS r USING (notebook, exercise, field, revision) "
            f"WHERE {' AND '.join(conditions)} ORDER BY a.notebook, a.exercise, a.field",
            params,
        )
        return {AnswerKey(nb, ex, field): _decode(text) for nb, ex, field, text in rows}

    @staticmethod
    def _filters(notebook: str | None, exercise: str | None) -> tuple[list[str], tuple[str, ...]]:
        conditions: list[str] = []
        params: list[str] = []
        if notebook is not None:
            check_part("notebook", notebook)
            conditions.append("a.notebook = ?")
            params.append(notebook)
        if exercise is not None:
            check_part("exercise", exercise)
            conditions.append("a.exercise = ?")
            params.append(exercise)
        return conditions, tuple(params)

    def integrity_check(self) -> str:
        """Run SQLite's full integrity check: "ok", or a description of the problem."""
        rows = self._read("PRAGMA integrity_check")
        return "\n".join(str(row[0]) for row in rows)

    # -- lifetime --------------------------------------------------------------

    def close(self) -> None:
        """Close the database (idempotent). In memory mode, unsaved answers are lost."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> AnswerStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self._status.path if self._status.mode == "disk" else "memory"
        state = " closed" if self.closed else ""
        return f"<AnswerStore {where}{state}>"


# --------------------------------------------------------------------------- default store

_DEFAULT_STORES: dict[tuple[int, Path], AnswerStore] = {}
_DEFAULT_LOCK = threading.Lock()


def default_store(data_dir: str | os.PathLike[str] | None = None) -> AnswerStore:
    """Return this process's shared store for ``data_dir`` (default: :func:`data_dir`).

    The store is opened on first use and reused afterwards (a forked process opens its
    own). Notebooks and widgets should use this rather than opening their own stores.
    """
    folder = resolve_folder(data_dir)
    cache_key = (os.getpid(), folder)
    with _DEFAULT_LOCK:
        store = _DEFAULT_STORES.get(cache_key)
        if store is None or store.closed:
            store = AnswerStore(folder / DB_FILENAME)
            _DEFAULT_STORES[cache_key] = store
        return store


def close_default_stores() -> None:
    """Close every store opened by :func:`default_store` in this process."""
    with _DEFAULT_LOCK:
        for (pid, _), store in list(_DEFAULT_STORES.items()):
            if pid == os.getpid():
                store.close()
        _DEFAULT_STORES.clear()


atexit.register(close_default_stores)
