"""The public statements a Dutch public body must publish: the accessibility statement
(toegankelijkheidsverklaring, after the national model of digitoegankelijk.nl) and the privacy
statement with each organisation's contact details. Open without an account: clients reach them
from their evaluation link, and anyone from the footer of every page."""

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from participants.models import Organisation

# What the statement says about the measured state; kept beside the tests that measure it
# (tests/browser/test_crawl.py: axe on every page of every role, WCAG 2.0-2.2 A and AA, the
# borders and focus rings; update the date and the known problems when they change).
MEASURED_ON = dt.date(2026, 12, 2)


@require_GET
@login_not_required
def accessibility_statement(request):
    return render(
        request, "participants/statements/accessibility.html", {"measured_on": MEASURED_ON}
    )


@require_GET
@login_not_required
def privacy_statement(request, pk=None):
    """The statement; with `pk`, the contact details of that organisation (linked from its
    client pages). Without it, the organisations of a signed-in user, never a list of all."""
    organisations = []
    if pk is not None:
        organisations = [get_object_or_404(Organisation, pk=pk)]
    elif request.user.is_authenticated:
        organisations = list(Organisation.objects.for_member(request.user).order_by("name"))
    return render(request, "participants/statements/privacy.html", {"organisations": organisations})
