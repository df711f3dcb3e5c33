from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


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
