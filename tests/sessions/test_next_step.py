"""Pages that say what to do now (issue 12): one primary button, the preparation's next step."""

import datetime as dt

import pytest
from django.utils import timezone

from sessions.models import Session
from tests.factories import World
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
