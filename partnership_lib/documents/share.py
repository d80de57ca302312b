"""The learner's exports: a portfolio to keep, and a share file for the facilitator.

- :func:`export_portfolio` writes every answer in the store as one self-contained HTML
  (or Markdown) document: a title page, one section per session, the learner's text
  exactly as typed (escaped), and charts drawn from their own answers, each PNG embedded
  with its text alternative. Nothing in it loads anything from the network.
- :func:`export_share_file` writes a versioned JSON file of the answers for the
  facilitator, anonymised by default (:mod:`partnership_lib.documents.anonymise`): e-mail
  addresses, NHS numbers, phone numbers, postcodes and the names the learner lists are
  replaced with placeholders. :func:`anonymisation_preview`
  shows what would be replaced before anything is written.
- :func:`load_share_file` validates a share file (size cap, encoding, JSON, schema, types)
  and :func:`import_share_file` brings one into a store; a bad file is rejected with a
  message that names the problem, and nothing is changed.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from partnership_lib.core import content
from partnership_lib.core.files import resolve_output, write_atomically
from partnership_lib.core.store import STATUS_FIELD, AnswerKey, AnswerStore, default_store
from partnership_lib.documents.anonymise import Anonymiser, Replacement, anonymise

__all__ = [
    "ANONYMISE_NAMES_KEY",
    "LEARNER_NAME_KEY",
    "SETTINGS",
    "SHARE_FORMAT",
    "SHARE_VERSION",
    "Replacement",
    "ShareFile",
    "ShareFileError",
    "anonymisation_preview",
    "anonymise",
    "export_share_file",
    "import_share_file",
    "learner_id",
    "load_share_file",
]

SHARE_FORMAT = "collaborative-working-share"
SHARE_VERSION = 1
#: A share file larger than this is refused before it is parsed.
MAX_SHARE_BYTES = 2_000_000
#: Nesting deeper than this in one answer is refused (no answer of ours nests so deep).
MAX_DEPTH = 12

SETTINGS = "settings"
LEARNER_ID_KEY = AnswerKey(SETTINGS, "learner", "id")
LEARNER_NAME_KEY = AnswerKey(SETTINGS, "learner", "name")
ANONYMISE_NAMES_KEY = AnswerKey(SETTINGS, "sharing", "names")
#: The code of the workshop session the learner last sent to (see :func:`export_share_file`).
SESSION_CODE_KEY = AnswerKey(SETTINGS, "sharing", "session_code")
#: Where a hub, or a facilitator starting the notebooks, gives the session's code.
SESSION_CODE_ENV = "PARTNERSHIP_SESSION_CODE"
_CODE = re.compile(r"^[A-Z0-9]{4,12}$")


def normalise_session_code(text: str) -> str:
    """A session code as typed (``"k7p q3m"``, ``"K7P-Q3M"``) in its stored form, ``"K7PQ3M"``.

    Raises ``ValueError`` naming the problem: 4 to 12 letters and digits.
    """
    code = re.sub(r"[\s\-_.]", "", str(text)).upper()
    if not _CODE.fullmatch(code):
        raise ValueError(
            f"a session code is 4 to 12 letters and digits (spaces and dashes are "
            f"ignored), got {text!r}"
        )
    return code


# ============================================================================ file names


# ============================================================================ learner


def learner_id(store: AnswerStore) -> str:
    """A random id for this learner's store, made once; lets a facilitator keep the newest file."""
    existing = store.get(LEARNER_ID_KEY)
    if isinstance(existing, str) and re.fullmatch(r"[0-9a-f]{32}", existing):
        return existing
    new = uuid.uuid4().hex
    store.save(LEARNER_ID_KEY, new)
    return new


# ============================================================================ anonymising


def names_to_hide(store: AnswerStore, names: Iterable[str] | None) -> list[str]:
    if names is not None:
        return [str(n) for n in names]
    stored = store.get(ANONYMISE_NAMES_KEY, [])
    if isinstance(stored, str):
        stored = re.split(r"[\n,;]+", stored)
    return [str(n) for n in stored if str(n).strip()] if isinstance(stored, list) else []


def _shareable_answers(store: AnswerStore) -> dict[AnswerKey, Any]:
    return {k: v for k, v in store.answers().items() if k.notebook != SETTINGS}


def anonymisation_preview(
    store: AnswerStore | None = None, *, names: Iterable[str] | None = None
) -> list[Replacement]:
    """List everything :func:`export_share_file` would replace, without writing anything."""
    store = store if store is not None else default_store()
    anonymiser = Anonymiser(names_to_hide(store, names))
    for key, value in sorted(_shareable_answers(store).items()):
        anonymiser.value(value, str(key))
    return anonymiser.found


# ============================================================================ share files


class ShareFileError(ValueError):
    """A share file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class ShareFile:
    """A validated share file."""

    path: Path | None
    learner_id: str
    display_name: str
    exported_at: datetime
    anonymised: bool
    answers: Mapping[AnswerKey, Any] = field(default_factory=dict)
    #: The workshop session it was sent for (``None``: not given).
    session_code: str | None = None
    #: The account the file came from (its owner on a hub's room folder; ``""``: unknown).
    owner: str = ""

    @property
    def label(self) -> str:
        """How the facilitator sees this learner: the hub account when known, with the
        name the learner typed beside it; otherwise the typed name."""
        if self.owner:
            typed = self.display_name.strip()
            return f"{self.owner} ({typed})" if typed and typed != self.owner else self.owner
        return self.display_name


def export_share_file(
    path: str | Path | None = None,
    *,
    store: AnswerStore | None = None,
    display_name: str = "",
    anonymise: bool = True,
    names: Iterable[str] | None = None,
    folder: str | Path | None = None,
    session_code: str | None = None,
) -> Path:
    """Write the learner's answers as a share file for the facilitator.

    Parameters
    ----------
    path
        File to write; a folder (the file is named for you); a bare file name when
        ``folder`` is given (it cannot escape that folder); or None for the data
        folder's ``exports/``.
    display_name
        How the facilitator will see this learner (a first name or a table number).
    anonymise
        Replace e-mail addresses, phone numbers, postcodes and ``names`` (default: the
        names the learner listed to hide) with placeholders such as ``[name 1]``.
    session_code
        The workshop session's code, so the facilitator's board knows the file is for
        this session; by default ``$PARTNERSHIP_SESSION_CODE``, else none. Normalised
        (:func:`normalise_session_code`); a bad code raises ``ValueError`` and nothing
        is written.

    Returns
    -------
    Path
        The file written (written to a temporary name first, then renamed).
    """
    store = store if store is not None else default_store()
    if session_code is None:
        session_code = os.environ.get(SESSION_CODE_ENV) or None
    code = normalise_session_code(session_code) if session_code else None
    display_name = " ".join(str(display_name).split())[:80]
    answers = _shareable_answers(store)
    anonymiser = Anonymiser(names_to_hide(store, names)) if anonymise else None
    rows = []
    for key, value in sorted(answers.items()):
        if key.field in (STATUS_FIELD,):
            continue
        if anonymiser is not None:
            value = anonymiser.value(value, str(key))
        rows.append(
            {"notebook": key.notebook, "exercise": key.exercise, "field": key.field, "value": value}
        )
    document = {
        "format": SHARE_FORMAT,
        "version": SHARE_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "learner_id": learner_id(store),
        "display_name": display_name,
        "anonymised": bool(anonymise),
        "answers": rows,
    }
    if code is not None:
        document["session_code"] = code
    text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
    target = resolve_output(path, folder, store, "share", ".json")
    return write_atomically(target, text)


def _depth(value: Any, limit: int) -> int:
    if limit < 0:
        return 1 << 30
    if isinstance(value, list):
        return 1 + max((_depth(v, limit - 1) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v, limit - 1) for v in value.values()), default=0)
    return 0


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a share file")


def load_share_file(path: str | Path, *, max_bytes: int = MAX_SHARE_BYTES) -> ShareFile:
    """Read and validate a share file; raise :class:`ShareFileError` naming the problem."""
    import jsonschema

    source = Path(path)
    label = source.name

    def fail(problem: str) -> ShareFileError:
        return ShareFileError(f"{label}: {problem}")

    try:
        size = source.stat().st_size
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise fail(f"is {size:,} bytes; share files are at most {max_bytes:,} bytes")
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"is not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        raise fail(f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise fail("is not a share file (expected a JSON object)")
    if data.get("format") != SHARE_FORMAT:
        raise fail("is not a Collaborative Working share file (wrong or missing 'format')")
    if isinstance(data.get("version"), int) and data["version"] > SHARE_VERSION:
        raise fail(
            f"was written by a newer version (share file version {data['version']}); "
            "update the workbook to read it"
        )
    validator = jsonschema.Draft202012Validator(
        content.schema("share_file"), format_checker=jsonschema.FormatChecker()
    )
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise fail(f"{where}: {error.message[:200]}")
    answers: dict[AnswerKey, Any] = {}
    for i, row in enumerate(data["answers"]):
        try:
            key = AnswerKey(row["notebook"], row["exercise"], row["field"])
        except ValueError as exc:
            raise fail(f"answers/{i}: {exc}") from None
        if key in answers:
            raise fail(f"answers/{i}: {key} appears twice")
        if _depth(row["value"], MAX_DEPTH) > MAX_DEPTH:
            raise fail(f"answers/{i}: the value for {key} is nested too deeply")
        answers[key] = row["value"]
    exported = datetime.fromisoformat(data["exported_at"])
    if exported.tzinfo is None:
        exported = exported.replace(tzinfo=UTC)
    return ShareFile(
        path=source,
        learner_id=data["learner_id"],
        display_name=data["display_name"],
        exported_at=exported,
        anonymised=data["anonymised"],
        answers=answers,
        session_code=data.get("session_code"),
    )


def import_share_file(path: str | Path, *, store: AnswerStore | None = None) -> int:
    """Bring a share file's answers into ``store`` (one transaction, recorded as 'import').

    Returns the number of answers that changed. A bad file raises
    :class:`ShareFileError` and the store is not touched.
    """
    store = store if store is not None else default_store()
    shared = load_share_file(path)
    return len(store.save_many(shared.answers.items(), action="import"))


# ============================================================================ portfolio blocks


# ============================================================================ HTML


# ============================================================================ Markdown


# ============================================================================ export
