"""The access log in the app (issue 10): who viewed or exported a client's data, per panel member,
per session, per user and per period, as a page and as CSV, for the coordinators of the
organisation only. The status codes per role are in tests/test_permissions.py."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from participants.constants import AccessAction
from participants.models import AccessLog
from tests.factories import PanelMemberFactory
from tests.fixtures import login

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def log(world, other):
    """Rows about the world's session (its member, its whole panel, another member), about a
    session of another organisation, and one from last year."""
    second = PanelMemberFactory(session=world.session)
    now = timezone.now()
    rows = {
        "member": AccessLog.record(
            world.facilitator, AccessAction.VIEW_CONTACTS, panel_member=world.member
        ),
        "panel": AccessLog.record(
            world.coordinator, AccessAction.VIEW_CONTACTS, session=world.session
        ),
        "second": AccessLog.record(
            world.facilitator, AccessAction.EXPORT_MEMBER, panel_member=second, detail="=1+1"
        ),
        "other": AccessLog.record(
            other.session.facilitator, AccessAction.VIEW_CONTACTS, panel_member=other.member
        ),
        "old": AccessLog.record(
            world.facilitator, AccessAction.DOWNLOAD_REPORT, session=world.session
        ),
    }
    AccessLog.objects.filter(pk=rows["old"].pk).update(at=now - dt.timedelta(days=400))
    return rows


def ids(response):
    return [row.pk for row in response.context["page"].object_list]


def test_a_coordinator_reads_the_log_of_their_organisations_sessions_only(client, world, log):
    login(client, world.coordinator)

    response = client.get("/access-log/")

    assert response.status_code == 200
    assert set(ids(response)) == {log[n].pk for n in ("member", "panel", "second", "old")}
    assert other_title(log) not in response.text


def other_title(log):
    return log["other"].session.title


def test_per_member_who_viewed_this_persons_data(client, world, log):
    login(client, world.coordinator)

    response = client.get("/access-log/", {"member": world.member.pk})

    # The rows naming the member and those about the whole panel of their session.
    assert set(ids(response)) == {log[n].pk for n in ("member", "panel", "old")}
    assert "Deelnemer A" in response.text


def test_per_user_what_did_this_person_view(client, world, log):
    login(client, world.coordinator)

    response = client.get("/access-log/", {"user": world.facilitator.pk})

    assert set(ids(response)) == {log[n].pk for n in ("member", "second", "old")}


def test_by_period_and_action(client, world, log):
    login(client, world.coordinator)
    today = timezone.localdate()

    recent = client.get("/access-log/", {"start": (today - dt.timedelta(days=30)).isoformat()})
    old = client.get("/access-log/", {"end": (today - dt.timedelta(days=300)).isoformat()})
    exports = client.get("/access-log/", {"action": AccessAction.EXPORT_MEMBER})

    assert set(ids(recent)) == {log[n].pk for n in ("member", "panel", "second")}
    assert ids(old) == [log["old"].pk]
    assert ids(exports) == [log["second"].pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"member": "other"}, "Dit panellid hoort niet bij uw organisatie."),
        ({"member": HUGE}, "Zorg ervoor dat deze waarde hoogstens"),
        ({"member": "abc"}, "Voer een geheel getal in."),
        ({"session": "other"}, "Dit gesprek hoort niet bij uw organisatie."),
        ({"user": "other"}, "Selecteer een geldige keuze."),
        ({"action": "<script>"}, "Selecteer een geldige keuze."),
        ({"start": "abc"}, "Voer een geldige datum in."),
        ({"start": "0001-01-01"}, "Kies een datum tussen 2000 en 2100."),
        ({"start": "2030-01-02", "end": "2030-01-01"}, "De einddatum ligt vóór de begindatum."),
    ],
)
def test_a_filter_that_does_not_fit_is_explained_in_dutch_and_ignored(
    client, world, other, log, params, message
):
    login(client, world.coordinator)
    # "other": the id of the other organisation's member, session or user.
    others = {
        "member": other.member.pk,
        "session": other.session.pk,
        "user": other.session.facilitator.pk,
    }
    values = {key: others[key] if value == "other" else value for key, value in params.items()}

    response = client.get("/access-log/", values)

    assert response.status_code == 200
    assert message in response.text
    assert log["member"].pk in ids(response) or "end" in params
    assert other_title(log) not in response.text


def test_the_csv_holds_the_filtered_rows_safe_for_excel_and_is_logged(client, world, log):
    login(client, world.coordinator)

    response = client.get("/access-log/export.csv", {"user": world.facilitator.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tijdstip", "Medewerker", "Handeling", "Gesprek", "Deelnemer", "Toelichting"]
    assert len(rows) == 4
    assert {row[4] for row in rows[1:]} == {"Deelnemer A", "Deelnemer B", ""}
    assert [row[5] for row in rows[1:] if row[2] == "Inzage geëxporteerd"] == ["'=1+1"]
    assert AccessLog.objects.filter(
        user=world.coordinator, action=AccessAction.VIEW_ACCESS_LOG, detail__contains="csv"
    ).exists()


def test_who_coordinates_nothing_is_told_why(client, world):
    login(client, world.facilitator)

    response = client.get("/access-log/")

    assert response.status_code == 403
    assert "Alleen coördinatoren lezen het toegangslog van hun organisatie." in response.text


def test_the_coordinator_of_another_organisation_sees_none_of_it(client, world, log):
    login(client, world.outsider)

    response = client.get("/access-log/", {"member": world.member.pk})

    assert ids(response) == []
    assert "Dit panellid hoort niet bij uw organisatie." in response.text


def test_the_page_costs_the_same_whatever_the_log_holds(
    client, world, log, django_assert_max_num_queries
):
    login(client, world.coordinator)
    for _ in range(30):
        AccessLog.record(world.facilitator, AccessAction.VIEW_CONTACTS, panel_member=world.member)

    # session and user, the organisations, the users of the filter, the member filter, the
    # count, the page's rows with their user, session and member, the log's own row, and
    # the session's savepoint pair.
    with django_assert_max_num_queries(12):
        response = client.get("/access-log/", {"member": world.member.pk})

    assert len(ids(response)) == 33
