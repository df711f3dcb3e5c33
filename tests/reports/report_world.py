"""A session worth a report: the debrief world with everything the reports show.

Panel: A (quotes allowed), B (withdrew consent after the meeting), C (no consent for quotes);
their real names are distinctive, so a leak is easy to spot. Listeners by name and function;
rules, two questions, findings of every kind, a theme, a blind spot, the debrief's answers, a
lesson, actions in several states, evaluations from both groups, and a draft letter.
"""

import datetime as dt
import uuid

from django.utils import timezone

from findings.models import Debrief, Finding, Lesson, Theme
from findings.services.actions import record_progress
from participants.constants import RecruitmentStatus
from participants.models import PanelMember, PanelMemberContact
from sessions.models import Evaluation
from tests.factories import ListenerFactory, RuleFactory
from tests.findings.debrief_world import DebriefWorld, add_finding

REAL_NAMES = ["Henk Vertrouwelijk", "Fatima Geheimhouding", "Gerrit Onbekend"]
QUOTE_A = "“Eindelijk iemand die echt naar mij luisterde.”"
QUOTE_B = "“Ik voelde me een dossiernummer.”"  # B withdrew: never in a report
QUOTE_C = "“Ze lachten me gewoon uit aan de balie.”"  # C gave no consent for quotes
WITHDRAWN_FINDING = "Ik werd drie keer doorverbonden voordat iemand mijn aanvraag kon vinden."
LISTENER_FUNCTION = "Beleidsmedewerker armoede"
LESSON = "Wij denken in regelingen, inwoners denken in problemen."
IMPACT = "Het raakte ons hoe vaak mensen van het kastje naar de muur gingen."
ACT_ON = "De terugbelbelofte en brieven in eenvoudige taal."


class ReportWorld(DebriefWorld):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        session = self.session
        session.location = "Wijkcentrum De Kade, Vlaardingen"
        session.target_group = "Inwoners die het afgelopen jaar een Wmo-aanvraag deden"
        session.save(update_fields=["location", "target_group"])
        members = [self.member, self.member_b, self.member_c]
        PanelMember.objects.filter(pk__in=[m.pk for m in members]).update(
            status=RecruitmentStatus.ATTENDED
        )
        for member, name in zip(members, REAL_NAMES, strict=True):
            PanelMemberContact.objects.filter(panel_member=member).update(name=name)
        self.member_b.refresh_from_db()
        self.quote_a = add_finding(
            session, QUOTE_A, kind="quote", question=self.question, speaker=self.member
        )
        self.quote_c = add_finding(
            session, QUOTE_C, kind="quote", question=self.question2, speaker=self.member_c
        )
        self.theme = Theme.objects.create(organisation=self.org_a, name="Bereikbaarheid")
        Finding.objects.filter(pk__in=[self.findings[1].pk, self.findings[6].pk]).update(
            theme=self.theme
        )
        Finding.objects.filter(pk=self.findings[4].pk).update(blind_spot=True)
        ListenerFactory(session=session, name="Bram Beleid", function=LISTENER_FUNCTION)
        ListenerFactory(session=session, name="Afwezige Ambtenaar", attended=False)
        RuleFactory(session=session, text="Wat hier gezegd wordt, blijft in deze ruimte.")
        Debrief.objects.create(session=session, impact=IMPACT, act_on=ACT_ON)
        Lesson.objects.create(session=session, text=LESSON, created_by=self.listener)
        self.callback = self.new_action()
        self.letter_action = self.new_action(
            findings=[self.findings[4]],
            title="Beschikkingsbrief herschrijven op B1-niveau",
            owner=self.coordinator,
            client_sentence="Wij schrijven onze brieven voortaan in eenvoudige taal.",
        )
        record_progress(action=self.letter_action, by=self.listener, status="in_progress")
        self.evaluate()

    def evaluate(self):
        now = timezone.now()
        for member, faces in [(self.member, (5, 4, 3, 5)), (self.member_c, (4, 4, 2, 4))]:
            Evaluation.objects.create(
                session=self.session,
                panel_member=member,
                experience=faces[0],
                safety=faces[1],
                enough_time=faces[2],
                again=faces[3],
                comment="Mijn buurvrouw Truus zei dat ook.",
                responded_at=now,
            )
        Evaluation.objects.create(
            session=self.session,
            listener=self.listener_entry,
            experience=5,
            safety=5,
            enough_time=4,
            again=5,
            responded_at=now,
        )

    def add_findings(self, n):
        """n more findings of every kind, spread over the panel and the questions."""
        kinds = ["positive", "improvement", "wish", "quote", "later"]
        speakers = [self.member, self.member_b, self.member_c, None]
        questions = [self.question, self.question2, None]
        Finding.objects.bulk_create(
            Finding(
                session=self.session,
                client_id=uuid.uuid4(),
                text=f"Bevinding {i}: de wachttijd voor de keukentafel was te lang.",
                kind=kinds[i % 5],
                speaker=speakers[i % 4],
                question=questions[i % 3],
                theme=self.theme if i % 2 else None,
                starred=i % 7 == 0,
                created_by=self.facilitator,
            )
            for i in range(n)
        )

    def add_actions(self, n):
        for i in range(n):
            self.new_action(
                title=f"Verbeteractie {i}: wachttijd zichtbaar maken",
                due_date=timezone.localdate() + dt.timedelta(days=10 + i),
            )
