"""Bad content for the learning-cycle, Mobius and purpose models is refused as it loads.

These models' dataclasses used to check their own fields; the checks now live in the
schemas (data/schemas/) and, for what a schema cannot say (duplicates, one
characteristic per quadrant), in the loaders. Each test breaks one value in a copy of
data/ and checks that the error names the file, the entry, the field and the problem.
"""

from __future__ import annotations

import pytest
from _helpers import edit_yaml

from partnership_lib.core.content import ContentError
from partnership_lib.models.learning import learning_cycle, learning_cycles
from partnership_lib.models.mobius import mobius_model
from partnership_lib.models.purpose import purpose_model

SNAKE_CASE = "must be snake_case text (a-z, 0-9 and _, starting with a letter)"


def refused(copy, name, change, load):
    """Apply ``change`` to ``<copy>/<name>.yaml``; return the ContentError ``load`` raises."""
    edit_yaml(copy / f"{name}.yaml", change)
    with pytest.raises(ContentError) as info:
        load()
    assert info.value.file == str(copy / f"{name}.yaml")
    return info.value


def where(err):
    return (err.entry, err.field, err.problem)


# --------------------------------------------------------------------------- learning cycles


def _log_stages(data):
    return next(c for c in data["cycles"] if c["key"] == "learning_log")["stages"]


def test_a_cycle_needs_three_stages(content_copy):
    err = refused(
        content_copy,
        "learning_cycles",
        lambda d: _log_stages(d).__delitem__(slice(2, None)),
        learning_cycles,
    )
    assert where(err) == ("cycles/learning_log", "stages", "must have at least 3 items, got 2")


@pytest.mark.parametrize(
    ("index", "field", "value", "entry", "problem"),
    [
        (3, "prompt", " ", "cycles/learning_log/stages/plan", "must be non-empty text, got ' '"),
        (0, "name", "", "cycles/learning_log/stages/experience", "must be non-empty text, got ''"),
        (
            1,
            "key",
            "Reflect!",
            "cycles/learning_log/stages/Reflect!",
            f"{SNAKE_CASE}, got 'Reflect!'",
        ),
    ],
)
def test_bad_stages_are_named(content_copy, index, field, value, entry, problem):
    err = refused(
        content_copy,
        "learning_cycles",
        lambda d: _log_stages(d)[index].update({field: value}),
        learning_cycles,
    )
    assert where(err) == (entry, field, problem)


@pytest.mark.parametrize(
    ("index", "field", "value", "problem"),
    [
        (3, "key", "experience", "duplicate stage key 'experience'"),
        (2, "name", "REFLECT", "duplicate stage name 'REFLECT'"),
    ],
)
def test_duplicate_stages_are_named(content_copy, index, field, value, problem):
    err = refused(
        content_copy,
        "learning_cycles",
        lambda d: _log_stages(d)[index].update({field: value}),
        learning_cycles,
    )
    assert where(err) == ("cycles/learning_log", "stages", problem)


def test_a_blank_cycle_source_is_refused(content_copy):
    err = refused(
        content_copy,
        "learning_cycles",
        lambda d: d["cycles"][0].update(source="  "),
        learning_cycles,
    )
    assert where(err) == ("cycles/kolb", "source", "must be non-empty text, got '  '")


def test_loaded_cycles_hold_tuples_of_stages():
    assert isinstance(learning_cycle("kolb").stages, tuple)
    assert [s.key for s in learning_cycle("learning_log").stages] == [
        "experience",
        "reflect",
        "conclude",
        "plan",
    ]


# --------------------------------------------------------------------------- Mobius


@pytest.mark.parametrize(
    ("change", "entry", "field", "problem"),
    [
        (
            lambda d: d["monologues"][0].update(direction="sideways"),
            "monologues/blame",
            "direction",
            "must be 'clockwise' or 'anticlockwise', got 'sideways'",
        ),
        (
            lambda d: d["qualities"][1].update(key="Trust!"),
            "qualities/Trust!",
            "key",
            f"{SNAKE_CASE}, got 'Trust!'",
        ),
        (
            lambda d: d["qualities"][2].update(name="possibility"),
            "qualities/commitment",
            "name",
            "duplicate name 'possibility' (names are compared ignoring case)",
        ),
        (
            lambda d: d["monologues"][3].update(name="COMMITMENT"),
            "monologues/claim",
            "name",
            "duplicate name 'COMMITMENT' (names are compared ignoring case)",
        ),
        (lambda d: d.update(source=""), "(top level)", "source", "must be non-empty text, got ''"),
        (
            lambda d: d["qualities"][0].update(meaning="\n"),
            "qualities/mutual_understanding",
            "meaning",
            "must be non-empty text, got '\\n'",
        ),
        (lambda d: d.update(monologues=[]), "(top level)", "monologues", "must not be empty"),
    ],
)
def test_bad_mobius_content_is_named(content_copy, change, entry, field, problem):
    err = refused(content_copy, "mobius", change, mobius_model)
    assert where(err) == (entry, field, problem)


def test_quality_orders_run_from_one_in_file_order():
    # order was a checked field; it is now counted from the file, so it cannot be wrong.
    assert [q.order for q in mobius_model().qualities] == [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- purpose


@pytest.mark.parametrize(
    ("change", "entry", "field", "problem"),
    [
        (
            lambda d: d["characteristics"][1].update(goals="mixed"),
            "characteristics/co_operation",
            "goals",
            "must be 'individual' or 'collective', got 'mixed'",
        ),
        (
            lambda d: d["characteristics"][1].update(predictability="chaotic"),
            "characteristics/co_operation",
            "predictability",
            "must be 'predictable' or 'unpredictable', got 'chaotic'",
        ),
        (
            lambda d: d["conditions"][6].update(meaning=""),
            "conditions/future",
            "meaning",
            "must be non-empty text, got ''",
        ),
        (
            lambda d: d["conditions"][6].update(key="diversity"),
            "conditions/diversity",
            "key",
            "duplicate condition key 'diversity'",
        ),
        (
            lambda d: d["goals_axis"].update(low=" "),
            "goals_axis",
            "low",
            "must be non-empty text, got ' '",
        ),
        (
            lambda d: d["characteristics"].pop(),
            "(top level)",
            "characteristics",
            "must have at least 4 items, got 3",
        ),
    ],
)
def test_bad_purpose_content_is_named(content_copy, change, entry, field, problem):
    err = refused(content_copy, "purpose", change, purpose_model)
    assert where(err) == (entry, field, problem)


def test_two_characteristics_in_one_quadrant_names_them_all(content_copy):
    err = refused(
        content_copy,
        "purpose",
        lambda d: d["characteristics"][1].update(predictability="predictable"),
        purpose_model,
    )
    assert (err.entry, err.field) == ("characteristics", "")
    assert err.problem == (
        "needs exactly one characteristic in each quadrant, got Competition (individual, "
        "predictable), Co-operation (individual, predictable), Co-ordination (collective, "
        "predictable), Co-evolution (collective, unpredictable)"
    )
