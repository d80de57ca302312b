"""The documents a learner or facilitator keeps or sends.

- :mod:`.blocks`: the small document model (paragraphs, fields, lists, tables, figures);
- :mod:`.exercise_blocks`: how each kind of exercise appears in a document;
- :mod:`.portfolio`: the learner's portfolio, as HTML or Markdown;
- :mod:`.share`: the anonymised share file for the facilitator, and reading one back;
- :mod:`.stakeholder_csv`: the stakeholder table as CSV, both ways.

Nothing here imports a widget: exporting needs no notebook.
"""
