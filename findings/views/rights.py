"""A client's rights at any time, also after the session is closed (AVG, DESIGN.md §7).

One page per panel member (`/sessions/<id>/panel/<member>/rights/`) where the facilitator or a
coordinator handles what the client asks: withdrawal of consent and erasure, each with a
required reason, rectification of the contact details, and inzage, one download with
everything stored about the member (a PDF to read and a JSON file to take elsewhere). Who may
do this is the access policy's `can_exercise_rights` (sessions.access); these pages live in
findings because erasure and inzage reach the member's findings.
"""

import io
import json
import zipfile

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from findings.forms.rights import RightsRequestForm
from findings.reports.documents import render_member_export
from findings.services import rights
from participants.constants import AccessAction
from participants.forms import ContactForm
from participants.models import AccessLog, PanelMemberContact
from participants.services import panel as participant_services
from sessions.access import get_session_for


def _member_for(request, pk, member_pk):
    session = get_session_for(request.user, pk, "exercise_rights")
    member = get_object_or_404(session.panel_members, pk=member_pk)
    # Per member: a coordinator handles the rights of the residents their organisation recruited.
    session.access.require_for_member(member)
    member.session = session  # with its access, and no second query
    return session, member


def _rights_page(
    request, session, member, *, withdraw_form=None, erase_form=None, contact_form=None
):
    contact = PanelMemberContact.objects.filter(panel_member=member).first()
    if contact is not None and contact_form is None:
        contact_form = ContactForm(instance=contact, prefix="contact")
    AccessLog.record(
        request.user,
        AccessAction.VIEW_CONTACTS,
        session=session,
        panel_member=member,
        detail=f"{member.pseudonym}: rechten",
    )
    return render(
        request,
        "findings/rights/member.html",
        {
            "session": session,
            "member": member,
            "contact": contact,
            "finding_count": member.findings.count(),
            "requests": member.rights_requests.select_related("by").order_by("at", "pk"),
            "withdraw_form": withdraw_form or RightsRequestForm(prefix="withdraw"),
            "erase_form": erase_form or RightsRequestForm(prefix="erase"),
            "contact_form": contact_form,
        },
    )


@require_GET
def panel_member_rights(request, pk, member_pk):
    session, member = _member_for(request, pk, member_pk)
    return _rights_page(request, session, member)


def _handle(request, pk, member_pk, *, prefix, service, done):
    session, member = _member_for(request, pk, member_pk)
    form = RightsRequestForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _rights_page(request, session, member, **{f"{prefix}_form": form})
    try:
        service(
            member=member,
            by=request.user,
            reason=form.cleaned_data["reason"],
            after_close=session.access.is_closed,
        )
    except participant_services.RightsRefused as refusal:
        messages.info(request, " ".join(refusal.messages))
    else:
        messages.success(request, done % {"pseudonym": member.pseudonym})
    return redirect("panel_member_rights", session.pk, member.pk)


@require_POST
def panel_member_withdraw(request, pk, member_pk):
    return _handle(
        request,
        pk,
        member_pk,
        prefix="withdraw",
        service=rights.withdraw_consent,
        done=_(
            "De toestemming van %(pseudonym)s is ingetrokken: wat deze deelnemer zei, staat "
            "vanaf nu niet meer in verslagen en exports."
        ),
    )


@require_POST
def panel_member_erase(request, pk, member_pk):
    return _handle(
        request,
        pk,
        member_pk,
        prefix="erase",
        service=rights.erase_panel_member,
        done=_(
            "De gegevens van %(pseudonym)s zijn gewist: contactgegevens, evaluatie en wat deze "
            "deelnemer zei."
        ),
    )


@require_POST
def panel_member_rectify(request, pk, member_pk):
    """Rectification: the contact details corrected at the client's request, also after the
    session is closed (the member's edit page is for preparing, until closing)."""
    session, member = _member_for(request, pk, member_pk)
    contact = PanelMemberContact.objects.filter(panel_member=member).first()
    if contact is None:
        messages.info(request, _("Er zijn geen contactgegevens meer om te corrigeren."))
        return redirect("panel_member_rights", session.pk, member.pk)
    form = ContactForm(request.POST, instance=contact, prefix="contact")
    if not form.is_valid():
        return _rights_page(request, session, member, contact_form=form)
    participant_services.rectify_contact(contact_form=form, by=request.user)
    messages.success(
        request,
        _("De contactgegevens van %(pseudonym)s zijn gecorrigeerd.") % {"pseudonym": member},
    )
    return redirect("panel_member_rights", session.pk, member.pk)


@require_GET
def panel_member_inzage(request, pk, member_pk):
    """Everything stored about one member in one download: a ZIP with the PDF to read and the
    JSON file to take elsewhere (the right of access and of data portability)."""
    session, member = _member_for(request, pk, member_pk)
    data = rights.member_export(member, by=request.user, now=timezone.now())
    stem = f"inzage-spiegelgesprek-{session.pk}-deelnemer-{member.letters.lower()}"
    pdf = render_member_export(data, language=session.language)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.pdf", pdf)
        archive.writestr(
            f"{stem}.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    rights.log_member_export(member, by=request.user)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{stem}.zip"'
    return response
