"""The workbook's lists and tables, as validated content.

Each accessor loads one content file through :mod:`partnership_lib.core.content`, builds
small frozen dataclasses and returns them as a tuple in the workbook's order (or, for
the programmes table, a pandas DataFrame). A malformed file raises
:class:`~partnership_lib.core.content.ContentError` naming the file, the entry and the field;
an unknown key or number in a lookup raises ``ValueError`` naming it and the known ones.

Concepts and contexts of collaboration
    :func:`skills` (McNamara 2005, Activity 1), :func:`skill_groups` (our grouping),
    :func:`team_traits` (collaborative versus hierarchical teams),
    :func:`collaboration_reasons` (Huxham and Vangen 1996),
    :func:`partnership_definitions` (the language of partnership),
    :func:`benefit_groups` (benefits of collaboration), :func:`policy_shifts`
    (after Jupp 2000), :func:`growth_facts` (Audit Commission 2005), :func:`typologies`,
    :func:`programmes` (partnership programmes, a DataFrame), :func:`success_sources`
    and :func:`success_themes` (characteristics of successful partnerships; the themes
    are our synthesis).
Creating a climate for change
    :func:`conflict_categories`, :func:`conflict_perspectives`, :func:`change_orders`
    (Langley et al 1996), :func:`change_activities` (French & Bell 1999),
    :func:`change_management_definitions`, :func:`change_obstacles` (Belasco 1990),
    :func:`change_gap` (Brenner 2008), :func:`change_roles`, :func:`change_ingredients`
    (McNamara 2005).
Influencing and negotiation
    :func:`key_skill_areas` (DETR 2000), :func:`representation_principles`
    (CLG 2008b), :func:`partnership_dimensions`, :func:`assessment_benefits`
    (Markwell et al 2003).
Activities
    :func:`scenario_steps` (the 10 steps to building a partnership scenario),
    :func:`activity1_contexts`, :func:`activity1_questions`, :func:`meeting_roles`,
    :func:`reflection_questions` and :func:`group_feedback_questions` (Activity 5),
    :func:`feedback` (what groups reported after Activities 1, 2 and 5),
    :func:`think_about` (the THINK ABOUT prompts).
Notes and lookups
    :func:`note` (short notes such as where a grouping is ours), :func:`skill`,
    :func:`skill_group`, :func:`typology`, :func:`success_source`, :func:`success_theme`,
    :func:`success_theme_items`, :func:`scenario_step`.

The dataclasses hold what the content's schema (``data/schemas/``) has already
checked: non-empty text, snake_case keys, numbers from 1, levers, decades. The
loaders here add what a schema cannot say: keys unique within a list, numbered lists
running 1, 2, 3, ..., skills naming a known group, themes naming known source items,
feedback lists naming a known question or carrying a heading.

Names, labels, list items, figures and citations are carried over from the workbook;
every explanatory sentence is our own wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from partnership_lib.core import content

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PROGRAMME_COLUMNS",
    "Activity1Context",
    "AssessmentBenefit",
    "BenefitGroup",
    "ChangeActivity",
    "ChangeGap",
    "ChangeManagementDefinition",
    "ChangeObstacle",
    "ChangeOrder",
    "ChangeRole",
    "CollaborationReason",
    "ConflictCategory",
    "ConflictPerspective",
    "FeedbackList",
    "GrowthFact",
    "IngredientGroup",
    "KeySkillArea",
    "MeetingRole",
    "PartnershipDefinition",
    "PartnershipDimension",
    "Philosophy",
    "PolicyShift",
    "Question",
    "RepresentationPrinciple",
    "ScenarioStep",
    "Skill",
    "SkillGroup",
    "SuccessItem",
    "SuccessSource",
    "SuccessTheme",
    "TeamTrait",
    "ThinkAbout",
    "Typology",
    "activity1_contexts",
    "activity1_questions",
    "assessment_benefits",
    "benefit_groups",
    "change_activities",
    "change_gap",
    "change_ingredients",
    "change_management_definitions",
    "change_obstacles",
    "change_orders",
    "change_roles",
    "collaboration_reasons",
    "conflict_categories",
    "conflict_perspectives",
    "feedback",
    "group_feedback_questions",
    "growth_facts",
    "key_skill_areas",
    "meeting_roles",
    "note",
    "partnership_definitions",
    "partnership_dimensions",
    "policy_shifts",
    "programmes",
    "reflection_questions",
    "representation_principles",
    "scenario_step",
    "scenario_steps",
    "skill",
    "skill_group",
    "skill_groups",
    "skills",
    "success_source",
    "success_sources",
    "success_theme",
    "success_theme_items",
    "success_themes",
    "team_traits",
    "think_about",
    "typologies",
    "typology",
]

#: Columns of ``data/programmes.csv``, in order. ``start_year`` is our addition for
#: filtering: the earliest year the workbook's row gives for the programme (for The
#: Compact, 1998, ten years before its 10th anniversary in 2008). ``url`` may be empty.
PROGRAMME_COLUMNS = (
    "programme",
    "source",
    "aim",
    "target",
    "participation_funding",
    "timing",
    "start_year",
    "url",
)

_T = TypeVar("_T")


# --- models -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Skill:
    """One of McNamara's skills for collaborative working (McNamara 2005).

    ``position`` is its place (from 1) in the workbook's list; ``group`` is the key of
    the :class:`SkillGroup` we put it in.
    """

    key: str
    label: str
    group: str
    position: int
    citation: str


@dataclass(frozen=True, slots=True)
class SkillGroup:
    """A group of skills. The grouping is ours, not the workbook's: see ``basis``."""

    key: str
    label: str
    description: str
    skills: tuple[str, ...]
    basis: str


@dataclass(frozen=True, slots=True)
class KeySkillArea:
    """An area of development for partnership working (DETR 2000)."""

    key: str
    label: str
    summary: str
    factors: tuple[str, ...]
    citation: str


@dataclass(frozen=True, slots=True)
class TeamTrait:
    """A collaborative team trait beside its hierarchical opposite."""

    key: str
    collaborative: str
    hierarchical: str


@dataclass(frozen=True, slots=True)
class Typology:
    """A form of partnership working: who takes part, its aim and how it works.

    ``who`` and ``abbreviation`` are ``None`` where the workbook gives none.
    """

    key: str
    form: str
    citation: str
    aim: str
    processes: str
    who: str | None = None
    abbreviation: str | None = None


@dataclass(frozen=True, slots=True)
class SuccessItem:
    """One characteristic of successful partnerships named by a source."""

    key: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class SuccessSource:
    """A source's list of characteristics of successful partnerships."""

    key: str
    citation: str
    sector: str
    items: tuple[SuccessItem, ...]
    note: str | None = None
    url: str | None = None

    def item(self, key: str) -> SuccessItem:
        """Return the item with this key, or raise ``ValueError`` naming the known ones."""
        return _lookup(f"item of {self.citation}", key, self.items)


@dataclass(frozen=True, slots=True)
class SuccessTheme:
    """A theme common to the sources, for learners to rate their partnership against.

    The themes are our synthesis (see ``basis``). ``supported_by`` holds
    ``(source_key, item_key)`` pairs naming the source items behind the theme.
    """

    key: str
    label: str
    description: str
    prompt: str
    supported_by: tuple[tuple[str, str], ...]
    basis: str


@dataclass(frozen=True, slots=True)
class ConflictCategory:
    """One of the four broad categories of conflict in partnerships."""

    number: int
    key: str
    label: str
    explanation: str


@dataclass(frozen=True, slots=True)
class ConflictPerspective:
    """A cited view on conflict, summarised in our words."""

    key: str
    citation: str
    summary: str


@dataclass(frozen=True, slots=True)
class ChangeOrder:
    """First- or second-order change and the lever (climate or culture) behind it."""

    key: str
    label: str
    purpose: str
    lever: str
    lever_label: str
    targets: tuple[str, ...]
    citation: str


@dataclass(frozen=True, slots=True)
class ChangeActivity:
    """An activity for managing change, with the elements the workbook lists."""

    key: str
    label: str
    elements: tuple[str, ...]
    explanation: str
    citation: str


@dataclass(frozen=True, slots=True)
class ChangeManagementDefinition:
    """One of the four basic definitions of change management."""

    number: int
    key: str
    label: str
    explanation: str


@dataclass(frozen=True, slots=True)
class ChangeObstacle:
    """An obstacle to be expected in any attempt at change."""

    key: str
    label: str
    explanation: str
    citation: str


@dataclass(frozen=True, slots=True)
class ChangeGap:
    """The gap between where an organisation is and where it needs to be."""

    current: str
    target: str
    explanation: str
    citation: str


@dataclass(frozen=True, slots=True)
class ChangeRole:
    """A role that supports change and capacity building."""

    key: str
    label: str
    meaning: str


@dataclass(frozen=True, slots=True)
class IngredientGroup:
    """A group of critical ingredients for maintaining successful change."""

    key: str
    label: str
    items: tuple[str, ...]
    citation: str


@dataclass(frozen=True, slots=True)
class RepresentationPrinciple:
    """A principle of representation (CLG 2008b)."""

    key: str
    label: str
    meaning: str
    citation: str


@dataclass(frozen=True, slots=True)
class PartnershipDimension:
    """One of the four dimensions of partnerships that work."""

    number: int
    key: str
    label: str
    meaning: str


@dataclass(frozen=True, slots=True)
class AssessmentBenefit:
    """A benefit of assessing partnership performance (Markwell et al 2003)."""

    key: str
    label: str
    meaning: str
    citation: str


@dataclass(frozen=True, slots=True)
class BenefitGroup:
    """A group of benefits of collaboration and its items."""

    key: str
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CollaborationReason:
    """A reason why understanding collaboration matters (Huxham and Vangen 1996)."""

    key: str
    label: str
    explanation: str
    citation: str
    motives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PartnershipDefinition:
    """A term in the language of partnership, with the source that defines it."""

    key: str
    term: str
    meaning: str
    citation: str


@dataclass(frozen=True, slots=True)
class Philosophy:
    """One cell of the changing-philosophy table: a heading and what it meant."""

    heading: str
    description: str


@dataclass(frozen=True, slots=True)
class PolicyShift:
    """One decade of the shift towards collaborative working (after Jupp 2000)."""

    decade: str
    business: Philosophy
    social: Philosophy
    citation: str


@dataclass(frozen=True, slots=True)
class GrowthFact:
    """A fact about the growth of partnership working, with its key figure."""

    key: str
    figure: str
    statement: str
    citation: str


@dataclass(frozen=True, slots=True)
class ScenarioStep:
    """A step in building a partnership scenario."""

    number: int
    key: str
    title: str
    guidance: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Activity1Context:
    """A context of relationships in Activity 1, with the prompt for recalling an example."""

    key: str
    label: str
    prompt: str


@dataclass(frozen=True, slots=True)
class Question:
    """A discussion or reflection question."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class MeetingRole:
    """A role to play in the Activity 5 partnership meeting."""

    key: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class FeedbackList:
    """A list of points that groups reported back after an activity."""

    activity: int
    key: str
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThinkAbout:
    """A THINK ABOUT prompt, with any follow-up questions."""

    key: str
    section: str
    prompt: str
    questions: tuple[str, ...] = ()


# --- loading helpers ----------------------------------------------------------------


def _error(filename: str, problem: str, *, entry: str, field: str = "") -> content.ContentError:
    return content.ContentError(content.data_dir() / filename, problem, entry=entry, field=field)


def _lookup(kind: str, value: Any, items: Sequence[_T], attr: str = "key") -> _T:
    for item in items:
        if getattr(item, attr) == value:
            return item
    known = ", ".join(repr(getattr(item, attr)) for item in items)
    raise ValueError(f"unknown {kind} {value!r}; known: {known}")


def _build_all(
    name: str,
    section: str,
    entries: Sequence[Mapping[str, Any]],
    factory: Callable[..., _T],
    /,
    *,
    numbered: bool = False,
    **extra: Any,
) -> tuple[_T, ...]:
    """Build one model per entry (list fields as tuples), in file order.

    Keys must be unique; with ``numbered`` the numbers must also run 1, 2, 3, ...
    A field the model does not have names ``section/<key>`` in the error.
    """
    built = []
    for index, raw in enumerate(entries):
        label = raw.get("key", raw.get("label", index))
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        built.append(content.build(name, f"{section}/{label}", factory, **fields, **extra))
    _unique(name, section, built)
    if numbered:
        _check_numbering(name, section, built)
    return tuple(built)


def _build_cited(
    name: str,
    section: str,
    factory: Callable[..., _T],
    /,
    *,
    items: str = "items",
    entry: str | None = None,
) -> tuple[_T, ...]:
    """Build a section shaped ``{citation: ..., <items>: [...]}``; each model gets the citation.

    Errors name ``entry`` (default: ``section``) and the item's key.
    """
    data = content.load(name)[section]
    return _build_all(name, entry or section, data[items], factory, citation=data["citation"])


def _unique(name: str, section: str, items: Sequence[Any], attr: str = "key") -> None:
    seen: set[Any] = set()
    for item in items:
        value = getattr(item, attr)
        if value in seen:
            raise _error(
                f"{name}.yaml",
                f"duplicate {attr} {value!r}",
                entry=f"{section}/{value}",
                field=attr,
            )
        seen.add(value)


def _check_numbering(name: str, section: str, items: Sequence[Any]) -> None:
    """Numbered lists must run 1, 2, 3, ... in file order."""
    for expected, item in enumerate(items, start=1):
        if item.number != expected:
            raise _error(
                f"{name}.yaml",
                f"numbers must run 1, 2, 3, ... in order; expected {expected}, got {item.number}",
                entry=f"{section}/{item.key}",
                field="number",
            )


# --- skills and teams ---------------------------------------------------------------


def skills() -> tuple[Skill, ...]:
    """McNamara's skills for collaborative working, in the workbook's order."""
    data = content.load("skills")
    groups = {g["key"] for g in data["groups"]}
    built = []
    for position, raw in enumerate(data["skills"], start=1):
        if raw["group"] not in groups:
            raise _error(
                "skills.yaml",
                f"unknown group {raw['group']!r}; known: {', '.join(sorted(groups))}",
                entry=f"skills/{raw['key']}",
                field="group",
            )
        built.append(
            content.build(
                "skills",
                f"skills/{raw['key']}",
                Skill,
                **raw,
                position=position,
                citation=data["citation"],
            )
        )
    _unique("skills", "skills", built)
    return tuple(built)


def skill(key: str) -> Skill:
    """Return one skill by key (for example ``"listening"``)."""
    return _lookup("skill", key, skills())


def skill_groups() -> tuple[SkillGroup, ...]:
    """Our grouping of McNamara's skills, each with the keys of its skills in list order.

    The grouping is ours, not the workbook's; every group's ``basis`` says so.
    """
    data = content.load("skills")
    all_skills = skills()
    built = []
    for raw in data["groups"]:
        members = tuple(s.key for s in all_skills if s.group == raw["key"])
        if not members:
            raise _error(
                "skills.yaml", "no skill belongs to this group", entry=f"groups/{raw['key']}"
            )
        built.append(
            content.build(
                "skills",
                f"groups/{raw['key']}",
                SkillGroup,
                **raw,
                skills=members,
                basis=data["grouping_note"],
            )
        )
    _unique("skills", "groups", built)
    return tuple(built)


def skill_group(key: str) -> SkillGroup:
    """Return one of our skill groups by key."""
    return _lookup("skill group", key, skill_groups())


def key_skill_areas() -> tuple[KeySkillArea, ...]:
    """The three areas of development for partnership working (DETR 2000)."""
    return _build_cited("skills", "key_skill_areas", KeySkillArea, items="areas")


def team_traits() -> tuple[TeamTrait, ...]:
    """Collaborative team traits beside their hierarchical opposites, in order."""
    return _build_all("teams", "traits", content.load("teams")["traits"], TeamTrait)


# --- understanding collaboration -----------------------------------------------------


def collaboration_reasons() -> tuple[CollaborationReason, ...]:
    """Why understanding collaboration matters: happening, valuable, difficult."""
    return _build_cited("collaboration", "reasons", CollaborationReason)


def partnership_definitions() -> tuple[PartnershipDefinition, ...]:
    """The language of partnership: Partner, Partnership, Multi-sectoral Partnership, Alliance."""
    data = content.load("collaboration")["definitions"]
    return _build_all("collaboration", "definitions", data, PartnershipDefinition)


def benefit_groups() -> tuple[BenefitGroup, ...]:
    """The benefits of collaboration in five groups, each with its items."""
    return _build_all("benefits", "groups", content.load("benefits")["groups"], BenefitGroup)


def policy_shifts() -> tuple[PolicyShift, ...]:
    """The changing philosophy, decade by decade, in business and the social sector."""
    data = content.load("policy")["shifts"]
    built = []
    for raw in data["decades"]:
        entry = f"shifts/decades/{raw['label']}"
        with content.content_entry("policy", entry):
            built.append(
                PolicyShift(
                    decade=raw["label"],
                    business=Philosophy(**raw["business"]),
                    social=Philosophy(**raw["social"]),
                    citation=data["citation"],
                )
            )
    _unique("policy", "shifts/decades", built, attr="decade")
    return tuple(built)


def growth_facts() -> tuple[GrowthFact, ...]:
    """Facts about the growth of partnership working (Audit Commission 2005)."""
    return _build_cited("policy", "growth", GrowthFact, items="facts", entry="growth/facts")


def typologies() -> tuple[Typology, ...]:
    """The seven typologies of partnership working, in the workbook's order."""
    return _build_all(
        "typologies", "typologies", content.load("typologies")["typologies"], Typology
    )


def typology(key: str) -> Typology:
    """Return one typology by key (for example ``"joint_working"``)."""
    return _lookup("typology", key, typologies())


# --- partnership programmes ---------------------------------------------------------


def programmes(*, since: int | None = None) -> pd.DataFrame:
    """The partnership programmes table, one row per programme, in the workbook's order.

    Parameters
    ----------
    since
        Keep only programmes whose ``start_year`` is this year or later.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PROGRAMME_COLUMNS`; ``start_year`` is an integer column and
        ``url`` is ``""`` where the workbook gives no link.
    """
    import pandas as pd  # imported lazily: keeps this module cheap to import

    if since is not None and (isinstance(since, bool) or not isinstance(since, int)):
        raise ValueError(f"since must be a year as a whole number, got {since!r}")
    rows = content.load_csv("programmes", columns=PROGRAMME_COLUMNS)
    seen: set[str] = set()
    records = []
    for line, row in enumerate(rows, start=2):
        name = (row["programme"] or "").strip()
        entry = name or f"line {line}"
        for column in PROGRAMME_COLUMNS:
            if column != "url" and not (row[column] or "").strip():
                raise _error("programmes.csv", "must not be empty", entry=entry, field=column)
        if name in seen:
            raise _error("programmes.csv", "duplicate programme", entry=entry, field="programme")
        seen.add(name)
        year_text = row["start_year"].strip()
        if not re.fullmatch(r"\d{4}", year_text):
            raise _error(
                "programmes.csv",
                f"must be a four-digit year, got {row['start_year']!r}",
                entry=entry,
                field="start_year",
            )
        record = {column: row[column].strip() for column in PROGRAMME_COLUMNS}
        record["start_year"] = int(year_text)
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(PROGRAMME_COLUMNS))
    frame["start_year"] = frame["start_year"].astype("int64")
    if since is not None:
        frame = frame[frame["start_year"] >= since].reset_index(drop=True)
    return frame


# --- successful partnerships --------------------------------------------------------


def success_sources() -> tuple[SuccessSource, ...]:
    """The five sources on characteristics of successful partnerships, in order."""
    built = []
    for raw in content.load("success")["sources"]:
        entry = f"sources/{raw['key']}"
        items = _build_all("success", f"{entry}/items", raw["items"], SuccessItem)
        fields = {k: v for k, v in raw.items() if k != "items"}
        built.append(content.build("success", entry, SuccessSource, **fields, items=items))
    _unique("success", "sources", built)
    return tuple(built)


def success_source(key: str) -> SuccessSource:
    """Return one source by key (for example ``"powell_1992"``)."""
    return _lookup("success source", key, success_sources())


def success_themes() -> tuple[SuccessTheme, ...]:
    """Our themes common to the five sources, each naming the source items behind it.

    The themes are our synthesis, not the workbook's; every theme's ``basis`` says so.
    """
    data = content.load("success")
    sources = {s.key: s for s in success_sources()}
    built = []
    for raw in data["themes"]:
        entry = f"themes/{raw['key']}"
        refs = []
        for ref in raw["supported_by"]:
            source_key, item_key = ref.split("/")
            source = sources.get(source_key)
            if source is None:
                raise _error(
                    "success.yaml",
                    f"unknown source {source_key!r} in {ref!r}; known: {', '.join(sources)}",
                    entry=entry,
                    field="supported_by",
                )
            if item_key not in {item.key for item in source.items}:
                known = ", ".join(item.key for item in source.items)
                raise _error(
                    "success.yaml",
                    f"unknown item {item_key!r} of {source_key!r} in {ref!r}; known: {known}",
                    entry=entry,
                    field="supported_by",
                )
            refs.append((source_key, item_key))
        fields = {k: v for k, v in raw.items() if k != "supported_by"}
        built.append(
            content.build(
                "success",
                entry,
                SuccessTheme,
                **fields,
                supported_by=tuple(refs),
                basis=data["themes_note"],
            )
        )
    _unique("success", "themes", built)
    return tuple(built)


def success_theme(key: str) -> SuccessTheme:
    """Return one of our success themes by key (for example ``"communication"``)."""
    return _lookup("success theme", key, success_themes())


def success_theme_items(key: str) -> tuple[tuple[SuccessSource, SuccessItem], ...]:
    """The ``(source, item)`` pairs behind one success theme, in the theme's order."""
    theme = success_theme(key)
    sources = {s.key: s for s in success_sources()}
    return tuple((sources[s], sources[s].item(i)) for s, i in theme.supported_by)


# --- conflict and change ------------------------------------------------------------


def conflict_categories() -> tuple[ConflictCategory, ...]:
    """The four broad categories of conflict, numbered as in the workbook."""
    data = content.load("conflict")["categories"]
    return _build_all("conflict", "categories", data, ConflictCategory, numbered=True)


def conflict_perspectives() -> tuple[ConflictPerspective, ...]:
    """Cited views on conflict (Weeks 1992, Asvall in Taket 1988, Brown 1993)."""
    data = content.load("conflict")["perspectives"]
    return _build_all("conflict", "perspectives", data, ConflictPerspective)


def change_orders() -> tuple[ChangeOrder, ...]:
    """First-order (climate) and second-order (culture) change (Langley et al 1996)."""
    return _build_cited("change", "orders", ChangeOrder)


def change_activities() -> tuple[ChangeActivity, ...]:
    """The five activities for managing change, each with its elements (French & Bell 1999)."""
    return _build_cited("change", "activities", ChangeActivity)


def change_management_definitions() -> tuple[ChangeManagementDefinition, ...]:
    """The four basic definitions of change management, numbered as in the workbook."""
    data = content.load("change")["management_definitions"]["items"]
    return _build_all(
        "change", "management_definitions", data, ChangeManagementDefinition, numbered=True
    )


def change_obstacles() -> tuple[ChangeObstacle, ...]:
    """Obstacles to expect in any attempt at change (Belasco 1990)."""
    return _build_cited("change", "obstacles", ChangeObstacle)


def change_gap() -> ChangeGap:
    """The gap between "where we are at the moment" and "where we need to be" (Brenner 2008)."""
    return content.build("change", "gap", ChangeGap, **content.load("change")["gap"])


def change_roles() -> tuple[ChangeRole, ...]:
    """Roles that support change: Initiator, Agent, Champion and Sponsor."""
    return _build_all("change", "roles", content.load("change")["roles"], ChangeRole)


def change_ingredients() -> tuple[IngredientGroup, ...]:
    """Critical ingredients for maintaining successful change, in five groups (McNamara 2005)."""
    return _build_cited("change", "ingredients", IngredientGroup, items="groups")


# --- representation and performance -------------------------------------------------


def representation_principles() -> tuple[RepresentationPrinciple, ...]:
    """The seven principles of representation (CLG 2008b), in the workbook's order."""
    data = content.load("representation")
    return _build_all(
        "representation",
        "principles",
        data["principles"],
        RepresentationPrinciple,
        citation=data["citation"],
    )


def partnership_dimensions() -> tuple[PartnershipDimension, ...]:
    """The four dimensions of partnerships that work, numbered as in the workbook."""
    data = content.load("performance")["dimensions"]["items"]
    return _build_all("performance", "dimensions", data, PartnershipDimension, numbered=True)


def assessment_benefits() -> tuple[AssessmentBenefit, ...]:
    """The benefits of assessing partnership performance (Markwell et al 2003)."""
    return _build_cited("performance", "assessment_benefits", AssessmentBenefit)


# --- activities ---------------------------------------------------------------------


def scenario_steps() -> tuple[ScenarioStep, ...]:
    """The 10 steps to building a partnership scenario, in order."""
    data = content.load("scenario_steps")["steps"]
    return _build_all("scenario_steps", "steps", data, ScenarioStep, numbered=True)


def scenario_step(number: int) -> ScenarioStep:
    """Return one scenario step by its number (1 to 10)."""
    return _lookup("scenario step", number, scenario_steps(), attr="number")


def activity1_contexts() -> tuple[Activity1Context, ...]:
    """The five contexts in which Activity 1 asks for a positive collaborative experience."""
    data = content.load("activity_prompts")["activity1"]["contexts"]
    return _build_all("activity_prompts", "activity1/contexts", data, Activity1Context)


def _questions(section: str, entries: Sequence[Mapping[str, Any]]) -> tuple[Question, ...]:
    renamed = [{"key": raw["key"], "text": raw["question"]} for raw in entries]
    return _build_all("activity_prompts", section, renamed, Question)


def activity1_questions() -> tuple[Question, ...]:
    """The four questions for sharing Activity 1 examples with a neighbour."""
    data = content.load("activity_prompts")["activity1"]["neighbour_questions"]
    return _questions("activity1/neighbour_questions", data)


def meeting_roles() -> tuple[MeetingRole, ...]:
    """The five roles for the Activity 5 partnership meeting."""
    data = content.load("activity_prompts")["activity5"]["roles"]
    return _build_all("activity_prompts", "activity5/roles", data, MeetingRole)


def reflection_questions() -> tuple[Question, ...]:
    """The seven questions each participant reflects on after Activity 5."""
    data = content.load("activity_prompts")["activity5"]["reflection_questions"]
    return _questions("activity5/reflection_questions", data)


def group_feedback_questions() -> tuple[Question, ...]:
    """The two questions each group answers when feeding back on Activity 5."""
    data = content.load("activity_prompts")["activity5"]["group_feedback_questions"]
    return _questions("activity5/group_feedback_questions", data)


def think_about() -> tuple[ThinkAbout, ...]:
    """The workbook's THINK ABOUT prompts, in the order they appear."""
    data = content.load("activity_prompts")["think_about"]
    return _build_all("activity_prompts", "think_about", data, ThinkAbout)


def feedback(activity: int) -> tuple[FeedbackList, ...]:
    """What groups reported back after an activity (1, 2 or 5).

    Activity 5's lists are headed by the reflection or group-feedback question they
    answer. Activity 3's feedback is the worked stakeholder examples, kept elsewhere.
    """
    activities = content.load("feedback")["activities"]
    known = [a["activity"] for a in activities]
    if isinstance(activity, bool) or activity not in known:
        raise ValueError(
            f"no group feedback for activity {activity!r}; known: {', '.join(map(str, known))}"
        )
    raw = activities[known.index(activity)]
    questions = {q.key: q.text for q in (*reflection_questions(), *group_feedback_questions())}
    built = []
    for raw_list in raw["lists"]:
        entry = f"activities/{raw['key']}/lists/{raw_list['key']}"
        heading = raw_list.get("heading")
        if (heading is None) == ("question" not in raw_list):
            raise _error(
                "feedback.yaml",
                "give either a heading or a question key, not both or neither",
                entry=entry,
                field="heading",
            )
        if heading is None:
            heading = questions.get(raw_list["question"])
            if heading is None:
                raise _error(
                    "feedback.yaml",
                    f"unknown question {raw_list['question']!r}; known: {', '.join(questions)}",
                    entry=entry,
                    field="question",
                )
        built.append(
            content.build(
                "feedback",
                entry,
                FeedbackList,
                activity=activity,
                key=raw_list["key"],
                heading=heading,
                items=tuple(raw_list["items"]),
            )
        )
    _unique("feedback", f"activities/{raw['key']}/lists", built)
    return tuple(built)


# --- notes --------------------------------------------------------------------------

_NOTES: dict[str, tuple[str, tuple[str, ...]]] = {
    "skill_groups": ("skills", ("grouping_note",)),
    "success_themes": ("success", ("themes_note",)),
    "typologies": ("typologies", ("intro",)),
    "scenario_steps": ("scenario_steps", ("note",)),
    "change_orders": ("change", ("orders", "comparison")),
    "representation_principles": ("representation", ("context",)),
    "benefit_groups": ("benefits", ("heading",)),
}


def note(topic: str) -> str:
    """A short note that goes with a list, such as why a grouping is ours.

    Topics: ``"skill_groups"``, ``"success_themes"``, ``"typologies"``,
    ``"scenario_steps"``, ``"change_orders"`` (climate versus culture),
    ``"representation_principles"`` and ``"benefit_groups"`` (the heading).
    """
    if topic not in _NOTES:
        raise ValueError(f"unknown note topic {topic!r}; known: {', '.join(map(repr, _NOTES))}")
    name, path = _NOTES[topic]
    value: Any = content.load(name)
    for step in path:
        value = value[step]
    return " ".join(value.split())
