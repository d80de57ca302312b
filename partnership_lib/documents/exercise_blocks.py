"""How each kind of exercise appears in the learner's portfolio: one renderer per kind.

A renderer turns one exercise's saved answers (an :class:`ExerciseAnswers`) into blocks
of the document model (:mod:`partnership_lib.documents.blocks`), with the words the
notebook showed: each question's wording, each chosen item's label (never its stored
key), the learner's answer exactly as typed, and a chart drawn from the answer with its
text alternative. The wording comes from ``data/`` (see
:mod:`partnership_lib.documents.exercise_content`). Renderers are listed by the exercise
``kind`` each exercise records with its first answer, in :data:`RENDERERS`; there is no
fallback that would print keys. Each answer appears once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from partnership_lib.charts.chart import render_chart
from partnership_lib.core import content
from partnership_lib.documents.blocks import (
    Answer,
    Block,
    Bullets,
    Fields,
    Figure,
    Heading,
    Para,
    Table,
    figure_of,
)
from partnership_lib.documents.exercise_content import (
    ChecklistContent,
    FormContent,
    Question,
    RatingContent,
    SortContent,
    StakeholderContent,
    exercise_content,
    portfolio_text,
    question_text,
    wording,
)
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import GroupScore, band_for, plot_checklist_scores
from partnership_lib.models.learning import learning_cycle
from partnership_lib.models.lifecycle import lifecycle_model, plot_lifecycle
from partnership_lib.models.mobius import (
    mobius_model,
    next_conversation,
    plot_mobius_map,
    tag_label,
)
from partnership_lib.models.postits import as_notes, evaluation_wall, plot_postit_wall
from partnership_lib.models.purpose import characteristic_at, plot_purpose_quadrant
from partnership_lib.models.ratings import compare_ratings, plot_ratings
from partnership_lib.models.skills import plot_skill_recurrence
from partnership_lib.models.stage_diagnosis import diagnose_stage, stage_tactics
from partnership_lib.models.stakeholders import as_frame, as_stakeholders, plot_power_interest_grid

__all__ = [
    "RENDERERS",
    "ExerciseAnswers",
    "ExerciseRenderer",
    "UnknownExercise",
]

#: The lifecycle model whose characteristics notebook 01's stage diagnosis ticks.
STAGE_MODEL = "five_fs"
#: The learning cycle every learning log page follows.
LOG_CYCLE = "learning_log"
#: Each chart is drawn in the printable style, whatever the notebook showed.
STYLE = "workbook"


class UnknownExercise(LookupError):
    """The workbook does not describe this exercise, so it cannot be shown with its words."""


@dataclass(frozen=True, slots=True)
class ExerciseAnswers:
    """One exercise's saved answers, as the portfolio reads them from the store.

    ``fields`` holds the answers (bookkeeping and drafts left out); ``title`` is the
    exercise's title in ``data/sessions.yaml``; ``kind`` what it recorded itself as;
    ``complete`` whether it was finished; ``others(key)`` another exercise's answers
    (an exercise may be drawn against an earlier one: end-of-day confidence against
    start-of-day confidence).
    """

    notebook: str
    key: str
    kind: str
    title: str
    fields: Mapping[str, Any]
    #: The title the exercise recorded with its answers (a text prompt records its question).
    recorded_title: str = ""
    #: Everything else it recorded about itself (a rating scale records its items).
    meta: Mapping[str, Any] = dataclass_field(default_factory=dict)
    complete: bool = False
    others: Callable[[str], Mapping[str, Any]] = lambda _key: {}

    def text(self, field: str) -> str:
        """A text field as typed, or "" when it is missing, blank or not text."""
        value = self.fields.get(field)
        return value if isinstance(value, str) and value.strip() else ""

    def content(self, kind: type) -> Any:
        found = exercise_content(self.key)
        if not isinstance(found, kind):
            raise UnknownExercise(f"the workbook has no {kind.__name__} for {self.key!r}")
        return found


ExerciseRenderer = Callable[[ExerciseAnswers], list[Block]]


def _figure(
    plot: Callable[..., Any],
    *args: Any,
    table: bool = True,
    unfold: bool | None = None,
    **kwargs: Any,
) -> Figure:
    """The chart of an answer, its description unfolded for printing.

    ``table=False`` when the answer's own table above already holds the chart's data:
    then neither the data table nor the description (which reads the same data out) is
    repeated unfolded; both stay one click away (``unfold=True`` shows the description
    all the same, when it says more than the table: how stakeholders moved).
    """
    chart = render_chart(plot, *args, style_name=STYLE, **kwargs)
    if not table:
        chart = type(chart)(chart.png, chart.alt, chart.width, chart.height, chart.min_text_px)
    return figure_of(chart, open=table if unfold is None else unfold, open_table=False)


def _and(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _rating(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    return value if ok else None


# --------------------------------------------------------------------------- text


def _answers(ex: ExerciseAnswers, form: FormContent) -> list[Block]:
    blocks: list[Block] = [Para(form.lead, "lead")] if form.lead else []
    missing = []
    for q in form.questions:
        value = ex.fields.get(q.key)
        if q.options:
            label = dict(q.options).get(value) if isinstance(value, str) else None
            if label:
                blocks.append(Fields(((q.text, label),)))
            else:
                missing.append(q.text)
        elif ex.text(q.key):
            blocks.append(Answer(q.text, ex.fields[q.key], q.guidance))
        else:
            missing.append(q.text)
    if missing and len(missing) < len(form.questions):
        words = portfolio_text()["unanswered"]
        blocks.append(Para(words.format(questions="; ".join(missing)), "status"))
    return blocks


def text_form_blocks(ex: ExerciseAnswers) -> list[Block]:
    """A form of questions: each answered question with its answer."""
    return _answers(ex, ex.content(FormContent))


def text_blocks(ex: ExerciseAnswers) -> list[Block]:
    """One question and its answer (a text prompt records its question as its title)."""
    if isinstance(exercise_content(ex.key), FormContent):
        return _answers(ex, ex.content(FormContent))
    if not ex.recorded_title.strip() or set(ex.fields) - {"text"}:
        raise UnknownExercise(f"the workbook does not describe the question of {ex.key!r}")
    return _answers(ex, FormContent((Question("text", ex.recorded_title),)))


def scenario_blocks(ex: ExerciseAnswers) -> list[Block]:
    """The 10 steps of the partnership scenario, each written step under its title."""
    steps = frameworks.scenario_steps()
    blocks: list[Block] = [
        Answer(f"Step {s.number}: {s.title}", ex.fields[s.key], s.guidance)
        for s in steps
        if ex.text(s.key)
    ]
    missing = [f"step {s.number}" for s in steps if not ex.text(s.key)]
    if missing and blocks:
        words = portfolio_text()["unanswered"]
        blocks.append(Para(words.format(questions=_and(missing)), "status"))
    return blocks


def learning_log_blocks(ex: ExerciseAnswers) -> list[Block]:
    """A learning log page: each stage of the learning cycle with its question."""
    cycle = learning_cycle(LOG_CYCLE)
    form = FormContent(
        tuple(Question(stage.key, f"{stage.name}: {stage.prompt}") for stage in cycle.stages)
    )
    return _answers(ex, form)


def role_reflection_blocks(ex: ExerciseAnswers) -> list[Block]:
    """Activity 5's reflection: for each role answered for, the questions and answers."""
    questions = frameworks.reflection_questions()
    blocks: list[Block] = []
    for role in frameworks.meeting_roles():
        answers = ex.fields.get(role.key)
        if not isinstance(answers, Mapping):
            continue
        written = [q for q in questions if isinstance(answers.get(q.key), str)]
        written = [q for q in written if answers[q.key].strip()]
        if written:
            blocks.append(Heading(f"In the role of {role.label.lower()}", 4))
            blocks += [Answer(q.text, answers[q.key]) for q in written]
    return blocks


# --------------------------------------------------------------------------- choosing


def activity1_blocks(ex: ExerciseAnswers) -> list[Block]:
    """Activity 1: for each context its example and the skills used, and their chart."""
    skills = {s.key: s.label for s in frameworks.skills()}
    example_q = question_text("activity1", "example")
    skills_q = question_text("activity1", "skills")
    blocks: list[Block] = []
    selections: dict[str, list[str]] = {}
    for context in frameworks.activity1_contexts():
        chosen = ex.fields.get(f"skills_{context.key}")
        keys = [k for k in chosen if k in skills] if isinstance(chosen, list) else []
        example = ex.text(f"example_{context.key}")
        if not example and not keys:
            continue
        blocks.append(Heading(f"{context.label}: {context.prompt}", 4))
        if example:
            blocks.append(Answer(example_q, example))
        if keys:
            blocks.append(Fields(((skills_q, ", ".join(skills[k] for k in keys)),)))
            selections[context.label] = keys
    if selections:
        blocks.append(_figure(plot_skill_recurrence, selections))
    return blocks


def partnership_form_blocks(ex: ExerciseAnswers) -> list[Block]:
    """Which form is your partnership: the typology chosen, and why."""
    chosen = {t.key: t for t in frameworks.typologies()}.get(ex.fields.get("form"))
    blocks: list[Block] = []
    if chosen is not None:
        blocks.append(
            Fields(
                ((question_text("partnership_form", "form"), f"{chosen.form} ({chosen.citation})"),)
            )
        )
        blocks.append(Para(f"Aim: {chosen.aim} Working processes: {chosen.processes}", "status"))
    if ex.text("why"):
        blocks.append(Answer(question_text("partnership_form", "why"), ex.fields["why"]))
    return blocks


def purpose_blocks(ex: ExerciseAnswers) -> list[Block]:
    """The purpose quadrant: the two numbers, the characteristic they place the
    partnership in, and the quadrant with the partnership marked."""
    goals, predictability = ex.fields.get("goals"), ex.fields.get("predictability")
    numbers = [v for v in (goals, predictability) if isinstance(v, int | float)]
    if len(numbers) < 2 or isinstance(goals, bool) or isinstance(predictability, bool):
        return []
    found = characteristic_at(goals, predictability)
    return [
        Fields(
            (
                (question_text("purpose", "goals"), f"{goals:g}"),
                (question_text("purpose", "predictability"), f"{predictability:g}"),
            )
        ),
        Para(f"Your partnership shows {found.name}: {found.meaning}"),
        _figure(plot_purpose_quadrant, position=(goals, predictability)),
    ]


def stage_diagnosis_blocks(ex: ExerciseAnswers) -> list[Block]:
    """What the learner recognised of each lifecycle stage, the stage that suggests,
    the tactics that suit it, and the lifecycle with the partnership marked."""
    model = lifecycle_model(STAGE_MODEL)
    observed = ex.fields.get("observed")
    observed = [k for k in observed if isinstance(k, str)] if isinstance(observed, list) else []
    seen = []
    for stage in model.stages:
        for n, text in enumerate(stage.characteristics):
            if f"{stage.key}:{n}" in observed:
                seen.append(f"{stage.name}: {text}")
    if not seen:
        return []
    diagnosis = diagnose_stage(observed, model)
    blocks: list[Block] = [
        Para(f"What you recognise in your partnership today, stage by stage of the {model.name}:"),
        Bullets(tuple(seen)),
    ]
    if diagnosis.stage is not None:
        counts = ", ".join(f"{model.stage(k).name} {c}" for k, c in diagnosis.counts)
        blocks.append(
            Para(f"Most of what you ticked belongs to {diagnosis.stage.name} (ticks: {counts}).")
        )
        tactics = stage_tactics(model)[diagnosis.stage.key]
        blocks += [Para(f"Tactics that suit {diagnosis.stage.name}:"), Bullets(tuple(tactics))]
        blocks.append(_figure(plot_lifecycle, model, current=diagnosis.stage.key))
    return blocks


# --------------------------------------------------------------------------- checklists


def checklist_blocks(ex: ExerciseAnswers) -> list[Block]:
    """A checklist: the score and what it means, what was ticked (by group), the chart."""
    spec: ChecklistContent = ex.content(ChecklistContent)
    ticked_raw = ex.fields.get("ticked")
    ticked = set(ticked_raw) & {k for k, _ in spec.items} if isinstance(ticked_raw, list) else set()
    if not ticked and ex.fields.get("done") is not True:
        return []
    text = dict(spec.items)
    band = band_for(len(ticked) / len(spec.items), spec.bands)
    meaning = f" {band.meaning}" if band.meaning else ""
    blocks: list[Block] = [Para(spec.question, "lead")] if spec.question else []
    blocks.append(Para(f"{len(ticked)} of {len(spec.items)} ticked. {band.label}:{meaning}"))
    if spec.groups:
        scores = []
        for label, keys in spec.groups:
            mine = [k for k in keys if k in ticked]
            scores.append(GroupScore(label, len(mine), len(keys)))
            if mine:
                blocks.append(Heading(f"{label} ({len(mine)} of {len(keys)})", 4))
                blocks.append(Bullets(tuple(text[k] for k in mine)))
        title = spec.chart_title
        blocks.append(_figure(plot_checklist_scores, scores, title=title))
    elif ticked:
        blocks.append(Bullets(tuple(t for k, t in spec.items if k in ticked)))
    return blocks


# --------------------------------------------------------------------------- ratings


def _ratings_of(fields: Mapping[str, Any], items: Mapping[str, str]) -> dict[str, int]:
    raw = fields.get("ratings")
    if not isinstance(raw, Mapping):
        return {}
    return {k: r for k, v in raw.items() if k in items and (r := _rating(v)) is not None}


def _recorded_items(ex: ExerciseAnswers) -> tuple[tuple[str, str], ...]:
    """The ``[key, text]`` items a rating scale recorded about itself, if it did."""
    items = ex.meta.get("items")
    ok = (
        isinstance(items, list)
        and items
        and all(
            isinstance(i, list) and len(i) == 2 and all(isinstance(v, str) and v.strip() for v in i)
            for i in items
        )
    )
    return tuple((k, text) for k, text in items) if ok else ()


def _rating_content(ex: ExerciseAnswers) -> RatingContent:
    """What the scale asked: from data/ for an exercise of the day, else the items the
    scale recorded with its answers."""
    found = exercise_content(ex.key)
    if isinstance(found, RatingContent):
        return found
    items = _recorded_items(ex)
    if not items:
        raise UnknownExercise(f"the workbook does not describe the items of {ex.key!r}")
    return RatingContent(items, "", "", question="", chart_title=ex.recorded_title or ex.title)


def rating_blocks(ex: ExerciseAnswers) -> list[Block]:
    """A rating scale: every item with its rating, the chart, and the change since an
    earlier rating of the same items when there is one."""
    spec = _rating_content(ex)
    labels = dict(spec.items)
    ratings = _ratings_of(ex.fields, labels)
    if not ratings:
        return []
    blocks: list[Block] = [Para(spec.question, "lead")] if spec.question else []
    scale = f"{spec.low}; {spec.high}" if spec.low and spec.high else "from 1 to 5"
    blocks.append(Para(f"{len(ratings)} of {len(labels)} items rated ({scale})."))
    groups = [(g, keys) for g, keys in spec.groups] or [("", tuple(labels))]
    headers = ("Item", "Your rating")
    for group, keys in groups:
        rows = tuple((labels[k], str(ratings[k]) if k in ratings else "not rated") for k in keys)
        blocks.append(Table(headers, rows, caption=group, row_headers=True))
    blocks.append(
        _figure(
            plot_ratings,
            ratings,
            labels=labels,
            groups=[(g, list(k)) for g, k in spec.groups] or None,
            kind=spec.chart,
            title=spec.chart_title,
            table=False,  # the tables above are the data
        )
    )
    if spec.compare_with:
        before = _ratings_of(ex.others(spec.compare_with), labels)
        if before:
            chart = compare_ratings(before, ratings, labels=labels, style_name=STYLE)
            blocks += [
                Heading(portfolio_text()["change_heading"], 4),
                figure_of(chart, open=True, open_table=False),
            ]
    return blocks


def mobius_rating_blocks(ex: ExerciseAnswers) -> list[Block]:
    """One relationship rated on the six Mobius qualities, the conversation to have
    next, and the map shaded by the ratings."""
    model = mobius_model()
    raw = ex.fields.get("ratings")
    ratings = {}
    if isinstance(raw, Mapping):
        ratings = {q.key: r for q in model.qualities if (r := _rating(raw.get(q.key)))}
    relationship = ex.text("relationship")
    if not ratings and not relationship:
        return []
    blocks: list[Block] = []
    if relationship:
        blocks.append(Answer(question_text("rate_relationship", "relationship"), relationship))
    if ratings:
        scale = wording("rate_relationship")["scale"]
        rows = tuple(
            (q.name, scale[ratings[q.key] - 1] if q.key in ratings else "not rated", q.meaning)
            for q in model.qualities
        )
        blocks.append(Table(("Quality", "Your rating", "What it means"), rows, row_headers=True))
        nxt = next_conversation(ratings)
        if nxt is not None:
            prompts = _conversation_prompts().get(nxt.key, ())
            blocks.append(Para(f"The conversation to have next: {nxt.name}. Questions to open it:"))
            blocks.append(Bullets(prompts))
        shaded = {k: ratings.get(k) for k in (q.key for q in model.qualities)}
        blocks.append(_figure(plot_mobius_map, qualities=shaded))
    return blocks


def _conversation_prompts() -> dict[str, tuple[str, ...]]:
    return {
        raw["quality"]: tuple(raw["prompts"])
        for raw in content.load("influencing")["conversation_prompts"]
    }


# --------------------------------------------------------------------------- sorting


def sorter_blocks(ex: ExerciseAnswers) -> list[Block]:
    """A sorter or matching exercise: each item with the learner's choice; with the
    model answer beside it once they checked their answers or asked to see it."""
    spec: SortContent = ex.content(SortContent)
    categories = dict(spec.categories)
    raw = ex.fields.get("placements")
    placed = {k: v for k, v in raw.items() if v in categories} if isinstance(raw, Mapping) else {}
    if not placed:
        return []
    checked = isinstance(ex.fields.get("checked"), Mapping) and bool(ex.fields["checked"])
    show_model = checked or ex.fields.get("revealed") is True
    headers = (spec.item_heading, "Your answer", *(["Model answer"] if show_model else []))
    rows = []
    for item in spec.items:
        mine = categories[placed[item.key]] if item.key in placed else "not placed"
        if show_model:
            # the mark says whether the learner's answer matches the model answer
            mark = "\u2713" if placed.get(item.key) == item.answer else "\u2717"
            rows.append((item.text, f"{mark} {mine}", categories[item.answer]))
        else:
            rows.append((item.text, mine))
    blocks: list[Block] = [Para(spec.prompt, "lead")] if spec.prompt else []
    if show_model:
        right = sum(placed.get(i.key) == i.answer for i in spec.items)
        blocks.append(Para(f"{right} of {len(spec.items)} placed as in the model answer."))
    blocks.append(Table(headers, tuple(rows)))
    return blocks


# --------------------------------------------------------------------------- drawn answers


_STAKEHOLDER_HEADERS = ("Name", "Organisation", "Role", "Power", "Interest", "Attitude", "Quadrant")


def _stakeholder_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, ...], ...]:
    """Rows that could not be drawn, shown as the learner typed them."""

    def cell(row: Mapping[str, Any], key: str) -> str:
        value = row.get(key)
        if isinstance(value, float | int) and not isinstance(value, bool):
            return f"{value:g}"
        return str(value).capitalize() if key == "attitude" and value else str(value or "")

    keys = ("name", "organisation", "role", "power", "interest", "attitude")
    return tuple((*(cell(r, k) for k in keys), "") for r in rows if isinstance(r, Mapping))


def stakeholders_blocks(ex: ExerciseAnswers) -> list[Block]:
    """The stakeholders on the power-interest grid, and the table of them; a second
    placement shows the movement from the first."""
    spec = exercise_content(ex.key)
    previous_key = spec.previous if isinstance(spec, StakeholderContent) else None
    previous = None
    if previous_key is not None:
        earlier = ex.others(previous_key[0]).get(previous_key[1])
        try:
            previous = as_stakeholders(earlier) if isinstance(earlier, list) and earlier else None
        except (TypeError, ValueError):
            previous = None
    blocks: list[Block] = []
    for field in ("stakeholders", "after_six_months"):
        rows = ex.fields.get(field)
        if not isinstance(rows, list) or not rows:
            continue
        if field == "stakeholders" and previous_key is not None and "after_six_months" in ex.fields:
            continue  # the second placement's starting copy of the first
        title = "Six months on" if previous is not None else "Your stakeholders"
        try:
            people = as_stakeholders(rows)
        except (TypeError, ValueError) as exc:
            blocks.append(Para(f"These rows could not be drawn on the grid: {exc}", "note"))
            blocks.append(Table(_STAKEHOLDER_HEADERS, _stakeholder_rows(rows)))
            continue
        frame = as_frame(people).fillna("")
        blocks.append(
            _figure(
                plot_power_interest_grid,
                people,
                previous=previous,
                title=title,
                table=False,
                unfold=previous is not None,
            )
        )
        blocks.append(
            Table(
                _STAKEHOLDER_HEADERS,
                tuple(
                    (
                        r.name,
                        r.organisation,
                        r.role,
                        f"{r.power:g}",
                        f"{r.interest:g}",
                        str(r.attitude).capitalize() if r.attitude else "",
                        r.quadrant,
                    )
                    for r in frame.itertuples()
                ),
                caption=title,
                row_headers=True,
            )
        )
        previous = previous if previous is not None else people
    return blocks


def tagger_blocks(ex: ExerciseAnswers) -> list[Block]:
    """A conversation split into statements, each with its tag, and its path on the map."""
    conversation = ex.fields.get("conversation")
    if not isinstance(conversation, Mapping):
        return []
    statements = [s for s in conversation.get("statements") or [] if isinstance(s, Mapping)]
    tags = list(conversation.get("tags") or [])
    blocks: list[Block] = []
    if conversation.get("example") is True:
        blocks.append(Para("This is the worked example, as loaded.", "status"))
    if not statements:
        text = conversation.get("text")
        if isinstance(text, str) and text.strip():
            blocks.append(Answer("Your conversation, not yet split into statements", text))
        return blocks
    rows, path = [], []
    for i, statement in enumerate(statements):
        tag = tags[i] if i < len(tags) else None
        try:
            label = tag_label(tag) if isinstance(tag, str) and tag else "not tagged"
        except ValueError:
            label = "not tagged"
        if label != "not tagged":
            path.append(tag)
        rows.append(
            (
                str(i + 1),
                str(statement.get("speaker") or ""),
                str(statement.get("text") or ""),
                label,
            )
        )
    blocks.append(Table(("#", "Speaker", "Statement", "Tag"), tuple(rows)))
    if path:
        blocks.append(_figure(plot_mobius_map, path=path, table=False))
    return blocks


def postits_blocks(ex: ExerciseAnswers) -> list[Block]:
    """The evaluation wall: the notes under each colour's question, and the wall."""
    wall = evaluation_wall()
    raw = ex.fields.get("notes")
    notes = as_notes(raw, wall) if isinstance(raw, list) else []
    if not notes:
        return []
    blocks: list[Block] = []
    for colour in wall.colours:
        texts = tuple(n.text for n in notes if n.colour == colour.key)
        if texts:
            blocks += [
                Heading(f"{colour.name}: {colour.question}", 4),
                Bullets(texts, role="answer"),
            ]
    blocks.append(_figure(plot_postit_wall, notes, table=False))
    return blocks


#: How each kind of exercise appears in the portfolio, by the ``kind`` it records.
RENDERERS: dict[str, ExerciseRenderer] = {
    "activity1": activity1_blocks,
    "checklist": checklist_blocks,
    "learning_log": learning_log_blocks,
    "matching": sorter_blocks,
    "mobius_rating": mobius_rating_blocks,
    "partnership_form": partnership_form_blocks,
    "postits": postits_blocks,
    "purpose": purpose_blocks,
    "rating": rating_blocks,
    "role_reflection": role_reflection_blocks,
    "scenario": scenario_blocks,
    "sorter": sorter_blocks,
    "stage_diagnosis": stage_diagnosis_blocks,
    "stakeholders": stakeholders_blocks,
    "tagger": tagger_blocks,
    "text": text_blocks,
    "text_form": text_form_blocks,
    "action_plan": text_form_blocks,
}
