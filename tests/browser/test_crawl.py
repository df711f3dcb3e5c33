"""Every page a role may open, in a real browser, in Dutch and English, at 1280 and 375 px
(issue 12).

The pages come from the permission matrix (tests/test_permissions.py): every URL name and
session status whose GET answers 200 for the role, in the matrix's Worlds. On each HTML page:

- axe-core's WCAG 2.0/2.1 A and AA rules and WCAG 2.2 AA: no violation;
- every visible form control's border has 3:1 against what is behind it (WCAG 1.4.11);
- the first controls reached with the Tab key show a focus ring of 3:1 against what is behind
  it, at least 2 px wide (WCAG 2.4.7, 2.4.11);
- the title has its separator ("Inloggen · Spiegel");
- at most one visible primary button: the page's main step stands out, the rest is quieter;
- the page has its footer linking the accessibility statement and a privacy statement with
  the contact details (all but the presenter screen, which a projector shows full-screen).

It is one test with one browser page for all roles: the world is built once, each page is
opened once per role and language and checked at both widths (the window is resized, not the
page reloaded), motion is reduced (no focus ring easing in to wait for), and a page whose markup
another role already had checked at that width and language is not checked again.

It runs in the SQLite run of `make test` with the passes of QUICK_PASSES; `make crawl`
(SPIEGEL_CRAWL=1) runs every language at every width.
`SPIEGEL_CRAWL_REPORT=<file>` writes the figures (pages × roles × languages × widths, problems,
seconds) there; `SPIEGEL_SHOTS=<dir>` makes `test_key_pages_screenshots` write the key pages.
"""

import hashlib
import os
import re
import time
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
    # What a page looks like does not depend on the database: the crawl runs on SQLite only.
    pytest.mark.skipif(
        not os.environ.get("SPIEGEL_CRAWL") and os.environ.get("SPIEGEL_TEST_DB") != "sqlite",
        reason="the crawl runs in the SQLite run (and with make crawl)",
    ),
]

WCAG_TAGS = [*WCAG_21_AA, "wcag22aa"]
WIDTHS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 800},
}
# (language, widths) per pass. `make test` checks Dutch at both widths and English on a phone
# (where its longer words break first); `make crawl` checks English at 1280 px as well.
QUICK_PASSES = [("nl", ("desktop", "phone")), ("en", ("phone",))]
FULL_PASSES = [("nl", ("desktop", "phone")), ("en", ("desktop", "phone"))]
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


# Tab starts again from the top of the page (after the window was resized).
FOCUS_FROM_TOP_JS = """
() => {
  document.activeElement && document.activeElement.blur && document.activeElement.blur();
  const top = document.documentElement;
  top.setAttribute("tabindex", "-1");
  top.focus({preventScroll: true});
  top.removeAttribute("tabindex");
  window.scrollTo(0, 0);
}
"""

# What varies between two renderings of the same page: tokens and nonces.
VOLATILE = re.compile(rb'(value|nonce|content)="[A-Za-z0-9_+/=-]{20,}"')


FOOTER = re.compile(rb"<footer\b.*?</footer>", re.S)


def footer_problem(path, body):
    """The footer every page has (issue 12), checked in the markup: no browser work."""
    if path.endswith("/screen/"):
        return None
    footer = FOOTER.search(body)
    if footer is None:
        return "no footer"
    links = footer.group(0)
    if b'href="/toegankelijkheid/"' not in links or b'href="/privacy/' not in links:
        return "the footer does not link the accessibility and privacy statements"
    return None


# The visible primary buttons of the page's content (a hidden form's button does not count).
PRIMARY_JS = (
    "() => [...document.querySelectorAll('main .btn-primary')]"
    ".filter(e => e.checkVisibility()).length"
)


def check_page(page, axe):
    """What is wrong on the page now: axe's violations, borders, focus rings, the title."""
    # Nothing has the focus while the borders are judged (a focused field shows its focus
    # border and ring): the page may come from the other width's Tab run.
    page.evaluate(FOCUS_FROM_TOP_JS)
    problems = []
    for v in axe(page, tags=WCAG_TAGS):
        problems.append(f"axe {v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:3]}")
    problems += page.evaluate(CONTRAST_JS)
    if (primaries := page.evaluate(PRIMARY_JS)) > 1:
        problems.append(f"{primaries} visible primary buttons, not one main step")
    title = page.title()
    if title != "Spiegel" and " · " not in title and " - " not in title:
        problems.append(f"title without a separator: {title!r}")
    seen = set()
    for _ in range(TABS_PER_PAGE):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_JS)
        if problem and problem not in seen:
            seen.add(problem)
            problems.append(problem)
    return problems


def crawl(page, live_server, axe, worlds, role, passes, checked_markup):
    """Open each of `role`'s pages once per language and check it at each width of the pass.

    Returns the paths, how many pages (path × language × width) were HTML pages, how many of
    them were checked (the others had markup checked before) and the problems per page."""
    sign_in(page.context, live_server, worlds, role)
    paths = pages_for(worlds, role)
    found, pages, checked = {}, 0, 0
    for language, widths in passes:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        for path in paths:
            page.set_viewport_size(WIDTHS[widths[0]])
            try:
                response = page.goto(f"{live_server.url}{path}")
            except PlaywrightError:
                continue  # a download (a PDF, a spreadsheet, a client's data), not a page
            kind = response.headers.get("content-type", "")
            if response.status != 200 or not kind.startswith("text/html"):
                continue
            if not page.locator("html[lang] main").count():
                continue  # an htmx fragment, not a page
            body = response.body()
            if problem := footer_problem(path, body):
                found.setdefault(f"{language} {path}", []).append(problem)
            markup = hashlib.sha1(VOLATILE.sub(b"", body)).hexdigest()
            for label in widths:
                pages += 1
                if (markup, language, label) in checked_markup:
                    continue
                checked_markup.add((markup, language, label))
                page.set_viewport_size(WIDTHS[label])
                checked += 1
                if problems := check_page(page, axe):
                    found[f"{language} {label} {path}"] = problems
    return paths, pages, checked, found


def report(lines):
    """`SPIEGEL_CRAWL_REPORT=<file>` appends the figures and problems to the file."""
    if target := os.environ.get("SPIEGEL_CRAWL_REPORT"):
        with open(target, "a") as out:
            out.write("".join(f"{line}\n" for line in lines))


def test_every_page_of_every_role_passes_axe_and_the_contrast_checks(page, live_server, axe):
    started = time.monotonic()
    passes = FULL_PASSES if os.environ.get("SPIEGEL_CRAWL") else QUICK_PASSES
    # No focus ring eases in, no transition runs: each check sees the page as it settles.
    page.emulate_media(reduced_motion="reduce")
    worlds = Worlds()
    worlds.log_everyone_in()
    checked_markup, failing, total, total_checked = set(), {}, 0, 0
    # SPIEGEL_CRAWL_ROLES=facilitator,listener crawls those roles only (while fixing a page).
    roles = [r for r in os.environ.get("SPIEGEL_CRAWL_ROLES", "").split(",") if r] or ROLES
    for role in roles:
        paths, pages, checked, found = crawl(
            page, live_server, axe, worlds, role, passes, checked_markup
        )
        total, total_checked = total + pages, total_checked + checked
        seconds = time.monotonic() - started
        lines = [
            f"role={role} paths={len(paths)} pages={pages} checked={checked} "
            f"failing={len(found)} ({seconds:.0f} s)"
        ]
        for where, problems in found.items():
            lines.append(f"  {where}")
            lines += [f"    {p}" for p in problems]
            failing[f"{role} {where}"] = problems
        report(lines)
        assert pages, f"no page of {role} was checked"
    passes_text = " + ".join(f"{lang} at {', '.join(widths)}" for lang, widths in passes)
    lines = [
        f"total: {len(roles)} roles, {passes_text}: {total} pages ({total_checked} with markup "
        f"not checked before), {len(failing)} failing, {time.monotonic() - started:.0f} s"
    ]
    report(lines)
    listing = "\n".join(f"{where}:\n  " + "\n  ".join(p) for where, p in failing.items())
    assert not failing, f"{len(failing)} of {total} pages fail:\n{listing}"


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
    page.emulate_media(reduced_motion="reduce")
    worlds = Worlds()
    worlds.log_everyone_in()
    for name, (role, path) in KEY_PAGES.items():
        sign_in(page.context, live_server, worlds, role)
        for size in WIDTHS.values():
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{path(worlds.by_status)}")
            page.screenshot(path=out / f"{name}-{size['width']}.png", full_page=True)


assert ANY  # the matrix's marker for pages without a session; imported to keep one source
