"""Tests for the ``partnership`` command line (partnership_lib.cli)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partnership_lib import cli
from partnership_lib.core.store import DB_FILENAME, AnswerStore, project_root


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    folder = (tmp_path / "learner-data").resolve()
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def filled(data) -> Path:
    with AnswerStore(data / DB_FILENAME) as store:
        store.save("nb1/ex1/why", "first draft")
        store.save("nb1/ex1/why", "second draft")
        store.save("nb1/ex1/who", ["Police", "Fire"])
        store.save("nb1/ex2/notes", "keep")
        store.save("nb2/ex1/notes", "other notebook")
    return data


def _answers(folder: Path) -> dict[str, object]:
    with AnswerStore(folder / DB_FILENAME) as store:
        return {str(key): value for key, value in store.answers().items()}


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("partnership: error: ")
    return lines[0]


# --------------------------------------------------------------------------- where


def test_where_prints_folder_and_database(data, capsys):
    assert cli.main(["where"]) == 0
    out = capsys.readouterr().out
    assert f"Data folder:      {data}\n" in out
    assert f"Answers database: {data / DB_FILENAME}\n" in out
    assert not data.exists()  # only tells, creates nothing


def test_where_with_data_dir_option(tmp_path, data, capsys):
    assert cli.main(["--data-dir", str(tmp_path / "other"), "where"]) == 0
    assert str(tmp_path / "other" / DB_FILENAME) in capsys.readouterr().out


def test_where_refuses_a_folder_inside_the_repository(monkeypatch, capsys):
    root = project_root()
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(root / "answers"))
    assert cli.main(["where"]) == cli.EXIT_STORE
    line = _one_error_line(capsys.readouterr().err)
    assert "inside the project's source folder" in line


def test_python_dash_m_where_runs_in_a_real_process(data):
    result = subprocess.run(
        [sys.executable, "-m", "partnership_lib", "where"],
        capture_output=True,
        text=True,
        env={**os.environ, "PARTNERSHIP_DATA_DIR": str(data)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"Answers database: {data / DB_FILENAME}" in result.stdout
    assert result.stderr == ""


# --------------------------------------------------------------------------- usage


def test_usage_errors_exit_2(capsys):
    assert cli.main([]) == 2
    assert cli.main(["fly"]) == 2
    assert cli.main(["restore", "nb/ex/f", "three"]) == 2
    assert "invalid int value" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("where", "reset", "doctor", "history", "restore", "export", "import"):
        assert command in out


def test_bad_key_is_a_usage_error(filled, capsys):
    assert cli.main(["history", "nb1/ex1"]) == 2
    assert "three parts" in _one_error_line(capsys.readouterr().err)


# --------------------------------------------------------------------------- reset


def test_reset_with_yes_resets_and_says_it_can_be_undone(filled, capsys):
    assert cli.main(["reset", "nb1", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "This resets 3 saved answer(s) in nb1" in out
    assert "Reset 3 answer(s) in nb1" in out
    assert "can be undone" in out and "partnership restore KEY REVISION" in out
    assert _answers(filled) == {"nb2/ex1/notes": "other notebook"}


def test_reset_one_exercise(filled, capsys):
    assert cli.main(["reset", "nb1", "ex1", "-y"]) == 0
    assert _answers(filled) == {"nb1/ex2/notes": "keep", "nb2/ex1/notes": "other notebook"}


@pytest.mark.parametrize(("reply", "code", "left"), [("y\n", 0, 1), ("n\n", 1, 4), ("", 1, 4)])
def test_reset_asks_first(filled, capsys, monkeypatch, reply, code, left):
    monkeypatch.setattr("sys.stdin", io.StringIO(reply))
    assert cli.main(["reset", "nb1"]) == code
    out = capsys.readouterr().out
    assert "You can undo this from the history. [y/N]" in out
    if code:
        assert "Nothing was reset." in out
    assert len(_answers(filled)) == left


def test_reset_with_nothing_saved(data, capsys):
    assert cli.main(["reset", "nb9", "--yes"]) == 0
    assert "nothing to reset" in capsys.readouterr().out


def test_reset_refuses_when_answers_could_only_be_kept_in_memory(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert cli.main(["--data-dir", str(blocker / "data"), "reset", "nb1", "--yes"]) == 4
    assert "cannot be written" in _one_error_line(capsys.readouterr().err)


# --------------------------------------------------------------------------- history / restore


def test_history_lists_every_revision(filled, capsys):
    cli.main(["reset", "nb1", "ex1", "--yes"])
    capsys.readouterr()
    assert cli.main(["history", "nb1/ex1/why"]) == 0
    out = capsys.readouterr().out
    assert "History of nb1/ex1/why (3 revision(s), oldest first):" in out
    lines = [line.split() for line in out.splitlines()[1:4]]
    assert [(line[0], line[4]) for line in lines] == [("1", "save"), ("2", "save"), ("3", "reset")]
    assert '"first draft"' in out and "(cleared)" in out
    assert "partnership restore nb1/ex1/why REVISION" in out


def test_history_of_an_unknown_key(data, capsys):
    assert cli.main(["history", "nb/ex/never"]) == 1
    assert "Nothing has been saved for nb/ex/never." in capsys.readouterr().out


def test_history_shows_control_characters_safely(data, capsys):
    with AnswerStore(data / DB_FILENAME) as store:
        store.save("nb/ex/f", "bell\x07 and NUL\x00 " + "x" * 200)
    assert cli.main(["history", "nb/ex/f"]) == 0
    out = capsys.readouterr().out
    assert "\x00" not in out and "\x07" not in out
    assert "…" in out  # long values are shortened


def test_restore_undoes_a_reset(filled, capsys):
    cli.main(["reset", "nb1", "--yes"])
    assert cli.main(["restore", "nb1/ex1/why", "1"]) == 0
    out = capsys.readouterr().out
    assert 'Restored nb1/ex1/why to revision 1; this is now revision 4: "first draft"' in out
    assert _answers(filled)["nb1/ex1/why"] == "first draft"


def test_restore_of_an_unknown_revision(filled, capsys):
    assert cli.main(["restore", "nb1/ex1/why", "9"]) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert "has no revision 9; its revisions are numbered 1 to 2" in line


def test_store_errors_are_one_line_with_exit_4(data, capsys):
    with AnswerStore(data / DB_FILENAME) as store:
        store.save("nb/ex/f", "x")
        store._conn.execute("UPDATE schema_version SET version = 99")
    assert cli.main(["history", "nb/ex/f"]) == 4
    assert "newer version of the workbook" in _one_error_line(capsys.readouterr().err)


def test_damaged_file_is_reported_as_a_warning(data, capsys):
    data.mkdir(parents=True)
    (data / DB_FILENAME).write_bytes(b"\x00garbage" * 500)
    assert cli.main(["history", "nb/ex/f"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("partnership: warning: ") and "moved aside" in err
    assert len(list(data.glob("answers.corrupt-*.sqlite3"))) == 1


# --------------------------------------------------------------------------- doctor


def _doctor_lines(capsys) -> dict[str, str]:
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert len(lines) == 3, out
    return {line.split(":", 1)[0].split(None, 1)[1]: line for line in lines}


def test_doctor_all_well(filled, capsys):
    assert cli.main(["doctor"]) == 0
    lines = _doctor_lines(capsys)
    assert lines["widgets"].startswith("OK       widgets: ipywidgets 8.")
    assert "matches jupyterlab_widgets 3." in lines["widgets"]
    assert lines["data folder"] == f"OK       data folder: can write to {filled}"
    assert "passed the integrity check (4 answer(s) saved)" in lines["answers file"]


@pytest.mark.parametrize(
    ("versions", "ok", "expected"),
    [
        ({"ipywidgets": "8.1.5", "jupyterlab_widgets": "3.0.13"}, True, "matches"),
        ({"ipywidgets": "7.8.1", "jupyterlab_widgets": "1.1.7"}, True, "matches"),
        (
            {"ipywidgets": "8.1.5", "jupyterlab_widgets": "1.1.7"},
            False,
            "needs jupyterlab_widgets 3.x, but 1.1.7 is installed, so widgets will not show. "
            'Fix: pip install "jupyterlab_widgets>=3,<4"',
        ),
        (
            {"ipywidgets": "7.8.1", "jupyterlab_widgets": "3.0.13"},
            False,
            'Fix: pip install "jupyterlab_widgets>=1,<2"',
        ),
        ({"ipywidgets": "8.1.5"}, False, "jupyterlab_widgets is not, so widgets will not show"),
        ({"jupyterlab_widgets": "3.0.13"}, False, "ipywidgets is not installed. Fix:"),
        ({"ipywidgets": "9.0.0", "jupyterlab_widgets": "4.0.0"}, False, "not a version"),
    ],
)
def test_doctor_widget_versions(data, capsys, monkeypatch, versions, ok, expected):
    monkeypatch.setattr(cli, "_installed_version", versions.get)
    assert cli.main(["doctor"]) == (0 if ok else 1)
    line = _doctor_lines(capsys)["widgets"]
    assert line.startswith("OK " if ok else "PROBLEM ")
    assert expected in line


def test_doctor_unwritable_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert cli.main(["--data-dir", str(blocker / "data"), "doctor"]) == 1
    lines = _doctor_lines(capsys)
    assert lines["data folder"].startswith("PROBLEM  data folder: cannot write to ")
    assert "Fix: make the folder writable, or set PARTNERSHIP_DATA_DIR" in lines["data folder"]
    assert lines["answers file"].startswith("PROBLEM ")
    assert "in memory only" in lines["answers file"]


def test_doctor_damaged_answers_file(data, capsys):
    data.mkdir(parents=True)
    (data / DB_FILENAME).write_bytes(b"not a database at all" * 100)
    assert cli.main(["doctor"]) == 1
    line = _doctor_lines(capsys)["answers file"]
    assert line.startswith("PROBLEM  answers file: Your answers file")
    assert "moved aside" in line and "Fix: keep" in line


def test_doctor_folder_inside_repository(monkeypatch, capsys):
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(project_root() / "answers"))
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2
    assert out[1].startswith("PROBLEM  data folder: The answers folder")


# --------------------------------------------------------------------------- export / import


def test_export_portfolio_share_and_import_round_trip(filled, capsys, tmp_path):
    portfolio = tmp_path / "out" / "portfolio.md"
    assert cli.main(["export", "portfolio", "-o", str(portfolio), "--name", "Sam"]) == 0
    assert f"Wrote {portfolio}" in capsys.readouterr().out
    assert portfolio.read_text(encoding="utf-8").startswith("# My partnership portfolio")
    share = tmp_path / "share.json"
    assert cli.main(["export", "share", "-o", str(share), "--display-name", "Table 2"]) == 0
    assert f"Wrote {share}" in capsys.readouterr().out
    with AnswerStore(filled / DB_FILENAME) as store:
        store.reset_notebook("nb1")
    assert cli.main(["import", str(share)]) == 0
    assert "Imported" in capsys.readouterr().out
    with AnswerStore(filled / DB_FILENAME) as store:
        assert store.history("nb1/ex1/why")[-1].action == "import"


def test_import_of_a_bad_file_changes_nothing_and_says_why(filled, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli.main(["import", str(bad)]) == 1
    assert "nothing was imported: bad.json: is not valid JSON" in _one_error_line(
        capsys.readouterr().err
    )


def test_export_to_an_unwritable_place_is_one_clear_line(data, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["export", "portfolio", "-o", str(blocker / "sub" / "p.html")]) == 1
    assert "could not export" in _one_error_line(capsys.readouterr().err)


# --------------------------------------------------------------------------- send


def test_send_writes_into_the_room_and_says_what_was_sent(filled, tmp_path, monkeypatch, capsys):
    from partnership_lib.documents.share import load_share_file

    room = tmp_path / "room"
    room.mkdir()
    monkeypatch.setenv("PARTNERSHIP_ROOM_DIR", str(room))
    monkeypatch.setenv("PARTNERSHIP_HUB_USER", "alice")
    assert cli.main(["send", "--display-name", "Table 3", "--session-code", "k7p-q3m"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sent ") and "to the room at" in out
    (path,) = room.glob("alice-*.json")
    shared = load_share_file(path)
    assert shared.display_name == "Table 3" and shared.session_code == "K7PQ3M"
    assert cli.main(["send"]) == 0  # sending again replaces the learner's own file
    assert "replaces the file you sent before" in capsys.readouterr().out
    assert len(list(room.glob("alice-*.json"))) == 1


def test_send_without_a_room_says_how_to_share_by_hand(filled, monkeypatch, capsys):
    monkeypatch.delenv("PARTNERSHIP_ROOM_DIR", raising=False)
    assert cli.main(["send"]) == cli.EXIT_PROBLEM
    assert "partnership export share" in _one_error_line(capsys.readouterr().err)


def test_send_with_a_bad_session_code_sends_nothing(filled, tmp_path, monkeypatch, capsys):
    room = tmp_path / "room"
    room.mkdir()
    monkeypatch.setenv("PARTNERSHIP_HUB_USER", "alice")
    assert cli.main(["send", "--room", str(room), "--session-code", "no!"]) == cli.EXIT_PROBLEM
    assert "4 to 12 letters and digits" in capsys.readouterr().err
    assert not list(room.iterdir())
