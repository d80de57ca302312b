"""Joining the room: a session code, the address to open, and a QR code of it.

The facilitator starts a session with a short code (:func:`new_session_code`, or one
they type). Learners give it when they send their answers; share files carry it, and the
board takes only the files with the current code (others are listed as "from another
session"). The board can project how to join: the code, the address (on JupyterHub, the
hub's address and the notebook) and a QR code of the address, drawn offline by segno.
"""

from __future__ import annotations

import io
import os
import secrets

import segno

from partnership_lib.documents.share import SESSION_CODE_ENV, normalise_session_code

__all__ = [
    "CODE_ALPHABET",
    "SESSION_CODE_ENV",
    "join_address",
    "new_session_code",
    "normalise_session_code",
    "qr_svg",
    "spoken_code",
]

#: Letters and digits nobody misreads on a projector (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
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
