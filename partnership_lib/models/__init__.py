"""The workbook's frameworks: one module each, with no widgets.

Each module holds a framework's data model (small frozen dataclasses, loaded from
``data/``) and, where it has a diagram, its Axes-first ``plot_*``, an ``update_*`` for
live charts that returns the artists it changed, its ``describe_*`` text twin and its
``table_*`` data twin.
"""
