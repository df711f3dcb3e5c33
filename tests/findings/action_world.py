"""Improvement actions with realistic Dutch content, for the action pages' tests.

`ActionWorld` is the suite's World in its debrief, plus the people an action can have: an owner
who is a professional of organisation A but did not listen in, and a co-owner from outside
organisation A. Findings are made the way the live page makes them (a browser-made client_id);
actions go through `findings.actions.create_action`, as the debrief does.
"""

import datetime as dt
import itertools
import uuid

from django.utils import timezone

from findings.models import Finding, ImprovementAction, Theme
from findings.services.actions import create_action, record_progress
from participants.constants import Role
from sessions.constants import Status
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, World

TITLES = [
    "Terugbelbelofte binnen twee werkdagen nakomen",
    "Brief over de beschikking herschrijven op B1-niveau",
    "Vast aanspreekpunt per inwoner invoeren",
    "Keukentafelgesprek voortaan thuis bij de inwoner",
    "Wachttijd voor huishoudelijke hulp zichtbaar maken",
    "Uitleg eigen bijdrage toevoegen aan het eerste gesprek",
    "Mantelzorger standaard uitnodigen bij het gesprek",
    "Telefonische bereikbaarheid wijkteam uitbreiden tot 17.00 uur",
]
FINDINGS = [
    ("improvement", "Ik moest drie keer bellen voordat iemand me terugbelde."),
    ("positive", "De consulent nam echt de tijd voor mijn verhaal."),
    ("improvement", "De brief met het besluit begreep ik niet, mijn dochter ook niet."),
    ("wish", "Eén vaste persoon die ik kan bellen, dat zou fijn zijn."),
    ("quote", "“Ik voelde me eindelijk gehoord.”"),
    ("positive", "Het gesprek aan de keukentafel voelde vertrouwd."),
]


def make_finding(session, text, *, kind="improvement", speaker=None, theme=None, blind=False):
    return Finding.objects.create(
        session=session,
        client_id=uuid.uuid4(),
        text=text,
        kind=kind,
        speaker=speaker,
        theme=theme,
        blind_spot=blind,
        created_by=session.facilitator,
    )


def make_action(
    session,
    *,
    by,
    owner,
    findings,
    due_in=30,
    status=None,
    co_owners=(),
    title=None,
    **fields,
) -> ImprovementAction:
    """An action due `due_in` days from today (negative: overdue, set after creation as if
    time had passed), optionally moved to `status` through the progress log."""
    today = timezone.localdate()
    action = create_action(
        session=session,
        by=by,
        findings=findings,
        co_owners=co_owners,
        title=title or TITLES[0],
        owner=owner,
        due_date=today + dt.timedelta(days=max(due_in, 0)),
        **fields,
    )
    if due_in < 0:
        ImprovementAction.objects.filter(pk=action.pk).update(
            due_date=today + dt.timedelta(days=due_in)
        )
        action.refresh_from_db()
    if status and status != action.status:
        note = "Afgerond in het teamoverleg." if status in ("done", "dropped") else None
        record_progress(action=action, by=by, status=status, closing_note=note)
    return action


class ActionWorld(World):
    def __init__(self):
        super().__init__(status=Status.DEBRIEF)
        # A session in its debrief was held: three weeks ago.
        self.session.starts_at = timezone.now() - dt.timedelta(days=21)
        self.session.save(update_fields=["starts_at"])
        self.owner = UserFactory(username="owner", first_name="Olga", last_name="Eigenaar")
        MembershipFactory(user=self.owner, organisation=self.org_a, role=Role.PROFESSIONAL)
        elsewhere = OrganisationFactory(name="Welzijn Vlaardingen")
        self.co_owner = UserFactory(username="coowner", first_name="Cor", last_name="Mede")
        MembershipFactory(user=self.co_owner, organisation=elsewhere, role=Role.PROFESSIONAL)
        self.theme = Theme.objects.create(organisation=self.org_a, name="Bereikbaarheid")
        self.finding = make_finding(
            self.session, FINDINGS[0][1], speaker=self.member, theme=self.theme
        )
        self.action = make_action(
            self.session,
            by=self.coordinator,
            owner=self.owner,
            co_owners=[self.co_owner],
            findings=[self.finding],
            description="Iedereen die belt, hoort binnen twee werkdagen iets terug.",
            client_sentence="U wordt voortaan binnen twee werkdagen teruggebeld.",
        )

    def more_actions(self, n, *, session=None, start=0):
        """n more actions in the world's session, in every state a list may meet."""
        session = session or self.session
        owners = itertools.cycle([self.owner, self.listener, self.co_owner])
        statuses = itertools.cycle(["open", "in_progress", "done", "dropped", "open"])
        created = []
        for i in range(start, start + n):
            kind, text = FINDINGS[i % len(FINDINGS)]
            finding = make_finding(session, text, kind=kind, speaker=self.member, theme=self.theme)
            created.append(
                make_action(
                    session,
                    by=self.coordinator,
                    owner=next(owners),
                    co_owners=[self.co_owner] if i % 3 == 0 else [],
                    findings=[finding],
                    title=f"{TITLES[i % len(TITLES)]} ({i})",
                    due_in=[-10, 3, 20, 60][i % 4],
                    status=next(statuses),
                    priority=["high", "normal", "low"][i % 3],
                )
            )
        return created
