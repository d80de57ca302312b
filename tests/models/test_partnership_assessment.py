"""The partnership self-assessment of Session 3: its statements and the weakest dimension."""

from __future__ import annotations

import pytest

from partnership_lib.core import content
from partnership_lib.models import frameworks, partnership_assessment


def test_assessment_items_four_to_six_per_dimension_in_order():
    items, groups = partnership_assessment.assessment_items()
    dims = frameworks.partnership_dimensions()
    assert [g for g, _ in groups] == [d.label for d in dims]
    assert all(4 <= len(keys) <= 6 for _, keys in groups)
    assert [k for _, keys in groups for k in keys] == [k for k, _ in items]
    assert len({k for k, _ in items}) == len(items)


def test_assessment_items_reject_unknown_dimension(content_copy):
    path = content_copy / "influencing.yaml"
    path.write_text(path.read_text().replace("- dimension: trust", "- dimension: faith"))
    content.clear_cache()
    with pytest.raises(ValueError, match=r"influencing.*faith"):
        partnership_assessment.assessment_items()


def test_weakest_dimension_lowest_mean_and_first_on_tie():
    assert partnership_assessment.weakest_dimension({}) is None
    assert partnership_assessment.weakest_dimension(None) is None
    got = partnership_assessment.weakest_dimension(
        {"shared_vision": 4, "more_together": 2, "mutual_support": 2, "review_regularly": 5}
    )
    assert got.key == "trust"  # leadership 3.0, trust 2.0, learning 5.0
    tie = partnership_assessment.weakest_dimension({"shared_vision": 3, "mutual_support": 3})
    assert tie.key == "leadership"
    only_unknown = partnership_assessment.weakest_dimension({"not_an_item": 1})
    assert only_unknown is None


@pytest.mark.parametrize("bad", [0, 6, "3", True])
def test_weakest_dimension_rejects_bad_rating_naming_item(bad):
    with pytest.raises(ValueError, match="shared_vision"):
        partnership_assessment.weakest_dimension({"shared_vision": bad})
