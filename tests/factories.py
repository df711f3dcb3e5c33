"""Where the people and sessions the tests use are built.

Factories build one object each, the least a test needs, the way the app makes it (findings
with a browser-made client_id, actions through create_action, progress through
record_progress). The worlds below combine them into the situations many tests share:

- `World`: the four kinds of people every access test needs, around one session of org A;
- `OtherSession`: a session outside A's network, whose ids a tamperer would try;
- `DebriefWorld`: World's session after the meeting, with realistic Dutch findings;
- `ActionWorld`: World in its debrief with an owner, a co-owner and one improvement action;
- `ReportWorld`: DebriefWorld with everything the reports show;
- `Worlds` (tests/fixtures.py's `worlds`): the ROLES and one session per status.

`World` and `Worlds` share their `People`. The ROLES are the nine kinds of visitor every
access test needs around a session of organisation A (DESIGN.md §6, STYLE.md rule 9):

- facilitator, co_facilitator: lead the session;
- listener: a professional of A who listens in;
- coordinator: coordinates A;
- member: a professional of A who neither listens in nor coordinates (an "other user");
- beheerder: runs organisation A (members, rules, library), with no role in its sessions;
- staff: a platform beheerder (is_staff), member of no organisation;
- outsider: coordinates organisation B of the same network;
- anonymous: not logged in.
"""

import datetime as dt
import itertools
import uuid

import factory
from django.conf import settings
from django.test import Client
from django.utils import timezone

from findings.models import Debrief, Finding, ImprovementAction, Lesson, ReportJob, Theme
from findings.services.actions import create_action, record_progress
from participants.constants import OrganisationKind, RecruitmentStatus, Role
from participants.models import (
    Invitation,
    Listener,
    Membership,
    Organisation,
    PanelMember,
    PanelMemberContact,
    User,
)
from sessions.constants import Status
from sessions.models import Evaluation, LibraryQuestion, Question, Rule, Session

PASSWORD = "demo-wachtwoord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Jansen"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nl")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Regionaal netwerk {n}")
    kind = OrganisationKind.NETWORK


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    kind = OrganisationKind.MUNICIPALITY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONAL


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Spiegelgesprek {n}")
    theme = "De Wmo-aanvraag bij het wijkteam"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    facilitator = factory.SubFactory(UserFactory)

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.organisations.set(extracted)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    status = RecruitmentStatus.CONFIRMED
    consent_date = factory.LazyFunction(timezone.localdate)
    consent_letter_version = "2026-1"
    consent_participation = True
    consent_quotes = True
    consent_feedback = True
    contact = factory.RelatedFactory(
        "tests.factories.PanelMemberContactFactory", factory_related_name="panel_member"
    )


class PanelMemberContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMemberContact

    panel_member = factory.SubFactory(PanelMemberFactory, contact=None)
    name = factory.Sequence(lambda n: f"Cliënt Geheimnaam{n}")
    email = factory.Sequence(lambda n: f"client{n}@example.org")
    phone = "06-12345678"


class ListenerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listener

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Toehoorder {n}")
    email = factory.Sequence(lambda n: f"toehoorder{n}@example.nl")
    function = "Wmo-consulent"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    session = factory.SubFactory(SessionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Vraag {n}: hoe ging het?")
    planned_minutes = 10


class LibraryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryQuestion

    text = factory.Sequence(lambda n: f"Bibliotheekvraag {n}")
    theme = "Toegang"


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    session = factory.SubFactory(SessionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Toehoorders zwijgen."


class FindingFactory(factory.django.DjangoModelFactory):
    """A note made the way the live page makes it: with a browser-made client_id."""

    class Meta:
        model = Finding

    session = factory.SubFactory(SessionFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    text = "Ik werd niet teruggebeld."
    kind = "improvement"
    created_by = factory.LazyAttribute(lambda f: f.session.facilitator)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Thema {n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    session = factory.SubFactory(SessionFactory)
    text = "Vraag door."
    created_by = factory.LazyAttribute(lambda lesson: lesson.session.facilitator)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A personal evaluation link (unanswered)."""

    class Meta:
        model = Evaluation

    session = factory.SubFactory(SessionFactory)


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    """An action made as the debrief makes it (findings.services.actions.create_action): by a
    professional, tracing back to at least one finding of its session.

    `due_in`: due that many days from today (negative: overdue, set after creation as if time
    had passed). `status`: moved there through the progress log, by `by`."""

    class Meta:
        model = ImprovementAction

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Verbeteractie {n}")
    owner = factory.LazyAttribute(lambda a: a.session.facilitator)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        session,
        by=None,
        findings=None,
        co_owners=(),
        due_in=None,
        status=None,
        **fields,
    ):
        if not session.organisations.exists():
            # Every action belongs to an organisation of its session: a bare session gets one.
            session.organisations.add(OrganisationFactory())
        findings = findings or [FindingFactory(session=session)]
        by = by or fields["owner"]
        today = timezone.localdate()
        if due_in is not None:
            fields["due_date"] = today + dt.timedelta(days=max(due_in, 0))
        action = create_action(
            session=session, by=by, findings=findings, co_owners=co_owners, **fields
        )
        if due_in is not None and due_in < 0:
            ImprovementAction.objects.filter(pk=action.pk).update(
                due_date=today + dt.timedelta(days=due_in)
            )
            action.refresh_from_db()
        if status and status != action.status:
            note = "Afgerond in het teamoverleg." if status in ("done", "dropped") else None
            record_progress(action=action, by=by, status=status, closing_note=note)
        return action


class DebriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debrief

    session = factory.SubFactory(SessionFactory)


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A finished background report (a requester's own)."""

    class Meta:
        model = ReportJob

    requested_by = factory.SubFactory(UserFactory)
    report = ReportJob.Report.ACTIONS
    language = "nl"
    status = ReportJob.Status.DONE
    content = b"%PDF-1.7 test"
    filename = "verbeteracties.pdf"


class People:
    """Organisations A and B of one network, a client-interest organisation, and the people
    around a session of A: its facilitator (of the client-interest organisation), a listener
    and a professional of A who does not listen in, the coordinator of A, and an outsider who
    coordinates B. With `co_facilitator`, a second facilitator too."""

    def __init__(self, *, co_facilitator=False):
        network = NetworkFactory()
        self.org_a = OrganisationFactory(name="Gemeente Alfa", network=network)
        self.org_b = OrganisationFactory(name="Gemeente Beta", network=network)
        self.client_org = OrganisationFactory(
            name="Cliëntbelang", kind=OrganisationKind.CLIENT_INTEREST, network=network
        )
        self.facilitator = UserFactory(username="facilitator")
        if co_facilitator:
            self.co_facilitator = UserFactory(username="co_facilitator")
        self.listener = UserFactory(username="listener")
        self.coordinator = UserFactory(username="coordinator")
        self.outsider = UserFactory(username="outsider")
        self.professional = UserFactory(username="professional")  # member of A, not listening
        MembershipFactory(
            user=self.facilitator, organisation=self.client_org, role=Role.FACILITATOR
        )
        MembershipFactory(user=self.listener, organisation=self.org_a, role=Role.PROFESSIONAL)
        MembershipFactory(user=self.coordinator, organisation=self.org_a, role=Role.COORDINATOR)
        MembershipFactory(user=self.professional, organisation=self.org_a, role=Role.PROFESSIONAL)
        MembershipFactory(user=self.outsider, organisation=self.org_b, role=Role.COORDINATOR)

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)

    def client_for(self, role) -> Client:
        """A test client logged in as that role (or anonymous)."""
        client = Client()
        if role != "anonymous":
            client.force_login(self.user(role))
        return client


class World(People):
    """The People around one session of org A, with a panel member, a listener entry for the
    listener, a question and a rule; in `status` (set directly, as if the session got there)."""

    def __init__(self, *, status="draft"):
        super().__init__()
        self.session = SessionFactory(facilitator=self.facilitator, organisations=[self.org_a])
        self.member = PanelMemberFactory(session=self.session)
        self.listener_entry = ListenerFactory(
            session=self.session, user=self.listener, name="Lies Luisteraar"
        )
        self.question = QuestionFactory(session=self.session)
        self.rule = RuleFactory(session=self.session)
        if status != "draft":
            Session.objects.filter(pk=self.session.pk).update(status=status)
            self.session.refresh_from_db()


class OtherSession:
    """A session of an organisation outside the world's network, led by someone else.

    Its question, rule, panel member and listener ids are what a tamperer would put into the
    URLs of the world's session.
    """

    def __init__(self):
        organisation = OrganisationFactory(name="Gemeente Gamma")
        self.session = SessionFactory(
            facilitator=UserFactory(username="other-facilitator"), organisations=[organisation]
        )
        self.member = PanelMemberFactory(session=self.session)
        self.listener_entry = ListenerFactory(session=self.session, name="Olga Ander")
        self.question = QuestionFactory(session=self.session)
        self.rule = RuleFactory(session=self.session)


# --- The debrief: realistic Dutch findings after the meeting --------------------------------

DEBRIEF_FINDINGS = [
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
            FindingFactory(
                session=self.session,
                text=text,
                kind=kind,
                question=None if q is None else questions[q],
                speaker=None if s is None else speakers[s],
                starred=starred,
            )
            for q, kind, s, starred, text in DEBRIEF_FINDINGS
        ]
        self.member_b.withdraw_consent()
        # A colleague who listened in at another session of the same organisation.
        other = SessionFactory(facilitator=self.facilitator, organisations=[self.org_a])
        self.other_session = other
        self.other_listener = UserFactory(username="other-listener")
        MembershipFactory(user=self.other_listener, organisation=self.org_a, role=Role.PROFESSIONAL)
        ListenerFactory(session=other, user=self.other_listener, name="Otto Elders")
        self.other_finding = FindingFactory(
            session=other, text="Een bevinding uit een ander gesprek."
        )

    def new_action(self, *, findings=None, by=None, **fields):
        defaults = {
            "title": "Terugbelbelofte nakomen",
            "owner": self.listener,
            "due_date": timezone.localdate() + dt.timedelta(days=30),
            "client_sentence": "U wordt binnen twee werkdagen teruggebeld.",
        }
        return ImprovementActionFactory(
            session=self.session,
            by=by or self.listener,
            findings=findings or [self.findings[1]],
            **{**defaults, **fields},
        )


# --- Improvement actions: the action pages' world ------------------------------------------

ACTION_TITLES = [
    "Terugbelbelofte binnen twee werkdagen nakomen",
    "Brief over de beschikking herschrijven op B1-niveau",
    "Vast aanspreekpunt per inwoner invoeren",
    "Keukentafelgesprek voortaan thuis bij de inwoner",
    "Wachttijd voor huishoudelijke hulp zichtbaar maken",
    "Uitleg eigen bijdrage toevoegen aan het eerste gesprek",
    "Mantelzorger standaard uitnodigen bij het gesprek",
    "Telefonische bereikbaarheid wijkteam uitbreiden tot 17.00 uur",
]
ACTION_FINDINGS = [
    ("improvement", "Ik moest drie keer bellen voordat iemand me terugbelde."),
    ("positive", "De consulent nam echt de tijd voor mijn verhaal."),
    ("improvement", "De brief met het besluit begreep ik niet, mijn dochter ook niet."),
    ("wish", "Eén vaste persoon die ik kan bellen, dat zou fijn zijn."),
    ("quote", "“Ik voelde me eindelijk gehoord.”"),
    ("positive", "Het gesprek aan de keukentafel voelde vertrouwd."),
]


class ActionWorld(World):
    """World in its debrief (held three weeks ago), plus the people an action can have: an
    owner who is a professional of organisation A but did not listen in, and a co-owner from
    outside organisation A; one action by the coordinator, tracing back to one finding."""

    def __init__(self):
        super().__init__(status=Status.DEBRIEF)
        self.session.starts_at = timezone.now() - dt.timedelta(days=21)
        self.session.save(update_fields=["starts_at"])
        self.owner = UserFactory(username="owner", first_name="Olga", last_name="Eigenaar")
        MembershipFactory(user=self.owner, organisation=self.org_a, role=Role.PROFESSIONAL)
        elsewhere = OrganisationFactory(name="Welzijn Vlaardingen")
        self.co_owner = UserFactory(username="coowner", first_name="Cor", last_name="Mede")
        MembershipFactory(user=self.co_owner, organisation=elsewhere, role=Role.PROFESSIONAL)
        self.theme = ThemeFactory(organisation=self.org_a, name="Bereikbaarheid")
        self.finding = FindingFactory(
            session=self.session, text=ACTION_FINDINGS[0][1], speaker=self.member, theme=self.theme
        )
        self.action = ImprovementActionFactory(
            session=self.session,
            by=self.coordinator,
            owner=self.owner,
            co_owners=[self.co_owner],
            findings=[self.finding],
            title=ACTION_TITLES[0],
            due_in=30,
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
            kind, text = ACTION_FINDINGS[i % len(ACTION_FINDINGS)]
            finding = FindingFactory(
                session=session, text=text, kind=kind, speaker=self.member, theme=self.theme
            )
            created.append(
                ImprovementActionFactory(
                    session=session,
                    by=self.coordinator,
                    owner=next(owners),
                    co_owners=[self.co_owner] if i % 3 == 0 else [],
                    findings=[finding],
                    title=f"{ACTION_TITLES[i % len(ACTION_TITLES)]} ({i})",
                    due_in=[-10, 3, 20, 60][i % 4],
                    status=next(statuses),
                    priority=["high", "normal", "low"][i % 3],
                )
            )
        return created


# --- A session worth a report ----------------------------------------------------------------

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
    """The debrief world with everything the reports show.

    Panel: A (quotes allowed), B (withdrew consent after the meeting), C (no consent for
    quotes); their real names are distinctive, so a leak is easy to spot. Listeners by name and
    function; rules, two questions, findings of every kind, a theme, a blind spot, the
    debrief's answers, a lesson, actions in several states and evaluations from both groups.
    """

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
        self.quote_a = FindingFactory(
            session=session, text=QUOTE_A, kind="quote", question=self.question, speaker=self.member
        )
        self.quote_c = FindingFactory(
            session=session,
            text=QUOTE_C,
            kind="quote",
            question=self.question2,
            speaker=self.member_c,
        )
        self.theme = ThemeFactory(organisation=self.org_a, name="Bereikbaarheid")
        Finding.objects.filter(pk__in=[self.findings[1].pk, self.findings[6].pk]).update(
            theme=self.theme
        )
        Finding.objects.filter(pk=self.findings[4].pk).update(blind_spot=True)
        ListenerFactory(session=session, name="Bram Beleid", function=LISTENER_FUNCTION)
        ListenerFactory(session=session, name="Afwezige Ambtenaar", attended=False)
        RuleFactory(session=session, text="Wat hier gezegd wordt, blijft in deze ruimte.")
        DebriefFactory(session=session, impact=IMPACT, act_on=ACT_ON)
        LessonFactory(session=session, text=LESSON, created_by=self.listener)
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
            EvaluationFactory(
                session=self.session,
                panel_member=member,
                experience=faces[0],
                safety=faces[1],
                enough_time=faces[2],
                again=faces[3],
                comment="Mijn buurvrouw Truus zei dat ook.",
                responded_at=now,
            )
        EvaluationFactory(
            session=self.session,
            listener=self.listener_entry,
            experience=5,
            safety=5,
            enough_time=4,
            again=5,
            responded_at=now,
        )

    def add_findings(self, n):
        """n more findings of every kind, spread over the panel and the questions (one query)."""
        kinds = ["positive", "improvement", "wish", "quote", "later"]
        speakers = [self.member, self.member_b, self.member_c, None]
        questions = [self.question, self.question2, None]
        Finding.objects.bulk_create(
            FindingFactory.build(
                session=self.session,
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


# --- The permission matrix: every role, one session per status ------------------------------

ROLES = (
    "facilitator",
    "co_facilitator",
    "listener",
    "coordinator",
    "member",
    "beheerder",
    "staff",
    "outsider",
    "anonymous",
)
STATUSES = (Status.DRAFT, Status.PLANNED, Status.LIVE, Status.DEBRIEF, Status.CLOSED)


class SessionWorld:
    """One session of organisation A in `status`, with one of everything a URL can name."""

    def __init__(self, people, status):
        self.status = status
        self.session = SessionFactory(
            facilitator=people.facilitator,
            co_facilitator=people.co_facilitator,
            organisations=[people.org_a],
        )
        self.question = QuestionFactory(session=self.session)
        self.question2 = QuestionFactory(session=self.session)
        self.rule = RuleFactory(session=self.session)
        self.member = PanelMemberFactory(session=self.session)
        self.listener_entry = ListenerFactory(
            session=self.session, user=people.listener, name="Lies Luisteraar"
        )
        self.evaluation = EvaluationFactory(session=self.session, panel_member=self.member)
        self.finding = FindingFactory(session=self.session, question=self.question)
        # Everyone who works on a debrief has a lesson of their own to delete.
        self.lessons = {
            role: LessonFactory(session=self.session, created_by=people.user(role))
            for role in ("facilitator", "co_facilitator", "listener", "coordinator")
        }
        self.action = None
        now = timezone.now()
        if status in (Status.DEBRIEF, Status.CLOSED):
            self.action = ImprovementActionFactory(
                session=self.session,
                by=people.coordinator,
                owner=people.listener,
                findings=[self.finding],
            )
        changes = {"status": status}
        if status in (Status.LIVE, Status.DEBRIEF, Status.CLOSED):
            changes.update(starts_at=now - dt.timedelta(hours=3), live_at=now)
        if status in (Status.DEBRIEF, Status.CLOSED):
            changes["ended_at"] = now
        Session.objects.filter(pk=self.session.pk).update(**changes)
        self.session.refresh_from_db()

    def lesson_for(self, role):
        return self.lessons.get(role, self.lessons["listener"])


class Worlds(People):
    """The people of ROLES and one SessionWorld per status (the permission matrix's world;
    tests/fixtures.py builds it once per module). ROLES' "member" is People's professional."""

    def __init__(self):
        super().__init__(co_facilitator=True)
        self.member = self.professional
        self.beheerder = UserFactory(username="beheerder")
        MembershipFactory(user=self.beheerder, organisation=self.org_a, role=Role.ADMIN)
        self.staff = UserFactory(username="staff", is_staff=True)
        # What the organisation's pages name: its own rule, library question and invitation.
        self.org_rule = Rule.objects.create(organisation=self.org_a, text="Wij luisteren.")
        self.library_question = LibraryQuestionFactory(organisation=self.org_a)
        self.invitation = Invitation.objects.create(
            organisation=self.org_a, email="nieuw@example.nl", role=Role.PROFESSIONAL
        )
        self.theme = ThemeFactory(organisation=self.org_a, name="Bereikbaarheid")
        self.by_status = {status: SessionWorld(self, status) for status in STATUSES}
        # A background report is its requester's own: the coordinator asked for this one.
        self.report_job = ReportJobFactory(requested_by=self.coordinator)
        self._cookies = {}

    def __getitem__(self, status):
        return self.by_status[status]

    def log_everyone_in(self):
        """One login per role for the whole module; a test's client reuses its cookie."""
        for role in ROLES[:-1]:
            client = Client()
            client.force_login(self.user(role))
            self._cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def client_for(self, role) -> Client:
        client = Client()
        if role in self._cookies:
            client.cookies[settings.SESSION_COOKIE_NAME] = self._cookies[role]
        elif role != "anonymous":
            client.force_login(self.user(role))
        return client
