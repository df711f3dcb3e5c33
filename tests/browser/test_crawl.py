"""Every page a role may open, in a real browser, at 1280 and at 375 px (issue 12).

The pages come from the permission matrix (tests/test_permissions.py): every URL name and
session status whose GET answers 200 for the role, in the matrix's Worlds. On each HTML page:

- axe-core's WCAG 2.0/2.1 A and AA rules and WCAG 2.2 AA: no violation;
- every visible form control's border has 3:1 against what is behind it (WCAG 1.4.11);
- the first controls reached with the Tab key show a focus ring of 3:1 against what is behind
  it, at least 2 px wide (WCAG 2.4.7, 2.4.11);
- the title has its separator ("Inloggen · Spiegel").

`SPIEGEL_CRAWL_REPORT=<file>` writes the figures (pages × roles × widths) and problems there;
`SPIEGEL_SHOTS=<dir>` makes `test_key_pages_screenshots` write the key pages there.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import WCAG_21_AA
from tests.factories import ROLES, Worlds
from tests.test_permissions import ANY, EXPECTED, PUBLIC, path_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Minutes per role: `make crawl` runs it (on SQLite; what a page looks like does not
    # depend on the database). Not yet in `make test`: the facilitator's pages still have
    # findings (issue 12).
    pytest.mark.skipif(not os.environ.get("SPIEGEL_CRAWL"), reason="make crawl runs the crawl"),
]

WCAG_TAGS = [*WCAG_21_AA, "wcag22aa"]
WIDTHS = {"desktop": (1280, 900), "phone": (375, 800)}
TABS_PER_PAGE = 12

# Colours in the page: what is behind an element (the first opaque background up the tree),
# the contrast of two colours, and the border of each visible form control.
CONTRAST_JS = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const behind = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.opacity !== "0";
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.name ? "[name=" + el.name + "]" : "");
  window.__spiegelContrast = {parse, ratio, behind, visible, name};
  const bad = [];
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  for (const el of controls) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const width = parseFloat(s.borderTopWidth);
    const border = parse(s.borderTopColor);
    const bg = behind(el);
    const own = parse(s.backgroundColor);
    // A control without a border is told apart by its own background (a filled field).
    const edge = width >= 1 && border && border.a > 0.5 ? border : own;
    const r = ratio(edge, bg);
    if (r < 3) bad.push(name(el) + " border " + r.toFixed(2) + ":1");
  }
  return bad;
}
"""

FOCUS_JS = """
async () => {
  let el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  // A visually hidden radio or checkbox (Bootstrap's .btn-check) shows its focus on its label.
  if (el.id && (el.classList.contains("btn-check") || el.getBoundingClientRect().width <= 1)) {
    el = document.querySelector(`label[for="${el.id}"]`) || el;
  }
  const {parse, ratio, behind, visible, name} = window.__spiegelContrast;
  if (!visible(el)) return null;
  // Bootstrap eases its own ring in: judge the ring once it is there.
  await Promise.all(el.getAnimations().map((a) => a.finished.catch(() => null)));
  const s = getComputedStyle(el);
  const bg = behind(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2
    ? parse(s.outlineColor) : null;
  if (outline && ratio(outline, bg) >= 3) return null;
  // A box-shadow ring (Bootstrap's way): its colour, if it is wide enough.
  const shadow = s.boxShadow && s.boxShadow !== "none" ? s.boxShadow : "";
  if (shadow) {
    const c = parse(shadow);
    const wide = / [2-9](\\.\\d+)?px|\\d{2}px/.test(shadow);
    if (c && c.a > 0.5 && ratio(c, bg) >= 3 && wide) return null;
  }
  return name(el) + " (" + (el.textContent || "").trim().slice(0, 30) + "): focus ring " +
    (outline ? ratio(outline, bg).toFixed(2) + ":1" : "none") + " / " + shadow;
}
"""

SKIP = {
    # A session's room views that the browser leaves for another page (start step, end step):
    # they are pages a POST leads to, not pages one opens.
}


def pages_for(worlds, role):
    """The paths `role` may open (GET 200 in the matrix), one per URL name and status."""
    paths = []
    for name, by_status in EXPECTED.items():
        for status, methods in by_status.items():
            if methods["GET"][role] != 200 or name in SKIP:
                continue
            if role == "anonymous" and name not in PUBLIC:
                continue
            path = path_for(name, worlds, status, role)
            if path not in paths:
                paths.append(path)
    if role == "anonymous":
        paths.append("/accounts/login/")
        paths.append("/accounts/password/reset/")
    else:
        paths.append("/accounts/2fa/")
    return paths


def sign_in(context, live_server, worlds, role):
    context.clear_cookies()
    if role != "anonymous":
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": worlds._cookies[role],
                    "url": live_server.url,
                }
            ]
        )


def check_page(page, axe):
    """What is wrong on the page now: axe's violations, borders, focus rings, the title."""
    problems = []
    for v in axe(page, tags=WCAG_TAGS):
        problems.append(f"axe {v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:3]}")
    problems += page.evaluate(CONTRAST_JS)
    title = page.title()
    if title != "Spiegel" and " · " not in title and " - " not in title:
        problems.append(f"title without a separator: {title!r}")
    page.locator("body").focus() if False else None
    seen = set()
    for _ in range(TABS_PER_PAGE):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_JS)
        if problem and problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems


def crawl(page, live_server, axe, role, widths=WIDTHS):
    worlds = Worlds()
    worlds.log_everyone_in()
    sign_in(page.context, live_server, worlds, role)
    paths = pages_for(worlds, role)
    found, checked = {}, 0
    for label, (width, height) in widths.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            try:
                response = page.goto(f"{live_server.url}{path}")
            except PlaywrightError:
                continue  # a download (a PDF, a spreadsheet, a client's data), not a page
            kind = response.headers.get("content-type", "")
            if response.status != 200 or not kind.startswith("text/html"):
                continue
            if not page.locator("html[lang] main").count():
                continue  # an htmx fragment, not a page
            checked += 1
            problems = check_page(page, axe)
            if problems:
                found[f"{label} {path}"] = problems
    return paths, checked, found


def report(role, paths, checked, found):
    """`SPIEGEL_CRAWL_REPORT=<file>` appends each role's figures and problems to the file."""
    if target := os.environ.get("SPIEGEL_CRAWL_REPORT"):
        with open(target, "a") as out:
            out.write(f"role={role} paths={len(paths)} pages={checked} failing={len(found)}\n")
            for where, problems in found.items():
                out.write(f"  {where}\n" + "".join(f"    {p}\n" for p in problems))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_passes_axe_and_the_contrast_checks(page, live_server, axe, role):
    paths, checked, found = crawl(page, live_server, axe, role)
    report(role, paths, checked, found)
    assert checked, "no page was checked"
    listing = "\n".join(f"{where}:\n  " + "\n  ".join(p) for where, p in found.items())
    assert not found, f"{len(found)} of {checked} pages of {role} fail:\n{listing}"


KEY_PAGES = {
    "dashboard": ("facilitator", lambda w: "/"),
    "session": ("facilitator", lambda w: f"/sessions/{w['planned'].session.pk}/"),
    "panel": ("facilitator", lambda w: f"/sessions/{w['planned'].session.pk}/panel/"),
    "live": ("facilitator", lambda w: f"/sessions/{w['live'].session.pk}/live/"),
}


@pytest.mark.skipif(not os.environ.get("SPIEGEL_SHOTS"), reason="SPIEGEL_SHOTS=<dir> not set")
def test_key_pages_screenshots(page, live_server):
    out = Path(os.environ["SPIEGEL_SHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    worlds = Worlds()
    worlds.log_everyone_in()
    for name, (role, path) in KEY_PAGES.items():
        sign_in(page.context, live_server, worlds, role)
        for width, height in WIDTHS.values():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}{path(worlds.by_status)}")
            page.wait_for_timeout(300)
            page.screenshot(path=out / f"{name}-{width}.png", full_page=True)


assert ANY  # the matrix's marker for pages without a session; imported to keep one source
