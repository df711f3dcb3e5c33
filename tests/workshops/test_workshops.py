"""The role-play workshop: preparing, moving through the rounds, the participants' pages
behind a personal link, the evaluation per round and the summary."""

import pytest
from django.urls import reverse

from participants.constants import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from workshops import services
from workshops.constants import MAX_TEXT, RoundKind, WorkshopStatus
from workshops.models import Participant, RoundEvaluation, Workshop

pytestmark = pytest.mark.django_db


def link(workshop):
    (participant,) = services.add_links(workshop=workshop, count=1)
    return participant


def play(participant, *parts):
    return reverse("workshop_play", args=[participant.token]) + "".join(parts)


# — services —


def test_a_new_workshop_starts_from_the_seeds_roles_case_and_rounds(workshop):
    assert [r.name for r in workshop.roles.all()] == ["Gemeente", "Aanbieder", "Cliënt"]
    assert all(r.briefing for r in workshop.roles.all())
    assert workshop.cases.count() == 1
    assert [r.kind for r in workshop.rounds.all()] == [
        RoundKind.OPEN_TABLE,
        RoundKind.INPUT,
        RoundKind.OPEN_TABLE,
    ]
    assert workshop.status == WorkshopStatus.PREPARING


def test_the_facilitator_moves_through_the_rounds_and_closes(workshop):
    first, second, third = workshop.rounds.all()

    workshop = services.move(workshop=workshop, action="start")
    assert workshop.current_round == first
    workshop = services.move(workshop=workshop, action="next")
    workshop = services.move(workshop=workshop, action="next")
    assert workshop.current_round == third
    with pytest.raises(Exception, match="geen ronde meer"):
        services.move(workshop=workshop, action="next")
    workshop = services.move(workshop=workshop, action="previous")
    assert workshop.current_round == second
    workshop = services.move(workshop=workshop, action="close")
    assert workshop.status == WorkshopStatus.CLOSED
    with pytest.raises(Exception, match="afgesloten"):
        services.move(workshop=workshop, action="start")


def test_links_are_unguessable_and_limited_per_batch(workshop):
    made = services.add_links(workshop=workshop, count=5)
    assert len({p.token for p in made}) == 5
    assert all(len(p.token) >= 24 for p in made)
    with pytest.raises(Exception, match="1 tot 60"):
        services.add_links(workshop=workshop, count=61)


def test_an_evaluation_is_one_per_round_and_changeable_until_closing(workshop):
    participant = link(workshop)
    first = workshop.rounds.first()
    with pytest.raises(Exception, match="nog niet geweest"):
        services.evaluate_round(participant=participant, round=first, feeling=4)
    workshop = services.move(workshop=workshop, action="start")
    participant.refresh_from_db()
    services.evaluate_round(participant=participant, round=first, feeling=2)
    services.evaluate_round(participant=participant, round=first, feeling=5, experience="Fijn")

    evaluation = RoundEvaluation.objects.get()
    assert (evaluation.feeling, evaluation.experience) == (5, "Fijn")
    services.move(workshop=workshop, action="close")
    participant.refresh_from_db()
    with pytest.raises(Exception, match="afgesloten"):
        services.evaluate_round(participant=participant, round=first, feeling=1)


# — the staff's pages —


def test_creating_a_workshop_fills_it_and_names_the_creator_facilitator(staff_client, org):
    response = staff_client.post(
        reverse("workshop_create"), {"organisation": org.pk, "title": "Regio West"}
    )

    workshop = Workshop.objects.get(title="Regio West")
    assert response.status_code == 302
    assert workshop.rounds.count() == 3
    assert workshop.facilitator.username == "begeleider"


def test_staff_edit_add_and_delete_a_round(staff_client, workshop):
    url = reverse("workshop_item_add", args=[workshop.pk, "rounds"])
    response = staff_client.post(
        url,
        {
            "rounds-kind": "open_table",
            "rounds-title": "Derde gesprek",
            "rounds-instructions": "Nog eens.",
            "rounds-minutes": 15,
        },
    )
    assert response.status_code == 302
    added = workshop.rounds.last()
    assert (added.title, added.position) == ("Derde gesprek", 4)

    staff_client.post(
        reverse("workshop_item_edit", args=[workshop.pk, "rounds", added.pk]),
        {"kind": "input", "title": "Uitleg", "instructions": "", "minutes": 5},
    )
    added.refresh_from_db()
    assert added.title == "Uitleg"
    staff_client.post(reverse("workshop_item_delete", args=[workshop.pk, "rounds", added.pk]))
    assert workshop.rounds.count() == 3


def test_an_unknown_kind_or_another_workshops_item_is_not_found(staff_client, workshop, org):
    other = services.create_workshop(organisation=org, title="Ander", facilitator=None)
    foreign_role = other.roles.first()

    assert (
        staff_client.post(reverse("workshop_item_add", args=[workshop.pk, "x"])).status_code == 404
    )
    edit = reverse("workshop_item_edit", args=[workshop.pk, "roles", foreign_role.pk])
    assert staff_client.get(edit).status_code == 404


def test_a_round_too_long_gets_the_form_again_with_a_message(staff_client, workshop):
    response = staff_client.post(
        reverse("workshop_item_add", args=[workshop.pk, "rounds"]),
        {"rounds-kind": "input", "rounds-title": "x", "rounds-minutes": 9999},
    )

    assert response.status_code == 200
    assert "240" in response.content.decode()


def test_the_links_page_shows_a_copyable_address_and_a_qr_code(staff_client, workshop):
    response = staff_client.post(reverse("workshop_links", args=[workshop.pk]), {"count": 3})
    assert response.status_code == 302

    participant = workshop.participants.first()
    services.choose_role(
        participant=participant, role_id=workshop.roles.first().pk, display_name="Ans"
    )
    page = staff_client.get(reverse("workshop_links", args=[workshop.pk])).content.decode()
    assert page.count('class="qr-code"') == 3
    assert f"http://testserver/w/{participant.token}/" in page
    assert "Link 1 · Gemeente · Ans" in page  # the facilitator sees who took which link


def test_a_professional_of_the_organisation_gets_404(client, workshop, org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.PROFESSIONAL)
    client.force_login(user)

    assert client.get(reverse("workshop_detail", args=[workshop.pk])).status_code == 404
    assert client.get(reverse("workshop_list")).status_code == 200
    assert client.get(reverse("workshop_create")).status_code == 403


# — the participant's pages —


def test_a_participant_chooses_a_role_and_sees_only_its_briefing(client, workshop):
    participant = link(workshop)
    gemeente, aanbieder, client_role = workshop.roles.all()

    page = client.get(play(participant)).content.decode()
    assert "Aanbieder" in page and aanbieder.briefing not in page  # names, not briefings
    response = client.post(play(participant), {"role": aanbieder.pk, "display_name": "Ans"})
    assert response.status_code == 302

    page = client.get(play(participant)).content.decode()
    assert aanbieder.briefing in page
    assert gemeente.briefing not in page and client_role.briefing not in page
    assert workshop.cases.first().title in page
    participant.refresh_from_db()
    assert (participant.role, participant.display_name) == (aanbieder, "Ans")


def test_a_role_of_another_workshop_is_refused_in_dutch(client, workshop, org):
    participant = link(workshop)
    other = services.create_workshop(organisation=org, title="Ander", facilitator=None)

    response = client.post(play(participant), {"role": other.roles.first().pk})

    assert response.status_code == 200
    assert "Kies een van de rollen van deze workshop." in response.content.decode()
    participant.refresh_from_db()
    assert participant.role is None


@pytest.mark.parametrize(
    "token", ["onbekend", "x" * 500, "bad\x00token", "../../etc", "a b", "é" * 10]
)
def test_a_bad_token_gets_a_kind_dutch_404(client, token):
    response = client.get(f"/w/{token}/") if "/" not in token else client.get("/w/%2E%2E/")
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()


def test_bad_tokens_are_refused_on_every_participant_url(client):
    for url in ("/w/bad%00token/state", "/w/nope/rounds/1/", "/w/nope/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"feeling": "3"}).status_code in (404, 405)


def test_the_state_follows_the_facilitator_and_answers_204_when_unchanged(client, workshop):
    participant = link(workshop)
    services.choose_role(participant=participant, role_id=workshop.roles.first().pk)
    state = reverse("workshop_play_state", args=[participant.token])

    first = client.get(state)
    assert "begint zo" in first.content.decode()
    version = first.content.decode().split('name="v" value="')[1].split('"')[0]
    assert client.get(state, {"v": version}).status_code == 204

    services.move(workshop=workshop, action="start")
    moved = client.get(state, {"v": version})
    assert moved.status_code == 200
    assert workshop.rounds.first().title in moved.content.decode()
    services.move(workshop=Workshop.objects.get(pk=workshop.pk), action="close")
    assert client.get(state).status_code == 286


def test_a_participant_evaluates_a_round_and_may_change_it(client, workshop):
    participant = link(workshop)
    services.choose_role(participant=participant, role_id=workshop.roles.first().pk)
    services.move(workshop=workshop, action="start")
    first = workshop.rounds.first()
    url = reverse("workshop_round_evaluation", args=[participant.token, first.pk])

    assert client.post(url, {"feeling": "2", "gut_feeling": "Onrustig"}).status_code == 302
    assert client.post(url, {"feeling": "4", "experience": "Beter"}).status_code == 302

    evaluation = RoundEvaluation.objects.get()
    assert (evaluation.feeling, evaluation.experience, evaluation.gut_feeling) == (4, "Beter", "")
    assert "ingevuld" in client.get(play(participant)).content.decode()


def test_an_empty_or_too_long_evaluation_gets_a_dutch_message_and_keeps_the_text(client, workshop):
    participant = link(workshop)
    services.move(workshop=workshop, action="start")
    url = reverse("workshop_round_evaluation", args=[participant.token, workshop.rounds.first().pk])

    empty = client.post(url, {})
    long_text = "lang " * 300
    too_long = client.post(url, {"experience": long_text, "feeling": "9"})

    assert "Je hebt nog niets ingevuld" in empty.content.decode()
    page = too_long.content.decode()
    assert too_long.status_code == 200
    assert f"Gebruik niet meer dan {MAX_TEXT} tekens" in page
    assert "Kies een van de vijf gezichtjes." in page
    assert long_text.strip() in page
    assert not RoundEvaluation.objects.exists()


def test_a_round_not_yet_held_or_of_another_workshop_leads_back(client, workshop, org):
    participant = link(workshop)
    services.move(workshop=workshop, action="start")
    later = workshop.rounds.last()
    other = services.create_workshop(organisation=org, title="Ander", facilitator=None)

    for round_pk in (later.pk, other.rounds.first().pk, 2**70):
        url = reverse("workshop_round_evaluation", args=[participant.token, round_pk])
        assert client.post(url, {"feeling": "3"}).status_code == 302
    assert not RoundEvaluation.objects.exists()


def test_after_closing_an_evaluation_cannot_change(client, workshop):
    participant = link(workshop)
    workshop = services.move(workshop=workshop, action="start")
    services.move(workshop=workshop, action="close")
    url = reverse("workshop_round_evaluation", args=[participant.token, workshop.rounds.first().pk])

    response = client.post(url, {"feeling": "3"})

    assert response.status_code == 409
    assert "afgesloten" in response.content.decode()
    assert not RoundEvaluation.objects.exists()


# — the summary —


def fill(workshop, size):
    roles = list(workshop.roles.all())
    services.move(workshop=workshop, action="start")
    workshop.refresh_from_db()
    for round in workshop.rounds.all():
        Workshop.objects.filter(pk=workshop.pk).update(current_round=round)
        workshop.refresh_from_db()
        for i, participant in enumerate(services.add_links(workshop=workshop, count=size)):
            participant.role = roles[i % 3]
            participant.save()
            participant.workshop = workshop
            services.evaluate_round(
                participant=participant,
                round=round,
                feeling=1 + i % 5,
                experience=f"Ervaring {i}",
                gut_feeling=f"Gevoel {i}",
            )


def test_the_summary_compares_the_rounds_without_names(staff_client, workshop):
    Participant.objects.create(workshop=workshop, display_name="Geheime Naam")
    fill(workshop, 5)

    page = staff_client.get(reverse("workshop_summary", args=[workshop.pk])).content.decode()

    assert "Geheime Naam" not in page
    assert page.count("Ervaring 4") == 3  # once per round
    assert "3.0" in page or "3,0" in page  # faces 1..5 average 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_summary_costs_the_same_for_3_and_30_participants(
    staff_client, workshop, size, django_assert_num_queries
):
    fill(workshop, size)
    url = reverse("workshop_summary", args=[workshop.pk])
    staff_client.get(url)  # warm the session

    # session + user + memberships' middleware reads are counted by the warm-up; here:
    # the Django session, the user, the workshop (managed_by), the rounds for the policy,
    # roles, participants per role, rounds, evaluations.
    with django_assert_num_queries(8):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_the_detail_page_offers_the_moves_the_policy_allows(staff_client, workshop):
    url = reverse("workshop_detail", args=[workshop.pk])

    before = staff_client.get(url).content.decode()
    staff_client.post(reverse("workshop_move", args=[workshop.pk, "start"]))
    during = staff_client.get(url).content.decode()

    assert "Workshop starten" in before and "Volgende ronde" not in before
    assert "Volgende ronde" in during and "Vorige ronde" not in during
    assert "nu bezig" in during
    assert "Gemeente" in during and "Casus: Samira" in during


def test_the_workshop_list_shows_only_the_users_workshops(staff_client, workshop):
    other_org = OrganisationFactory(name="Elders")
    services.create_workshop(organisation=other_org, title="Niet van ons", facilitator=None)

    page = staff_client.get(reverse("workshop_list")).content.decode()

    assert workshop.title in page and "Niet van ons" not in page


def test_a_round_with_evaluations_or_a_chosen_role_is_not_deleted(staff_client, workshop):
    participant = link(workshop)
    role = workshop.roles.first()
    services.choose_role(participant=participant, role_id=role.pk)
    workshop = services.move(workshop=workshop, action="start")
    first = workshop.rounds.first()
    participant.refresh_from_db()
    services.evaluate_round(participant=participant, round=first, feeling=3)
    services.move(workshop=workshop, action="next")

    for kind, item in (("rounds", first), ("roles", role)):
        response = staff_client.post(
            reverse("workshop_item_delete", args=[workshop.pk, kind, item.pk]), follow=True
        )
        assert "Verwijderen kan niet meer." in response.content.decode()
    assert workshop.rounds.count() == 3 and workshop.roles.count() == 3


@pytest.mark.parametrize("page", ["", "edit/", "links/", "summary/", "roles/{role}/"])
def test_every_workshop_page_has_the_breadcrumb_back_to_the_workshops(staff_client, workshop, page):
    page = page.format(role=workshop.roles.first().pk)
    html = staff_client.get(f"/workshops/{workshop.pk}/{page}").content.decode()

    crumbs = html.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]
    assert 'aria-label="Kruimelpad"' in html
    assert 'href="/workshops/"' in crumbs
    assert workshop.title in crumbs


def test_the_summary_comes_as_a_pdf_with_the_rounds_and_what_was_written(
    staff_client, workshop, tmp_path
):
    from tests.pdf_helpers import (
        assert_accessible,
        assert_pages_not_blank,
        pdf_text,
        weasyprint_log_must_stay_clean,
    )

    first = workshop.rounds.order_by("position").first()
    participant = Participant.objects.create(workshop=workshop, role=workshop.roles.first())
    RoundEvaluation.objects.create(
        participant=participant, round=first, feeling=2, experience="Veel uitleg over regels.",
        gut_feeling="Onrustig 😟",
    )  # fmt: skip
    with weasyprint_log_must_stay_clean():
        response = staff_client.get(f"/workshops/{workshop.pk}/summary.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert_accessible(response.content)
    assert_pages_not_blank(response.content, tmp_path)
    text = " ".join(pdf_text(response.content).split())
    assert "De rondes naast elkaar" in text
    assert f"1. {first.title}" in text
    assert "Veel uitleg over regels." in text and "Onrustig" in text
    assert "2.0" in text or "2,0" in text
    page = staff_client.get(f"/workshops/{workshop.pk}/summary/").content.decode()
    assert f'href="/workshops/{workshop.pk}/summary.pdf"' in page
