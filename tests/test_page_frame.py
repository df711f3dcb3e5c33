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
