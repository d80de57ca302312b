"""Run the axe-core accessibility audit in a Playwright page, with a justified allow-list.

axe-core comes from npm (``package.json`` / ``package-lock.json`` at the repository
root; ``make setup`` runs ``npm ci``). :func:`audit` injects it into the page, runs
the WCAG 2.0, 2.1 and 2.2 A and AA rules, writes the findings to
``tests/artifacts/axe-<name>.json`` and ``.txt``, and returns the violations that the
allow-list (``tests/browser/axe_allowlist.yaml``) does not excuse.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .harness import ARTIFACTS_DIR, REPO_ROOT, artifact_name

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ALLOWLIST = Path(__file__).with_name("axe_allowlist.yaml")
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")


@dataclass(frozen=True, slots=True)
class Allowed:
    """One excused finding: an upstream problem we cannot fix from our side."""

    rule: str
    selector: str  # a regular expression matched against the node's CSS selector
    reason: str
    upstream: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    impact: str
    target: str
    html: str
    help: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) at {self.target}: {self.help}\n    {self.html[:200]}"


@cache
def allowlist() -> tuple[Allowed, ...]:
    """The allow-list; every entry must name a rule, a selector, a reason and a link."""
    entries = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8")) or []
    out = []
    for i, entry in enumerate(entries):
        missing = [k for k in ("rule", "selector", "reason", "upstream") if not entry.get(k)]
        if missing:
            raise ValueError(f"{ALLOWLIST.name} entry {i}: missing {', '.join(missing)}")
        if not str(entry["upstream"]).startswith("https://"):
            raise ValueError(f"{ALLOWLIST.name} entry {i}: upstream must be an https link")
        re.compile(entry["selector"])
        out.append(
            Allowed(**{k: str(entry[k]) for k in ("rule", "selector", "reason", "upstream")})
        )
    return tuple(out)


def _allowed(finding: Finding, entries: tuple[Allowed, ...]) -> bool:
    return any(e.rule == finding.rule and re.search(e.selector, finding.target) for e in entries)


def axe_available() -> str | None:
    """None when axe-core is installed, else why not (with the command that installs it)."""
    if AXE_JS.exists():
        return None
    return f"axe-core is not installed ({AXE_JS} is missing); run `npm ci` in {REPO_ROOT}"


def run_axe(page: Any, *, context: str | dict[str, Any] = "body") -> dict[str, Any]:
    """Inject axe-core once and return ``axe.run``'s raw result for ``context``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async ([context, tags]) => {
            const result = await window.axe.run(context, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations', 'incomplete'],
            });
            return {violations: result.violations, incomplete: result.incomplete,
                    passes: result.passes.length, url: result.url,
                    version: window.axe.version};
        }""",
        [context, list(WCAG_TAGS)],
    )


def findings(result: dict[str, Any]) -> list[Finding]:
    out = []
    for v in result["violations"]:
        for node in v["nodes"]:
            target = " ".join(t if isinstance(t, str) else " >>> ".join(t) for t in node["target"])
            out.append(
                Finding(
                    rule=v["id"],
                    impact=node.get("impact") or v.get("impact") or "",
                    target=target,
                    html=node.get("html", ""),
                    help=v["help"],
                )
            )
    return out


def audit(page: Any, name: str, *, context: str | dict[str, Any] = "body") -> list[Finding]:
    """Audit ``page``; save the report as an artefact; return the findings not allowed."""
    result = run_axe(page, context=context)
    found = findings(result)
    entries = allowlist()
    open_ = [f for f in found if not _allowed(f, entries)]
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"axe-{artifact_name(name)}"
    (ARTIFACTS_DIR / f"{stem}.json").write_text(
        json.dumps(
            {
                "page": name,
                "url": result["url"],
                "axe": result["version"],
                "tags": WCAG_TAGS,
                "passes": result["passes"],
                "violations": [asdict(f) for f in found],
                "not_allowed": [asdict(f) for f in open_],
                "incomplete": [i["id"] for i in result["incomplete"]],
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    lines = [
        f"axe-core {result['version']} on {name}: {result['passes']} rules passed, "
        f"{len(found)} violation nodes ({len(found) - len(open_)} on the allow-list)"
    ]
    lines += [("  allowed  " if f not in open_ else "  VIOLATION ") + str(f) for f in found]
    report = "\n".join(lines)
    (ARTIFACTS_DIR / f"{stem}.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    return open_


def assert_accessible(page: Any, name: str, **kwargs: Any) -> None:
    open_ = audit(page, name, **kwargs)
    assert not open_, f"{len(open_)} axe violation(s) on {name}:\n" + "\n".join(
        str(f) for f in open_
    )
