"""The page frame (issue 12): a title with its separator, Django's blank choice in Dutch."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_title_separates_the_page_from_the_site(client):
    page = client.get("/accounts/login/").content.decode()

    assert "<title>Inloggen · Spiegel</title>" in page


def test_a_page_without_a_title_is_just_spiegel():
    template = Template("{% load spiegel_page %}{% page_title %} {% endpage_title %}")

    assert template.render(Context()) == "Spiegel"


def blank_label():
    from sessions.models import Evaluation

    field = Evaluation._meta.get_field("experience").formfield()
    return str(list(field.choices)[0][1])


def test_the_blank_choice_of_a_select_is_dutch():
    # Django 6.1's own label has no Dutch in Django's catalogue.
    assert blank_label() == "- Kies een optie -"


def test_the_blank_choice_speaks_english_when_asked():
    with translation.override("en"):
        assert blank_label() == "- Select an option -"


SESSION_PAGES = ["", "panel/", "listeners/", "guide/", "rules/", "tables/", "invitations/"]


@pytest.mark.parametrize("page", SESSION_PAGES)
def test_every_page_of_a_session_has_the_breadcrumb_to_the_list_and_the_session(client, page):
    from tests.factories import World

    w = World()
    client.force_login(w.facilitator)
    response = client.get(f"/sessions/{w.session.pk}/{page}")
    assert response.status_code == 200, page
    html = response.content.decode()

    crumbs = html.split('<ol class="breadcrumb', 1)[1].split("</ol>", 1)[0]
    assert 'aria-label="Kruimelpad"' in html
    assert 'href="/sessions/"' in crumbs and w.session.title in crumbs
    # The session itself is a link from its other pages, the current page on its own.
    assert (f'href="/sessions/{w.session.pk}/"' in crumbs) == (page != "")


def crumbs_of(html):
    """The breadcrumb trail of a page as (text, href) pairs; href None for the current page."""
    assert html.count('aria-label="Kruimelpad"') == 1
    trail = html.split('<ol class="breadcrumb', 1)[1].split("</ol>", 1)[0]
    return [
        (text, href or None)
        for href, text in re.findall(
            r'<li class="breadcrumb-item[^"]*"[^>]*>(?:<a href="([^"]*)">)?([^<]*)', trail
        )
    ]


# (who, URL, expected trail); {org}, {session} are filled in from the world. The staff user is
# the platform beheerder; the coordinator is the organisation's beheerder in this test.
TRAILS = [
    (
        "staff",
        "/organisations/new/",
        [("Organisaties", "/organisations/"), ("Nieuwe organisatie of netwerk", None)],
    ),
    (
        "coordinator",
        "/organisations/{org}/",
        [("Organisaties", "/organisations/"), ("Gemeente Alfa", None)],
    ),
    (
        "coordinator",
        "/organisations/{org}/settings/",
        [("Organisaties", "/organisations/"), ("Gemeente Alfa", "/organisations/{org}/")],
    ),
    (
        "coordinator",
        "/organisations/{org}/rules/",
        [("Organisaties", "/organisations/"), ("Gemeente Alfa", "/organisations/{org}/")],
    ),
    (
        "coordinator",
        "/organisations/{org}/library/",
        [("Organisaties", "/organisations/"), ("Gemeente Alfa", "/organisations/{org}/")],
    ),
    (
        "coordinator",
        "/accounts/password/change/",
        [("Mijn account", "/accounts/2fa/"), ("Wachtwoord wijzigen", None)],
    ),
    (
        "coordinator",
        "/accounts/3rdparty/",
        [("Mijn account", "/accounts/2fa/"), ("Inlogmethoden", None)],
    ),
    (
        "facilitator",
        "/sessions/new/",
        [("Gesprekken", "/sessions/"), ("Nieuw spiegelgesprek", None)],
    ),
    (
        "listener",
        "/sessions/{session}/listen/",
        [
            ("Gesprekken", "/sessions/"),
            ("Titel", "/sessions/{session}/"),
            ("Meekijken als toehoorder", None),
        ],
    ),
    (
        "facilitator",
        "/sessions/{session}/live/",
        [("Gesprekken", "/sessions/"), ("Titel", "/sessions/{session}/")],
    ),
]


@pytest.mark.parametrize(("who", "url", "expected"), TRAILS, ids=[t[1] for t in TRAILS])
def test_every_page_below_another_has_the_trail_up_to_it(client, who, url, expected):
    from participants.constants import Role
    from tests.factories import MembershipFactory, UserFactory, World

    w = World(status="live")
    w.staff = UserFactory(username="staff", is_staff=True)
    MembershipFactory(user=w.coordinator, organisation=w.org_a, role=Role.ADMIN)
    names = {"org": w.org_a.pk, "session": w.session.pk}
    client.force_login(getattr(w, who))

    response = client.get(url.format(**names))

    assert response.status_code == 200
    assert crumbs_of(response.content.decode()) == [
        (w.session.title if text == "Titel" else text, href and href.format(**names))
        for text, href in expected
    ]


def test_the_account_page_everything_hangs_from_has_no_trail(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    assert 'aria-label="Kruimelpad"' not in client.get("/accounts/2fa/").content.decode()
