"""Who must have a second factor and has none is sent to set it up, and may do nothing else."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.translation import gettext as _

from participants.security import lacks_required_mfa

# What a user without the required second factor may still open: setting it up (allauth's
# reauthentication, when the login is a while ago, and the recovery codes shown after it),
# logging out, the language switch.
OPEN_WHILE_SETTING_UP = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "healthz",
    }
)
# Set in the session once the user has the factor they need (or needs none), so the check
# costs no query on later requests. It lives as long as the login.
SESSION_KEY = "spiegel_mfa_checked"


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.SPIEGEL_REQUIRE_MFA
            and user.is_authenticated
            and not request.session.get(SESSION_KEY)
        ):
            if lacks_required_mfa(user):
                if not self._is_open(request):
                    return self._to_setup(request)
            else:
                request.session[SESSION_KEY] = True
        return self.get_response(request)

    @staticmethod
    def _is_open(request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in OPEN_WHILE_SETTING_UP

    @staticmethod
    def _to_setup(request):
        target = redirect("mfa_activate_totp")
        if request.headers.get("HX-Request") == "true":
            # htmx would swap the setup page into a fragment; send the whole page there.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target["Location"]
            return response
        messages.warning(
            request,
            _(
                "U ziet gegevens van cliënten. Stel daarom eerst tweestapsverificatie in met "
                "een authenticator-app; daarna kunt u verder."
            ),
        )
        return target
