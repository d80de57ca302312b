"""Moderation before projection: learners' free text waits for the facilitator.

Free text from the room (Activity 2's opportunities and challenges, the post-it notes)
reaches the projected board only once the facilitator has approved it, one item at a
time or all at once; hiding an item takes it off the projected views again.

Before an item is queued it is scrubbed (:func:`scrub`): e-mail addresses, UK phone
numbers, postcodes and NHS numbers are replaced, as the share-file anonymiser does, and
whatever still looks like a person's name (a title and a name, or capitalised words
that are not the names of places, organisations or days, ``data/moderation.yaml``) is
flagged for the facilitator, not changed. Identical items from several learners are one
item. An item's id is derived from its view, group and scrubbed text, so it is the same
after a restart and for every learner who wrote it.

Decisions are kept with the room, in ``.moderation.json`` inside its folder (the room
scanner never reads hidden files), written atomically; a board restarted, or a second
board in another window, sees the same decisions. On JupyterHub learners may create
files in the room folder, so a decisions file this account did not write is ignored
(:func:`written_by_me`): nobody can approve their own text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from partnership_lib.core import content
from partnership_lib.core.files import write_atomically
from partnership_lib.documents.anonymise import Anonymiser, Replacement

__all__ = [
    "APPROVED",
    "HIDDEN",
    "MODERATION_FILE",
    "PENDING",
    "Item",
    "Moderation",
    "Scrubbed",
    "item_id",
    "possible_names",
    "scrub",
    "written_by_me",
]

MODERATION_FILE = ".moderation.json"
PENDING, APPROVED, HIDDEN = "pending", "approved", "hidden"
_VERSION = 1
_WORD = re.compile(r"[A-Z][a-zA-Z'’-]+")


def written_by_me(path: Path) -> bool:
    """Whether this account owns ``path`` (always true where there are no owners)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    try:
        return path.stat().st_uid == getuid()
    except OSError:
        return False


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    raw = content.load("moderation")
    titles = frozenset(t.casefold() for t in raw["titles"])
    return titles, frozenset(w.casefold() for w in raw["not_names"]) | titles


def possible_names(text: str) -> list[str]:
    """Pieces of ``text`` that may be a person's name, for the facilitator to check.

    A title followed by a capitalised word ("Dr Patel"), or two or three capitalised
    words in a row of which at least one is not a known non-name ("Dave Smith", but not
    "County Council"). Returned in order, each once.
    """
    titles, known = _words()
    found: list[str] = []
    tokens = list(re.finditer(r"\S+", text))
    run: list[str] = []

    def close_run() -> None:
        words = [w.strip(".,;:!?()\"'’") for w in run]
        if len(words) >= 2 and any(w.casefold() not in known for w in words):
            found.append(" ".join(words))
        run.clear()

    for i, token in enumerate(tokens):
        word = token.group(0).strip(".,;:!?()\"'’")
        if word.casefold().rstrip(".") in titles and i + 1 < len(tokens):
            following = tokens[i + 1].group(0).strip(".,;:!?()\"'’")
            if _WORD.fullmatch(following):
                found.append(f"{word} {following}")
        if _WORD.fullmatch(word) and word.casefold() not in titles:
            run.append(word)
            if len(run) == 3 or token.group(0)[-1] in ".,;:!?":
                close_run()
        else:
            close_run()
    close_run()
    return list(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class Scrubbed:
    """Text after the scrub: what was replaced, and what may still name someone."""

    text: str
    replaced: tuple[Replacement, ...]
    flags: tuple[str, ...]


def scrub(text: str) -> Scrubbed:
    """Replace e-mails, phone numbers, postcodes and NHS numbers; flag possible names."""
    anonymiser = Anonymiser()
    clean = anonymiser.text(" ".join(str(text).split()))
    return Scrubbed(clean, tuple(anonymiser.found), tuple(possible_names(clean)))


def item_id(view: str, group: str, text: str) -> str:
    """A stable id for one item: the same view, group and scrubbed text, the same id."""
    norm = " ".join(text.casefold().split()).rstrip(".!?;: ")
    digest = hashlib.sha256(f"{view}\x1f{group}\x1f{norm}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Item:
    """One piece of the room's free text, as the facilitator moderates it.

    ``group`` says where it belongs (``"Opportunity · own experience"``, a note colour);
    ``count`` is how many learners wrote it; ``flags`` the possible names in it.
    """

    id: str
    view: str
    group: str
    text: str
    count: int = 1
    flags: tuple[str, ...] = ()


class Moderation:
    """The facilitator's decisions for one room, kept in the room's folder.

    Parameters
    ----------
    folder
        The room's share-file folder; decisions live in ``folder/.moderation.json``.

    Attributes
    ----------
    problem : str or None
        Why saved decisions could not be read (the file is moved aside, never deleted,
        and moderation starts again with every item pending).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        self.path = self.folder / MODERATION_FILE
        self.decisions: dict[str, str] = {}
        self.problem: str | None = None
        self._stamp: tuple[int, int] | None = None
        self.reload()

    # -- reading and writing ----------------------------------------------------------
    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_ino

    def reload(self) -> bool:
        """Read the decisions again if the file changed (another window decided); return
        whether anything was read."""
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        self.problem = None  # the file changed: any earlier problem is for it to say again
        if stamp is None:
            self.decisions = {}
            return True
        if not written_by_me(self.path):
            self.problem = (
                f"{MODERATION_FILE} in the room folder was not written by this account, so "
                "it is ignored and every item waits for approval (a learner may have put "
                "it there: delete it, or ask the hub's administrator to)."
            )
            self.decisions = {}
            return True
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            decisions = data["decisions"]
            if data.get("version") != _VERSION or not isinstance(decisions, dict):
                raise ValueError("not a moderation file of this workbook")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(
                f".moderation.unreadable-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
            )
            try:
                os.replace(self.path, aside)
                kept = f"it was moved to {aside.name}"
            except OSError:
                kept = "it was left where it is"
            self.problem = (
                f"The saved moderation decisions could not be read ({exc}); {kept}, and "
                "every item waits for approval again."
            )
            self.decisions, self._stamp = {}, None
            return True
        self.decisions = {str(k): v for k, v in decisions.items() if v in (APPROVED, HIDDEN)}
        return True

    def _save(self) -> None:
        document = {"version": _VERSION, "decisions": dict(sorted(self.decisions.items()))}
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(document, indent=1))
        self._stamp = self._file_stamp()

    # -- decisions --------------------------------------------------------------------
    def status(self, item: Item | str) -> str:
        """``"pending"``, ``"approved"`` or ``"hidden"``."""
        key = item.id if isinstance(item, Item) else item
        return self.decisions.get(key, PENDING)

    def approved(self, item: Item | str) -> bool:
        return self.status(item) == APPROVED

    def decide(self, items: Iterable[Item | str], status: str) -> int:
        """Set ``status`` for every item; save once; return how many changed."""
        if status not in (APPROVED, HIDDEN, PENDING):
            raise ValueError(f"status must be approved, hidden or pending, got {status!r}")
        self.reload()
        changed = 0
        for item in items:
            key = item.id if isinstance(item, Item) else item
            if self.decisions.get(key, PENDING) != status:
                changed += 1
                if status == PENDING:
                    self.decisions.pop(key, None)
                else:
                    self.decisions[key] = status
        if changed:
            self._save()
        return changed

    def approve(self, *items: Item | str) -> int:
        return self.decide(items, APPROVED)

    def hide(self, *items: Item | str) -> int:
        return self.decide(items, HIDDEN)

    def approve_all(self, items: Iterable[Item]) -> int:
        """Approve every item still pending (hidden ones stay hidden)."""
        return self.decide([i for i in items if self.status(i) == PENDING], APPROVED)

    def pending(self, items: Iterable[Item]) -> list[Item]:
        return [i for i in items if self.status(i) == PENDING]
