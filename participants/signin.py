"""Sign-in through django-allauth, shaped for Spiegel (docs/decisions.md "Sign-in").

- Accounts are invited by a beheerder, never made by signing up: both adapters close sign-up.
- The login form takes a username or an e-mail address, in the fields `username` and
  `password` that users' password managers and the tests already know.
- Failed sign-ins, lockouts and refused single sign-ons go to the `spiegel.signin` logger
  (who tried, from where), for the installation's security monitoring.
- Single sign-on (OpenID Connect) only opens an account that already exists: the identity
  provider's verified e-mail address must belong to exactly one active user.
"""

import logging
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from participants.security import requires_mfa

logger = logging.getLogger("spiegel.signin")

WRONG_CREDENTIALS = _("Voer een juiste gebruikersnaam of e-mailadres en wachtwoord in.")
LOCKED_OUT = _(
    "Te veel mislukte pogingen om in te loggen. Uit veiligheid kunt u het pas over "
    "%(minutes)s minuten opnieuw proberen. Weet u uw wachtwoord niet meer? Kies dan "
    "‘Wachtwoord vergeten’."
)


def client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except Exception:  # noqa: BLE001 - a log line must never break a login
        return request.META.get("REMOTE_ADDR", "?")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": WRONG_CREDENTIALS,
        "email_password_mismatch": WRONG_CREDENTIALS,
        "too_many_login_attempts": _(
            "Te veel mislukte pogingen om in te loggen. Probeer het later opnieuw."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def validation_error(self, code, *args):
        if code == "too_many_login_attempts":
            return ValidationError(
                LOCKED_OUT, code=code, params={"minutes": settings.SIGNIN_LOCKOUT_MINUTES}
            )
        return super().validation_error(code, *args)

    def is_reauthentication_required(self, *, app, **kwargs):
        """For the second factor, a login of the last few minutes counts as a recent
        authentication, as an explicit reauthentication would. So the setup people are sent
        to right after logging in (RequireMFAMiddleware), and its recovery codes, ask for no
        password again; and users who only sign on through their organisation, who have no
        password to give, can set it up at all. Later changes still ask."""
        if app == "allauth.mfa" and self._logged_in_just_now():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    @staticmethod
    def _logged_in_just_now():
        from allauth.account.internal.flows.login import get_authentication_records

        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        records = get_authentication_records(request, user)
        if not records:
            return False
        return time.time() - records[0]["at"] < account_settings.REAUTHENTICATION_TIMEOUT

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            logger.warning(
                "sign-in refused, locked out: login=%r ip=%s",
                _login_of(credentials),
                client_ip(request),
            )
            raise

    def authentication_failed(self, request, **credentials):
        logger.warning("sign-in failed: login=%r ip=%s", _login_of(credentials), client_ip(request))


def _login_of(credentials) -> str:
    return str(credentials.get("username") or credentials.get("email") or "")[:150]


class SignInForm(LoginForm):
    """allauth's login form under the field names Spiegel's login always had: `username`
    (a username or an e-mail address) and `password`. allauth keeps calling the first one
    `login` inside; only the name in the HTML changes."""

    field_names = {"login": "username"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Gebruikersnaam of e-mailadres")
        field.widget.attrs.update({"autocomplete": "username", "autofocus": True})
        field.widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""

    def add_prefix(self, field_name):
        return super().add_prefix(self.field_names.get(field_name, field_name))


class SecondFactorForm(AuthenticateForm):
    """allauth's code form after the password, logging wrong codes and the lockout (the
    same `login_failed` limit counts wrong codes per user)."""

    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError as error:
            what = "locked out" if error.code == "too_many_login_attempts" else "wrong code"
            logger.warning(
                "second factor refused, %s: user=%s ip=%s",
                what,
                self.user.pk,
                client_ip(context.request),
            )
            raise


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """Who must have a second factor cannot switch it off (they can replace it by
        generating new recovery codes, or have a beheerder reset it)."""
        if settings.SPIEGEL_REQUIRE_MFA and requires_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on opens existing, invited accounts only: never a new account, never
    rights of its own."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            return  # connected before, by the rule below
        user = self.invited_user_for(sociallogin)
        if user is None:
            emails = [address.email for address in sociallogin.email_addresses]
            logger.warning(
                "single sign-on refused, no invited account: provider=%s emails=%r ip=%s",
                sociallogin.account.provider,
                emails,
                client_ip(request),
            )
            raise ImmediateHttpResponse(render(request, "account/sso_refused.html", status=403))
        logger.info(
            "single sign-on connected to user=%s provider=%s", user.pk, sociallogin.account.provider
        )
        sociallogin.connect(request, user)

    def invited_user_for(self, sociallogin):
        """The one active user whose e-mail address the identity provider vouches for."""
        trusted = settings.OIDC_TRUST_EMAIL
        emails = {
            address.email.strip().lower()
            for address in sociallogin.email_addresses
            if address.email and (address.verified or trusted)
        }
        if not emails:
            return None
        users = {
            user
            for email in emails
            for user in get_user_model().objects.filter(is_active=True, email__iexact=email)
        }
        return users.pop() if len(users) == 1 else None
