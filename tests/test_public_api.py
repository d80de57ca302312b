"""The names other code and checks call are importable from the package itself."""

from __future__ import annotations

import subprocess
import sys

import partnership_lib as pl


def test_contract_names_are_exported():
    for name in (
        "Stakeholder",
        "load_worked_example",
        "quadrant_of",
        "lifecycle_models",
        "mobius_model",
        "plot_power_interest_grid",
        "plot_lifecycle",
        "plot_mobius_map",
        "plot_purpose_quadrant",
        "plot_kolb_cycle",
        "plot_collaboration_continuum",
        "use_style",
        "style_context",
    ):
        assert name in pl.__all__ and callable(getattr(pl, name)), name
    for name in pl.__all__:
        assert hasattr(pl, name), name


def test_every_plot_has_a_text_twin():
    plots = [n for n in pl.__all__ if n.startswith("plot_")]
    assert len(plots) == 6
    for name in plots:
        assert "describe_" + name.removeprefix("plot_") in pl.__all__, name


def test_stakeholder_contract_signature():
    s = pl.Stakeholder("Police", 8, 7)
    assert (s.organisation, s.role, s.attitude) == ("", "", None)
    assert pl.quadrant_of(s) == "INVOLVE"
    assert pl.quadrant_of(s, scheme="mendelow") == "Manage closely"
    assert len(pl.load_worked_example("community_safety")) > 0


def test_importing_the_package_draws_nothing_and_changes_no_style():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import matplotlib.pyplot as plt; import partnership_lib; "
        "assert plt.get_fignums() == [], plt.get_fignums(); "
        "changed = [k for k in before if mpl.rcParams[k] != before[k]]; "
        "assert not changed, changed"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
