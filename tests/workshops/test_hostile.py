"""Hostile input on the workshop pages: never a 500, a Dutch message, markup shown escaped."""

import pytest
from django.urls import reverse

from tests.workshops.test_workshops import link
from workshops import services
from workshops.models import RoundEvaluation

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HUGE = "99999999999999999999"


@pytest.mark.parametrize("value", [SCRIPT, "🙂👩🏽‍⚕️", "مرحبا", "factuur\u202egpj.exe"])
def test_a_participants_text_is_saved_exactly_and_shown_escaped(
    client, staff_client, workshop, value
):
    participant = link(workshop)
    services.move(workshop=workshop, action="start")
    round = workshop.rounds.first()
    url = reverse("workshop_round_evaluation", args=[participant.token, round.pk])

    assert client.post(url, {"experience": value, "gut_feeling": value}).status_code == 302
    summary = staff_client.get(reverse("workshop_summary", args=[workshop.pk])).content.decode()

    assert RoundEvaluation.objects.get().experience == value
    assert SCRIPT not in summary


def test_a_nul_byte_in_a_participants_text_is_refused_in_dutch(client, workshop):
    participant = link(workshop)
    services.move(workshop=workshop, action="start")
    url = reverse("workshop_round_evaluation", args=[participant.token, workshop.rounds.first().pk])

    response = client.post(url, {"experience": "a\x00b", "feeling": "3"})

    assert response.status_code == 200
    assert "In je tekst staat een teken dat niet kan." in response.content.decode()
    assert not RoundEvaluation.objects.exists()


def test_a_nul_byte_or_a_huge_role_in_the_role_choice_never_answers_500(client, workshop):
    participant = link(workshop)
    url = reverse("workshop_play", args=[participant.token])

    for data in ({"role": HUGE}, {"role": "abc"}, {"role": "1", "display_name": "a\x00b"}):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        f"/workshops/{HUGE}/",
        f"/workshops/{HUGE}/summary/",
        "/workshops/{pk}/rounds/" + HUGE + "/",
        "/workshops/{pk}/nonsense/1/",
    ],
)
def test_huge_ids_in_staff_addresses_answer_404(staff_client, workshop, path):
    assert staff_client.get(path.format(pk=workshop.pk)).status_code == 404


def test_huge_ids_and_markup_in_posts_never_answer_500(staff_client, workshop):
    base = f"/workshops/{workshop.pk}"
    for path, data in [
        (f"{base}/rounds/{HUGE}/delete/", {}),
        (f"{base}/move/%3Cscript%3E/", {}),
        (f"{base}/links/", {"count": HUGE}),
        (f"{base}/links/", {"count": "-3"}),
        (f"{base}/rounds/new/", {"rounds-title": SCRIPT, "rounds-minutes": HUGE}),
        (f"{base}/roles/new/", {"roles-name": "a\x00b", "roles-briefing": "x" * 10_000}),
    ]:
        response = staff_client.post(path, data)
        assert response.status_code < 500, path
        assert SCRIPT not in response.content.decode()


def test_a_duplicate_role_name_is_refused_in_dutch(staff_client, workshop):
    response = staff_client.post(
        f"/workshops/{workshop.pk}/roles/new/",
        {"roles-name": "Gemeente", "roles-briefing": "Nog een gemeente."},
    )

    assert response.status_code == 200
    assert "Deze workshop heeft al een rol met deze naam." in response.content.decode()
