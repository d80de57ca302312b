"""Share files for the facilitator board's tests: valid, hostile and malformed ones.

Used by ``tests/test_board.py``, ``tests/test_board_load.py`` and
``tests/browser/test_facilitator.py`` (import with ``from _share_files import ...``;
pytest puts ``tests/`` on the import path).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from partnership_lib.core.files import write_atomically
from partnership_lib.documents.share import SHARE_FORMAT, SHARE_VERSION

#: Sets ``window.__pwned`` if the browser ever runs it; at most 80 characters, so it also
#: fits a display name.
PAYLOAD = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>"
assert len(PAYLOAD) <= 80

GRID = ("02_climate_for_change", "activity3", "stakeholders")
WALL = ("04_feedback_and_reflection", "evaluation", "notes")
OPPORTUNITY_FIELDS = (
    "opportunities_case",
    "opportunities_own",
    "challenges_case",
    "challenges_own",
)


def share_doc(
    learner_id: str,
    display_name: str,
    answers: dict[tuple[str, str, str], Any],
    *,
    at: datetime | None = None,
    session_code: str | None = None,
) -> dict[str, Any]:
    """A share-file document as :func:`export.export_share_file` writes it (sent for
    ``session_code`` when one is given)."""
    when = at or datetime.now(UTC)
    doc = {
        "format": SHARE_FORMAT,
        "version": SHARE_VERSION,
        "exported_at": when.isoformat(timespec="seconds"),
        "learner_id": learner_id,
        "display_name": display_name,
        "anonymised": True,
        "answers": [
            {"notebook": nb, "exercise": ex, "field": field, "value": value}
            for (nb, ex, field), value in sorted(answers.items())
        ],
    }
    if session_code:
        doc["session_code"] = session_code
    return doc


def write_share(folder: Path, name: str, doc: dict[str, Any] | str) -> Path:
    """Write a document (or raw text) to ``folder/name`` atomically, as learners do."""
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False, indent=1)
    return write_atomically(Path(folder) / name, text)


def read_answers(path: Path) -> dict[tuple[str, str, str], Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {(r["notebook"], r["exercise"], r["field"]): r["value"] for r in data["answers"]}


def hostile_doc(
    template: Path, payload: str = PAYLOAD, *, session_code: str | None = None
) -> dict[str, Any]:
    """A valid share file with ``payload`` in every text a view or the board shows.

    The other answers are copied from ``template`` (a demo learner's file), under a new
    learner id (and the template's session code unless ``session_code`` is given).
    """
    if session_code is None:
        session_code = json.loads(Path(template).read_text(encoding="utf-8")).get("session_code")
    answers = read_answers(template)
    answers[GRID] = [
        {
            "name": f"{payload} {i}",
            "organisation": payload,
            "role": payload,
            "power": 2.0 + 3 * i,
            "interest": 8.0 - 3 * i,
            "attitude": "supporter",
        }
        for i in range(2)
    ]
    for field in OPPORTUNITY_FIELDS:
        answers[("01_concepts_and_contexts", "activity2", field)] = f"{payload}\n- {payload} too"
    answers[WALL] = [
        {"id": i + 1, "colour": colour, "text": payload}
        for i, colour in enumerate(("pink", "yellow", "green", "blue"))
    ]
    return share_doc(uuid.uuid4().hex, payload, answers, session_code=session_code)


def write_malformed(folder: Path) -> dict[str, str]:
    """Three bad files: not JSON, not a share file, and one that breaks the schema.

    Returns ``{file name: a word its reason must contain}``.
    """
    write_share(folder, "broken.json", '{"format": "collaborative-working-share", "vers')
    write_share(folder, "not-a-share-file.json", {"format": "something-else", "rows": []})
    bad = share_doc(uuid.uuid4().hex, "Schema breaker", {})
    bad["learner_id"] = "not a hex id"
    write_share(folder, "schema-violation.json", bad)
    return {
        "broken.json": "JSON",
        "not-a-share-file.json": "format",
        "schema-violation.json": "learner_id",
    }
