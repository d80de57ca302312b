"""Exports: the portfolio, the facilitator's share file, its validation and import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from partnership_lib.core.files import safe_output_path
from partnership_lib.core.store import AnswerKey, AnswerStore
from partnership_lib.documents.portfolio import export_portfolio
from partnership_lib.documents.share import (
    ANONYMISE_NAMES_KEY,
    MAX_SHARE_BYTES,
    SHARE_FORMAT,
    ShareFileError,
    anonymisation_preview,
    anonymise,
    export_share_file,
    import_share_file,
    load_share_file,
)

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' \u202eRTL\u202c 😀 nul:\x00 =SUM(A1)"


@pytest.fixture
def store(tmp_path):
    with AnswerStore(tmp_path / "data" / "answers.sqlite3") as s:
        yield s


def _fill(store: AnswerStore) -> None:
    store.save(("00_partnership_scenario", "scenario", "_meta"), {"kind": "scenario", "title": ""})
    store.save(("00_partnership_scenario", "scenario", "naming"), "Healthy Town Alliance")
    store.save(
        ("00_partnership_scenario", "scenario", "background"),
        "Contact Jo Bloggs at jo.bloggs@example.org or 01632 960 123, office at SW1A 1AA.",
    )
    store.save(
        ("01_concepts_and_contexts", "activity1", "_meta"), {"kind": "activity1", "title": ""}
    )
    store.save(("01_concepts_and_contexts", "activity1", "example_personal"), HOSTILE)
    store.save(
        ("01_concepts_and_contexts", "activity1", "skills_personal"), ["listening", "planning"]
    )
    store.save(
        ("02_climate_for_change", "activity3", "_meta"), {"kind": "stakeholders", "title": ""}
    )
    store.save(
        ("02_climate_for_change", "activity3", "stakeholders"),
        [
            {"name": "Police", "power": 8, "interest": 7},
            {"name": "Jo Bloggs", "power": 2, "interest": 9},
        ],
    )


# ---------------------------------------------------------------- file names


@pytest.mark.parametrize(
    "name",
    ["../escape.html", "/etc/passwd", "sub/dir.html", "..", ".hidden", "a\\b.html", "bad\x01"],
)
def test_export_names_cannot_escape_the_chosen_folder(tmp_path, name):
    with pytest.raises(ValueError):
        safe_output_path(tmp_path, name)


def test_a_plain_name_lands_in_the_folder(tmp_path):
    assert (
        safe_output_path(tmp_path, "my portfolio.html") == tmp_path.resolve() / "my portfolio.html"
    )


def test_portfolio_with_folder_refuses_a_path_outside_it(store, tmp_path):
    with pytest.raises(ValueError, match="folders"):
        export_portfolio("../../x.html", store=store, folder=tmp_path / "out")
    assert not (tmp_path / "x.html").exists()


# ---------------------------------------------------------------- share files


def test_share_file_round_trips_every_answer_anonymised(store, tmp_path):
    _fill(store)
    store.save(ANONYMISE_NAMES_KEY, ["Jo Bloggs"])
    path = export_share_file(tmp_path / "share.json", store=store, display_name="Table 3")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == SHARE_FORMAT and data["version"] == 1
    assert data["anonymised"] is True and data["display_name"] == "Table 3"
    text = path.read_text(encoding="utf-8")
    for secret in ("jo.bloggs@example.org", "01632 960 123", "SW1A 1AA", "Jo Bloggs"):
        assert secret not in text, secret
    shared = load_share_file(path)
    background = shared.answers[AnswerKey("00_partnership_scenario", "scenario", "background")]
    assert background == "Contact [name 1] at [e-mail 1] or [phone 1], office at [postcode 1]."
    table = shared.answers[AnswerKey("02_climate_for_change", "activity3", "stakeholders")]
    assert table[1]["name"] == "[name 1]" and table[0]["name"] == "Police"
    # hostile text that is not personal data travels exactly
    personal = AnswerKey("01_concepts_and_contexts", "activity1", "example_personal")
    assert shared.answers[personal] == HOSTILE
    # settings (the learner's id, the names to hide) are never shared
    assert not [k for k in shared.answers if k.notebook == "settings"]


def test_share_file_without_anonymising_keeps_text(store, tmp_path):
    _fill(store)
    path = export_share_file(tmp_path / "s.json", store=store, anonymise=False)
    assert "jo.bloggs@example.org" in path.read_text(encoding="utf-8")


def test_learner_id_is_stable_so_the_newest_file_wins(store, tmp_path):
    a = load_share_file(export_share_file(tmp_path / "a.json", store=store))
    b = load_share_file(export_share_file(tmp_path / "b.json", store=store))
    assert a.learner_id == b.learner_id and re.fullmatch(r"[0-9a-f]{32}", a.learner_id)


def test_preview_lists_what_would_be_replaced_without_writing(store, tmp_path):
    _fill(store)
    found = anonymisation_preview(store, names=["Jo Bloggs"])
    kinds = {(r.kind, r.original) for r in found}
    assert ("e-mail", "jo.bloggs@example.org") in kinds
    assert ("phone", "01632 960 123") in kinds
    assert ("postcode", "SW1A 1AA") in kinds
    assert ("name", "Jo Bloggs") in kinds
    assert all(r.where.count("/") == 2 for r in found)
    assert not list((tmp_path / "data").glob("exports/*"))


@pytest.mark.parametrize(
    "text,kind",
    [
        ("ring +44 20 7946 0000 today", "phone"),
        ("mobile 07700 900123", "phone"),
        ("(01632) 960123", "phone"),
        ("post to m1 1ae please", "postcode"),
        ("first.last+tag@nhs.net", "e-mail"),
    ],
)
def test_anonymise_recognises_uk_formats(text, kind):
    value, found = anonymise(text)
    assert [r.kind for r in found] == [kind]
    assert f"[{kind} 1]" in value


def test_anonymise_leaves_ordinary_numbers_and_words():
    value, found = anonymise("We met 12 times in 2023 with 40 people; score 4.5.")
    assert found == [] and value == "We met 12 times in 2023 with 40 people; score 4.5."


def test_the_same_name_gets_the_same_placeholder():
    value, _ = anonymise(["Ann Lee said", "ann lee agreed", "Bob"], names=["Ann Lee", "Bob"])
    assert value == ["[name 1] said", "[name 1] agreed", "[name 2]"]


def _write(tmp_path: Path, payload) -> Path:
    path = tmp_path / "in.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    return path


def _valid() -> dict:
    return {
        "format": SHARE_FORMAT,
        "version": 1,
        "exported_at": "2026-11-25T10:00:00+00:00",
        "learner_id": "0" * 32,
        "display_name": "A",
        "anonymised": True,
        "answers": [{"notebook": "n", "exercise": "e", "field": "f", "value": "v"}],
    }


@pytest.mark.parametrize(
    "mutate,problem",
    [
        (lambda d: "not json {", "not valid JSON"),
        (lambda d: "[1, 2]", "expected a JSON object"),
        (lambda d: {**d, "format": "other"}, "not a Collaborative Working share file"),
        (lambda d: {**d, "version": 9}, "newer version"),
        (lambda d: {**d, "learner_id": "x"}, "learner_id"),
        (lambda d: {**d, "answers": "all"}, "answers"),
        (lambda d: {**d, "extra": 1}, "Additional properties"),
        (
            lambda d: {
                **d,
                "answers": [{"notebook": "a/b", "exercise": "e", "field": "f", "value": 1}],
            },
            "answers/0/notebook",
        ),
        (lambda d: {**d, "answers": d["answers"] * 2}, "appears twice"),
        (lambda d: {**d, "exported_at": "yesterday"}, "exported_at"),
        (lambda d: '{"format": "collaborative-working-share", "x": NaN}', "NaN is not allowed"),
        (
            lambda d: {
                **d,
                "answers": [
                    {
                        "notebook": "n",
                        "exercise": "e",
                        "field": "f",
                        "value": [[[[[[[[[[[[[[1]]]]]]]]]]]]]],
                    }
                ],
            },
            "nested too deeply",
        ),
    ],
)
def test_bad_share_files_are_rejected_with_the_problem_named(tmp_path, mutate, problem):
    path = _write(tmp_path, mutate(_valid()))
    with pytest.raises(
        ShareFileError, match=re.escape(problem) if "/" in problem else problem
    ) as info:
        load_share_file(path)
    assert str(info.value).startswith("in.json: ")


def test_oversized_and_non_utf8_files_are_rejected_before_parsing(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_SHARE_BYTES + 1))
    with pytest.raises(ShareFileError, match="at most"):
        load_share_file(big)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"display_name": "Zoë"}'.encode("latin-1"))
    with pytest.raises(ShareFileError, match="not UTF-8"):
        load_share_file(latin)
    with pytest.raises(ShareFileError, match="cannot be read"):
        load_share_file(tmp_path / "missing.json")


def test_import_is_all_or_nothing_and_recorded_as_import(store, tmp_path):
    store.save("n/e/f", "mine")
    bad = _write(tmp_path, {**_valid(), "version": "one"})
    with pytest.raises(ShareFileError):
        import_share_file(bad, store=store)
    assert store.get("n/e/f") == "mine" and len(store.history("n/e/f")) == 1
    good = _write(
        tmp_path,
        {
            **_valid(),
            "answers": [{"notebook": "n", "exercise": "e", "field": "f", "value": HOSTILE}],
        },
    )
    assert import_share_file(good, store=store) == 1
    assert store.get("n/e/f") == HOSTILE
    assert store.history("n/e/f")[-1].action == "import"


# ---------------------------------------------------------------- portfolio


def test_portfolio_html_is_self_contained_escaped_and_has_every_session(store, tmp_path):
    _fill(store)
    path = export_portfolio(tmp_path / "p.html", store=store, learner_name="Sam <b>Lee</b>")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "Sam &lt;b&gt;Lee&lt;/b&gt;" in page
    # nothing to fetch: no external URLs in src/href, and a CSP that forbids it anyway
    assert not re.search(r'(src|href)="(?!data:|#)', page)
    assert "default-src 'none'" in page
    for title in (
        "Welcome and your partnership scenario",
        "Concepts and Contexts of Collaboration",
        "Creating a Climate for Change",
        "Influencing and Negotiation",
        "Session Feedback and Reflection",
    ):
        assert title in page
    assert (
        "Healthy Town Alliance" in page and "10 Steps to Building your Partnership Scenario" in page
    )
    assert "Listening, Planning" in page  # the skills by their labels, not their keys
    assert "No answers recorded for this session yet." in page
    assert "break-before: page" in page


def test_portfolio_markdown_escapes_learner_text(store, tmp_path):
    _fill(store)
    path = export_portfolio(tmp_path / "p.md", "md", store=store)
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "## Creating a Climate for Change" in text
    assert "=SUM(A1)" in text  # plain text stays plain


def test_unknown_format_is_refused(store, tmp_path):
    with pytest.raises(ValueError, match="'html' or 'md'"):
        export_portfolio(tmp_path / "p.pdf", "pdf", store=store)


def test_default_export_goes_to_the_data_folder(store):
    path = export_portfolio(store=store)
    assert path.parent == store.path.parent / "exports" and path.suffix == ".html"
