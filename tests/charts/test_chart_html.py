"""Charts as outputs: PNG plus text alternative, escaped, deterministic, no figure left open."""

from __future__ import annotations

import io
import re

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from partnership_lib.charts import chart as charts


def plot_demo(values, *, ax=None, colour="#0072B2"):
    if ax is None:
        _, ax = plt.subplots()
    ax.bar(range(len(values)), values, color=colour)
    return ax


def describe_demo(values):
    return f"Bar chart of {len(values)} values. The largest is {max(values)}."


def test_render_chart_pairs_png_with_describe_text_and_closes_the_figure():
    before = plt.get_fignums()
    chart = charts.render_chart(plot_demo, [1, 3, 2], describe=describe_demo, colour="#D55E00")
    assert plt.get_fignums() == before
    assert chart.alt == "Bar chart of 3 values. The largest is 3."
    img = Image.open(io.BytesIO(chart.png))
    assert (
        img.size == (chart.width, chart.height) == (1000, 700)
    )  # workbook style: 10x7 in at 100 dpi


def test_projector_style_renders_at_1920_by_1080():
    chart = charts.render_chart(plot_demo, [1], describe=describe_demo, style_name="projector")
    assert (chart.width, chart.height) == (1920, 1080)
    assert Image.open(io.BytesIO(chart.png)).size == (1920, 1080)


def test_describe_function_is_found_beside_the_plot_function():
    from partnership_lib.models import stakeholders

    chart = charts.render_chart(
        stakeholders.plot_power_interest_grid, [stakeholders.Stakeholder("Police", 8, 8)]
    )
    assert chart.alt == stakeholders.describe_power_interest_grid(
        [stakeholders.Stakeholder("Police", 8, 8)]
    )


def test_a_function_that_is_not_a_plot_needs_an_explicit_describe():
    with pytest.raises(ValueError, match="has no declared text twin"):
        charts.render_chart(lambda ax=None: ax, [])


def test_html_escapes_hostile_text_and_points_to_the_full_description():
    alt = 'Grid with <script>alert("x")</script> & "quotes". Second sentence.'
    html = charts.chart_html(b"\x89PNG", alt, width=10, height=5)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    img_alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert (
        img_alt
        == "Grid with &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;."
    )
    ident = re.search(r'aria-describedby="([^"]+)"', html).group(1)
    assert f'id="{ident}"' in html
    assert "Second sentence." in html


def test_html_is_deterministic_for_the_same_chart():
    a = charts.chart_html(b"png", "Same text.", width=1, height=1)
    b = charts.chart_html(b"png", "Same text.", width=1, height=1)
    c = charts.chart_html(b"png", "Other text.", width=1, height=1)
    assert a == b
    assert re.search(r'id="([^"]+)"', a).group(1) != re.search(r'id="([^"]+)"', c).group(1)


def test_chart_shows_as_html_with_plain_text_fallback():
    chart = charts.Chart(png=b"png", alt="A chart.", width=2, height=1)
    bundle = chart._repr_mimebundle_()
    assert bundle["text/plain"] == "A chart."
    assert bundle["text/html"].startswith('<figure class="pl-chart"')


def test_chart_without_a_text_alternative_is_refused():
    with pytest.raises(ValueError, match="text alternative"):
        charts.Chart(png=b"png", alt="  ", width=1, height=1)


def test_png_has_no_volatile_software_metadata():
    fig, _ = plt.subplots()
    png = charts.figure_png(fig)
    assert b"Software" not in png
    assert png == charts.figure_png(fig)


def test_characters_missing_from_the_font_do_not_break_a_chart():
    from partnership_lib.models import stakeholders

    people = [stakeholders.Stakeholder("保健 委员会 🧑‍⚕️", 7, 7)]
    chart = charts.render_chart(stakeholders.plot_power_interest_grid, people)
    assert "保健 委员会 🧑‍⚕️" in chart.alt


def test_the_open_flag_unfolds_description_and_table_for_printing():
    table = charts.ChartTable("Data", ("Item", "Value"), (("a", 1),))
    folded = charts.chart_html(b"png", "A chart.", width=1, height=1, table=table)
    assert '<details class="pl-chart-description"><summary>' in folded
    assert '<details class="pl-chart-table"><summary>' in folded
    both = charts.chart_html(b"png", "A chart.", width=1, height=1, table=table, open=True)
    assert '<details class="pl-chart-description" open>' in both
    assert '<details class="pl-chart-table" open>' in both
    one = charts.chart_html(
        b"png", "A chart.", width=1, height=1, table=table, open=True, open_table=False
    )
    assert '<details class="pl-chart-description" open>' in one
    assert '<details class="pl-chart-table"><summary>' in one


def test_a_given_id_replaces_the_one_derived_from_the_text():
    html = charts.chart_html(b"png", "A chart.", width=1, height=1, ident="fig-7")
    assert 'aria-describedby="fig-7"' in html and '<div id="fig-7">' in html


def test_chart_html_is_plain_text_so_joining_it_escapes_nothing_twice():
    html = charts.chart_html(b"png", "A <b> chart.", width=1, height=1)
    assert type(html) is str
    assert (html + "<p>after</p>").endswith("<p>after</p>")
    assert type(charts.ChartTable("Data", ("A",), ()).html) is str


def test_an_empty_chart_table_says_so_in_one_cell():
    html = charts.ChartTable("Data", ("Item", "Value"), ()).html
    assert '<td colspan="2">No data yet.</td>' in html
    assert re.search(r"<caption[^>]*>Data</caption>", html)
