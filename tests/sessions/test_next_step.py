"""Pages that say what to do now (issue 12): one primary button, the preparation's next step."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from findings.models import ImprovementAction
from findings.views.dashboard import DASHBOARD_ACTIONS
from participants.models import Listener, PanelMember
from sessions.models import Session
from tests.factories import DebriefWorld, SessionFactory, World
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def primary_buttons(page):
    return page.count("btn-primary")


def planned(days_ahead):
    w = World(status="planned")
    Session.objects.filter(pk=w.session.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=days_ahead)
    )
    return w


def test_ten_days_ahead_the_main_button_sends_the_invitations(client):
    w = planned(10)

    page = login(client, w.facilitator).get(f"/sessions/{w.session.pk}/").content.decode()

    assert f'class="btn btn-primary" href="/sessions/{w.session.pk}/invitations/"' in page
    assert 'class="btn btn-outline-primary" type="submit">Gesprek starten' in page
    assert primary_buttons(page) == 1


def test_on_the_day_the_main_button_starts_the_meeting(client):
    w = planned(0)

    page = login(client, w.facilitator).get(f"/sessions/{w.session.pk}/").content.decode()

    assert 'class="btn btn-primary" type="submit">Gesprek starten' in page
    assert primary_buttons(page) == 1


def test_going_back_to_draft_is_quiet_and_confirmed(client):
    w = planned(10)

    page = login(client, w.facilitator).get(f"/sessions/{w.session.pk}/").content.decode()

    assert 'data-confirm="Het gesprek terugzetten naar concept?' in page
    assert 'btn-outline-danger" type="submit">Terug naar concept' in page


def test_a_listener_on_a_live_session_is_led_to_the_listeners_view(client):
    w = World(status="live")

    page = login(client, w.listener).get(f"/sessions/{w.session.pk}/").content.decode()

    assert f'class="btn btn-primary" href="/sessions/{w.session.pk}/listen/"' in page


def test_the_dashboard_opens_with_today_and_a_new_session_button(client):
    w = World(status="live")

    page = login(client, w.facilitator).get("/").content.decode()
    assert page.index('id="today"') < page.index('id="my-sessions"')
    assert f'href="/sessions/{w.session.pk}/live/"' in page
    assert 'href="/sessions/new/">Nieuw spiegelgesprek' in page
    assert primary_buttons(page) == 1

    listener_page = login(client, w.listener).get("/").content.decode()
    assert f'href="/sessions/{w.session.pk}/listen/"' in listener_page
    assert "Nieuw spiegelgesprek" not in listener_page


def the_primary_button(page):
    """The page's one primary button, as (its href, or "submit" for a form's button; its text)."""
    buttons = re.findall(r'<(?:a|button) (class="btn btn-primary"[^>]*)>([^<]*)<', page)
    assert len(buttons) == 1 and primary_buttons(page) == 1, buttons
    attributes, text = buttons[0]
    href = re.search(r'href="([^"]*)"', attributes)
    return href[1] if href else "submit", text.strip()


def invited(w):
    PanelMember.objects.filter(session=w.session).update(invited_at=timezone.now())
    Listener.objects.filter(session=w.session).update(invited_at=timezone.now())


@pytest.mark.parametrize(
    "status, days_ahead, change, expected",
    [
        ("draft", 10, None, ("submit", "Gesprek plannen")),
        # What planning needs comes first: the session's details.
        (
            "draft",
            10,
            lambda w: Session.objects.filter(pk=w.session.pk).update(theme=""),
            ("/sessions/{s}/edit/", "Gegevens wijzigen"),
        ),
        # A guide and rules may follow after planning.
        ("draft", 10, lambda w: w.rule.delete(), ("submit", "Gesprek plannen")),
        ("planned", 10, None, ("/sessions/{s}/invitations/", "Uitnodigingen versturen")),
        # What the meeting cannot start without comes before the invitations …
        ("planned", 10, lambda w: w.rule.delete(), ("/sessions/{s}/rules/", "Spelregels opnemen")),
        # … and after the invitations the advice, in the checklist's order.
        ("planned", 10, invited, ("/sessions/{s}/panel/", "Panel aanvullen")),
        ("planned", 0, None, ("submit", "Gesprek starten")),
        # On the day too: no start button to press without a guide.
        (
            "planned",
            0,
            lambda w: w.question.delete(),
            ("/sessions/{s}/guide/", "Vragenlijst aanvullen"),
        ),
        ("live", 0, None, ("/sessions/{s}/live/", "Naar het gesprek")),
        ("debrief", -1, None, ("/sessions/{s}/debrief/", "Naar het nagesprek")),
        ("closed", -30, None, ("/sessions/{s}/debrief/", "Naar het nagesprek")),
    ],
)
def test_the_main_button_is_the_checklists_next_step_in_every_state(
    client, status, days_ahead, change, expected
):
    w = World(status=status)
    Session.objects.filter(pk=w.session.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=days_ahead)
    )
    if change:
        change(w)

    page = login(client, w.facilitator).get(f"/sessions/{w.session.pk}/").content.decode()

    href, text = expected
    assert the_primary_button(page) == (href.format(s=w.session.pk), text)


@pytest.mark.parametrize("status", ["draft", "planned", "live", "debrief", "closed"])
def test_the_others_never_get_the_facilitators_steps(client, status):
    w = World(status=status)
    expected = {
        "live": f"/sessions/{w.session.pk}/listen/",
        "debrief": f"/sessions/{w.session.pk}/debrief/",
        "closed": f"/sessions/{w.session.pk}/debrief/",
    }.get(status)
    for user in [w.listener, w.coordinator]:
        page = login(client, user).get(f"/sessions/{w.session.pk}/").content.decode()
        if expected:
            assert the_primary_button(page)[0] == expected
        else:
            assert primary_buttons(page) == 0


def today_section(page):
    return page[page.index('id="today"') : page.index('id="my-sessions"')]


def test_the_dashboard_shows_a_meeting_later_today_with_its_time(client):
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, tzinfo=amsterdam), tick=False):
        w = World(status="planned")
        later = dt.datetime(2026, 12, 2, 14, 30, tzinfo=amsterdam)
        Session.objects.filter(pk=w.session.pk).update(starts_at=later, title="Middaggesprek")
        tomorrow = SessionFactory(
            facilitator=w.facilitator,
            organisations=[w.org_a],
            title="Gesprek van morgen",
            starts_at=later + dt.timedelta(days=1),
        )

        for user in [w.facilitator, w.listener]:
            today = today_section(login(client, user).get("/").content.decode())
            assert f'<time datetime="{later.isoformat()}">14:30</time>' in today
            assert f'href="/sessions/{w.session.pk}/">Middaggesprek</a>' in today
            assert tomorrow.title not in today
            assert "Nu bezig" not in today
            assert "Vandaag staat er niets" not in today


def test_today_finds_the_running_meeting_behind_a_long_history_of_open_sessions(client):
    # The table under "Vandaag" shows the twenty oldest open sessions; a facilitator with more
    # than twenty older ones in their debrief still sees today's meeting under "Vandaag" (at
    # 10,000 sessions the demo's coordinator, facilitator and listener did not).
    w = World(status="live")
    long_ago = timezone.now() - dt.timedelta(days=60)
    older = [
        SessionFactory(
            facilitator=w.facilitator,
            organisations=[w.org_a],
            title=f"Ouder gesprek {i}",
            starts_at=long_ago + dt.timedelta(hours=i),
        )
        for i in range(25)
    ]
    Session.objects.filter(pk__in=[s.pk for s in older]).update(status="debrief")

    page = login(client, w.facilitator).get("/").content.decode()
    today = today_section(page)

    assert "Nu bezig" in today
    assert f'href="/sessions/{w.session.pk}/live/"' in today
    assert "Vandaag staat er niets" not in today
    assert "Ouder gesprek" not in today


def test_a_meeting_held_earlier_today_shows_its_status_not_just_its_time(client):
    amsterdam = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(dt.datetime(2026, 12, 2, 15, 0, tzinfo=amsterdam), tick=False):
        w = DebriefWorld()
        morning = dt.datetime(2026, 12, 2, 9, 30, tzinfo=amsterdam)
        Session.objects.filter(pk=w.session.pk).update(
            starts_at=morning, ended_at=morning + dt.timedelta(hours=2)
        )

        today = today_section(login(client, w.listener).get("/").content.decode())

    assert f'<time datetime="{morning.isoformat()}">09:30</time>' in today
    assert '<span class="badge status-debrief">Nagesprek</span>' in today
    assert "Nu bezig" not in today


def test_overdue_actions_are_counted_inside_today_all_of_them(client):
    w = DebriefWorld()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # More overdue actions than the dashboard lists: "Vandaag" still counts every one.
    late = [w.new_action(title=f"Te late actie {i}").pk for i in range(DASHBOARD_ACTIONS + 2)]
    ImprovementAction.objects.filter(pk__in=late).update(due_date=yesterday)
    w.new_action(title="Actie op tijd")

    today = today_section(login(client, w.listener).get("/").content.decode())

    assert (
        f'<a href="#my-actions">{DASHBOARD_ACTIONS + 2} verbeteracties zijn te laat.</a>' in today
    )
    assert "Vandaag staat er niets" not in today


def test_a_day_without_meetings_or_late_actions_says_so(client):
    w = DebriefWorld()
    Session.objects.filter(pk=w.session.pk).update(starts_at=timezone.now() - dt.timedelta(days=3))
    w.new_action(title="Actie op tijd")

    today = today_section(login(client, w.listener).get("/").content.decode())

    assert "Vandaag staat er niets voor u gepland en is niets te laat." in today
    assert "te laat.</a>" not in today and "<time" not in today
