"""The portfolio reads as a document: every exercise of every notebook, in the notebooks'
order, under its own title, with the questions asked and the labels chosen; no internal
key anywhere a reader sees it; each answer once; Markdown as text with its charts beside it.

The day is filled in by running each notebook's own code cells against a fresh data
folder and answering every exercise they show through its controls, as a learner would.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml
from PIL import Image

from partnership_lib.core import store as store_module
from partnership_lib.core.store import META_FIELD, AnswerStore
from partnership_lib.documents.exercise_blocks import RENDERERS
from partnership_lib.documents.exercise_content import EXERCISE_CONTENT
from partnership_lib.documents.portfolio import export_portfolio, portfolio_document
from partnership_lib.models.programme import session_catalogue
from partnership_lib.models.references import format_reference, references
from partnership_lib.widgets.multichoice import MultiChoice

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
HOSTILE = "<img src=x onerror=alert(1)> $x_1\\ & 😀"
#: Widgets that export or show progress rather than ask a question: not filled in.
NOT_EXERCISES = (
    "pl-export",
    "pl-share",
    "pl-sharing",
    "pl-rating-change",
    "pl-workbook-progress",
    "pl-learning-logs",
)
#: Buttons a learner presses to enter an answer (never reset, load or undo).
ENTER = ("Add", "Add note", "Add stakeholder", "Split into statements")
FINISH = ("Check my answers", "I've finished")


# ============================================================================ filling in


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _run_cells(path: Path) -> list:
    """Run a notebook's code cells as a kernel would; return each cell's shown value."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    shown = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, path.name, "exec"), namespace)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), path.name, "eval"), namespace))
    return shown


@dataclass
class Typed:
    """What the learner typed, by exercise (``notebook/exercise``)."""

    by_exercise: dict[str, list[str]] = field(default_factory=dict)
    counter: int = 0

    def token(self, where: str) -> str:
        self.counter += 1
        text = f"Answer{self.counter:03d} in my words {HOSTILE}"
        return text


def _exercises(roots) -> list[widgets.Widget]:
    """The outermost exercise widgets among the notebook's outputs."""
    found = []
    for root in roots:
        if not isinstance(root, widgets.Widget):
            continue
        for w in _walk(root):
            classes = getattr(w, "_dom_classes", ())
            exercise = "pl-exercise" in classes and not any(c in classes for c in NOT_EXERCISES)
            if exercise and not any(w in list(_walk(f)) for f in found):
                found.append(w)
    return found


def _choose(w: widgets.Widget) -> None:
    """Choose something in every choice control that is still unset."""
    pickers = [c for c in _walk(w) if isinstance(c, MultiChoice)]
    in_picker = {id(box) for p in pickers for box in p.checkboxes.values()}
    for c in _walk(w):
        if getattr(c, "disabled", False) or id(c) in in_picker:
            continue
        if isinstance(c, MultiChoice) and not c.value:
            # a different pair of skills for each context, as a learner's would be
            _choose.picks = getattr(_choose, "picks", 0) + 1
            keys = list(c.checkboxes)
            start = (2 * _choose.picks) % (len(keys) - 1)
            c.value = tuple(keys[start : start + 2])
            continue
        if isinstance(c, widgets.Dropdown) and c.options and c.value in ("", 0, None):
            values = [v for _label, v in c.options if v not in ("", 0, None, -1)]
            if values:
                c.value = values[-1]
        elif isinstance(c, widgets.SelectMultiple) and not c.value:
            # a different pair of skills for each context, as a learner's would be
            _choose.picks = getattr(_choose, "picks", 0) + 1
            start = (2 * _choose.picks) % (len(c.options) - 1)
            c.value = tuple(v for _label, v in c.options[start : start + 2])
        elif isinstance(c, widgets.ToggleButtons) and c.value in (0, None):
            c.value = 3 if 3 in [v for _l, v in c.options] else c.options[-1][1]
        elif isinstance(c, widgets.RadioButtons) and c.value is None:
            c.value = c.options[0][1]
        elif isinstance(c, widgets.Checkbox) and "pl-" not in " ".join(c._dom_classes):
            c.value = True
        elif isinstance(c, widgets.BoundedIntText | widgets.BoundedFloatText):
            c.value = min(c.max, 7)


def _type(w: widgets.Widget, where: str, typed: Typed) -> None:
    """Type an answer into every text box; a conversation gets two speakers' lines."""
    tagger = any(getattr(b, "description", "") == "Split into statements" for b in _walk(w))
    for c in _walk(w):
        if not isinstance(c, widgets.Textarea | widgets.Text) or c.disabled or c.value:
            continue
        if tagger and isinstance(c, widgets.Textarea):
            first, second = typed.token(where), typed.token(where)
            c.value = f"Ann: {first}\nBob: {second}"
            typed.by_exercise.setdefault(where, []).extend([first, second])
        else:
            c.value = typed.token(where)
            typed.by_exercise.setdefault(where, []).append(c.value)


def _press(w: widgets.Widget, names) -> None:
    for b in list(_walk(w)):
        if isinstance(b, widgets.Button) and b.description in names and not b.disabled:
            b.click()


def _fill_the_day(data: Path) -> tuple[AnswerStore, Typed]:
    typed = Typed()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(store_module.DATA_DIR_ENV, str(data))
        for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
            for w in _exercises(_run_cells(path)):
                store = store_module.default_store()
                before = store.answers()
                pending = Typed(counter=typed.counter)
                _choose(w)
                _type(w, "", pending)
                _press(w, ENTER)
                _choose(w)  # what entering made (a tag for each statement)
                _press(w, FINISH)
                typed.counter = pending.counter
                # the exercise is the one whose answers changed (the store says which)
                changed = {
                    f"{k.notebook}/{k.exercise}"
                    for k, v in store.answers().items()
                    if k.notebook != "settings" and before.get(k) != v
                }
                assert len(changed) == 1, (path.name, sorted(changed))
                (where,) = changed
                typed.by_exercise.setdefault(where, []).extend(pending.by_exercise.get("", []))
        store_module.close_default_stores()
    widgets.Widget.close_all()
    return AnswerStore(data / store_module.DB_FILENAME), typed


# ============================================================================ reading it


class _Reader(HTMLParser):
    """The text a reader sees and hears (alt text too), by exercise, figures apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.everything: list[str] = []
        self.outside_figures: list[str] = []
        self.sections: dict[str, list[str]] = {}  # "notebook/exercise heading" -> its text
        self.rows: dict[str, list[str]] = {}
        #: The text of every heading, term, column header, caption and fold summary.
        self.labels: list[str] = []
        self._label: list[str] | None = None
        self._session = ""
        self._article: str | None = None
        self._heading: list[str] | None = None
        self._row: list[str] | None = None
        self._skip = self._figure = 0
        self._head = False
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "figure":
            self._figure += 1
        if tag == "section" and "session" in (attrs.get("class") or ""):
            self._session = attrs["id"]
        if tag == "article":
            self._article = ""
        if tag == "h3" and self._article == "":
            self._heading = []
        if tag in ("tr", "li", "p", "dd"):
            # the notebook's own hints may repeat (two questions share one); answers may not
            quoted = tag == "p" and attrs.get("class") in ("guidance", "status", "lead")
            self._row = None if quoted else []
        if tag in LABELS and not self._figure:
            self._label = []
        if tag == "thead":
            self._head = True
        if attrs.get("alt"):
            self.everything.append(attrs["alt"])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag == "figure":
            self._figure -= 1
        if tag == "h3" and self._heading is not None:
            self._article = f"{self._session}/{''.join(self._heading).strip()}"
            self.sections[self._article] = []
            self.rows[self._article] = []
            self._heading = None
        if tag == "article":
            self._article = None
        if tag in LABELS and self._label is not None:
            self.labels.append(" ".join("".join(self._label).split()))
            self._label = None
        if tag == "thead":
            self._head = False
        if tag in ("tr", "li", "p", "dd") and self._row is not None:
            if self._article and not self._figure and not self._head:
                self.rows[self._article].append(" ".join("".join(self._row).split()))
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        self.everything.append(data)
        if self._label is not None:
            self._label.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._row is not None:
            self._row.append(data)
        if not self._figure:
            self.outside_figures.append(data)
            if self._article:
                self.sections[self._article].append(data)


LABELS = ("h1", "h2", "h3", "h4", "h5", "dt", "th", "caption", "summary", "strong")


def _read(page: str) -> _Reader:
    reader = _Reader()
    reader.feed(page)
    return reader


#: What an internal key, id or code looks like: snake_case, "stage:3", a notebook key,
#: a key with a number glued on ("activity3", "log_01").
CODE = re.compile(
    r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z_]+:\d+\b|\b\d\d_[a-z]+|\b[a-z]+\d+\b|\b[A-Z][a-z]+\d+\b"
)


def _codes(text: str) -> list[str]:
    # What the learner typed is theirs, codes or not (our answers hold "x_1"), and the
    # references give web addresses as they are.
    text = re.sub(r"Answer\d{3} in my words .*?😀|https?://\S+", "", text, flags=re.S)
    return CODE.findall(text)


def _content_words() -> set[str]:
    """Every piece of text in data/ (casefolded): labels a key may share with its item."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            found.add(value.casefold().strip())

    for path in (NOTEBOOKS.parent / "data").glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _stored_keys(store: AnswerStore) -> set[str]:
    """Every key the store holds: notebooks, exercises, fields, and keys inside answers."""
    keys: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                keys.add(str(k))
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_:]*", value):
            keys.add(value)

    for key, value in store.answers().items():
        if key.notebook == "settings":
            continue
        keys.update((key.notebook, key.exercise, key.field))
        if key.field != META_FIELD:
            walk(value)
    return keys


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    data = tmp_path_factory.mktemp("day")
    store, typed = _fill_the_day(data)
    html_path = export_portfolio(data / "portfolio.html", store=store, learner_name="Sam")
    md_path = export_portfolio(data / "portfolio.md", "md", store=store, learner_name="Sam")
    yield store, typed, html_path, md_path
    store.close()


# ============================================================================ the tests


def test_every_exercise_of_every_notebook_was_answered_and_is_shown(day):
    store, _typed, html_path, _md = day
    answered = {(k.notebook, k.exercise) for k in store.answers() if k.notebook != "settings"}
    listed = [(s["key"], e["key"], e["title"]) for s in session_catalogue() for e in s["exercises"]]
    # feedback reveals bind to an exercise but store nothing; everything else was answered
    assert {(nb, ex) for nb, ex, _ in listed} <= answered, {
        (nb, ex) for nb, ex, _ in listed
    } - answered
    reader = _read(html_path.read_text(encoding="utf-8"))
    for nb, ex, title in listed:
        assert f"{nb}/{title}" in reader.sections, (nb, ex, title)
    assert "not shown here" not in "".join(reader.everything)


def test_each_exercise_kind_has_its_renderer_and_every_generic_one_its_content(day):
    store, *_ = day
    kinds = {
        v["kind"]
        for k, v in store.answers().items()
        if k.field == META_FIELD and isinstance(v, dict)
    }
    assert kinds <= set(RENDERERS), kinds - set(RENDERERS)
    keys = [e["key"] for s in session_catalogue() for e in s["exercises"]]
    # content is looked up by exercise key alone, so each key with content is used once
    # (the three session logs share a key in three notebooks; their words come from the
    # learning-log cycle, not from EXERCISE_CONTENT)
    twice = {k for k in keys if keys.count(k) > 1}
    assert not twice & set(EXERCISE_CONTENT), twice & set(EXERCISE_CONTENT)
    assert set(EXERCISE_CONTENT) <= set(keys), set(EXERCISE_CONTENT) - set(keys)


def test_sections_and_exercises_follow_the_notebooks(day):
    _store, _typed, html_path, _md = day
    reader = _read(html_path.read_text(encoding="utf-8"))
    expected = [f"{s['key']}/{e['title']}" for s in session_catalogue() for e in s["exercises"]]
    shown = [name for name in reader.sections if name in expected]
    assert shown == expected
    page = html_path.read_text(encoding="utf-8")
    starts = [page.index(f'<section class="session" id="{s["key"]}"') for s in session_catalogue()]
    assert starts == sorted(starts)
    assert page.index("Personal assessment: start of the day") < page.index(
        "Personal assessment: end of the day"
    )
    assert page.index("Partnership self-assessment") < page.index(
        "Action plan for your weakest dimension"
    )


def test_no_internal_key_id_or_code_is_visible(day):
    store, _typed, html_path, md_path = day
    reader = _read(html_path.read_text(encoding="utf-8"))
    shown = "\n".join(reader.everything)
    assert _codes(shown) == [], sorted(set(_codes(shown)))[:20]
    coded = {k for k in _stored_keys(store) if re.search(r"[_:0-9]", k)}
    assert len(coded) > 50  # the filled-in day really holds many keys
    labels = {label.casefold().rstrip(":") for label in reader.labels}
    for key in coded:
        assert not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", shown), key
    # an exercise's or a field's key dressed up as a label ("Activity3 discussion",
    # "Example personal", "Feel"); items' keys may match their labels ("trust")
    named = {(k.exercise, k.field) for k in store.answers() if k.notebook != "settings"}
    worded = _content_words()
    for key in {part for pair in named for part in pair}:
        human = key.replace("_", " ").casefold()
        assert human in worded or human not in labels, key
    markdown = md_path.read_text(encoding="utf-8")
    prose = re.sub(r"\]\([^)]*\.png\)", "]", markdown)  # the pictures' file names
    assert _codes(prose.replace("\\", "")) == [], sorted(set(_codes(prose.replace("\\", ""))))[:20]


def test_each_answer_appears_once(day):
    _store, typed, html_path, md_path = day
    reader = _read(html_path.read_text(encoding="utf-8"))
    body = "".join(reader.outside_figures)
    assert sum(len(v) for v in typed.by_exercise.values()) > 60
    for where, tokens in typed.by_exercise.items():
        for token in tokens:
            mark = token.split(" ", 1)[0]
            assert body.count(mark + " ") == 1, (where, mark, body.count(mark + " "))
    for section, rows in reader.rows.items():
        repeated = [
            r
            for r, n in Counter(rows).items()
            if n > 1 and r and "not " not in r and not re.fullmatch(r"[\d.]+", r)
        ]
        assert repeated == [], (section, repeated)
    markdown = md_path.read_text(encoding="utf-8")
    for tokens in typed.by_exercise.values():
        for token in tokens:
            assert token.split(" ", 1)[0] in markdown


def test_chosen_items_show_their_labels_and_questions_their_wording(day):
    _store, _typed, html_path, _md = day
    page = html_path.read_text(encoding="utf-8")
    reader = _read(page)
    text = "".join(reader.outside_figures)
    # a ticked benefit, a placed sorter item, a tagged statement, a chosen skill
    assert "increased benefits for people, businesses or communities served" in text
    assert "Collaborative Team" in text or "Hierarchical team" in text
    assert "What strikes you about the skills in your examples?" in text
    assert "How would someone in this role feel?" in text
    assert "Your partnership shows" in text  # the purpose answer names its characteristic
    rating = "".join(
        reader.sections["01_concepts_and_contexts/Your partnership against the success themes"]
    )
    assert re.search(r"\b\d+ of 7 items rated", rating), rating
    # the start-to-end change is drawn, with its text alternative
    assert "How your confidence changed over the day" in text
    alts = re.findall(r'<img [^>]*alt="([^"]+)"', page)
    assert len(alts) >= 12 and all(a.strip() for a in alts)


def test_the_references_close_the_portfolio(day):
    _store, _typed, html_path, md_path = day
    page = html_path.read_text(encoding="utf-8")
    refs = page.index('<section class="references" id="references"')
    assert refs > page.index('id="04_feedback_and_reflection"')
    for entries in references().values():
        first = format_reference(entries[0])
        assert str(_escape(first)) in page[refs:]
    assert "## References" in md_path.read_text(encoding="utf-8")


def _escape(text):
    from markupsafe import escape

    return escape(text)


def test_markdown_is_small_text_with_its_charts_as_files_beside_it(day):
    _store, _typed, html_path, md_path = day
    markdown = md_path.read_text(encoding="utf-8")
    assert "base64" not in markdown and "data:image" not in markdown
    assert len(markdown.encode("utf-8")) < 80_000
    links = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", markdown)
    assert len(links) >= 12
    for alt, target in links:
        assert alt.strip() and target.startswith("portfolio-charts/chart-")
        with Image.open(md_path.parent / target) as picture:
            assert picture.format == "PNG"
    pictures = sorted((md_path.parent / "portfolio-charts").glob("*.png"))
    assert len(pictures) == len(links)
    html_pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', html_path.read_text())
    assert len(html_pictures) == len(links)
    assert base64.b64decode(html_pictures[0]) == (md_path.parent / links[0][1]).read_bytes()


def test_learner_text_is_escaped_everywhere(day):
    _store, _typed, html_path, md_path = day
    page = html_path.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r'(src|href)="(?!data:|#)', page)
    assert "default-src 'none'" in page
    markdown = md_path.read_text(encoding="utf-8")
    assert "<img src=x" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown


# ============================================================================ single cases


def _meta(store, nb, ex, kind, title=""):
    store.save((nb, ex, "_meta"), {"kind": kind, "title": title})


def test_a_damaged_answer_is_shown_as_text_not_lost(store, tmp_path):
    _meta(store, "02_climate_for_change", "activity3", "stakeholders", "Activity 3")
    store.save(("02_climate_for_change", "activity3", "stakeholders"), [{"name": "", "power": 99}])
    page = export_portfolio(tmp_path / "p.html", store=store).read_text(encoding="utf-8")
    assert "could not be drawn on the grid" in page
    assert '<td style="text-align:left;vertical-align:top">99</td>' in page


def test_an_answer_the_workbook_does_not_describe_is_counted_not_printed(store):
    _meta(store, "01_concepts_and_contexts", "mystery", "text_form", "Something")
    store.save(("01_concepts_and_contexts", "mystery", "secret_field"), "kept safe")
    store.save(("99_old_notebook", "old", "text"), "older answer")
    page = portfolio_document(store=store)
    assert "kept safe" not in page and "secret_field" not in page and "older answer" not in page
    assert "2 answers from exercises this version of the workbook does not describe" in page


def test_a_text_prompt_is_shown_under_the_question_it_recorded(store):
    _meta(store, "01_concepts_and_contexts", "why", "text", "Why partner at all?")
    store.save(("01_concepts_and_contexts", "why", "text"), HOSTILE)
    page = portfolio_document(store=store)
    assert '<h4 class="question">Why partner at all?</h4>' in page
    assert "&lt;img src=x onerror=alert(1)&gt; $x_1\\ &amp; 😀" in page


def test_a_later_placement_is_drawn_with_movement_from_the_first(store, tmp_path):
    nb = "02_climate_for_change"
    _meta(store, nb, "activity3", "stakeholders", "Your stakeholder analysis")
    _meta(store, nb, "activity3_later", "stakeholders", "Place your stakeholders again")
    first = [
        {"name": "Police", "power": 8, "interest": 3},
        {"name": "Schools", "power": 2, "interest": 2},
    ]
    later = [
        {"name": "Police", "power": 8, "interest": 8},
        {"name": "Schools", "power": 2, "interest": 2},
    ]
    store.save((nb, "activity3", "stakeholders"), first)
    store.save((nb, "activity3_later", "stakeholders"), first)
    store.save((nb, "activity3_later", "after_six_months"), later)
    store.save((nb, "activity3_later", "_after_six_months_draft"), {"name": "half-typed"})
    page = export_portfolio(tmp_path / "p.html", store=store).read_text(encoding="utf-8")
    descriptions = re.findall(r'<div id="fig-\d+">(.*?)</div>', page, re.S)
    assert len(descriptions) == 2
    assert "moved" not in descriptions[0].lower()
    assert "moved" in descriptions[1].lower() or "movement" in descriptions[1].lower()
    assert "half-typed" not in page
    assert "Six months on" in page


def test_the_portfolio_pictures_are_real_pngs_with_alt_text(store, tmp_path):
    _meta(store, "04_feedback_and_reflection", "evaluation", "postits")
    store.save(
        ("04_feedback_and_reflection", "evaluation", "notes"),
        [
            {"id": 1, "colour": "pink", "text": "The grid"},
            {"id": 2, "colour": "blue", "text": HOSTILE},
        ],
    )
    page = export_portfolio(tmp_path / "p.html", store=store).read_text(encoding="utf-8")
    found = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"', page)
    assert len(found) == 1
    with Image.open(io.BytesIO(base64.b64decode(found[0][0]))) as picture:
        assert picture.format == "PNG"
    assert found[0][1].strip()
    assert "Pink: What went well for you in today&#39;s session?" in page


def test_an_exercise_moved_to_another_notebook_keeps_its_answers_and_its_place(content_copy, store):
    # As when the start-of-day assessment moves from notebook 04 to notebook 00: answers
    # saved before the move are shown where the day now has the exercise.
    sessions = content_copy / "sessions.yaml"
    text = sessions.read_text(encoding="utf-8")
    line = '      - {key: assessment_start, title: "Personal assessment: start of the day"}\n'
    text = text.replace(line, "")
    text = text.replace(
        "        title: 10 Steps to Building your Partnership Scenario\n",
        "        title: 10 Steps to Building your Partnership Scenario\n" + line,
    )
    sessions.write_text(text, encoding="utf-8")
    nb4 = "04_feedback_and_reflection"
    for exercise, rating in (("assessment_start", 2), ("assessment_end", 5)):
        _meta(store, nb4, exercise, "rating", "")
        store.save((nb4, exercise, "ratings"), {"listening": rating})
    page = portfolio_document(store=store)
    reader = _read(page)
    assert "00_partnership_scenario/Personal assessment: start of the day" in reader.sections
    assert f"{nb4}/Personal assessment: start of the day" not in reader.sections
    # the end of the day is still drawn against the start
    end = "".join(reader.sections[f"{nb4}/Personal assessment: end of the day"])
    assert "How your confidence changed over the day" in end
    assert "not shown here" not in page


def test_an_exercise_outside_the_day_is_shown_under_the_title_and_items_it_recorded(store):
    nb = "07_course_extra"
    store.save(
        (nb, "extra", "_meta"),
        {
            "kind": "rating",
            "title": "Our <b>own</b> scale",
            "items": [["a_1", "Trust"], ["b_2", "Pace"]],
        },
    )
    store.save((nb, "extra", "ratings"), {"a_1": 4})
    page = portfolio_document(store=store)
    reader = _read(page)
    assert "other-exercises/Our <b>own</b> scale" in reader.sections  # as text, escaped
    assert "&lt;b&gt;own&lt;/b&gt;" in page
    shown = "\n".join(reader.everything)
    assert "1 of 2 items rated" in shown and "07_course_extra" not in shown
    assert not _codes(shown)
    assert page.index('id="other-exercises"') < page.index('id="references"')
