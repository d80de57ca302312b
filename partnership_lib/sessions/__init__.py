"""One module per notebook, named after it, plus what every session shares.

- :mod:`.session`: :class:`~.session.Session`, a notebook's header, how-to, progress;
- :mod:`.s00_scenario` <-> ``00_partnership_scenario.ipynb``;
- :mod:`.s01_concepts` <-> ``01_concepts_and_contexts.ipynb``;
- :mod:`.s02_climate` <-> ``02_climate_for_change.ipynb``;
- :mod:`.s03_influencing` <-> ``03_influencing_and_negotiation.ipynb``;
- :mod:`.s04_reflection` <-> ``04_feedback_and_reflection.ipynb``;
- :mod:`.gallery` <-> ``diagram_gallery.ipynb``.

A session module builds that notebook's exercises from the widgets and the models; a
notebook cell is one call into it.
"""
