"""Clients' languages: the one mechanism for everything a client (a panel member) reads.

Staff pages speak `settings.LANGUAGES` (Dutch, English), chosen with the language switch in
the footer; the locale middleware never activates anything else. What a client reads — the
invitation mail, the evaluation form `/e/<token>/`, the feedback letter, the "U zei, wij
deden" page — may also be Turkish or Arabic: `settings.CLIENT_LANGUAGES`, chosen per panel
member (`PanelMember.language`) and activated only around the rendering:

    language = client_language(member.language)          # unknown codes become Dutch
    with translation.override(language): ...              # a mail, a PDF

    # a public page with the visible language switch (?taal=tr), lang/dir and the RTL CSS:
    language = requested_language(request, default=member.language)
    return render_for_client(request, "…/page.html", context, language=language)

The page template extends `client_base.html` (or includes its pieces): `<html lang dir>`,
Bootstrap's RTL build for Arabic, the fonts with Arabic and emoji glyphs
(`static/css/client-fonts.css`), and `_client_languages.html`, the switch. How to add a
language: docs/languages.md.
"""

import unicodedata

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

# The query parameter of the visible language switch on client pages: `?taal=tr`.
LANGUAGE_PARAMETER = "taal"


def client_language_codes() -> list[str]:
    return [code for code, _name in settings.CLIENT_LANGUAGES]


def client_language(code) -> str:
    """`code` when it is one of CLIENT_LANGUAGES, else the product's language (Dutch).

    Anything may arrive here (a query string, an old row): it never raises, and a region
    ("tr-TR", "AR") is reduced to the language we have.
    """
    if not isinstance(code, str):
        return settings.LANGUAGE_CODE
    code = code.strip().lower().replace("_", "-")
    codes = client_language_codes()
    if code in codes:
        return code
    base = code.split("-", 1)[0]
    return base if base in codes else settings.LANGUAGE_CODE


def is_right_to_left(code) -> bool:
    return client_language(code) in settings.LANGUAGES_BIDI


def language_name(code) -> str:
    """The language's name in that language ("Türkçe", "العربية"): what a reader of it
    recognises in a switch, whatever the page's language."""
    code = client_language(code)
    return translation.get_language_info(code)["name_local"]


def requested_language(request, default) -> str:
    """The language a client page answers in: the switch's `?taal=` when it names a client
    language, else `default` (the member's own language), else Dutch."""
    asked = request.GET.get(LANGUAGE_PARAMETER, "")
    if asked and client_language(asked) == asked.strip().lower():
        return asked.strip().lower()
    return client_language(default)


def language_links(request, current) -> list[dict]:
    """The switch: one link per client language to the same page, the current one marked."""
    return [
        {
            "code": code,
            "name": language_name(code),
            "url": f"{request.path}?{LANGUAGE_PARAMETER}={code}",
            "current": code == current,
            "dir": "rtl" if code in settings.LANGUAGES_BIDI else "ltr",
        }
        for code in client_language_codes()
    ]


def keep_language(request, url) -> str:
    """`url` with the language the client chose with the switch, if they chose one: the form's
    post and the page after it speak it too, while a plain link keeps following the member."""
    asked = request.GET.get(LANGUAGE_PARAMETER, "")
    if asked and client_language(asked) == asked.strip().lower():
        return with_language(url, asked)
    return url


def with_language(url, language) -> str:
    """`url` with the switch's parameter, so a form's post or a redirect keeps the language."""
    return f"{url}{'&' if '?' in url else '?'}{LANGUAGE_PARAMETER}={client_language(language)}"


def render_for_client(request, template_name, context=None, *, language, status=200):
    """Render a public client page in `language` (from `requested_language`).

    The language is active only while the template renders (the locale middleware left the
    staff language of this browser, Dutch or English, active around it); a view that also
    validates a form does so inside `translation.override(language)` too. The context gains
    `language_links` for the switch, and the answer says its language (Content-Language).
    """
    language = client_language(language)
    context = {**(context or {}), "language_links": language_links(request, language)}
    with translation.override(language):
        response = render(request, template_name, context, status=status)
    response.headers["Content-Language"] = language
    return response


def text_direction(text) -> str:
    """ "rtl" or "ltr" after the first letter with a strong direction (the rule of HTML's
    dir="auto"), "" when there is none: for text whose language we do not know, such as a
    Dutch paragraph a staff member wrote into an Arabic letter."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return ""
