"""Load the workbook's content from ``data/``: the only module that knows file paths.

Every YAML file ``data/<name>.yaml`` has a JSON Schema beside it in
``data/schemas/<name>.schema.yaml``. :func:`load` parses the file, validates it and
returns plain Python data; domain modules (``stakeholders``, ``lifecycle``, ...) turn
that data into frozen dataclasses. A malformed file raises :class:`ContentError`,
whose message names the file, the entry and the field.
"""

from __future__ import annotations

import csv
import functools
import importlib
import importlib.util
import os
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ContentError",
    "build",
    "clear_cache",
    "content_entry",
    "data_dir",
    "load",
    "load_csv",
    "schema",
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


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, f"not valid YAML{at}: {problem}") from None


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


class _Deferred(types.ModuleType):
    """Stands in for an optional module until something of it is actually used."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._real: types.ModuleType | None = None

    def _load(self) -> types.ModuleType:
        if self._real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            self._real = importlib.import_module(self.__name__)
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__, ...): not a use
            raise AttributeError(name)
        return getattr(self._load(), name)

    def is_valid_syntax(self, *args: Any, **kwargs: Any) -> Any:
        return self._load().is_valid_syntax(*args, **kwargs)


def _jsonschema() -> Any:
    """Import jsonschema (lazily: only needed when content is first loaded), quickly.

    When ``rfc3987_syntax`` is installed (JupyterLab's ``jsonschema[format-nongpl]``
    brings it), jsonschema imports it only to offer the "iri" format, and it compiles
    dozens of grammars as it loads: about a second of every notebook's first cell
    (``benchmarks/bench_import.py``). Our schemas use no formats, so a stand-in defers
    that import until an IRI is actually checked, by anyone in the process.
    """
    if (
        "jsonschema" not in sys.modules
        and "rfc3987_syntax" not in sys.modules
        and importlib.util.find_spec("rfc3987_syntax") is not None
    ):
        sys.modules["rfc3987_syntax"] = _Deferred("rfc3987_syntax")
    import jsonschema

    return jsonschema


def _validate(path: Path, data: Any, schema_path: Path) -> None:
    jsonschema = _jsonschema()

    schema = _read_yaml(schema_path)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        where = "/".join(map(str, exc.absolute_path)) or "(top level)"
        raise ContentError(
            schema_path, f"the schema itself is invalid: {exc.message}", entry=where
        ) from None
    validator = jsonschema.Draft202012Validator(schema)
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
    if isinstance(err.instance, (Mapping, list)):
        # The whole item is wrong (say, a list where a mapping belongs): name it as the entry.
        entry = "/".join(p for p in (entry, field) if p)
        field = ""
    raise ContentError(path, err.message, entry=entry or "(top level)", field=field)


@functools.cache
def _load_cached(directory: str, name: str) -> Any:
    path = Path(directory) / f"{name}.yaml"
    data = _read_yaml(path)
    schema_path = Path(directory) / "schemas" / f"{name}.schema.yaml"
    if not schema_path.exists():
        raise ContentError(schema_path, f"no schema for content file {name}.yaml")
    _validate(path, data, schema_path)
    return data


def load(name: str) -> Any:
    """Load and validate ``data/<name>.yaml``.

    The result is cached per content folder, so treat it as read-only.

    Raises
    ------
    ContentError
        When the file is missing, is not YAML, or breaks its schema.
    """
    return _load_cached(str(data_dir()), name)


@functools.cache
def _schema_cached(directory: str, name: str) -> Any:
    jsonschema = _jsonschema()

    path = Path(directory) / "schemas" / f"{name}.schema.yaml"
    schema = _read_yaml(path)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
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
