"""The workbook's reference lists (data/references.yaml) and the citations that use them."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml
from _helpers import DATA, edit_yaml

from partnership_lib.core import content
from partnership_lib.core.content import ContentError
from partnership_lib.models.references import (
    LIST_KEYS,
    Citation,
    Reference,
    all_references,
    format_reference,
    list_titles,
    parse_citation,
    reference,
    references,
    resolve_citation,
)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

#: Works the workbook cites in its text (or this project cites) but leaves out of its lists.
ADDED = {
    "armstrong_2006",
    "beaumont_1993",
    "belasco_1990",
    "coa_1995",
    "dh_1999b",
    "dh_2008",
    "doh_1997b",
    "harris_1995",
    "himmelman_1992",
    "home_office_2008",
    "kanter_1992",
    "kolb_1984",
    "langley_1996",
    "mendelow_1991",
    "nao_2006",
    "tones_2001",
    "weaver_1999",
}


def raw_entry(data, key):
    for lst in data["lists"].values():
        for entry in lst["entries"]:
            if entry["key"] == key:
                return entry
    raise KeyError(key)


def citation_fields(node, where=""):
    """Every string ``citation`` or ``source`` field in a loaded YAML tree, with its path."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name in ("citation", "source") and isinstance(value, str):
                yield f"{where}/{name}", value
            yield from citation_fields(value, f"{where}/{name}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from citation_fields(value, f"{where}/{i}")


def data_citations():
    """(file and field, text) for every content field that names an author and a year."""
    found = []
    for path in sorted(DATA.glob("*.yaml")):
        if path.name == "references.yaml":
            continue
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in citation_fields(tree):
            if parse_citation(text):
                found.append((f"{path.name}:{where}", text))
    with (DATA / "programmes.csv").open(encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if parse_citation(row["source"]):
                found.append((f"programmes.csv:line {line}", row["source"]))
    return found


# --------------------------------------------------------------------------- the lists


def test_the_file_loads_through_the_content_loader():
    data = content.load("references")
    assert list(data["lists"]) == list(LIST_KEYS)
    assert list(references()) == list(LIST_KEYS)
    assert list_titles() == {
        "citations": "Citations",
        "further_reading": "Further reading",
        "guidance": "Guidance and toolkits",
    }


def test_the_lists_hold_the_workbooks_entries_plus_the_added_ones():
    lists = references()
    from_workbook = {k: [r for r in refs if not r.added] for k, refs in lists.items()}
    assert {k: len(v) for k, v in from_workbook.items()} == {
        "citations": 52,
        "further_reading": 5,
        "guidance": 8,
    }
    added = {r.key for refs in lists.values() for r in refs if r.added}
    assert added == ADDED
    assert all(r.added for r in lists["citations"] if r.key in ADDED)  # all among citations


def test_every_key_is_unique_across_the_three_lists():
    data = content.load("references")
    keys = [e["key"] for lst in data["lists"].values() for e in lst["entries"]]
    assert len(keys) == len(set(keys)) == len(all_references())


def test_references_are_frozen_slotted_dataclasses():
    ref = reference("pratt_1998")
    assert isinstance(ref, Reference)
    assert not hasattr(ref, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.year = 1999
    with pytest.raises(KeyError, match="no reference with key 'nope'"):
        reference("nope")


def test_workbook_facts_are_carried_over():
    pratt = reference("pratt_1998")
    assert pratt.authors == ("Pratt, J.", "Plamping, D.", "Gordon, P.")
    assert (pratt.year, pratt.title, pratt.place) == (
        1998,
        "Partnership: fit for purpose?",
        "London",
    )
    ashton = reference("ashton_1998")
    assert (ashton.editors, ashton.pages) == (("Scriven, A.",), "110–9")
    assert ashton.container == "Alliances in Health Promotion: Theory and Practice"
    mohr = reference("mohr_1994")
    assert (mohr.container, mohr.volume, mohr.pages) == (
        "Strategic Management Journal",
        "15",
        "135-152",
    )
    assert reference("huxham_2000").issue == "6"
    assert reference("detr_2000a").year_label == "2000a"


def test_detr_2000b_and_2000c_are_both_kept_as_the_workbook_gives_them():
    b, c = reference("detr_2000b"), reference("detr_2000c")
    assert (b.year_label, c.year_label) == ("2000b", "2000c")
    assert b.title == c.title
    assert "Joining it up Locally" in b.title


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "pratt_1998",
            "Pratt, J., Plamping, D. and Gordon, P. (1998) Partnership: fit for purpose? "
            "London: King's Fund.",
        ),
        (
            "douglas_1998",
            "Douglas, R. (1998) 'A framework for healthy alliances', in Scriven, A. (ed.) "
            "Alliances in Health Promotion: Theory and Practice. Basingstoke: Macmillan, "
            "pp. 3–17.",
        ),
        (
            "brown_1993",
            "Brown, B. (1993) 'Public organisations and policies in conflict: notes on theory "
            "and practice', in Sandole, D.J. and Merwe, H.V. (eds.) Conflict Resolution: "
            "theory and practice. Manchester: Manchester University Press.",
        ),
        (
            "costongs_1997",
            "Costongs, C. and Springett, J. (1997) 'Joint working and the production of a "
            "City health plan: the Liverpool experience', Health Promotion International, "
            "12(1), pp. 9–19.",
        ),
        (
            "mohr_1994",
            "Mohr, J. and Spekman, R. (1994) 'Characteristics of Partnership Success: "
            "Partnership Attributes, Communication Behavior, and Conflict Resolution "
            "techniques', Strategic Management Journal, 15, pp. 135-152.",
        ),
        (
            "huczynski_1991",
            "Huczynski, A. and Buchanan, D. (1991) Organisational Behaviour: an introductory "
            "text. Second edition. London: Prentice Hall.",
        ),
        (
            "cabinet_office_1999",
            "Cabinet Office (1999) Professional Policy Making for the Twenty First Century. "
            "Report: Strategic Policy Making Team.",
        ),
        (
            "audit_commission_1998",
            "Audit Commission (1998) A Fruitful Partnership. London.",
        ),
        (
            "detr_2000b",
            "Department of the Environment, Transport and the Regions (2000b) National "
            "Strategy for Neighbourhood Renewal Report of Policy Action Team 17: Joining it "
            "up Locally. London: Crown.",
        ),
        (
            "markwell_et_al_2003",
            "Markwell, S., Watson, J., Speller, V., Platt, S. and Younger, T. (2003) The "
            "Working Partnership Book 1: Introduction. London: Health Development Agency. "
            "Available at: http://www.nice.org.uk/niceMedia/documents/working_partnership_1.pdf",
        ),
        (
            "mendelow_1991",
            "Mendelow, A. (1991) 'Stakeholder mapping', Proceedings of the 2nd International "
            "Conference on Information Systems. Cambridge, MA.",
        ),
        (
            "home_office_2008",
            "Home Office (2008) [Crime Reduction Partnerships web page]. Available at: "
            "http://www.crimereduction.homeoffice.gov.uk/partnerships50.htm",
        ),
        (
            "armstrong_2006",
            "Armstrong et al. (2006) [Cited in the workbook; it gives no further details].",
        ),
    ],
)
def test_format_reference_writes_harvard_style(key, expected):
    assert format_reference(reference(key)) == expected


def test_every_entry_formats_cleanly():
    for ref in all_references().values():
        text = format_reference(ref)
        assert text.startswith(ref.authors[0].split(",")[0]), ref.key
        assert f"({ref.year_label})" in text, ref.key
        assert not re.search(r"\.\.|\s[.,]|,,|None|\s{2}", text), f"{ref.key}: {text!r}"
        assert text.endswith(".") or (ref.url and text.endswith(ref.url)), ref.key


# --------------------------------------------------------------------------- citations


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Pratt et al 1998", ["pratt_1998"]),
        ("Pratt et al (1998)", ["pratt_1998"]),
        ("French & Bell 1999", ["french_1999"]),
        ("Huxham and Vangen 1996", ["huxham_1996"]),
        ("Huxham and Vangen 2000", ["huxham_2000"]),
        ("Fortin et al's 1994:15", ["fortin_1994"]),
        ("Hudson et al 1999:236", ["hudson_1999"]),
        ("Nocon in Hudson et al 1999", ["hudson_1999"]),
        ("Asvall in Taket 1988:11", ["taket_1988"]),
        ("After Jupp, B 2000:15", ["jupp_2000"]),
        ("Audit Commission 2005", ["audit_commission_2005"]),
        ("DETR2000b/c", ["detr_2000b", "detr_2000c"]),
        ("DoH 1997b; DoH 1998", ["doh_1997b", "doh_1998"]),
        ("DoH 1993", ["doh_1993"]),
        ("CLG 2008b", ["dclg_2008b"]),
        ("IDeA, 2000", ["idea_2000"]),
        ("DH Oct 2008", ["dh_2008"]),
        ("Weeks 1992", ["weeks_1994"]),
        ("Demerest et al 2004", ["demarest_2004"]),
        ("Markwell 2003", ["markwell_2003"]),
        ("Markwell et al 2003", ["markwell_et_al_2003"]),
        ("Powell 1992", ["powell_1992"]),
        ("Himmelman 1992", ["himmelman_1992"]),
        ("Kolb 1984", ["kolb_1984"]),
    ],
)
def test_resolve_citation(text, keys):
    assert [r.key for r in resolve_citation(text)] == keys


def test_parse_citation_reads_names_year_and_suffixes():
    assert parse_citation("DETR2000b/c") == (Citation("DETR", 2000, ("b", "c")),)
    assert parse_citation("Collaborative Working workbook") == ()
    assert parse_citation("Workbook Example (1), after bridge-central.co.uk") == ()


def test_every_content_citation_resolves_to_a_reference():
    found = data_citations()
    assert len(found) > 40  # the walk really reaches the content's citations
    unresolved = []
    for where, text in found:
        try:
            assert resolve_citation(text)
        except ValueError as exc:
            unresolved.append(f"{where}: {exc}")
    assert not unresolved, "\n".join(unresolved)


_YEAR = r"(?:19|20)\d\d"
_PARENS = re.compile(r"\(([^()]*\b" + _YEAR + r"[^()]*)\)")
_BARE_YEAR = re.compile(r"\s*" + _YEAR + r"[a-z]?(?::[\d\s\-–]+)?\s*")


def notebook_citations():
    """(notebook, citation) for the citations in every notebook's Markdown.

    ``(Pratt et al 1998; Powell 1992)`` gives two; ``Himmelman (1992)`` gives the
    words before the year, tried from one word up to six (so "the Audit Commission
    (2005)" finds "Audit Commission 2005").
    """
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"]).replace("*", "").replace("_", " ")
            for m in _PARENS.finditer(text):
                inner = m.group(1)
                if _BARE_YEAR.fullmatch(inner):
                    words = text[: m.start()].split()[-6:]
                    yield (
                        path.name,
                        [f"{' '.join(words[-k:])} {inner.strip()}" for k in range(1, 7)],
                    )
                    continue
                for part in inner.split(";"):
                    if parse_citation(part):
                        yield path.name, [part]


def test_every_notebook_citation_resolves_to_a_reference():
    def resolves(text):
        try:
            return bool(resolve_citation(text))
        except ValueError:
            return False

    found = list(notebook_citations())
    assert len(found) > 40
    unresolved = [f"{nb}: {forms[0]!r}" for nb, forms in found if not any(map(resolves, forms))]
    assert not unresolved, "\n".join(unresolved)


def test_a_citation_without_author_and_year_is_refused():
    with pytest.raises(
        ValueError, match="'Collaborative Working workbook' names no author and year"
    ):
        resolve_citation("Collaborative Working workbook")


def test_an_unknown_citation_names_the_authors_known_entries():
    with pytest.raises(
        ValueError, match=r"no reference for Weeks 1993.*entries by Weeks: Weeks 1994"
    ):
        resolve_citation("Weeks 1993")
    with pytest.raises(ValueError, match=r"no reference for Nobody 2001 \(in 'Nobody 2001'\)$"):
        resolve_citation("Nobody 2001")


def test_an_ambiguous_citation_names_every_candidate():
    # The workbook lists two DCLG 2007 works (and CLG 2007) with no a/b to tell them apart.
    with pytest.raises(
        ValueError, match=r"could be any of clg_2007, dclg_2007_planning, dclg_2007_toolkit"
    ):
        resolve_citation("CLG 2007")


# --------------------------------------------------------------------------- malformed files


def edit(content_copy, key, change):
    edit_yaml(content_copy / "references.yaml", lambda d: change(raw_entry(d, key)))


def test_missing_title_and_description_names_file_entry_and_field(content_copy):
    edit(content_copy, "pratt_1998", lambda e: e.pop("title"))
    with pytest.raises(ContentError) as info:
        references()
    err = info.value
    assert err.file.endswith("references.yaml")
    assert err.entry == "lists/citations/entries/pratt_1998"
    assert err.field == "title"


def test_bad_year_suffix_names_the_field(content_copy):
    edit(content_copy, "detr_2000a", lambda e: e.update(year_suffix="A"))
    with pytest.raises(ContentError, match=r"references\.yaml.*detr_2000a.*field 'year_suffix'"):
        references()


def test_a_chapter_without_editors_names_the_field(content_copy):
    edit(content_copy, "douglas_1998", lambda e: e.pop("editors"))
    with pytest.raises(ContentError, match=r"references\.yaml.*douglas_1998.*field 'editors'"):
        references()


def test_title_and_description_together_are_refused(content_copy):
    edit(content_copy, "pratt_1998", lambda e: e.update(description="A report."))
    with pytest.raises(ContentError) as info:
        references()
    assert (info.value.entry, info.value.field) == ("lists/citations/entries/pratt_1998", "title")
    assert "got both" in str(info.value)


def test_editors_on_a_book_are_refused(content_copy):
    edit(content_copy, "pratt_1998", lambda e: e.update(editors=["Scriven, A."]))
    with pytest.raises(ContentError, match=r"pratt_1998.*field 'editors'.*not a book"):
        references()


def test_an_unreadable_cited_as_is_refused(content_copy):
    edit(content_copy, "weeks_1994", lambda e: e.update(cited_as=["the Weeks book"]))
    with pytest.raises(ContentError, match=r"weeks_1994.*field 'cited_as'.*'the Weeks book'"):
        references()


def test_a_duplicate_key_names_both_lists(content_copy):
    def duplicate(data):
        data["lists"]["guidance"]["entries"][0]["key"] = "pratt_1998"

    edit_yaml(content_copy / "references.yaml", duplicate)
    with pytest.raises(ContentError) as info:
        references()
    err = info.value
    assert err.file.endswith("references.yaml")
    assert (err.entry, err.field) == ("lists/guidance/entries/pratt_1998", "key")
    assert "duplicate reference key 'pratt_1998' (first in lists/citations)" in str(err)
