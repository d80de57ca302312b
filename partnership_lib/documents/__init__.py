"""The documents a learner or facilitator keeps or sends.

- :mod:`.blocks`: the small document model (sections, headings, paragraphs, questions and
  answers, lists, tables, figures with their text alternative and data);
- :mod:`.render`: one renderer per output format (:data:`~.render.FORMATS`: HTML from a
  Jinja2 template, Markdown with its charts as files beside it);
- :mod:`.exercise_content`: what each exercise of the day asked, read from ``data/``;
- :mod:`.exercise_blocks`: how each kind of exercise appears in a document;
- :mod:`.portfolio`: the learner's portfolio, as HTML or Markdown;
- :mod:`.share`: the anonymised share file for the facilitator, and reading one back;
- :mod:`.stakeholder_csv`: the stakeholder table as CSV, both ways.

Nothing here imports a widget: exporting needs no notebook.
"""
