"""Issue 11, networks: a werkplaats of three municipalities and a client-interest organisation
in one network holds one spiegelgesprek. Each municipality recruited its own residents and
takes its own improvement actions home: filters, exports, the PDF overview and edit rights
follow the owning organisation; a coordinator sees the contact details of their own residents
only; themes live at the network, so a partner's later session finds them."""

import csv
import datetime as dt
import importlib
import io
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from findings.models import ImprovementAction, Theme, theme_home
from findings.services.debrief import create_theme
from participants.constants import OrganisationKind, Role
from participants.models import PanelMember
from sessions.access import get_session_for
from sessions.constants import Status
from tests.factories import (
    FindingFactory,
    ImprovementActionFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PanelMemberFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["Maassluis", "Vlaardingen", "Schiedam"]
ACTION_COUNTS = {"Maassluis": 2, "Vlaardingen": 3, "Schiedam": 4}


class Werkplaats:
    """Three municipalities and a client-interest organisation in one network; one joint
    session in its debrief with two residents recruited by each municipality and the actions
    of ACTION_COUNTS, each owned by a professional of its municipality."""

    def __init__(self):
        self.network = NetworkFactory(name="Netwerk Nieuwe Waterweg")
        self.org = {
            name: OrganisationFactory(name=f"Gemeente {name}", network=self.network)
            for name in MUNICIPALITIES
        }
        self.client_interest = OrganisationFactory(
            name="Zorgbelang", kind=OrganisationKind.CLIENT_INTEREST, network=self.network
        )
        self.facilitator = UserFactory(username="gespreksleider")
        MembershipFactory(
            user=self.facilitator, organisation=self.client_interest, role=Role.FACILITATOR
        )
        self.coordinator, self.professional = {}, {}
        for name, organisation in self.org.items():
            self.coordinator[name] = UserFactory(username=f"coord-{name.lower()}")
            MembershipFactory(
                user=self.coordinator[name], organisation=organisation, role=Role.COORDINATOR
            )
            self.professional[name] = UserFactory(username=f"prof-{name.lower()}")
            MembershipFactory(
                user=self.professional[name], organisation=organisation, role=Role.PROFESSIONAL
            )
        self.session = SessionFactory(
            title="Werkplaats Wmo",
            facilitator=self.facilitator,
            organisations=[*self.org.values(), self.client_interest],
            starts_at=timezone.now() - dt.timedelta(days=7),
        )
        self.members = {name: [] for name in MUNICIPALITIES}
        self.actions = {name: [] for name in MUNICIPALITIES}
        for name, organisation in self.org.items():
            for i in range(2):
                member = PanelMemberFactory(
                    session=self.session,
                    recruited_by=organisation,
                    contact__name=f"Inwoner{name}{i}",
                    contact__email=f"inwoner{i}@{name.lower()}.example",
                )
                self.members[name].append(member)
        for name, organisation in self.org.items():
            for i in range(ACTION_COUNTS[name]):
                finding = FindingFactory(
                    session=self.session, speaker=self.members[name][0], text=f"{name} {i}"
                )
                self.actions[name].append(
                    ImprovementActionFactory(
                        session=self.session,
                        organisation=organisation,
                        owner=self.professional[name],
                        by=self.coordinator[name],
                        findings=[finding],
                        title=f"Actie {name} {i}",
                    )
                )
        self.session.status = Status.DEBRIEF
        self.session.ended_at = timezone.now() - dt.timedelta(days=7)
        self.session.save(update_fields=["status", "ended_at"])

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def wp():
    return Werkplaats()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def titles_of(name):
    return {f"Actie {name} {i}" for i in range(ACTION_COUNTS[name])}


# — each municipality's actions, exactly —


@pytest.mark.parametrize("name", MUNICIPALITIES)
@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_the_municipality_filter_and_its_exports_hold_exactly_its_actions(wp, name, who):
    user = wp.coordinator[name] if who == "coordinator" else wp.facilitator
    client = wp.client(user)
    params = {"organisation": wp.org[name].pk}

    page = client.get("/actions/", params).content.decode()
    listed = {int(pk) for pk in re.findall(r'<a href="/actions/(\d+)/">', page)}
    assert listed == {a.pk for a in wp.actions[name]}

    rows = list(
        csv.reader(
            io.StringIO(body(client.get("/actions/export.csv", params)).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    header, rows = rows[0], rows[1:]
    assert len(rows) == ACTION_COUNTS[name]
    assert {row[1] for row in rows} == titles_of(name)
    organisation_column = header.index("Organisatie")
    assert {row[organisation_column] for row in rows} == {f"Gemeente {name}"}

    sheet = load_workbook(io.BytesIO(body(client.get("/actions/export.xlsx", params)))).active
    values = list(sheet.iter_rows(values_only=True))[1:]
    assert len(values) == ACTION_COUNTS[name]
    assert {row[1] for row in values} == titles_of(name)

    pdf = client.get("/actions/report.pdf", params)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(body(pdf)).split())
    shown = {title for other in MUNICIPALITIES for title in titles_of(other) if title in text}
    assert shown == titles_of(name)


def test_without_a_filter_the_facilitator_sees_every_municipality(wp):
    client = wp.client(wp.facilitator)
    rows = list(
        csv.reader(
            io.StringIO(body(client.get("/actions/export.csv")).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(rows) - 1 == sum(ACTION_COUNTS.values())


def test_the_filter_costs_the_same_queries_for_few_and_many_actions(wp):
    client = wp.client(wp.coordinator["Schiedam"])
    params = {"organisation": wp.org["Schiedam"].pk}
    with CaptureQueriesContext(connection) as few:
        client.get("/actions/", params)
    for i in range(20):
        ImprovementActionFactory(
            session=wp.session,
            organisation=wp.org["Schiedam"],
            owner=wp.professional["Schiedam"],
            findings=[wp.actions["Schiedam"][0].findings.first()],
            title=f"Nog een actie {i}",
        )
    caches["worker"].clear()  # counted as the first view again (findings.filters keeps a minute)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/actions/", params).content.decode()
    assert len(few) == len(many)
    assert len(re.findall(r'<a href="/actions/(\d+)/">', page)) == 24


# — edit rights follow the owning organisation —


def test_a_coordinator_edits_the_own_municipalitys_actions_only(wp):
    schiedam_action = wp.actions["Schiedam"][0]
    maassluis = wp.client(wp.coordinator["Maassluis"])
    assert maassluis.get(f"/actions/{schiedam_action.pk}/").status_code == 200  # reads it
    assert maassluis.get(f"/actions/{schiedam_action.pk}/edit/").status_code == 403
    data = {
        "title": "Overgenomen door Maassluis",
        "owner": wp.professional["Schiedam"].pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
        "priority": "normal",
    }
    assert maassluis.post(f"/actions/{schiedam_action.pk}/edit/", data).status_code == 403
    schiedam_action.refresh_from_db()
    assert schiedam_action.title == "Actie Schiedam 0"

    schiedam = wp.client(wp.coordinator["Schiedam"])
    assert schiedam.post(f"/actions/{schiedam_action.pk}/edit/", data).status_code == 302
    schiedam_action.refresh_from_db()
    assert schiedam_action.title == "Overgenomen door Maassluis"


@pytest.mark.parametrize("name", MUNICIPALITIES)
def test_editable_by_is_exactly_the_own_municipalitys_actions(wp, name):
    editable = set(ImprovementAction.objects.editable_by(wp.coordinator[name]))
    assert editable == set(wp.actions[name])
    every = set(ImprovementAction.objects.all())
    assert set(ImprovementAction.objects.editable_by(wp.facilitator)) == set()
    assert set(ImprovementAction.objects.visible_to(wp.coordinator[name])) == every


def test_a_listener_from_one_municipality_edits_its_actions_a_guest_all(wp):
    from tests.factories import ListenerFactory

    ListenerFactory(session=wp.session, user=wp.professional["Vlaardingen"])
    guest = UserFactory(username="gast")
    ListenerFactory(session=wp.session, user=guest)
    assert set(ImprovementAction.objects.editable_by(wp.professional["Vlaardingen"])) == set(
        wp.actions["Vlaardingen"]
    )
    assert ImprovementAction.objects.editable_by(guest).count() == sum(ACTION_COUNTS.values())


# — making an action in the debrief —


def action_post(wp, **changes):
    finding = wp.actions["Schiedam"][0].findings.first()
    data = {
        "findings": [finding.pk],
        "title": "Nieuwe actie",
        "owner": wp.professional["Schiedam"].pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "priority": "normal",
    }
    return {**data, **changes}


def test_the_debrief_offers_the_organisation_defaulting_to_the_makers(wp):
    client = wp.client(wp.coordinator["Vlaardingen"])
    page = client.get(f"/sessions/{wp.session.pk}/debrief/actions/new/").content.decode()
    assert 'name="organisation"' in page
    chosen = re.search(r'<option value="(\d+)" selected>', page.split('name="organisation"')[1])
    assert int(chosen.group(1)) == wp.org["Vlaardingen"].pk


def test_an_owner_from_another_municipality_is_refused_in_dutch(wp):
    client = wp.client(wp.coordinator["Schiedam"])
    url = f"/sessions/{wp.session.pk}/debrief/actions/new/"
    data = action_post(
        wp, organisation=wp.org["Schiedam"].pk, owner=wp.professional["Maassluis"].pk
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "hoort niet bij Gemeente Schiedam" in response.content.decode()
    assert not ImprovementAction.objects.filter(title="Nieuwe actie").exists()

    assert client.post(url, action_post(wp, organisation=wp.org["Schiedam"].pk)).status_code == 302
    assert ImprovementAction.objects.get(title="Nieuwe actie").organisation == wp.org["Schiedam"]


def test_without_a_choice_the_action_goes_to_the_owners_municipality(wp):
    client = wp.client(wp.coordinator["Schiedam"])
    url = f"/sessions/{wp.session.pk}/debrief/actions/new/"
    data = action_post(wp, owner=wp.professional["Maassluis"].pk)
    assert client.post(url, data).status_code == 302
    assert ImprovementAction.objects.get(title="Nieuwe actie").organisation == wp.org["Maassluis"]


def test_a_new_owner_must_belong_to_the_actions_municipality(wp):
    action = wp.actions["Schiedam"][0]
    client = wp.client(wp.coordinator["Schiedam"])
    data = {
        "title": action.title,
        "owner": wp.professional["Maassluis"].pk,
        "due_date": action.due_date.isoformat(),
        "priority": "normal",
    }
    response = client.post(f"/actions/{action.pk}/edit/", data)
    assert response.status_code == 200
    assert "hoort niet bij Gemeente Schiedam" in response.content.decode()
    action.refresh_from_db()
    assert action.owner == wp.professional["Schiedam"]


# — contact details per recruiting municipality —


def other_names(name):
    return [m.contact.name for other in MUNICIPALITIES if other != name for m in members_of(other)]


def members_of(name):
    return PanelMember.objects.filter(recruited_by__name=f"Gemeente {name}").select_related(
        "contact"
    )


@pytest.mark.parametrize("name", MUNICIPALITIES)
def test_a_coordinator_sees_the_own_residents_details_only_on_the_panel_page(wp, name):
    page = wp.client(wp.coordinator[name]).get(f"/sessions/{wp.session.pk}/panel/")
    text = page.content.decode()
    for member in members_of(name):
        assert member.contact.name in text and member.contact.email in text
    for other in other_names(name):
        assert other not in text
    assert text.count("Deelnemer ") >= 6  # every pseudonym is listed


def test_the_facilitator_sees_every_residents_details(wp):
    text = wp.client(wp.facilitator).get(f"/sessions/{wp.session.pk}/panel/").content.decode()
    for name in MUNICIPALITIES:
        for member in members_of(name):
            assert member.contact.name in text


def test_the_rights_pages_of_another_municipalitys_resident_are_refused(wp):
    client = wp.client(wp.coordinator["Maassluis"])
    own, other = wp.members["Maassluis"][0], wp.members["Schiedam"][0]
    base = f"/sessions/{wp.session.pk}/panel"
    assert client.get(f"{base}/{own.pk}/rights/").status_code == 200
    refused = client.get(f"{base}/{other.pk}/rights/")
    assert refused.status_code == 403
    assert "andere organisatie" in refused.content.decode()
    assert client.get(f"{base}/{other.pk}/inzage/").status_code == 403
    withdraw = client.post(f"{base}/{other.pk}/withdraw/", {"withdraw-reason": "Gebeld"})
    assert withdraw.status_code == 403
    other.refresh_from_db()
    assert not other.consent_withdrawn
    inzage = client.get(f"{base}/{own.pk}/inzage/")
    assert inzage.status_code == 200 and inzage["Content-Type"] == "application/zip"


def test_the_letters_name_list_shows_the_own_residents_only(wp):
    text = (
        wp.client(wp.coordinator["Vlaardingen"])
        .get(f"/sessions/{wp.session.pk}/feedback/")
        .content.decode()
    )
    for member in members_of("Vlaardingen"):
        assert member.contact.name in text
    for other in other_names("Vlaardingen"):
        assert other not in text


def test_the_policy_decides_per_member(wp):
    session = get_session_for(wp.coordinator["Vlaardingen"], wp.session.pk)
    access = session.access
    assert access.can_see_contacts  # the page shows details, of some members
    assert access.can_see_contacts_of(wp.members["Vlaardingen"][1])
    assert not access.can_see_contacts_of(wp.members["Maassluis"][1])
    facilitator = get_session_for(wp.facilitator, wp.session.pk).access
    assert all(facilitator.can_see_contacts_of(m) for ms in wp.members.values() for m in ms)


def test_a_member_is_recruited_by_the_sessions_first_organisation_by_default(wp):
    member = PanelMemberFactory(session=wp.session)
    first = wp.session.organisations.order_by("pk").first()
    assert member.recruited_by == first


def test_the_panel_form_asks_who_recruited_when_there_are_several(wp):
    client = wp.client(wp.facilitator)
    page = client.get(f"/sessions/{wp.session.pk}/panel/").content.decode()
    assert 'name="member-recruited_by"' in page
    single = SessionFactory(facilitator=wp.facilitator, organisations=[wp.org["Schiedam"]])
    page = client.get(f"/sessions/{single.pk}/panel/").content.decode()
    assert 'name="member-recruited_by"' not in page


# — themes at the network —


def test_a_schiedam_follow_up_a_year_later_finds_the_joint_sessions_themes(wp):
    theme, created = create_theme(session=wp.session, name="Bereikbaarheid")
    assert created and theme.organisation == wp.network
    assert theme_home(wp.session) == wp.network
    follow_up = SessionFactory(
        facilitator=wp.facilitator,
        organisations=[wp.org["Schiedam"]],
        starts_at=timezone.now() + dt.timedelta(days=365),
        status=Status.DEBRIEF,
    )
    assert theme in Theme.objects.for_session(follow_up)
    again, created = create_theme(session=follow_up, name="bereikbaarheid")
    assert again == theme and not created


def test_a_session_outside_any_network_keeps_themes_at_its_first_organisation(wp):
    alone = OrganisationFactory(name="Gemeente Buiten")
    session = SessionFactory(organisations=[alone], status=Status.DEBRIEF)
    theme, _created = create_theme(session=session, name="Wachttijd")
    assert theme.organisation == alone
    assert theme not in Theme.objects.for_session(wp.session)


def test_the_migration_moves_themes_to_the_network_and_merges_same_names(wp):
    migration = importlib.import_module("findings.migrations.0010_networks")
    maassluis = ThemeFactory(organisation=wp.org["Maassluis"], name="Bereikbaarheid")
    schiedam = ThemeFactory(organisation=wp.org["Schiedam"], name="bereikbaarheid")
    other = ThemeFactory(organisation=wp.org["Schiedam"], name="Brieven")
    outside = ThemeFactory(organisation=OrganisationFactory(name="Los"), name="Bereikbaarheid")
    f1 = FindingFactory(session=wp.session, theme=maassluis)
    f2 = FindingFactory(session=wp.session, theme=schiedam)
    editor = SimpleNamespace(connection=connection, execute=lambda sql: None)

    migration.themes_to_networks(apps, editor)

    f1.refresh_from_db(), f2.refresh_from_db()
    assert f1.theme_id == f2.theme_id == maassluis.pk
    assert not Theme.objects.filter(pk=schiedam.pk).exists()
    assert Theme.objects.get(pk=maassluis.pk).organisation == wp.network
    assert Theme.objects.get(pk=other.pk).organisation == wp.network
    assert Theme.objects.get(pk=outside.pk).organisation.name == "Los"


def test_the_migration_gives_existing_members_the_first_organisation(wp):
    migration = importlib.import_module("participants.migrations.0011_panel_member_recruited_by")
    member = wp.members["Schiedam"][0]
    PanelMember.objects.filter(pk=member.pk).update(recruited_by=None)
    migration.recruited_by_first_organisation(apps, None)
    member.refresh_from_db()
    assert member.recruited_by == wp.session.organisations.order_by("pk").first()


# — the network view of the insights —


def network_coordinator(wp):
    user = UserFactory(username="netwerkcoordinator")
    MembershipFactory(user=user, organisation=wp.network, role=Role.COORDINATOR)
    return user


def schiedam_follow_up(wp, theme, findings=2):
    """A Schiedam-only session, held, with `findings` findings in `theme`."""
    session = SessionFactory(
        facilitator=wp.facilitator,
        organisations=[wp.org["Schiedam"]],
        starts_at=timezone.now() - dt.timedelta(days=2),
        status=Status.DEBRIEF,
    )
    for i in range(findings):
        FindingFactory(session=session, theme=theme, text=f"Vervolg {i}")
    return session


def test_the_network_view_compares_the_partners_side_by_side(wp):
    today = timezone.localdate()
    schiedam = wp.actions["Schiedam"]
    ImprovementAction.objects.filter(pk=schiedam[0].pk).update(status="done", closing_note="Klaar.")
    ImprovementAction.objects.filter(pk=schiedam[1].pk).update(
        status="dropped", closing_note="Past niet."
    )
    ImprovementAction.objects.filter(pk=schiedam[2].pk).update(
        due_date=today - dt.timedelta(days=1)
    )
    theme = ThemeFactory(organisation=wp.network, name="Bereikbaarheid")
    FindingFactory(session=wp.session, theme=theme, text="Gezamenlijk")
    schiedam_follow_up(wp, theme)

    response = wp.client(network_coordinator(wp)).get("/actions/insights/network/")

    assert response.status_code == 200
    rows = {p.organisation.name: p for p in response.context["insights"].partners}
    assert list(rows) == [
        "Gemeente Maassluis",
        "Gemeente Schiedam",
        "Gemeente Vlaardingen",
        "Zorgbelang",
    ]
    s = rows["Gemeente Schiedam"]
    assert (s.sessions, s.findings) == (2, 10 + 2)  # the joint table's 10, its own 2
    assert (s.total, s.unfinished, s.done, s.dropped, s.overdue) == (4, 2, 1, 1, 1)
    assert s.completion_rate == 25  # a dropped action is not done
    assert s.returning_themes == ["Bereikbaarheid"]
    m = rows["Gemeente Maassluis"]
    assert (m.sessions, m.findings, m.total, m.done, m.returning_themes) == (1, 10, 2, 0, [])
    assert rows["Zorgbelang"].total == 0 and rows["Zorgbelang"].completion_rate is None
    (shared,) = response.context["insights"].themes
    assert shared.partner_count == 4 and shared.cells[1] == (2, True)
    text = response.content.decode()
    assert "25%" in text and "Inwoner" not in text  # counts, never people


def test_the_network_view_is_for_network_coordinators_and_linked_for_them(wp):
    municipal = wp.client(wp.coordinator["Schiedam"])
    refused = municipal.get("/actions/insights/network/")
    assert refused.status_code == 403
    assert "coördinatoren van een regionaal netwerk" in refused.content.decode()
    assert "/actions/insights/network/" not in municipal.get("/actions/insights/").content.decode()
    page = wp.client(network_coordinator(wp)).get("/actions/insights/").content.decode()
    assert "/actions/insights/network/" in page


def test_the_network_view_refuses_a_foreign_network_and_bad_dates_in_dutch(wp):
    client = wp.client(network_coordinator(wp))
    other = NetworkFactory(name="Ander netwerk")
    for params in ({"network": other.pk}, {"network": "x"}, {"start": "2026-13-45"}):
        response = client.get("/actions/insights/network/", params)
        assert response.status_code == 200 and response.context["insights"] is None
        assert "Kies een geldig netwerk" in response.content.decode()


def test_the_network_view_costs_the_same_queries_for_any_history(wp, django_assert_num_queries):
    from findings.services.network_insights import network_insights_for

    client = wp.client(network_coordinator(wp))
    theme = ThemeFactory(organisation=wp.network, name="Bereikbaarheid")
    with CaptureQueriesContext(connection) as few:
        client.get("/actions/insights/network/")
    for i in range(5):
        session = schiedam_follow_up(wp, ThemeFactory(organisation=wp.network), findings=3)
        FindingFactory(session=session, theme=theme)
        ImprovementActionFactory(
            session=session,
            organisation=wp.org["Schiedam"],
            owner=wp.professional["Schiedam"],
            title=f"Vervolgactie {i}",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/actions/insights/network/")
    assert len(few) == len(many)
    assert response.context["insights"].partners[1].total == 4 + 5
    # The partners with sessions and findings, the actions per status, the theme pairs.
    today = timezone.localdate()
    with django_assert_num_queries(3):
        network_insights_for(network=wp.network, start=today - dt.timedelta(days=30), end=today)


# — the session report for one municipality —


def test_the_report_for_schiedam_holds_exactly_schiedams_actions(wp):
    client = wp.client(wp.coordinator["Schiedam"])
    url = f"/sessions/{wp.session.pk}/report.pdf?organisatie={wp.org['Schiedam'].pk}"
    assert url in client.get(f"/sessions/{wp.session.pk}/").content.decode()

    response = client.get(url)

    assert response.status_code == 200
    assert "verslag-gemeente-schiedam.pdf" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    shown = {title for other in MUNICIPALITIES for title in titles_of(other) if title in text}
    assert shown == titles_of("Schiedam")
    assert "Dit verslag is gemaakt voor Gemeente Schiedam" in text
    for organisation in [*wp.org.values(), wp.client_interest]:
        assert organisation.name in text  # the organisations at the table, on the cover
    assert "Maassluis 0" in text  # the shared findings stay, without names
    assert not any(m.contact.name in text for ms in wp.members.values() for m in ms)


def test_the_full_report_keeps_every_action_and_a_stranger_organisation_is_404(wp):
    client = wp.client(wp.coordinator["Schiedam"])
    base = f"/sessions/{wp.session.pk}/report.pdf"
    text = " ".join(pdf_text(client.get(base).content).split())
    assert all(t in text for name in MUNICIPALITIES for t in titles_of(name))
    stranger = OrganisationFactory(name="Gemeente Elders")
    for asked in (stranger.pk, "x", "99999999999"):
        assert client.get(base, {"organisatie": asked}).status_code == 404


def test_a_municipalitys_own_insights_count_its_own_actions_only(wp):
    client = wp.client(wp.coordinator["Schiedam"])
    response = client.get("/actions/insights/", {"organisation": wp.org["Schiedam"].pk})
    insights = response.context["insights"]
    assert insights.session_count == 1
    assert insights.actions["total"] == ACTION_COUNTS["Schiedam"]
