"""The page frame (issue 12): a title with its separator, Django's blank choice in Dutch."""

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
