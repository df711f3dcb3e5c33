"""Clients in their own language (issue 12, point 5): a panel member's language chooses the
invitation, the evaluation form and the feedback letter; the form has a visible switch; Arabic
pages run right to left; staff pages stay Dutch and English; unknown codes become Dutch."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from pypdf import PdfReader

from participants.models import PanelMember
from sessions.constants import Status
from sessions.models import Session
from sessions.services import evaluation as evaluation_service
from sessions.services import invitations
from spiegel.languages import client_language, requested_language
from tests.factories import (
    PanelMemberContactFactory,
    PanelMemberFactory,
    SessionFactory,
    UserFactory,
    World,
)
from tests.fixtures import login, panel_form_data

pytestmark = pytest.mark.django_db

TITLES = {
    "nl": "Wat vond u van het gesprek?",
    "en": "What did you think of the conversation?",
    "tr": "Görüşme hakkında ne düşünüyorsunuz?",
    "ar": "ما رأيك في الحوار؟",
}


@pytest.fixture
def world(db):
    return World(status=Status.DEBRIEF)


def evaluation_for(world, language):
    PanelMember.objects.filter(pk=world.member.pk).update(language=language)
    evaluation_service.create_links(session=world.session)
    return world.session.evaluations.get(panel_member=world.member)


def html_tag(response):
    content = response.content.decode()
    return content[content.index("<html") : content.index(">", content.index("<html")) + 1]


# — the language itself —


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("tr", "tr"),
        ("AR", "ar"),
        ("tr-TR", "tr"),
        ("en_GB", "en"),
        ("xx", "nl"),
        ("de", "nl"),  # a real language, not one of ours
        ("", "nl"),
        (None, "nl"),
        (42, "nl"),
        ("ar\x00", "nl"),
        ("<script>", "nl"),
    ],
)
def test_client_language_turns_anything_unknown_into_dutch(code, expected):
    assert client_language(code) == expected


def test_the_database_refuses_a_language_we_do_not_have(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMember.objects.filter(pk=world.member.pk).update(language="xx")


# — the evaluation form —


@pytest.mark.parametrize("language", ["nl", "en", "tr", "ar"])
def test_the_evaluation_form_speaks_the_members_language(world, language):
    evaluation = evaluation_for(world, language)

    response = Client().get(f"/e/{evaluation.token}/")

    assert response.status_code == 200
    assert TITLES[language] in response.content.decode()
    assert response["Content-Language"] == language
    direction = "rtl" if language == "ar" else "ltr"
    expected = f'<html lang="{language}" dir="{direction}" class="voorbeeld-theme">'
    assert html_tag(response) == expected


def test_the_arabic_form_uses_bootstraps_right_to_left_build_and_the_arabic_font(world):
    evaluation = evaluation_for(world, "ar")
    page = Client().get(f"/e/{evaluation.token}/").content.decode()
    assert "bootstrap.rtl.min.css" in page
    assert "vendor/bootstrap/bootstrap.min.css" not in page
    assert "css/client-fonts.css" in page
    # The faces' labels and the question are Arabic too.
    assert "جيد جدًا" in page and "هل كان هناك وقت كافٍ؟" in page


def test_the_switch_offers_every_client_language_in_its_own_name(world):
    evaluation = evaluation_for(world, "nl")
    page = Client().get(f"/e/{evaluation.token}/").content.decode()
    for code, name in [("nl", "Nederlands"), ("en", "English"), ("tr", "Türkçe")]:
        assert f'lang="{code}" hreflang="{code}" dir="ltr"' in page
        assert f">{name}</a>" in page
    assert f'href="/e/{evaluation.token}/?taal=ar" lang="ar" hreflang="ar" dir="rtl"' in page
    assert 'aria-current="true">Nederlands</a>' in page


def test_the_switch_changes_the_language_and_keeps_it_through_errors_and_thanks(world):
    evaluation = evaluation_for(world, "nl")
    client = Client()
    url = f"/e/{evaluation.token}/?taal=ar"

    page = client.get(url).content.decode()
    assert TITLES["ar"] in page
    assert f'action="/e/{evaluation.token}/?taal=ar"' in page

    empty = client.post(url, {"comment": ""})
    assert empty.status_code == 200
    assert "لم تكتب شيئًا بعد" in empty.content.decode()  # the error, in Arabic
    wrong = client.post(url, {"experience": "9"})
    assert "اختر وجهًا من الوجوه الخمسة." in wrong.content.decode()

    done = client.post(url, {"experience": "5", "comment": "Top 👍🙂 شكرًا"})
    assert done.status_code == 302
    assert done["Location"] == f"/e/{evaluation.token}/thanks/?taal=ar"
    thanks = client.get(done["Location"])
    assert "شكرًا لك!" in thanks.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.comment == "Top 👍🙂 شكرًا"


@pytest.mark.parametrize("asked", ["xx", "de", "<script>alert(1)</script>", "", "ar\x00"])
def test_an_unknown_language_in_the_switch_falls_back_to_the_members_language(world, asked):
    evaluation = evaluation_for(world, "tr")
    response = Client().get(f"/e/{evaluation.token}/", {"taal": asked})
    assert response.status_code == 200
    page = response.content.decode()
    assert TITLES["tr"] in page
    assert "<script>alert(1)</script>" not in page


def test_a_listeners_form_follows_the_session_and_an_unknown_link_the_switch(world):
    evaluation_service.create_links(session=world.session)
    listener = world.session.evaluations.get(listener=world.listener_entry)
    assert TITLES["nl"] in Client().get(f"/e/{listener.token}/").content.decode()

    missing = Client().get("/e/doesnotexist/", {"taal": "ar"})
    assert missing.status_code == 404
    assert html_tag(missing) == '<html lang="ar" dir="rtl" class="voorbeeld-theme">'
    assert "هذا الرابط لا يعمل" in missing.content.decode()


def test_requested_language_prefers_the_switch_then_the_default():
    from django.test import RequestFactory

    factory = RequestFactory()
    assert requested_language(factory.get("/", {"taal": "tr"}), default="ar") == "tr"
    assert requested_language(factory.get("/", {"taal": "fr"}), default="ar") == "ar"
    assert requested_language(factory.get("/"), default="zz") == "nl"


def test_the_form_leaves_the_staff_language_of_the_browser_alone(world):
    """The override ends with the page: the next staff page is in the staff language."""
    evaluation = evaluation_for(world, "ar")
    client = login(Client(), world.facilitator)
    client.get(f"/e/{evaluation.token}/")
    staff = client.get(f"/sessions/{world.session.pk}/")
    assert html_tag(staff).startswith('<html lang="nl"')


# — staff pages stay Dutch and English —


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_staff_pages_never_speak_a_client_language(world, language):
    client = login(Client(), world.facilitator)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="nl"' in page
    # The footer's switch offers Dutch and English only.
    assert 'value="en"' in page
    assert f'value="{language}"' not in page


@pytest.mark.parametrize("cookie", ["tr", "ar", "tr-TR", "AR"])
def test_a_client_language_cookie_leaves_staff_pages_dutch(world, settings, cookie):
    """However the cookie got there (an old switch, a hand-made one), staff read Dutch."""
    client = login(Client(), world.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(f"/sessions/{world.session.pk}/", HTTP_ACCEPT_LANGUAGE="tr,ar")
    page = response.content.decode()
    assert html_tag(response).startswith('<html lang="nl"')
    assert 'dir="rtl"' not in html_tag(response)
    assert response.get("Content-Language", "nl") == "nl"
    assert "Privacy" in page and "Gizlilik" not in page


def test_the_member_form_offers_the_four_client_languages_and_saves_the_choice(world):
    client = login(Client(), world.facilitator)
    url = f"/sessions/{world.session.pk}/panel/{world.member.pk}/"
    page = client.get(url).content.decode()
    for code in ("nl", "en", "tr", "ar"):
        assert f'<option value="{code}"' in page
    data = panel_form_data(**{"member-language": "ar", "contact-name": "Amina"})
    response = client.post(url, data)
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.language == "ar"
    panel = client.get(f"/sessions/{world.session.pk}/panel/").content.decode()
    assert "Taal: Arabisch" in panel


def test_a_member_form_without_the_language_keeps_it(world):
    PanelMember.objects.filter(pk=world.member.pk).update(language="tr")
    client = login(Client(), world.facilitator)
    url = f"/sessions/{world.session.pk}/panel/{world.member.pk}/"
    assert client.post(url, panel_form_data()).status_code == 302
    world.member.refresh_from_db()
    assert world.member.language == "tr"


# — the invitation —


def planned_with_members(*languages):
    facilitator = UserFactory(first_name="Greet", last_name="Gespreksleider")
    session = SessionFactory(facilitator=facilitator, location="Stadhuis, zaal 3")
    Session.objects.filter(pk=session.pk).update(status=Status.PLANNED)
    session.refresh_from_db()
    for language in languages:
        member = PanelMemberFactory(session=session, contact=None, language=language)
        PanelMemberContactFactory(panel_member=member, name="Ayşe", email=f"{language}@example.org")
    return session


SUBJECTS = {
    "nl": "Uitnodiging: gesprek over uw ervaringen op",
    "en": "Invitation",
    "tr": "Davet:",
    "ar": "دعوة:",
}
BODIES = {
    "nl": "Wat is een spiegelgesprek?",
    "en": "What is a",
    "tr": "Ayna görüşmesi nedir?",
    "ar": "ما هو حوار المرآة؟",
}


def test_each_member_gets_the_invitation_in_their_own_language(mailoutbox):
    session = planned_with_members("nl", "en", "tr", "ar")

    result = invitations.send_invitations(session=session, by=session.facilitator, listeners=False)

    assert result.sent_panel == 4
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    for language in ("nl", "en", "tr", "ar"):
        mail = by_address[f"{language}@example.org"]
        (html, _mimetype), *_ = mail.alternatives
        assert SUBJECTS[language] in mail.subject, (language, mail.subject)
        assert BODIES[language] in mail.body and BODIES[language] in html, language
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html
        (attachment,) = mail.attachments
        content = attachment.content
        content = content.decode() if isinstance(content, bytes) else content
        assert content.count("BEGIN:VEVENT") == 1
    # The calendar entry's description is translated too.
    turkish = by_address["tr@example.org"].attachments[0].content
    turkish = turkish.decode() if isinstance(turkish, bytes) else turkish
    assert "Ayna g" in turkish  # "Ayna görüşmesi", folded by iCalendar
    # Turkish dates: the month's name in Turkish.
    assert "Saat" in by_address["tr@example.org"].body


def test_listeners_invitation_stays_in_the_sessions_language(mailoutbox):
    session = planned_with_members("ar")
    from tests.factories import ListenerFactory

    ListenerFactory(session=session, email="luisteraar@example.nl")
    invitations.send_invitations(session=session, by=session.facilitator)
    (listener_mail,) = [m for m in mailoutbox if m.to == ["luisteraar@example.nl"]]
    assert listener_mail.subject.startswith("Uitnodiging: spiegelgesprek")


# — the feedback letter —


def test_the_letter_page_offers_a_pdf_per_language_of_its_readers(world):
    PanelMember.objects.filter(pk=world.member.pk).update(language="tr")
    client = login(Client(), world.facilitator)
    page = client.get(f"/sessions/{world.session.pk}/feedback/").content.decode()
    assert 'id="letter-languages"' in page
    assert f'href="/sessions/{world.session.pk}/feedback-letter.pdf?taal=tr"' in page
    assert "De brief als PDF in het Turks" in page

    response = client.get(f"/sessions/{world.session.pk}/feedback-letter.pdf", {"taal": "tr"})
    assert response.status_code == 200
    assert "terugkoppelingsbrief-tr.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert str(reader.trailer["/Root"]["/Lang"]) == "tr"


def test_the_letter_pdf_ignores_an_unknown_language(world):
    client = login(Client(), world.facilitator)
    url = f"/sessions/{world.session.pk}/feedback-letter.pdf"
    response = client.get(url, {"taal": "../../etc/passwd"})
    assert response.status_code == 200
    assert 'terugkoppelingsbrief.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert str(reader.trailer["/Root"]["/Lang"]) == "nl"


def test_a_letter_page_of_dutch_readers_shows_no_language_list(world):
    client = login(Client(), world.facilitator)
    page = client.get(f"/sessions/{world.session.pk}/feedback/").content.decode()
    assert 'id="letter-languages"' not in page


@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("ar", "rtl")])
def test_the_letters_preview_shows_each_language(world, settings, language, direction):
    settings.DEBUG = True
    client = login(Client(), world.facilitator)
    url = f"/sessions/{world.session.pk}/feedback-letter.html"
    html = client.get(url, {"taal": language}).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "/static/print/fonts/noto-naskh-arabic-400-normal.ttf" in html
