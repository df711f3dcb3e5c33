"""The daily reminder about improvement actions that are overdue or due within seven days.

Who gets a mail: the owner **and the co-owners** of every open or in-progress action that is
overdue or due within the next seven days (today included). Co-owners share the work, so they
share the reminder; otherwise an action whose owner is away goes unnoticed. Each person gets
**one** mail listing all their actions, overdue ones first, with their role on each. Done and
dropped actions never count. Users without an e-mail address or with a deactivated account
get nothing. Mails carry titles, sessions and dates only: no findings, so no client's words.

A daily run (cron or a systemd timer: `manage.py send_action_reminders`, or `--enqueue` for
the task workers) keeps reminding until the action is done, dropped or moved to a new date:
that is the point of a reminder about overdue work. Running it twice on one day sends twice;
the scheduler runs it once.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from findings.models import ImprovementAction, overdue_on

logger = logging.getLogger(__name__)

DAYS_AHEAD = 7
SEND_ERRORS = (smtplib.SMTPException, OSError, ValueError)


@dataclass
class Item:
    action: ImprovementAction
    role: str
    overdue: bool
    days: int  # days late (overdue) or days left


@dataclass
class Reminder:
    user: object
    items: list = field(default_factory=list)

    @property
    def overdue(self):
        return [item for item in self.items if item.overdue]

    @property
    def due_soon(self):
        return [item for item in self.items if not item.overdue]


def actions_to_remind(today):
    return (
        ImprovementAction.objects.open()
        .filter(due_date__lte=today + timedelta(days=DAYS_AHEAD))
        .select_related("session", "owner")
        .prefetch_related("co_owners")
        .order_by("due_date", "pk")
    )


def collect(today=None) -> list[Reminder]:
    """One Reminder per person with an address: two queries, whatever the numbers."""
    today = today or timezone.localdate()
    reminders: dict[int, Reminder] = {}
    for action in actions_to_remind(today):
        overdue = overdue_on(today, status=action.status, due_date=action.due_date)
        days = abs((action.due_date - today).days)
        people = [action.owner] + [
            user
            for user in action.co_owners.all()
            if user.pk != action.owner_id  # listed once, as owner
        ]
        for user in people:
            if not (user.is_active and user.email):
                continue
            reminder = reminders.setdefault(user.pk, Reminder(user))
            reminder.items.append(Item(action, action.role_of(user), overdue, days))
    for reminder in reminders.values():
        reminder.items.sort(key=lambda i: (not i.overdue, i.action.due_date, i.action.pk))
    return sorted(reminders.values(), key=lambda r: r.user.pk)


def _subject(reminder) -> str:
    late = len(reminder.overdue)
    if late:
        return ngettext(
            "Spiegel: %(n)s verbeteractie is te laat",
            "Spiegel: %(n)s verbeteracties zijn te laat",
            late,
        ) % {"n": late}
    soon = len(reminder.items)
    return ngettext(
        "Spiegel: %(n)s verbeteractie moet binnen een week af",
        "Spiegel: %(n)s verbeteracties moeten binnen een week af",
        soon,
    ) % {"n": soon}


def build_message(reminder, *, today):
    user = reminder.user
    context = {
        "name": user.get_full_name() or user.username,
        "reminder": reminder,
        "today": today,
        "site_url": settings.SITE_URL,
        "list_url": settings.SITE_URL
        + reverse("action_list")
        + f"?owner={user.pk}&status=unfinished",
        "days_ahead": DAYS_AHEAD,
    }
    for item in reminder.items:
        item.url = settings.SITE_URL + reverse("action_detail", args=[item.action.pk])
    text = render_to_string("findings/email/action_reminder.txt", context)
    html = render_to_string("findings/email/action_reminder.html", context)
    message = EmailMultiAlternatives(subject=_subject(reminder), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_action_reminders(today=None) -> dict:
    """Send every reminder of today; returns JSON-safe counts for the task result."""
    today = today or timezone.localdate()
    result = {"sent": 0, "failed": 0, "actions": 0}
    # No user has a language of their own yet: the product's language, Dutch.
    with translation.override(settings.LANGUAGE_CODE):
        reminders = collect(today)
        if not reminders:
            return result
        result["actions"] = len({i.action.pk for r in reminders for i in r.items})
        with mailers.default as connection:
            for reminder in reminders:
                message = build_message(reminder, today=today)
                try:
                    connection.send_messages([message])
                except SEND_ERRORS as error:
                    logger.warning(
                        "action reminder to user %s failed: %s",
                        reminder.user.pk,
                        type(error).__name__,
                    )
                    result["failed"] += 1
                else:
                    result["sent"] += 1
    return result
