"""Where the learner's own record of the day lives: the self-assessments and learning logs.

Each part of the record sits in the notebook where it is used: the start-of-day
assessment opens Session 1, each session's learning log page closes that session's
notebook, and the day's page and the end-of-day assessment are in notebook 04, which
gathers them all. Each is stored once, under its own notebook.

Earlier versions kept the start-of-day assessment and the three session logs in
notebook 04 (``04_feedback_and_reflection/assessment_start``, ``log_01`` to ``log_03``).
:func:`adopt_earlier_answers` moves such answers to their new home the first time that
home is opened, and :func:`record_fields` reads a part from its home, or from its
earlier place while nothing has moved yet, so no answer is lost or shown twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnership_lib.core.store import META_FIELD, STATUS_FIELD, AnswerKey, AnswerStore

__all__ = [
    "DAY_LOG",
    "EARLIER_HOMES",
    "END_OF_DAY",
    "SESSION_LOGS",
    "START_OF_DAY",
    "Home",
    "adopt_earlier_answers",
    "record_fields",
]

NOTEBOOK_04 = "04_feedback_and_reflection"


@dataclass(frozen=True, slots=True)
class Home:
    """Where one exercise keeps its answers: ``notebook/exercise/<field>``."""

    notebook: str
    exercise: str

    def __post_init__(self) -> None:
        AnswerKey(self.notebook, self.exercise, "field")  # names the bad part, if any

    def key(self, field: str) -> AnswerKey:
        return AnswerKey(self.notebook, self.exercise, field)


#: The start-of-day self-assessment: the first thing in Session 1.
START_OF_DAY = Home("01_concepts_and_contexts", "assessment_start")
#: The end-of-day self-assessment, in notebook 04.
END_OF_DAY = Home(NOTEBOOK_04, "assessment_end")
#: Each session's learning log page, at the end of its notebook, in the day's order.
SESSION_LOGS: tuple[Home, ...] = (
    Home("01_concepts_and_contexts", "learning_log"),
    Home("02_climate_for_change", "learning_log"),
    Home("03_influencing_and_negotiation", "learning_log"),
)
#: The learning log page for the day as a whole, in notebook 04.
DAY_LOG = Home(NOTEBOOK_04, "log_day")

#: Where earlier versions kept what now lives elsewhere: new home -> earlier home.
EARLIER_HOMES: dict[Home, Home] = {
    START_OF_DAY: Home(NOTEBOOK_04, "assessment_start"),
    SESSION_LOGS[0]: Home(NOTEBOOK_04, "log_01"),
    SESSION_LOGS[1]: Home(NOTEBOOK_04, "log_02"),
    SESSION_LOGS[2]: Home(NOTEBOOK_04, "log_03"),
}


def _fields(store: AnswerStore, home: Home) -> dict[str, Any]:
    """Every current field of one exercise, bookkeeping included."""
    return {
        k.field: v for k, v in store.answers(home.notebook).items() if k.exercise == home.exercise
    }


def _answered(fields: dict[str, Any]) -> bool:
    return any(f not in (STATUS_FIELD, META_FIELD) for f in fields)


def adopt_earlier_answers(store: AnswerStore, home: Home, *, title: str = "") -> int:
    """Move answers kept at ``home``'s earlier place (see :data:`EARLIER_HOMES`) to ``home``.

    Nothing moves when ``home`` had no earlier place, the earlier place holds no
    answer, or ``home`` holds answers of its own already (they are the newer ones; the
    earlier ones stay where they are). Otherwise every field, with its completion and
    the exercise's kind, is saved at ``home`` in one transaction, and the earlier place is
    then reset: its history keeps every revision, so nothing is lost.

    Parameters
    ----------
    title
        The exercise's title in its new notebook, recorded with the answers.

    Returns
    -------
    int
        How many fields moved.
    """
    earlier = EARLIER_HOMES.get(home)
    if earlier is None:
        return 0
    old = _fields(store, earlier)
    if not _answered(old) or _answered(_fields(store, home)):
        return 0
    meta = old.get(META_FIELD)
    if isinstance(meta, dict) and title:
        old[META_FIELD] = {**meta, "title": title}
    store.save_many({home.key(field): value for field, value in old.items()})
    store.reset_exercise(earlier.notebook, earlier.exercise)
    return sum(f not in (STATUS_FIELD, META_FIELD) for f in old)


def record_fields(store: AnswerStore, home: Home) -> dict[str, Any]:
    """The answers of one part of the day's record, bookkeeping left out.

    Read from ``home``; while ``home`` holds nothing and its earlier place (see
    :data:`EARLIER_HOMES`) still holds answers that have not moved, from there.
    """
    fields = _fields(store, home)
    if not _answered(fields) and home in EARLIER_HOMES:
        fields = _fields(store, EARLIER_HOMES[home])
    return {f: v for f, v in fields.items() if f not in (STATUS_FIELD, META_FIELD)}
