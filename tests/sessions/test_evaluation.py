"""The participants' evaluation (issue 3, item 5): links, the public form, summary and sheet."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participants.constants import RecruitmentStatus
from sessions.constants import Status
from sessions.models import Evaluation
from sessions.services import evaluation as service
from tests.factories import ListenerFactory, PanelMemberFactory, World
from tests.fixtures import login

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
EMOJI = "🙂👩🏽‍⚕️"
RTL = "مرحبا \u202egpj.exe"
ALL_ANSWERS = {"experience": "5", "safety": "4", "enough_time": "2", "again": "5"}


@pytest.fixture
def world(db):
    return World(status=Status.DEBRIEF)


def links(session):
    service.create_links(session=session)
    return {e.panel_member_id or f"l{e.listener_id}": e for e in session.evaluations.all()}


def answer(evaluation, comment="", **values):
    return service.submit_answers(evaluation=evaluation, answers=values, comment=comment)


def form_url(evaluation):
    return f"/e/{evaluation.token}/"


# — making the links —


def test_links_are_made_for_attended_members_and_listeners_only(world):
    session = world.session
    world.member.status = RecruitmentStatus.ATTENDED
    world.member.save()
    no_show = PanelMemberFactory(session=session, status=RecruitmentStatus.NO_SHOW)
    confirmed = PanelMemberFactory(session=session, status=RecruitmentStatus.CONFIRMED)
    withdrawn = PanelMemberFactory(session=session, status=RecruitmentStatus.ATTENDED)
    withdrawn.withdraw_consent()
    present = ListenerFactory(session=session, attended=True)
    absent = ListenerFactory(session=session, attended=False)

    result = service.create_links(session=session)

    assert result.created == result.total == 3
    made = set(session.evaluations.values_list("panel_member", "listener"))
    assert made == {
        (world.member.pk, None),
        (None, present.pk),
        (None, world.listener_entry.pk),  # attendance unknown: gets a link
    }
    for member in (no_show, confirmed, withdrawn):
        assert not Evaluation.objects.filter(panel_member=member).exists()
    assert not Evaluation.objects.filter(listener=absent).exists()


def test_confirmed_members_get_links_when_no_one_is_marked_attended_yet(world):
    invited = PanelMemberFactory(session=world.session, status=RecruitmentStatus.INVITED)
    second = PanelMemberFactory(session=world.session)

    service.create_links(session=world.session)

    members = set(world.session.evaluations.values_list("panel_member", flat=True))
    assert members == {world.member.pk, second.pk, None}
    assert invited.pk not in members


def test_making_links_twice_makes_each_link_once_and_keeps_the_tokens(world):
    first = service.create_links(session=world.session)
    tokens = set(world.session.evaluations.values_list("token", flat=True))
    PanelMemberFactory(session=world.session)

    second = service.create_links(session=world.session)
    third = service.create_links(session=world.session)

    assert (first.created, second.created, third.created) == (2, 1, 0)
    assert third.total == 3
    assert tokens < set(world.session.evaluations.values_list("token", flat=True))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PLANNED])
def test_links_cannot_be_made_before_the_meeting(db, status):
    session = World(status=status).session

    with pytest.raises(ValidationError, match="aan het eind van het gesprek"):
        service.create_links(session=session)

    assert not session.evaluations.exists()


@pytest.mark.parametrize("status", [Status.LIVE, Status.DEBRIEF, Status.CLOSED])
def test_links_can_be_made_from_the_end_of_the_meeting_on(db, status):
    session = World(status=status).session

    assert service.create_links(session=session).created == 2


def test_tokens_are_long_and_unguessable(world):
    evaluations = links(world.session).values()

    tokens = [e.token for e in evaluations]
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 24 for token in tokens)


# — answering —


def test_an_answer_is_stored_once_and_a_second_one_is_refused(world):
    evaluation = links(world.session)[world.member.pk]
    answer(evaluation, experience=4, comment="Fijn")

    with pytest.raises(service.AlreadyAnswered):
        answer(Evaluation.objects.get(pk=evaluation.pk), experience=1, comment="Anders")

    evaluation.refresh_from_db()
    assert (evaluation.experience, evaluation.comment) == (4, "Fijn")
    assert evaluation.safety is None
    assert evaluation.responded_at is not None


# — the summary —


def test_summary_counts_averages_and_spreads_per_group(world):
    session = world.session
    for _ in range(2):
        PanelMemberFactory(session=session)
    by_person = links(session)
    clients = [e for e in by_person.values() if e.panel_member_id]
    listener = by_person[f"l{world.listener_entry.pk}"]
    answer(clients[0], experience=5, safety=4, enough_time=1, again=5, comment="Goed gesprek")
    answer(clients[1], experience=4, safety=5, again=4)  # skipped "enough time"
    # the third client did not answer
    answer(listener, experience=2, comment="Te kort")

    summary = service.summarize(session)

    clients_summary = summary["clients"]
    assert (clients_summary.links, clients_summary.answered) == (3, 2)
    by_name = {q.name: q for q in clients_summary.questions}
    assert by_name["experience"].average == Decimal("4.5")
    assert by_name["experience"].count == 2
    assert by_name["enough_time"].average == Decimal("1.0")
    assert by_name["enough_time"].count == 1
    assert [f.count for f in by_name["safety"].faces] == [0, 0, 0, 1, 1]
    assert [f.label for f in by_name["safety"].faces][::4] == ["Heel slecht", "Heel goed"]
    assert clients_summary.comments == ["Goed gesprek"]
    assert [q.name for q in clients_summary.questions] == [
        "experience",
        "safety",
        "enough_time",
        "again",
    ]

    listeners = summary["listeners"]
    assert (listeners.links, listeners.answered) == (1, 1)
    assert listeners.questions[0].average == Decimal("2.0")
    assert listeners.questions[1].average is None
    assert listeners.questions[1].count == 0
    assert listeners.comments == ["Te kort"]


def test_averages_round_half_up_to_one_decimal(world):
    for _ in range(2):
        PanelMemberFactory(session=world.session)
    clients = [e for e in links(world.session).values() if e.panel_member_id]
    for evaluation, value in zip(clients, [5, 5, 4], strict=True):
        answer(evaluation, experience=value)

    assert service.summarize(world.session)["clients"].questions[0].average == Decimal("4.7")


def test_summary_without_links_is_empty(world):
    summary = service.summarize(world.session)

    assert summary["clients"].links == summary["listeners"].links == 0
    assert all(q.average is None for q in summary["clients"].questions)


# — the QR code —


def test_qr_code_is_inline_svg_without_style_or_id_and_named_for_screen_readers():
    markup = service.qr_svg("http://example.test/e/abc/", label='Deelnemer "A" <b>')

    root = ET.fromstring(markup)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Deelnemer "A" <b>'
    for element in root.iter():
        assert "style" not in element.attrib
        assert "id" not in element.attrib
    assert "<b>" not in markup


# — who may see the summary and the sheet —

ROLE_STATUS = {
    "facilitator": 200,
    "coordinator": 200,
    "listener": 403,
    "professional": 404,
    "outsider": 404,
}
PAGES = ["/sessions/{s}/evaluation/", "/sessions/{s}/evaluation/sheet/"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "expected"), ROLE_STATUS.items())
def test_summary_and_sheet_are_for_facilitator_and_coordinator_only(
    client, world, page, role, expected
):
    links(world.session)
    login(client, world.user(role))

    response = client.get(page.format(s=world.session.pk))

    assert response.status_code == expected
    if expected == 403:
        assert "Alleen de gespreksleider en de coördinator" in response.content.decode()


@pytest.mark.parametrize("page", [*PAGES, "/sessions/{s}/evaluation/links/"])
def test_anonymous_visitors_are_sent_to_login_for_the_session_pages(client, world, page):
    response = client.get(page.format(s=world.session.pk))

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"


@pytest.mark.parametrize(("role", "expected"), ROLE_STATUS.items())
def test_links_are_made_by_facilitator_and_coordinator_only(client, world, role, expected):
    login(client, world.user(role))

    response = client.post(f"/sessions/{world.session.pk}/evaluation/links/")

    assert response.status_code == (302 if expected == 200 else expected)
    assert world.session.evaluations.count() == (2 if expected == 200 else 0)


def test_making_links_needs_a_post(client, world):
    login(client, world.facilitator)

    assert client.get(f"/sessions/{world.session.pk}/evaluation/links/").status_code == 405


def test_the_button_makes_the_links_and_says_how_many(client, world):
    login(client, world.facilitator)
    url = f"/sessions/{world.session.pk}/evaluation/links/"

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert "2 evaluatielinks gemaakt." in first.content.decode()
    assert "Iedereen die aanwezig was, heeft al een link." in second.content.decode()
    assert world.session.evaluations.count() == 2


def test_before_the_meeting_the_page_explains_when_links_can_be_made(client, db):
    w = World(status=Status.PLANNED)
    login(client, w.facilitator)

    page = client.get(f"/sessions/{w.session.pk}/evaluation/").content.decode()
    response = client.post(f"/sessions/{w.session.pk}/evaluation/links/", follow=True)

    assert 'id="links-blocker"' in page
    assert "aan het eind van het gesprek" in response.content.decode()
    assert not w.session.evaluations.exists()


# — the public form —


def test_the_form_opens_without_an_account(client, world):
    evaluation = links(world.session)[world.member.pk]

    response = client.get(form_url(evaluation))

    body = response.content.decode()
    assert response.status_code == 200
    for question in [
        "Hoe vond u het gesprek?",
        "Kon u veilig zeggen wat u wilde?",
        "Was er genoeg tijd?",
        "Zou u nog eens meedoen?",
    ]:
        assert f'<legend class="h5 mb-2">{question}</legend>' in body
    assert body.count('type="radio"') == 20
    assert "Uitloggen" not in body and "Gesprekken" not in body  # no app navigation
    assert "no-store" in response["Cache-Control"]


def test_a_valid_answer_is_stored_once_then_thanks(client, world):
    evaluation = links(world.session)[world.member.pk]

    response = client.post(form_url(evaluation), {**ALL_ANSWERS, "comment": "Prima"})

    assert response.status_code == 302
    assert response["Location"] == f"/e/{evaluation.token}/thanks/"
    thanks = client.get(response["Location"])
    assert "Bedankt!" in thanks.content.decode()
    evaluation.refresh_from_db()
    assert (evaluation.experience, evaluation.safety, evaluation.enough_time) == (5, 4, 2)
    assert evaluation.again == 5 and evaluation.comment == "Prima"


def test_opening_the_link_again_says_it_was_filled_in_without_showing_the_answers(client, world):
    evaluation = links(world.session)[world.member.pk]
    client.post(form_url(evaluation), {**ALL_ANSWERS, "comment": "Mijn geheime opmerking"})

    response = client.get(form_url(evaluation))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Deze vragenlijst is al ingevuld" in body
    assert "Mijn geheime opmerking" not in body
    assert 'type="radio"' not in body


def test_a_second_submit_is_refused_with_a_clear_message(client, world):
    evaluation = links(world.session)[world.member.pk]
    client.post(form_url(evaluation), {"experience": "5"})

    response = client.post(form_url(evaluation), {"experience": "1", "comment": "Nog eens"})

    assert response.status_code == 409
    assert "Dat kan maar één keer." in response.content.decode()
    evaluation.refresh_from_db()
    assert (evaluation.experience, evaluation.comment) == (5, "")


def test_the_form_needs_no_csrf_cookie_because_the_token_is_the_secret(world):
    evaluation = links(world.session)[world.member.pk]
    strict = Client(enforce_csrf_checks=True)

    page = strict.get(form_url(evaluation)).content.decode()
    response = strict.post(form_url(evaluation), {"experience": "4"})

    assert "csrfmiddlewaretoken" not in page
    assert response.status_code == 302


def test_thanks_page_before_answering_leads_to_the_form(client, world):
    evaluation = links(world.session)[world.member.pk]

    response = client.get(f"/e/{evaluation.token}/thanks/")

    assert response.status_code == 302
    assert response["Location"] == form_url(evaluation)


@pytest.mark.parametrize(
    "token", ["bestaat-niet", "x" * 41, "x" * 2000, "%00", "'%20OR%201=1--", "ü"]
)
def test_an_unknown_token_gets_a_friendly_404_not_the_login_page(client, db, token):
    for url in (f"/e/{token}/", f"/e/{token}/thanks/"):
        response = client.get(url)

        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()


def test_an_empty_answer_is_refused_in_plain_dutch(client, world):
    evaluation = links(world.session)[world.member.pk]

    response = client.post(form_url(evaluation), {"comment": "   "})

    assert response.status_code == 200
    assert "U heeft nog niets ingevuld." in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.responded_at is None


def test_questions_may_be_skipped(client, world):
    evaluation = links(world.session)[world.member.pk]

    client.post(form_url(evaluation), {"again": "3"})

    evaluation.refresh_from_db()
    assert evaluation.again == 3 and evaluation.experience is None
    assert evaluation.responded_at is not None


@pytest.mark.parametrize("value", ["7", "0", "-1", "abc", SCRIPT, "99999999999999999999"])
def test_a_face_that_does_not_exist_is_refused(client, world, value):
    evaluation = links(world.session)[world.member.pk]

    response = client.post(form_url(evaluation), {"experience": value, "comment": "Hallo"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kies een van de vijf gezichtjes." in body
    assert "Hallo" in body  # nothing lost
    assert SCRIPT not in body
    evaluation.refresh_from_db()
    assert evaluation.responded_at is None


def test_a_nul_character_is_refused_in_dutch_and_the_answers_are_kept(client, world):
    evaluation = links(world.session)[world.member.pk]

    response = client.post(form_url(evaluation), {**ALL_ANSWERS, "comment": "a\x00b"})

    body = response.content.decode()
    assert "In uw tekst staat een teken dat niet kan." in body
    assert 'value="4" class="btn-check" id="id_safety_3" checked' in body
    evaluation.refresh_from_db()
    assert evaluation.responded_at is None


def test_a_comment_over_2000_characters_is_refused_and_kept(client, world):
    evaluation = links(world.session)[world.member.pk]
    text = "lang " * 400 + "x"  # 2,001 characters

    response = client.post(form_url(evaluation), {"experience": "3", "comment": text})

    body = response.content.decode()
    assert "Uw tekst is te lang. Gebruik niet meer dan 2000 tekens. U heeft er nu 2001." in body
    assert text.strip() in body
    evaluation.refresh_from_db()
    assert evaluation.responded_at is None


def test_exactly_2000_characters_are_accepted(client, world):
    evaluation = links(world.session)[world.member.pk]

    client.post(form_url(evaluation), {"comment": "y" * 2000})

    evaluation.refresh_from_db()
    assert len(evaluation.comment) == 2000


def test_hostile_comments_round_trip_and_are_escaped_in_the_summary(client, world):
    by_person = links(world.session)
    client.post(form_url(by_person[world.member.pk]), {"comment": f"{SCRIPT} {EMOJI}"})
    client.post(form_url(by_person[f"l{world.listener_entry.pk}"]), {"comment": RTL})
    login(client, world.facilitator)

    body = client.get(f"/sessions/{world.session.pk}/evaluation/").content.decode()

    assert Evaluation.objects.get(panel_member=world.member).comment == f"{SCRIPT} {EMOJI}"
    assert Evaluation.objects.get(listener=world.listener_entry).comment == RTL
    assert SCRIPT not in body
    assert f"{ESCAPED_SCRIPT} {EMOJI}" in body
    assert RTL in body


def test_the_form_still_works_after_the_session_is_closed(client, db):
    w = World(status=Status.CLOSED)
    evaluation = links(w.session)[w.member.pk]

    response = client.post(form_url(evaluation), {"experience": "4"})

    assert response.status_code == 302


# — what the pages show —


def test_summary_shows_numbers_with_a_dutch_decimal_comma_and_no_names(client, world):
    session = world.session
    PanelMemberFactory(session=session)
    by_person = links(session)
    clients = [e for e in by_person.values() if e.panel_member_id]
    answer(clients[0], experience=5, comment="Ik voelde me gehoord")
    answer(clients[1], experience=4)
    login(client, world.coordinator)

    body = client.get(f"/sessions/{session.pk}/evaluation/").content.decode()

    assert "4,5" in body
    assert "2 van 2 links ingevuld" in body
    assert "0 van 1 link ingevuld" in body
    assert "Ik voelde me gehoord" in body
    assert world.member.contact.name not in body
    assert world.member.pseudonym not in body
    assert world.listener_entry.name not in body


def test_sheet_shows_pseudonyms_listener_names_qr_codes_and_links_never_real_names(
    client, world, settings
):
    settings.SITE_URL = "https://spiegel.example.nl"
    by_person = links(world.session)
    login(client, world.facilitator)

    response = client.get(f"/sessions/{world.session.pk}/evaluation/sheet/")

    body = response.content.decode()
    assert world.member.pseudonym in body
    assert world.member.contact.name not in body
    assert world.listener_entry.name in body
    for evaluation in by_person.values():
        # The link written out may break before the token, never inside it.
        assert (
            'https://spiegel.example.nl/e/</span><wbr><span class="qr-card-token">'
            f"{evaluation.token}/</span>"
        ) in body
    assert body.count('<svg class="qr-code"') == 2
    assert "style=" not in body
    assert body.index(world.member.pseudonym) < body.index(world.listener_entry.name)


def test_a_hostile_listener_name_is_escaped_on_the_sheet_and_in_its_qr_label(client, world):
    world.listener_entry.name = f'{SCRIPT}" onload="x'
    world.listener_entry.save()
    links(world.session)
    login(client, world.facilitator)

    body = client.get(f"/sessions/{world.session.pk}/evaluation/sheet/").content.decode()

    assert SCRIPT not in body
    assert 'onload="x' not in body
    assert f"{ESCAPED_SCRIPT}&quot; onload=&quot;x" in body


def test_sheet_without_links_says_to_make_them_first(client, world):
    login(client, world.facilitator)

    body = client.get(f"/sessions/{world.session.pk}/evaluation/sheet/").content.decode()

    assert "Er zijn nog geen evaluatielinks." in body


# — constant query counts (DESIGN §9) —


def add_answered_participants(w, n):
    for i in range(n):
        member = PanelMemberFactory(session=w.session)
        listener = ListenerFactory(session=w.session)
        for person, kind in ((member, "panel_member"), (listener, "listener")):
            Evaluation.objects.create(
                session=w.session,
                **{kind: person},
                experience=1 + i % 5,
                safety=None if i % 3 else 4,
                comment=f"Opmerking {i}",
                responded_at=timezone.now(),
            )


def query_count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


# Every request: the django_session row and the user; then the session with the viewer's roles
# (get_session_for); then the session's evaluations — for the sheet with their panel member
# or listener in the same JOIN; the session's organisations with their logos (its look).
EXPECTED_QUERIES = {"/sessions/{s}/evaluation/": 5, "/sessions/{s}/evaluation/sheet/": 5}


@pytest.mark.parametrize(("page", "expected"), EXPECTED_QUERIES.items())
@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_summary_and_sheet_answer_in_the_same_number_of_queries_for_3_and_30(
    client, world, page, expected, role
):
    login(client, world.user(role))
    url = page.format(s=world.session.pk)

    add_answered_participants(world, 3)
    small = query_count(client, url)
    add_answered_participants(world, 27)
    large = query_count(client, url)

    assert len(small) == len(large) == expected, "\n".join(large)


def test_the_public_form_answers_in_few_queries(client, world, django_assert_num_queries):
    evaluation = links(world.session)[world.member.pk]

    # The evaluation with its session, and the organisations that ask (named at the foot of
    # the page); no django_session row, no user for an anonymous client.
    with django_assert_num_queries(2):
        client.get(form_url(evaluation))
    # + the SAVEPOINT pair around the atomic UPDATE that stores the answer once.
    with django_assert_num_queries(4):
        client.post(form_url(evaluation), {"experience": "3"})


def test_the_client_page_names_the_organisation_that_asks_and_how_to_reach_it(client, world):
    """Issue 12: the evaluation page did not say which organisation was asking."""
    organisation = world.session.organisations.first()
    organisation.contact_email = "vragen@gemeente.example"
    organisation.save()
    evaluation = links(world.session)[world.member.pk]

    text = client.get(form_url(evaluation)).content.decode()

    # The name is isolated (<bdi>): in an Arabic page its own direction and punctuation hold.
    assert f"Deze vragen stelt <bdi>{organisation.name}</bdi>." in text
    assert "vragen@gemeente.example" in text
    assert f'href="/privacy/{organisation.pk}/"' in text
