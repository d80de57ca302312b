"""The learner's portfolio: every answer of the day, as a document to keep.

:func:`portfolio` builds it as a :class:`~partnership_lib.documents.blocks.Document`: a
title page, the contents, one section per session in the day's order, and in each the
exercises in the order the notebook shows them (``data/sessions.yaml``), each under its
own title and rendered by its kind's renderer
(:data:`~partnership_lib.documents.exercise_blocks.RENDERERS`) with the words the notebook
showed. The references close it.

:func:`export_portfolio` writes it as HTML (one self-contained, printable file, every
chart embedded; nothing is fetched) or as Markdown (readable text, the charts as PNG
files in a folder beside it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from partnership_lib.core.files import resolve_output, write_atomically
from partnership_lib.core.store import META_FIELD, STATUS_FIELD, AnswerStore, default_store
from partnership_lib.documents.blocks import (
    Block,
    Bullets,
    Document,
    Fields,
    Heading,
    Para,
    Section,
)
from partnership_lib.documents.exercise_blocks import RENDERERS, ExerciseAnswers, UnknownExercise
from partnership_lib.documents.exercise_content import portfolio_text
from partnership_lib.documents.render import FORMATS, Rendered, markdown_escape, render_document
from partnership_lib.documents.share import LEARNER_NAME_KEY, SETTINGS
from partnership_lib.models.programme import session_catalogue
from partnership_lib.models.references import format_reference, list_titles, references

__all__ = [
    "export_portfolio",
    "markdown_escape",  # the scenario card writes Markdown too
    "portfolio",
    "portfolio_document",
]

#: The anchor of the references section.
REFERENCES_ID = "references"


@dataclass(frozen=True, slots=True)
class _Saved:
    """Everything the store holds for one exercise."""

    notebook: str
    key: str
    fields: dict[str, Any]

    @property
    def meta(self) -> Mapping[str, Any]:
        meta = self.fields.get(META_FIELD)
        return meta if isinstance(meta, Mapping) else {}

    @property
    def answers(self) -> dict[str, Any]:
        # Bookkeeping and what is half-typed (fields starting with "_") are not answers.
        return {k: v for k, v in self.fields.items() if not k.startswith("_")}


def _saved(store: AnswerStore) -> dict[tuple[str, str], _Saved]:
    found: dict[tuple[str, str], _Saved] = {}
    for key, value in store.answers().items():
        if key.notebook == SETTINGS:
            continue
        entry = (key.notebook, key.exercise)
        if entry not in found:
            found[entry] = _Saved(key.notebook, key.exercise, {})
        found[entry].fields[key.field] = value
    return found


class _Day:
    """The day's exercises matched with the answers saved for them."""

    def __init__(self, store: AnswerStore) -> None:
        self.saved = _saved(store)
        self.catalogue = session_catalogue()
        self.listed = {(s["key"], e["key"]) for s in self.catalogue for e in s.get("exercises", [])}
        self.shown: set[tuple[str, str]] = set()
        self.not_shown = 0

    def find(self, notebook: str, exercise: str) -> _Saved | None:
        """The answers of one exercise; those saved under another notebook when the
        exercise moved there since (an exercise's key is unique in the day)."""
        if (notebook, exercise) in self.saved:
            return self.saved[(notebook, exercise)]
        moved = [
            s
            for (nb, ex), s in self.saved.items()
            if ex == exercise and (nb, ex) not in self.listed
        ]
        return moved[0] if moved else None

    def others(self, exercise: str) -> Mapping[str, Any]:
        for (nb, ex), saved in self.saved.items():
            if ex == exercise and (nb, ex) in self.listed:
                return saved.answers
        found = self.find("", exercise)
        return found.answers if found is not None else {}

    def unlisted(self, notebook: str) -> Iterator[_Saved]:
        """Answers saved under this notebook by exercises the day does not list."""
        for (nb, ex), saved in sorted(self.saved.items()):
            if nb == notebook and (nb, ex) not in self.listed and (nb, ex) not in self.shown:
                yield saved


def _exercise(day: _Day, saved: _Saved, title: str) -> Section | None:
    """One exercise as a section, or None when there is nothing to show."""
    day.shown.add((saved.notebook, saved.key))
    kind = saved.meta.get("kind")
    renderer = RENDERERS.get(kind) if isinstance(kind, str) else None
    recorded = saved.meta.get("title")
    answers = ExerciseAnswers(
        saved.notebook,
        saved.key,
        kind or "",
        title,
        saved.answers,
        recorded_title=recorded if isinstance(recorded, str) else "",
        meta=saved.meta,
        complete=saved.fields.get(STATUS_FIELD) == "complete",
        others=day.others,
    )
    words = portfolio_text()
    if renderer is None or not title.strip():
        day.not_shown += bool(saved.answers)
        return None
    try:
        blocks = renderer(answers)
    except UnknownExercise:
        day.not_shown += 1
        return None
    except (TypeError, ValueError, KeyError):  # a damaged answer never stops the portfolio
        blocks = [Para(words["damaged"], "note")]
    if not blocks:
        return None
    status = words["status"]["complete" if answers.complete else "started"]
    return Section(
        title,
        (Para(status, "status"), *blocks),
        level=3,
        css_class="exercise",
        element="article",
    )


def _session(day: _Day, entry: Mapping[str, Any]) -> Section:
    words = portfolio_text()
    blocks: list[Block] = []
    if entry.get("number"):
        blocks.append(Para(words["session_time"].format(**entry), "status"))
    elif entry.get("time"):
        blocks.append(Para(entry["time"], "status"))
    exercises = []
    for listed in entry.get("exercises", []):
        saved = day.find(entry["key"], listed["key"])
        if saved is not None and (section := _exercise(day, saved, listed["title"])):
            exercises.append(section)
    for saved in day.unlisted(entry["key"]):
        title = saved.meta.get("title")
        if section := _exercise(day, saved, title if isinstance(title, str) else ""):
            exercises.append(section)
    if not exercises:
        blocks.append(Para(words["no_answers"], "empty"))
    return Section(entry["title"], (*blocks, *exercises), id=entry["key"], css_class="session")


def _other_exercises(day: _Day) -> Section | None:
    """Exercises saved under notebooks the day does not list (a course author's own, or
    an older workbook's), under the titles they recorded; None when there are none."""
    listed = {entry["key"] for entry in day.catalogue}
    exercises = []
    for (notebook, _exercise_key), saved in sorted(day.saved.items()):
        if notebook in listed:
            continue
        title = saved.meta.get("title")
        if section := _exercise(day, saved, title if isinstance(title, str) else ""):
            exercises.append(section)
    if not exercises:
        return None
    words = portfolio_text()["other"]
    return Section(
        words["heading"],
        (Para(words["intro"], "intro"), *exercises),
        id="other-exercises",
        css_class="session",
    )


def _references() -> Section:
    words = portfolio_text()["references"]
    titles = list_titles()
    blocks: list[Block] = [Para(words["intro"], "intro")]
    for key, entries in references().items():
        blocks.append(Heading(titles[key], 3))
        blocks.append(Bullets(tuple(format_reference(e) for e in entries)))
    return Section(words["heading"], tuple(blocks), id=REFERENCES_ID, css_class="references")


def portfolio(
    store: AnswerStore, *, learner_name: str = "", when: datetime | None = None
) -> Document:
    """The learner's portfolio as a :class:`~partnership_lib.documents.blocks.Document`."""
    words = portfolio_text()
    when = when or datetime.now(UTC)
    day = _Day(store)
    sections = [_session(day, entry) for entry in day.catalogue]
    front: list[Block] = [
        Para(words["course"], "lead"),
        Fields(
            (
                (words["name"], learner_name or "\u00a0" * 20),
                (words["date"], when.strftime("%d %B %Y")),
            )
        ),
        Para(words["confidential"], "note"),
    ]
    other = _other_exercises(day)
    if other is not None:
        sections.append(other)
    if day.not_shown:
        n = day.not_shown
        front.append(
            Para(
                words["not_shown"].format(
                    answers=f"{n} answer{'s' if n != 1 else ''}", verb="are" if n != 1 else "is"
                ),
                "status",
            )
        )
    return Document(
        title=words["title"] + (f" – {learner_name}" if learner_name else ""),
        heading=words["title"],
        front=tuple(front),
        sections=(*sections, _references()),
        contents=True,
    )


def _rendered(
    store: AnswerStore | None, format: str, learner_name: str | None, folder: str
) -> Rendered:
    if format not in FORMATS:
        raise ValueError(f"format must be {' or '.join(map(repr, FORMATS))}, got {format!r}")
    store = store if store is not None else default_store()
    name = learner_name if learner_name is not None else store.get(LEARNER_NAME_KEY, "")
    document = portfolio(store, learner_name=" ".join(str(name or "").split()))
    if format == "md":
        return render_document(document, format, folder=folder)
    return render_document(document, format)


def portfolio_document(
    *, store: AnswerStore | None = None, format: str = "html", learner_name: str | None = None
) -> str:
    """The portfolio as an HTML or Markdown string (see :func:`export_portfolio`).

    Markdown links its charts as ``charts/chart-01.png`` ...; only
    :func:`export_portfolio` writes those files.
    """
    return _rendered(store, format, learner_name, "charts").text


def export_portfolio(
    path: str | Path | None = None,
    format: str = "html",
    *,
    store: AnswerStore | None = None,
    learner_name: str | None = None,
    folder: str | Path | None = None,
) -> Path:
    """Write the learner's whole portfolio as an HTML or Markdown file.

    HTML is one self-contained file (charts embedded). Markdown is readable text; its
    charts are PNG files in a folder beside it, named after the file
    (``portfolio.md`` and ``portfolio-charts/chart-01.png``, ...), which the text links
    to; an earlier export's pictures there are replaced.

    Parameters
    ----------
    path
        File to write; a folder; a bare file name when ``folder`` is given (it cannot
        escape that folder); or None for the data folder's ``exports/``.
    format
        ``"html"`` (printable, charts embedded) or ``"md"``.
    learner_name
        Shown on the title page; by default the name saved in the workbook, if any.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be {' or '.join(map(repr, FORMATS))}, got {format!r}")
    store = store if store is not None else default_store()
    target = resolve_output(path, folder, store, "portfolio", f".{format}")
    pictures = f"{target.stem}-charts"
    rendered = _rendered(store, format, learner_name, pictures)
    if rendered.files:
        _write_pictures(target.parent / pictures, rendered.files, target.parent)
    return write_atomically(target, rendered.text)


def _write_pictures(folder: Path, files: Mapping[str, bytes], base: Path) -> None:
    """Write a Markdown portfolio's pictures, replacing an earlier export's."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("chart-*.png"):
        if f"{folder.name}/{old.name}" not in files:
            old.unlink()
    for relative, data in files.items():
        target = base / relative
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
