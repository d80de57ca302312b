"""Partnership scenarios: the fictional examples PS 1a-1c, and the learner's own.

The examples live in ``data/scenarios.yaml``; each is fictional and fills in every step
of ``data/scenario_steps.yaml``. The learner's own scenario is stored under
``00_partnership_scenario/scenario/<step key>`` (:func:`learner_steps` reads it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from partnership_lib.core import content
from partnership_lib.core.store import AnswerKey, AnswerStore
from partnership_lib.models import frameworks

__all__ = [
    "SCENARIO_EXERCISE",
    "SCENARIO_NOTEBOOK",
    "Scenario",
    "card_title",
    "example_scenario",
    "example_scenarios",
    "learner_steps",
    "step_titles",
]

#: Where the learner's own scenario is stored (``notebook/exercise/<step key>``).
SCENARIO_NOTEBOOK = "00_partnership_scenario"
SCENARIO_EXERCISE = "scenario"

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
#: Longest card title, in characters, before it is cut at a word and ends in "…".
_TITLE_MAX = 90


def _step_keys() -> tuple[str, ...]:
    return tuple(step.key for step in frameworks.scenario_steps())


def step_titles() -> tuple[tuple[str, str], ...]:
    """Each scenario step's key and heading, in order: ``("naming", "Step 1: Naming ...")``."""
    return tuple((s.key, f"Step {s.number}: {s.title}") for s in frameworks.scenario_steps())


@dataclass(frozen=True, slots=True)
class Scenario:
    """An example partnership scenario with all ten steps written.

    Attributes
    ----------
    key : str
        Identifier, e.g. ``"ps1a"``.
    code : str
        How the workbook names it, e.g. ``"PS 1a"``.
    title : str
        The partnership's name.
    kind : str
        What sort of partnership it is, in a few words.
    fictional : bool
        Always True: examples describe no real place or person.
    steps : Mapping[str, str]
        Step key (see :func:`partnership_lib.models.frameworks.scenario_steps`) to text.
    """

    key: str
    code: str
    title: str
    kind: str = ""
    fictional: bool = True
    steps: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not _KEY.match(self.key):
            raise ValueError(f"scenario key must be snake_case text, got {self.key!r}")
        for name in ("code", "title"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{self.key}: {name} must be non-empty text, got {value!r}")
        if self.fictional is not True:
            raise ValueError(f"{self.key}: example scenarios must be fictional (fictional: true)")
        if not isinstance(self.steps, Mapping):
            raise ValueError(f"{self.key}: steps must be a mapping, got {self.steps!r}")
        known = _step_keys()
        unknown = [k for k in self.steps if k not in known]
        if unknown:
            raise ValueError(
                f"{self.key}: unknown step {unknown[0]!r}; the steps are: {', '.join(known)}"
            )
        missing = [k for k in known if k not in self.steps]
        if missing:
            raise ValueError(f"{self.key}: step {missing[0]!r} is missing (every step is needed)")
        for k, text in self.steps.items():
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{self.key}: step {k!r} must be non-empty text, got {text!r}")
        ordered = {k: " ".join(self.steps[k].split()) for k in known}
        object.__setattr__(self, "steps", MappingProxyType(ordered))

    @property
    def label(self) -> str:
        """``"PS 1a: Fenbridge Health and Wellbeing Theme Group"``."""
        return f"{self.code}: {self.title}"


def example_scenarios() -> tuple[Scenario, ...]:
    """The example scenarios PS 1a, 1b and 1c, from ``data/scenarios.yaml``."""
    entries = content.load("scenarios")["scenarios"]
    out: list[Scenario] = []
    seen: set[str] = set()
    for entry in entries:
        name = entry.get("key", "?")
        with content.content_entry("scenarios", name):
            if name in seen:
                raise ValueError(f"duplicate scenario key {name!r}")
            seen.add(name)
            out.append(Scenario(**entry))
    return tuple(out)


def example_scenario(key: str) -> Scenario:
    """One example by key (``"ps1a"``) or code (``"PS 1a"``, case and spaces ignored)."""
    wanted = re.sub(r"\s", "", str(key)).casefold()
    scenarios = example_scenarios()
    for s in scenarios:
        if wanted in (s.key, re.sub(r"\s", "", s.code).casefold()):
            return s
    known = ", ".join(f"{s.key} ({s.code})" for s in scenarios)
    raise ValueError(f"unknown example scenario {key!r}; known: {known}")


def learner_steps(
    store: AnswerStore,
    notebook: str = SCENARIO_NOTEBOOK,
    exercise: str = SCENARIO_EXERCISE,
) -> dict[str, str]:
    """The learner's scenario: every step key, in order, to its text ("" when not written).

    A stored value that is not text counts as not written.
    """
    out = {}
    for key, _ in step_titles():
        value = store.get(AnswerKey(notebook, exercise, key))
        out[key] = value if isinstance(value, str) else ""
    return out


def card_title(naming: str) -> str:
    """A scenario's title from its first step: the first sentence of the first line.

    Cut at a word (ending in "…") when longer than 90 characters; "My partnership
    scenario" when step 1 is empty.
    """
    first = next((line.strip() for line in naming.splitlines() if line.strip()), "")
    first = " ".join(first.split())
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].rstrip(".")
    if len(first) > _TITLE_MAX:
        cut = first[:_TITLE_MAX].rsplit(" ", 1)[0] or first[:_TITLE_MAX]
        first = cut.rstrip(" ,;:") + "…"
    return first or "My partnership scenario"
