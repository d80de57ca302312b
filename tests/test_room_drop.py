"""Sending a share file into the room folder, and telling who sent it (no root needed).

The drop box's permissions themselves (learners cannot list, read, replace or delete)
are tried with real Unix accounts in ``tests/hub/test_hub.py``.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from partnership_lib import AnswerKey, AnswerStore
from partnership_lib.documents import room_drop
from partnership_lib.documents.room_drop import (
    FILE_MODE,
    RoomSendError,
    check_user_name,
    drop_file_name,
    identify_owner,
    send_to_room,
    uid_for_name,
    user_from_file_name,
)

NOTES = AnswerKey("04_feedback_and_reflection", "evaluation", "notes")
WHY = AnswerKey("00_partnership_scenario", "scenario", "background")


@pytest.fixture
def store(tmp_path):
    with AnswerStore(tmp_path / "alice-data" / "answers.sqlite3") as s:
        yield s


@pytest.fixture
def room(tmp_path):
    folder = tmp_path / "room"
    folder.mkdir()
    return folder


@pytest.fixture
def no_listing(monkeypatch):
    """Listing the room fails, as it does for a learner in the drop box."""

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied (listing is not allowed in a drop box)")

    monkeypatch.setattr(os, "listdir", refuse)
    monkeypatch.setattr(os, "scandir", refuse)
    monkeypatch.setattr(Path, "iterdir", refuse)
    monkeypatch.setattr(Path, "glob", refuse)


def _stored_answers(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f"{a['notebook']}/{a['exercise']}/{a['field']}": a["value"] for a in data["answers"]}


def test_send_writes_an_anonymised_share_file_named_after_the_user(store, room, no_listing):
    store.save(WHY, "Ring Jo on 01632 960 123 or write to jo@example.org")
    store.save(NOTES, [{"id": 1, "colour": "pink", "text": "Small groups worked"}])
    before = datetime.now(UTC) - timedelta(seconds=2)

    receipt = send_to_room(room, store=store, user="alice", display_name="  Table   3 ")

    assert receipt.path.parent == room.resolve()
    assert user_from_file_name(receipt.path.name) == "alice"
    assert receipt.user == "alice" and receipt.display_name == "Table 3"
    assert receipt.answers == 2 and receipt.anonymised and not receipt.replaced
    assert receipt.notebooks == ("00_partnership_scenario", "04_feedback_and_reflection")
    assert before <= receipt.sent_at <= datetime.now(UTC)
    answers = _stored_answers(receipt.path)
    assert "01632" not in json.dumps(answers) and "jo@example.org" not in json.dumps(answers)
    assert answers[str(NOTES)] == [{"id": 1, "colour": "pink", "text": "Small groups worked"}]
    assert "Sent 2 answers from 2 sessions to the room at" in receipt.describe()


def test_the_file_is_readable_by_owner_and_group_only_whatever_the_umask(store, room):
    store.save(NOTES, [])
    old = os.umask(0o077)  # the hub's servers run with a private umask
    try:
        receipt = send_to_room(room, store=store, user="alice")
        assert os.umask(0o077) == 0o077, "send_to_room must restore the umask"
    finally:
        os.umask(old)
    assert stat.S_IMODE(receipt.path.stat().st_mode) == FILE_MODE == 0o640
    old = os.umask(0o000)  # and a careless one
    try:
        again = send_to_room(room, store=store, user="alice")
    finally:
        os.umask(old)
    assert stat.S_IMODE(again.path.stat().st_mode) == 0o640


def test_sending_again_replaces_only_the_senders_own_file(store, room, tmp_path, no_listing):
    store.save(NOTES, [{"id": 1, "colour": "blue", "text": "first"}])
    first = send_to_room(room, store=store, user="alice")
    store.save(NOTES, [{"id": 1, "colour": "blue", "text": "second"}])
    second = send_to_room(room, store=store, user="alice")
    with AnswerStore(tmp_path / "bob-data" / "answers.sqlite3") as bob_store:
        bob_store.save(NOTES, [{"id": 1, "colour": "green", "text": "bob's"}])
        bob = send_to_room(room, store=bob_store, user="bob")
    assert second.path == first.path and second.replaced and not bob.replaced
    assert bob.path != first.path
    assert _stored_answers(first.path)[str(NOTES)][0]["text"] == "second"
    assert _stored_answers(bob.path)[str(NOTES)][0]["text"] == "bob's"


def test_no_temporary_file_is_left_and_only_json_files_are_visible(store, room):
    store.save(NOTES, [])
    for _ in range(3):
        send_to_room(room, store=store, user="alice")
    names = os.listdir(room)
    assert len(names) == 1 and names[0].endswith(".json") and not names[0].startswith(".")


def test_the_random_part_of_the_name_is_kept_in_the_learners_store(store, room):
    first = send_to_room(room, store=store, user="alice")
    token = store.get(room_drop.TOKEN_KEY)
    assert first.path.name == drop_file_name("alice", token)
    # the token is a setting: it never goes to the facilitator
    assert token not in first.path.read_text(encoding="utf-8")


def test_a_file_under_the_learners_name_that_is_not_theirs_is_left_alone(store, room, monkeypatch):
    mine = send_to_room(room, store=store, user="alice")
    before = mine.path.read_bytes()
    someone_else = os.geteuid() + 1
    monkeypatch.setattr(room_drop.os, "geteuid", lambda: someone_else)
    with pytest.raises(RoomSendError, match="is not your file"):
        send_to_room(room, store=store, user="alice")
    assert mine.path.read_bytes() == before


def test_a_link_where_the_file_would_go_is_refused(store, room, tmp_path):
    send_to_room(room, store=store, user="alice")
    name = drop_file_name("alice", store.get(room_drop.TOKEN_KEY))
    (room / name).unlink()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("keep me", encoding="utf-8")
    (room / name).symlink_to(elsewhere)
    with pytest.raises(RoomSendError, match="is not your file"):
        send_to_room(room, store=store, user="alice")
    assert elsewhere.read_text(encoding="utf-8") == "keep me"


def test_a_missing_room_folder_says_what_to_do(store, tmp_path):
    with pytest.raises(RoomSendError, match=r"does not exist.*send it by hand"):
        send_to_room(tmp_path / "no-room", store=store, user="alice")


def test_a_folder_the_learner_may_not_write_gives_a_clear_message(store, room, monkeypatch):
    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(room_drop, "export_share_file", denied)
    old = os.umask(0o022)
    try:
        with pytest.raises(RoomSendError, match="may not write to the room folder"):
            send_to_room(room, store=store, user="alice")
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    "name", ["", "Alice", "al ice", "../alice", ".alice", "alice/x", "1alice", "a" * 33, "é"]
)
def test_user_names_must_be_plain_safe_names(store, room, name):
    with pytest.raises(ValueError, match="not a usable user name"):
        send_to_room(room, store=store, user=name)
    assert not list(room.iterdir())


def test_the_user_comes_from_the_hub(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "from-jupyterhub")
    monkeypatch.setenv("PARTNERSHIP_HUB_USER", "from-partnership")
    assert room_drop.hub_user() == "from-partnership"
    monkeypatch.delenv("PARTNERSHIP_HUB_USER")
    assert room_drop.hub_user() == "from-jupyterhub"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert room_drop.hub_user()  # the login name


def test_a_room_is_configured_only_when_the_hub_says_so(monkeypatch, tmp_path):
    monkeypatch.delenv("PARTNERSHIP_ROOM_DIR", raising=False)
    assert room_drop.configured_room() is None
    monkeypatch.setenv("PARTNERSHIP_ROOM_DIR", str(tmp_path))
    assert room_drop.configured_room() == tmp_path


def test_file_names_round_trip_and_refuse_anything_else():
    name = drop_file_name("table3-ali", "0123456789abcdef")
    assert name == "table3-ali-0123456789abcdef.json"
    assert user_from_file_name(name) == "table3-ali"
    for other in ("alice.json", "alice-0123.json", "Alice-0123456789abcdef.json", "x"):
        assert user_from_file_name(other) is None
    with pytest.raises(ValueError, match="token"):
        drop_file_name("alice", "../../etc")
    assert check_user_name("a_b-c9") == "a_b-c9"


def test_identify_owner_names_the_files_owner(room):
    import pwd

    path = room / "whoever.json"
    path.write_text("{}", encoding="utf-8")
    assert identify_owner(path) == pwd.getpwuid(os.getuid()).pw_name


def test_identify_owner_refuses_links_and_folders(room, tmp_path):
    target = tmp_path / "target.json"
    target.write_text("{}", encoding="utf-8")
    (room / "link.json").symlink_to(target)
    (room / "folder.json").mkdir()
    with pytest.raises(ValueError, match="symbolic link"):
        identify_owner(room / "link.json")
    with pytest.raises(ValueError, match="not a plain file"):
        identify_owner(room / "folder.json")
    with pytest.raises(FileNotFoundError):
        identify_owner(room / "missing.json")


def test_an_owner_without_a_name_is_checked_against_the_file_name(room, monkeypatch):
    import pwd

    def unknown(uid):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", unknown)
    me = os.getuid()
    claimed = room / "alice-0123456789abcdef.json"
    claimed.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(room_drop, "uid_for_name", lambda n: me if n == "alice" else -1)
    assert identify_owner(claimed) == "alice"
    forged = room / "bob-0123456789abcdef.json"
    forged.write_text("{}", encoding="utf-8")
    assert identify_owner(forged) == f"uid {me}"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another uid needs root")
def test_a_kubernetes_uid_names_its_user(room):
    path = room / "alice-0123456789abcdef.json"
    path.write_text("{}", encoding="utf-8")
    os.chown(path, uid_for_name("alice"), uid_for_name("alice"))
    assert identify_owner(path) == "alice"
    os.chown(path, uid_for_name("bob"), uid_for_name("bob"))
    assert identify_owner(path) == f"uid {uid_for_name('bob')}"


def test_kubernetes_uids_are_stable_distinct_and_clear_of_system_ids():
    names = [f"learner{i:03d}" for i in range(500)]
    uids = [uid_for_name(n) for n in names]
    assert len(set(uids)) == len(uids)
    assert all(1_000_000 <= u < 2**31 - 1 for u in uids)
    assert uid_for_name("alice") == uid_for_name("alice")
    with pytest.raises(ValueError):
        uid_for_name("Not A Name")
