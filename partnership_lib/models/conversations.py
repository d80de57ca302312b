"""Conversations to map onto the Mobius model: statements, and the worked examples.

:func:`split_conversation` turns typed lines (``Speaker: what they said``) into
statements; :func:`worked_conversations` are the fictional examples in
``data/conversations.yaml``, each statement tagged with the quality or monologue it shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from partnership_lib.core import content
from partnership_lib.models.mobius import mobius_model

_CONTENT = "conversations"


# "Name: text": a short name that starts with a letter, then a colon and a space (so
# "https://..." and "10:30" are not names).
_SPEAKER = re.compile(r"^(?P<speaker>[^\W\d_][^:]{0,39}?)\s*:(?:\s+|$)(?P<text>.*)$")


class ConversationStep(NamedTuple):
    """One statement of a worked conversation: who said it, what, and its Mobius tag."""

    speaker: str
    text: str
    tag: str


@dataclass(frozen=True, slots=True)
class WorkedConversation:
    """A worked example: its steps (``(speaker, text, tag)``) and why each is tagged so.

    Iterating over it gives the steps, so it can be passed wherever a list of
    ``(speaker, statement, tag)`` is expected.
    """

    key: str
    title: str
    setting: str
    steps: tuple[ConversationStep, ...]
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for field in ("key", "title", "setting"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"conversation {self.key!r}: {field} must be non-empty text")
        steps = tuple(_as_step(n, s) for n, s in enumerate(self.steps, start=1))
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "reasons", tuple(self.reasons))
        if not steps:
            raise ValueError(f"conversation {self.key!r}: needs at least one step")
        if self.reasons and len(self.reasons) != len(steps):
            raise ValueError(
                f"conversation {self.key!r}: {len(self.reasons)} reasons for {len(steps)} steps"
            )

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)


def _as_step(n: int, step: Any) -> ConversationStep:
    """Validate one ``(speaker, statement, tag)``; ``ValueError`` names the step."""
    if isinstance(step, str | bytes) or not isinstance(step, Sequence) or len(step) != 3:
        raise ValueError(f"step {n}: must be (speaker, statement, tag), got {step!r}")
    speaker, text, tag = step
    if not isinstance(speaker, str):
        raise ValueError(f"step {n}: speaker must be text, got {speaker!r}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"step {n}: statement must be non-empty text, got {text!r}")
    try:
        key = mobius_model().item(tag).key
    except ValueError as exc:
        raise ValueError(f"step {n}: {exc}") from None
    return ConversationStep(speaker.strip(), text.strip(), key)


def worked_conversations() -> tuple[WorkedConversation, ...]:
    """Every worked conversation in ``data/conversations.yaml``, in file order."""
    out = []
    for raw in content.load(_CONTENT)["conversations"]:
        out.append(
            content.build(
                _CONTENT,
                f"conversations/{raw['key']}",
                WorkedConversation,
                key=raw["key"],
                title=raw["title"],
                setting=raw["setting"],
                steps=tuple((s["speaker"], s["text"], s["tag"]) for s in raw["steps"]),
                reasons=tuple(s["why"] for s in raw["steps"]),
            )
        )
    return tuple(out)


def worked_conversation(key: str = "healthy_weight") -> WorkedConversation:
    """A worked conversation by key; the default is the stalled healthy-weight project.

    Raises
    ------
    ValueError
        For an unknown key (the message lists the known ones).
    """
    conversations = worked_conversations()
    for conversation in conversations:
        if conversation.key == key:
            return conversation
    known = ", ".join(c.key for c in conversations)
    raise ValueError(f"unknown worked conversation {key!r}; choose one of: {known}")


def split_conversation(text: str) -> list[dict[str, str]]:
    """Split an exchange into statements: one per non-empty line, ``Name: text`` optional.

    Returns
    -------
    list of dict
        ``{"speaker": name or "", "text": statement}`` for each line, in order.
    """
    if not isinstance(text, str):
        raise ValueError(f"the conversation must be text, got {type(text).__name__}")
    statements = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _SPEAKER.match(line)
        if match and match["text"].strip():
            statements.append({"speaker": match["speaker"].strip(), "text": match["text"].strip()})
        else:
            statements.append({"speaker": "", "text": line})
    return statements
