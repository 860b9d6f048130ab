"""axe-core in the page under test: the audit's WCAG 2.2 A and AA rules, target size included.

axe-core comes from tests/e2e/vendor/axe.min.js (the npm package's file, MPL-2.0, see the
README there), evaluated by Playwright through the DevTools protocol: nothing is fetched
at run time and the page's Content-Security-Policy is not loosened.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

# The WCAG 2.0, 2.1 and 2.2 success criteria of levels A and AA; wcag22aa holds
# target-size (2.5.8, 24 × 24 CSS pixels).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return {
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
    })),
  };
}"""


def violations(page):
    """The page's axe violations as {rule id: [target: why, ...]} (empty when it passes)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(RUN, WCAG_TAGS)
    return {
        v["id"]: [
            f"{n['target']}: {(n['summary'] or '').splitlines()[-1].strip()}" for n in v["nodes"]
        ]
        for v in result["violations"]
    }


def version(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate("() => axe.version")
