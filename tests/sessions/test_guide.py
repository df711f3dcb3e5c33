import pytest
from django.core.exceptions import ValidationError

from sessions.models import LibraryQuestion, Rule
from sessions.services import sessions as services
from sessions.services.checklist import preparation_checklist, summary
from tests.factories import (
    LibraryQuestionFactory,
    ListenerFactory,
    NetworkFactory,
    OrganisationFactory,
    PanelMemberFactory,
    QuestionFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def test_moving_questions_reorders_and_renumbers():
    session = SessionFactory()
    a, b, c = (QuestionFactory(session=session, position=p) for p in (5, 5, 9))
    services.move(item=c, siblings=session.questions.all(), offset=-1)
    assert list(session.questions.all()) == [a, c, b]
    assert [q.position for q in session.questions.all()] == [1, 2, 3]
    services.move(item=a, siblings=session.questions.all(), offset=-1)  # already first
    assert list(session.questions.all()) == [a, c, b]


def test_the_library_is_shared_within_a_network_only():
    network = NetworkFactory()
    mine = OrganisationFactory(network=network)
    partner = OrganisationFactory(network=network)
    stranger = OrganisationFactory()
    own = LibraryQuestionFactory(organisation=mine)
    shared = LibraryQuestionFactory(organisation=partner)
    hidden = LibraryQuestionFactory(organisation=stranger)
    available = set(LibraryQuestion.objects.available_to([mine]))
    assert {own, shared} <= available
    assert hidden not in available
    assert LibraryQuestion.objects.filter(organisation__isnull=True).count() > 0  # seeded


def test_copying_from_the_library_appends_in_order_and_refuses_strangers():
    organisation = OrganisationFactory()
    session = SessionFactory(organisations=[organisation])
    QuestionFactory(session=session, position=1)
    picked = list(LibraryQuestion.objects.filter(organisation__isnull=True)[:2])
    added = services.copy_from_library(session=session, library_questions=picked)
    assert [q.position for q in added] == [2, 3]
    assert {q.source for q in added} == set(picked)
    foreign = LibraryQuestionFactory(organisation=OrganisationFactory())
    with pytest.raises(ValidationError):
        services.copy_from_library(session=session, library_questions=[foreign])


def test_the_default_rules_are_seeded_and_copied_into_a_session():
    defaults = list(Rule.objects.defaults())
    assert len(defaults) >= 7
    assert any("verdedig" in rule.text for rule in defaults)
    session = SessionFactory(organisations=[OrganisationFactory()])
    services.load_rules(session=session)
    assert [r.text for r in session.rules.all()] == [r.text for r in defaults]
    with pytest.raises(ValidationError):
        services.load_rules(session=session)


def test_an_organisations_own_rules_take_precedence():
    organisation = OrganisationFactory()
    Rule.objects.create(organisation=organisation, text="Eigen regel", position=1)
    session = SessionFactory(organisations=[organisation])
    services.load_rules(session=session)
    assert [r.text for r in session.rules.all()] == ["Eigen regel"]


def test_the_checklist_names_exactly_what_is_missing():
    session = SessionFactory(organisations=[OrganisationFactory()], theme="")
    items = {item.label: item for item in preparation_checklist(session)}
    assert not items["Thema vastgelegd"].done
    assert not items["Vragenlijst met minstens één vraag"].done
    assert not items["Spelregels opgenomen"].done
    assert items["Gespreksleider gekozen"].done
    blocking = [i.label for i in summary(items.values())["blocking_open"]]
    assert blocking == [
        "Thema vastgelegd",
        "Vragenlijst met minstens één vraag",
        "Spelregels opgenomen",
    ]


def test_the_checklist_completes_for_a_well_prepared_session():
    session = SessionFactory(organisations=[OrganisationFactory()])
    for _ in range(6):
        PanelMemberFactory(session=session)
    for _ in range(3):
        ListenerFactory(session=session, briefed=True)
    QuestionFactory(session=session, planned_minutes=30)
    services.load_rules(session=session)
    assert summary(preparation_checklist(session))["complete"]


def test_the_checklist_warns_about_too_many_listeners_and_overtime():
    session = SessionFactory(organisations=[OrganisationFactory()], duration_minutes=60)
    for _ in range(16):
        ListenerFactory(session=session, briefed=True)
    QuestionFactory(session=session, planned_minutes=45)
    QuestionFactory(session=session, planned_minutes=30)
    items = {item.label: item for item in preparation_checklist(session)}
    assert not items["Toehoorders uitgenodigd (hoogstens 15)"].done
    assert not items["Geplande tijd past binnen de duur"].done
    assert "75 van 60" in items["Geplande tijd past binnen de duur"].detail
