"""Small factories for the whole suite; each builds the least a test needs."""

import datetime as dt
import uuid

import factory
from django.utils import timezone

from findings.models import Finding, ImprovementAction, Lesson, Theme
from findings.services.actions import create_action
from participants.constants import OrganisationKind, RecruitmentStatus, Role
from participants.models import (
    Listener,
    Membership,
    Organisation,
    PanelMember,
    PanelMemberContact,
    User,
)
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
    professional, tracing back to at least one finding of its session."""

    class Meta:
        model = ImprovementAction

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Verbeteractie {n}")
    owner = factory.LazyAttribute(lambda a: a.session.facilitator)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *, session, by=None, findings=None, co_owners=(), **fields):
        findings = findings or [FindingFactory(session=session)]
        by = by or fields["owner"]
        return create_action(
            session=session, by=by, findings=findings, co_owners=co_owners, **fields
        )


class World:
    """The four kinds of people every access test needs, around one session of org A."""

    def __init__(self, *, status="draft"):
        network = NetworkFactory()
        self.org_a = OrganisationFactory(name="Gemeente Alfa", network=network)
        self.org_b = OrganisationFactory(name="Gemeente Beta", network=network)
        self.client_org = OrganisationFactory(
            name="Cliëntbelang", kind=OrganisationKind.CLIENT_INTEREST, network=network
        )
        self.facilitator = UserFactory(username="facilitator")
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

    def user(self, role):
        return getattr(self, role)


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
