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
"""

from . import frameworks
from .charts import Chart, render_chart
from .content import ContentError
from .gallery import diagram_gallery, gallery_diagrams, render_diagram
from .learning import describe_kolb_cycle, learning_cycle, learning_cycles, plot_kolb_cycle
from .lifecycle import (
    LifecycleModel,
    LifecycleStage,
    describe_collaboration_continuum,
    describe_lifecycle,
    lifecycle_model,
    lifecycle_models,
    plot_collaboration_continuum,
    plot_lifecycle,
)
from .mobius import (
    MobiusModel,
    describe_mobius_map,
    mobius_model,
    next_conversation,
    plot_mobius_map,
    tag_label,
)
from .purpose import (
    characteristic_at,
    describe_purpose_quadrant,
    plot_purpose_quadrant,
    purpose_model,
)
from .stakeholders import (
    ATTITUDES,
    Stakeholder,
    as_frame,
    as_stakeholders,
    describe_power_interest_grid,
    load_worked_example,
    plot_power_interest_grid,
    quadrant_of,
    quadrant_schemes,
    update_power_interest_grid,
    worked_examples,
)
from .style import STYLE_NAMES, current_theme, style_context, use_style

__version__ = "0.1.0"

__all__ = [
    "ATTITUDES",
    "STYLE_NAMES",
    "Chart",
    "ContentError",
    "LifecycleModel",
    "LifecycleStage",
    "MobiusModel",
    "Stakeholder",
    "__version__",
    "as_frame",
    "as_stakeholders",
    "characteristic_at",
    "current_theme",
    "describe_collaboration_continuum",
    "describe_kolb_cycle",
    "describe_lifecycle",
    "describe_mobius_map",
    "describe_power_interest_grid",
    "describe_purpose_quadrant",
    "diagram_gallery",
    "frameworks",
    "gallery_diagrams",
    "learning_cycle",
    "learning_cycles",
    "lifecycle_model",
    "lifecycle_models",
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
    "style_context",
    "tag_label",
    "update_power_interest_grid",
    "use_style",
    "worked_examples",
]
