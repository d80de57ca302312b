"""Generic behaviour of partnership_lib.core.content, on small content folders in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnership_lib.core import content
from partnership_lib.core.content import ContentError

ITEMS_SCHEMA = """\
$schema: https://json-schema.org/draft/2020-12/schema
type: object
additionalProperties: false
required: [title, items]
properties:
  title: {type: string, minLength: 1}
  items:
    type: array
    items:
      type: object
      additionalProperties: false
      required: [key, score]
      properties:
        key: {type: string}
        name: {type: string}
        label: {type: string}
        score: {type: integer, minimum: 0, maximum: 10}
"""

GOOD_ITEMS = """\
title: Ratings
items:
  - key: alpha
    score: 3
  - key: beta
    score: 7
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty content folder that loading is pointed at."""
    (tmp_path / "schemas").mkdir()
    monkeypatch.setenv(content.CONTENT_DIR_ENV, str(tmp_path))
    return tmp_path


def write(folder: Path, name: str, text: str, schema: str | None = ITEMS_SCHEMA) -> None:
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    if schema is not None:
        (folder / "schemas" / f"{name}.schema.yaml").write_text(schema, encoding="utf-8")


# --- ContentError --------------------------------------------------------------------


def test_content_error_is_a_value_error_naming_file_entry_and_field():
    err = ContentError("data/x.yaml", "must be a number", entry="items/alpha", field="score")
    assert isinstance(err, ValueError)
    assert str(err) == "data/x.yaml, entry 'items/alpha', field 'score': must be a number"
    assert (err.file, err.entry, err.field, err.problem) == (
        "data/x.yaml",
        "items/alpha",
        "score",
        "must be a number",
    )


def test_content_error_without_entry_names_only_the_file():
    assert str(ContentError(Path("data/x.yaml"), "file not found")) == (
        "data/x.yaml: file not found"
    )


# --- where content comes from --------------------------------------------------------


def test_content_dir_override_is_used(folder: Path):
    assert content.data_dir() == folder
    write(folder, "ratings", GOOD_ITEMS)
    assert content.load("ratings")["items"][1] == {"key": "beta", "score": 7}


def test_default_content_dir_is_the_repository_data_folder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(content.CONTENT_DIR_ENV, raising=False)
    repo_data = Path(__file__).resolve().parent.parent / "data"
    assert content.data_dir().resolve() == repo_data.resolve()


def test_empty_override_falls_back_to_default(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(content.CONTENT_DIR_ENV, "")
    assert content.data_dir().name in ("data", "_data")


# --- reading YAML ----------------------------------------------------------------------


def test_missing_file(folder: Path):
    with pytest.raises(ContentError, match=r"nothing\.yaml: file not found") as info:
        content.load("nothing")
    assert info.value.file == str(folder / "nothing.yaml")


def test_non_utf8_file(folder: Path):
    (folder / "latin.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    (folder / "schemas" / "latin.schema.yaml").write_text(ITEMS_SCHEMA, encoding="utf-8")
    with pytest.raises(ContentError, match=r"latin\.yaml: not UTF-8 text .*at byte 10"):
        content.load("latin")


def test_invalid_yaml_names_line_and_column(folder: Path):
    write(folder, "broken", "title: Ratings\nitems:\n  - key: alpha\n    score: [3\n")
    with pytest.raises(ContentError, match=r"broken\.yaml: not valid YAML at line \d+, column \d+"):
        content.load("broken")


def test_invalid_yaml_position_is_one_based(folder: Path):
    # The tab on line 2, column 1 cannot start a YAML token.
    write(folder, "tabbed", "title: Ratings\n\titems: []\n")
    with pytest.raises(ContentError, match=r"at line 2, column 1:"):
        content.load("tabbed")


def test_missing_schema(folder: Path):
    write(folder, "orphan", GOOD_ITEMS, schema=None)
    with pytest.raises(ContentError, match=r"orphan\.schema\.yaml: no schema for content file"):
        content.load("orphan")


def test_invalid_yaml_in_schema_names_the_schema_file(folder: Path):
    write(folder, "ratings", GOOD_ITEMS, schema="type: [object\n")
    with pytest.raises(ContentError, match=r"ratings\.schema\.yaml: not valid YAML at line"):
        content.load("ratings")


# --- schema violations -------------------------------------------------------------------


def test_schema_violation_names_file_entry_by_key_and_field(folder: Path):
    write(folder, "ratings", GOOD_ITEMS.replace("score: 7", "score: 11"))
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    err = info.value
    assert err.file.endswith("ratings.yaml")
    assert (err.entry, err.field) == ("items/beta", "score")
    assert "field 'score': must be between 0 and 10, got 11" in str(err)


def test_wrong_type_is_reported(folder: Path):
    write(folder, "ratings", GOOD_ITEMS.replace("score: 3", "score: three"))
    with pytest.raises(
        ContentError,
        match=r"entry 'items/alpha', field 'score': must be a whole number, got 'three'",
    ):
        content.load("ratings")


@pytest.mark.parametrize(
    ("naming", "entry"),
    [("name: Beta item", "items/Beta item"), ("label: B", "items/B")],
)
def test_entries_without_key_are_named_by_name_or_label(folder: Path, naming: str, entry: str):
    schema = ITEMS_SCHEMA.replace("required: [key, score]", "required: [score]")
    text = GOOD_ITEMS.replace("key: beta", naming).replace("score: 7", "score: -1")
    write(folder, "ratings", text, schema=schema)
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    assert (info.value.entry, info.value.field) == (entry, "score")


def test_entries_without_any_name_are_named_by_index(folder: Path):
    schema = ITEMS_SCHEMA.replace("required: [key, score]", "required: [score]")
    text = GOOD_ITEMS.replace("key: beta", "score: 20").replace("    score: 7\n", "")
    write(folder, "ratings", text, schema=schema)
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    assert (info.value.entry, info.value.field) == ("items/1", "score")


def test_missing_required_field_in_an_entry(folder: Path):
    write(folder, "ratings", GOOD_ITEMS.replace("    score: 3\n", ""))
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    err = info.value
    assert (err.entry, err.field, err.problem) == (
        "items/alpha",
        "score",
        "required field is missing",
    )
    assert "ratings.yaml, entry 'items/alpha', field 'score'" in str(err)


def test_missing_required_field_at_top_level(folder: Path):
    write(folder, "ratings", "items: []\n")
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    assert (info.value.entry, info.value.field) == ("(top level)", "title")


def test_extra_field_is_named(folder: Path):
    write(folder, "ratings", GOOD_ITEMS.replace("score: 7", "score: 7\n    colour: red"))
    with pytest.raises(ContentError, match=r"entry 'items/beta'.*'colour' was unexpected"):
        content.load("ratings")


def test_extra_field_at_top_level(folder: Path):
    write(folder, "ratings", GOOD_ITEMS + "author: me\n")
    with pytest.raises(ContentError, match=r"entry '\(top level\)'.*'author' was unexpected"):
        content.load("ratings")


def test_empty_file_fails_the_schema_at_top_level(folder: Path):
    write(folder, "ratings", "")
    with pytest.raises(ContentError, match=r"entry '\(top level\)': must be a mapping, got None"):
        content.load("ratings")


# --- caching -----------------------------------------------------------------------------


def test_load_is_cached_until_cleared(folder: Path):
    write(folder, "ratings", GOOD_ITEMS)
    first = content.load("ratings")
    assert content.load("ratings") is first
    write(folder, "ratings", GOOD_ITEMS.replace("Ratings", "Scores"))
    assert content.load("ratings")["title"] == "Ratings"
    content.clear_cache()
    assert content.load("ratings")["title"] == "Scores"


def test_cache_is_kept_per_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name, title in (("one", "First"), ("two", "Second")):
        (tmp_path / name / "schemas").mkdir(parents=True)
        write(tmp_path / name, "ratings", GOOD_ITEMS.replace("Ratings", title))
    monkeypatch.setenv(content.CONTENT_DIR_ENV, str(tmp_path / "one"))
    assert content.load("ratings")["title"] == "First"
    monkeypatch.setenv(content.CONTENT_DIR_ENV, str(tmp_path / "two"))
    assert content.load("ratings")["title"] == "Second"


def test_failures_are_not_cached(folder: Path):
    with pytest.raises(ContentError, match="file not found"):
        content.load("ratings")
    write(folder, "ratings", GOOD_ITEMS)
    assert content.load("ratings")["title"] == "Ratings"


# --- CSV ---------------------------------------------------------------------------------


def test_csv_rows_are_dicts_of_text(folder: Path):
    (folder / "table.csv").write_text("name,score\nAlpha,3\nBeta,7\n", encoding="utf-8")
    assert content.load_csv("table", columns=["name", "score"]) == [
        {"name": "Alpha", "score": "3"},
        {"name": "Beta", "score": "7"},
    ]


def test_csv_extra_columns_are_allowed(folder: Path):
    (folder / "table.csv").write_text("name,score,note\nAlpha,3,ok\n", encoding="utf-8")
    assert content.load_csv("table", columns=["name"])[0]["note"] == "ok"


def test_csv_missing_file(folder: Path):
    with pytest.raises(ContentError, match=r"table\.csv: file not found"):
        content.load_csv("table", columns=["name"])


def test_csv_missing_columns_are_named(folder: Path):
    (folder / "table.csv").write_text("name\nAlpha\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        content.load_csv("table", columns=["name", "score", "year"])
    assert info.value.entry == "header"
    assert "missing column(s): score, year" in str(info.value)


def test_csv_empty_file_has_no_header(folder: Path):
    (folder / "table.csv").write_text("", encoding="utf-8")
    with pytest.raises(ContentError, match=r"entry 'header': missing column\(s\): name"):
        content.load_csv("table", columns=["name"])


@pytest.mark.parametrize("bad_row", ["Beta,7,extra", "Beta"])
def test_csv_row_with_wrong_number_of_cells_names_its_line(folder: Path, bad_row: str):
    (folder / "table.csv").write_text(f"name,score\nAlpha,3\n{bad_row}\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"table\.csv, entry 'line 3': wrong number of cells"):
        content.load_csv("table", columns=["name", "score"])


def test_csv_non_utf8(folder: Path):
    (folder / "table.csv").write_bytes("name,score\nCaf\xe9,3\n".encode("latin-1"))
    with pytest.raises(ContentError, match=r"table\.csv: not UTF-8 text"):
        content.load_csv("table", columns=["name", "score"])


# --- building models ---------------------------------------------------------------------


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError(f"value must be positive, got {value!r}")
    return value


def test_build_returns_the_model(folder: Path):
    assert content.build("ratings", "items/alpha", _positive, value=3) == 3


def test_build_turns_model_value_error_into_content_error(folder: Path):
    with pytest.raises(ContentError) as info:
        content.build("ratings", "items/alpha", _positive, value=-2)
    err = info.value
    assert err.file == str(folder / "ratings.yaml")
    assert err.entry == "items/alpha"
    assert "value must be positive, got -2" in str(err)


def test_build_turns_type_error_into_content_error(folder: Path):
    with pytest.raises(ContentError, match=r"entry 'items/alpha'.*unexpected keyword"):
        content.build("ratings", "items/alpha", _positive, amount=2)


def test_content_entry_lets_content_errors_through_unchanged(folder: Path):
    original = ContentError("elsewhere.yaml", "broken", entry="x", field="y")
    with pytest.raises(ContentError) as info, content.content_entry("ratings", "items/alpha"):
        raise original
    assert info.value is original


def test_duplicate_yaml_keys_are_refused_with_both_lines(folder: Path):
    write(folder, "things", "items:\n  - key: alpha\n    name: Alpha\n    name: Again\n")
    with pytest.raises(content.ContentError, match=r"duplicate key 'name' \(first at line 3\)"):
        content.load("things")


def test_a_broken_schema_is_a_content_error_naming_the_schema(folder: Path):
    write(folder, "things", "items: []\n", schema="type: strin\n")
    with pytest.raises(
        content.ContentError, match=r"things\.schema\.yaml.*schema itself is invalid"
    ):
        content.load("things")


def test_csv_with_byte_order_mark_reads_its_first_column(folder: Path):
    (folder / "table.csv").write_bytes("\ufeffname,score\nAlpha,3\n".encode())
    assert content.load_csv("table", columns=["name", "score"]) == [{"name": "Alpha", "score": "3"}]


def test_csv_line_numbers_count_quoted_line_breaks(folder: Path):
    (folder / "table.csv").write_text(
        'name,score\n"Alpha\nstill alpha",3\nBeta\n', encoding="utf-8"
    )
    with pytest.raises(content.ContentError, match="line 4"):
        content.load_csv("table", columns=["name", "score"])


def test_a_whole_item_of_the_wrong_shape_is_named_as_the_entry(folder: Path):
    write(folder, "things", "title: T\nitems:\n  - [not, a, mapping]\n")
    with pytest.raises(content.ContentError) as info:
        content.load("things")
    assert info.value.entry == "items/0"
    assert info.value.field == ""


def test_content_error_survives_pickling():
    import pickle

    err = content.ContentError("f.yaml", "bad", entry="e", field="x")
    again = pickle.loads(pickle.dumps(err))
    assert (again.file, again.entry, again.field, str(again)) == ("f.yaml", "e", "x", str(err))


def test_build_names_a_csv_file_when_asked(folder: Path):
    with pytest.raises(content.ContentError, match=r"table\.csv, entry 'row 2'"):
        content.build("table", "row 2", _positive, suffix=".csv", value=-1)


# --- what each schema keyword's error says ----------------------------------------------

KINDS_SCHEMA = """\
$schema: https://json-schema.org/draft/2020-12/schema
type: object
additionalProperties: false
properties:
  key: {type: string, pattern: "^[a-z][a-z0-9_]*$"}
  text: {type: string, minLength: 1, pattern: "\\\\S"}
  decade: {type: string, pattern: "^[0-9]{4}s$", examples: ["1970s"]}
  code: {type: string, pattern: "^PS [0-9]+$"}
  lever: {enum: [climate, culture]}
  kind: {enum: [lifecycle, group_development, continuum]}
  fictional: {const: true}
  number: {type: integer, minimum: 1}
  level: {type: number, minimum: 0, maximum: 1}
  threshold: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 10}
  items: {type: array, minItems: 1, items: {type: string}}
  stages: {type: array, minItems: 3, maxItems: 4}
  flag: {type: boolean}
  short: {type: string, maxLength: 3}
"""


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        (
            "key: Not A Key",
            "key",
            "must be snake_case text (a-z, 0-9 and _, starting with a letter), got 'Not A Key'",
        ),
        ("text: '   '", "text", "must be non-empty text, got '   '"),
        ("text: ''", "text", "must be non-empty text, got ''"),
        ("decade: seventies", "decade", "must look like '1970s', got 'seventies'"),
        ("code: PS one", "code", "must match the pattern '^PS [0-9]+$', got 'PS one'"),
        ("lever: weather", "lever", "must be 'climate' or 'culture', got 'weather'"),
        (
            "kind: spiral",
            "kind",
            "must be one of 'lifecycle', 'group_development', 'continuum', got 'spiral'",
        ),
        ("fictional: false", "fictional", "must be True, got False"),
        ("number: 0", "number", "must be a whole number of 1 or more, got 0"),
        ("number: 1.0", "number", "must be a whole number, got 1.0"),
        ("number: true", "number", "must be a whole number, got True"),
        ("level: 1.5", "level", "must be between 0 and 1, got 1.5"),
        ("level: yes", "level", "must be a number, got True"),
        ("threshold: 10", "threshold", "must be a number more than 0 and less than 10, got 10"),
        ("items: []", "items", "must not be empty"),
        ("items: pool resources", "items", "must be a list, got 'pool resources'"),
        ("stages: [a, b]", "stages", "must have at least 3 items, got 2"),
        ("stages: [a, b, c, d, e]", "stages", "must have at most 4 items, got 5"),
        ("flag: maybe", "flag", "must be true or false, got 'maybe'"),
        ("short: abcd", "short", "must be at most 3 characters long, got 4"),
    ],
)
def test_schema_errors_say_what_the_field_must_be(folder: Path, text, field, problem):
    write(folder, "kinds", text + "\n", schema=KINDS_SCHEMA)
    with pytest.raises(ContentError) as info:
        content.load("kinds")
    assert (info.value.entry, info.value.field, info.value.problem) == (
        "(top level)",
        field,
        problem,
    )
    assert str(info.value).endswith(f"kinds.yaml, entry '(top level)', field '{field}': {problem}")


@pytest.mark.parametrize("number", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity_are_refused_naming_entry_and_field(folder: Path, number: str):
    # JSON has no NaN, so a schema's minimum/maximum would let YAML's .nan through.
    write(folder, "ratings", GOOD_ITEMS.replace("score: 7", f"score: {number}"), ITEMS_SCHEMA)
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    assert (info.value.entry, info.value.field) == ("items/beta", "score")
    assert "must be a finite number, got " in info.value.problem
    assert info.value.problem.endswith(("nan", "inf"))


def test_a_too_short_list_is_named_as_the_field_of_its_entry(folder: Path):
    schema = ITEMS_SCHEMA.replace("    type: array\n", "    type: array\n    minItems: 3\n")
    write(folder, "ratings", GOOD_ITEMS, schema=schema)
    with pytest.raises(ContentError) as info:
        content.load("ratings")
    assert (info.value.entry, info.value.field) == ("(top level)", "items")
    assert info.value.problem == "must have at least 3 items, got 2"


# --- checked once: the record of content that passed -------------------------------------

REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_record_of_checked_content_is_current():
    """Every shipped content file passes its schema and matches the committed record."""
    import json

    record_path = REPO_DATA / "schemas" / content.RECORD_NAME
    recorded = json.loads(record_path.read_text(encoding="utf-8"))["digests"]
    checked = content.check_all(REPO_DATA)
    stale = sorted(n for n in checked.keys() | recorded.keys() if checked.get(n) != recorded.get(n))
    assert not stale, f"{record_path.name} is stale for {stale}: run scripts/record_content.py"


def test_shipped_content_loads_without_importing_jsonschema():
    """A learner's kernel reads the recorded content without jsonschema (1.5 s to import)."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from partnership_lib.core import content\n"
        "names = sorted(p.stem for p in content.data_dir().glob('*.yaml'))\n"
        "unrecorded = [n for n in names if not content.is_recorded(n)]\n"
        "for name in names:\n"
        "    content.load(name)\n"
        "heavy = [m for m in ('jsonschema', 'rfc3987_syntax') if m in sys.modules]\n"
        "print(json.dumps({'loaded': len(names), 'unrecorded': unrecorded, 'heavy': heavy}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != content.CONTENT_DIR_ENV}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    out = json.loads(done.stdout)
    assert out["unrecorded"] == [], "record is stale: run scripts/record_content.py"
    assert out["loaded"] == len(list(REPO_DATA.glob("*.yaml")))
    assert out["heavy"] == []


def test_a_recorded_file_is_trusted_and_an_edited_one_checked_in_full(folder: Path):
    write(folder, "ratings", GOOD_ITEMS)
    assert not content.is_recorded("ratings")
    record = content.write_record(folder)
    assert record == folder / "schemas" / content.RECORD_NAME
    assert content.is_recorded("ratings")
    assert content.load("ratings")["items"][0] == {"key": "alpha", "score": 3}

    write(folder, "ratings", GOOD_ITEMS.replace("score: 7", "score: 70"))
    content.clear_cache()
    assert not content.is_recorded("ratings")
    with pytest.raises(ContentError, match=r"field 'score': must be between 0 and 10, got 70"):
        content.load("ratings")


def test_a_changed_schema_checks_a_recorded_file_again(folder: Path):
    write(folder, "ratings", GOOD_ITEMS)
    content.write_record(folder)
    stricter = ITEMS_SCHEMA.replace("maximum: 10", "maximum: 5")
    (folder / "schemas" / "ratings.schema.yaml").write_text(stricter, encoding="utf-8")
    content.clear_cache()
    with pytest.raises(ContentError, match=r"items/beta', field 'score': must be between 0 and 5"):
        content.load("ratings")


def test_the_record_is_what_skips_the_check(folder: Path):
    """A fingerprint in the record is a promise that the file passed: load keeps it."""
    import json

    bad = GOOD_ITEMS.replace("score: 7", "score: 70")
    write(folder, "ratings", bad)
    digest = content.fingerprint(bad.encode(), ITEMS_SCHEMA.encode())
    (folder / "schemas" / content.RECORD_NAME).write_text(
        json.dumps({"digests": {"ratings": digest}}), encoding="utf-8"
    )
    assert content.load("ratings")["items"][1]["score"] == 70
    with pytest.raises(ContentError, match="must be between 0 and 10, got 70"):
        content.check("ratings")


def test_no_record_is_written_while_a_file_fails(folder: Path):
    write(folder, "ratings", GOOD_ITEMS)
    write(folder, "broken", GOOD_ITEMS.replace("score: 3", "score: -3"))
    with pytest.raises(ContentError, match=r"broken\.yaml, entry 'items/alpha', field 'score'"):
        content.write_record(folder)
    assert not (folder / "schemas" / content.RECORD_NAME).exists()


def test_a_malformed_record_is_a_content_error(folder: Path):
    write(folder, "ratings", GOOD_ITEMS)
    (folder / "schemas" / content.RECORD_NAME).write_text("[1, 2", encoding="utf-8")
    with pytest.raises(ContentError, match=r"validated\.json: not a record of checked content"):
        content.load("ratings")


def test_line_endings_do_not_change_a_fingerprint():
    lf = content.fingerprint(GOOD_ITEMS.encode(), ITEMS_SCHEMA.encode())
    crlf = content.fingerprint(
        GOOD_ITEMS.replace("\n", "\r\n").encode(), ITEMS_SCHEMA.replace("\n", "\r\n").encode()
    )
    assert lf == crlf
    assert lf != content.fingerprint(GOOD_ITEMS.replace("7", "8").encode(), ITEMS_SCHEMA.encode())
    assert lf != content.fingerprint(ITEMS_SCHEMA.encode(), GOOD_ITEMS.encode())


@pytest.mark.parametrize(("stale", "code"), [(False, 0), (True, 1)])
def test_record_script_check_mode(folder: Path, stale: bool, code: int):
    import subprocess
    import sys

    write(folder, "ratings", GOOD_ITEMS)
    content.write_record(folder)
    if stale:
        write(folder, "ratings", GOOD_ITEMS.replace("score: 7", "score: 8"))
    script = Path(__file__).resolve().parent.parent / "scripts" / "record_content.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check", str(folder)], capture_output=True, text=True
    )
    assert done.returncode == code, done.stderr
    if stale:
        assert "stale for: ratings" in done.stderr
    else:
        assert "1 content files pass their schemas" in done.stdout
