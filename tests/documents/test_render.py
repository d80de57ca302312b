"""The document model and its renderers: every block, every format, escaped by construction."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from partnership_lib.charts.chart import ChartTable, figure_png
from partnership_lib.documents.blocks import (
    Answer,
    Bullets,
    Details,
    Document,
    Fields,
    Figure,
    Heading,
    Para,
    Section,
    Table,
    Term,
)
from partnership_lib.documents.render import (
    FORMATS,
    html_fragment,
    markdown_escape,
    render_document,
    render_html,
    render_markdown,
)

HOSTILE = "<script>alert('x')</script> & *bold* _it_ [link](http://x) `code` # 😀"


def _png() -> bytes:
    fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    ax.plot([0, 1], [0, 1])
    png = figure_png(fig)
    plt.close(fig)
    return png


def _every_block(text: str) -> Document:
    table = ChartTable(text, ("Name", "Score"), ((text, 3), ("Other", None)))
    blocks = (
        Heading(text, 3),
        Para(text, "answer"),
        Para(text, "note"),
        Answer(text, text + "\nsecond line", guidance=text),
        Bullets((text, Term(text, text), Term(text, code=True)), ordered=True),
        Fields(((text, text),)),
        Table((text, "B"), ((text, "x"),), caption=text, row_headers=True),
        Figure(_png(), f"{text}. More about it.", 100, 50, table=table, open=True),
        Details(text, (Para(text),), open=True, css_class="fold"),
    )
    return Document(
        title=text,
        heading=text,
        front=(Para(text, "lead"),),
        sections=(Section(text, (*blocks, Section(text, (Para(text),), level=3)), id="s1"),),
        contents=True,
    )


class _Text(HTMLParser):
    """The text a reader sees (and hears: alt text), and every tag, of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name == "alt" and value:
                self.text.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def test_the_formats_are_registered_in_one_place():
    assert {"html": render_html, "md": render_markdown} == FORMATS
    with pytest.raises(ValueError, match="format must be 'html' or 'md', got 'pdf'"):
        render_document(_every_block("x"), "pdf")


def test_html_escapes_every_piece_of_text_in_every_block():
    page = render_html(_every_block(HOSTILE)).text
    assert "<script>" not in page and "&lt;script&gt;" in page
    parser = _Text()
    parser.feed(page)
    assert "script" not in parser.tags
    shown = "".join(parser.text)
    # every block shows the text exactly as written, never interpreted
    assert shown.count(HOSTILE) >= 15
    assert "second line" in shown


def test_html_page_is_self_contained_and_structured():
    page = render_html(_every_block("Plain")).text
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'; img-src data:; style-src 'unsafe-inline'" in page
    assert not re.search(r'(src|href)="(?!data:|#)', page)
    assert '<section id="s1" aria-labelledby="h-s1"><h2 id="h-s1">Plain</h2>' in page
    assert '<nav aria-label="Contents"><h2>Contents</h2><ol><li><a href="#s1">Plain</a>' in page
    assert "<h1>Plain</h1>" in page and "<h3>Plain</h3>" in page
    assert '<h3 class="question">Plain</h3>' in page  # a question heads its answer
    assert '<details class="fold" open><summary>Plain</summary>' in page
    assert '<details class="pl-chart-description" open>' in page
    assert '<th scope="row" style="text-align:left;vertical-align:top">Plain</th>' in page
    assert "@media print" in page


def test_two_figures_with_the_same_text_get_different_ids():
    png = _png()
    doc = Document("t", (Section("S", (Figure(png, "Same.", 1, 1), Figure(png, "Same.", 1, 1))),))
    page = render_html(doc).text
    ids = re.findall(r'aria-describedby="([^"]+)"', page)
    assert len(ids) == 2 and len(set(ids)) == 2
    for ident in ids:
        assert page.count(f'id="{ident}"') == 1


def test_an_html_fragment_renders_blocks_alone():
    out = html_fragment([Para(HOSTILE, "note"), Bullets((Term("a.json", "bad", code=True),))])
    assert out.startswith('<p class="note">&lt;script&gt;')
    assert "<li><code>a.json</code>: bad</li>" in out
    assert "<html" not in out


def test_markdown_is_plain_text_with_its_pictures_as_files():
    out = render_markdown(_every_block(HOSTILE), folder="my-charts")
    assert out.suffix == ".md"
    assert list(out.files) == ["my-charts/chart-01.png"]
    with Image.open(io.BytesIO(out.files["my-charts/chart-01.png"])) as picture:
        assert picture.format == "PNG"
    assert "base64" not in out.text and "<script>" not in out.text
    assert "](my-charts/chart-01.png)" in out.text
    escaped = markdown_escape(HOSTILE)
    assert out.text.startswith(f"# {escaped}\n")
    assert f"## {escaped}" in out.text and f"### {escaped}" in out.text
    assert "\\*bold\\*" in escaped and "\\[link\\](http://x)" in escaped
    assert "&lt;script&gt;" in escaped
    # the chart's description and data follow its picture, so the text reads without it
    assert f"> {escaped}. More about it." in out.text
    assert "| Name | Score |" in out.text and "| Other |  |" in out.text
    assert f"1. {escaped}" in out.text and f"2. **{escaped}**: {escaped}" in out.text


def test_a_file_name_in_markdown_is_escaped_text():
    out = render_markdown(
        Document("t", (Section("S", (Bullets((Term("<a>`b`.json", "bad", code=True),)),)),))
    ).text
    assert "- &lt;a&gt;\\`b\\`.json: bad" in out


@pytest.mark.parametrize("folder", ["../up", "/abs", "a/b", "", ".hidden"])
def test_markdown_pictures_stay_beside_the_file(folder):
    with pytest.raises(ValueError, match="plain folder name"):
        render_markdown(_every_block("x"), folder=folder)


@pytest.mark.parametrize(
    "text,escaped",
    [
        ("Health & Wellbeing", "Health & Wellbeing"),  # readable as plain text
        ("&amp; &#39;", "&amp;amp; &amp;#39;"),  # never read as an entity
        ("<b>x</b> > y", "&lt;b&gt;x&lt;/b&gt; &gt; y"),
        (
            "# not a heading\n- not a list\n1. nor this\n2) nor this",
            "\\# not a heading  \n\\- not a list  \n1\\. nor this  \n2\\) nor this",
        ),
        ("a - b, 12 apples. Task-centred =SUM(A1)", "a - b, 12 apples. Task-centred =SUM(A1)"),
        ("x_1 *b* `c` a|b ~s~ [l](u)", "x\\_1 \\*b\\* \\`c\\` a\\|b \\~s\\~ \\[l\\](u)"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_markdown_escaping_is_minimal_and_safe(text, escaped):
    assert markdown_escape(text) == escaped


def test_blocks_refuse_what_they_cannot_show():
    with pytest.raises(ValueError, match="row 0 has 1 cells for 2 columns"):
        Table(("a", "b"), (("only",),))
    with pytest.raises(TypeError, match="must be text"):
        Table(("a",), ((3,),))
    with pytest.raises(ValueError, match="text alternative"):
        Figure(b"png", "  ", 1, 1)
    with pytest.raises(TypeError, match="a list item must be text or a Term"):
        Bullets((1,))
    with pytest.raises(ValueError, match="level must be 2 to 5"):
        Heading("x", 1)
    with pytest.raises(TypeError, match="an answer must be text"):
        Answer("Q?", None)
