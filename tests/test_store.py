"""Unit tests for the answer store: keys, values, history, migration and start-up faults."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import platformdirs
import pytest

from partnership_lib.core import store as store_module
from partnership_lib.core.store import (
    DB_FILENAME,
    SCHEMA_VERSION,
    AnswerKey,
    AnswerStore,
    DataFolderError,
    Revision,
    StoreError,
    StoreStatus,
    UnknownRevisionError,
    close_default_stores,
    data_dir,
    default_store,
    project_root,
)

KEY = AnswerKey("01_partnerships", "purpose", "why")
ONE_MB = "ab<>&é中🙂\x00" * (1_048_576 // 9 + 1)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test may touch the real user data folder; default stores are closed afterwards."""
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(tmp_path / "default-data"))
    yield
    close_default_stores()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / DB_FILENAME


@pytest.fixture
def store(db_path):
    with AnswerStore(db_path) as answer_store:
        yield answer_store


def _raw(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _write_v1(path: Path, rows: list[tuple], *, version_table: bool = True) -> None:
    """Create a schema-1 answers file by hand, as the first release wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("CREATE TABLE answers (key TEXT PRIMARY KEY, value TEXT, saved_at TEXT)")
            conn.executemany("INSERT INTO answers VALUES (?, ?, ?)", rows)
            if version_table:
                conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                conn.execute("INSERT INTO schema_version VALUES (1)")
    finally:
        conn.close()


# --------------------------------------------------------------------------- keys


def test_answer_key_text_form_and_parse():
    assert str(KEY) == "01_partnerships/purpose/why"
    assert AnswerKey.parse("01_partnerships/purpose/why") == KEY
    assert AnswerKey.coerce(("01_partnerships", "purpose", "why")) == KEY
    assert AnswerKey.coerce("01_partnerships/purpose/why") == KEY
    assert AnswerKey.coerce(KEY) is KEY
    assert {KEY: 1}[AnswerKey.parse(str(KEY))] == 1
    assert sorted([AnswerKey("b", "a", "a"), AnswerKey("a", "b", "c")])[0].notebook == "a"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nb/ex", "three parts"),
        ("nb/ex/field/extra", "three parts"),
        ("nb//field", "exercise must not be empty"),
        ("/ex/field", "notebook must not be empty"),
        ("nb/ex/ ", "field must not be empty"),
        ("nb/ex /field", "must not start or end with spaces"),
        ("nb/ex/fi\x00eld", "control characters"),
    ],
)
def test_answer_key_parse_rejects_bad_text(text, message):
    with pytest.raises(ValueError, match=message):
        AnswerKey.parse(text)


def test_answer_key_rejects_slash_and_non_text():
    with pytest.raises(ValueError, match="field must not contain '/'"):
        AnswerKey("nb", "ex", "a/b")
    with pytest.raises(TypeError, match="notebook must be text, got int 3"):
        AnswerKey(3, "ex", "field")
    with pytest.raises(ValueError, match="three parts"):
        AnswerKey.coerce(("nb", "ex"))
    with pytest.raises(TypeError, match="must be an AnswerKey"):
        AnswerKey.coerce(["nb", "ex", "field"])
    with pytest.raises(AttributeError):
        KEY.notebook = "other"  # frozen


def test_store_methods_accept_all_key_forms(store):
    store.save(KEY, "a")
    assert store.get(("01_partnerships", "purpose", "why")) == "a"
    assert store.get("01_partnerships/purpose/why") == "a"
    with pytest.raises(ValueError, match="three parts"):
        store.get("01_partnerships/why")


# --------------------------------------------------------------------------- values

HOSTILE_TEXT = {
    "html": "<b>bold</b><script>alert('x')</script><img src=x onerror=alert(1)>",
    "rtl": "\u202eمرحبا بالعالم\u202c שלום עולם",
    "emoji": "🧑🏽\u200d🤝\u200d🧑🏻 👍🏿 🏳️\u200d🌈",
    "nul": "before\x00after\x00",
    "formula_eq": '=HYPERLINK("http://evil","x")',
    "formula_plus": "+44 20 7946 0000",
    "formula_minus": "-2+3",
    "formula_at": "@SUM(A1)",
    "newlines": "a\r\nb\rc\n",
    "quotes": "He said \"no\" \\ then 'yes'",
    "lone_surrogate": "half \ud83d pair",
    "one_mb": ONE_MB,
    "empty": "",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXT))
def test_text_round_trips_exactly_and_survives_reopening(db_path, name):
    text = HOSTILE_TEXT[name]
    with AnswerStore(db_path) as answer_store:
        rev = answer_store.save(KEY, text)
        assert rev.value == text
        assert answer_store.get(KEY) == text
    with AnswerStore(db_path) as reopened:
        got = reopened.get(KEY)
        assert type(got) is str
        assert len(got) == len(text)
        assert got == text
        assert reopened.history(KEY)[-1].value == text


def test_nul_is_stored_as_a_json_escape(store, db_path):
    store.save(KEY, "a\x00b")
    (stored,) = _raw(db_path, "SELECT value FROM revisions")[0]
    assert stored == '"a\\u0000b"'
    assert store.get(KEY) == "a\x00b"


def test_one_megabyte_answer_round_trips(store):
    assert len(ONE_MB) >= 1_048_576
    store.save(KEY, ONE_MB)
    assert store.get(KEY) == ONE_MB


@pytest.mark.parametrize(
    "value",
    [
        0,
        -0.0,
        2**70,
        3.141592653589793,
        1e-300,
        True,
        False,
        None,
        [],
        {},
        ["a", 1, 2.5, None, True, ["nested", {"deep": [1, 2]}]],
        {"text": "x", "list": [1, 2], "nested": {"a": None}},
        [
            {"name": "Police", "power": 9, "interest": 7.5, "attitude": "supportive"},
            {"name": "Résidents' forum", "power": 3, "interest": 9, "attitude": "=neutral"},
        ],
    ],
    ids=repr,
)
def test_json_values_round_trip_with_their_types(db_path, value):
    with AnswerStore(db_path) as answer_store:
        answer_store.save(KEY, value)
    with AnswerStore(db_path) as reopened:
        got = reopened.get(KEY, default="missing")
    assert got == value
    assert type(got) is type(value)
    assert json.dumps(got) == json.dumps(value)  # 1 vs 1.0 vs True, -0.0, key order


def test_tuples_are_stored_as_lists(store):
    store.save(KEY, ("a", ("b", 1)))
    assert store.get(KEY) == ["a", ["b", 1]]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ({1, 2}, TypeError, r"the value is a set .*sorted list"),
        (object(), TypeError, r"the value is a object"),
        ([1, b"bytes"], TypeError, r"the value\[1\] is a bytes"),
        ({1: "a"}, TypeError, r"has the key 1 \(int\); JSON keys must be text"),
        ([{"power": float("nan")}], ValueError, r"the value\[0\]\['power'\] is nan.*NaN"),
        (float("inf"), ValueError, "the value is inf. NaN and infinity are not valid JSON"),
        (datetime(2024, 1, 1), TypeError, "is a datetime"),
    ],
    ids=["set", "object", "bytes", "int-key", "nan", "inf", "datetime"],
)
def test_unstorable_values_are_rejected_naming_the_key(store, value, error, message):
    with pytest.raises(error, match=message) as info:
        store.save(KEY, value)
    assert str(KEY) in str(info.value)
    assert store.history(KEY) == []


def test_dataframe_is_rejected_with_a_conversion_hint(store):
    frame = pd.DataFrame({"name": ["Police"], "power": [9]})
    with pytest.raises(TypeError, match=r"DataFrame.*to_dict\('records'\)"):
        store.save(KEY, frame)
    store.save(KEY, frame.to_dict("records"))
    assert store.get(KEY) == [{"name": "Police", "power": 9}]


def test_self_containing_value_is_rejected(store):
    loop: list = ["x"]
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        store.save(KEY, loop)


def test_get_returns_a_fresh_copy(store):
    store.save(KEY, {"items": [1]})
    store.get(KEY)["items"].append(2)
    assert store.get(KEY) == {"items": [1]}


# --------------------------------------------------------------------------- history


def test_save_records_revisions_with_utc_timestamps(store):
    before = datetime.now(UTC)
    first = store.save(KEY, "draft")
    second = store.save(KEY, "final")
    after = datetime.now(UTC)
    assert isinstance(first, Revision)
    assert (first.key, first.revision, first.action, first.value) == (KEY, 1, "save", "draft")
    assert (second.revision, second.value) == (2, "final")
    for rev in (first, second):
        assert rev.saved_at.utcoffset() == timedelta(0)
        assert before <= rev.saved_at <= after
    assert store.history(KEY) == [first, second]
    assert store.last_saved(KEY) == second.saved_at


def test_saving_an_unchanged_value_records_nothing(store):
    first = store.save(KEY, {"a": 1, "b": [1, 2]})
    again = store.save(KEY, {"b": [1, 2], "a": 1})  # same answer, other key order
    assert again == first
    assert len(store.history(KEY)) == 1


@pytest.mark.parametrize(("old", "new"), [(1, 1.0), (1, True), (0, False), ("1", 1), (None, "")])
def test_values_equal_in_python_but_not_in_json_are_changes(store, old, new):
    store.save(KEY, old)
    rev = store.save(KEY, new)
    assert rev.revision == 2
    assert type(store.get(KEY)) is type(new)


def test_restore_records_a_new_revision(store):
    store.save(KEY, "one")
    store.save(KEY, "two")
    store.save(KEY, "three")
    assert store.restore(KEY, 1) == "one"
    assert store.get(KEY) == "one"
    last = store.history(KEY)[-1]
    assert (last.revision, last.action, last.value) == (4, "restore", "one")


def test_reset_is_recorded_and_can_be_undone(store):
    store.save(KEY, "keep me")
    reset = store.reset(KEY)
    assert (reset.revision, reset.action, reset.value) == (2, "reset", None)
    assert store.get(KEY) is None
    assert store.get(KEY, default="nothing") == "nothing"
    assert KEY not in store.answers()
    assert store.reset(KEY) == reset  # already cleared: nothing new
    assert store.restore(KEY, 1) == "keep me"
    assert store.get(KEY) == "keep me"
    assert [r.action for r in store.history(KEY)] == ["save", "reset", "restore"]


def test_reset_of_an_unsaved_key_does_nothing(store):
    assert store.reset(KEY) is None
    assert store.history(KEY) == []


def test_saving_none_after_a_reset_is_an_answer(store):
    store.save(KEY, "x")
    store.reset(KEY)
    rev = store.save(KEY, None)
    assert (rev.revision, rev.action) == (3, "save")
    assert store.get(KEY, default="missing") is None
    assert store.answers() == {KEY: None}


def test_restoring_a_reset_revision_clears_the_answer(store):
    store.save(KEY, "x")
    store.reset(KEY)
    store.save(KEY, "y")
    assert store.restore(KEY, 2) is None
    assert store.get(KEY, default="cleared") == "cleared"


def test_restore_of_unknown_revision_is_a_clear_error(store):
    with pytest.raises(UnknownRevisionError, match="has no revision 1; it has no saved"):
        store.restore(KEY, 1)
    store.save(KEY, "a")
    store.save(KEY, "b")
    with pytest.raises(UnknownRevisionError, match=r"no revision 7; its revisions are .* 1 to 2"):
        store.restore(KEY, 7)
    with pytest.raises(LookupError):
        store.restore(KEY, 0)
    with pytest.raises(TypeError, match="whole number"):
        store.restore(KEY, "1")
    assert len(store.history(KEY)) == 2


def _fill(answer_store: AnswerStore) -> None:
    answer_store.save(("nb1", "ex1", "a"), "1a")
    answer_store.save(("nb1", "ex1", "b"), "1b")
    answer_store.save(("nb1", "ex2", "a"), "2a")
    answer_store.save(("nb2", "ex1", "a"), "other notebook")


def test_reset_exercise_and_notebook(store):
    _fill(store)
    resets = store.reset_exercise("nb1", "ex1")
    assert [str(r.key) for r in resets] == ["nb1/ex1/a", "nb1/ex1/b"]
    assert all(r.action == "reset" and r.revision == 2 for r in resets)
    assert store.answers() == {
        AnswerKey("nb1", "ex2", "a"): "2a",
        AnswerKey("nb2", "ex1", "a"): "other notebook",
    }
    resets = store.reset_notebook("nb1")
    assert [str(r.key) for r in resets] == ["nb1/ex2/a"]  # already-reset keys are skipped
    assert store.answers() == {AnswerKey("nb2", "ex1", "a"): "other notebook"}
    with pytest.raises(ValueError, match="notebook must not contain '/'"):
        store.reset_notebook("nb1/ex1")


def test_reset_notebook_is_one_transaction(store, monkeypatch):
    _fill(store)
    calls = []
    real_append = AnswerStore._append

    def failing_append(conn, key, action, text):
        calls.append(key)
        if len(calls) == 2:
            raise RuntimeError("power cut half way")
        return real_append(conn, key, action, text)

    monkeypatch.setattr(AnswerStore, "_append", staticmethod(failing_append))
    with pytest.raises(RuntimeError, match="half way"):
        store.reset_notebook("nb1")
    monkeypatch.undo()
    assert len(calls) == 2
    assert store.get(("nb1", "ex1", "a")) == "1a"  # the first reset was rolled back
    current = store.keys()
    assert len(current) == 4
    assert all(len(store.history(key)) == 1 for key in current)


def test_keys_and_answers_filters(store):
    _fill(store)
    store.reset(("nb1", "ex1", "b"))
    everything = store.keys()
    assert [str(k) for k in everything] == ["nb1/ex1/a", "nb1/ex2/a", "nb2/ex1/a"]
    assert [str(k) for k in store.keys("nb1")] == ["nb1/ex1/a", "nb1/ex2/a"]
    assert [str(k) for k in store.keys("nb1", "ex1")] == ["nb1/ex1/a"]
    assert [str(k) for k in store.keys(exercise="ex1")] == ["nb1/ex1/a", "nb2/ex1/a"]
    assert [str(k) for k in store.keys("nb1", "ex1", include_reset=True)] == [
        "nb1/ex1/a",
        "nb1/ex1/b",
    ]
    assert store.answers("nb1") == {
        AnswerKey("nb1", "ex1", "a"): "1a",
        AnswerKey("nb1", "ex2", "a"): "2a",
    }
    assert store.answers("nobody") == {}


def test_last_saved(store):
    assert store.last_saved(KEY) is None
    store.save(KEY, "x")
    reset = store.reset(KEY)
    assert store.last_saved(KEY) == reset.saved_at


def test_save_many_is_one_transaction_and_can_mark_imports(store):
    store.save(KEY, "same")
    revs = store.save_many({KEY: "same", "nb/ex/new": [1, 2]}, action="import")
    assert [(str(r.key), r.action, r.revision) for r in revs] == [("nb/ex/new", "import", 1)]
    with pytest.raises(TypeError, match="nb/ex/bad"):
        store.save_many([("nb/ex/fine", "ok"), ("nb/ex/bad", {1, 2})])
    assert store.history("nb/ex/fine") == []
    with pytest.raises(ValueError, match="must be 'save' or 'import'"):
        store.save_many({KEY: "x"}, action="reset")


# --------------------------------------------------------------------------- database


def test_database_settings_and_schema(store, db_path):
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert _raw(db_path, "SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]
    assert SCHEMA_VERSION == 2
    assert store.integrity_check() == "ok"
    assert store.status == StoreStatus("disk", db_path, f"Your answers are saved to {db_path}.")
    assert store.status.ok
    assert store.path == db_path


def test_two_stores_on_one_file_see_each_other(db_path):
    with AnswerStore(db_path) as first, AnswerStore(db_path) as second:
        first.save(KEY, "from first")
        assert second.get(KEY) == "from first"
        second.save(KEY, "from second")
        assert [r.value for r in first.history(KEY)] == ["from first", "from second"]


def test_threads_sharing_one_store_lose_nothing(store):
    def work(worker: int) -> None:
        for n in range(40):
            store.save(KEY, f"{worker}-{n}")

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = store.history(KEY)
    assert [r.revision for r in history] == list(range(1, 161))
    assert sorted(r.value for r in history) == sorted(
        f"{w}-{n}" for w in range(4) for n in range(40)
    )


def _hold_write_lock(db_path: Path, seconds: float) -> threading.Thread:
    """Another 'kernel' holding the write lock for a while."""
    locked = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db_path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            locked.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(5)
    return thread


def test_a_save_waits_for_another_writer(store, db_path):
    holder = _hold_write_lock(db_path, 0.5)
    started = time.monotonic()
    store.save(KEY, "waited")
    waited = time.monotonic() - started
    holder.join()
    assert waited >= 0.4
    assert store.get(KEY) == "waited"


def test_a_lock_held_too_long_is_a_clear_error(db_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.1)
    with AnswerStore(db_path) as answer_store:
        holder = _hold_write_lock(db_path, 0.6)
        try:
            with pytest.raises(StoreError, match=r"Could not save the answer .*locked by another"):
                answer_store.save(KEY, "x")
        finally:
            holder.join()
        assert answer_store.save(KEY, "x").revision == 1


def test_closed_store_refuses_work(db_path):
    answer_store = AnswerStore(db_path)
    answer_store.close()
    answer_store.close()  # idempotent
    assert answer_store.closed
    assert "closed" in repr(answer_store)
    with pytest.raises(StoreError, match="closed"):
        answer_store.get(KEY)
    with pytest.raises(StoreError, match="closed"):
        answer_store.save(KEY, "x")


# --------------------------------------------------------------------------- migration


def test_migration_from_version_1_keeps_every_answer(db_path):
    table = [{"name": "Police", "power": 9}]
    _write_v1(
        db_path,
        [
            ("01_partnerships/purpose/why", json.dumps("Shared outcomes"), "2024-03-01T09:30:00"),
            ("01_partnerships/stakeholders/table", json.dumps(table), "2024-03-01T10:00:00+00:00"),
            ("02_lifecycle/stage/notes", "plain words, not JSON", "yesterday"),
            ("02_lifecycle/stage/emoji", json.dumps("🙂\x00<b>", ensure_ascii=False), None),
            ("loose-key-without-parts", json.dumps("kept aside"), "2024-03-01T11:00:00"),
            ("02_lifecycle/stage/empty", None, "2024-03-01T11:00:00"),
        ],
    )
    with AnswerStore(db_path) as answer_store:
        assert answer_store.status.ok
        assert answer_store.get("01_partnerships/purpose/why") == "Shared outcomes"
        assert answer_store.get("01_partnerships/stakeholders/table") == table
        assert answer_store.get("02_lifecycle/stage/notes") == "plain words, not JSON"
        assert answer_store.get("02_lifecycle/stage/emoji") == "🙂\x00<b>"
        (rev,) = answer_store.history("01_partnerships/purpose/why")
        assert (rev.revision, rev.action) == (1, "save")
        assert rev.saved_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
        assert len(answer_store.keys()) == 4
        assert answer_store.save("01_partnerships/purpose/why", "Edited").revision == 2
    assert _raw(db_path, "SELECT version FROM schema_version") == [(2,)]
    assert _raw(db_path, "SELECT * FROM unmigrated_v1") == [
        ("loose-key-without-parts", '"kept aside"', "2024-03-01T11:00:00")
    ]
    tables = {row[0] for row in _raw(db_path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"answers", "revisions", "schema_version", "unmigrated_v1"}


def test_migration_of_a_v1_file_without_a_version_table(db_path):
    _write_v1(db_path, [("nb/ex/field", '"old"', "2024-01-01T00:00:00Z")], version_table=False)
    with AnswerStore(db_path) as answer_store:
        assert answer_store.get("nb/ex/field") == "old"
    assert _raw(db_path, "SELECT version FROM schema_version") == [(2,)]


def test_failed_migration_leaves_version_1_untouched(db_path, monkeypatch):
    _write_v1(db_path, [("nb/ex/a", '"A"', None), ("nb/ex/b", '"B"', None)])
    calls = []
    real = store_module._migrate_v1_row

    def failing(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("crash during migration")
        return real(*args)

    monkeypatch.setattr(store_module, "_migrate_v1_row", failing)
    with pytest.raises(RuntimeError, match="crash during migration"):
        AnswerStore(db_path)
    assert _raw(db_path, "SELECT version FROM schema_version") == [(1,)]
    assert _raw(db_path, "SELECT key, value FROM answers ORDER BY key") == [
        ("nb/ex/a", '"A"'),
        ("nb/ex/b", '"B"'),
    ]
    assert list(db_path.parent.glob("*corrupt*")) == []
    monkeypatch.undo()
    with AnswerStore(db_path) as answer_store:
        assert answer_store.answers() == {
            AnswerKey("nb", "ex", "a"): "A",
            AnswerKey("nb", "ex", "b"): "B",
        }


def test_newer_schema_is_refused_without_touching_the_file(db_path):
    with AnswerStore(db_path) as answer_store:
        answer_store.save(KEY, "x")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE schema_version SET version = 3")
    conn.close()
    with pytest.raises(StoreError, match="newer version of the workbook"):
        AnswerStore(db_path)
    assert db_path.exists()
    assert list(db_path.parent.glob("*corrupt*")) == []


def test_a_foreign_sqlite_file_is_refused(db_path):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match=r"not a Collaborative Working answers file.*recipes"):
        AnswerStore(db_path)


# --------------------------------------------------------------------------- damaged files

ASIDE = re.compile(r"answers\.corrupt-\d{8}-\d{6}(-\d+)?\.sqlite3")


def _assert_moved_aside(answer_store: AnswerStore, db_path: Path, original: bytes) -> Path:
    status = answer_store.status
    moved = status.moved_aside
    assert moved is not None
    assert ASIDE.fullmatch(moved.name), moved.name
    assert moved.parent == db_path.parent
    assert moved.read_bytes() == original  # kept byte for byte, never deleted
    assert str(db_path) in status.message
    assert str(moved) in status.message
    assert "not been deleted" in status.message
    assert status.mode == "disk"
    assert not status.ok
    # the fresh store works
    answer_store.save(KEY, "fresh start")
    assert answer_store.get(KEY) == "fresh start"
    assert answer_store.integrity_check() == "ok"
    return moved


def test_random_bytes_are_moved_aside_and_a_fresh_store_started(db_path):
    db_path.parent.mkdir(parents=True)
    garbage = os.urandom(8192)
    db_path.write_bytes(garbage)
    with AnswerStore(db_path) as answer_store:
        _assert_moved_aside(answer_store, db_path, garbage)


def test_truncated_database_and_its_wal_are_moved_aside(db_path):
    with AnswerStore(db_path) as answer_store:
        for n in range(200):
            answer_store.save(("nb", "ex", f"f{n}"), "x" * 500)
    whole = db_path.read_bytes()
    db_path.write_bytes(whole[: len(whole) // 2])
    wal = Path(f"{db_path}-wal")
    wal.write_bytes(b"stale log")
    truncated = db_path.read_bytes()
    with AnswerStore(db_path) as answer_store:
        moved = _assert_moved_aside(answer_store, db_path, truncated)
    assert Path(f"{moved}-wal").read_bytes() == b"stale log"


def test_two_damaged_files_get_different_names(db_path):
    db_path.parent.mkdir(parents=True)
    names = []
    for garbage in (b"first damaged file" * 100, b"second damaged file" * 100):
        db_path.write_bytes(garbage)
        with AnswerStore(db_path) as answer_store:
            names.append(answer_store.status.moved_aside)
    assert names[0] != names[1]
    assert names[0].read_bytes().startswith(b"first")
    assert names[1].read_bytes().startswith(b"second")


def test_awkward_folder_names_work(tmp_path):
    db_path = tmp_path / "Ünïcode folder #1 ?x=y %20" / DB_FILENAME
    with AnswerStore(db_path) as answer_store:
        answer_store.save(KEY, "x")
    db_path.write_bytes(db_path.read_bytes()[:200])  # damage it: the check must still run
    with AnswerStore(db_path) as answer_store:
        assert answer_store.status.moved_aside is not None
        assert answer_store.get(KEY) is None


def test_an_empty_file_is_not_damage(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with AnswerStore(db_path) as answer_store:
        assert answer_store.status.ok
        answer_store.save(KEY, "x")


# --------------------------------------------------------------------------- unwritable folder


@pytest.fixture
def unwritable_folder(tmp_path):
    """A data folder that cannot be written: chmod 0o500, or (as root) one under a file."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    probe = locked / "probe"
    try:
        probe.write_text("root ignores permissions")
    except PermissionError:
        yield locked / "data"
        locked.chmod(0o700)
        return
    probe.unlink()
    locked.chmod(0o700)
    # Root can write anywhere; a folder below a regular file can never be created.
    blocker = tmp_path / "a-regular-file"
    blocker.write_text("not a folder")
    yield blocker / "data"


def test_unwritable_folder_keeps_answers_in_memory(unwritable_folder):
    db_path = unwritable_folder / DB_FILENAME
    with AnswerStore(db_path) as answer_store:
        status = answer_store.status
        assert status.mode == "memory"
        assert status.path is None
        assert answer_store.path is None
        assert not status.ok
        assert str(unwritable_folder) in status.message
        assert "cannot be written" in status.message
        assert "in memory only" in status.message
        assert "Export your answers before you close" in status.message
        answer_store.save(KEY, "kept in memory")
        answer_store.reset(KEY)
        assert answer_store.restore(KEY, 1) == "kept in memory"
        assert len(answer_store.history(KEY)) == 3
        assert answer_store.integrity_check() == "ok"
    assert not db_path.exists()


def test_unwritable_folder_still_shows_earlier_answers(db_path, monkeypatch):
    with AnswerStore(db_path) as answer_store:
        answer_store.save(KEY, "saved last week")
    before = db_path.read_bytes()

    def refuse(folder):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(store_module, "probe_writable", refuse)
    with AnswerStore(db_path) as answer_store:
        assert answer_store.status.mode == "memory"
        assert "Permission denied" in answer_store.status.message
        assert f"earlier answers were read from {db_path}" in answer_store.status.message
        assert answer_store.get(KEY) == "saved last week"
        answer_store.save(KEY, "only in memory")
    assert db_path.read_bytes() == before
    monkeypatch.undo()
    with AnswerStore(db_path) as answer_store:
        assert answer_store.get(KEY) == "saved last week"


# --------------------------------------------------------------------------- where


def test_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(tmp_path / "mine"))
    assert data_dir() == (tmp_path / "mine").resolve()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", "relative")
    assert data_dir() == (tmp_path / "relative").resolve()
    assert not (tmp_path / "relative").exists()  # data_dir() does not create it


def test_data_dir_defaults_to_the_platform_folder(monkeypatch):
    monkeypatch.delenv("PARTNERSHIP_DATA_DIR")
    expected = Path(platformdirs.user_data_dir("collaborative-working", appauthor=False))
    assert data_dir() == expected.resolve()
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", "  ")  # blank counts as unset
    assert data_dir() == expected.resolve()


def test_data_folder_inside_the_repository_is_refused(monkeypatch):
    root = project_root()
    assert root is not None and (root / "partnership_lib").is_dir()
    inside = root / "learner-answers"
    monkeypatch.setenv("PARTNERSHIP_DATA_DIR", str(inside))
    with pytest.raises(DataFolderError, match="inside the project's source folder") as info:
        data_dir()
    assert isinstance(info.value, ValueError)
    assert "PARTNERSHIP_DATA_DIR" in str(info.value)
    assert str(inside) in str(info.value)
    with pytest.raises(DataFolderError):
        AnswerStore()
    with pytest.raises(DataFolderError):
        default_store()
    with pytest.raises(DataFolderError):
        AnswerStore(root / "notebooks" / DB_FILENAME)
    with pytest.raises(DataFolderError):
        AnswerStore.open(root)
    assert not inside.exists()


def test_open_and_default_store(tmp_path):
    with AnswerStore.open(tmp_path / "elsewhere") as answer_store:
        assert answer_store.path == (tmp_path / "elsewhere" / DB_FILENAME).resolve()
    shared = default_store()
    assert shared is default_store()
    assert shared.path == (tmp_path / "default-data" / DB_FILENAME).resolve()
    other = default_store(tmp_path / "other")
    assert other is not shared
    shared.save(KEY, "x")
    shared.close()
    reopened = default_store()
    assert reopened is not shared and reopened.get(KEY) == "x"
    close_default_stores()
    assert reopened.closed and other.closed


def test_saves_within_the_coalescing_window_become_one_revision(tmp_path):
    with AnswerStore(tmp_path / "answers.sqlite3") as store:
        key = "nb/ex/text"
        for text in ("H", "He", "Hel", "Hello"):
            store.save(key, text, coalesce_within=30)
        history = store.history(key)
        assert [r.value for r in history] == ["Hello"]
        store.reset(key)
        store.save(key, "After reset", coalesce_within=30)
        store.save(key, "After reset, more", coalesce_within=30)
        assert [r.action for r in store.history(key)] == ["save", "reset", "save"]
        assert store.history(key)[0].value == "Hello"  # the reset stays undoable
        assert store.get(key) == "After reset, more"


def test_coalescing_stops_when_the_window_has_passed(tmp_path, monkeypatch):
    import datetime

    clock = [store_module._now()]
    monkeypatch.setattr(store_module, "_now", lambda: clock[0])
    with AnswerStore(tmp_path / "answers.sqlite3") as store:
        store.save("nb/ex/text", "first burst", coalesce_within=30)
        clock[0] = clock[0] + datetime.timedelta(seconds=31)
        store.save("nb/ex/text", "second burst", coalesce_within=30)
        assert [r.value for r in store.history("nb/ex/text")] == ["first burst", "second burst"]
