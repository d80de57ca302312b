"""Stakeholder tables as CSV files: export for spreadsheets, import with clear errors.

Columns, in this order: ``name``, ``organisation``, ``role``, ``power``, ``interest``,
``attitude``. Only ``name``, ``power`` and ``interest`` are required on import; the
header is matched without regard to case or surrounding spaces (``organization`` is
accepted for ``organisation``) and any other column is ignored.

Export
    :func:`stakeholders_to_csv` writes comma-separated UTF-8 text with ``\\r\\n`` line
    ends, quoting cells that hold commas, quotes or line breaks. Scores are written as
    plain numbers (``7.5``); an attitude that was not given is an empty cell.

    **Formula injection.** A spreadsheet runs a cell that starts with ``=``, ``+``,
    ``-`` or ``@`` (and some also one starting with a tab or carriage return) as a
    formula, so a stakeholder called ``=HYPERLINK(...)`` could do harm when the file is
    opened. Every text cell that starts with one of those characters, after any
    apostrophes, gets one extra leading apostrophe, which spreadsheets show as plain
    text: ``=SUM(A1)`` is written as ``'=SUM(A1)`` and ``'=x`` as ``''=x``.
Import
    :func:`stakeholders_from_csv` reverses this exactly: it strips ONE leading
    apostrophe from a text cell only when the apostrophes are followed by one of those
    characters. Any other apostrophe is kept (``'Pat'`` stays ``'Pat'``), so every
    exported table reads back unchanged.

    Encoding: bytes must be UTF-8 (a byte-order mark is allowed, as Excel's "CSV UTF-8"
    writes one); UTF-16 with a byte-order mark (Excel's "Unicode text") is read too.
    Anything else is refused with advice on how to re-save the file. We do not guess at
    Windows-1252: almost any bytes decode as Windows-1252, so a wrong guess would
    silently garble names instead of saying what is wrong.

    The delimiter is a comma; a header line without commas that holds semicolons or
    tabs is read with those instead (spreadsheets in some countries save that way).

    Text cells are stripped of surrounding spaces. Blank rows are skipped. Files over
    1 MB or with more than 500 stakeholders are refused.

Every import problem raises :class:`CsvImportError` (a ``ValueError``) whose message
names the row (data rows count from 1 below the header, as a spreadsheet shows them
less one), the line of the file, and the column.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Iterator
from typing import Any

from partnership_lib.models.stakeholders import ATTITUDES, Stakeholder, as_stakeholders

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_NAME_LENGTH",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "CsvImportError",
    "neutralise_cell",
    "restore_cell",
    "stakeholders_from_csv",
    "stakeholders_to_csv",
]

#: Columns written on export, in order.
COLUMNS = ("name", "organisation", "role", "power", "interest", "attitude")
#: Columns an imported file must have.
REQUIRED_COLUMNS = ("name", "power", "interest")
#: Largest file accepted on import (bytes of UTF-8).
MAX_BYTES = 1_000_000
#: Most stakeholders accepted on import.
MAX_ROWS = 500
#: Longest name (in characters) accepted: names are drawn on the grid.
MAX_NAME_LENGTH = 200

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ALIASES = {"organization": "organisation"}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NOT_GIVEN = ("", "not given")
_SAVE_ADVICE = (
    "Save it again as UTF-8: in Excel choose File > Save As > 'CSV UTF-8 (Comma "
    "delimited)'; in LibreOffice tick 'Edit filter settings' and choose 'Unicode (UTF-8)'."
)


class CsvImportError(ValueError):
    """A CSV file that cannot be read as a stakeholder table.

    Attributes
    ----------
    row : int or None
        The data row (1 = the first row below the header), when one is to blame.
    line : int or None
        The line of the file where that row starts (the header is line 1).
    column : str or None
        The column to blame, e.g. ``"power"``.
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.row = row
        self.line = line
        self.column = column


# --- cells ---------------------------------------------------------------------------


def neutralise_cell(text: str) -> str:
    """Return ``text`` safe for a spreadsheet: an apostrophe before a formula trigger.

    A cell starting (after any apostrophes) with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets one more leading apostrophe; :func:`restore_cell` undoes it.
    """
    if text.lstrip("'")[:1] in _TRIGGERS and text.lstrip("'"):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """Undo :func:`neutralise_cell`: drop one apostrophe that guards a formula trigger."""
    if text.startswith("'") and text.lstrip("'")[:1] in _TRIGGERS and text.lstrip("'"):
        return text[1:]
    return text


def _score_text(value: float) -> str:
    return f"{value:g}"


# --- export --------------------------------------------------------------------------


def stakeholders_to_csv(stakeholders: Any, *, bom: bool = False) -> str:
    """Write stakeholders as CSV text that any spreadsheet can open safely.

    Parameters
    ----------
    stakeholders
        Anything :func:`~partnership_lib.models.stakeholders.as_stakeholders` accepts.
    bom
        Start with a UTF-8 byte-order mark, so that Excel reads accented names correctly
        when the text is saved as a file.

    Returns
    -------
    str
        The header line and one line per stakeholder, with ``\\r\\n`` line ends.
        Text cells that a spreadsheet would run as a formula are neutralised (see the
        module notes).
    """
    people = as_stakeholders(stakeholders)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in people:
        writer.writerow(
            [
                neutralise_cell(p.name),
                neutralise_cell(p.organisation),
                neutralise_cell(p.role),
                _score_text(p.power),
                _score_text(p.interest),
                p.attitude or "",
            ]
        )
    text = out.getvalue()
    return "\ufeff" + text if bom else text


# --- import --------------------------------------------------------------------------


def _where(row: int | None, line: int | None, column: str | None, header: bool = False) -> str:
    parts = []
    if header:
        parts.append(f"The header (line {line or 1} of the file)")
    elif row is not None:
        parts.append(f"Row {row}" + (f" (line {line} of the file)" if line else ""))
    elif line is not None:
        parts.append(f"Line {line}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def _fail(problem: str, *, row=None, line=None, column=None, header=False) -> CsvImportError:
    where = _where(row, line, column, header)
    message = f"{where}: {problem}" if where else problem
    return CsvImportError(message, row=row, line=line, column=column)


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def _too_big(size: int) -> CsvImportError:
    return CsvImportError(
        f"The file is {_size_text(size)}; the largest file that can be imported is "
        f"{MAX_BYTES // 1_000_000} MB (up to {MAX_ROWS} stakeholders)."
    )


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _too_big(len(data))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CsvImportError(
                f"The file says it is UTF-16 text but is damaged near byte {exc.start}. "
                + _SAVE_ADVICE
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, exc) from None
    if "\x00" in text.split("\n", 1)[0]:
        # UTF-16 without a byte-order mark decodes as UTF-8 with a NUL after each letter.
        raise CsvImportError(
            "The file looks like UTF-16 text without a byte-order mark (the header line "
            "holds NUL characters), not UTF-8. " + _SAVE_ADVICE,
            line=1,
        )
    return text


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> CsvImportError:
    """Say where the first non-UTF-8 byte is: the row and column when they can be found."""
    line = data.count(b"\n", 0, exc.start) + 1
    row = column = None
    text = data.decode("utf-8-sig", errors="replace")
    try:
        records = list(_records(text))
        header = [_column_name(c) for c in records[0][2]] if records else []
        for number, start, cells in records[1:]:
            for index, cell in enumerate(cells):
                if "\ufffd" in cell:
                    row, line = number, start
                    column = header[index] if index < len(header) else f"number {index + 1}"
                    break
            if row is not None:
                break
    except CsvImportError:
        pass
    where = _where(row, line, column)
    return CsvImportError(
        f"The file is not saved as UTF-8 text (the first character that is not UTF-8 is "
        f"in {where[0].lower() + where[1:]}), so names with accents or other "
        f"letters would come out wrong. {_SAVE_ADVICE}",
        row=row,
        line=line,
        column=column,
    )


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    if ";" in first:
        return ";"
    if "\t" in first:
        return "\t"
    return ","


def _records(text: str, header: list[str] | None = None) -> Iterator[tuple[int, int, list[str]]]:
    """Yield ``(row, line, cells)``: row 0 is the header; line is where the record starts.

    ``header`` (filled in by the caller once it has read row 0) names the column in an
    error about a cell the csv module cannot read.
    """
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable(text, start, number, delimiter, str(exc), header) from None
        yield number, start, cells
        number += 1
        start = reader.line_num + 1


def _unreadable(
    text: str, start: int, number: int, delimiter: str, what: str, header: list[str] | None
) -> CsvImportError:
    """Explain a record the csv module refused, naming the cell that is to blame."""
    rest = "\n".join(text.splitlines()[start - 1 :])
    fields = _scan_fields(rest, delimiter)
    if "NUL" in what:
        problem = "the cell holds a NUL character, so this is not a text file."
        index = next((i for i, f in enumerate(fields) if "\x00" in f), len(fields) - 1)
    elif "field larger than field limit" in what:
        problem = f"the cell is far too long (over {csv.field_size_limit():,} characters)."
        limit = csv.field_size_limit()
        index = next((i for i, f in enumerate(fields) if len(f) > limit), len(fields) - 1)
    elif "unexpected end of data" in what or "EOF" in what:
        problem = (
            'a double quote (") opens text here that is never closed; add the closing '
            "quote or remove the stray one."
        )
        index = len(fields) - 1
    else:
        problem = f"the cell cannot be read as CSV ({what})."
        index = len(fields) - 1
    names = header or []
    column = names[index] if 0 <= index < len(names) and names[index] else f"number {index + 1}"
    if number == 0:
        return _fail(problem, line=start, column=column, header=True)
    return _fail(problem, row=number, line=start, column=column)


def _scan_fields(text: str, delimiter: str) -> list[str]:
    """Split the first record of ``text`` into raw fields, quote-aware (for error reports)."""
    fields = [""]
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == delimiter:
            fields.append("")
            continue
        elif not quoted and char in "\r\n":
            break
        fields[-1] += char
    return fields


def _column_name(cell: str) -> str:
    name = cell.strip().lower()
    return _ALIASES.get(name, name)


def _header(cells: list[str]) -> dict[str, int]:
    if not any(c.strip() for c in cells):
        raise _fail(
            "the first line is empty; it must name the columns, e.g. "
            "'name,organisation,role,power,interest,attitude'.",
            line=1,
            header=True,
        )
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _column_name(cell)
        if not name:
            continue
        if name in positions:
            raise _fail(
                f"the header names the column '{name}' twice (columns {positions[name] + 1} "
                f"and {index + 1}); keep one.",
                line=1,
                column=name,
                header=True,
            )
        positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            found = ", ".join(f"'{c.strip()}'" for c in cells if c.strip()) or "nothing"
            raise _fail(
                f"the header has no '{name}' column. It needs 'name', 'power' and "
                f"'interest' ('organisation', 'role' and 'attitude' are optional); it "
                f"has {found}.",
                line=1,
                column=name,
                header=True,
            )
    return positions


def _score(cell: str, column: str, *, row: int, line: int, delimiter: str) -> float:
    text = cell.strip()
    if not text:
        raise _fail(
            f"{column} is empty; give a number from 0 (low) to 10 (high).",
            row=row,
            line=line,
            column=column,
        )
    if not _NUMBER.fullmatch(text):
        hint = ""
        if re.fullmatch(r"[+-]?\d+,\d+", text) and delimiter != ",":
            hint = " Use a full stop for the decimal point (7.5, not 7,5)."
        raise _fail(
            f"{column} must be a number from 0 to 10, but the cell holds {text!r}.{hint}",
            row=row,
            line=line,
            column=column,
        )
    value = float(text)
    if not (math.isfinite(value) and 0 <= value <= 10):
        raise _fail(
            f"{column} must be from 0 to 10, but the cell holds {text}.",
            row=row,
            line=line,
            column=column,
        )
    return value


def _attitude(cell: str, *, row: int, line: int) -> str | None:
    text = cell.strip().lower()
    if text in _NOT_GIVEN:
        return None
    if text in ATTITUDES:
        return text
    allowed = ", ".join(ATTITUDES)
    raise _fail(
        f"unknown attitude {cell.strip()!r}; use {allowed}, or leave the cell empty "
        "(or write 'not given').",
        row=row,
        line=line,
        column="attitude",
    )


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _text_cell(cells: list[str], positions: dict[str, int], column: str) -> str:
    index = positions.get(column)
    return "" if index is None else restore_cell(_cell(cells, index).strip())


def stakeholders_from_csv(data: str | bytes | bytearray | memoryview) -> list[Stakeholder]:
    """Read a stakeholder table from CSV text or the bytes of a ``.csv`` file.

    Parameters
    ----------
    data
        The file's bytes (UTF-8, with or without a byte-order mark) or its text.

    Returns
    -------
    list[Stakeholder]
        In file order; an empty list for a file with a header and no rows.

    Raises
    ------
    CsvImportError
        For a file over 1 MB or with more than 500 stakeholders, bytes that are not
        UTF-8, a missing ``name``/``power``/``interest`` column, a row with more cells
        than the header, an empty name, a name with control characters or over 200
        characters, a missing,
        non-numeric or out-of-range score, an unknown attitude, or two names that match
        once capitals and extra spaces are ignored. The message names the row, the line
        of the file and the column (see :class:`CsvImportError`).

    Notes
    -----
    See the module notes for formula neutralisation, encodings and delimiters.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        text = _decode(bytes(data))
    elif isinstance(data, str):
        size = len(data.encode("utf-8", errors="surrogatepass"))
        if size > MAX_BYTES:
            raise _too_big(size)
        text = data.removeprefix("\ufeff")
    else:
        raise TypeError(f"expected CSV text or bytes, got {type(data).__name__}")
    if not text.strip():
        raise CsvImportError(
            "The file is empty. A stakeholder file starts with a header line such as "
            "'name,organisation,role,power,interest,attitude'."
        )
    delimiter = _delimiter(text)
    names: list[str] = []
    records = _records(text, names)
    _, _, header_cells = next(records)
    names.extend(_column_name(c) for c in header_cells)
    positions = _header(header_cells)
    people: list[Stakeholder] = []
    seen: dict[str, tuple[int, str]] = {}
    for row, line, cells in records:
        if not any(c.strip() for c in cells):
            continue  # blank rows, e.g. at the end of a spreadsheet export
        if len(people) >= MAX_ROWS:
            raise _fail(
                f"the file has more than {MAX_ROWS} stakeholders; split it into smaller "
                "files or remove some rows.",
                row=row,
                line=line,
            )
        extra = [i for i in range(len(header_cells), len(cells)) if cells[i].strip()]
        if extra:
            raise _fail(
                f"this row has {len(cells)} cells but the header names "
                f"{len(header_cells)} columns. Put any text holding a '{delimiter}' in "
                'double quotes, e.g. "Smith, Jones and Co".',
                row=row,
                line=line,
                column=f"number {extra[0] + 1} (no header)",
            )
        name = _text_cell(cells, positions, "name")
        if not name:
            raise _fail(
                "the name is empty; every stakeholder needs a name.",
                row=row,
                line=line,
                column="name",
            )
        if _CONTROL.search(name):
            raise _fail(
                f"the name {name!r} holds a tab, line break or other control character; "
                "keep a name to one line of plain text.",
                row=row,
                line=line,
                column="name",
            )
        if len(name) > MAX_NAME_LENGTH:
            raise _fail(
                f"the name is {len(name):,} characters long; keep it to {MAX_NAME_LENGTH} "
                "(put longer text in the role column).",
                row=row,
                line=line,
                column="name",
            )
        scores = {
            column: _score(
                _cell(cells, positions[column]),
                column,
                row=row,
                line=line,
                delimiter=delimiter,
            )
            for column in ("power", "interest")
        }
        attitude = None
        if "attitude" in positions:
            attitude = _attitude(_cell(cells, positions["attitude"]), row=row, line=line)
        person = Stakeholder(
            name=name,
            power=scores["power"],
            interest=scores["interest"],
            organisation=_text_cell(cells, positions, "organisation"),
            role=_text_cell(cells, positions, "role"),
            attitude=attitude,
        )
        earlier = seen.get(person.key)
        if earlier is not None:
            raise _fail(
                f"the name {name!r} is already used by row {earlier[0]} ({earlier[1]!r}); "
                "names must differ once capital letters and extra spaces are ignored.",
                row=row,
                line=line,
                column="name",
            )
        seen[person.key] = (row, name)
        people.append(person)
    return people
