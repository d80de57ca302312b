"""The ground floor: what every other layer stands on.

- :mod:`.content`: the only code that knows the ``data/`` paths (YAML, CSV, schemas);
- :mod:`.store`: the learner's answer store (SQLite, full history);
- :mod:`.style` and ``styles/``: the chart styles, and who is told when they change;
- :mod:`.projector`: whether projector mode is on;
- :mod:`.files`: safe output paths and atomic writes;
- :mod:`.html`: escaping and static HTML blocks.
"""
