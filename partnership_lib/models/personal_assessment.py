"""The personal assessment (start and end of the day): statements from the skills.

Each statement comes from one of McNamara's collaboration skills or one of DETR's key
skill areas (``data/reflection.yaml``) and is checked against them when loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnership_lib.core import content
from partnership_lib.models import frameworks

_CONTENT = "reflection"


@dataclass(frozen=True, slots=True)
class AssessmentItem:
    """One statement of the personal assessment.

    ``group`` is the key of its group in ``data/reflection.yaml``; ``source`` is the key
    of the McNamara skill or DETR key skill area it comes from.
    """

    key: str
    group: str
    source: str
    text: str

    def __post_init__(self) -> None:
        for field in ("key", "group", "source", "text"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(
                    f"assessment item {self.key!r}: {field} must be text, got {value!r}"
                )


def assessment_groups() -> tuple[tuple[str, str, str], ...]:
    """The assessment's groups as ``(key, label, source kind)``, in order."""
    return tuple(
        (g["key"], g["label"], g["source"]) for g in content.load(_CONTENT)["assessment_groups"]
    )


def assessment_items() -> tuple[AssessmentItem, ...]:
    """The personal assessment's items, checked against the skills they come from.

    Raises
    ------
    partnership_lib.core.content.ContentError
        For an unknown group, a source that is not in its group's skills or areas, a
        repeated key or a group with no items.
    """
    groups = {key: kind for key, _label, kind in assessment_groups()}
    group_skills = {g.key: set(g.skills) for g in frameworks.skill_groups()}
    areas = {a.key for a in frameworks.key_skill_areas()}
    items: list[AssessmentItem] = []
    for raw in content.load(_CONTENT)["assessment_items"]:
        with content.content_entry(_CONTENT, f"assessment_items/{raw['key']}"):
            item = AssessmentItem(**raw)
            if item.group not in groups:
                raise ValueError(f"unknown group {item.group!r}; groups: {', '.join(groups)}")
            if groups[item.group] == "skill_group":
                allowed = group_skills.get(item.group)
                if allowed is None:
                    raise ValueError(f"group {item.group!r} is not one of the skill groups")
                if item.source not in allowed:
                    raise ValueError(
                        f"source {item.source!r} is not a skill in group {item.group!r}"
                    )
            elif item.source not in areas:
                raise ValueError(f"source {item.source!r} is not a key skill area")
            if any(i.key == item.key for i in items):
                raise ValueError(f"item key {item.key!r} is used twice")
        items.append(item)
    for key in groups:
        if not any(i.group == key for i in items):
            with content.content_entry(_CONTENT, f"assessment_groups/{key}"):
                raise ValueError(f"group {key!r} has no items")
    return tuple(items)


def rating_items_and_groups() -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    items = assessment_items()
    pairs = [(i.key, i.text) for i in items]
    groups = [
        (label, [i.key for i in items if i.group == key]) for key, label, _ in assessment_groups()
    ]
    return pairs, groups


def source_label(item: AssessmentItem) -> str:
    for skill in frameworks.skills():
        if skill.key == item.source:
            return f"{skill.label} (McNamara 2005)"
    for area in frameworks.key_skill_areas():
        if area.key == item.source:
            return f"{area.label} ({area.citation})"
    return item.source
