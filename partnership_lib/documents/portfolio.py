"""The learner's portfolio: every answer in the store as one document to keep.

:func:`export_portfolio` writes it as one self-contained HTML (or Markdown) file: a title
page, one section per session, the learner's text exactly as typed (escaped), and charts
drawn from their own answers, each PNG embedded with its text alternative. Nothing in it
loads anything from the network.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from partnership_lib.core import content
from partnership_lib.core.files import resolve_output, write_atomically
from partnership_lib.core.store import META_FIELD, STATUS_FIELD, AnswerStore, default_store
from partnership_lib.documents.blocks import Block, Document, Fields, Para, Section
from partnership_lib.documents.exercise_blocks import RENDERERS, generic_blocks, humanise
from partnership_lib.documents.render import FORMATS, Rendered, markdown_escape, render_document
from partnership_lib.documents.share import LEARNER_NAME_KEY, SETTINGS

__all__ = [
    "export_portfolio",
    "markdown_escape",  # the scenario card writes Markdown too
    "portfolio",
    "portfolio_document",
]


def _exercise_blocks(fields: Mapping[str, Any]) -> list[Block]:
    meta = fields.get(META_FIELD) or {}
    answers = {k: v for k, v in fields.items() if k not in (META_FIELD, STATUS_FIELD)}
    renderer = RENDERERS.get(meta.get("kind", "") if isinstance(meta, dict) else "")
    if renderer is not None:
        try:
            return renderer(answers)
        except Exception as exc:  # never lose an answer because a chart could not be drawn
            fallback = [Para(f"(This answer could not be drawn: {exc}. It is shown as text.)")]
            for k, v in answers.items():
                fallback += generic_blocks(v, humanise(k))
            return fallback
    out: list[Block] = []
    for k, v in answers.items():
        out += generic_blocks(v, humanise(k) if len(answers) > 1 else "")
    return out


@dataclass(frozen=True, slots=True)
class _Exercise:
    key: str
    title: str
    status: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class _Session:
    key: str
    title: str
    subtitle: str
    exercises: tuple[_Exercise, ...]


def _sessions(store: AnswerStore) -> list[_Session]:
    catalogue = content.load("sessions")["sessions"]
    by_notebook: dict[str, dict[str, dict[str, Any]]] = {}
    for key, value in store.answers().items():
        if key.notebook == SETTINGS:
            continue
        by_notebook.setdefault(key.notebook, {}).setdefault(key.exercise, {})[key.field] = value
    known = [s["key"] for s in catalogue]
    extra = sorted(set(by_notebook) - set(known))
    out = []
    for entry in [*catalogue, *({"key": k, "title": humanise(k), "number": None} for k in extra)]:
        exercises = []
        for ex_key, fields in sorted(by_notebook.get(entry["key"], {}).items()):
            meta = fields.get(META_FIELD) if isinstance(fields.get(META_FIELD), dict) else {}
            title = meta.get("title") or humanise(ex_key)
            status = (
                fields.get(STATUS_FIELD) if isinstance(fields.get(STATUS_FIELD), str) else "started"
            )
            exercises.append(_Exercise(ex_key, title, status, tuple(_exercise_blocks(fields))))
        number = entry.get("number")
        subtitle = f"Session {number}, {entry.get('time', '')}" if number else entry.get("time", "")
        out.append(_Session(entry["key"], entry["title"], subtitle.strip(", "), tuple(exercises)))
    return out


def portfolio(sessions: Sequence[_Session], name: str, when: datetime) -> Document:
    """The portfolio as a :class:`~partnership_lib.documents.blocks.Document`."""
    front = (
        Para("Collaborative Working to Improve Population Health & Wellbeing", "lead"),
        Fields((("Name", name or "\u00a0" * 20), ("Date", when.strftime("%d %B %Y")))),
        Para(
            "Personal and confidential: this portfolio records your own answers from the "
            "workshop workbook. Share it only if you choose to.",
            "note",
        ),
    )
    sections = []
    for s in sessions:
        blocks: list[Block] = []
        if s.subtitle:
            blocks.append(Para(s.subtitle, "status"))
        if not s.exercises:
            blocks.append(Para("No answers recorded for this session yet.", "empty"))
        for ex in s.exercises:
            blocks.append(
                Section(
                    ex.title,
                    (Para(f"Status: {ex.status}", "status"), *ex.blocks),
                    level=3,
                    css_class="exercise",
                    element="article",
                )
            )
        sections.append(Section(s.title, tuple(blocks), id=s.key, css_class="session"))
    return Document(
        title="Partnership portfolio" + (f" – {name}" if name else ""),
        heading="My partnership portfolio",
        front=front,
        sections=tuple(sections),
        contents=True,
    )


def portfolio_document(
    *, store: AnswerStore | None = None, format: str = "html", learner_name: str | None = None
) -> str:
    """Return the portfolio as an HTML or Markdown string (see :func:`export_portfolio`)."""
    return _rendered(store, format, learner_name, "charts").text


def _rendered(
    store: AnswerStore | None, format: str, learner_name: str | None, folder: str
) -> Rendered:
    if format not in FORMATS:
        raise ValueError(f"format must be {' or '.join(map(repr, FORMATS))}, got {format!r}")
    store = store if store is not None else default_store()
    name = learner_name if learner_name is not None else store.get(LEARNER_NAME_KEY, "")
    name = " ".join(str(name or "").split())
    document = portfolio(_sessions(store), name, datetime.now(UTC))
    if format == "md":
        return render_document(document, format, folder=folder)
    return render_document(document, format)


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
    (``portfolio.md`` and ``portfolio-charts/chart-01.png``, ...), which the text links to.

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
