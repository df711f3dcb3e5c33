"""Organisations run themselves (issue 10): beheerders invite, change roles, remove; a platform
beheerder creates organisations; nothing needs /admin/."""

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from participants.constants import INVITATION_DAYS, Role, RoleChangeKind
from participants.models import Invitation, Membership, Organisation, RoleChange, User
from sessions.models import LibraryQuestion, Rule, Session
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    QuestionFactory,
    SessionFactory,
    UserFactory,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Spiegel-Wachtwoord-2026!"
LINK = re.compile(r"https?://\S+/invitation/\S+/")


@pytest.fixture
def org():
    return OrganisationFactory(name="Gemeente Alfa", network=NetworkFactory(name="Netwerk Zuid"))


@pytest.fixture
def beheerder(org):
    return MembershipFactory(organisation=org, role=Role.ADMIN, user__username="beheerder").user


@pytest.fixture
def admin_client(client, beheerder):
    return login(client, beheerder)


def invite(client, org, email="nieuw@example.nl", role=Role.PROFESSIONAL, **extra):
    data = {"email": email, "role": role, "first_name": "", "last_name": "", **extra}
    return client.post(f"/organisations/{org.pk}/", data)


def link_in_last_mail():
    return LINK.search(mail.outbox[-1].body).group(0)


def activate(client, url, password=NEW_PASSWORD, **extra):
    data = {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "password1": password,
        "password2": password,
        **extra,
    }
    return client.post(url, data)


# — the beheerder's pages —


def test_beheerder_sees_members_with_roles_and_last_login(admin_client, org, beheerder):
    colleague = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    User.objects.filter(pk=colleague.pk).update(last_login=timezone.now())
    newcomer = MembershipFactory(organisation=org, role=Role.PROFESSIONAL).user

    response = admin_client.get(f"/organisations/{org.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert str(colleague) in page and str(newcomer) in page
    assert "Coördinator" in page
    assert "nooit" in page  # the newcomer never logged in


def test_member_who_is_not_beheerder_is_refused_with_the_reason(client, org):
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user

    response = login(client, coordinator).get(f"/organisations/{org.pk}/")

    assert response.status_code == 403
    assert "beheerders" in response.content.decode()


def test_outsider_gets_404_for_an_organisation(client, org):
    outsider = MembershipFactory(role=Role.ADMIN).user

    assert login(client, outsider).get(f"/organisations/{org.pk}/").status_code == 404


@pytest.mark.parametrize("pk", ["0", "99999999999999999999"])
def test_hostile_ids_are_404_not_500(admin_client, org, pk):
    for path in [
        f"/organisations/{pk}/",
        f"/organisations/{org.pk}/members/{pk}/roles/",
        f"/organisations/{org.pk}/members/{pk}/remove/",
        f"/organisations/{org.pk}/invitations/{pk}/withdraw/",
        f"/organisations/{org.pk}/rules/{pk}/",
        f"/organisations/{org.pk}/library/{pk}/",
    ]:
        method = (
            admin_client.post if "/members/" in path or "withdraw" in path else admin_client.get
        )
        assert method(path).status_code == 404, path


# — inviting and activating —


def test_invitation_mails_a_one_time_link_that_activates_the_account(
    admin_client, client, org, django_capture_on_commit_callbacks
):
    response = invite(admin_client, org, role=Role.FACILITATOR)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@example.nl"]
    url = link_in_last_mail()
    admin_client.logout()

    page = client.get(url)
    assert page.status_code == 200
    assert "Gemeente Alfa" in page.content.decode()
    response = activate(client, url)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    user = User.objects.get(email="nieuw@example.nl")
    assert user.is_active and user.check_password(NEW_PASSWORD)
    assert (user.first_name, user.last_name) == ("Nina", "Nieuw")
    assert Membership.objects.filter(user=user, organisation=org, role=Role.FACILITATOR).exists()
    assert client.login(username=user.username, password=NEW_PASSWORD)
    # Once only.
    client.logout()
    again = client.get(url)
    assert again.status_code == 404
    assert "al gebruikt" in again.content.decode()


def test_activation_refuses_a_weak_password_with_djangos_validators(admin_client, client, org):
    invite(admin_client, org)
    url = link_in_last_mail()

    response = activate(client, url, password="12345678")

    assert response.status_code == 200
    assert "Dit wachtwoord is te algemeen" in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_activation_link_expires(admin_client, client, org):
    invite(admin_client, org)
    url = link_in_last_mail()

    later = timezone.now() + timezone.timedelta(days=INVITATION_DAYS, hours=1)
    with time_machine.travel(later):
        response = client.get(url)

    assert response.status_code == 404
    assert "verlopen" in response.content.decode()


@pytest.mark.parametrize("token", ["x", "eyJpIjoxfQ:1abc:tampered", "%00", "9" * 300])
def test_a_forged_or_broken_link_is_refused_without_a_500(client, token):
    response = client.get(f"/invitation/{token}/")

    assert response.status_code == 404
    assert "ongeldig" in response.content.decode()


def test_a_withdrawn_invitation_no_longer_works(admin_client, client, org):
    invite(admin_client, org)
    url = link_in_last_mail()
    invitation = Invitation.objects.get()

    admin_client.post(f"/organisations/{org.pk}/invitations/{invitation.pk}/withdraw/")

    assert "ingetrokken" in client.get(url).content.decode()


def test_inviting_an_existing_member_is_refused(admin_client, org):
    member = MembershipFactory(organisation=org, role=Role.PROFESSIONAL).user

    response = invite(admin_client, org, email=member.email.upper())

    assert response.status_code == 200
    assert "is al lid van Gemeente Alfa" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_active_account_of_another_organisation_gives_the_role_at_once(
    admin_client, org
):
    elsewhere = MembershipFactory(role=Role.FACILITATOR).user

    invite(admin_client, org, email=elsewhere.email, role=Role.PROFESSIONAL)

    assert Membership.objects.filter(user=elsewhere, organisation=org).exists()
    assert mail.outbox[-1].to == [elsewhere.email]
    assert not Invitation.objects.exists()


def test_invite_form_refuses_bad_input_in_dutch(admin_client, org):
    response = invite(admin_client, org, email="geen-adres", role="koning")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in." in page
    assert "koning is geen beschikbare keuze" in page


# — roles and removal —


def test_beheerder_changes_a_role(admin_client, org, beheerder):
    colleague = MembershipFactory(organisation=org, role=Role.PROFESSIONAL).user

    prefix = f"m{colleague.pk}"
    admin_client.post(
        f"/organisations/{org.pk}/members/{colleague.pk}/roles/",
        {f"{prefix}-roles": [Role.COORDINATOR, Role.FACILITATOR]},
    )

    assert set(colleague.memberships.values_list("role", flat=True)) == {
        Role.COORDINATOR,
        Role.FACILITATOR,
    }
    assert RoleChange.objects.filter(
        user=colleague, kind=RoleChangeKind.ENDED, role=Role.PROFESSIONAL, by=beheerder
    ).exists()


def test_removing_someone_keeps_their_history_and_ends_their_access_at_once(admin_client, org):
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    session = SessionFactory(organisations=[org], created_by=coordinator)
    client = login(Client(), coordinator)
    assert client.get(f"/sessions/{session.pk}/").status_code == 200

    admin_client.post(f"/organisations/{org.pk}/members/{coordinator.pk}/remove/")

    coordinator.refresh_from_db()
    assert not coordinator.is_active  # deactivated, never deleted
    assert Session.objects.get(pk=session.pk).created_by == coordinator
    assert RoleChange.objects.filter(user=coordinator, kind=RoleChangeKind.DEACTIVATED).exists()
    # Their open browser session stops working on the very next request.
    response = client.get(f"/sessions/{session.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_removing_someone_with_another_membership_keeps_the_account(admin_client, client, org):
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    MembershipFactory(user=coordinator, role=Role.PROFESSIONAL)
    session = SessionFactory(organisations=[org])

    admin_client.post(f"/organisations/{org.pk}/members/{coordinator.pk}/remove/")

    coordinator.refresh_from_db()
    assert coordinator.is_active
    assert login(client, coordinator).get(f"/sessions/{session.pk}/").status_code == 404


def test_removing_the_last_beheerder_is_refused(admin_client, org, beheerder):
    response = admin_client.post(
        f"/organisations/{org.pk}/members/{beheerder.pk}/remove/", follow=True
    )

    assert "de laatste beheerder" in response.content.decode()
    assert Membership.objects.filter(user=beheerder, role=Role.ADMIN).exists()


def test_taking_the_last_beheerder_role_away_is_refused(admin_client, org, beheerder):
    admin_client.post(
        f"/organisations/{org.pk}/members/{beheerder.pk}/roles/",
        {f"m{beheerder.pk}-roles": [Role.COORDINATOR]},
    )

    assert Membership.objects.filter(user=beheerder, role=Role.ADMIN).exists()


def test_roles_form_refuses_unknown_roles_and_none(admin_client, org):
    colleague = MembershipFactory(organisation=org, role=Role.PROFESSIONAL).user
    path = f"/organisations/{org.pk}/members/{colleague.pk}/roles/"

    for data in [{f"m{colleague.pk}-roles": ["koning"]}, {}]:
        response = admin_client.post(path, data, follow=True)
        assert response.status_code == 200
        assert colleague.memberships.get().role == Role.PROFESSIONAL


def test_a_member_of_another_organisation_cannot_be_changed_here(admin_client, org):
    stranger = MembershipFactory(role=Role.PROFESSIONAL).user

    response = admin_client.post(f"/organisations/{org.pk}/members/{stranger.pk}/remove/")

    assert response.status_code == 404
    assert stranger.memberships.exists()


# — retention —


def test_retention_is_kept_within_its_bounds(admin_client, org):
    path = f"/organisations/{org.pk}/settings/"
    page = admin_client.get(path).content.decode()
    assert "terugkoppelingsbrief" in page

    for days, ok in [("5", False), ("99999999999999999999", False), ("abc", False), ("365", True)]:
        response = admin_client.post(path, {"retention_days": days})
        assert (response.status_code == 302) is ok, days
    org.refresh_from_db()
    assert org.retention_days == 365


# — the network —


def test_the_network_page_lists_its_partners(client, org):
    network = org.network
    OrganisationFactory(name="Gemeente Beta", network=network)
    network_admin = MembershipFactory(organisation=network, role=Role.ADMIN).user

    page = login(client, network_admin).get(f"/organisations/{network.pk}/").content.decode()

    assert "Gemeente Alfa" in page and "Gemeente Beta" in page


# — the rule set and the library —


def test_beheerder_keeps_the_rule_set(admin_client, org):
    admin_client.post(f"/organisations/{org.pk}/rules/start/")
    own = list(org.rules.order_by("position"))
    assert [r.text for r in own] == [r.text for r in Rule.objects.defaults()]

    admin_client.post(f"/organisations/{org.pk}/rules/", {"new-text": "Telefoons uit."})
    last = org.rules.order_by("-position").first()
    admin_client.post(f"/organisations/{org.pk}/rules/{last.pk}/move/", {"direction": "up"})
    admin_client.post(f"/organisations/{org.pk}/rules/{own[0].pk}/", {"text": "Welkom."})
    admin_client.post(f"/organisations/{org.pk}/rules/{own[1].pk}/delete/")

    texts = list(org.rules.order_by("position", "pk").values_list("text", flat=True))
    assert texts[0] == "Welkom."
    assert texts[-2] == "Telefoons uit."
    assert len(texts) == len(own)
    # A new session of the organisation starts from it.
    assert list(Rule.objects.template_for([org]).values_list("text", flat=True)) == texts


def test_beheerder_keeps_the_question_library(admin_client, org):
    for text in ["Eerste?", "Tweede?"]:
        admin_client.post(
            f"/organisations/{org.pk}/library/",
            {"new-text": text, "new-theme": "", "new-kind": "prepared", "new-planned_minutes": 5},
        )
    second = org.library_questions.get(text="Tweede?")
    admin_client.post(f"/organisations/{org.pk}/library/{second.pk}/move/", {"direction": "up"})

    assert list(org.library_questions.order_by("position").values_list("text", flat=True)) == [
        "Tweede?",
        "Eerste?",
    ]
    admin_client.post(f"/organisations/{org.pk}/library/{second.pk}/delete/")
    assert not org.library_questions.filter(pk=second.pk).exists()


def test_a_guide_question_is_saved_to_the_library_by_a_beheerder(client, org, beheerder):
    MembershipFactory(user=beheerder, organisation=org, role=Role.COORDINATOR)
    session = SessionFactory(organisations=[org])
    question = QuestionFactory(session=session, text="Wat hielp u het meest?")
    login(client, beheerder)
    assert "In vragenbank" in client.get(f"/sessions/{session.pk}/guide/").content.decode()

    client.post(f"/sessions/{session.pk}/guide/{question.pk}/to-library/", {"organisation": org.pk})
    again = client.post(
        f"/sessions/{session.pk}/guide/{question.pk}/to-library/",
        {"organisation": org.pk},
        follow=True,
    )

    assert LibraryQuestion.objects.filter(organisation=org, text=question.text).count() == 1
    assert "staat al in de vragenbank" in again.content.decode()


def test_the_facilitator_cannot_save_to_the_library(client, org):
    session = SessionFactory(organisations=[org])
    question = QuestionFactory(session=session)

    response = login(client, session.facilitator).post(
        f"/sessions/{session.pk}/guide/{question.pk}/to-library/", {"organisation": org.pk}
    )

    assert response.status_code == 403


# — the platform beheerder —


def test_onboarding_needs_no_admin(client):
    """Staff creates an organisation and invites its first beheerder; the beheerder activates
    and invites a facilitator; the facilitator activates and plans a session."""
    staff = UserFactory(username="platform", is_staff=True)
    staff.save()
    network = NetworkFactory(name="Netwerk West")
    login(client, staff)
    response = client.post(
        "/organisations/new/",
        {
            "name": "Gemeente Gamma",
            "kind": "gemeente",
            "network": network.pk,
            "retention_days": 180,
            "first_admin_email": "baas@gamma.nl",
            "first_admin_first_name": "Bea",
            "first_admin_last_name": "Baas",
        },
    )
    gamma = Organisation.objects.get(name="Gemeente Gamma")
    assert response.status_code == 302
    client.logout()

    activate(client, link_in_last_mail(), first_name="Bea", last_name="Baas")
    boss = User.objects.get(email="baas@gamma.nl")
    assert client.login(username=boss.username, password=NEW_PASSWORD)
    invite(client, gamma, email="leider@gamma.nl", role=Role.FACILITATOR)
    invite(client, gamma, email="coord@gamma.nl", role=Role.COORDINATOR)
    client.logout()
    activate(client, LINK.search(mail.outbox[-2].body).group(0))
    leader = User.objects.get(email="leider@gamma.nl")
    assert client.login(username=leader.username, password=NEW_PASSWORD)

    response = client.post(
        "/sessions/new/",
        {
            "title": "Eerste spiegelgesprek",
            "organisations": [gamma.pk],
            "theme": "De Wmo-aanvraag",
            "starts_at": "2030-10-01T10:00",
            "duration_minutes": "120",
            "meeting_form": "in_person",
            "location": "Stadhuis",
            "facilitator": str(leader.pk),
            "language": "nl",
        },
    )
    session = Session.objects.get(title="Eerste spiegelgesprek")
    assert response.status_code == 302
    client.post(f"/sessions/{session.pk}/status/plan/")
    session.refresh_from_db()
    assert session.status == "planned"


def test_only_staff_creates_organisations(admin_client):
    response = admin_client.get("/organisations/new/")

    assert response.status_code == 403
    assert "platformbeheerders" in response.content.decode()


def test_staff_sees_every_organisation(client, org):
    staff = UserFactory(username="platform", is_staff=True)
    staff.save()

    page = login(client, staff).get("/organisations/").content.decode()

    assert "Gemeente Alfa" in page and "Nieuwe organisatie" in page


def test_the_navigation_shows_beheer_to_beheerders_only(client, org, beheerder):
    professional = MembershipFactory(organisation=org, role=Role.PROFESSIONAL).user

    assert "Organisatiebeheer" in login(client, beheerder).get("/").content.decode()
    client.logout()
    assert "Organisatiebeheer" not in login(client, professional).get("/").content.decode()


def test_a_beheerder_logs_in_with_a_password(client, beheerder):
    assert client.login(username="beheerder", password=PASSWORD)


# — hostile input: a Dutch error, never a 500 —

NUL = "a\x00b"
LONG = "x" * 10_000


def test_hostile_text_in_the_invite_form_is_refused_in_dutch(admin_client, org):
    for data in [
        {"email": f"{NUL}@example.nl"},
        {"email": "iemand@example.nl", "first_name": LONG},
        {"email": "iemand@example.nl", "last_name": NUL},
    ]:
        response = invite(admin_client, org, **data)
        assert response.status_code == 200, data
    assert not Invitation.objects.exists()


def test_hostile_text_in_the_activation_form_is_refused_in_dutch(admin_client, client, org):
    invite(admin_client, org)
    url = link_in_last_mail()

    for extra in [{"first_name": NUL}, {"last_name": LONG}, {"password2": "anders"}]:
        response = activate(client, url, **extra)
        assert response.status_code == 200, extra
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_an_invited_address_becomes_a_lower_case_username(admin_client, client, org):
    invite(admin_client, org, email="Nina.Nieuw@Example.NL")

    activate(client, link_in_last_mail())

    assert client.login(username="nina.nieuw@example.nl", password=NEW_PASSWORD)


def test_hostile_input_in_the_create_form_is_refused(client):
    staff = UserFactory(username="platform", is_staff=True)
    login(client, staff)

    for data in [
        {"name": NUL, "kind": "gemeente", "retention_days": 180, "first_admin_email": "a@b.nl"},
        {"name": "X", "kind": "koning", "retention_days": 180, "first_admin_email": "a@b.nl"},
        {"name": "X", "kind": "gemeente", "retention_days": 1, "first_admin_email": "a@b.nl"},
        {"name": "X", "kind": "gemeente", "retention_days": 180, "first_admin_email": "nee"},
        {
            "name": "X",
            "kind": "gemeente",
            "network": "99999999999999999999",
            "retention_days": 180,
            "first_admin_email": "a@b.nl",
        },
    ]:
        response = client.post("/organisations/new/", data)
        assert response.status_code == 200, data
    assert not Organisation.objects.filter(name="X").exists()


# — a constant number of queries (DESIGN.md §9) —


def add_people(org, n):
    for i in range(n):
        member = MembershipFactory(organisation=org, role=Role.PROFESSIONAL).user
        MembershipFactory(organisation=org, role=Role.COORDINATOR, user=member)
        RoleChange.objects.create(
            user=member, organisation=org, role=Role.PROFESSIONAL, kind=RoleChangeKind.GRANTED
        )
        Invitation.objects.create(organisation=org, email=f"n{i}@example.nl", role=Role.ADMIN)
        Rule.objects.create(organisation=org, text=f"Regel {i}", position=i)
        LibraryQuestion.objects.create(organisation=org, text=f"Vraag {i}", position=i)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # session row + user + the organisation (with its network) + the user's roles in it
        # + the network's partners + members + their roles here (prefetch) + pending
        # invitations + the latest role changes (with user and by)
        ("", 9),
        # session row + user + organisation + roles + its rules (the default set only when it
        # has none of its own)
        ("rules/", 5),
        # session row + user + organisation + roles + the library
        ("library/", 5),
    ],
)
def test_the_beheer_pages_cost_a_constant_number_of_queries(
    admin_client, org, page, expected, django_assert_num_queries
):
    admin_client.get(f"/organisations/{org.pk}/{page}")  # the nav flag is remembered
    add_people(org, 3)
    with django_assert_num_queries(expected):
        admin_client.get(f"/organisations/{org.pk}/{page}")
    add_people(org, 27)
    with django_assert_num_queries(expected):
        assert admin_client.get(f"/organisations/{org.pk}/{page}").status_code == 200


def test_an_overlong_address_is_refused_not_a_database_error(admin_client, org):
    response = invite(admin_client, org, email=f"{'a' * 300}@example.nl")

    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_a_name_with_a_line_break_does_not_break_the_mail(client):
    staff = UserFactory(username="platform", is_staff=True)
    data = {
        "name": "Gemeente\nBcc: iedereen@example.nl",
        "kind": "gemeente",
        "retention_days": 180,
        "first_admin_email": "baas@example.nl",
    }

    login(client, staff).post("/organisations/new/", data)

    assert "\n" not in mail.outbox[-1].subject


def test_a_second_invitation_to_a_new_account_only_adds_the_role(admin_client, client, org):
    other = OrganisationFactory(name="Gemeente Beta")
    other_admin = MembershipFactory(organisation=other, role=Role.ADMIN).user
    invite(admin_client, org)
    first = link_in_last_mail()
    invite(login(Client(), other_admin), other, role=Role.COORDINATOR)
    second = link_in_last_mail()
    activate(client, first)

    page = client.get(second).content.decode()
    response = client.post(second)

    assert "U heeft al een account" in page
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.nl")
    assert user.check_password(NEW_PASSWORD)
    assert set(user.memberships.values_list("organisation__name", "role")) == {
        ("Gemeente Alfa", Role.PROFESSIONAL),
        ("Gemeente Beta", Role.COORDINATOR),
    }
    assert client.get(second).status_code == 404  # once


def test_the_beheer_pages_speak_english_when_chosen(admin_client, org, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = admin_client.get(f"/organisations/{org.pk}/").content.decode()

    assert "Members and their roles" in page
    assert "What the roles do" in page


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "abc", ""])
def test_a_hostile_organisation_for_the_library_is_refused(client, org, beheerder, value):
    MembershipFactory(user=beheerder, organisation=org, role=Role.COORDINATOR)
    session = SessionFactory(organisations=[org])
    question = QuestionFactory(session=session)

    response = login(client, beheerder).post(
        f"/sessions/{session.pk}/guide/{question.pk}/to-library/",
        {"organisation": value},
        follow=True,
    )

    assert response.status_code == 200
    assert "Kies de organisatie van de vragenbank." in response.content.decode()
    assert not LibraryQuestion.objects.filter(organisation=org).exists()


def test_the_library_of_another_organisation_is_refused(client, org, beheerder):
    MembershipFactory(user=beheerder, organisation=org, role=Role.COORDINATOR)
    elsewhere = OrganisationFactory()
    MembershipFactory(user=beheerder, organisation=elsewhere, role=Role.ADMIN)
    session = SessionFactory(organisations=[org])
    question = QuestionFactory(session=session)

    login(client, beheerder).post(
        f"/sessions/{session.pk}/guide/{question.pk}/to-library/", {"organisation": elsewhere.pk}
    )

    assert not LibraryQuestion.objects.filter(organisation=elsewhere).exists()
