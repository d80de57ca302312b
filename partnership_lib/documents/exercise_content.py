"""What each exercise asked: its questions, items, categories and scale, from ``data/``.

The portfolio shows an answer with the words the notebook showed beside it. For the
exercise kinds that are the same engine with different content (a text form, a
checklist, a rating scale, a sorter), this module says which content each exercise of
the day uses: :data:`EXERCISE_CONTENT` maps an exercise's key (``data/sessions.yaml``)
to a function returning a :class:`FormContent`, :class:`ChecklistContent`,
:class:`RatingContent`, :class:`SortContent` or :class:`StakeholderContent`.
Every function reads the same content files the session notebooks read (through the
models layer), and ``data/portfolio.yaml`` for the wording the notebooks state in their
own cells (:func:`wording`).

The session modules build the same exercises from the same content; they may read it
from here, so that the notebook and the portfolio cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from partnership_lib.core import content
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import DEFAULT_TITLE, ScoreBand, grouped_items, load_bands
from partnership_lib.models.partnership_assessment import assessment_items
from partnership_lib.models.personal_assessment import rating_items_and_groups
from partnership_lib.models.purpose import purpose_model

__all__ = [
    "EXERCISE_CONTENT",
    "ChecklistContent",
    "Content",
    "FormContent",
    "Question",
    "RatingContent",
    "SortContent",
    "SortEntry",
    "StakeholderContent",
    "exercise_content",
    "portfolio_text",
    "wording",
]

_CONTENT = "portfolio"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a form, as the notebook asked it; ``key`` is the stored field.

    ``options`` (stored key to label) when the answer is a choice, not text.
    """

    key: str
    text: str
    guidance: str = ""
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FormContent:
    """A form of questions (``lead``: the form's own heading or introduction)."""

    questions: tuple[Question, ...]
    lead: str = ""


@dataclass(frozen=True, slots=True)
class ChecklistContent:
    """A checklist: its statements ``(key, text)``, its groups, what a score means."""

    items: tuple[tuple[str, str], ...]
    bands: tuple[ScoreBand, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    question: str = ""
    chart_title: str = DEFAULT_TITLE


@dataclass(frozen=True, slots=True)
class RatingContent:
    """A 1-to-5 rating scale: its items, groups, scale words and chart.

    ``compare_with`` names an exercise rating the same items earlier (the start of the
    day), whose ratings the portfolio draws beside these.
    """

    items: tuple[tuple[str, str], ...]
    low: str
    high: str
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    chart: Literal["bar", "radar"] = "bar"
    question: str = ""
    chart_title: str = "Your ratings"
    compare_with: str = ""


@dataclass(frozen=True, slots=True)
class SortEntry:
    """One thing to sort: its text, the category it belongs in, and why."""

    key: str
    text: str
    answer: str
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class SortContent:
    """A sorter (or a matching exercise): its items and categories ``(key, label)``."""

    items: tuple[SortEntry, ...]
    categories: tuple[tuple[str, str], ...]
    prompt: str = ""
    item_heading: str = "Item"


@dataclass(frozen=True, slots=True)
class StakeholderContent:
    """A stakeholder placement; ``previous`` is ``(exercise, field)`` of an earlier one."""

    previous: tuple[str, str] | None = None


Content = FormContent | ChecklistContent | RatingContent | SortContent | StakeholderContent


def portfolio_text() -> Mapping[str, Any]:
    """The portfolio's own words (``data/portfolio.yaml``)."""
    return content.load(_CONTENT)


def wording(exercise: str) -> Mapping[str, Any]:
    """The wording ``data/portfolio.yaml`` gives for one exercise (empty if none)."""
    return portfolio_text()["exercises"].get(exercise, {})


def _questions(exercise: str) -> dict[str, Mapping[str, Any]]:
    return {q["key"]: q for q in wording(exercise).get("questions", [])}


def question_text(exercise: str, key: str) -> str:
    """One question's wording from ``data/portfolio.yaml``; the error names what is missing."""
    try:
        return _questions(exercise)[key]["question"]
    except KeyError:
        raise content.ContentError(
            "portfolio.yaml", f"no question {key!r} for exercise {exercise!r}"
        ) from None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- forms


def _form(questions: Sequence[Any], *, lead: str = "") -> FormContent:
    return FormContent(tuple(Question(q.key, q.text) for q in questions), lead)


def _worded_form(exercise: str) -> FormContent:
    """A form whose questions are all in ``data/portfolio.yaml``."""
    questions = tuple(
        Question(q["key"], q["question"], q.get("guidance", ""))
        for q in wording(exercise)["questions"]
    )
    return FormContent(questions, wording(exercise).get("question", ""))


def _activity3_discussion() -> FormContent:
    raw = content.load("climate")["activity3_discussion"]
    return FormContent(tuple(Question(q["key"], q["label"], q.get("guidance", "")) for q in raw))


def _change_gap() -> FormContent:
    gap = frameworks.change_gap()
    guidance = _questions("change_gap")
    return FormContent(
        (
            Question("now", _capital(gap.current), guidance["now"].get("guidance", "")),
            Question("need", _capital(gap.target), guidance["need"].get("guidance", "")),
        )
    )


def _activity4() -> FormContent:
    prompt = {t.key: t for t in frameworks.think_about()}["change_programmes"]
    keys = [q["key"] for q in wording("activity4")["questions"]]
    if len(keys) != len(prompt.questions):
        raise content.ContentError(
            "portfolio.yaml",
            f"activity4 names {len(keys)} questions; the THINK ABOUT prompt "
            f"'change_programmes' has {len(prompt.questions)}",
        )
    return FormContent(
        tuple(Question(k, q) for k, q in zip(keys, prompt.questions, strict=True)),
        prompt.prompt,
    )


def _roles() -> FormContent:
    return FormContent(
        tuple(Question(r.key, r.label, r.description) for r in frameworks.meeting_roles()),
        wording("role_allocation").get("question", ""),
    )


def _change_roles() -> FormContent:
    return FormContent(
        tuple(Question(r.key, r.label, r.meaning) for r in frameworks.change_roles()),
        wording("change_roles").get("question", ""),
    )


def _action_plan() -> FormContent:
    form = _worded_form("action_plan")
    options = tuple((d.key, d.label) for d in frameworks.partnership_dimensions())
    questions = tuple(
        Question(q.key, q.text, q.guidance, options if q.key == "dimension" else ())
        for q in form.questions
    )
    return FormContent(questions, form.lead)


def _development_plan() -> FormContent:
    raw = content.load("reflection")["development_plan"]
    return FormContent(tuple(Question(q["key"], q["label"], q.get("guidance", "")) for q in raw))


# --------------------------------------------------------------------------- checklists


def _checklist(
    exercise: str, items: Sequence[tuple[str, str]], groups: Sequence[Any], bands: Any
) -> ChecklistContent:
    words = wording(exercise)
    return ChecklistContent(
        tuple(items),
        tuple(bands),
        tuple((label, tuple(keys)) for label, keys in groups),
        words.get("question", ""),
        words.get("chart_title", DEFAULT_TITLE),
    )


def _benefits() -> ChecklistContent:
    items, groups = grouped_items(frameworks.benefit_groups())
    return _checklist("benefits", items, groups, load_bands("concepts", "benefit_bands"))


def _conditions() -> ChecklistContent:
    items = [(c.key, f"{c.name}: {c.meaning}") for c in purpose_model().conditions]
    return _checklist("conditions", items, (), load_bands("concepts", "condition_bands"))


def _motivation() -> ChecklistContent:
    items, groups = grouped_items(frameworks.change_ingredients())
    return _checklist("motivation", items, groups, load_bands("climate", "motivation_bands"))


def _representation() -> ChecklistContent:
    items = [(p.key, f"{p.label}: {p.meaning}") for p in frameworks.representation_principles()]
    bands = load_bands("influencing", "representation_bands")
    return _checklist("representation", items, (), bands)


# --------------------------------------------------------------------------- ratings


def _rating(
    exercise: str,
    items: Sequence[tuple[str, str]],
    groups: Sequence[Any] = (),
    *,
    chart: Literal["bar", "radar"] = "bar",
    compare_with: str = "",
) -> RatingContent:
    words = wording(exercise)
    return RatingContent(
        tuple(items),
        words["low"],
        words["high"],
        tuple((label, tuple(keys)) for label, keys in groups),
        chart,
        words.get("question", ""),
        words.get("chart_title", "Your ratings"),
        compare_with,
    )


def _success_rating() -> RatingContent:
    items = [(t.key, t.label) for t in frameworks.success_themes()]
    return _rating("success_rating", items)


def _self_assessment() -> RatingContent:
    items, groups = assessment_items()
    return _rating("self_assessment", items, groups, chart="radar")


def _assessment(exercise: str, compare_with: str = "") -> Callable[[], RatingContent]:
    def build() -> RatingContent:
        items, groups = rating_items_and_groups()
        return _rating(exercise, items, groups, compare_with=compare_with)

    return build


# --------------------------------------------------------------------------- sorters


def _sorted_items(section: str) -> tuple[SortEntry, ...]:
    return tuple(
        SortEntry(raw["key"], raw["text"], raw["answer"], raw.get("explanation", ""))
        for raw in content.load("climate")[section]["items"]
    )


def _douglas() -> SortContent:
    cats = tuple((c["key"], c["label"]) for c in content.load("climate")["douglas"]["categories"])
    return SortContent(_sorted_items("douglas"), cats, wording("douglas")["question"])


def _conflicts() -> SortContent:
    cats = tuple(
        (c.key, f"{c.number}. {_capital(c.label)}") for c in frameworks.conflict_categories()
    )
    return SortContent(
        _sorted_items("conflicts"), cats, content.load("climate")["conflicts"]["prompt"]
    )


def _change_orders() -> SortContent:
    cats = tuple((o.key, f"{_capital(o.label)} ({o.lever})") for o in frameworks.change_orders())
    return SortContent(
        _sorted_items("change_orders"), cats, content.load("climate")["change_orders"]["prompt"]
    )


def _team_traits() -> SortContent:
    headings = content.load("teams")["headings"]
    items = []
    for trait in frameworks.team_traits():
        items.append(SortEntry(f"{trait.key}_collaborative", trait.collaborative, "collaborative"))
        items.append(SortEntry(f"{trait.key}_hierarchical", trait.hierarchical, "hierarchical"))
    cats = (
        ("collaborative", headings["collaborative"]),
        ("hierarchical", headings["hierarchical"]),
    )
    return SortContent(tuple(items), cats, wording("team_traits")["question"])


def term_key(term: str) -> str:
    """The key a matching exercise stores a term under (``"Multi-sectoral Partnership"``
    -> ``"multi_sectoral_partnership"``), as ``widgets.sorter.MatchPair.key`` makes it."""
    return re.sub(r"[^0-9a-z]+", "_", term.casefold()).strip("_") or "term"


def _language() -> SortContent:
    definitions = frameworks.partnership_definitions()
    items = tuple(
        SortEntry(term_key(d.term), d.meaning, term_key(d.term), f"Source: {d.citation}.")
        for d in definitions
    )
    cats = tuple((term_key(d.term), d.term) for d in definitions)
    return SortContent(items, cats, wording("language")["question"], item_heading="Definition")


#: Each exercise of the day whose kind is a general engine, and the content it shows,
#: by its key in data/sessions.yaml.
EXERCISE_CONTENT: dict[str, Callable[[], Content]] = {
    # 01 Concepts and Contexts
    "activity1_discussion": lambda: _form(frameworks.activity1_questions()),
    "team_traits": _team_traits,
    "benefits": _benefits,
    "language": _language,
    "conditions": _conditions,
    "success_rating": _success_rating,
    "activity2": lambda: _worded_form("activity2"),
    # 02 Climate for Change
    "activity3": StakeholderContent,
    "activity3_discussion": _activity3_discussion,
    "activity3_later": lambda: StakeholderContent(previous=("activity3", "stakeholders")),
    "douglas": _douglas,
    "conflicts": _conflicts,
    "change_gap": _change_gap,
    "change_orders": _change_orders,
    "activity4": _activity4,
    "motivation": _motivation,
    # 03 Influencing and Negotiation
    "role_allocation": _roles,
    "meeting_notes": lambda: _worded_form("meeting_notes"),
    "group_feedback": lambda: _form(frameworks.group_feedback_questions()),
    "change_roles": _change_roles,
    "representation": _representation,
    "self_assessment": _self_assessment,
    "action_plan": _action_plan,
    # 04 Feedback and Reflection
    "assessment_start": _assessment("assessment_start"),
    "assessment_end": _assessment("assessment_end", compare_with="assessment_start"),
    "development_plan": _development_plan,
}


def exercise_content(exercise: str) -> Content | None:
    """The content exercise ``exercise`` shows, or ``None`` if it is not a known one."""
    build = EXERCISE_CONTENT.get(exercise)
    return None if build is None else build()
