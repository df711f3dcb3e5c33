"""What the tests of the room's pages share: the presenter screen (tests/sessions/) and the
listeners' view (tests/findings/) read the same live state of the same kind of session."""

from django.utils import timezone

from sessions.constants import Status
from sessions.models import Session
from sessions.services import live
from tests.factories import QuestionFactory, RuleFactory, UserFactory, World
from tests.fixtures import login

HTMX = {"HTTP_HX_REQUEST": "true"}
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
NUL_ERROR = "Null-tekens zijn niet toegestaan."
AT_MOST = "Zorg dat deze waarde niet meer dan 10000 tekens bevat"
NOT_NOW = "Aantekeningen kunnen alleen tijdens het gesprek en het nagesprek worden gewijzigd."
OTHER_TAB = "in een ander venster gewijzigd"

ALLOWED = ["facilitator", "co_facilitator", "listener", "coordinator"]


def make_live(w, *, questions=3, rules=2):
    """Add `questions` questions and `rules` rules to the world's session, and make it live."""
    for _ in range(questions):
        QuestionFactory(session=w.session)
    for _ in range(rules):
        RuleFactory(session=w.session, text="Wat hier gezegd wordt, blijft hier.")
    Session.objects.filter(pk=w.session.pk).update(status=Status.LIVE, live_at=timezone.now())
    w.session.refresh_from_db()
    return w


def url(w, name):
    return f"/sessions/{w.session.pk}/{name}"


def as_role(client, w, role):
    if role != "anonymous":
        login(client, w.user(role))
    return client


def questions(w):
    return list(w.session.questions.order_by("position", "pk"))


def to_question(w, index):
    session = Session.objects.get(pk=w.session.pk)
    live.go_to_question(session=session, question=questions(w)[index])
    return session


def live_world():
    """A World whose session is live, with a co-facilitator, three questions and two rules."""
    world = make_live(World())
    world.co_facilitator = UserFactory(username="co_facilitator")
    Session.objects.filter(pk=world.session.pk).update(co_facilitator=world.co_facilitator)
    world.session.refresh_from_db()
    return world
