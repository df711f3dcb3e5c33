"""Sign-in (participants.security, participants.middleware, participants.signin): who must
have a second factor, what happens until they have one, logging in by username or e-mail,
the lockout, the password reset, and single sign-on that only opens invited accounts."""

import logging
import re
from urllib.parse import urlsplit

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import RequestFactory

from participants.constants import Role
from participants.security import MFA_ROLES, requires_mfa
from participants.signin import SocialAccountAdapter
from tests.factories import PASSWORD, MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SETUP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def mfa_required(settings):
    settings.SPIEGEL_REQUIRE_MFA = True


# — who must have a second factor —


def test_the_roles_that_see_contact_details_are_the_roles_that_need_a_second_factor():
    # The beheerder invites people and reads the access log, which names clients' pseudonyms
    # beside who viewed their contact details.
    assert {Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN} == MFA_ROLES


@pytest.mark.parametrize(
    ("role", "needs"),
    [
        (Role.FACILITATOR, True),
        (Role.COORDINATOR, True),
        (Role.ADMIN, True),
        (Role.PROFESSIONAL, False),
    ],
)
def test_requires_mfa_follows_the_role(role, needs):
    user = UserFactory()
    MembershipFactory(user=user, role=role)

    assert requires_mfa(user) is needs


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_and_superusers_need_a_second_factor(flag):
    assert requires_mfa(UserFactory(**{flag: True}))


def test_a_professional_who_facilitates_a_session_needs_a_second_factor():
    professional = UserFactory()
    MembershipFactory(user=professional, role=Role.PROFESSIONAL)
    co_facilitator = UserFactory()
    SessionFactory(facilitator=UserFactory(), co_facilitator=co_facilitator)
    SessionFactory(facilitator=professional)

    assert requires_mfa(professional)
    assert requires_mfa(co_facilitator)


def test_anonymous_visitors_and_users_without_a_role_need_none():
    assert not requires_mfa(AnonymousUser())
    assert not requires_mfa(UserFactory())


# — until they have one, they can only set it up —


def coordinator():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.COORDINATOR)
    return user


def test_a_coordinator_without_a_second_factor_is_sent_to_set_it_up(client, mfa_required):
    user = coordinator()
    assert log_in(client, user.username)["Location"] == "/"

    for path in ("/", "/sessions/", "/actions/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SETUP, path
    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert "tweestapsverificatie" in setup.text.lower()


def test_the_setup_asks_for_the_password_again_when_the_login_is_not_recent(client, mfa_required):
    client.force_login(coordinator())  # no record of a login just now

    setup = client.get(SETUP, follow=True)

    # Binding an authenticator app then asks for the password once more; that page is open.
    assert setup.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert setup.status_code == 200


def test_htmx_requests_are_sent_to_the_setup_as_a_whole_page(client, mfa_required):
    client.force_login(coordinator())

    response = client.get("/sessions/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == SETUP


def test_logging_out_stays_possible_without_a_second_factor(client, mfa_required):
    client.force_login(coordinator())

    response = client.post("/accounts/logout/")

    assert urlsplit(response["Location"]).path == LOGIN
    assert "_auth_user_id" not in client.session


def test_with_a_second_factor_the_coordinator_goes_on(client, mfa_required):
    user = coordinator()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)

    assert client.get("/").status_code == 200


def test_the_check_costs_no_query_once_it_has_passed(client, mfa_required):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = coordinator()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    client.get("/healthz")  # checks once, and remembers it in the session

    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "mfa_authenticator" not in sql
    assert "participants_membership" not in sql


def test_a_professional_needs_no_second_factor(client, mfa_required):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.PROFESSIONAL)
    client.force_login(user)

    assert client.get("/").status_code == 200


def test_the_requirement_can_be_switched_off(client, settings):
    settings.SPIEGEL_REQUIRE_MFA = False
    client.force_login(coordinator())

    assert client.get("/").status_code == 200


def test_the_requirement_is_on_unless_switched_off():
    from spiegel import settings as project_settings

    assert project_settings.SPIEGEL_REQUIRE_MFA is True


def test_who_needs_a_second_factor_cannot_switch_it_off(client, mfa_required):
    user = coordinator()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)

    client.post("/accounts/2fa/totp/deactivate/")

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# — logging in —


def log_in(client, login, password=PASSWORD):
    return client.post(LOGIN, {"username": login, "password": password})


@pytest.mark.parametrize("login", ["anna", "anna@example.nl", "ANNA@example.nl"])
def test_users_log_in_with_their_username_or_their_email_address(client, login):
    UserFactory(username="anna", email="anna@example.nl")

    response = log_in(client, login)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_login_form_keeps_its_field_names(client):
    page = client.get(LOGIN).text

    assert 'name="username"' in page
    assert 'id="id_username"' in page
    assert 'name="password"' in page
    assert "Wachtwoord vergeten?" in page
    assert "/accounts/password/reset/" in page


def test_the_login_page_speaks_english_when_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(LOGIN).text

    assert "Username or e-mail address" in page
    assert "Forgotten your password?" in page


# — the lockout —


def test_five_wrong_passwords_lock_the_account_with_a_dutch_message(client, caplog):
    UserFactory(username="anna")
    caplog.set_level(logging.WARNING, logger="spiegel.signin")

    for _ in range(5):
        assert "Voer een juiste gebruikersnaam" in log_in(client, "anna", "fout").text
    refused = log_in(client, "anna")  # even the right password, now

    assert refused.status_code == 200
    assert "Te veel mislukte pogingen om in te loggen" in refused.text
    assert "15 minuten" in refused.text
    assert "_auth_user_id" not in client.session
    failures = [r for r in caplog.records if "sign-in failed" in r.getMessage()]
    lockouts = [r for r in caplog.records if "locked out" in r.getMessage()]
    assert len(failures) == 5
    assert "login='anna'" in failures[0].getMessage()
    assert "ip=127.0.0.1" in failures[0].getMessage()
    assert len(lockouts) == 1


def test_the_lock_holds_for_the_email_address_of_the_same_account_too(client):
    UserFactory(username="anna", email="anna@example.nl")
    for _ in range(5):
        log_in(client, "anna@example.nl", "fout")

    assert "Te veel mislukte pogingen" in log_in(client, "anna@example.nl").text


def test_one_address_trying_many_accounts_is_locked_out(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/15m/ip,5/15m/key"}
    for name in ("anna", "bert", "carla", "daan"):
        UserFactory(username=name)
    for name in ("anna", "bert", "carla"):
        log_in(client, name, "fout")

    assert "Te veel mislukte pogingen" in log_in(client, "daan").text


def test_behind_the_load_balancer_the_address_it_saw_counts(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/15m/ip,5/15m/key"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for name in ("anna", "bert", "carla", "daan"):
        UserFactory(username=name)

    def from_address(name, address, password="fout"):
        # A client may send any X-Forwarded-For; the balancer appends what it saw.
        forwarded = f"10.9.9.9, {address}"
        data = {"username": name, "password": password}
        return client.post(LOGIN, data, headers={"X-Forwarded-For": forwarded})

    for name, address in (("anna", "192.0.2.1"), ("bert", "192.0.2.2"), ("carla", "192.0.2.3")):
        from_address(name, address)
    assert from_address("daan", "192.0.2.4", PASSWORD).status_code == 302
    client.logout()
    for name in ("anna", "bert", "carla"):
        from_address(name, "198.51.100.7")
    assert "Te veel mislukte pogingen" in from_address("daan", "198.51.100.7", PASSWORD).text


def test_a_good_login_does_not_count_as_a_failure(client):
    UserFactory(username="anna")
    for _ in range(4):
        log_in(client, "anna", "fout")
    assert log_in(client, "anna").status_code == 302
    client.logout()

    assert log_in(client, "anna").status_code == 302


def test_five_wrong_codes_lock_the_second_step_too_and_are_logged(client, caplog):
    user = UserFactory(username="anna")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    caplog.set_level(logging.WARNING, logger="spiegel.signin")
    assert log_in(client, "anna")["Location"] == "/accounts/2fa/authenticate/"

    for _ in range(5):
        wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert wrong.status_code == 200
    right = pyotp.TOTP(secret).now()
    refused = client.post("/accounts/2fa/authenticate/", {"code": right})

    assert "Te veel mislukte pogingen om in te loggen" in refused.text
    assert "_auth_user_id" not in client.session
    messages = [r.getMessage() for r in caplog.records]
    assert sum("wrong code" in m for m in messages) == 5
    assert any("locked out" in m and f"user={user.pk}" in m for m in messages)


# — password reset and change —


def reset_link(message):
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)[1]


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(username="anna", email="anna@example.nl")

    response = client.post("/accounts/password/reset/", {"email": "anna@example.nl"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.nl"]
    assert message.subject.startswith("Spiegel: ")
    assert "wachtwoord" in message.body.lower()  # Dutch
    form_url = client.get(reset_link(message), follow=True).redirect_chain[-1][0]
    new = "Spiegelgesprek-2026!"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_new_password_must_pass_django_s_validators_in_dutch(client):
    UserFactory(username="anna", email="anna@example.nl")
    client.post("/accounts/password/reset/", {"email": "anna@example.nl"})
    form_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"password1": "12345", "password2": "12345"})

    assert response.status_code == 200
    assert "Dit wachtwoord is te kort. Het moet minstens 8 tekens bevatten." in response.text
    assert "Dit wachtwoord bevat alleen cijfers." in response.text


def test_a_password_reset_for_an_unknown_address_mails_nobody(client):
    response = client.post("/accounts/password/reset/", {"email": "niemand@example.nl"})

    assert response.status_code == 302  # the same answer: nobody learns who has an account
    assert mail.outbox == []


def test_a_password_reset_lifts_the_lock(client):
    UserFactory(username="anna", email="anna@example.nl")
    for _ in range(5):
        log_in(client, "anna@example.nl", "fout")
    client.post("/accounts/password/reset/", {"email": "anna@example.nl"})
    form_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    new = "Spiegelgesprek-2026!"
    client.post(form_url, {"password1": new, "password2": new})

    assert log_in(client, "anna@example.nl", new).status_code == 302


# — single sign-on only opens invited accounts —


def sociallogin(email, *, verified=True):
    account = SocialAccount(provider="sso", uid=f"uid-{email}")
    return SocialLogin(
        account=account,
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )


@pytest.fixture
def sso_request(client):
    request = RequestFactory().get("/accounts/oidc/sso/login/callback/")
    request.session = client.session
    request.user = AnonymousUser()
    return request


def test_sign_up_through_single_sign_on_is_closed(sso_request):
    assert (
        SocialAccountAdapter().is_open_for_signup(sso_request, sociallogin("x@example.nl")) is False
    )


def test_a_verified_address_of_an_invited_user_finds_that_user():
    anna = UserFactory(email="Anna@Example.nl")

    assert SocialAccountAdapter().invited_user_for(sociallogin("anna@example.nl")) == anna


@pytest.mark.parametrize("case", ["unknown", "unverified", "inactive", "shared"], ids=lambda c: c)
def test_no_account_is_opened_when_the_address_does_not_point_at_one_invited_user(case):
    UserFactory(email="anna@example.nl", is_active=case != "inactive")
    if case == "shared":
        UserFactory(email="ANNA@example.nl")
    email = "bert@example.nl" if case == "unknown" else "anna@example.nl"

    login = sociallogin(email, verified=case != "unverified")

    assert SocialAccountAdapter().invited_user_for(login) is None


def test_an_installation_may_trust_its_own_tenant_s_addresses(settings):
    settings.OIDC_TRUST_EMAIL = True
    anna = UserFactory(email="anna@example.nl")

    assert (
        SocialAccountAdapter().invited_user_for(sociallogin("anna@example.nl", verified=False))
        == anna
    )


def test_a_refused_single_sign_on_answers_403_in_dutch_and_is_logged(sso_request, caplog):
    caplog.set_level(logging.WARNING, logger="spiegel.signin")

    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(sso_request, sociallogin("onbekend@example.nl"))

    assert refused.value.response.status_code == 403
    assert "geen account met uw e-mailadres" in refused.value.response.content.decode()
    assert "onbekend@example.nl" in caplog.text
    assert not SocialAccount.objects.exists()


# — the counters' home —


def test_migrate_makes_the_table_of_the_database_cache(settings):
    from django.db import connection

    from participants.apps import create_cache_table

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "spiegel_cache_check",
        }
    }

    create_cache_table(using="default", verbosity=0)

    assert "spiegel_cache_check" in connection.introspection.table_names()


def test_production_keeps_the_counters_in_the_database_cache():
    from spiegel import settings as project_settings

    cache = project_settings.CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
