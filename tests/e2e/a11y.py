"""axe-core in Chromium: `assert_accessible(page, context)` fails on any WCAG 2.2 A/AA violation.

axe-core's own script (shipped in the axe-playwright-python package) is injected with Playwright's
`page.evaluate`, which goes through the DevTools protocol: the page's Content-Security-Policy stays
active (no `bypass_csp`), so a page that breaks its own CSP still shows it in the console errors.

Exceptions live in EXCEPTIONS below, and only there: each names one rule, the elements it may
forgive (a CSS selector that axe reports as the target), the pages (a regular expression on the
path) and the reason. Anything else axe finds is a failure.

Every check is counted in CHECKS (page, role, language, width); the accessibility module reports its
counts through `record_property`, and tests/e2e/conftest.py prints the figure at the end of the run.
"""
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import axe_playwright_python

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")


@dataclass(frozen=True)
class Exception_:
    rule: str        # axe rule id, e.g. "color-contrast"
    target: str      # regular expression on the CSS selector axe reports for the node
    path: str        # regular expression on the page's path
    reason: str      # why this is not a violation a user meets, or why it is out of our hands


# The one place for exceptions. Keep each narrow (one rule, named elements, named pages) and say why.
EXCEPTIONS: list[Exception_] = []


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _forgiven(rule: str, target: str, path: str) -> Exception_ | None:
    for exception in EXCEPTIONS:
        if exception.rule == rule and re.search(exception.target, target) and re.search(exception.path, path):
            return exception
    return None


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.0/2.1/2.2 A and AA), minus the exceptions."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    path = page.evaluate("() => location.pathname + location.search")
    found = []
    for violation in result["violations"]:
        nodes = []
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            if _forgiven(violation["id"], target, path) is None:
                nodes.append({"target": target, "html": node["html"][:200], "summary": node.get("failureSummary", "")})
        if nodes:
            found.append({"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
                          "nodes": nodes})
    return found


def describe(violations: list[dict], context: str = "") -> str:
    lines = []
    for violation in violations:
        lines.append(f"{context}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}  {node['html']}")
            summary = " ".join(node["summary"].split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def summarize(found: list[tuple[str, dict]]) -> str:
    """Violations seen on many pages, each told once: rule, element, then where it was seen."""
    seen: dict[tuple, list[str]] = {}
    details: dict[tuple, tuple[dict, dict]] = {}
    for where, violation in found:
        for node in violation["nodes"]:
            key = (violation["id"], node["target"])
            seen.setdefault(key, []).append(where)
            details.setdefault(key, (violation, node))
    lines = [f"axe-core: {len(seen)} distinct violation(s) on {len({w for w, _ in found})} page check(s)"]
    for key, places in seen.items():
        violation, node = details[key]
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {node['target']}  {node['html']}")
        summary = " ".join(node["summary"].split())
        if summary:
            lines.append(f"      {summary[:300]}")
        lines.append(f"      seen on {len(places)}: " + "; ".join(places[:4]) + (" …" if len(places) > 4 else ""))
    return "\n".join(lines)


def assert_accessible(page, context: str = "") -> None:
    """Fail with a readable list when axe-core finds a WCAG 2.2 A/AA violation on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, "axe-core violations:\n" + describe(violations, context or page.url)
