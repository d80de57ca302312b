"""The personal assessment of the day: its statements, tied to the skills they come from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from partnership_lib.core import content
from partnership_lib.core.content import ContentError
from partnership_lib.models.personal_assessment import assessment_groups, assessment_items

REPO = Path(__file__).resolve().parents[2]


def test_assessment_items_are_grouped_and_tied_to_skills():
    items = assessment_items()
    assert 12 <= len(items) <= 15
    groups = [g[0] for g in assessment_groups()]
    assert groups == ["communication", "process", "qualities", "key_areas"]
    assert {i.group for i in items} == set(groups)
    by_key = {i.key: i for i in items}
    assert by_key["listening"].source == "listening"
    assert by_key["consensus_building"].source == "new_skills_and_competencies"


def _copy_data(tmp_path, monkeypatch, mutate):
    folder = tmp_path / "data"
    (folder / "schemas").mkdir(parents=True)
    for path in (REPO / "data").glob("*.*"):
        (folder / path.name).write_bytes(path.read_bytes())
    for path in (REPO / "data" / "schemas").glob("*.yaml"):
        (folder / "schemas" / path.name).write_bytes(path.read_bytes())
    raw = yaml.safe_load((folder / "reflection.yaml").read_text())
    mutate(raw)
    (folder / "reflection.yaml").write_text(yaml.safe_dump(raw))
    monkeypatch.setenv("PARTNERSHIP_CONTENT_DIR", str(folder))
    content.clear_cache()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["assessment_items"][0].update(group="nowhere"), "unknown group 'nowhere'"),
        (
            lambda r: r["assessment_items"][0].update(source="planning"),
            "source 'planning' is not a skill in group 'communication'",
        ),
        (
            lambda r: r["assessment_items"][-1].update(source="listening"),
            "source 'listening' is not a key skill area",
        ),
        (
            lambda r: r["assessment_items"][1].update(key="listening"),
            "item key 'listening' is used twice",
        ),
    ],
)
def test_bad_assessment_content_is_named(tmp_path, monkeypatch, mutate, message):
    _copy_data(tmp_path, monkeypatch, mutate)
    with pytest.raises(ContentError, match=re.escape(message)) as err:
        assessment_items()
    assert "reflection" in str(err.value)
