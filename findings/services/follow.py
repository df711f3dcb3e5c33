""" "U zei, wij deden": a client's personal link to what became of the session's actions.

- A link belongs to one panel member who consented to be contacted (`consent_feedback`, not
  withdrawn, not erased). Its token is the only key; it works for FOLLOW_LINK_DAYS and can be
  revoked and issued anew by the facilitators and coordinators (sessions.access,
  `can_manage_follow_links`). Withdrawal of consent and erasure end it (`end_for_member`,
  called by findings.services.rights).
- The page shows the actions as clients may see them (`client_actions`): the sentence written
  for clients, the status in plain words, when it was done and, once closed, the explanation
  written for clients. Never a title, a finding, a name or a professional's note.
- Mail: a member who wants it gets one short e-mail when actions are done or dropped, at most
  one a week: `send_follow_mails` (daily, `manage.py send_follow_mails`) collects what is
  pending per member and sends it in one mail, or waits until the week is over. Every mail is
  logged in FollowMail, with the actions it told about, so nothing is told twice.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from findings.constants import CLIENT_STATUS, CLOSED_STATUSES, ActionStatus
from findings.models import FollowLink, FollowMail, ImprovementAction
from participants.models import PanelMember
from spiegel.languages import client_language

logger = logging.getLogger(__name__)

MAIL_INTERVAL = timedelta(days=7)
SEND_ERRORS = (smtplib.SMTPException, OSError, ValueError)


class FollowRefused(ValidationError):
    """A link cannot be made or changed like this; the message says why, in Dutch."""


def may_follow(member) -> bool:
    """Consented to be contacted (the feedback letter), and that consent still stands."""
    return bool(member.consent_feedback and not member.consent_withdrawn and not member.is_erased)


def link_url(link) -> str:
    return settings.SITE_URL + reverse("follow_page", args=[link.token])


def current_links(session) -> dict:
    """{member id: its newest link} for the session's members: one query."""
    links = {}
    for link in FollowLink.objects.filter(panel_member__session=session).order_by(
        "panel_member_id", "-created_at", "-pk"
    ):
        links.setdefault(link.panel_member_id, link)
    return links


@transaction.atomic
def issue_link(*, member, by, now=None) -> FollowLink:
    """A new personal link for `member`; a link still standing is revoked first (re-issue: the
    old address stops working), and the e-mail choice carries over."""
    now = now or timezone.now()
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if not may_follow(member):
        raise FollowRefused(
            _(
                "Deze deelnemer gaf geen toestemming om benaderd te worden, of trok die in: "
                "geen volglink."
            )
        )
    wants_mail = False
    for old in FollowLink.objects.filter(panel_member=member, revoked_at__isnull=True):
        wants_mail = wants_mail or old.wants_mail
        old.revoked_at, old.revoked_by = now, by
        old.save(update_fields=["revoked_at", "revoked_by"])
    return FollowLink.objects.create(
        panel_member=member,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.FOLLOW_LINK_DAYS),
        wants_mail=wants_mail,
    )


@transaction.atomic
def revoke_link(*, member, by, now=None) -> int:
    """Revoke the member's standing link: its address answers "no longer valid" from now on,
    and no more mail goes out. Returns how many were revoked (0 when there was none)."""
    return FollowLink.objects.filter(panel_member=member, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=by, wants_mail=False
    )


@transaction.atomic
def set_wants_mail(*, link, wants: bool) -> FollowLink:
    if wants and not (link.is_active and may_follow(link.panel_member)):
        raise FollowRefused(_("Deze link werkt niet meer; e-mail kan niet worden aangezet."))
    link.wants_mail = wants
    link.save(update_fields=["wants_mail"])
    return link


def end_for_member(member, *, now=None) -> int:
    """Consent withdrawn or data erased: every link of the member stops, and every mail."""
    return FollowLink.objects.filter(panel_member=member, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), wants_mail=False
    )


def usable_link(link) -> bool:
    """The link opens the page: standing, not expired, and the member's consent stands."""
    return link.is_active and may_follow(link.panel_member)


# — what clients may see —


@dataclass
class ClientAction:
    sentence: str
    status: str
    state: str  # in plain words
    closed_on: object  # a date, for done and dropped actions
    explanation: str  # written for clients when it was closed

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    @property
    def is_dropped(self) -> bool:
        return self.status == ActionStatus.DROPPED


def client_action(action) -> ClientAction:
    closed = action.status in CLOSED_STATUSES
    return ClientAction(
        sentence=" ".join(action.client_sentence.split()),
        status=action.status,
        state=str(CLIENT_STATUS[action.status]),
        closed_on=timezone.localdate(action.closed_at) if closed and action.closed_at else None,
        explanation=action.client_closing.strip() if closed else "",
    )


def client_actions(session) -> list[ClientAction]:
    """The session's actions that have a sentence for clients, as clients may see them: open
    ones first (by due date), then what was done or dropped. One query."""
    actions = (
        ImprovementAction.objects.filter(session=session)
        .exclude(client_sentence="")
        .only("client_sentence", "status", "closed_at", "client_closing", "due_date")
        .order_by("due_date", "pk")
    )
    rows = [client_action(a) for a in actions]
    return sorted(rows, key=lambda row: row.status in CLOSED_STATUSES)


# — the weekly e-mail —


@dataclass
class Notice:
    link: FollowLink
    actions: list = field(default_factory=list)

    @property
    def member(self):
        return self.link.panel_member


def pending_notices(now=None) -> list[Notice]:
    """Per member who wants mail and may get one now: the closed actions of their session not
    yet told about. Members mailed within the last week wait (their news keeps). Three
    queries, whatever the numbers."""
    now = now or timezone.now()
    mailed_lately = FollowMail.objects.filter(
        link__panel_member=OuterRef("panel_member"), sent_at__gt=now - MAIL_INTERVAL
    )
    links = list(
        FollowLink.objects.active(now)
        .filter(
            wants_mail=True,
            panel_member__consent_feedback=True,
            panel_member__consent_withdrawn_at__isnull=True,
            panel_member__erased_at__isnull=True,
            panel_member__contact__email__gt="",
        )
        .exclude(Exists(mailed_lately))
        .select_related("panel_member__contact", "panel_member__session")
        .order_by("pk")
    )
    if not links:
        return []
    sessions = {link.panel_member.session_id for link in links}
    told = set(
        FollowMail.actions.through.objects.filter(
            followmail__link__panel_member_id__in=[link.panel_member_id for link in links]
        ).values_list("followmail__link__panel_member_id", "improvementaction_id")
    )
    closed = list(
        ImprovementAction.objects.filter(
            session_id__in=sessions, status__in=CLOSED_STATUSES, closed_at__isnull=False
        )
        .exclude(client_sentence="")
        .order_by("closed_at", "pk")
    )
    notices = []
    for link in links:
        member = link.panel_member
        news = [
            action
            for action in closed
            if action.session_id == member.session_id
            and action.closed_at >= link.created_at
            and (member.pk, action.pk) not in told
        ]
        if news:
            notices.append(Notice(link, news))
    return notices


def build_message(notice):
    member = notice.member
    session = member.session
    context = {
        "session": session,
        "organisations": [o.name for o in session.organisations.all()],
        "actions": [client_action(action) for action in notice.actions],
        "url": link_url(notice.link),
    }
    text = render_to_string("findings/email/follow_update.txt", context)
    html = render_to_string("findings/email/follow_update.html", context)
    message = EmailMultiAlternatives(
        subject=_("Nieuws over wat u zei in het spiegelgesprek"),
        body=text,
        to=[member.contact.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_follow_mails(now=None) -> dict:
    """Send every member's pending news in one mail; returns JSON-safe counts."""
    now = now or timezone.now()
    result = {"sent": 0, "failed": 0, "actions": 0}
    notices = pending_notices(now)
    if not notices:
        return result
    with mailers.default as connection:
        for notice in notices:
            # In the member's own language, like the invitation and the page the mail links to.
            with translation.override(client_language(notice.member.language)):
                message = build_message(notice)
            try:
                connection.send_messages([message])
            except SEND_ERRORS as error:
                logger.warning(
                    "follow mail to member %s failed: %s", notice.member.pk, type(error).__name__
                )
                result["failed"] += 1
                continue
            mail = FollowMail.objects.create(link=notice.link, sent_at=now)
            mail.actions.set(notice.actions)
            result["sent"] += 1
            result["actions"] += len(notice.actions)
    return result
