"""Real-browser tests: pytest-playwright driving Debian's chromium against `live_server`.

Mark every test here with `pytest.mark.browser`. Tests that create data the live server must
see use a transactional database (`logged_in_page` asks for one).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread, which trips Django's
# async-unsafe guard for ORM calls made in the test itself.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe.min.js"
LOGIN_PATH = "/accounts/login/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# A page that is right arrives in milliseconds; on a 2-core machine that also runs the
# PostgreSQL suite or a build, a swap can take longer than Playwright's default 5 s. Waiting
# longer never lets a wrong page pass: the assertions still have to come true.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def _no_https_redirect_at_start():
    override = override_settings(SECURE_SSL_REDIRECT=False)
    override.enable()
    yield override  # live_server disables it again


@pytest.fixture(scope="session")
def live_server(_no_https_redirect_at_start, live_server):
    """pytest-django's live server, speaking plain http (DEBUG is off in tests, so the settings
    redirect to https). SecurityMiddleware reads the setting once, when the server builds its
    middleware, so the override only lasts while the server starts and leaks into no test."""
    _no_https_redirect_at_start.disable()
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        message = "chromium is not installed (Debian package `chromium`; `make test` installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "headless": browser_type_launch_args.get("headless", True),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The users are Dutch: the browser asks for Dutch, as theirs do.
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


def log_in(page, live_server, username, password="demo"):
    """Log in through the real login form; return `page`, now on the page after login."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form:has(#id_password) [type=submit]").click()
    if urlparse(page.url).path == LOGIN_PATH:
        form = page.locator("form:has(#id_password)").inner_text()
        raise AssertionError(f"login as {username!r} failed; the form says:\n{form}")
    return page


@pytest.fixture
def login():
    """The helper `login(page, live_server, username, password="demo")`."""
    return log_in


@pytest.fixture
def logged_in_page(page, live_server, transactional_db):
    """Factory: `logged_in_page("facilitator")` returns `page`, logged in as that user."""

    def _logged_in(username, password="demo"):
        return log_in(page, live_server, username, password)

    return _logged_in


@pytest.fixture
def screenshot_dir():
    """tests/browser/screenshots/ (gitignored), for pictures a developer wants to look at."""
    path = HERE / "screenshots"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def axe():
    """`axe(page)` runs axe-core's WCAG 2.1 A/AA rules on the page; returns the violations.

    The script goes in through `page.evaluate`, which the app's Content-Security-Policy does not
    block (an injected <script> tag, as `page.add_script_tag` makes, would be blocked).
    """
    source = AXE_JS.read_text()

    def run(page, tags=WCAG_21_AA, exclude=()):
        # After a click that navigates, the new page's text can be there before its stylesheets
        # are: white header text was once measured against a background not yet painted.
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source)
        context = {"exclude": [[selector] for selector in exclude]} if exclude else "document"
        return page.evaluate(
            """async ([context, tags]) => {
                const c = context === "document" ? document : context;
                const result = await axe.run(c, {
                    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
                });
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ")),
                }));
            }""",
            [context, list(tags)],
        )

    return run
