"""The fixtures of the workshop tests: an organisation, its facilitator, a fresh workshop."""

import pytest

from participants.constants import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from workshops import services


@pytest.fixture
def org():
    return OrganisationFactory(name="Gemeente Alfa")


@pytest.fixture
def facilitator(org):
    user = UserFactory(username="begeleider")
    MembershipFactory(user=user, organisation=org, role=Role.FACILITATOR)
    return user


@pytest.fixture
def workshop(org, facilitator):
    return services.create_workshop(
        organisation=org, title="In gesprek over kwaliteit", facilitator=facilitator
    )


@pytest.fixture
def staff_client(client, facilitator):
    client.force_login(facilitator)
    return client
