"""A rehearsal room: share files of fictional learners, written like real ones.

:func:`write_demo_room` writes ``learners`` share files whose answers are drawn, with a
fixed seed, from the workbook's own lists, so a facilitator can try the board and the
report before the day. Every name is fictional and marked "(demo)".

With ``session_code`` the files are sent for that session, as a learner's would be; with
``approve=True`` their free text (all of it fictional) is approved for projection at
once, so the rehearsal room shows every view (hide notes on the moderation screen to
rehearse moderation).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnership_lib.core.files import write_atomically
from partnership_lib.core.store import AnswerKey
from partnership_lib.documents.share import SHARE_FORMAT, SHARE_VERSION, normalise_session_code
from partnership_lib.facilitator.moderation import Moderation
from partnership_lib.facilitator.room import scan_room
from partnership_lib.facilitator.views import free_text_items
from partnership_lib.models import frameworks, lifecycle
from partnership_lib.models.partnership_assessment import assessment_items

if TYPE_CHECKING:
    pass


_DEMO_STAKEHOLDERS = (
    # (spellings learners use, typical power, typical interest); some sit on a boundary
    (("Police", "The Police", "police"), 8.0, 7.5),
    (("County council", "County Council", "the county council"), 8.5, 6.6),
    (("NHS trust", "NHS Trust", "The NHS trust"), 8.0, 5.2),
    (("Schools", "schools", "School"), 4.8, 7.0),
    (("Voluntary sector", "voluntary sector", "Voluntary sector."), 3.0, 8.0),
    (("Local residents", "local residents", "Local resident"), 2.0, 7.0),
    (("Housing association", "Housing Association"), 5.3, 4.8),
    (("GP practices", "GP practice", "GP Practices"), 7.0, 3.0),
    (("Fire service", "Fire Service"), 7.0, 2.4),
    (("Local press", "The local press"), 2.5, 2.0),
    (("Councillors", "councillors", "Councillor"), 7.5, 3.4),
    (("Public health team", "Public Health team"), 7.0, 8.5),
    (("Youth club", "Youth Club"), 2.0, 3.0),
)


_ORGANISATIONS = ("", "County council", "NHS", "Voluntary sector", "Community")


_ATTITUDE_CHOICES = ("supporter", "neutral", "opponent", None)


_POPULAR_SKILLS = (
    "listening",
    "trust",
    "respect",
    "consulting",
    "informing",
    "planning",
    "empathy",
    "honesty",
    "openness",
    "questioning",
)


_OPPORTUNITIES = (
    "Pooling budgets",
    "Sharing data between services",
    "Reaching families no single agency reaches",
    "Joint training for front-line staff",
    "Fewer repeated assessments for service users",
    "Bidding for funding together",
    "Learning from each other's practice",
)


_CHALLENGES = (
    "Different priorities and targets",
    "Not enough time to meet",
    "Information governance worries",
    "Staff turnover",
    "Unclear roles and responsibilities",
    "Competing for the same funding",
    "Jargon and different professional languages",
)


_SEPARATORS = ("\n", "\n- ", "; ")


_STAGE_WEIGHTS = (
    ("forming", 2),
    ("frustration", 5),
    ("functioning", 4),
    ("flying", 1),
    ("failing", 1),
)


_MOBIUS_MEANS = {
    "mutual_understanding": 3.0,
    "possibility": 4.0,
    "commitment": 3.2,
    "capability": 2.5,
    "responsibility": 3.5,
    "acknowledgement": 2.2,
}


_RELATIONSHIPS = (
    "Our team and the council's housing officers",
    "The partnership board and the voluntary sector forum",
    "Health visitors and the children's centre staff",
)


#: Self-assessment items the demo room splits on (some learners rate 1-2, others 4-5).
_SPLIT_ITEMS = ("open_disagreement", "fair_risks")


_WALL_NOTES = {
    "pink": (
        "Working in small groups",
        "The stakeholder grid exercise",
        "Hearing other sectors' views",
    ),
    "yellow": ("Map stakeholders before the next board", "Use the Mobius qualities in meetings"),
    "green": ("How to handle conflict in meetings", "More about evaluating partnerships"),
    "blue": ("More time for discussion", "Shorter breaks, longer activities"),
}


@dataclass(frozen=True, slots=True)
class _DemoContent:
    skills: tuple[str, ...]
    contexts: tuple[str, ...]
    stage_sizes: dict[str, int]
    items: tuple[str, ...]


def _demo_content() -> _DemoContent:

    model = lifecycle.lifecycle_model("five_fs")
    return _DemoContent(
        skills=tuple(s.key for s in frameworks.skills()),
        contexts=tuple(c.key for c in frameworks.activity1_contexts()),
        stage_sizes={s.key: len(s.characteristics) for s in model.stages},
        items=tuple(k for k, _ in assessment_items()[0]),
    )


def _demo_answers(rng: random.Random, demo: _DemoContent) -> list[tuple[AnswerKey, Any]]:
    def present() -> bool:
        return rng.random() < 0.92

    def jitter(centre: float, spread: float = 0.6) -> float:
        return round(min(10.0, max(0.0, rng.gauss(centre, spread))) * 2) / 2

    out: list[tuple[AnswerKey, Any]] = []
    nb1, nb2, nb3, nb4 = (
        "01_concepts_and_contexts",
        "02_climate_for_change",
        "03_influencing_and_negotiation",
        "04_feedback_and_reflection",
    )
    if present():
        rows = []
        for spellings, power, interest in rng.sample(_DEMO_STAKEHOLDERS, rng.randint(4, 8)):
            rows.append(
                {
                    "name": rng.choices(spellings, weights=[6] + [1] * (len(spellings) - 1))[0],
                    "organisation": rng.choice(_ORGANISATIONS),
                    "role": "",
                    "power": jitter(power),
                    "interest": jitter(interest),
                    "attitude": rng.choice(_ATTITUDE_CHOICES),
                }
            )
        out.append((AnswerKey(nb2, "activity3", "stakeholders"), rows))
    if present():
        for context in demo.contexts:
            picks = set(rng.sample(_POPULAR_SKILLS, rng.randint(1, 3)))
            picks |= set(rng.sample(demo.skills, rng.randint(0, 2)))
            out.append((AnswerKey(nb1, "activity1", f"skills_{context}"), sorted(picks)))
    if present():
        for kind, pool in (("opportunities", _OPPORTUNITIES), ("challenges", _CHALLENGES)):
            for group in ("case", "own"):
                items = rng.sample(pool, rng.randint(1, 3))
                items = [i.lower() if rng.random() < 0.2 else i for i in items]
                sep = rng.choice(_SEPARATORS)
                text = ("- " if sep == "\n- " else "") + sep.join(items)
                out.append((AnswerKey(nb1, "activity2", f"{kind}_{group}"), text))
    if present():
        stages = [k for k, _ in _STAGE_WEIGHTS]
        main = rng.choices(stages, weights=[w for _, w in _STAGE_WEIGHTS])[0]
        observed = set()
        for key, ticks in ((main, rng.randint(2, 4)), (rng.choice(stages), rng.randint(0, 1))):
            n = demo.stage_sizes[key]
            observed |= {f"{key}:{i}" for i in rng.sample(range(n), min(ticks, n))}
        out.append((AnswerKey(nb1, "stage_diagnosis", "observed"), sorted(observed)))
    if present():
        ratings = {
            q: min(5, max(1, round(rng.gauss(mean, 0.8))))
            for q, mean in _MOBIUS_MEANS.items()
            if rng.random() < 0.95
        }
        out.append(
            (AnswerKey(nb3, "rate_relationship", "relationship"), rng.choice(_RELATIONSHIPS))
        )
        out.append((AnswerKey(nb3, "rate_relationship", "ratings"), ratings))
    if present():
        ratings = {}
        for i, key in enumerate(demo.items):
            if key in _SPLIT_ITEMS:
                ratings[key] = rng.choice((1, 2, 4, 5))
            else:
                ratings[key] = min(5, max(1, round(rng.gauss(2.5 + (i % 4) * 0.5, 0.7))))
        out.append((AnswerKey(nb3, "self_assessment", "ratings"), ratings))
    if present():
        notes = []
        for colour, pool in _WALL_NOTES.items():
            for text in rng.sample(pool, rng.randint(0, 2)):
                notes.append({"id": len(notes) + 1, "colour": colour, "text": text})
        out.append((AnswerKey(nb4, "evaluation", "notes"), notes))
    return out


def write_demo_room(
    folder: str | Path,
    learners: int = 30,
    *,
    seed: int = 7,
    session_code: str | None = None,
    approve: bool = False,
) -> list[Path]:
    """Write a rehearsal room: ``learners`` fictional learners' share files in ``folder``.

    Each learner ("Learner 01 (demo)", ...) has varied, plausible answers for every
    view's exercise (a few leave an exercise out), with the same spellings, list
    formats and near-boundary scores real rooms produce. The files have exactly the
    layout :func:`~partnership_lib.documents.share.export_share_file` writes (built directly,
    which is far faster than filling an answer store per learner) and are written
    atomically. Learner ``i`` is the same for any ``learners`` >= ``i`` and one ``seed``.
    ``session_code`` is written into every file (normalised); ``approve`` approves the
    room's free text in ``folder/.moderation.json``.

    Returns
    -------
    list[Path]
        The files written, in learner order.
    """
    target = Path(folder).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(learners)))
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    demo = _demo_content()
    code = normalise_session_code(session_code) if session_code else None
    paths = []
    for i in range(1, learners + 1):
        rng = random.Random(f"room-demo-{seed}-{i}")
        answers = sorted(_demo_answers(rng, demo), key=lambda pair: pair[0])
        document = {
            "format": SHARE_FORMAT,
            "version": SHARE_VERSION,
            "exported_at": stamp,
            "learner_id": f"{rng.getrandbits(128):032x}",
            "display_name": f"Learner {i:0{width}d} (demo)",
            "anonymised": True,
            "answers": [
                {"notebook": k.notebook, "exercise": k.exercise, "field": k.field, "value": v}
                for k, v in answers
            ],
        }
        if code:
            document["session_code"] = code
        text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
        paths.append(write_atomically(target / f"demo-learner-{i:0{width}d}.json", text))
    if approve:
        Moderation(target).approve_all(free_text_items(scan_room(target, session_code=code)))
    return paths
