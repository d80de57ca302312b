"""The learner's portfolio: every answer in the store as one document to keep.

:func:`export_portfolio` writes it as one self-contained HTML (or Markdown) file: a title
page, one section per session, the learner's text exactly as typed (escaped), and charts
drawn from their own answers, each PNG embedded with its text alternative. Nothing in it
loads anything from the network.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnership_lib.charts.chart import _cell
from partnership_lib.core import content
from partnership_lib.core.files import resolve_output, write_atomically
from partnership_lib.core.html import escape
from partnership_lib.core.store import META_FIELD, STATUS_FIELD, AnswerStore, default_store
from partnership_lib.documents.blocks import (
    Block,
    Bullets,
    Fields,
    Figure,
    Para,
    Table,
    generic_blocks,
    humanise,
)
from partnership_lib.documents.exercise_blocks import RENDERERS
from partnership_lib.documents.share import LEARNER_NAME_KEY, SETTINGS

if TYPE_CHECKING:
    pass


DOCUMENT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1a1a1a;
       line-height: 1.5; max-width: 60em; margin: 0 auto; padding: 1.5em; font-size: 12pt; }
h1, h2, h3 { line-height: 1.25; }
h2 { border-bottom: 3px solid #0072B2; padding-bottom: .2em; margin-top: 2em; }
h3 { color: #004C80; margin-top: 1.6em; }
.title-page { min-height: 85vh; display: flex; flex-direction: column; justify-content: center; }
.title-page h1 { font-size: 2.4em; margin: 0 0 .3em; }
.title-page p { font-size: 1.2em; margin: .2em 0; }
.confidential { border-left: 6px solid #B84A00; padding: .5em 1em; background: #FCEBDD; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: minmax(8em, 16em) 1fr; gap: .3em 1em; }
dt { font-weight: bold; } dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; }
th, td { border: 1px solid #888; padding: .3em .5em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #EDEDED; }
caption { text-align: left; font-weight: bold; padding: .3em 0; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ccc; }
figcaption { font-size: .95em; color: #333; white-space: pre-wrap; }
.status { font-size: .9em; color: #4d4d4d; }
.empty { color: #4d4d4d; font-style: italic; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .title-page { min-height: 0; height: 250mm; break-after: page; }
  section.session { break-before: page; }
  figure, table, dl, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def _exercise_blocks(fields: Mapping[str, Any]) -> list[Block]:
    meta = fields.get(META_FIELD) or {}
    answers = {k: v for k, v in fields.items() if k not in (META_FIELD, STATUS_FIELD)}
    renderer = RENDERERS.get(meta.get("kind", "") if isinstance(meta, dict) else "")
    if renderer is not None:
        try:
            # with the bookkeeping a renderer may read: META_FIELD (a rating scale's items)
            return renderer({**answers, META_FIELD: meta})
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


def _block_html(block: Block) -> str:
    if isinstance(block, Para):
        return f'<p class="answer">{escape(block.text)}</p>'
    if isinstance(block, Fields):
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in block.items)
        return f"<dl>{rows}</dl>"
    if isinstance(block, Bullets):
        items = "".join(f'<li class="answer">{escape(v)}</li>' for v in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        first = block.alt.strip().split(". ", 1)[0].rstrip(".") + "."
        table = (
            ""
            if block.table is None
            else '<details class="chart-table"><summary>Show as table</summary>'
            f"{block.table.html}</details>"
        )
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(first)}" '
            f'width="{block.width}" height="{block.height}">'
            f"{table}<figcaption>{escape(block.alt)}</figcaption></figure>"
        )
    raise TypeError(f"unknown block {block!r}")


def _portfolio_html(sessions: Sequence[_Session], name: str, when: datetime) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No request may leave the page: forbid every fetch except inline styles and data images.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Partnership portfolio{(' – ' + escape(name)) if name else ''}</title>",
        f"<style>{DOCUMENT_CSS}</style></head><body>",
        '<header class="title-page">',
        "<p>Collaborative Working to Improve Population Health &amp; Wellbeing</p>",
        "<h1>My partnership portfolio</h1>",
        f"<p><strong>Name:</strong> {escape(name) if name else '&nbsp;' * 20}</p>",
        f"<p><strong>Date:</strong> {when.strftime('%d %B %Y')}</p>",
        '<p class="confidential">Personal and confidential: this portfolio records your own '
        "answers from the workshop workbook. Share it only if you choose to.</p>",
        "</header>",
        '<nav aria-label="Contents"><h2>Contents</h2><ol>',
    ]
    parts += [f'<li><a href="#{escape(s.key)}">{escape(s.title)}</a></li>' for s in sessions]
    parts.append("</ol></nav><main>")
    for s in sessions:
        parts.append(
            f'<section class="session" id="{escape(s.key)}" aria-labelledby="h-{escape(s.key)}">'
        )
        parts.append(f'<h2 id="h-{escape(s.key)}">{escape(s.title)}</h2>')
        if s.subtitle:
            parts.append(f'<p class="status">{escape(s.subtitle)}</p>')
        if not s.exercises:
            parts.append('<p class="empty">No answers recorded for this session yet.</p>')
        for ex in s.exercises:
            parts.append(f'<article class="exercise"><h3>{escape(ex.title)}</h3>')
            parts.append(f'<p class="status">Status: {escape(ex.status)}</p>')
            parts += [_block_html(b) for b in ex.blocks]
            parts.append("</article>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def markdown_escape(text: str) -> str:
    """Escape learner text for Markdown: HTML-escape it and backslash Markdown's syntax."""
    escaped = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped).replace("\n", "  \n")


def _block_md(block: Block) -> str:
    if isinstance(block, Para):
        return markdown_escape(block.text)
    if isinstance(block, Fields):
        return "\n\n".join(
            f"**{markdown_escape(k)}**  \n{markdown_escape(v)}" for k, v in block.items
        )
    if isinstance(block, Bullets):
        return "\n".join(f"- {markdown_escape(v)}" for v in block.items)
    if isinstance(block, Table):

        def cell(text: str) -> str:
            return markdown_escape(text).replace("  \n", "<br>")

        head = "| " + " | ".join(cell(h) for h in block.headers) + " |"
        rule = "|" + "---|" * len(block.headers)
        rows = ["| " + " | ".join(cell(c) for c in row) + " |" for row in block.rows]
        caption = [f"*{markdown_escape(block.caption)}*", ""] if block.caption else []
        return "\n".join([*caption, head, rule, *rows])
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        alt = block.alt.replace("\n", " ").replace("[", "(").replace("]", ")")
        picture = f"![{markdown_escape(alt)}](data:image/png;base64,{data})\n\n*{markdown_escape(block.alt)}*"
        if block.table is None:
            return picture

        t = block.table
        rows = tuple(tuple(_cell(v) for v in row) for row in t.rows)
        return picture + "\n\n" + _block_md(Table(t.columns, rows, t.caption))
    raise TypeError(f"unknown block {block!r}")


def _portfolio_md(sessions: Sequence[_Session], name: str, when: datetime) -> str:
    lines = [
        "# My partnership portfolio",
        "",
        "Collaborative Working to Improve Population Health & Wellbeing",
        "",
        f"**Name:** {markdown_escape(name)}" if name else "**Name:**",
        "",
        f"**Date:** {when.strftime('%d %B %Y')}",
        "",
        "> Personal and confidential: this portfolio records your own answers from the "
        "workshop workbook. Share it only if you choose to.",
        "",
    ]
    for s in sessions:
        lines += [f"## {markdown_escape(s.title)}", ""]
        if s.subtitle:
            lines += [f"*{markdown_escape(s.subtitle)}*", ""]
        if not s.exercises:
            lines += ["*No answers recorded for this session yet.*", ""]
        for ex in s.exercises:
            lines += [
                f"### {markdown_escape(ex.title)}",
                "",
                f"*Status: {markdown_escape(ex.status)}*",
                "",
            ]
            for block in ex.blocks:
                lines += [_block_md(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def portfolio_document(
    *, store: AnswerStore | None = None, format: str = "html", learner_name: str | None = None
) -> str:
    """Return the portfolio as an HTML or Markdown string (see :func:`export_portfolio`)."""
    if format not in ("html", "md"):
        raise ValueError(f"format must be 'html' or 'md', got {format!r}")
    store = store if store is not None else default_store()
    name = learner_name if learner_name is not None else store.get(LEARNER_NAME_KEY, "")
    name = " ".join(str(name or "").split())
    when = datetime.now(UTC)
    sessions = _sessions(store)
    return (_portfolio_html if format == "html" else _portfolio_md)(sessions, name, when)


def export_portfolio(
    path: str | Path | None = None,
    format: str = "html",
    *,
    store: AnswerStore | None = None,
    learner_name: str | None = None,
    folder: str | Path | None = None,
) -> Path:
    """Write the learner's whole portfolio as one self-contained HTML or Markdown file.

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
    if format not in ("html", "md"):
        raise ValueError(f"format must be 'html' or 'md', got {format!r}")
    store = store if store is not None else default_store()
    document = portfolio_document(store=store, format=format, learner_name=learner_name)
    target = resolve_output(path, folder, store, "portfolio", f".{format}")
    return write_atomically(target, document)
