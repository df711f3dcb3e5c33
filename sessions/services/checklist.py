"""The preparation checklist: exactly what is still missing before a session can go live."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.constants import (
    CONFIRMED_STATUSES,
    MAX_LISTENERS,
    MIN_CONFIRMED_PANEL,
    RecruitmentStatus,
)
from sessions.constants import Status


@dataclass(frozen=True)
class Item:
    label: str
    done: bool
    # Blocking items stop the session from being planned or going live; the rest are advice.
    blocking: bool
    detail: str = ""
    url: str = ""
    # What the page's main button says when this item is the next step.
    todo: str = ""


def preparation_counts(session) -> dict:
    """What the checklist counts, four queries: the panel, the listeners, the guide and the
    rules. The session page shows the totals beside the checklist from the same counts."""
    panel = session.panel_members.aggregate(
        total=Count("pk"),
        confirmed=Count("pk", filter=Q(status__in=CONFIRMED_STATUSES)),
        confirmed_without_consent=Count(
            "pk",
            filter=Q(status__in=CONFIRMED_STATUSES)
            & (Q(consent_participation=False) | Q(consent_withdrawn_at__isnull=False)),
        ),
        invited=Count("pk", filter=Q(status=RecruitmentStatus.INVITED)),
    )
    listeners = session.listeners.aggregate(
        total=Count("pk"), unbriefed=Count("pk", filter=Q(briefed=False))
    )
    guide = session.questions.aggregate(total=Count("pk"), minutes=Sum("planned_minutes"))
    return {"panel": panel, "listeners": listeners, "guide": guide, "rules": session.rules.count()}


def preparation_checklist(session, counts=None) -> list[Item]:
    """The checklist, from `counts` (preparation_counts) when the caller has them."""
    pk = session.pk
    counts = counts or preparation_counts(session)
    panel, listeners, guide = counts["panel"], counts["listeners"], counts["guide"]
    rules = counts["rules"]
    problems = session.independence_problems()
    panel_url = reverse("panel", args=[pk])
    listeners_url = reverse("listeners", args=[pk])
    edit_url = reverse("session_edit", args=[pk])
    edit = _("Gegevens wijzigen")

    items = [
        Item(
            _("Gespreksleider gekozen"), bool(session.facilitator_id), True, url=edit_url, todo=edit
        ),
        Item(_("Datum en tijd vastgelegd"), bool(session.starts_at), True, url=edit_url, todo=edit),
        Item(_("Thema vastgelegd"), bool(session.theme.strip()), True, url=edit_url, todo=edit),
        Item(
            _("Gespreksleider is onafhankelijk"),
            not problems,
            any(blocking for blocking, _message in problems),
            detail=" ".join(str(message) for _blocking, message in problems),
            url=edit_url,
            todo=edit,
        ),
        Item(
            _("Minstens %(n)s bevestigde panelleden") % {"n": MIN_CONFIRMED_PANEL},
            panel["confirmed"] >= MIN_CONFIRMED_PANEL,
            False,
            detail=(
                _("%(n)s bevestigd.") % {"n": panel["confirmed"]}
                if panel["confirmed"] >= MIN_CONFIRMED_PANEL
                else _("%(n)s bevestigd. Nodig een paar mensen extra uit: er valt vaak iemand af.")
                % {"n": panel["confirmed"]}
            ),
            url=panel_url,
            todo=_("Panel aanvullen"),
        ),
        Item(
            _("Toestemming vastgelegd voor elk bevestigd panellid"),
            panel["confirmed"] > 0 and panel["confirmed_without_consent"] == 0,
            False,
            detail=(
                ngettext(
                    "%(n)s panellid zonder geldige toestemming.",
                    "%(n)s panelleden zonder geldige toestemming.",
                    panel["confirmed_without_consent"],
                )
                % {"n": panel["confirmed_without_consent"]}
                if panel["confirmed_without_consent"]
                else ""
            ),
            url=panel_url,
            todo=_("Panel aanvullen"),
        ),
        Item(
            _("Toehoorders uitgenodigd (hoogstens %(n)s)") % {"n": MAX_LISTENERS},
            0 < listeners["total"] <= MAX_LISTENERS,
            False,
            detail=(
                _("%(n)s toehoorders: meer dan %(max)s maakt het panel onveilig.")
                % {"n": listeners["total"], "max": MAX_LISTENERS}
                if listeners["total"] > MAX_LISTENERS
                else ""
            ),
            url=listeners_url,
            todo=_("Toehoorders aanvullen"),
        ),
        Item(
            _("Alle toehoorders geïnformeerd over hun rol"),
            listeners["total"] > 0 and listeners["unbriefed"] == 0,
            False,
            detail=(
                ngettext(
                    "%(n)s toehoorder nog niet geïnformeerd.",
                    "%(n)s toehoorders nog niet geïnformeerd.",
                    listeners["unbriefed"],
                )
                % {"n": listeners["unbriefed"]}
                if listeners["unbriefed"]
                else ""
            ),
            url=listeners_url,
            todo=_("Toehoorders aanvullen"),
        ),
        Item(
            _("Vragenlijst met minstens één vraag"),
            guide["total"] > 0,
            True,
            url=reverse("guide", args=[pk]),
            todo=_("Vragenlijst aanvullen"),
        ),
        Item(
            _("Geplande tijd past binnen de duur"),
            guide["total"] > 0 and (guide["minutes"] or 0) <= session.duration_minutes,
            False,
            detail=_("%(planned)s van %(duration)s minuten gepland.")
            % {"planned": guide["minutes"] or 0, "duration": session.duration_minutes},
            url=reverse("guide", args=[pk]),
            todo=_("Vragenlijst aanvullen"),
        ),
        Item(
            _("Spelregels opgenomen"),
            rules > 0,
            True,
            url=reverse("rules", args=[pk]),
            todo=_("Spelregels opnemen"),
        ),
    ]
    return items


def summary(items) -> dict:
    return {
        "blocking_open": [i for i in items if i.blocking and not i.done],
        "advice_open": [i for i in items if not i.blocking and not i.done],
        "complete": all(i.done for i in items),
    }


def invitations_pending(session) -> int:
    """How many people on the lists could get their invitation but have not had it yet (the
    rules of sessions/services/invitations.py: an address, and for a panel member consent to
    take part and not cancelled). Two counts."""
    panel = session.panel_members.filter(
        invited_at__isnull=True,
        consent_participation=True,
        consent_withdrawn_at__isnull=True,
        contact__isnull=False,
    ).exclude(Q(status=RecruitmentStatus.CANCELLED) | Q(contact__email=""))
    listeners = session.listeners.filter(invited_at__isnull=True).exclude(
        Q(email="") & (Q(user__isnull=True) | Q(user__email=""))
    )
    return panel.count() + listeners.count()


def main_action(session, items) -> tuple[str, Item | None]:
    """The page's one primary button: the next step on the way through the checklist, as
    (kind, item). Kinds: "plan", "start", "invitations", "edit" or "item" (the open checklist
    item: the session's details, or another page), "debrief" (after the meeting, for everyone
    who reads the debrief), or "" when the user has no step to take here (session.access says
    what they may do). While the meeting runs the live alert carries the primary button.

    A draft is planned as soon as what planning needs is there (the guide and rules may
    follow); a planned session first gets what it cannot start without, then its
    invitations, then the advice items, in the checklist's order; on the day it starts."""
    access = session.access
    if access.can_see_debrief:
        return "debrief", None
    if not access.can_edit:
        return "", None
    edit_url = reverse("session_edit", args=[session.pk])

    def step(item):
        # The session's own details are changed with the page's "Gegevens wijzigen" button.
        return ("edit" if item.url == edit_url else "item"), item

    blocking = [i for i in items if i.blocking and not i.done]
    if access.offers_plan:
        needed_for_plan = [i for i in blocking if i.url == edit_url]
        return step(needed_for_plan[0]) if needed_for_plan else ("plan", None)
    if not access.offers_start:
        return "", None
    if blocking:
        return step(blocking[0])
    if not session.is_starting_well_ahead:
        return "start", None
    if access.offers_invitations and invitations_pending(session):
        return "invitations", None
    advice = [i for i in items if not i.done]
    return step(advice[0]) if advice else ("", None)


def next_step(session) -> str:
    """What the facilitator does next, in one sentence."""
    if session.status == Status.PLANNED and not session.is_starting_well_ahead:
        return _("Het gesprek is vandaag of binnenkort: start het als iedereen er is.")
    return {
        Status.DRAFT: _("Vul de voorbereiding aan en plan het gesprek."),
        Status.PLANNED: _("Nodig deelnemers uit; start het gesprek op de dag zelf."),
        Status.LIVE: _("Het gesprek is bezig."),
        Status.DEBRIEF: _("Het nagesprek volgt: lessen en verbeteracties."),
        Status.CLOSED: _("Het gesprek is afgesloten."),
    }[session.status]
