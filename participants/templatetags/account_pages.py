"""The breadcrumb trail of one's own account pages (django-allauth's, in our layout).

"Mijn account" is the security page the user's name in the menu leads to (allauth's
mfa_index, with the password beside the two factors); every other account page sits below it.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from spiegel.templatetags.breadcrumbs import step, trail

register = template.Library()

HOME = "mfa_index"

# allauth's URL names of the pages below "Mijn account", with the name the trail gives them.
PAGES = {
    "account_change_password": _("Wachtwoord wijzigen"),
    "account_set_password": _("Wachtwoord instellen"),
    "account_email": _("E-mailadressen"),
    "socialaccount_connections": _("Inlogmethoden"),
    "mfa_activate_totp": _("Authenticator-app instellen"),
    "mfa_deactivate_totp": _("Authenticator-app uitzetten"),
    "mfa_view_recovery_codes": _("Herstelcodes"),
    "mfa_generate_recovery_codes": _("Nieuwe herstelcodes"),
    "account_logout": _("Uitloggen"),
}


@register.simple_tag(takes_context=True)
def account_breadcrumbs(context):
    """ "Mijn account › this page" on every account page but "Mijn account" itself."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else None
    if name == HOME or name is None:
        return ""
    crumbs = step(_("Mijn account"), reverse(HOME))
    if name in PAGES:
        crumbs += step(PAGES[name])
    return trail(crumbs)
