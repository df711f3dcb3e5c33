"""A session in its debrief, with realistic Dutch findings, for the debrief and letter tests."""

import datetime as dt
import uuid

from django.utils import timezone

from findings.models import Finding
from findings.services.actions import create_action
from participants.constants import Role
from sessions.constants import Status
from tests.factories import (
    ListenerFactory,
    MembershipFactory,
    PanelMemberFactory,
    QuestionFactory,
    SessionFactory,
    UserFactory,
    World,
)

FINDINGS = [
    # (question index, kind, speaker index, starred, text)
    (0, "positive", 0, False, "De consulent nam echt de tijd aan de keukentafel."),
    (
        0,
        "improvement",
        1,
        True,
        "Ik werd drie keer doorverbonden voordat iemand mijn aanvraag kon vinden.",
    ),
    (0, "quote", 1, False, "“Ik voelde me een dossiernummer.”"),
    (1, "wish", 0, False, "Eén vast aanspreekpunt, dat zou al zoveel schelen."),
    (1, "improvement", 2, False, "De brief over de beschikking was voor mij niet te begrijpen."),
    (1, "later", None, False, "Vervoer naar de dagbesteding: apart bespreken met de vervoerder."),
    (None, "improvement", 2, False, "Niemand belde terug na de aanvraag."),
]


def add_finding(session, text, *, kind="improvement", question=None, speaker=None, starred=False):
    return Finding.objects.create(
        session=session,
        client_id=uuid.uuid4(),
        text=text,
        kind=kind,
        question=question,
        speaker=speaker,
        starred=starred,
        created_by=session.facilitator,
    )


class DebriefWorld(World):
    """World's session after the meeting: two questions, three panel members (one of whom
    withdrew consent), seven findings, and a second session of organisation A whose listener
    must not see this one's debrief."""

    def __init__(self, *, status=Status.DEBRIEF):
        super().__init__(status=status)
        self.session.ended_at = timezone.now()
        self.session.save(update_fields=["ended_at"])
        self.question.text = "Hoe verliep uw eerste contact met het wijkteam?"
        self.question.save(update_fields=["text"])
        self.question2 = QuestionFactory(
            session=self.session, text="Wat vond u van de beslissing over uw aanvraag?"
        )
        self.member_b = PanelMemberFactory(session=self.session)
        self.member_c = PanelMemberFactory(session=self.session, consent_quotes=False)
        speakers = [self.member, self.member_b, self.member_c]
        questions = [self.question, self.question2]
        self.findings = [
            add_finding(
                self.session,
                text,
                kind=kind,
                question=None if q is None else questions[q],
                speaker=None if s is None else speakers[s],
                starred=starred,
            )
            for q, kind, s, starred, text in FINDINGS
        ]
        self.member_b.withdraw_consent()
        # A colleague who listened in at another session of the same organisation.
        other = SessionFactory(facilitator=self.facilitator, organisations=[self.org_a])
        self.other_session = other
        self.other_listener = UserFactory(username="other-listener")
        MembershipFactory(user=self.other_listener, organisation=self.org_a, role=Role.PROFESSIONAL)
        ListenerFactory(session=other, user=self.other_listener, name="Otto Elders")
        self.other_finding = add_finding(other, "Een bevinding uit een ander gesprek.")

    def new_action(self, *, findings=None, by=None, **fields):
        defaults = {
            "title": "Terugbelbelofte nakomen",
            "owner": self.listener,
            "due_date": timezone.localdate() + dt.timedelta(days=30),
            "client_sentence": "U wordt binnen twee werkdagen teruggebeld.",
        }
        return create_action(
            session=self.session,
            by=by or self.listener,
            findings=findings or [self.findings[1]],
            **{**defaults, **fields},
        )
