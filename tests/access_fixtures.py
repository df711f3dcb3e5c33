"""Fixtures shared by the access, hostile-input and query-count tests.

Import them explicitly into a test module (`from tests.access_fixtures import ...`); pytest
registers fixtures found in a module's namespace, the autouse one included.
"""

import pytest

from tests.factories import (
    ListenerFactory,
    OrganisationFactory,
    PanelMemberFactory,
    QuestionFactory,
    RuleFactory,
    SessionFactory,
    UserFactory,
    World,
)


@pytest.fixture(autouse=True)
def plain_http(settings):
    """Settings turn on SECURE_SSL_REDIRECT when DEBUG is off; the test client speaks http."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def closed_world(db):
    return World(status="closed")


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


@pytest.fixture
def other(db):
    return OtherSession()


def session_form_data(w, **changes):
    data = {
        "title": "Spiegelgesprek Wmo",
        "organisations": [w.org_a.pk],
        "theme": "De Wmo-aanvraag",
        "target_group": "",
        "starts_at": "2030-10-01T10:00",
        "duration_minutes": "120",
        "location": "Wijkcentrum",
        "online_url": "",
        "facilitator": str(w.facilitator.pk),
        "co_facilitator": "",
        "language": "nl",
        "listener_questions_allowed": "on",
        "notes": "",
    }
    return {**data, **changes}


def panel_form_data(**changes):
    data = {
        "contact-name": "Nieuwe Cliënt",
        "contact-email": "",
        "contact-phone": "",
        "contact-access_notes": "",
        "contact-compensation": "",
        "member-status": "invited",
        "member-consent_date": "",
        "member-consent_letter_version": "",
    }
    return {**data, **changes}


def login(client, user):
    client.force_login(user)
    return client
