"""The public statements (issue 12): accessibility and privacy, linked from every page, and the
client pages naming the organisation that asks."""

import pytest

from participants.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_accessibility_statement_follows_the_national_model_for_anyone(client):
    page = client.get("/toegankelijkheid/")

    assert page.status_code == 200
    text = page.content.decode()
    for heading in ("Nalevingsstatus", "Hoe wij dat meten", "Wat nog niet goed is",
                    "Een probleem melden", "Bent u niet tevreden?"):  # fmt: skip
        assert heading in text
    assert "voldoet gedeeltelijk" in text
    assert "WCAG 2.2" in text  # what the crawl measures (tests/browser/test_crawl.py)
    known = text.split('id="known-issues"')[1].split("</ul>")[0]
    assert known.count("<li>") >= 1  # the known problems are named, not hidden
    # What the crawl now checks on every page is no longer listed as a known problem.
    for fixed in ("WCAG 1.4.11", "WCAG 2.4.7", "WCAG 1.4.10", "WCAG 3.3.1", "Emoji"):
        assert fixed not in known


def test_the_privacy_statement_of_an_organisation_gives_its_contact_details(client):
    organisation = OrganisationFactory(
        name="Gemeente Delta",
        contact_email="spiegel@delta.example",
        contact_phone="14 010",
        privacy_contact="Functionaris gegevensbescherming, fg@delta.example",
        retention_days=120,
    )

    text = client.get(f"/privacy/{organisation.pk}/").content.decode()

    assert "Gemeente Delta" in text
    assert "spiegel@delta.example" in text and "14 010" in text
    assert "fg@delta.example" in text
    assert "120 dagen na het afsluiten" in text
    assert "Autoriteit Persoonsgegevens" in text


def test_the_general_statement_names_only_the_users_own_organisations(client):
    mine = OrganisationFactory(name="Gemeente Eigen")
    OrganisationFactory(name="Anders")
    user = UserFactory()
    MembershipFactory(user=user, organisation=mine)

    anonymous = client.get("/privacy/").content.decode()
    client.force_login(user)
    signed_in = client.get("/privacy/").content.decode()

    assert "Gemeente Eigen" not in anonymous and "Anders" not in anonymous
    assert "Gemeente Eigen" in signed_in and "Anders" not in signed_in


def test_an_unknown_organisation_is_404_not_500(client):
    assert client.get("/privacy/999999999/").status_code == 404


def test_every_page_links_both_statements(client):
    user = UserFactory()
    client.force_login(user)
    for path in ("/", "/accounts/login/"):
        if path == "/accounts/login/":
            client.logout()
        text = client.get(path).content.decode()
        assert 'href="/toegankelijkheid/"' in text and 'href="/privacy/"' in text


def test_the_beheerder_sets_the_contact_details(client):
    from participants.constants import Role

    organisation = OrganisationFactory()
    beheerder = UserFactory()
    MembershipFactory(user=beheerder, organisation=organisation, role=Role.ADMIN)
    client.force_login(beheerder)

    response = client.post(
        f"/organisations/{organisation.pk}/settings/",
        {
            "retention_days": 180,
            "contact_email": "vragen@org.example",
            "contact_phone": "010 123 45 67",
            "privacy_contact": "FG, fg@org.example",
        },
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.contact_email == "vragen@org.example"
    assert organisation.privacy_contact == "FG, fg@org.example"
    bad = client.post(
        f"/organisations/{organisation.pk}/settings/",
        {"retention_days": 180, "contact_email": "geen adres"},
    )
    assert bad.status_code == 200 and "geldig e-mailadres" in bad.content.decode()


@pytest.mark.parametrize("path", ["/toegankelijkheid/", "/privacy/"])
def test_the_statements_speak_english_when_chosen(client, settings, path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = client.get(path).content.decode()

    assert "Accessibility" in text and "Privacy" in text
    for dutch in ("Nalevingsstatus", "Welke gegevens", "Uw rechten", "Wat nog niet goed is"):
        assert dutch not in text
