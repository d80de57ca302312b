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
    assert "11 is greater than the maximum of 10" in str(err)


def test_wrong_type_is_reported(folder: Path):
    write(folder, "ratings", GOOD_ITEMS.replace("score: 3", "score: three"))
    with pytest.raises(ContentError, match=r"entry 'items/alpha', field 'score': 'three' is not"):
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
    with pytest.raises(ContentError, match=r"entry '\(top level\)'.*None is not of type 'object'"):
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


def test_deferred_iri_checker_still_checks_iris_when_used():
    """content defers rfc3987_syntax (a second of grammar compiling) until an IRI is checked."""
    import subprocess
    import sys

    code = (
        "import sys, importlib.util\n"
        "if importlib.util.find_spec('rfc3987_syntax') is None: print('absent'); sys.exit()\n"
        "from partnership_lib.core import content\n"
        "content.schema('share_file')\n"
        "import jsonschema\n"
        "stand_in = type(sys.modules['rfc3987_syntax']).__name__\n"
        "checker = jsonschema.FormatChecker()\n"
        "ok = checker.conforms('https://example.org/a?b#c', 'iri')\n"
        "bad = checker.conforms('not an iri at all', 'iri')\n"
        "print(stand_in, ok, bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    if out == ["absent"]:
        pytest.skip("rfc3987_syntax is not installed, so nothing is deferred")
    assert out == ["_Deferred", "True", "False"], out
