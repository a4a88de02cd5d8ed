"""The browser audits: axe-core's violations and the console's errors page by page, and
Lighthouse's mobile scores (the npm packages of package.json, with Debian's chromium)."""

import json
import os
import subprocess

from tests.conftest import CHROMIUM
from tests.e2e.journeys import add_to_basket

RUN_AXE = """async () => (await axe.run(document)).violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
}))"""


class Audit:
    """axe-core's violations and the console's errors, page by page."""

    def __init__(self, page, axe_script):
        self.page = page
        self.axe_script = axe_script
        self.violations = {}
        self.errors = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self, name):
        self.page.wait_for_load_state("load")
        self.page.add_script_tag(path=str(self.axe_script))
        found = self.page.evaluate(RUN_AXE)
        if found:
            self.violations[name] = found

    def assert_clean(self):
        assert self.violations == {}, "\n".join(
            f"{page}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}"
            for page, found in self.violations.items()
            for v in found
        )
        assert self.errors == []


CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = 0.95
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse(cli, url, *, cookie=None):
    """Lighthouse's report of `url`, run as CI runs it: mobile, the four categories."""
    command = [
        str(cli),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    # Lighthouse 12 with this chromium fails to record about one page load in
    # six ("NO_NAVSTART ... Please run Lighthouse again"): a failed recording is
    # run again, up to twice; a low score never is.
    for _attempt in range(3):
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=180,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=False,
        )
        if result.returncode == 0 or "Please run Lighthouse again" not in result.stderr:
            break
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def shortfalls(report):
    """Each category's score, and the audits that cost it points."""
    scores, failing = {}, []
    for key in CATEGORIES:
        category = report["categories"][key]
        scores[key] = round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(
                    f"{key}: {ref['id']} {audit['score']} {audit.get('displayValue', '')}"
                )
    return scores, failing


def assert_lighthouse_scores(cli, base_url, pages, *, cookie):
    """Every page of `pages` ({name: path}) scores at least MINIMUM in every category."""
    results, problems = {}, []
    for name, path in pages.items():
        scores, failing = shortfalls(lighthouse(cli, base_url + path, cookie=cookie))
        results[name] = scores
        if min(scores.values()) < MINIMUM * 100:
            problems.append(f"{name} {path}: {scores}\n    " + "\n    ".join(failing))
    print("\nLighthouse (mobile):")
    width = max(map(len, results))
    for name, scores in results.items():
        print(f"  {name:{width}} {scores}")
    assert problems == [], "\n".join(problems)


def basket_cookie(browser, base_url, product, fragrance):
    """The cookies of a shopper who put a jar of `fragrance` in their basket."""
    context = browser.new_context()
    page = context.new_page()
    add_to_basket(page, base_url, product, fragrance)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    context.close()
    return cookie
