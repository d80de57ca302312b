"""Load the workbook's content from ``data/``: the only module that knows file paths.

Every YAML file ``data/<name>.yaml`` has a JSON Schema beside it in
``data/schemas/<name>.schema.yaml``. :func:`load` parses the file, validates it and
returns plain Python data; domain modules (``stakeholders``, ``lifecycle``, ...) turn
that data into small frozen dataclasses, adding only the checks a schema cannot make
(cross-references, duplicates, orderings). A malformed file raises
:class:`ContentError`, whose message names the file, the entry and the field.

Content is checked once per version of a file: ``data/schemas/validated.json`` records
the fingerprint of every file that passed (with its schema), and a matching file loads
without importing jsonschema. :func:`write_record` (``scripts/record_content.py``)
rewrites it; every other file is checked in full as it loads.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import os
import reprlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CONTENT_DIR_ENV",
    "RECORD_NAME",
    "ContentError",
    "build",
    "check",
    "check_all",
    "clear_cache",
    "content_entry",
    "data_dir",
    "fingerprint",
    "is_recorded",
    "load",
    "load_csv",
    "schema",
    "write_record",
]

#: Set to a folder to load content from there instead of the packaged ``data/``.
CONTENT_DIR_ENV = "PARTNERSHIP_CONTENT_DIR"


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""

    def __init__(self, file: str | Path, problem: str, *, entry: str = "", field: str = ""):
        self.file = str(file)
        self.entry = entry
        self.field = field
        self.problem = problem
        where = [f"{self.file}"]
        if entry:
            where.append(f"entry {entry!r}")
        if field:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {problem}")

    def __reduce__(self):
        return (_rebuild_content_error, (self.file, self.problem, self.entry, self.field))


def _rebuild_content_error(file: str, problem: str, entry: str, field: str) -> ContentError:
    return ContentError(file, problem, entry=entry, field=field)


# libyaml's parser when PyYAML was built with it: about a sixth off the content tests
# (37.6 s -> 31.5 s measured); the pure-Python parser otherwise. Both build the same data.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses duplicate mapping keys instead of keeping the last."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def data_dir() -> Path:
    """Return the folder that holds the content files.

    ``PARTNERSHIP_CONTENT_DIR`` wins when set (course authors and tests use it);
    otherwise the repository's ``data/`` in an editable install, or the copy packed
    into the wheel as ``partnership_lib/_data``.
    """
    override = os.environ.get(CONTENT_DIR_ENV)
    if override:
        return Path(override)
    package = Path(__file__).resolve().parent.parent
    packed = package / "_data"
    if packed.is_dir():
        return packed
    return package.parent / "data"


def _path(name: str, suffix: str) -> Path:
    return data_dir() / f"{name}{suffix}"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "file not found") from None


def _parse_yaml(path: Path, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, f"not valid YAML{at}: {problem}") from None


def _read_yaml(path: Path) -> Any:
    return _parse_yaml(path, _read_bytes(path))


def _entry_and_field(data: Any, path: Sequence[Any]) -> tuple[str, str]:
    """Turn a JSON-pointer-like path into a readable entry and field.

    List items are named by their ``key`` or ``name`` when they have one, so an
    error reads "entry 'lifecycles/forming'" rather than "entry '3/stages/0'".
    """
    parts: list[str] = []
    node = data
    for step in path:
        label = str(step)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(step, int) and isinstance(node, Mapping):
            for k in ("key", "name", "label"):
                if isinstance(node.get(k), str):
                    label = node[k]
                    break
        parts.append(label)
    if not parts:
        return "", ""
    return "/".join(parts[:-1]), parts[-1]


# --- checking content against its schema -------------------------------------------------
#
# jsonschema takes about 1.5 s to import where rfc3987_syntax is installed (JupyterLab's
# jsonschema[format-nongpl] brings it, and jsonschema compiles its IRI grammars on import),
# which every learner's kernel would pay on its first content load. So content is checked
# once per version of a file: data/schemas/validated.json records a fingerprint of each
# content file together with its schema, written after both passed (scripts/
# record_content.py; a unit test fails while the record is stale). A file whose bytes
# match its record loads without jsonschema; any other file (edited by a course author,
# a test's broken copy, a folder given by PARTNERSHIP_CONTENT_DIR without a record) is
# checked in full as it loads. Checks a schema cannot express stay in the loaders of
# the domain modules and always run.

#: The file, in ``<content folder>/schemas/``, recording content that passed its schema.
RECORD_NAME = "validated.json"

# Part of every fingerprint: change it when the checks below change, and every file is
# checked again (and the record must be rewritten).
_RULES = b"draft 2020-12, strict integers, finite numbers; 1"

_SNAKE_CASE = "^[a-z][a-z0-9_]*$"
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "empty",
}
# Keywords about a list or mapping as a whole: the error names it as the field.
_WHOLE_FIELD = {"minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties"}


def fingerprint(data: bytes, schema: bytes) -> str:
    """The SHA-256 that :data:`RECORD_NAME` keeps for a content file and its schema.

    Line endings are normalised first (a Windows checkout turns LF into CRLF without
    changing what the YAML means).
    """
    digest = hashlib.sha256(_RULES)
    for part in (schema, data):
        part = part.replace(b"\r\n", b"\n")
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@functools.cache
def _recorded(directory: str) -> Mapping[str, str]:
    path = Path(directory) / "schemas" / RECORD_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    try:
        record = json.loads(raw)
        digests = record["digests"]
        if not all(isinstance(v, str) for v in digests.values()):
            raise TypeError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ContentError(
            path, "not a record of checked content (write it with scripts/record_content.py)"
        ) from None
    return digests


@functools.cache
def _validator_class() -> Any:
    """Draft 2020-12, except that ``integer`` means a whole number written as one.

    JSON Schema counts ``1.0`` as an integer; in YAML it is a float, and a step
    numbered ``1.0`` would print as such, so content must write ``1``.
    """
    import jsonschema

    def is_integer(checker: Any, instance: Any) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    base = jsonschema.Draft202012Validator
    types = base.TYPE_CHECKER.redefine("integer", is_integer)
    return jsonschema.validators.extend(base, type_checker=types)


def _show(value: Any) -> str:
    shown = reprlib.Repr()
    shown.maxstring = shown.maxother = 80
    shown.maxlist = shown.maxdict = 4
    return shown.repr(value)


def _either(values: Sequence[Any]) -> str:
    shown = [repr(v) for v in values]
    if len(shown) <= 2:
        return " or ".join(shown)
    return "one of " + ", ".join(shown)


def _bounds(schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    above, below = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    kind = "a whole number" if schema.get("type") == "integer" else "a number"
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if above is None and below is None:
        return f"{kind} of {low} or more" if low is not None else f"{kind} of {high} or less"
    parts = [
        f"{word} {bound}"
        for word, bound in (
            ("at least", low),
            ("more than", above),
            ("at most", high),
            ("less than", below),
        )
        if bound is not None
    ]
    return f"{kind} {' and '.join(parts)}"


def _problem(err: Any) -> str:
    """Say what a schema error means in the words of a course author."""
    keyword, expected, schema, value = err.validator, err.validator_value, err.schema, err.instance
    got = f"got {_show(value)}"
    if keyword == "type":
        wanted = [expected] if isinstance(expected, str) else list(expected)
        return f"must be {' or '.join(_TYPE_WORDS.get(t, t) for t in wanted)}, {got}"
    if (keyword, expected) in (("minLength", 1), ("pattern", "\\S")):
        return f"must be non-empty text, {got}"
    if keyword == "pattern":
        if expected == _SNAKE_CASE:
            return f"must be snake_case text (a-z, 0-9 and _, starting with a letter), {got}"
        if schema.get("examples"):
            return f"must look like {_either(schema['examples'])}, {got}"
        return f"must match the pattern {expected!r}, {got}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"must be {_bounds(schema)}, {got}"
    if keyword == "enum":
        return f"must be {_either(expected)}, {got}"
    if keyword == "const":
        return f"must be {expected!r}, {got}"
    if keyword in ("minLength", "maxLength"):
        bound = "at least" if keyword == "minLength" else "at most"
        return f"must be {bound} {expected} characters long, got {len(value)}"
    if keyword == "minItems":
        if expected == 1:
            return "must not be empty"
        return f"must have at least {expected} items, got {len(value)}"
    if keyword == "maxItems":
        return f"must have at most {expected} items, got {len(value)}"
    return err.message


def _non_finite(node: Any, path: list[Any]) -> list[Any] | None:
    """The path to the first NaN or infinity in parsed YAML (``.nan``, ``.inf``), if any.

    JSON has no such numbers, so a schema's ``minimum``/``maximum`` let NaN through.
    """
    if isinstance(node, float) and not math.isfinite(node):
        return path
    if isinstance(node, Mapping):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for step, child in items:
        found = _non_finite(child, [*path, step])
        if found is not None:
            return found
    return None


def _check_schema(schema_path: Path, schema: Any) -> Any:
    """Return a validator for ``schema``, or say what is wrong with the schema itself."""
    import jsonschema

    validator_class = _validator_class()
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        where = "/".join(map(str, exc.absolute_path)) or "(top level)"
        raise ContentError(
            schema_path, f"the schema itself is invalid: {exc.message}", entry=where
        ) from None
    return validator_class(schema)


def _validate(path: Path, data: Any, schema_path: Path, schema: Any) -> None:
    import jsonschema

    validator = _check_schema(schema_path, schema)
    bad_number = _non_finite(data, [])
    if bad_number is not None:
        entry, field = _entry_and_field(data, bad_number)
        value = functools.reduce(lambda node, step: node[step], bad_number, data)
        raise ContentError(
            path,
            f"must be a finite number, got {value!r}",
            entry=entry or "(top level)",
            field=field,
        )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    err = jsonschema.exceptions.best_match(errors)
    location = list(err.absolute_path)
    if err.validator == "required":
        # The missing field is named in the message, not in the path.
        missing = err.message.split("'")[1] if "'" in err.message else ""
        entry, field = _entry_and_field(data, [*location, missing])
        entry = entry or "(top level)"
        raise ContentError(path, "required field is missing", entry=entry, field=field)
    if err.validator == "additionalProperties":
        entry, _ = _entry_and_field(data, [*location, ""])
        raise ContentError(path, err.message, entry=entry or "(top level)")
    entry, field = _entry_and_field(data, location)
    if isinstance(err.instance, (Mapping, list)) and err.validator not in _WHOLE_FIELD:
        # The whole item is wrong (say, a list where a mapping belongs): name it as the entry.
        entry = "/".join(p for p in (entry, field) if p)
        field = ""
    raise ContentError(path, _problem(err), entry=entry or "(top level)", field=field)


def _files(directory: Path, name: str) -> tuple[Path, bytes, Path, bytes]:
    path = directory / f"{name}.yaml"
    raw = _read_bytes(path)
    schema_path = directory / "schemas" / f"{name}.schema.yaml"
    if not schema_path.exists():
        raise ContentError(schema_path, f"no schema for content file {name}.yaml")
    return path, raw, schema_path, _read_bytes(schema_path)


@functools.cache
def _load_cached(directory: str, name: str) -> Any:
    path, raw, schema_path, schema_raw = _files(Path(directory), name)
    data = _parse_yaml(path, raw)
    if _recorded(directory).get(name) != fingerprint(raw, schema_raw):
        _validate(path, data, schema_path, _parse_yaml(schema_path, schema_raw))
    return data


def load(name: str) -> Any:
    """Load ``data/<name>.yaml``, checked against ``data/schemas/<name>.schema.yaml``.

    The file is checked in full unless :data:`RECORD_NAME` records that these very
    bytes (with this very schema) passed already. The result is cached per content
    folder, so treat it as read-only.

    Raises
    ------
    ContentError
        When the file is missing, is not YAML, or breaks its schema.
    """
    return _load_cached(str(data_dir()), name)


def check(name: str, directory: str | Path | None = None) -> str:
    """Check one content file against its schema in full, ignoring any record.

    Parameters
    ----------
    name
        The file's name without ``.yaml``.
    directory
        The content folder (default: :func:`data_dir`).

    Returns
    -------
    str
        The file's :func:`fingerprint`, for the record.

    Raises
    ------
    ContentError
        As :func:`load` does.
    """
    folder = Path(directory) if directory is not None else data_dir()
    path, raw, schema_path, schema_raw = _files(folder, name)
    _validate(path, _parse_yaml(path, raw), schema_path, _parse_yaml(schema_path, schema_raw))
    return fingerprint(raw, schema_raw)


def check_all(directory: str | Path | None = None) -> dict[str, str]:
    """Check every ``*.yaml`` of a content folder in full; return their fingerprints.

    Raises
    ------
    ContentError
        For the first file (in name order) that fails.
    """
    folder = Path(directory) if directory is not None else data_dir()
    return {path.stem: check(path.stem, folder) for path in sorted(folder.glob("*.yaml"))}


def write_record(directory: str | Path | None = None) -> Path:
    """Check every content file of a folder and record their fingerprints.

    Writes ``<folder>/schemas/``:data:`RECORD_NAME` (only when every file passes),
    so that :func:`load` skips the schema check for files that have not changed since.

    Returns
    -------
    pathlib.Path
        The record written.
    """
    folder = Path(directory) if directory is not None else data_dir()
    record = {
        "about": (
            "Fingerprints of content files that passed their schema, with that schema: "
            "a matching file loads without a second check. Written by "
            "scripts/record_content.py; do not edit by hand."
        ),
        "digests": check_all(folder),
    }
    path = folder / "schemas" / RECORD_NAME
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _recorded.cache_clear()
    return path


def is_recorded(name: str) -> bool:
    """Whether ``data/<name>.yaml`` and its schema match the record, so load skips the check."""
    folder = data_dir()
    _, raw, _, schema_raw = _files(folder, name)
    return _recorded(str(folder)).get(name) == fingerprint(raw, schema_raw)


@functools.cache
def _schema_cached(directory: str, name: str) -> Any:
    path = Path(directory) / "schemas" / f"{name}.schema.yaml"
    schema = _read_yaml(path)
    import jsonschema

    try:
        _validator_class().check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        raise ContentError(path, f"the schema itself is invalid: {exc.message}") from None
    return schema


def schema(name: str) -> Any:
    """Return the JSON Schema ``data/schemas/<name>.schema.yaml`` (for files that are not
    content, such as the share files learners send their facilitator)."""
    return _schema_cached(str(data_dir()), name)


def load_csv(name: str, *, columns: Sequence[str]) -> list[dict[str, str]]:
    """Load ``data/<name>.csv`` as a list of row dicts, checking the header."""
    path = _path(name, ".csv")
    try:
        # utf-8-sig: spreadsheet programs often save CSV with a byte-order mark
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise ContentError(path, f"missing column(s): {', '.join(missing)}", entry="header")
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise ContentError(
                        path, "wrong number of cells", entry=f"line {reader.line_num}"
                    )
                rows.append(row)
            return rows
    except FileNotFoundError:
        raise ContentError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(path, f"not UTF-8 text ({exc.reason})") from None


@contextmanager
def content_entry(name: str, entry: str, *, suffix: str = ".yaml") -> Iterator[None]:
    """Re-raise a model's ``ValueError`` as a :class:`ContentError` naming file and entry.

    Domain modules build dataclasses inside this context, so a value that passes the
    schema but fails the model's own check (say, power 11) still names its source.
    """
    try:
        yield
    except ContentError:
        raise
    except (ValueError, TypeError) as exc:
        raise ContentError(_path(name, suffix), str(exc), entry=entry) from None


def build(
    name: str, entry: str, factory: Callable[..., Any], /, *, suffix: str = ".yaml", **fields: Any
) -> Any:
    """Call ``factory(**fields)`` inside :func:`content_entry`."""
    with content_entry(name, entry, suffix=suffix):
        return factory(**fields)


def clear_cache() -> None:
    """Forget loaded content (tests that switch content folders call this)."""
    _load_cached.cache_clear()
    _schema_cached.cache_clear()
    _recorded.cache_clear()
