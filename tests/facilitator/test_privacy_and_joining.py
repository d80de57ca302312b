"""The anonymity threshold, session codes, the join address and its QR code."""

from __future__ import annotations

import re

import pytest

from partnership_lib.facilitator.joining import (
    CODE_ALPHABET,
    join_address,
    new_session_code,
    normalise_session_code,
    qr_svg,
    spoken_code,
)
from partnership_lib.facilitator.privacy import DEFAULT_K, Threshold


def test_the_default_threshold_is_five_and_counts_down():
    t = Threshold()
    assert t.k == DEFAULT_K == 5
    assert [t.met(n) for n in (0, 4, 5, 9)] == [False, False, True, True]
    assert t.message(2) == "3 more needed before results are shown (at least 5 learners)."
    assert t.message(5) == "" and t.needed(7) == 0


@pytest.mark.parametrize("k", [2, 41, 0, -3, 4.5, True, "5"])
def test_a_threshold_outside_three_to_forty_is_refused(k):
    with pytest.raises(ValueError, match="anonymity threshold"):
        Threshold(k)


def test_session_codes_use_only_unmistakable_characters():
    codes = {new_session_code() for _ in range(200)}
    assert len(codes) > 190  # random, not a counter
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("0O1IL5S2Z8B") & set(CODE_ALPHABET)


def test_a_typed_code_is_normalised_and_a_bad_one_is_refused_clearly():
    assert normalise_session_code(" k7p-q3m ") == "K7PQ3M"
    assert spoken_code("K7PQ3M") == "K7P Q3M"
    for bad in ("", "abc", "K7P Q3M!", "A" * 13):
        with pytest.raises(ValueError, match="4 to 12 letters and digits"):
            normalise_session_code(bad)


def test_the_join_address_sends_each_learner_to_their_own_server(monkeypatch):
    assert join_address(hub_url="https://hub.example.org/") == (
        "https://hub.example.org/hub/user-redirect/lab/tree/04_feedback_and_reflection.ipynb"
    )
    monkeypatch.delenv("PARTNERSHIP_HUB_URL", raising=False)
    assert join_address() == ""
    monkeypatch.setenv("PARTNERSHIP_HUB_URL", "http://10.0.0.5:8000")
    assert join_address().startswith("http://10.0.0.5:8000/hub/user-redirect/")


def test_the_qr_code_is_an_offline_svg_with_a_title_and_changes_with_the_address():
    a = qr_svg("https://hub.example.org/a", title="QR code of the address")
    b = qr_svg("https://hub.example.org/b", title="QR code of the address")
    assert a.startswith("<svg") and "<title>QR code of the address</title>" in a
    assert re.search(r'viewBox="0 0 \d+ \d+"', a)
    assert a != b and a == qr_svg("https://hub.example.org/a", title="QR code of the address")
    assert "<script" not in a and "href" not in a


# --------------------------------------------------------------------------- session codes in files


def _send(store_path, folder, name, code, text="Trust first"):
    from partnership_lib.core.store import AnswerKey, AnswerStore
    from partnership_lib.documents.share import export_share_file

    with AnswerStore(store_path) as store:
        store.save(AnswerKey("01_concepts_and_contexts", "activity2", "opportunities_own"), text)
        return export_share_file(folder / name, store=store, session_code=code)


def test_share_files_carry_the_session_code_and_the_board_takes_only_this_session(
    tmp_path, monkeypatch
):
    from partnership_lib.documents.share import load_share_file
    from partnership_lib.facilitator.room import RoomScanner

    monkeypatch.delenv("PARTNERSHIP_SESSION_CODE", raising=False)
    room = tmp_path / "room"
    room.mkdir()
    _send(tmp_path / "a.sqlite3", room, "a.json", "k7p-q3m")
    _send(tmp_path / "b.sqlite3", room, "b.json", "AAAA44")
    _send(tmp_path / "c.sqlite3", room, "c.json", None)
    assert load_share_file(room / "a.json").session_code == "K7PQ3M"
    assert load_share_file(room / "c.json").session_code is None

    scanner = RoomScanner(room, session_code="K7PQ3M")
    first = scanner.scan()
    assert len(first) == 1
    reasons = {s.name: s.reason for s in first.skipped}
    assert reasons == {
        "b.json": "b.json: from another session (it was sent for session AAAA44; "
        "this session is K7PQ3M)",
        "c.json": "c.json: from another session (it was sent without a session code; "
        "this session is K7PQ3M)",
    }
    scanner.session_code = None  # a new setting applies without reading the files again
    assert len(scanner.scan()) == 3 and scanner.last_reads == 0


def test_a_bad_session_code_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="4 to 12 letters and digits"):
        _send(tmp_path / "a.sqlite3", tmp_path, "a.json", "no!")
    assert not (tmp_path / "a.json").exists()


def test_the_hub_gives_the_code_through_the_environment(tmp_path, monkeypatch):
    from partnership_lib.documents.share import load_share_file

    monkeypatch.setenv("PARTNERSHIP_SESSION_CODE", "hub123")
    path = _send(tmp_path / "a.sqlite3", tmp_path, "a.json", None)
    assert load_share_file(path).session_code == "HUB123"
