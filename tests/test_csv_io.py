"""Stakeholder CSV export and import: safe for spreadsheets, exact round trip, clear errors."""

from __future__ import annotations

import codecs
import csv
import io

import pytest

from partnership_lib.documents.stakeholder_csv import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    CsvImportError,
    neutralise_cell,
    restore_cell,
    stakeholders_from_csv,
    stakeholders_to_csv,
)
from partnership_lib.models.stakeholders import Stakeholder

HEADER = "name,organisation,role,power,interest,attitude\r\n"

HOSTILE = [
    Stakeholder('=HYPERLINK("http://evil","x")', 1, 2, organisation="+cmd", role="-1+2"),
    Stakeholder("@SUM(A1:A2)", 3.5, 4, organisation="'=already quoted", role="''+two"),
    Stakeholder("<script>alert(1)</script>", 10, 0, attitude="opponent"),
    Stakeholder('Smith, Jones "and" Co', 0, 10, role="line one\nline two"),
    Stakeholder("'Pat'", 5, 5, organisation="O'Neill & Sons", attitude="supporter"),
    Stakeholder("مرحبا بالعالم", 7.25, 6.1, attitude="neutral"),
    Stakeholder("🦄 Unicorn trust", 9.9, 0.1, organisation="Café Élan"),
    Stakeholder("$x_1\\", 2, 8, role="\tstarts with a tab"),
]


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# --- export ------------------------------------------------------------------------------


def test_export_writes_header_and_rows_in_column_order():
    text = stakeholders_to_csv([Stakeholder("Police", 8, 7.5, "Force", "Lead", "supporter")])
    assert text == HEADER + "Police,Force,Lead,8,7.5,supporter\r\n"
    assert cells(text)[0] == list(COLUMNS)


def test_export_leaves_attitude_empty_when_not_given_and_accepts_dicts():
    text = stakeholders_to_csv([{"name": "Fire", "power": 3, "interest": 4}])
    assert cells(text)[1] == ["Fire", "", "", "3", "4", ""]


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_export_neutralises_formula_triggers_in_every_text_column(trigger):
    person = Stakeholder(f"{trigger}1+1", 1, 1, organisation=f"{trigger}org", role=f"{trigger}r")
    row = cells(stakeholders_to_csv([person]))[1]
    assert row[:3] == [f"'{trigger}1+1", f"'{trigger}org", f"'{trigger}r"]


def test_export_adds_one_apostrophe_to_text_already_guarded_by_apostrophes():
    assert neutralise_cell("'=x") == "''=x"
    assert neutralise_cell("''@x") == "'''@x"
    assert neutralise_cell("'plain") == "'plain"
    assert neutralise_cell("plain = fine") == "plain = fine"
    assert neutralise_cell("") == ""
    assert neutralise_cell("'") == "'"


def test_import_strips_an_apostrophe_only_before_a_trigger():
    assert restore_cell("'=x") == "=x"
    assert restore_cell("''=x") == "'=x"
    assert restore_cell("'Pat'") == "'Pat'"
    assert restore_cell("'") == "'"
    assert restore_cell("O'Neill") == "O'Neill"


def test_no_exported_cell_starts_with_a_trigger():
    for row in cells(stakeholders_to_csv(HOSTILE))[1:]:
        for cell in row[:3]:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell


def test_export_can_start_with_a_byte_order_mark_for_excel():
    assert stakeholders_to_csv([], bom=True) == "\ufeff" + HEADER


# --- round trip --------------------------------------------------------------------------


def test_round_trip_is_exact_for_hostile_text():
    text = stakeholders_to_csv(HOSTILE)
    assert stakeholders_from_csv(text) == HOSTILE
    assert stakeholders_from_csv(text.encode("utf-8")) == HOSTILE
    assert stakeholders_from_csv(("\ufeff" + text).encode("utf-8")) == HOSTILE


def test_round_trip_through_utf16_with_bom():
    data = codecs.BOM_UTF16_LE + stakeholders_to_csv(HOSTILE).encode("utf-16-le")
    assert stakeholders_from_csv(data) == HOSTILE


# --- lenient reading ---------------------------------------------------------------------


def test_header_matching_ignores_case_spaces_order_and_extra_columns():
    text = " Interest ,NAME,Power,Organization,Notes\n4,Police,8,Force,ignored\n"
    (person,) = stakeholders_from_csv(text)
    assert person == Stakeholder("Police", 8, 4, organisation="Force")


def test_blank_rows_are_skipped_and_cells_stripped():
    text = "name,power,interest,attitude\n\n  Police  , 8 ,7, Supporter \n,,,\n"
    assert stakeholders_from_csv(text) == [Stakeholder("Police", 8, 7, attitude="supporter")]


def test_attitude_not_given_is_read_as_none():
    text = "name,power,interest,attitude\nA,1,1,Not given\nB,1,1,\n"
    assert [p.attitude for p in stakeholders_from_csv(text)] == [None, None]


def test_semicolon_files_are_read():
    assert stakeholders_from_csv("name;power;interest\nPolice;8;7.5\n") == [
        Stakeholder("Police", 8, 7.5)
    ]


def test_header_only_gives_an_empty_table():
    assert stakeholders_from_csv(HEADER) == []


def test_500_rows_are_accepted():
    rows = "".join(f"S{i},1,1\n" for i in range(MAX_ROWS))
    assert len(stakeholders_from_csv("name,power,interest\n" + rows)) == MAX_ROWS


# --- errors name the row, the line and the column ----------------------------------------

ERRORS = [
    # (csv text, row, line, column, words in the message)
    ("name,power\nA,1\n", None, 1, "interest", "no 'interest' column"),
    ("name,power,interest,Power\nA,1,1,1\n", None, 1, "power", "twice"),
    ("name,power,interest\nA,1,1\nB,high,1\n", 2, 3, "power", "'high'"),
    ("name,power,interest\nA,1,11\n", 1, 2, "interest", "from 0 to 10"),
    ("name,power,interest\nA,-0.5,1\n", 1, 2, "power", "from 0 to 10"),
    ("name,power,interest\nA,nan,1\n", 1, 2, "power", "'nan'"),
    ("name,power,interest\nA,inf,1\n", 1, 2, "power", "'inf'"),
    ("name,power,interest\nA,1e1,1\n", 1, 2, "power", "'1e1'"),
    ("name,power,interest\nA,,1\n", 1, 2, "power", "empty"),
    ("name,power,interest\nA,1\n", 1, 2, "interest", "empty"),
    ("name,power,interest\n  ,1,1\n", 1, 2, "name", "name is empty"),
    ("name,power,interest\nA\tB,1,1\n", 1, 2, "name", "control character"),
    ("name,power,interest\n" + "n" * 201 + ",1,1\n", 1, 2, "name", "keep it to 200"),
    ("name,power,interest\nPolice,1,1\n  police ,2,2\n", 2, 3, "name", "row 1"),
    ("name,power,interest,attitude\nA,1,1,hostile\n", 1, 2, "attitude", "'hostile'"),
    ("name,power,interest\nA,1,1,surplus\n", 1, 2, "number 4 (no header)", "double quotes"),
    ('name,power,interest\nA,1,"1\n', 1, 2, "interest", "never closed"),
    ("name;power;interest\nA;7,5;1\n", 1, 2, "power", "full stop"),
    ('name,role,power,interest\n"A","two\nlines",1,1\nB,r,x,1\n', 2, 4, "power", "'x'"),
]


@pytest.mark.parametrize(("text", "row", "line", "column", "words"), ERRORS)
def test_errors_name_row_line_and_column(text, row, line, column, words):
    with pytest.raises(CsvImportError) as caught:
        stakeholders_from_csv(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.row, error.line, error.column) == (row, line, column)
    message = str(error)
    assert words in message
    assert f"column '{column}'" in message
    assert f"line {line}" in message
    if row is not None:
        assert message.startswith(f"Row {row} (line {line} of the file)")
    else:
        assert message.startswith("The header (line 1 of the file)")


def test_text_that_is_not_utf8_is_refused_naming_row_and_column():
    data = "name,organisation,power,interest\nPolice,Force,1,1\nCafé,Élan,2,2\n".encode("cp1252")
    with pytest.raises(CsvImportError, match="not saved as UTF-8") as caught:
        stakeholders_from_csv(data)
    assert (caught.value.row, caught.value.line, caught.value.column) == (2, 3, "name")
    assert "CSV UTF-8" in str(caught.value)
    assert "row 2 (line 3 of the file), column 'name'" in str(caught.value)


def test_utf16_without_bom_is_refused_with_advice():
    with pytest.raises(CsvImportError, match="UTF-16"):
        stakeholders_from_csv("name,power,interest\nA,1,1\n".encode("utf-16-le"))


def test_too_large_files_are_refused_before_reading():
    data = b"name,power,interest\n" + b"x" * MAX_BYTES
    with pytest.raises(CsvImportError, match="largest file"):
        stakeholders_from_csv(data)
    with pytest.raises(CsvImportError, match="largest file"):
        stakeholders_from_csv(data.decode("ascii"))


def test_more_than_500_rows_are_refused_naming_the_first_row_too_many():
    rows = "".join(f"S{i},1,1\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(CsvImportError, match="more than 500") as caught:
        stakeholders_from_csv("name,power,interest\n" + rows)
    assert (caught.value.row, caught.value.line) == (MAX_ROWS + 1, MAX_ROWS + 2)


def test_empty_file_is_refused():
    with pytest.raises(CsvImportError, match="empty"):
        stakeholders_from_csv(b"")
    with pytest.raises(CsvImportError, match="first line is empty"):
        stakeholders_from_csv("\nname,power,interest\n")


def test_wrong_input_type_is_a_type_error():
    with pytest.raises(TypeError, match="CSV text or bytes"):
        stakeholders_from_csv(["name,power,interest"])
