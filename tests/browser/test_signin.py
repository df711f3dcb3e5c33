"""Signing in, in a real browser: the lockout with its Dutch message, a coordinator who must
set up a second factor after logging in and then logs in with a code, and single sign-on
against a real OpenID Connect provider (node-oidc-provider, tests/oidc/provider.mjs) that
opens only an invited account."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pyotp
import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from participants.constants import Role
from participants.models import User
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OIDC_DIR = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "spiegel-test", "een-geheim-alleen-voor-tests"


def submit(page, selector="form:has([name=password]) [type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def type_login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page)


def path_of(page):
    return urlparse(page.url).path


# — the lockout —


def test_five_wrong_passwords_lock_the_account_with_a_dutch_message(page, live_server, axe):
    UserFactory(username="anna")

    for _ in range(5):
        type_login(page, live_server, "anna", "verkeerd")
        expect(page.get_by_text("Voer een juiste gebruikersnaam")).to_be_visible()
    type_login(page, live_server, "anna", PASSWORD)

    expect(page.get_by_text("Te veel mislukte pogingen om in te loggen")).to_be_visible()
    expect(page.get_by_text("over 15 minuten opnieuw")).to_be_visible()
    assert path_of(page) == "/accounts/login/"
    assert axe(page) == []


# — a second factor for who sees contact details —


def test_a_coordinator_sets_up_totp_after_login_and_logs_in_with_a_code(
    page, live_server, settings, axe
):
    settings.SPIEGEL_REQUIRE_MFA = True
    user = UserFactory(username="carla")
    MembershipFactory(user=user, role=Role.COORDINATOR)

    type_login(page, live_server, "carla", PASSWORD)
    # Sent straight to the setup (no password again, just after logging in).
    assert path_of(page) == "/accounts/2fa/totp/activate/"
    expect(page.get_by_text("tweestapsverificatie", exact=False).first).to_be_visible()
    assert axe(page) == []
    secret = page.locator("#authenticator_secret").input_value()
    totp = pyotp.TOTP(secret)
    page.fill("#id_code", totp.now())
    submit(page, "form:has(#id_code) [type=submit]")

    assert path_of(page) == "/accounts/2fa/recovery-codes/"
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    page.goto(f"{live_server.url}/")
    assert path_of(page) == "/"  # free to go on now

    page.locator("form[action='/accounts/logout/'] [type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    type_login(page, live_server, "carla", PASSWORD)
    assert path_of(page) == "/accounts/2fa/authenticate/"
    assert axe(page) == []
    # The code of the next period (one period of clock drift is allowed): the one used for
    # the setup may not be used twice.
    page.fill("#id_code", totp.at(time.time() + 30))
    submit(page, "form:has(#id_code) [type=submit]")
    assert path_of(page) == "/"
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text(str(user))


# — single sign-on against a real provider —


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oidc_provider(live_server):
    """node-oidc-provider on 127.0.0.1, knowing the live server's callback; its issuer URL."""
    node = shutil.which("node")
    missing = (
        "node is not installed"
        if not node
        else "tests/oidc/node_modules is missing (`make test` runs `npm ci` there)"
        if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir()
        else None
    )
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    port = free_port()
    process = subprocess.Popen(
        [node, str(OIDC_DIR / "provider.mjs")],
        cwd=OIDC_DIR,
        env={
            **os.environ,
            "OIDC_PORT": str(port),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_REDIRECT_URIS": f"{live_server.url}/accounts/oidc/sso/login/callback/",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        for line in process.stdout:
            if line.startswith("ready "):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the OpenID provider did not start")
        else:
            raise RuntimeError(f"the OpenID provider ended: exit {process.wait()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def sso(settings, oidc_provider, page):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Gemeente Test",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": oidc_provider},
                }
            ],
        }
    }
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], oidc_provider],
    }
    # Nothing may load from anywhere but this machine.
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlparse(route.request.url).hostname in {"localhost", "127.0.0.1"}
            else route.abort()
        ),
    )
    return oidc_provider


def sign_in_at_the_provider(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    with page.expect_navigation(url="**/interaction/**"):
        page.get_by_role("button", name="Inloggen via Gemeente Test").click()
    page.fill("#email", email)
    with page.expect_navigation(url=f"{live_server.url}/**"):
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_single_sign_on_opens_the_invited_account_with_that_address(page, live_server, sso):
    anna = UserFactory(username="anna", email="Anna.de.Vries@gemeente.example")

    sign_in_at_the_provider(page, live_server, "anna.de.vries@gemeente.example")

    assert path_of(page) == "/"
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text(str(anna))
    account = SocialAccount.objects.get()
    assert (account.user, account.provider) == (anna, "sso")


def test_single_sign_on_refuses_an_address_without_an_account(page, live_server, sso):
    UserFactory(username="anna", email="anna@gemeente.example")
    users = User.objects.count()

    sign_in_at_the_provider(page, live_server, "onbekend@gemeente.example")

    expect(page.get_by_role("heading", name="Inloggen niet gelukt")).to_be_visible()
    expect(page.get_by_text("geen account met uw e-mailadres")).to_be_visible()
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    page.goto(f"{live_server.url}/")
    assert path_of(page) == "/accounts/login/"


def test_a_coordinator_who_signs_on_sets_up_the_second_factor_without_a_password(
    page, live_server, sso, settings
):
    settings.SPIEGEL_REQUIRE_MFA = True
    carla = UserFactory(username="carla", email="carla@gemeente.example")
    carla.set_unusable_password()  # known only through the organisation's sign-on
    carla.save(update_fields=["password"])
    MembershipFactory(user=carla, role=Role.COORDINATOR)

    sign_in_at_the_provider(page, live_server, "carla@gemeente.example")

    assert path_of(page) == "/accounts/2fa/totp/activate/"
    totp = pyotp.TOTP(page.locator("#authenticator_secret").input_value())
    page.fill("#id_code", totp.now())
    submit(page, "form:has(#id_code) [type=submit]")
    assert path_of(page) == "/accounts/2fa/recovery-codes/"
    page.goto(f"{live_server.url}/")
    assert path_of(page) == "/"
