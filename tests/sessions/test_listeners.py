"""Guest listeners matched to accounts (issue 12): a facilitator cannot slip in as a guest."""

import pytest

from participants.models import Listener
from tests.factories import ListenerFactory, UserFactory, World
from tests.fixtures import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = World(status="planned")
    world.co_facilitator = UserFactory(username="co_facilitator", email="Co@Example.nl")
    world.session.co_facilitator = world.co_facilitator
    world.session.save(update_fields=["co_facilitator"])
    return world


def add_guest(client, w, **fields):
    data = {"new-name": "Gast Gerda", "new-function": "Beleidsmedewerker", **fields}
    return client.post(f"/sessions/{w.session.pk}/listeners/", data, follow=True)


@pytest.mark.parametrize("who", ["facilitator", "co_facilitator"])
def test_a_guest_with_a_facilitators_address_is_refused(client, w, who):
    login(client, w.facilitator)
    address = getattr(w, who).email.upper()
    response = add_guest(client, w, **{"new-email": f"  {address} "})
    assert response.status_code == 200
    assert "hoort bij de gespreksleider van dit gesprek" in response.text
    assert not w.session.listeners.filter(name="Gast Gerda").exists()
    assert w.session.independence_problems() == []


def test_a_guest_with_another_accounts_address_is_linked_to_that_account(client, w):
    colleague = UserFactory(username="colleague", email="karin@example.nl")
    login(client, w.facilitator)
    add_guest(client, w, **{"new-email": "KARIN@example.nl"})
    assert Listener.objects.get(session=w.session, name="Gast Gerda").user == colleague


def test_linking_a_guest_to_an_account_already_listening_is_an_error_not_a_500(client, w):
    login(client, w.facilitator)
    response = add_guest(client, w, **{"new-email": w.listener.email})
    assert response.status_code == 200
    assert "al toehoorder bij dit gesprek" in response.text
    assert w.session.listeners.count() == 1


def test_a_guest_with_a_facilitators_name_is_added_with_a_warning(client, w):
    login(client, w.facilitator)
    name = w.facilitator.get_full_name()
    response = add_guest(client, w, **{"new-name": f" {name.upper()} "})
    assert "heeft dezelfde naam als een gespreksleider" in response.text
    assert w.session.listeners.count() == 2
    [(blocking, _message)] = w.session.independence_problems()
    assert blocking is False


def test_a_guest_entered_earlier_with_a_facilitators_address_blocks_the_checklist(w):
    ListenerFactory(session=w.session, name="Iemand", email=w.facilitator.email.upper())
    problems = w.session.independence_problems()
    assert [blocking for blocking, _message in problems] == [True]
    assert (
        "Een gespreksleider staat ook als toehoorder op de lijst."
        in w.session.missing_for_planned()
    )
