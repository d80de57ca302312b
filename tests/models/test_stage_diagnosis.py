"""Where a partnership is in its lifecycle: the diagnosis from ticked characteristics."""

from __future__ import annotations

import pytest

from partnership_lib.core import content
from partnership_lib.models import stage_diagnosis


def test_diagnose_stage_picks_most_ticks_and_earlier_on_tie():
    assert stage_diagnosis.diagnose_stage([]).stage is None
    d = stage_diagnosis.diagnose_stage(["frustration:0", "frustration:1", "flying:0"])
    assert d.stage.key == "frustration"
    assert dict(d.counts)["flying"] == 1
    assert stage_diagnosis.diagnose_stage(["forming:0", "failing:0"]).stage.key == "forming"
    assert stage_diagnosis.diagnose_stage(["flying:1", "failing:0"]).stage.key == "flying"
    assert stage_diagnosis.diagnose_stage(["failing:0", "failing:1"]).stage.key == "failing"


@pytest.mark.parametrize("bad", ["nowhere:0", "forming:99", "forming", "forming:x"])
def test_diagnose_stage_rejects_unknown_characteristic(bad):
    with pytest.raises(ValueError, match="unknown characteristic"):
        stage_diagnosis.diagnose_stage([bad])


def test_stage_tactics_cover_every_five_fs_stage():
    tactics = stage_diagnosis.stage_tactics()
    assert set(tactics) == {"forming", "frustration", "functioning", "flying", "failing"}
    assert all(len(t) >= 3 for t in tactics.values())


def test_stage_tactics_for_unknown_stage_name_file_and_stage(content_copy):
    path = content_copy / "concepts.yaml"
    path.write_text(path.read_text().replace("- stage: flying", "- stage: soaring"))
    content.clear_cache()
    with pytest.raises(ValueError, match=r"concepts.*soaring"):
        stage_diagnosis.stage_tactics()
