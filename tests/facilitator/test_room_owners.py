"""On JupyterHub the room knows each learner by the account that owns their file."""

from __future__ import annotations

import getpass
import os

from partnership_lib.core.store import AnswerKey, AnswerStore
from partnership_lib.documents.share import export_share_file
from partnership_lib.facilitator.room import RoomScanner

KEY = AnswerKey("01_concepts_and_contexts", "activity2", "opportunities_own")
ME = getpass.getuser()


def _send(tmp_path, room, name, text, display="", store_name="a"):
    with AnswerStore(tmp_path / f"{store_name}.sqlite3") as store:
        store.save(KEY, text)
        return export_share_file(room / name, store=store, display_name=display)


def test_files_are_known_by_their_owner_not_by_the_id_or_name_inside(tmp_path):
    room = tmp_path / "room"
    room.mkdir()
    # Two different stores (two learner ids), both written by this account: one learner.
    _send(tmp_path, room, f"{ME}-0000000000000001.json", "first", "Table 3", "a")
    _send(tmp_path, room, f"{ME}-0000000000000002.json", "second", "Someone else", "b")
    r = RoomScanner(room, by_owner=True).scan()
    assert len(r) == 1 and r.learners[0].owner == ME
    assert r.learners[0].answers[KEY] == "second"
    assert r.learners[0].label == f"{ME} (Someone else)"
    assert len(r.superseded) == 1
    # Without owners (files carried by hand) the ids inside still tell learners apart.
    assert len(RoomScanner(room, by_owner=False).scan()) == 2


def test_a_file_named_for_another_account_is_left_out(tmp_path):
    room = tmp_path / "room"
    room.mkdir()
    other = "zz" + ME[:6] if ME != "zzbob" else "bob"
    _send(tmp_path, room, f"{other}-00000000000000aa.json", "pretending")
    r = RoomScanner(room, by_owner=True).scan()
    assert len(r) == 0
    (skipped,) = r.skipped
    assert f"written by {ME} but named for {other}" in skipped.reason


def test_a_link_in_the_room_is_never_followed(tmp_path):
    room = tmp_path / "room"
    room.mkdir()
    elsewhere = _send(tmp_path, tmp_path, "private.json", "my own notes")
    os.symlink(elsewhere, room / "looks-innocent.json")
    for by_owner in (True, False):
        r = RoomScanner(room, by_owner=by_owner).scan()
        assert len(r) == 0
        assert [s.reason for s in r.skipped] == ["looks-innocent.json: is a link, not a file"]


def test_on_a_hub_owners_are_used_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "facilitator")
    assert RoomScanner(tmp_path).by_owner is True
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert RoomScanner(tmp_path).by_owner is False
