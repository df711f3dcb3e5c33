import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language (the language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show English
    to a Dutch civil servant whose browser happens to be set to English. Spiegel is a Dutch
    product; English is an explicit choice made with the language switch.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or settings.LANGUAGE_CODE)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class IdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request (BIO: a left
    workstation does not stay signed in), and SESSION_COOKIE_AGE seconds after signing in,
    however active (saving the session, as this does, would otherwise push that end on).

    The time of the last request is kept in the session, written at most once a minute, so
    a busy page (the live page polls every few seconds) costs no extra write per request.
    """

    KEY = "spiegel_last_seen"
    SIGNED_IN = "spiegel_signed_in"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def start_clock(cls, sender, request, user, **kwargs):
        """At sign-in (the `user_logged_in` signal), which saves the session anyway."""
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = request.session[cls.SIGNED_IN] = int(time.time())

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, int(time.time()))
        return self.get_response(request)

    def _check(self, request, now):
        idle, age = settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE
        last = request.session.get(self.KEY)
        signed_in = request.session.get(self.SIGNED_IN, last)
        if idle and last is not None and now - last > idle:
            message = _("U bent uitgelogd omdat u een tijd niets hebt gedaan. Log opnieuw in.")
        elif signed_in is not None and now - signed_in > age:
            message = _("U bent uitgelogd omdat u al lang bent ingelogd. Log opnieuw in.")
        else:
            if idle and (last is None or now - last >= self.WRITE_EVERY):
                request.session[self.KEY] = now
            return
        logout(request)
        messages.info(request, message)


class NoStoreMiddleware:
    """Every page and file the app itself answers is sent with `Cache-Control: no-store`.

    Panel pages, contact details, inzage exports, the access log and reports carry client
    data, and nearly every other page carries an organisation's internal work; a shared or
    browser cache must keep none of it (DESIGN.md §7). One rule in one place, so no new view
    can forget it. Static files never reach this middleware: WhiteNoise, listed before it,
    answers them first. A view that set its own Cache-Control keeps it, with no-store added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
