"""An organisation's look, public (its clients' pages show it too): the token stylesheet and
the logo. Colours and a logo are no secret; an organisation without them answers 404."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from participants import branding
from participants.models import Organisation, OrganisationLogo

MAX_AGE = 300  # a changed colour shows within five minutes


@login_not_required
@require_safe
def organisation_tokens(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.only("brand_color", "link_color", "form_border_color"), pk=pk
    )
    css = branding.token_stylesheet(
        primary=organisation.brand_color,
        link=organisation.link_color,
        form_border=organisation.form_border_color,
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@login_not_required
@require_safe
def organisation_logo(request, pk):
    logo = OrganisationLogo.objects.filter(organisation_id=pk).first()
    if logo is None:
        raise Http404
    response = HttpResponse(bytes(logo.data), content_type=logo.content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # An SVG opened on its own must not run anything (it is checked on upload as well).
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
