""" "U zei, wij deden": the clients' personal links.

For the facilitators and coordinators (`can_manage_follow_links`), under
/sessions/<pk>/follow/: which panel members may have a link, issuing, revoking and issuing
anew, the e-mail choice, and the feedback letter with the member's own QR code.

For the client, without an account, under /u/<token>/: the session's actions as clients may
see them, and the e-mail choice. Like the evaluation links, the unguessable token is the key
(no CSRF check: it would add nothing, and refuse phones that block cookies). A link that was
revoked or has expired, or whose member withdrew consent, answers a kind page (410).
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from findings.models import FollowLink
from findings.reports.documents import feedback_letter_context
from findings.services import follow as service
from participants.constants import AccessAction
from participants.models import AccessLog, PanelMemberContact
from sessions.access import get_session_for
from sessions.services.evaluation import qr_svg
from spiegel.languages import keep_language, render_for_client, requested_language
from spiegel.pdf import pdf_response, render_pdf

# — for the facilitators and coordinators —


def _member_for(request, pk, member_pk):
    session = get_session_for(request.user, pk, "manage_follow_links")
    member = get_object_or_404(session.panel_members, pk=member_pk)
    member.session = session
    return session, member


@require_safe
def follow_links(request, pk):
    session = get_session_for(request.user, pk, "manage_follow_links")
    members = list(session.panel_members.counted())
    links = service.current_links(session)
    with_email = set(
        PanelMemberContact.objects.filter(panel_member__session=session, email__gt="").values_list(
            "panel_member_id", flat=True
        )
    )
    rows = []
    for member in members:
        link = links.get(member.pk)
        rows.append(
            {
                "member": member,
                "may_follow": service.may_follow(member),
                "link": link,
                "usable": link is not None and link.is_active,
                "url": service.link_url(link) if link is not None else "",
                "has_email": member.pk in with_email,
            }
        )
    return render(
        request,
        "findings/follow/links.html",
        {"session": session, "rows": rows, "actions": service.client_actions(session)},
    )


@require_POST
def follow_link_issue(request, pk, member_pk):
    session, member = _member_for(request, pk, member_pk)
    try:
        service.issue_link(member=member, by=request.user)
    except service.FollowRefused as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request,
            _("%(member)s heeft een nieuwe volglink.") % {"member": member.pseudonym},
        )
    return redirect("follow_links", session.pk)


@require_POST
def follow_link_revoke(request, pk, member_pk):
    session, member = _member_for(request, pk, member_pk)
    if service.revoke_link(member=member, by=request.user):
        messages.success(
            request,
            _("De volglink van %(member)s werkt niet meer.") % {"member": member.pseudonym},
        )
    else:
        messages.info(request, _("Er was geen volglink om in te trekken."))
    return redirect("follow_links", session.pk)


@require_POST
def follow_link_mail(request, pk, member_pk):
    session, member = _member_for(request, pk, member_pk)
    link = FollowLink.objects.filter(panel_member=member, revoked_at__isnull=True).first()
    if link is None:
        messages.error(request, _("Maak eerst een volglink."))
        return redirect("follow_links", session.pk)
    link.panel_member = member
    wants = request.POST.get("wants_mail") == "1"
    try:
        service.set_wants_mail(link=link, wants=wants)
    except service.FollowRefused as refused:
        messages.error(request, refused.messages[0])
    else:
        done = (
            _("%(member)s krijgt nu e-mail als een actie klaar is.")
            if wants
            else _("%(member)s krijgt geen e-mail meer over de acties.")
        )
        messages.success(request, done % {"member": member.pseudonym})
    return redirect("follow_links", session.pk)


@require_safe
def follow_letter_pdf(request, pk, member_pk):
    """The feedback letter with the member's own QR code and link at the end."""
    session, member = _member_for(request, pk, member_pk)
    link = FollowLink.objects.filter(panel_member=member, revoked_at__isnull=True).first()
    if link is None or not service.usable_link(link):
        messages.error(request, _("Maak eerst een volglink voor deze deelnemer."))
        return redirect("follow_links", session.pk)
    context = feedback_letter_context(session)
    url = service.link_url(link)
    context["follow"] = {
        "url": url,
        "qr": qr_svg(url, label=_("QR-code naar uw eigen pagina")),
        "until": link.expires_at,
    }
    data = render_pdf("reports/feedback_letter.html", context, language=session.language)
    filename = f"spiegelgesprek-{session.pk}-brief-{member.letters.lower()}.pdf"
    AccessLog.record(request.user, AccessAction.DOWNLOAD_REPORT, session=session, detail=filename)
    return pdf_response(data, filename)


# — for the client, without an account —

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
TOKEN_MAX_LENGTH = FollowLink._meta.get_field("token").max_length


def _link_or_page(request, token):
    """(link, None) for a link that works; (None, a kind page) otherwise: 404 for an address
    that never was a link, 410 for one that was revoked, expired or whose consent ended.
    Every page speaks the member's language (or the one chosen with the switch)."""
    link = None
    if len(token) <= TOKEN_MAX_LENGTH and TOKEN_PATTERN.fullmatch(token):
        link = (
            FollowLink.objects.select_related("panel_member__session").filter(token=token).first()
        )
    if link is None:
        language = requested_language(request, default=None)
        return None, render_for_client(
            request, "findings/follow/not_found.html", language=language, status=404
        )
    if not service.usable_link(link):
        return None, render_for_client(
            request,
            "findings/follow/gone.html",
            {"session": link.panel_member.session},
            language=requested_language(request, default=link.panel_member.language),
            status=410,
        )
    return link, None


@login_not_required
@never_cache
@require_safe
def follow_page(request, token):
    link, page = _link_or_page(request, token)
    if page:
        return page
    session = link.panel_member.session
    language = requested_language(request, default=link.panel_member.language)
    with translation.override(language):  # the statuses are put in words here
        actions = service.client_actions(session)
    return render_for_client(
        request,
        "findings/follow/page.html",
        {
            "session": session,
            "link": link,
            "open": [a for a in actions if not (a.is_done or a.is_dropped)],
            "closed": [a for a in actions if a.is_done or a.is_dropped],
            "can_mail": PanelMemberContact.objects.filter(
                panel_member=link.panel_member, email__gt=""
            ).exists(),
            "token": token,
            "mail_action": keep_language(request, reverse("follow_page_mail", args=[token])),
        },
        language=language,
    )


@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["POST"])
def follow_page_mail(request, token):
    link, page = _link_or_page(request, token)
    if page:
        return page
    wants = request.POST.get("wants_mail") == "1"
    service.set_wants_mail(link=link, wants=wants)
    page = reverse("follow_page", args=[token]) + ("?mail=aan" if wants else "?mail=uit")
    return redirect(keep_language(request, page))
