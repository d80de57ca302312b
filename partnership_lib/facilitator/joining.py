"""Joining the room: a session code, the address to open, and a QR code of it.

The facilitator starts a session with a short code (:func:`new_session_code`, or one
they type). Learners give it when they send their answers; share files carry it, and the
board takes only the files with the current code (others are listed as "from another
session"). The board can project how to join: the code, the address (on JupyterHub, the
hub's address and the notebook) and a QR code of the address, drawn offline by segno.

The board keeps the session's code with the room, in ``.session.json`` in its folder
(:func:`read_session_code`, :func:`save_session_code`), so a restarted board, the
moderation screen and ``partnership room report`` use the same code.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
from pathlib import Path

import segno

from partnership_lib.core.files import write_atomically
from partnership_lib.documents.share import SESSION_CODE_ENV, normalise_session_code
from partnership_lib.facilitator.moderation import written_by_me

__all__ = [
    "CODE_ALPHABET",
    "SESSION_CODE_ENV",
    "SESSION_FILE",
    "join_address",
    "new_session_code",
    "normalise_session_code",
    "qr_svg",
    "read_session_code",
    "save_session_code",
    "session_code_for",
    "spoken_code",
]

#: Letters and digits nobody misreads on a projector (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
#: Where the room keeps its session's code (hidden, so the room scanner never reads it).
SESSION_FILE = ".session.json"
#: The notebook learners send from.
SEND_NOTEBOOK = "04_feedback_and_reflection.ipynb"


def new_session_code(length: int = 6) -> str:
    """A random code such as ``"K7PQ3M"`` from :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def spoken_code(code: str) -> str:
    """The code in groups of three, as read out or projected: ``"K7P Q3M"``."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))


def join_address(*, hub_url: str | None = None, notebook: str = SEND_NOTEBOOK) -> str:
    """Where learners open the notebook they send from.

    On JupyterHub: ``<hub>/hub/user-redirect/lab/tree/<notebook>``, which takes each
    learner to their own server. ``hub_url`` defaults to ``$PARTNERSHIP_HUB_URL`` (set by
    ``partnership_lib.hub`` in every server it starts); without one, ``""``: the board
    then says to open the notebook on their own laptop.
    """
    hub = (hub_url if hub_url is not None else os.environ.get("PARTNERSHIP_HUB_URL", "")).strip()
    if not hub:
        return ""
    return f"{hub.rstrip('/')}/hub/user-redirect/lab/tree/{notebook}"


def qr_svg(text: str, *, title: str) -> str:
    """An SVG QR code of ``text`` (error correction M), black on white, with a ``<title>``.

    Drawn by segno, offline. The SVG scales with its box; its ``title`` is its accessible
    name, so give the address in words beside it too.
    """
    qr = segno.make(text, error="m")
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=1,
        border=4,
        dark="#000000",
        light="#ffffff",
        xmldecl=False,
        svgns=True,
        title=title,
        omitsize=True,
        svgclass="pl-join-qr",
    )
    return out.getvalue().decode("utf-8")


def read_session_code(folder: str | Path) -> tuple[bool, str | None]:
    """The session code kept in ``folder/.session.json``: ``(found, code)``.

    ``(False, None)`` when there is no readable file, or one this account did not write
    (on a hub learners can create files in the room); ``(True, None)`` when the
    facilitator chose to take files from every session.
    """
    path = Path(folder).expanduser() / SESSION_FILE
    if path.exists() and not written_by_me(path):
        return False, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        code = data["session_code"]
        return True, (normalise_session_code(code) if code else None)
    except (OSError, ValueError, KeyError, TypeError):
        return False, None


def save_session_code(folder: str | Path, code: str | None) -> Path:
    """Keep ``code`` (normalised; ``None``: every session) in ``folder/.session.json``.

    Written atomically; the folder must exist (raises ``OSError`` otherwise).
    """
    value = normalise_session_code(code) if code else None
    path = Path(folder).expanduser() / SESSION_FILE
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the room folder {path.parent} does not exist")
    return write_atomically(path, json.dumps({"version": 1, "session_code": value}))


def session_code_for(folder: Path, given: str | None = None) -> str | None:
    """The session code for the room in ``folder``.

    ``given`` (normalised; ``""`` for every session) wins; else the code kept in
    ``folder/.session.json``; else ``$PARTNERSHIP_SESSION_CODE`` (a hub gives the room's
    code so); else a new one (:func:`new_session_code`). A code that did not
    come from the folder is kept there when the folder exists, so a restarted board uses it.
    """
    if given is not None:
        code = normalise_session_code(given) if given.strip() else None
    else:
        found, code = read_session_code(folder)
        if found:
            return code
        env = os.environ.get(SESSION_CODE_ENV, "").strip()
        code = normalise_session_code(env) if env else new_session_code()
    if folder.is_dir():
        # a read-only room still works; the code then lasts as long as the board
        with contextlib.suppress(OSError):
            save_session_code(folder, code)
    return code
