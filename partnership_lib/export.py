"""The learner's exports: a portfolio to keep, and a share file for the facilitator.

- :func:`export_portfolio` writes every answer in the store as one self-contained HTML
  (or Markdown) document: a title page, one section per session, the learner's text
  exactly as typed (escaped), and charts drawn from their own answers, each PNG embedded
  with its text alternative. Nothing in it loads anything from the network.
- :func:`export_share_file` writes a versioned JSON file of the answers for the
  facilitator, anonymised by default: e-mail addresses, phone numbers, postcodes and
  the names the learner lists are replaced with placeholders. :func:`anonymisation_preview`
  shows what would be replaced before anything is written.
- :func:`load_share_file` validates a share file (size cap, encoding, JSON, schema, types)
  and :func:`import_share_file` brings one into a store; a bad file is rejected with a
  message that names the problem, and nothing is changed.
"""

from __future__ import annotations

import base64
import html
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import content
from .store import AnswerKey, AnswerStore, default_store

if TYPE_CHECKING:
    from .charts import ChartTable

__all__ = [
    "SHARE_FORMAT",
    "SHARE_VERSION",
    "Replacement",
    "ShareFile",
    "ShareFileError",
    "anonymisation_preview",
    "anonymise",
    "export_portfolio",
    "export_share_file",
    "import_share_file",
    "learner_id",
    "load_share_file",
    "portfolio_document",
    "safe_output_path",
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

_META = "_meta"
_STATUS = "_status"


# ============================================================================ file names


def safe_output_path(folder: str | Path, filename: str) -> Path:
    """Return ``folder/filename``, refusing any name that would land outside ``folder``.

    Only a plain file name is accepted: no folders, no ``..``, no leading dot, no
    control characters. Raises ``ValueError`` naming the problem.
    """
    name = str(filename).strip()
    if not name:
        raise ValueError("the export needs a file name")
    if any(ch in name for ch in "/\\") or name in (".", ".."):
        raise ValueError(f"{filename!r} is not a plain file name: it may not contain folders")
    if name.startswith("."):
        raise ValueError(f"{filename!r} would be a hidden file; choose a name without a dot first")
    if any(ord(ch) < 32 or ch in '<>:"|?*' for ch in name):
        raise ValueError(f"{filename!r} contains characters that are not allowed in file names")
    base = Path(folder).expanduser().resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise ValueError(f"{filename!r} would be written outside {base}")
    return target


def _default_export_path(store: AnswerStore, stem: str, suffix: str) -> Path:
    folder = (store.path.parent if store.path else Path.cwd()) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return safe_output_path(folder, f"{stem}-{stamp}{suffix}")


def _resolve_output(
    path: str | Path | None, folder: str | Path | None, store: AnswerStore, stem: str, suffix: str
) -> Path:
    if path is None:
        return _default_export_path(store, stem, suffix)
    if folder is not None:
        return safe_output_path(folder, str(path))
    target = Path(path).expanduser()
    if target.is_dir():
        return safe_output_path(target, f"{stem}{suffix}")
    return target


def _write_atomically(target: Path, text: str) -> Path:
    """Write to a temporary name and rename, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


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


@dataclass(frozen=True, slots=True)
class Replacement:
    """One piece of text that anonymising would replace."""

    kind: str  # "e-mail", "phone", "postcode" or "name"
    original: str
    placeholder: str
    where: str  # "notebook/exercise/field"


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# UK numbers: +44 or 0 followed by 9-10 more digits, with spaces, dots, dashes or brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)(?:[\s.\-()]*\d){9,10}(?!\d)")
# UK postcodes (outward and inward parts), case-insensitive.
_POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.I)


class _Anonymiser:
    def __init__(self, names: Iterable[str]) -> None:
        cleaned = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
        self.name_pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in cleaned) + r")(?!\w)", re.I)
            if cleaned
            else None
        )
        self.placeholders: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self.found: list[Replacement] = []

    def _placeholder(self, kind: str, original: str) -> str:
        norm = original.casefold() if kind == "name" else re.sub(r"\s", "", original).casefold()
        key = (kind, norm)
        if key not in self.placeholders:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.placeholders[key] = f"[{kind} {self.counts[kind]}]"
        return self.placeholders[key]

    def text(self, value: str, where: str) -> str:
        patterns: list[tuple[str, re.Pattern[str]]] = [
            ("e-mail", _EMAIL),
            ("phone", _PHONE),
            ("postcode", _POSTCODE),
        ]
        if self.name_pattern is not None:
            patterns.append(("name", self.name_pattern))
        for kind, pattern in patterns:

            def _swap(m: re.Match[str], kind: str = kind) -> str:
                placeholder = self._placeholder(kind, m.group(0))
                self.found.append(Replacement(kind, m.group(0), placeholder, where))
                return placeholder

            value = pattern.sub(_swap, value)
        return value

    def value(self, value: Any, where: str) -> Any:
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, list):
            return [self.value(v, where) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v, where) for k, v in value.items()}
        return value


def anonymise(
    value: Any, names: Iterable[str] = (), *, where: str = ""
) -> tuple[Any, list[Replacement]]:
    """Return ``value`` with e-mails, phone numbers, postcodes and ``names`` replaced."""
    anonymiser = _Anonymiser(names)
    return anonymiser.value(value, where), anonymiser.found


def _names_to_hide(store: AnswerStore, names: Iterable[str] | None) -> list[str]:
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
    anonymiser = _Anonymiser(_names_to_hide(store, names))
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


def export_share_file(
    path: str | Path | None = None,
    *,
    store: AnswerStore | None = None,
    display_name: str = "",
    anonymise: bool = True,
    names: Iterable[str] | None = None,
    folder: str | Path | None = None,
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

    Returns
    -------
    Path
        The file written (written to a temporary name first, then renamed).
    """
    store = store if store is not None else default_store()
    display_name = " ".join(str(display_name).split())[:80]
    answers = _shareable_answers(store)
    anonymiser = _Anonymiser(_names_to_hide(store, names)) if anonymise else None
    rows = []
    for key, value in sorted(answers.items()):
        if key.field in (_STATUS,):
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
    text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
    target = _resolve_output(path, folder, store, "share", ".json")
    return _write_atomically(target, text)


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


@dataclass(frozen=True, slots=True)
class Para:
    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    png: bytes
    alt: str
    width: int
    height: int
    #: The chart's data, shown behind "Show as table" (HTML) or after the picture (Markdown).
    table: ChartTable | None = None


Block = Para | Fields | Bullets | Table | Figure
Renderer = Callable[[Mapping[str, Any]], list[Block]]

#: kind -> renderer; exercise modules register theirs with :func:`register_renderer`.
_RENDERERS: dict[str, Renderer] = {}


def register_renderer(kind: str, renderer: Renderer) -> Renderer:
    """Teach the portfolio how to show one kind of exercise (its fields -> blocks)."""
    _RENDERERS[kind] = renderer
    return renderer


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return json.dumps(value, ensure_ascii=False)


def _humanise(key: str) -> str:
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def generic_blocks(value: Any, label: str = "") -> list[Block]:
    """Show any stored answer readably: text, lists, tables of records, mappings."""
    if isinstance(value, str):
        return [Fields(((label, value),))] if label else [Para(value)]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        headers: list[str] = []
        for row in value:
            headers += [k for k in row if k not in headers and not k.startswith("_")]
        rows = tuple(tuple(_plain(row.get(h)) for h in headers) for row in value)
        return [Table(tuple(_humanise(h) for h in headers), rows, caption=label)]
    if isinstance(value, list):
        blocks: list[Block] = [Para(label)] if label else []
        return [*blocks, Bullets(tuple(_plain(v) for v in value))]
    if isinstance(value, dict):
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            items = tuple((_humanise(k), _plain(v)) for k, v in value.items())
            return ([Para(label)] if label else []) + [Fields(items)]
        out: list[Block] = []
        for k, v in value.items():
            out += generic_blocks(v, _humanise(k))
        return out
    return [Fields(((label or "Answer", _plain(value)),))]


def _exercise_blocks(fields: Mapping[str, Any]) -> list[Block]:
    meta = fields.get(_META) or {}
    answers = {k: v for k, v in fields.items() if k not in (_META, _STATUS)}
    renderer = _RENDERERS.get(meta.get("kind", "") if isinstance(meta, dict) else "")
    if renderer is not None:
        try:
            return renderer(answers)
        except Exception as exc:  # never lose an answer because a chart could not be drawn
            fallback = [Para(f"(This answer could not be drawn: {exc}. It is shown as text.)")]
            for k, v in answers.items():
                fallback += generic_blocks(v, _humanise(k))
            return fallback
    out: list[Block] = []
    for k, v in answers.items():
        out += generic_blocks(v, _humanise(k) if len(answers) > 1 else "")
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
    for entry in [*catalogue, *({"key": k, "title": _humanise(k), "number": None} for k in extra)]:
        exercises = []
        for ex_key, fields in sorted(by_notebook.get(entry["key"], {}).items()):
            meta = fields.get(_META) if isinstance(fields.get(_META), dict) else {}
            title = meta.get("title") or _humanise(ex_key)
            status = fields.get(_STATUS) if isinstance(fields.get(_STATUS), str) else "started"
            exercises.append(_Exercise(ex_key, title, status, tuple(_exercise_blocks(fields))))
        number = entry.get("number")
        subtitle = f"Session {number}, {entry.get('time', '')}" if number else entry.get("time", "")
        out.append(_Session(entry["key"], entry["title"], subtitle.strip(", "), tuple(exercises)))
    return out


# ============================================================================ HTML


_CSS = """
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


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _block_html(block: Block) -> str:
    if isinstance(block, Para):
        return f'<p class="answer">{_esc(block.text)}</p>'
    if isinstance(block, Fields):
        rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in block.items)
        return f"<dl>{rows}</dl>"
    if isinstance(block, Bullets):
        items = "".join(f'<li class="answer">{_esc(v)}</li>' for v in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        caption = f"<caption>{_esc(block.caption)}</caption>" if block.caption else ""
        head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in block.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in block.rows
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
            f'<figure><img src="data:image/png;base64,{data}" alt="{_esc(first)}" '
            f'width="{block.width}" height="{block.height}">'
            f"{table}<figcaption>{_esc(block.alt)}</figcaption></figure>"
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
        f"<title>Partnership portfolio{(' – ' + _esc(name)) if name else ''}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<header class="title-page">',
        "<p>Collaborative Working to Improve Population Health &amp; Wellbeing</p>",
        "<h1>My partnership portfolio</h1>",
        f"<p><strong>Name:</strong> {_esc(name) if name else '&nbsp;' * 20}</p>",
        f"<p><strong>Date:</strong> {when.strftime('%d %B %Y')}</p>",
        '<p class="confidential">Personal and confidential: this portfolio records your own '
        "answers from the workshop workbook. Share it only if you choose to.</p>",
        "</header>",
        '<nav aria-label="Contents"><h2>Contents</h2><ol>',
    ]
    parts += [f'<li><a href="#{_esc(s.key)}">{_esc(s.title)}</a></li>' for s in sessions]
    parts.append("</ol></nav><main>")
    for s in sessions:
        parts.append(
            f'<section class="session" id="{_esc(s.key)}" aria-labelledby="h-{_esc(s.key)}">'
        )
        parts.append(f'<h2 id="h-{_esc(s.key)}">{_esc(s.title)}</h2>')
        if s.subtitle:
            parts.append(f'<p class="status">{_esc(s.subtitle)}</p>')
        if not s.exercises:
            parts.append('<p class="empty">No answers recorded for this session yet.</p>')
        for ex in s.exercises:
            parts.append(f'<article class="exercise"><h3>{_esc(ex.title)}</h3>')
            parts.append(f'<p class="status">Status: {_esc(ex.status)}</p>')
            parts += [_block_html(b) for b in ex.blocks]
            parts.append("</article>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


# ============================================================================ Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def _md(text: str) -> str:
    """Escape learner text for Markdown: HTML-escape it and backslash Markdown's syntax."""
    escaped = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped).replace("\n", "  \n")


def _block_md(block: Block) -> str:
    if isinstance(block, Para):
        return _md(block.text)
    if isinstance(block, Fields):
        return "\n\n".join(f"**{_md(k)}**  \n{_md(v)}" for k, v in block.items)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_md(v)}" for v in block.items)
    if isinstance(block, Table):

        def cell(text: str) -> str:
            return _md(text).replace("  \n", "<br>")

        head = "| " + " | ".join(cell(h) for h in block.headers) + " |"
        rule = "|" + "---|" * len(block.headers)
        rows = ["| " + " | ".join(cell(c) for c in row) + " |" for row in block.rows]
        caption = [f"*{_md(block.caption)}*", ""] if block.caption else []
        return "\n".join([*caption, head, rule, *rows])
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        alt = block.alt.replace("\n", " ").replace("[", "(").replace("]", ")")
        picture = f"![{_md(alt)}](data:image/png;base64,{data})\n\n*{_md(block.alt)}*"
        if block.table is None:
            return picture
        from .charts import _cell

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
        f"**Name:** {_md(name)}" if name else "**Name:**",
        "",
        f"**Date:** {when.strftime('%d %B %Y')}",
        "",
        "> Personal and confidential: this portfolio records your own answers from the "
        "workshop workbook. Share it only if you choose to.",
        "",
    ]
    for s in sessions:
        lines += [f"## {_md(s.title)}", ""]
        if s.subtitle:
            lines += [f"*{_md(s.subtitle)}*", ""]
        if not s.exercises:
            lines += ["*No answers recorded for this session yet.*", ""]
        for ex in s.exercises:
            lines += [f"### {_md(ex.title)}", "", f"*Status: {_md(ex.status)}*", ""]
            for block in ex.blocks:
                lines += [_block_md(block), ""]
    return "\n".join(lines).rstrip() + "\n"


# ============================================================================ export


def portfolio_document(
    *, store: AnswerStore | None = None, format: str = "html", learner_name: str | None = None
) -> str:
    """Return the portfolio as an HTML or Markdown string (see :func:`export_portfolio`)."""
    if format not in ("html", "md"):
        raise ValueError(f"format must be 'html' or 'md', got {format!r}")
    store = store if store is not None else default_store()
    _load_renderers()
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
    target = _resolve_output(path, folder, store, "portfolio", f".{format}")
    return _write_atomically(target, document)


def _load_renderers() -> None:
    """Import the exercise modules so each registers how its answers are shown."""
    from . import exercises  # noqa: F401  (registers renderers on import)
