"""The privacy guard's decisions: replace a hit by its neutral tag, or dismiss it.

Hits in the debrief's texts are decided by those who may edit the debrief; hits in the
feedback letter by those who may edit the letter. Outsiders get 404 (get_session_for), readers
a 403 with the reason.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from findings.constants import HitSource
from findings.services import debrief as debrief_service
from findings.services import privacy as service
from sessions.access import get_session_for


def _hit_for(request, pk, hit_pk):
    session = get_session_for(request.user, pk, "see_debrief")
    hit = get_object_or_404(session.privacy_hits, pk=hit_pk)
    if hit.source == HitSource.LETTER:
        letter = debrief_service.letter_of(session)
        if not session.access.can_edit_letter(letter):
            raise PermissionDenied(session.access.letter_refusal(letter))
    else:
        session = get_session_for(request.user, pk, "edit_debrief")
    return session, hit


def _decide(request, pk, hit_pk, decide, done):
    session, hit = _hit_for(request, pk, hit_pk)
    try:
        decide(hit=hit, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(service.review_url(session, hit.source))


@require_POST
def hit_replace(request, pk, hit_pk):
    return _decide(
        request, pk, hit_pk, service.replace_hit, _("Vervangen door een neutrale aanduiding.")
    )


@require_POST
def hit_dismiss(request, pk, hit_pk):
    return _decide(
        request, pk, hit_pk, service.dismiss_hit, _("Gemarkeerd als geen persoonsgegeven.")
    )
