"""Kitchen tables in a real browser: three tables, three hosts on three devices (browser
contexts); one host loses the network, writes notes and a golden tip, comes back, and nothing
is lost (asserted in the database). The presenter screen shows the tables' tips as they come.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from findings.models import Finding, GoldenTip
from participants.constants import Role
from sessions.constants import Status
from sessions.models import Session, SessionTable
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, PanelMemberFactory, UserFactory, World

pytestmark = pytest.mark.browser


def kitchen_world():
    w = World(status="planned")
    hosts = [w.facilitator]
    for username in ("host2", "host3"):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organisation=w.client_org, role=Role.FACILITATOR)
        hosts.append(user)
    w.tables = []
    for n, host in enumerate(hosts, start=1):
        ambassador = PanelMemberFactory(session=w.session)
        table = SessionTable.objects.create(
            session=w.session, name=f"Tafel {n}", position=n, host=host, ambassador=ambassador
        )
        table.panel_members.set([ambassador])
        w.tables.append(table)
    w.hosts = hosts
    live_at = timezone.now() - dt.timedelta(minutes=20)
    Session.objects.filter(pk=w.session.pk).update(status=Status.LIVE, live_at=live_at)
    return w


def write_note(page, text):
    page.locator("#capture-text").fill(text)
    page.locator("#capture-save").click()


def write_tip(page, theme, text):
    page.locator("#tip-theme").fill(theme)
    page.locator("#tip-text").fill(text)
    page.locator("#tip-save").click()


def test_three_tables_with_three_hosts_and_one_offline_lose_nothing(
    browser, browser_context_args, live_server, transactional_db, axe, screenshot_dir
):
    w = kitchen_world()
    pages = []
    for host, table in zip(w.hosts, w.tables, strict=True):
        context = browser.new_context(
            **browser_context_args, viewport={"width": 1280, "height": 900}
        )
        page = log_in(context.new_page(), live_server, host.username, PASSWORD)
        page.goto(f"{live_server.url}/sessions/{w.session.pk}/tables/{table.pk}/live/")
        expect(page.get_by_role("heading", name=table.name, exact=True)).to_be_visible()
        pages.append(page)
    first, second, offline = pages
    screen = first.context.new_page()
    screen.goto(f"{live_server.url}/sessions/{w.session.pk}/screen/")
    expect(screen.locator(".plenary-table")).to_have_count(3)

    offline.context.set_offline(True)
    write_note(offline, "Ik durfde bij de huisarts niet over geld te beginnen.")
    write_note(offline, "Een ervaringsdeskundige liep mee; dat gaf moed.")
    write_tip(offline, "Out-of-the-box denken", "Betrek ervaringsdeskundigen.")
    expect(offline.locator("#live-queue")).to_contain_text("2 notities wachten op opslaan")
    expect(offline.locator("#tip-queue")).to_contain_text("1 tip wacht op opslaan")
    offline.screenshot(path=screenshot_dir / "table-offline.png", full_page=True)

    for n, page in enumerate((first, second), start=1):
        write_note(page, f"Notitie aan tafel {n}.")
        write_tip(page, "Contact en kennismaken", f"Bel elkaar (tafel {n}).")
        expect(page.locator("#tip-list .golden-tip")).to_have_count(1)
        expect(page.locator("#live-notes-list .live-note")).to_have_count(1)
    expect(screen.locator(".plenary-table", has_text="Tafel 2")).to_contain_text("Bel elkaar")
    assert not Finding.objects.filter(table=w.tables[2]).exists()
    assert not GoldenTip.objects.filter(table=w.tables[2]).exists()

    offline.context.set_offline(False)
    expect(offline.locator("#live-queue")).to_have_text("Alle notities zijn opgeslagen.")
    expect(offline.locator("#tip-list .golden-tip")).to_have_count(1)
    expect(offline.locator("#live-notes-list .live-note")).to_have_count(2)
    expect(screen.locator(".plenary-table", has_text="Tafel 3")).to_contain_text(
        "Betrek ervaringsdeskundigen."
    )
    by_table = {
        table.name: sorted(table.findings.values_list("text", flat=True)) for table in w.tables
    }
    assert by_table == {
        "Tafel 1": ["Notitie aan tafel 1."],
        "Tafel 2": ["Notitie aan tafel 2."],
        "Tafel 3": [
            "Een ervaringsdeskundige liep mee; dat gaf moed.",
            "Ik durfde bij de huisarts niet over geld te beginnen.",
        ],
    }
    assert sorted(GoldenTip.objects.values_list("table__name", "text")) == [
        ("Tafel 1", "Bel elkaar (tafel 1)."),
        ("Tafel 2", "Bel elkaar (tafel 2)."),
        ("Tafel 3", "Betrek ervaringsdeskundigen."),
    ]
    assert axe(offline) == []
    offline.screenshot(path=screenshot_dir / "table-live-1280.png", full_page=True)
    screen.screenshot(path=screenshot_dir / "table-screen.png")
    offline.set_viewport_size({"width": 375, "height": 800})
    offline.screenshot(path=screenshot_dir / "table-live-375.png", full_page=True)

    first.goto(f"{live_server.url}/sessions/{w.session.pk}/plenary/")
    first.get_by_label("Bel elkaar (tafel 1).").check()
    first.get_by_label("Bel elkaar (tafel 2).").check()
    first.get_by_label("Thema").fill("Contact en kennismaken")
    first.get_by_label("Samengevoegde tip").fill("Bel en ontmoet elkaar.")
    first.get_by_role("button", name="Samenvoegen").click()
    expect(first.locator(".golden-tips-merged li").first).to_contain_text("Tafel 1, Tafel 2")
    assert axe(first) == []
    first.screenshot(path=screenshot_dir / "plenary-1280.png", full_page=True)
    for page in pages:
        page.context.close()
