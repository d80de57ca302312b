"""Collaborative Working: the library behind the interactive workshop workbook.

The public API, re-exported from the modules that own each idea:

- stakeholders: :class:`Stakeholder`, :func:`quadrant_of`, :func:`load_worked_example`,
  :func:`plot_power_interest_grid` and :func:`describe_power_interest_grid`
- lifecycle: :func:`lifecycle_models`, :func:`plot_lifecycle`, :func:`plot_collaboration_continuum`
- mobius: :func:`mobius_model`, :func:`plot_mobius_map`
- purpose: :func:`purpose_model`, :func:`plot_purpose_quadrant`
- learning: :func:`learning_cycles`, :func:`plot_kolb_cycle`
- style: :func:`use_style`, :func:`style_context`
- charts and gallery: :func:`render_chart`, :func:`diagram_gallery`
- frameworks: the workbook's lists and tables (``partnership_lib.frameworks``)
- store and export: :class:`AnswerStore`, :func:`default_store`, :func:`export_portfolio`,
  :func:`export_share_file`, :func:`import_share_file`
"""

import importlib
from typing import Any

# Names are imported on first use (PEP 562), so `partnership where` and other light uses
# don't pay for matplotlib and pandas.
_EXPORTS = {
    "AnswerKey": "store",
    "AnswerStore": "store",
    "default_store": "store",
    "export_portfolio": "export",
    "export_share_file": "export",
    "import_share_file": "export",
    "load_share_file": "export",
    "anonymisation_preview": "export",
    "ATTITUDES": "stakeholders",
    "Chart": "charts",
    "ContentError": "content",
    "LifecycleModel": "lifecycle",
    "LifecycleStage": "lifecycle",
    "MobiusModel": "mobius",
    "STYLE_NAMES": "style",
    "Stakeholder": "stakeholders",
    "as_frame": "stakeholders",
    "as_stakeholders": "stakeholders",
    "characteristic_at": "purpose",
    "current_theme": "style",
    "describe_collaboration_continuum": "lifecycle",
    "describe_kolb_cycle": "learning",
    "describe_lifecycle": "lifecycle",
    "describe_mobius_map": "mobius",
    "describe_power_interest_grid": "stakeholders",
    "describe_purpose_quadrant": "purpose",
    "diagram_gallery": "gallery",
    "frameworks": "frameworks",
    "gallery_diagrams": "gallery",
    "learning_cycle": "learning",
    "learning_cycles": "learning",
    "lifecycle_model": "lifecycle",
    "lifecycle_models": "lifecycle",
    "load_worked_example": "stakeholders",
    "mobius_model": "mobius",
    "next_conversation": "mobius",
    "plot_collaboration_continuum": "lifecycle",
    "plot_kolb_cycle": "learning",
    "plot_lifecycle": "lifecycle",
    "plot_mobius_map": "mobius",
    "plot_power_interest_grid": "stakeholders",
    "plot_purpose_quadrant": "purpose",
    "purpose_model": "purpose",
    "quadrant_of": "stakeholders",
    "quadrant_schemes": "stakeholders",
    "render_chart": "charts",
    "render_diagram": "gallery",
    "room": "room",
    "style_context": "style",
    "tag_label": "mobius",
    "update_power_interest_grid": "stakeholders",
    "use_style": "style",
    "worked_examples": "stakeholders",
}

__version__ = "0.1.0"

__all__ = [
    "ATTITUDES",
    "STYLE_NAMES",
    "AnswerKey",
    "AnswerStore",
    "Chart",
    "ContentError",
    "LifecycleModel",
    "LifecycleStage",
    "MobiusModel",
    "Stakeholder",
    "__version__",
    "anonymisation_preview",
    "as_frame",
    "as_stakeholders",
    "characteristic_at",
    "current_theme",
    "default_store",
    "describe_collaboration_continuum",
    "describe_kolb_cycle",
    "describe_lifecycle",
    "describe_mobius_map",
    "describe_power_interest_grid",
    "describe_purpose_quadrant",
    "diagram_gallery",
    "export_portfolio",
    "export_share_file",
    "frameworks",
    "gallery_diagrams",
    "import_share_file",
    "learning_cycle",
    "learning_cycles",
    "lifecycle_model",
    "lifecycle_models",
    "load_share_file",
    "load_worked_example",
    "mobius_model",
    "next_conversation",
    "plot_collaboration_continuum",
    "plot_kolb_cycle",
    "plot_lifecycle",
    "plot_mobius_map",
    "plot_power_interest_grid",
    "plot_purpose_quadrant",
    "purpose_model",
    "quadrant_of",
    "quadrant_schemes",
    "render_chart",
    "render_diagram",
    "room",
    "style_context",
    "tag_label",
    "update_power_interest_grid",
    "use_style",
    "worked_examples",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'partnership_lib' has no attribute {name!r}")
    value = importlib.import_module(f".{module}", __name__)
    if name != module:
        value = getattr(value, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
