"""Issue 12 (a2, c2.5): wide tables stack as cards below 768 px, each cell naming its column
(data-label, from js/spiegel.js); nothing makes the page scroll sideways on a 375 px phone; and
at 1280 px no button or column header is broken inside a word ("Wijzi g")."""

import pytest

from tests.factories import PASSWORD, ActionWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages with the widest tables: the dashboard's actions, the sessions and the actions list.
PAGES = ["/", "/sessions/", "/actions/"]

PHONE_JS = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) problems.push(`the page is ${width} px wide`);
  const tables = document.querySelectorAll("main table.table");
  if (!tables.length) problems.push("no table");
  for (const table of tables) {
    const cells = table.querySelectorAll("tbody td");
    if (!cells.length) problems.push("an empty table");
    for (const cell of cells) {
      if (getComputedStyle(cell).display !== "block") problems.push("a cell does not stack");
      if (!cell.hasAttribute("data-label")) problems.push("a cell without data-label");
      const right = cell.getBoundingClientRect().right;
      if (right > window.innerWidth + 1) problems.push(`a cell reaches ${right} px`);
    }
  }
  return [...new Set(problems)];
}"""

# An element whose content is wider than its box had to break or clip a word (the headers a
# stacked table hides, one pixel wide, aside).
WORDS_JS = """() => [...document.querySelectorAll("main .btn, main th")]
  .filter(e => e.offsetParent && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim())"""


def test_wide_tables_stack_on_a_phone_and_keep_their_words_whole(
    logged_in_page, live_server, screenshot_dir
):
    w = ActionWorld()
    w.more_actions(4)
    page = logged_in_page(w.coordinator.username, PASSWORD)
    for path in PAGES:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(WORDS_JS) == [], path
        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate(PHONE_JS) == [], path
        assert page.evaluate(WORDS_JS) == [], path
    page.screenshot(path=screenshot_dir / "actions-phone.png", full_page=True)
