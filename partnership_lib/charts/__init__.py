"""How any chart is drawn, measured and shown.

- :mod:`.chart`: :class:`~.chart.Chart` (a PNG with its text alternative and data table),
  :func:`~.chart.render_chart` and the measurement of a picture's smallest text;
- :mod:`.drawing`: small Axes helpers the framework plots share (boxes, arrows, layout);
- :mod:`.labels`: placing point labels so that they do not overlap;
- :mod:`.live`: the live-figure engine behind every chart that follows an answer.

Nothing here knows about a framework or a widget.
"""
