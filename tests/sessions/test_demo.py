"""`manage.py demo`: a realistic, repeatable demo world that honours the model's rules."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from findings.demo.world import DEMO_TITLES, PEOPLE
from participants.constants import Role
from participants.models import Membership, Organisation, PanelMember, User
from sessions.constants import LiveStep, Status
from sessions.models import LibraryQuestion, Session

pytestmark = pytest.mark.django_db

DEMO_USERS = ["facilitator", "listener", "coordinator", "outsider", "beheerder"]
ORG_A = "Gemeente Vlaardingen"
ORG_B = "Gemeente Maassluis"
ORG_C = "Gemeente Schiedam"
WERKPLAATS = "Werkplaats Wmo: drie gemeenten aan één tafel"


def own_sessions(name):
    """The sessions of one organisation alone (not the werkplaats of the three), in a circle
    (not the kitchen-table workshop)."""
    return circles().filter(organisations__name=name).exclude(title=WERKPLAATS)


def circles():
    """The demo's ordinary spiegelgesprekken: one circle, no tables."""
    return Session.objects.filter(tables__isnull=True)


def run_demo(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    return run_demo()


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"participants", "spiegel_sessions", "findings"}
    }


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1 of gebruik --force"):
        run_demo()
    assert not Session.objects.exists()


def test_runs_without_debug_when_forced(settings):
    settings.DEBUG = False
    output = run_demo("--force")
    assert Session.objects.filter(title__in=DEMO_TITLES).count() == len(DEMO_TITLES)
    assert "http://127.0.0.1:8000/" in output


def test_prints_the_logins(demo):
    for person in PEOPLE:
        assert person.username in demo
    assert "demo" in demo


def test_one_session_of_organisation_a_in_each_state(demo):
    sessions = own_sessions(ORG_A)
    assert sorted(sessions.values_list("status", flat=True)) == sorted(Status.values)


def test_running_twice_changes_no_counts(demo):
    before = counts()
    run_demo()
    assert counts() == before
    assert before["participants.User"] == len(PEOPLE)
    assert before["spiegel_sessions.Session"] == len(DEMO_TITLES)


def test_running_again_leaves_other_sessions_alone(demo):
    organisation = Organisation.objects.get(name=ORG_A)
    own = Session.objects.create(title="Eigen gesprek", theme="Eigen thema")
    own.organisations.add(organisation)
    run_demo()
    assert Session.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("username", [*DEMO_USERS, "admin"])
def test_demo_users_can_log_in(demo, client, username):
    assert client.login(username=username, password="demo")


def test_admin_may_use_the_django_admin(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(username__in=DEMO_USERS, is_staff=True).exists()


def test_roles(demo):
    def roles(username):
        return set(
            Membership.objects.filter(user__username=username).values_list(
                "organisation__name", "role"
            )
        )

    assert roles("listener") == {(ORG_A, Role.PROFESSIONAL)}
    assert roles("coordinator") == {(ORG_A, Role.COORDINATOR)}
    assert roles("outsider") == {(ORG_B, Role.PROFESSIONAL)}
    assert roles("facilitator") == {("Zorgbelang Zuid-Holland", Role.FACILITATOR)}
    assert roles("beheerder") == {(ORG_A, Role.ADMIN)}
    assert roles("netwerkbeheerder") == {("Werkplaats Sociaal Domein Nieuwe Waterweg", Role.ADMIN)}
    network = "Werkplaats Sociaal Domein Nieuwe Waterweg"
    assert roles("netwerkcoordinator") == {(network, Role.COORDINATOR)}  # the network view


def test_the_beheerder_runs_organisation_a_without_the_admin(demo, client):
    org_a = Organisation.objects.get(name=ORG_A)
    client.login(username="beheerder", password="demo")

    page = client.get(f"/organisations/{org_a.pk}/").content.decode()

    assert "Peter van Dijk" in page  # the coordinator, among the members
    assert "Organisatiebeheer" in page
    assert not User.objects.get(username="beheerder").is_staff


def test_the_facilitator_is_independent_of_organisation_a(demo):
    facilitator = User.objects.get(username="facilitator")
    assert not Membership.objects.filter(user=facilitator, organisation__name=ORG_A).exists()
    for session in Session.objects.all():
        assert session.facilitator == facilitator
        assert session.independence_problems() == []


def test_every_session_honours_the_lifecycle_rules(demo):
    for session in Session.objects.all():
        session.full_clean()  # fields and check constraints
        if session.status == Status.DRAFT:
            assert session.missing_for_planned()  # deliberately incomplete
            assert session.missing_for_live()
            continue
        assert session.missing_for_planned() == []
        assert session.planned_at is not None
        if session.status != Status.PLANNED:
            assert session.missing_for_live() == []
            assert session.planned_at < session.live_at
            assert abs(session.live_at - session.starts_at) < timedelta(hours=1)


def test_timestamps_follow_the_lifecycle(demo):
    by_status = {s.status: s for s in own_sessions(ORG_A)}
    closed, debrief = by_status[Status.CLOSED], by_status[Status.DEBRIEF]
    live, planned = by_status[Status.LIVE], by_status[Status.PLANNED]
    assert closed.starts_at < debrief.starts_at < live.starts_at < planned.starts_at
    assert closed.live_at < closed.ended_at < closed.closed_at
    assert debrief.ended_at is not None and debrief.closed_at is None
    assert live.live_at is not None and live.ended_at is None
    assert by_status[Status.DRAFT].starts_at is None


def test_panels_are_pseudonymous_and_varied(demo):
    for session in circles().exclude(status=Status.DRAFT):
        members = list(session.panel_members.select_related("contact"))
        assert 6 <= len(members) <= 9
        assert [m.number for m in members] == list(range(1, len(members) + 1))
        assert all(m.contact.name for m in members)
        assert all(m.consent_date for m in members if m.consent_participation)
    closed = Session.objects.get(status=Status.CLOSED)
    assert closed.panel_members.filter(consent_withdrawn_at__isnull=False).count() == 1
    assert PanelMember.objects.quotable().exists()
    assert PanelMember.objects.filter(contact__needs_interpreter=True).exists()


def test_listeners_mix_accounts_and_guests(demo):
    listener = User.objects.get(username="listener")
    for session in circles().filter(organisations__name=ORG_A).exclude(status=Status.DRAFT):
        assert 3 <= session.listeners.count() <= 6
        assert session.listeners.filter(user=listener).exists()
        assert session.listeners.filter(user__isnull=True).exists()


def test_guides_and_rules_come_from_the_libraries(demo):
    for session in circles().exclude(status=Status.DRAFT):
        assert session.rules.exists()
        assert session.questions.filter(source__isnull=False).exists()
        assert session.planned_minutes() <= session.duration_minutes
        kinds = list(session.questions.values_list("kind", flat=True))
        assert kinds[0] == "opening" and kinds[-1] == "listener"
    assert LibraryQuestion.objects.filter(organisation__name=ORG_A).exists()
    partner = own_sessions(ORG_B).get()
    assert partner.questions.filter(source__organisation__isnull=False).exists()  # shared


def test_access_follows_the_roles(demo):
    def visible(username):
        user = User.objects.get(username=username)
        return set(Session.objects.for_user(user).values_list("title", flat=True))

    a_titles = set(
        Session.objects.filter(organisations__name=ORG_A).values_list("title", flat=True)
    )
    b_titles = set(
        Session.objects.filter(organisations__name=ORG_B).values_list("title", flat=True)
    )
    assert visible("facilitator") == a_titles | b_titles
    assert visible("coordinator") == a_titles
    assert visible("outsider") == b_titles
    assert visible("listener") < a_titles  # not the draft: no listeners yet


def test_the_live_session_has_notes_under_several_questions_and_a_current_question(demo):
    session = Session.objects.get(status=Status.LIVE)
    assert session.live_step == LiveStep.QUESTIONS
    assert session.current_question is not None
    assert session.findings.values("question").distinct().count() >= 3
    assert session.findings.filter(speaker__isnull=False).exists()


def test_finished_sessions_have_findings_and_evaluation_answers(demo):
    closed = Session.objects.get(status=Status.CLOSED)
    assert closed.findings.count() >= 10
    answered = closed.evaluations.answered()
    assert answered.filter(panel_member__isnull=False).exists()
    assert answered.filter(listener__isnull=False).exists()
    for finding in closed.findings.all():
        assert closed.live_at <= finding.created_at <= closed.ended_at


def test_the_debriefs_have_themes_lessons_and_actions_in_several_states(demo):
    from findings.models import ImprovementAction

    closed = Session.objects.get(status=Status.CLOSED)
    assert closed.debrief.concluded_at and closed.lessons.exists()
    assert closed.feedback_letter.is_final
    assert closed.findings.filter(theme__isnull=False).exists()
    assert closed.findings.filter(blind_spot=True).exists()
    statuses = set(ImprovementAction.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "done"} <= statuses
    assert ImprovementAction.objects.overdue().exists()
    assert all(
        action.findings.exists() or action.from_tip_id for action in ImprovementAction.objects.all()
    )


def test_the_kitchen_table_workshop_has_three_tables_hosts_and_golden_tips(demo):
    from findings.services.tips import tips_overview

    session = Session.objects.get(tables__isnull=False, tables__position=1)
    tables, merged = tips_overview(session)
    assert len({table.host_id for table in tables}) == len(tables) == 3
    assert all(table.ambassador and table.tip_list for table in tables)
    assert [t.name for t in merged[0].sources] == ["Tafel 1", "Tafel 2", "Tafel 3"]
    assert session.actions.filter(from_tip=merged[0]).exists()


def test_the_next_cycle_looks_back_and_a_consenting_client_follows_the_actions(demo, client):
    from findings.models import FollowLink
    from findings.services.lookback import lookback_for, returning_theme_ids

    planned = Session.objects.get(title="Spiegelgesprek Ondersteuning van mantelzorgers")
    looked = lookback_for(planned)
    # "Bereikbaarheid" comes back through the werkplaats, a joint session organisation a took
    # part in (issue 11): the network's themes carry across its sessions.
    assert {t.name for t in looked.returning} == {
        "Eén aanspreekpunt",
        "Begrijpelijke informatie",
        "Bereikbaarheid",
    }
    opening = planned.questions.order_by("position", "pk").first()
    assert opening.is_recap
    states = {item["sentence"]: item["state"] for item in opening.recap}
    assert states["U krijgt een eigen telefoonnummer voor schuldhulp."] == "Gaat niet door"
    assert "Spiegelgesprek Ondersteuning van mantelzorgers" in demo  # printed with the links

    second = Session.objects.get(title="Spiegelgesprek Jeugdhulp: de eerste maand")
    returning = returning_theme_ids(second)
    assert second.findings.filter(theme__in=returning, theme__name="Begrijpelijke informatie")

    links = FollowLink.objects.active()
    assert links.count() == 2 and links.filter(wants_mail=True).count() == 1
    link = links.get(wants_mail=True)
    assert f"/u/{link.token}/" in demo
    page = client.get(f"/u/{link.token}/").content.decode()
    assert "Gaat niet door" in page and "het gewone nummer van de gemeente" in page


def test_listeners_wrote_leervragen_and_reflections_some_shared(demo):
    from findings.models import ImprovementAction, ListenerLearning

    closed = Session.objects.get(status=Status.CLOSED)
    learnings = list(ListenerLearning.objects.filter(session=closed))
    assert len(learnings) == 3
    assert any(item.has_reflection and item.shared for item in learnings)
    assert any(item.has_reflection and not item.shared for item in learnings)
    assert all(item.questions for item in learnings)
    planned = Session.objects.get(status=Status.PLANNED, organisations__name=ORG_A)
    assert not any(item.has_reflection for item in planned.learnings.all())
    assert planned.learnings.exists()
    assert ImprovementAction.objects.filter(from_reflection=True, status="done").exists()
    assert ImprovementAction.objects.filter(from_reflection=True, status="open").exists()


def test_the_werkplaats_of_three_municipalities_takes_its_actions_home_apart(demo):
    """Issue 11: one joint session of the network's three municipalities; each recruited its
    own residents and owns its own actions, and its themes live at the network."""
    from findings.models import ImprovementAction, Theme

    session = Session.objects.get(title=WERKPLAATS)
    names = set(session.organisations.values_list("name", flat=True))
    assert names == {ORG_A, ORG_B, ORG_C}
    recruited = session.panel_members.values_list("recruited_by__name", flat=True)
    assert sorted(set(recruited)) == sorted(names)
    owners = ImprovementAction.objects.filter(session=session)
    per_organisation = {name: owners.filter(organisation__name=name).count() for name in names}
    assert per_organisation == {ORG_B: 2, ORG_A: 2, ORG_C: 3}
    for action in owners.select_related("organisation", "owner"):
        assert Membership.objects.filter(user=action.owner, organisation=action.organisation)
    network = Organisation.objects.get(name="Werkplaats Sociaal Domein Nieuwe Waterweg")
    assert not Theme.objects.exclude(organisation=network).exists()
    assert session.findings.filter(theme__organisation=network).exists()
