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


def preparation_checklist(session) -> list[Item]:
    pk = session.pk
    panel = session.panel_members.aggregate(
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
    rules = session.rules.count()
    problems = session.independence_problems()
    panel_url = reverse("panel", args=[pk])
    listeners_url = reverse("listeners", args=[pk])
    edit_url = reverse("session_edit", args=[pk])

    items = [
        Item(_("Gespreksleider gekozen"), bool(session.facilitator_id), True, url=edit_url),
        Item(_("Datum en tijd vastgelegd"), bool(session.starts_at), True, url=edit_url),
        Item(_("Thema vastgelegd"), bool(session.theme.strip()), True, url=edit_url),
        Item(
            _("Gespreksleider is onafhankelijk"),
            not problems,
            any(blocking for blocking, _message in problems),
            detail=" ".join(str(message) for _blocking, message in problems),
            url=edit_url,
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
        ),
        Item(
            _("Vragenlijst met minstens één vraag"),
            guide["total"] > 0,
            True,
            url=reverse("guide", args=[pk]),
        ),
        Item(
            _("Geplande tijd past binnen de duur"),
            guide["total"] > 0 and (guide["minutes"] or 0) <= session.duration_minutes,
            False,
            detail=_("%(planned)s van %(duration)s minuten gepland.")
            % {"planned": guide["minutes"] or 0, "duration": session.duration_minutes},
            url=reverse("guide", args=[pk]),
        ),
        Item(_("Spelregels opgenomen"), rules > 0, True, url=reverse("rules", args=[pk])),
    ]
    return items


def summary(items) -> dict:
    return {
        "blocking_open": [i for i in items if i.blocking and not i.done],
        "advice_open": [i for i in items if not i.blocking and not i.done],
        "complete": all(i.done for i in items),
    }


def main_action(session) -> str:
    """The page's one primary button: the next step of the preparation. "plan" a draft;
    for a planned session "invitations" while the day is still ahead, "start" on the day;
    "" when the user has no step to take here (session.access says what they may do)."""
    access = session.access
    if access.offers_plan:
        return "plan"
    if access.offers_start and not session.is_starting_well_ahead:
        return "start"
    if access.offers_invitations:
        return "invitations"
    return ""


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
