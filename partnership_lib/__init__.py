"""Collaborative Working: the library behind the interactive workshop workbook.

The package is built in layers, each a folder, and imports point down the list only
(``make lint`` checks it; see ARCHITECTURE.md):

- ``sessions`` (one module per notebook) and ``facilitator`` (the room and its board);
- ``widgets``: the exercise kinds and the one live-chart view;
- ``documents``: the portfolio, share files and CSV, from one document model;
- ``models``: each framework's data and its ``plot_*``, ``describe_*`` and ``table_*``;
- ``charts``: drawing, measuring and showing any chart, and the live-figure engine;
- ``core``: content from ``data/``, the answer store, styles, files and HTML.

The public API below is declared once, in :data:`API`, and each name is imported on
first use (PEP 562), so ``partnership where`` and other light uses don't pay for
matplotlib, pandas or ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Every public name, and where it lives: ``"module"`` (the name is a module) or
#: ``"module:attribute"``, relative to this package.
API: dict[str, str] = {
    # the answer store and the learner's documents
    "AnswerKey": "core.store:AnswerKey",
    "AnswerStore": "core.store:AnswerStore",
    "default_store": "core.store:default_store",
    "ContentError": "core.content:ContentError",
    "export_portfolio": "documents.portfolio:export_portfolio",
    "export_share_file": "documents.share:export_share_file",
    "import_share_file": "documents.share:import_share_file",
    "load_share_file": "documents.share:load_share_file",
    "anonymisation_preview": "documents.share:anonymisation_preview",
    # styles and charts
    "STYLE_NAMES": "core.style:STYLE_NAMES",
    "current_theme": "core.style:current_theme",
    "style_context": "core.style:style_context",
    "use_style": "core.style:use_style",
    "Chart": "charts.chart:Chart",
    "render_chart": "charts.chart:render_chart",
    # the frameworks
    "frameworks": "models.frameworks",
    "ATTITUDES": "models.stakeholders:ATTITUDES",
    "Stakeholder": "models.stakeholders:Stakeholder",
    "as_frame": "models.stakeholders:as_frame",
    "as_stakeholders": "models.stakeholders:as_stakeholders",
    "describe_power_interest_grid": "models.stakeholders:describe_power_interest_grid",
    "load_worked_example": "models.stakeholders:load_worked_example",
    "plot_power_interest_grid": "models.stakeholders:plot_power_interest_grid",
    "quadrant_of": "models.stakeholders:quadrant_of",
    "quadrant_schemes": "models.stakeholders:quadrant_schemes",
    "update_power_interest_grid": "models.stakeholders:update_power_interest_grid",
    "worked_examples": "models.stakeholders:worked_examples",
    "LifecycleModel": "models.lifecycle:LifecycleModel",
    "LifecycleStage": "models.lifecycle:LifecycleStage",
    "describe_collaboration_continuum": "models.lifecycle:describe_collaboration_continuum",
    "describe_lifecycle": "models.lifecycle:describe_lifecycle",
    "lifecycle_model": "models.lifecycle:lifecycle_model",
    "lifecycle_models": "models.lifecycle:lifecycle_models",
    "plot_collaboration_continuum": "models.lifecycle:plot_collaboration_continuum",
    "plot_lifecycle": "models.lifecycle:plot_lifecycle",
    "MobiusModel": "models.mobius:MobiusModel",
    "describe_mobius_map": "models.mobius:describe_mobius_map",
    "mobius_model": "models.mobius:mobius_model",
    "next_conversation": "models.mobius:next_conversation",
    "plot_mobius_map": "models.mobius:plot_mobius_map",
    "tag_label": "models.mobius:tag_label",
    "characteristic_at": "models.purpose:characteristic_at",
    "describe_purpose_quadrant": "models.purpose:describe_purpose_quadrant",
    "plot_purpose_quadrant": "models.purpose:plot_purpose_quadrant",
    "purpose_model": "models.purpose:purpose_model",
    "describe_kolb_cycle": "models.learning:describe_kolb_cycle",
    "learning_cycle": "models.learning:learning_cycle",
    "learning_cycles": "models.learning:learning_cycles",
    "plot_kolb_cycle": "models.learning:plot_kolb_cycle",
    # what the notebooks build with
    "Session": "sessions.session:Session",
    "widgets": "widgets",
    "exercises": "widgets",
    "projector_toggle": "widgets.projector:projector_toggle",
    "scenarios": "sessions.s00_scenario",
    "concepts": "sessions.s01_concepts",
    "climate": "sessions.s02_climate",
    "influencing": "sessions.s03_influencing",
    "reflection": "sessions.s04_reflection",
    "diagram_gallery": "sessions.gallery:diagram_gallery",
    "gallery_diagrams": "sessions.gallery:gallery_diagrams",
    "render_diagram": "sessions.gallery:render_diagram",
    "facilitator_board": "facilitator.board:facilitator_board",
    "moderation_panel": "facilitator.board:moderation_panel",
    "room": "facilitator.room",
}

__all__ = sorted([*API, "__version__"])


def __getattr__(name: str) -> Any:
    target = API.get(name)
    if target is None:
        raise AttributeError(f"module 'partnership_lib' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = importlib.import_module(f".{module}", __name__)
    if attribute:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
