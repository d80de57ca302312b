"""Send a learner's share file straight into the room folder, and tell who sent a file.

On a JupyterHub the room folder is a Unix drop box (see :mod:`partnership_lib.hub`):
learners may create files in it but may not list it, read other learners' files, or
replace or delete them; only the facilitators' group reads it. This module is the
learner's half of that arrangement and the board's way of telling who sent what.

- :func:`send_to_room` writes the anonymised share file (the same validation,
  anonymisation and atomic write as :func:`partnership_lib.export_share_file`) into the
  room folder under a name of the learner's own, readable by the facilitators' group
  only (mode 0640), and returns a :class:`SentReceipt` saying what was sent and when.
  Sending again replaces only the sender's own earlier file.
- :func:`identify_owner` names the account a share file came from: its owner on the
  file system, which a learner cannot forge, rather than the name typed into it.

Why the file name carries a random part: the name is ``<user>-<16 hex digits>.json``,
the digits made once and kept in the learner's own answer store. A learner who may
enter the folder (but not list it) could otherwise stat ``bob.json`` to see whether and
when Bob sent, or create ``bob.json`` first so that Bob's send fails. Nothing here
lists the folder, so it works in a folder the sender cannot read.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import secrets
import stat
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from partnership_lib.core.store import AnswerKey, AnswerStore, default_store
from partnership_lib.documents.share import export_share_file, load_share_file

__all__ = [
    "FILE_MODE",
    "HUB_USER_ENV",
    "ROOM_DIR_ENV",
    "RoomSendError",
    "SentReceipt",
    "check_user_name",
    "configured_room",
    "drop_file_name",
    "hub_user",
    "identify_owner",
    "send_to_room",
    "uid_for_name",
    "user_from_file_name",
]

#: The room folder; the board reads the same variable (``partnership_lib.board``).
ROOM_DIR_ENV: Final = "PARTNERSHIP_ROOM_DIR"
#: The hub user name, set for every single-user server by :mod:`partnership_lib.hub`.
HUB_USER_ENV: Final = "PARTNERSHIP_HUB_USER"
#: A share file in the room: the owner reads and writes it, the facilitators' group reads it.
FILE_MODE: Final = 0o640

#: Where the random part of the learner's file name is kept (never shared: "settings").
TOKEN_KEY: Final = AnswerKey("settings", "room", "file_token")

# A hub user name that is also a safe Unix name and a safe file name: lower-case
# letters, digits, '_' and '-', starting with a letter, at most 32 characters.
_USER = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_TOKEN = re.compile(r"[0-9a-f]{16}")
_FILE = re.compile(r"(?P<user>[a-z][a-z0-9_-]{0,31})-(?P<token>[0-9a-f]{16})\.json")

# Kubernetes: every learner's server runs as its own uid, made from the hub user name
# (see partnership_lib.hub), in a range clear of the ids images and systems use.
_UID_BASE: Final = 1_000_000
_UID_SPAN: Final = 1_000_000_000

# os.umask is process-wide: one send at a time changes it.
_UMASK_LOCK = threading.Lock()


class RoomSendError(RuntimeError):
    """The share file could not be put in the room; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class SentReceipt:
    """What :func:`send_to_room` put in the room folder.

    Attributes
    ----------
    path
        The file in the room folder.
    user
        The hub user it was sent as (also the start of the file name).
    sent_at
        When it was written (UTC, as recorded in the file).
    display_name
        The name the facilitator sees beside the file's owner ("" for none).
    answers
        How many answers it holds.
    notebooks
        The sessions those answers come from, sorted.
    anonymised
        Whether e-mail addresses, phone numbers, postcodes and listed names were replaced.
    replaced
        Whether it replaced an earlier file sent by the same learner.
    """

    path: Path
    user: str
    sent_at: datetime
    display_name: str
    answers: int
    notebooks: tuple[str, ...]
    anonymised: bool
    replaced: bool

    def describe(self) -> str:
        """One sentence for the learner, e.g. "Sent 12 answers from 3 sessions at 14:05 UTC."."""
        answers = f"{self.answers} answer{'' if self.answers == 1 else 's'}"
        sessions = len(self.notebooks)
        where = f" from {sessions} session{'' if sessions == 1 else 's'}" if sessions else ""
        when = self.sent_at.strftime("%H:%M UTC on %d %B %Y")
        again = " It replaces the file you sent before." if self.replaced else ""
        return f"Sent {answers}{where} to the room at {when}.{again}"


# --------------------------------------------------------------------------- names


def check_user_name(name: str) -> str:
    """Return ``name`` if it is a plain, safe hub user name; raise ``ValueError`` otherwise.

    A safe name is 1-32 characters of lower-case letters, digits, ``_`` and ``-``,
    starting with a letter: it is then also a valid Unix account name and file name.
    """
    if not isinstance(name, str) or not _USER.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a usable user name: use 1-32 lower-case letters, digits, "
            "'_' or '-', starting with a letter"
        )
    return name


def hub_user() -> str:
    """The hub user this process works for.

    ``$PARTNERSHIP_HUB_USER`` (set by :mod:`partnership_lib.hub`), else
    ``$JUPYTERHUB_USER`` (set by JupyterHub), else the login name of the process.
    """
    for variable in (HUB_USER_ENV, "JUPYTERHUB_USER"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    return getpass.getuser()


def configured_room() -> Path | None:
    """The room folder from ``$PARTNERSHIP_ROOM_DIR``, or None when no room is configured.

    Without a hub nothing is configured and the share file is carried by hand as before.
    """
    value = os.environ.get(ROOM_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def drop_file_name(user: str, token: str) -> str:
    """The file name a learner's share file has in the room: ``<user>-<token>.json``."""
    check_user_name(user)
    if not _TOKEN.fullmatch(token):
        raise ValueError(f"{token!r} is not a room file token (16 hexadecimal digits)")
    return f"{user}-{token}.json"


def user_from_file_name(filename: str) -> str | None:
    """The user a room file's name claims (``alice`` for ``alice-0123...cdef.json``), or None.

    A claim only: :func:`identify_owner` checks it against the file's owner.
    """
    m = _FILE.fullmatch(filename)
    return m.group("user") if m else None


def uid_for_name(name: str) -> int:
    """The uid a hub user's server runs as on Kubernetes (a stable function of the name).

    All learners' pods would otherwise share one uid and so read each other's files.
    The hub refuses to start a server whose uid another user already has.
    """
    digest = hashlib.sha256(check_user_name(name).encode("utf-8")).digest()
    return _UID_BASE + int.from_bytes(digest[:8], "big") % _UID_SPAN


# --------------------------------------------------------------------------- owner


def identify_owner(path: str | os.PathLike[str]) -> str:
    """The account a share file came from, by its owner on the file system.

    The board labels learners by this, not by the display name inside the file, so one
    learner cannot pass their answers off as another's.

    Returns
    -------
    str
        The Unix user name owning the file. When the owner has no name on this machine
        (a Kubernetes pod), the user in the file's name if :func:`uid_for_name` of that
        user is the owner's uid; else ``"uid <n>"``. ``""`` where files have no Unix
        owners (Windows).

    Raises
    ------
    ValueError
        If ``path`` is a symbolic link, a folder or anything but a plain file: a learner
        could otherwise point a link in the room at someone else's file.
    FileNotFoundError
        If there is no such file.
    """
    target = Path(path)
    st = os.lstat(target)
    if not stat.S_ISREG(st.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a plain file"
        raise ValueError(f"{target.name}: is {kind}; a share file must be a plain file")
    try:
        import pwd
    except ImportError:  # Windows: no Unix owners
        return ""
    try:
        return pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        pass
    claimed = user_from_file_name(target.name)
    if claimed is not None and uid_for_name(claimed) == st.st_uid:
        return claimed
    return f"uid {st.st_uid}"


# --------------------------------------------------------------------------- sending


def _file_token(store: AnswerStore) -> str:
    token = store.get(TOKEN_KEY)
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        return token
    token = secrets.token_hex(8)
    store.save(TOKEN_KEY, token)
    return token


def send_to_room(
    room_dir: str | os.PathLike[str],
    *,
    store: AnswerStore | None = None,
    user: str | None = None,
    display_name: str = "",
    session_code: str | None = None,
) -> SentReceipt:
    """Write this learner's anonymised share file into the room folder.

    The file is written to a temporary name in the room and renamed (by the same
    user, which a sticky folder allows), so the facilitator never reads half a file.
    Its mode is 0640: the learner and the folder's group (the facilitators, on a hub)
    read it, nobody else. Sending again replaces this learner's earlier file, never
    anyone else's. The folder is never listed, so this works in a drop box.

    Parameters
    ----------
    room_dir
        The room folder (on a hub: ``$PARTNERSHIP_ROOM_DIR``, see :func:`configured_room`).
    store
        The learner's answers (default: :func:`partnership_lib.default_store`).
    user
        The hub user name the file is named after (default: :func:`hub_user`).
    display_name
        How the facilitator sees this learner beside the account name.
    session_code
        The workshop session's code (default: ``$PARTNERSHIP_SESSION_CODE``, see
        :func:`partnership_lib.documents.share.export_share_file`).

    Returns
    -------
    SentReceipt
        What was sent and when, read back from the file written.

    Raises
    ------
    ValueError
        If the user name is not a plain safe name.
    RoomSendError
        If the room folder is missing or cannot be written, or the learner's file name
        is taken by a file that is not theirs.
    """
    user = check_user_name(hub_user() if user is None else user)
    store = store if store is not None else default_store()
    room = Path(room_dir).expanduser()
    if not room.is_dir():
        raise RoomSendError(
            f"The room folder {room} does not exist. Ask the facilitator to check the "
            "workshop's room folder; until then, save a share file and send it by hand."
        )
    name = drop_file_name(user, _file_token(store))
    target = room / name
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        replaced = False
    except OSError as exc:
        raise RoomSendError(f"The room folder {room} cannot be used ({exc.strerror}).") from None
    else:
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            raise RoomSendError(
                f"{name} in the room folder is not your file, so it was left alone and "
                "nothing was sent. Please tell the facilitator."
            )
        replaced = True
    with _UMASK_LOCK:
        old = os.umask(0o077)
        # Keep the learner's own restrictions, allow the group to read, nobody else anything.
        os.umask((old | 0o027) & ~0o040)
        try:
            written = export_share_file(
                name,
                store=store,
                display_name=display_name,
                folder=room,
                session_code=session_code,
            )
        except PermissionError:
            raise RoomSendError(
                f"You may not write to the room folder {room}. Ask the facilitator to set "
                "it up with `python -m partnership_lib.hub room`; until then, save a share "
                "file and send it by hand."
            ) from None
        finally:
            os.umask(old)
    os.chmod(written, FILE_MODE)
    sent = load_share_file(written)
    return SentReceipt(
        path=written,
        user=user,
        sent_at=sent.exported_at,
        display_name=sent.display_name,
        answers=len(sent.answers),
        notebooks=tuple(sorted({key.notebook for key in sent.answers})),
        anonymised=sent.anonymised,
        replaced=replaced,
    )
