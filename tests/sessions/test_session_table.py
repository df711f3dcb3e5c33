"""The table of sessions on the dashboard and the session list (sessions/views/rows.py builds
its rows from values, not from the sessions): what a row shows, and the viewer's role in it."""

import datetime as dt
from html import escape

import pytest
from django.utils import timezone
from django.utils.formats import date_format

import sessions.models
from participants.constants import Role
from sessions.constants import Status
from sessions.models import Session, SessionTable
from tests.factories import (
    ListenerFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def row_of(page, session):
    start = page.index(f'<a href="/sessions/{session.pk}/">')
    return page[start : page.index("</tr>", start)]


@pytest.mark.parametrize("few", [0, 1_000], ids=["involved-in-many", "involved-in-few"])
@pytest.mark.parametrize("url", ["/", "/sessions/"])
def test_a_row_shows_the_session_and_the_viewers_role_in_it(client, monkeypatch, url, few):
    # Either way of finding the user's sessions (sessions.access.sessions_listed_for).
    monkeypatch.setattr(sessions.models, "FEW_INVOLVEMENTS", few)
    zeta, alfa = OrganisationFactory(name="Gemeente Zeta"), OrganisationFactory(name="Alfa Zorg")
    starts = timezone.now() + dt.timedelta(days=3)
    session = SessionFactory(
        organisations=[zeta, alfa], title="Werkplaats <Wmo>", theme="De keukentafel"
    )
    Session.objects.filter(pk=session.pk).update(status=Status.PLANNED, starts_at=starts)
    coordinator, listener, host = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=coordinator, organisation=zeta, role=Role.COORDINATOR)
    ListenerFactory(session=session, user=listener)
    SessionTable.objects.create(session=session, name="Tafel 1", host=host)
    roles = {
        session.facilitator: "gespreksleider",
        coordinator: "coördinator",
        listener: "toehoorder",
        host: "tafelleider",
    }
    for user, role in roles.items():
        row = row_of(login(client, user).get(url).content.decode(), session)
        for text in (
            escape(session.title),
            "De keukentafel",
            date_format(timezone.localtime(starts), "DATETIME_FORMAT"),
            "Alfa Zorg, Gemeente Zeta",  # by name
            "Gepland",
            f'<td class="text-nowrap">{role}</td>',
        ):
            assert text in row, (role, text)


def test_a_session_without_a_date_says_so(client):
    session = SessionFactory(organisations=[OrganisationFactory()], starts_at=None)
    row = row_of(login(client, session.facilitator).get("/sessions/").content.decode(), session)
    assert "nog geen datum" in row
