"""Conversations for the Mobius map: splitting typed lines, and the worked examples."""

from __future__ import annotations

import shutil

import pytest
from _helpers import DATA

from partnership_lib.core import content
from partnership_lib.core.content import ContentError
from partnership_lib.models.conversations import (
    split_conversation,
    worked_conversation,
    worked_conversations,
)
from partnership_lib.models.mobius import MONOLOGUE_KEYS, QUALITY_KEYS

# --------------------------------------------------------------------------- splitting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GP lead: We waited.", [("GP lead", "We waited.")]),
        ("  Just a line  \n\n", [("", "Just a line")]),
        ("At 10:30 we met", [("", "At 10:30 we met")]),
        ("See https://example.org", [("", "See https://example.org")]),
        ("https://example.org", [("", "https://example.org")]),
        ("Name:", [("", "Name:")]),
        ("Voluntary-sector manager : Yes, and", [("Voluntary-sector manager", "Yes, and")]),
        ("1: numbered", [("", "1: numbered")]),
        ("A: one\nB: two\nthree", [("A", "one"), ("B", "two"), ("", "three")]),
        ("x" * 50 + ": too long a name", [("", "x" * 50 + ": too long a name")]),
    ],
)
def test_split_conversation(text, expected):
    assert [(s["speaker"], s["text"]) for s in split_conversation(text)] == expected


def test_split_refuses_non_text():
    with pytest.raises(ValueError, match="must be text, got list"):
        split_conversation(["a"])


# --------------------------------------------------------------------------- worked example


def test_worked_conversation_moves_from_monologue_to_dialogue():
    example = worked_conversation()
    assert example.key == "healthy_weight"
    assert len(example) == 10
    assert {s.speaker for s in example} == {
        "Council commissioner",
        "GP lead",
        "Voluntary-sector manager",
    }
    tags = [s.tag for s in example]
    assert set(tags[:4]) == set(MONOLOGUE_KEYS)
    assert tags[4:] == list(QUALITY_KEYS)
    assert len(example.reasons) == 10 and all(r.strip() for r in example.reasons)
    speaker, text, tag_key = example.steps[0]  # unpacks as (speaker, statement, tag)
    assert (speaker, tag_key) == ("GP lead", "blame") and text
    assert worked_conversations()[0] == example
    with pytest.raises(
        ValueError, match=r"unknown worked conversation 'nope'; choose one of: healthy_weight"
    ):
        worked_conversation("nope")


def test_malformed_conversation_content_names_file_and_entry(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "conversations.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("tag: worry", "tag: grumble"), encoding="utf-8"
    )
    monkeypatch.setenv(content.CONTENT_DIR_ENV, str(folder))
    content.clear_cache()
    with pytest.raises(ContentError, match=r"conversations\.yaml.*healthy_weight.*tag"):
        worked_conversation()
