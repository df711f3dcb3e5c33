"""Moving through a page by keyboard only (issue 12): the helpers of the keyboard journeys in
test_keyboard.py and test_live.py. No clicks and no programmatic focus: a control that Tab
cannot reach fails the test where it is sought."""

MAX_TABS = 120


def has_focus(page, target) -> bool:
    if isinstance(target, str):
        return page.evaluate("(s) => document.activeElement.matches(s)", target)
    return target.evaluate("(element) => element === document.activeElement")


def tab_to(page, target, *, back=False):
    """Press Tab (Shift+Tab with `back`) until `target` (a CSS selector or a locator) has the
    focus."""
    for _ in range(MAX_TABS):
        if has_focus(page, target):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{target} is not reached with the Tab key")


def follow(page, target):
    """Tab to a link or button and press Enter; wait for the page it leads to."""
    tab_to(page, target)
    # Until the answer arrives: on a busy machine a page can take longer to load than
    # Playwright's 30 s; what the page must show is waited for by `expect` afterwards.
    with page.expect_navigation(wait_until="commit", timeout=60_000):
        page.keyboard.press("Enter")
    page.wait_for_load_state("domcontentloaded", timeout=60_000)
