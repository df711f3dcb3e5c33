"""`manage.py demo --scale N`: N sessions of history, bulk-inserted, that honour every rule."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from findings.constants import CLOSED_STATUSES, FindingKind
from findings.demo import scale
from findings.demo.world import DEMO_TITLES
from findings.models import (
    ActionUpdate,
    Debrief,
    FeedbackLetter,
    Finding,
    ImprovementAction,
    Lesson,
    Theme,
    theme_home,
)
from participants.constants import RecruitmentStatus, Role
from participants.models import (
    Listener,
    Membership,
    Organisation,
    PanelMember,
    PanelMemberContact,
    User,
)
from sessions.constants import Status
from sessions.models import Evaluation, Question, Rule, Session
from tests.fixtures import seed_defaults

N = 20


def run(*args):
    out = StringIO()
    call_command("demo", "--force", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """The demo world plus N scale sessions, built once per module and rolled back after; each
    test (with `db`) runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_defaults()  # a browser test's flush before this module wipes the seeded rules
        output = run("--scale", str(N), "--scale-seed", "7")
        try:
            yield output
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def sessions(scaled, db):
    return Session.objects.exclude(title__in=DEMO_TITLES).order_by("pk")


def test_reports_what_it_added(scaled):
    assert f"{N} gesprekken" in scaled
    assert "per seconde" in scaled


def test_every_session_has_the_promised_shape(sessions):
    assert sessions.count() == N
    statuses = Counter(sessions.values_list("status", flat=True))
    assert statuses[Status.CLOSED] > N / 2  # mostly history
    assert not statuses[Status.LIVE]
    for session in sessions.prefetch_related("panel_members", "listeners", "questions"):
        members = list(session.panel_members.all())
        assert sorted(m.number for m in members) == list(range(1, 7))
        assert session.panel_counter == 6
        listeners = list(session.listeners.all())
        assert len(listeners) == 5
        assert 1 <= sum(listener.user_id is None for listener in listeners) <= 2
        assert sorted(q.position for q in session.questions.all()) == list(range(1, 8))
        findings = session.findings.count()
        if session.status in (Status.DEBRIEF, Status.CLOSED):
            assert 8 <= findings <= 12
            assert Debrief.objects.filter(session=session).exists()
            assert session.rules.exists()
        else:
            assert findings == 0
            assert not session.actions.exists()


def test_lifecycle_moments_are_in_order(sessions):
    for session in sessions:
        if session.status != Status.DRAFT:
            assert session.created_at < session.planned_at
            assert session.facilitator_id and session.starts_at and session.theme
        if session.status in (Status.DEBRIEF, Status.CLOSED):
            assert session.planned_at < session.live_at < session.ended_at
            for finding in session.findings.all():
                assert session.live_at <= finding.created_at <= session.ended_at
        if session.status == Status.CLOSED:
            assert session.ended_at < session.closed_at
            # Contacts are kept only while the retention term runs.
            has_contacts = PanelMemberContact.objects.filter(panel_member__session=session)
            assert has_contacts.exists() == (session.contacts_purged_at is None)


def test_every_row_passes_full_clean(sessions):
    models = [
        Session,
        PanelMember,
        PanelMemberContact,
        Listener,
        Question,
        Rule,
        Finding,
        Theme,
        Debrief,
        Lesson,
        ImprovementAction,
        ActionUpdate,
        FeedbackLetter,
        Evaluation,
        User,
        Membership,
        Organisation,
    ]
    for model in models:
        rows = list(model.objects.order_by("?")[:40])
        assert rows, model
        for row in rows:
            row.full_clean()


def test_actions_follow_the_rules_of_the_service(sessions):
    actions = ImprovementAction.objects.filter(session__in=sessions)
    assert {a.status for a in actions} >= {"open", "in_progress", "done"}
    for action in actions.prefetch_related("findings", "co_owners", "updates"):
        findings = list(action.findings.all())
        assert findings and all(f.session_id == action.session_id for f in findings)
        assert action.due_date >= action.created_at.date()
        assert action.owner_id not in {u.pk for u in action.co_owners.all()}
        if action.status in CLOSED_STATUSES:
            assert action.closing_note.strip() and action.closed_at
        else:
            assert action.closed_at is None
        log = sorted(action.updates.all(), key=lambda u: (u.created_at, u.pk))
        assert log[0].new_status == "open"
        changes = [u.new_status for u in log if u.new_status]
        assert changes[-1] == action.status
        for update in log[1:]:
            if update.new_status:
                assert update.old_status and update.old_status != update.new_status


def test_people_are_where_they_belong(sessions):
    for session in sessions.prefetch_related("listeners", "panel_members"):
        users = [listener.user_id for listener in session.listeners.all() if listener.user_id]
        assert len(users) == len(set(users))
        assert not set(users) & {session.facilitator_id, session.co_facilitator_id}
        attended = {m.pk for m in session.panel_members.all() if m.status == "attended"}
        for finding in session.findings.all():
            assert finding.speaker_id is None or finding.speaker_id in attended
            if finding.kind == FindingKind.LATER:
                assert finding.speaker_id is None and finding.theme_id is None
            if finding.theme_id:
                assert finding.theme.organisation == theme_home(session)
        for member in session.panel_members.all():
            consent = member.status != RecruitmentStatus.INVITED and (
                member.status != RecruitmentStatus.CANCELLED
            )
            assert member.consent_participation == consent
    evaluations = Evaluation.objects.filter(session__in=sessions)
    assert evaluations.filter(responded_at__isnull=False).exists()
    assert all((e.panel_member_id is None) != (e.listener_id is None) for e in evaluations)


def test_themes_recur_within_an_organisation(sessions):
    themed = Finding.objects.filter(session__in=sessions, theme__isnull=False)
    per_theme = Counter(
        themed.values_list("theme_id", "session_id").distinct().values_list("theme_id", flat=True)
    )
    assert max(per_theme.values()) >= 2


def test_themes_live_at_the_network_and_return_across_partners(sessions):
    """Issue 11: the hosts share the demo's network, so their themes are its themes and one
    theme comes back in sessions of different organisations."""
    themed = Finding.objects.filter(session__in=sessions, theme__isnull=False)
    assert {f.theme.organisation.kind for f in themed.select_related("theme__organisation")} == {
        "netwerk"
    }
    hosts_per_theme = Counter(
        themed.values_list("theme_id", "session__organisations")
        .distinct()
        .values_list("theme_id", flat=True)
    )
    assert max(hosts_per_theme.values()) >= 2


def test_the_demo_users_see_a_large_share(sessions):
    coordinator = User.objects.get(username="coordinator")
    listener = User.objects.get(username="listener")
    seen = Session.objects.for_user(coordinator).filter(pk__in=sessions)
    assert seen.count() >= N / 4
    assert Session.objects.for_user(listener).filter(pk__in=sessions).exists()
    home = Membership.objects.get(user=coordinator, role=Role.COORDINATOR).organisation
    counts = Counter(
        Session.organisations.through.objects.filter(session__in=sessions).values_list(
            "organisation__name", flat=True
        )
    )
    assert counts.most_common(1)[0][0] == home.name


def test_pages_answer_for_the_coordinator(sessions):
    client = Client()
    client.force_login(User.objects.get(username="coordinator"))
    closed = (
        Session.objects.for_user(User.objects.get(username="coordinator"))
        .filter(pk__in=sessions, status=Status.CLOSED)
        .first()
    )
    urls = [
        "/",
        "/sessions/",
        "/actions/",
        reverse("session_detail", args=[closed.pk]),
        reverse("debrief", args=[closed.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_running_again_adds_another_n_with_new_people(sessions):
    before = Session.objects.count(), User.objects.count()
    output = run("--scale", "3", "--scale-seed", "7")
    assert "ronde 2" in output
    assert Session.objects.count() == before[0] + 3
    assert User.objects.count() > before[1]


def test_the_same_seed_gives_the_same_sessions(sessions):
    def build():
        with transaction.atomic():
            Session.objects.filter(pk__in=sessions).delete()
            User.objects.filter(username__contains="-1-").delete()
            result = scale.build_scale(5, seed=3)
            shape = list(
                Session.objects.exclude(title__in=DEMO_TITLES)
                .order_by("pk")
                .values_list("title", "status", "starts_at")
            )
            transaction.set_rollback(True)
        return result.run, shape

    assert build() == build()


def test_refuses_a_negative_scale(scaled, db):
    with pytest.raises(CommandError):
        run("--scale", "-1")
