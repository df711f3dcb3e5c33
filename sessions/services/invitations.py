"""Invitations and reminders by e-mail, with the meeting attached as a calendar file (.ics).

Who gets a mail (issue 12):

- **Listeners** with an e-mail address: the one on the listener list, else the address of
  their user account. They get the information sheet (what a spiegelgesprek is, their role as
  silent listener, this session's rules, what happens afterwards).
- **Panel members** who have an e-mail address in their private contact details, whose
  recruitment status is not "cancelled", and who have *consent to take part* recorded and not
  withdrawn (`PanelMember.has_consent`). The issue says "consented to be contacted"; the model
  records consent per scope, and the only scope that covers being invited to the meeting is
  consent to take part (`consent_feedback` is about the feedback letter *after* the meeting).
  A withdrawal ends every contact. Contacts purged after the retention period mean no address.

Every recipient gets a mail of their own (one address in To, no CC/BCC), so no address, and
certainly no client's name, ever reaches anyone else. Listener mails are rendered from the
session and the listener only: they never load client data.

Sending claims each recipient first by a compare-and-set on `invited_at`, so two clicks or two
workers never mail the same person twice for `only_new`; a failed send puts the old value back.
"""

import logging
import re
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from participants.constants import AccessAction, RecruitmentStatus
from participants.models import AccessLog, Listener, PanelMember
from sessions.constants import MeetingForm, Status
from sessions.models import Session
from spiegel.dates import weekday_date
from spiegel.languages import client_language

logger = logging.getLogger(__name__)

CALENDAR_TIMEZONE = ZoneInfo("Europe/Amsterdam")
LISTENER, PANEL = "listener", "panel"
# Reminders go out "a week before": to sessions starting 6 to 7 days from the run. A daily
# run therefore catches every session exactly once.
REMINDER_WINDOW = (timedelta(days=6), timedelta(days=7))

# RFC 5545 TEXT and mail headers allow no control characters (tab and newline aside).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value or "")


def one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


# — who gets a mail —


@dataclass
class Recipient:
    kind: str  # LISTENER or PANEL
    person: Listener | PanelMember
    email: str = ""
    reason: str = ""  # why this person gets no mail; empty when they do

    @property
    def label(self) -> str:
        """What may be shown or stored about the person: a listener's name, a pseudonym."""
        return self.person.name if self.kind == LISTENER else self.person.pseudonym

    @property
    def contact(self):
        """A panel member's private details, or None (purged or never entered)."""
        if self.kind != PANEL:
            return None
        return getattr(self.person, "contact", None)


@dataclass
class Plan:
    recipients: list[Recipient] = field(default_factory=list)
    skipped: list[Recipient] = field(default_factory=list)

    def add(self, recipient: Recipient):
        (self.skipped if recipient.reason else self.recipients).append(recipient)


def _listener_email(listener) -> str:
    if listener.email:
        return listener.email
    return listener.user.email if listener.user_id and listener.user else ""


def _panel_reason(member) -> str:
    contact = getattr(member, "contact", None)
    if member.status == RecruitmentStatus.CANCELLED:
        return _("afgemeld")
    if member.consent_withdrawn:
        return _("toestemming ingetrokken")
    if not member.has_consent:
        return _("geen toestemming")
    if contact is None or not contact.email:
        return _("geen e-mailadres")
    return ""


def plan_invitations(session, *, listeners=True, panel=True, only_new=False) -> Plan:
    """Who would get a mail now, and who not and why. Two queries, whatever the numbers."""
    plan = Plan()
    if listeners:
        for listener in session.listeners.select_related("user"):
            email = _listener_email(listener)
            reason = ""
            if not email:
                reason = _("geen e-mailadres")
            elif only_new and listener.invited_at:
                reason = _("al uitgenodigd")
            plan.add(Recipient(LISTENER, listener, email, reason))
    if panel:
        for member in session.panel_members.select_related("contact"):
            reason = _panel_reason(member)
            if not reason and only_new and member.invited_at:
                reason = _("al uitgenodigd")
            email = "" if reason else member.contact.email
            plan.add(Recipient(PANEL, member, email, reason))
    return plan


def send_blocker(session) -> str:
    """Why invitations cannot go out for this session now, or an empty string."""
    if session.status == Status.DRAFT:
        return _(
            "Plan het gesprek eerst: pas als datum, thema en gespreksleider vastliggen, "
            "kunt u uitnodigingen versturen."
        )
    if session.status != Status.PLANNED:
        return _("Het gesprek is al begonnen of voorbij; uitnodigingen versturen kan niet meer.")
    if session.starts_at and session.starts_at < timezone.now():
        return _("De datum van het gesprek is voorbij; pas eerst de datum aan.")
    return ""


# — the calendar file —


def _calendar_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "spiegel.invalid"


def calendar_uid(session) -> str:
    """Stable per session, so a new file updates the appointment instead of adding one."""
    return f"spiegel-session-{session.pk}@{_calendar_host()}"


def calendar_sequence(session) -> int:
    """Grows whenever the session is saved (date, place…), so calendars take the new version.

    Minutes between creation and last change: monotonic without a counter of our own.
    """
    return max(0, int((session.updated_at - session.created_at).total_seconds() // 60))


def _organizer(session):
    facilitator = session.facilitator
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if facilitator and facilitator.email:
        name, email = facilitator.get_full_name() or facilitator.username, facilitator.email
    address = icalendar.vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = one_line(name)
    return address


def calendar_description(session) -> str:
    lines = [_("Spiegelgesprek")]
    if session.theme:
        lines.append(_("Thema: %(theme)s") % {"theme": session.theme})
    if session.facilitator:
        lines.append(_("Gespreksleider: %(name)s") % {"name": _person(session.facilitator)})
    if session.meets_online and session.online_url:
        lines.append(_("Online: %(url)s") % {"url": session.online_url})
    return clean_text("\n".join(lines))


def _calendar_location(session) -> str:
    """The room; for a meeting held only online, its link (calendars show it as the place)."""
    if session.meeting_form == MeetingForm.ONLINE:
        return session.online_url
    return session.location


def build_ics(session, *, language=None) -> bytes:
    """The session as an iCalendar file (METHOD:PUBLISH) in Europe/Amsterdam time, its
    description in `language` (the session's by default)."""
    if not session.starts_at:
        raise ValueError("a session without a date has no calendar entry")
    start = session.starts_at.astimezone(CALENDAR_TIMEZONE)
    end = session.ends_at.astimezone(CALENDAR_TIMEZONE)
    with translation.override(language or session.language):
        event = icalendar.Event.new(
            uid=calendar_uid(session),
            sequence=calendar_sequence(session),
            summary=one_line(session.title),
            start=start,
            end=end,
            location=one_line(_calendar_location(session)) or None,
            description=calendar_description(session),
            url=(session.online_url if session.meets_online else "") or None,
            organizer=_organizer(session),
            last_modified=session.updated_at,
            status="CONFIRMED",
        )
        calendar = icalendar.Calendar.new(
            prodid="-//Spiegel//Spiegelgesprekken//NL",
            method="PUBLISH",
            subcomponents=[event],
        )
    # Only the transitions around the meeting: a VTIMEZONE from 1970 would be mostly noise.
    calendar.add_missing_timezones(
        first_date=start.date() - timedelta(days=366), last_date=end.date() + timedelta(days=366)
    )
    return calendar.to_ical()


def ics_filename(session) -> str:
    return f"spiegelgesprek-{session.pk}.ics"


# — the mails —


def _person(user) -> str:
    return user.get_full_name() or user.username


def _when(session) -> str:
    start = timezone.localtime(session.starts_at, CALENDAR_TIMEZONE)
    return weekday_date(start)


def _subject(session, kind, reminder) -> str:
    when = _when(session)
    if kind == LISTENER:
        if reminder:
            text = _("Herinnering: spiegelgesprek “%(title)s” op %(date)s")
        else:
            text = _("Uitnodiging: spiegelgesprek “%(title)s” op %(date)s")
        return one_line(text % {"title": session.title, "date": when})
    if reminder:
        return _("Herinnering: gesprek over uw ervaringen op %(date)s") % {"date": when}
    return _("Uitnodiging: gesprek over uw ervaringen op %(date)s") % {"date": when}


def subject_preview(session, *, reminder=False) -> dict:
    """The subjects as they will be sent, for the invitations page."""
    with translation.override(session.language):
        return {
            LISTENER: _subject(session, LISTENER, reminder),
            PANEL: _subject(session, PANEL, reminder),
        }


def _context(session, recipient, rules, reminder, organisations="") -> dict:
    facilitator = session.facilitator
    context = {
        "session": session,
        "reminder": reminder,
        "starts_at": timezone.localtime(session.starts_at, CALENDAR_TIMEZONE),
        "ends_at": timezone.localtime(session.ends_at, CALENDAR_TIMEZONE),
        "facilitator_name": _person(facilitator) if facilitator else "",
        "facilitator_email": facilitator.email if facilitator else "",
        "ics_filename": ics_filename(session),
    }
    # Online people get the link, the others the place; a hybrid session chooses per person.
    online = session.takes_part_online(recipient.person)
    context |= {
        "location": "" if online else session.location,
        "online_url": session.online_url if online else "",
    }
    if recipient.kind == LISTENER:
        listener = recipient.person
        context |= {
            "name": listener.name,
            "rules": rules,
            # Only those with an account can open the session pages.
            "session_url": (
                settings.SITE_URL + reverse("session_detail", args=[session.pk])
                if listener.user_id
                else ""
            ),
        }
    else:
        # The client hears which organisation asks (issue 12): the one whose help it is about.
        context |= {"name": recipient.contact.name, "organisations": organisations}
    return context


def recipient_language(session, recipient) -> str:
    """Listeners read the session's language (staff: Dutch or English); a panel member their
    own (Dutch, English, Turkish or Arabic: spiegel/languages.py)."""
    if recipient.kind == PANEL:
        return client_language(recipient.person.language)
    return session.language


def build_message(session, recipient, *, ics: bytes, rules, reminder=False, organisations=""):
    """One mail for one recipient, rendered in the recipient's language."""
    template = "listener" if recipient.kind == LISTENER else "panel"
    language = recipient_language(session, recipient)
    with translation.override(language), timezone.override(CALENDAR_TIMEZONE):
        context = _context(session, recipient, rules, reminder, organisations)
        subject = _subject(session, recipient.kind, reminder)
        text = render_to_string(f"sessions/email/{template}_invitation.txt", context)
        html = render_to_string(f"sessions/email/{template}_invitation.html", context)
    facilitator_email = context["facilitator_email"]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        reply_to=[facilitator_email] if facilitator_email else None,
    )
    message.attach_alternative(html, "text/html")
    message.attach(ics_filename(session), ics, "text/calendar")
    return message


# — sending —


@dataclass
class Result:
    sent_listeners: int = 0
    sent_panel: int = 0
    failed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (label, reason)

    @property
    def sent(self) -> int:
        return self.sent_listeners + self.sent_panel

    def as_dict(self) -> dict:
        """JSON-safe, for task results: pseudonyms and listener names only."""
        return {
            "sent": self.sent,
            "sent_listeners": self.sent_listeners,
            "sent_panel": self.sent_panel,
            "failed": self.failed,
            "skipped": len(self.skipped),
            "skipped_reasons": [[label, reason] for label, reason in self.skipped],
        }


SEND_ERRORS = (smtplib.SMTPException, OSError, ValueError)


def _claim(recipient, now) -> bool:
    """Mark the person invited unless someone else did since the plan was made."""
    person = recipient.person
    model = type(person)
    rows = model.objects.filter(pk=person.pk)
    if person.invited_at is None:
        rows = rows.filter(invited_at__isnull=True)
    else:
        rows = rows.filter(invited_at=person.invited_at)
    return rows.update(invited_at=now) == 1


def _unclaim(recipient, now):
    person = recipient.person
    type(person).objects.filter(pk=person.pk, invited_at=now).update(invited_at=person.invited_at)


def _deliver(session, plan, *, reminder, by, record_invited) -> Result:
    result = Result(skipped=[(r.label, r.reason) for r in plan.skipped])
    if not plan.recipients:
        return result
    calendars = {}  # one calendar file per language: its description is translated
    rules = []
    if any(r.kind == LISTENER for r in plan.recipients):
        rules = [rule.text for rule in session.rules.all()]
    organisations = ", ".join(o.name for o in session.organisations.all())
    what = "herinnering" if reminder else "uitnodiging"
    with mailers.default as connection:
        for recipient in plan.recipients:
            now = timezone.now()
            if record_invited and not _claim(recipient, now):
                result.skipped.append((recipient.label, _("al uitgenodigd")))
                continue
            language = recipient_language(session, recipient)
            if language not in calendars:
                calendars[language] = build_ics(session, language=language)
            message = build_message(
                session,
                recipient,
                ics=calendars[language],
                rules=rules,
                reminder=reminder,
                organisations=organisations,
            )
            try:
                connection.send_messages([message])
            except SEND_ERRORS as error:
                # Pseudonym and error class only: SMTP errors quote the client's address.
                logger.warning(
                    "mail to %s of session %s failed: %s",
                    recipient.label,
                    session.pk,
                    type(error).__name__,
                )
                if record_invited:
                    _unclaim(recipient, now)
                result.failed += 1
                continue
            if record_invited:
                recipient.person.invited_at = now
            if recipient.kind == LISTENER:
                result.sent_listeners += 1
            else:
                result.sent_panel += 1
                # The client's address was used: logged per mail, right after it went out.
                AccessLog.record(
                    by,
                    AccessAction.SEND_INVITATION,
                    session=session,
                    detail=f"{recipient.label}: {what} per e-mail",
                )
    return result


def send_invitations(*, session, by, listeners=True, panel=True, only_new=False) -> Result:
    """Mail the invitation with the .ics to everyone in the plan; record who got one.

    Raises ValidationError (in Dutch) when the session is not planned.
    """
    blocker = send_blocker(session)
    if blocker:
        raise ValidationError(blocker)
    plan = plan_invitations(session, listeners=listeners, panel=panel, only_new=only_new)
    return _deliver(session, plan, reminder=False, by=by, record_invited=True)


def sessions_due_for_reminder(now=None):
    now = now or timezone.now()
    return Session.objects.filter(
        status=Status.PLANNED,
        reminder_sent_at__isnull=True,
        starts_at__gte=now + REMINDER_WINDOW[0],
        starts_at__lt=now + REMINDER_WINDOW[1],
    ).select_related("facilitator")


def send_reminder(session, *, now=None) -> Result | None:
    """The reminder for one session, once: None when another run already claimed it."""
    now = now or timezone.now()
    claimed = Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    )
    if not claimed:
        return None
    session.reminder_sent_at = now
    plan = plan_invitations(session)
    try:
        result = _deliver(session, plan, reminder=True, by=None, record_invited=False)
    except Exception:
        # Nothing went out (the mail server could not be reached): let the next run retry.
        Session.objects.filter(pk=session.pk).update(reminder_sent_at=None)
        raise
    if result.failed and not result.sent:
        Session.objects.filter(pk=session.pk).update(reminder_sent_at=None)
    return result


def send_due_reminders(now=None) -> dict:
    """Send the reminders of every session a week ahead; returns counts per session id."""
    now = now or timezone.now()
    done = {}
    for session in sessions_due_for_reminder(now):
        with translation.override(session.language):
            result = send_reminder(session, now=now)
        if result is not None:
            done[str(session.pk)] = result.as_dict()
    return done
