"""The listeners' view (findings/views/listen.py): what it shows, and the private jotting pad.

Who may open it is in tests/test_permissions.py; the presenter screen is in
tests/sessions/test_screen_views.py."""

import pytest
from django.utils import timezone

from findings.models import Jotting
from findings.services.jottings import JottingRefused, save_jotting
from sessions.constants import Status
from sessions.models import Session
from sessions.services import live
from tests.factories import (
    ListenerFactory,
    UserFactory,
    World,
)
from tests.fixtures import login
from tests.room import (
    ALLOWED,
    AT_MOST,
    ESCAPED_SCRIPT,
    HTMX,
    NOT_NOW,
    NUL_ERROR,
    OTHER_TAB,
    SCRIPT,
    as_role,
    live_world,
    make_live,
    questions,
    to_question,
    url,
)


@pytest.fixture
def w(db):
    return live_world()


ROOM_PAGES = ["screen/", "screen/state", "listen/", "listen/state"]


# — the jotting pad's owners (who may open what: tests/test_permissions.py) —


@pytest.mark.parametrize("role", ALLOWED)
def test_everyone_who_sees_the_session_saves_a_jotting_of_their_own(client, w, role):
    response = as_role(client, w, role).post(url(w, "listen/jotting/"), {"text": "Let op!"})

    assert response.status_code == 302
    assert response.url == f"/sessions/{w.session.pk}/listen/"
    assert Jotting.objects.get(author=w.user(role)).text == "Let op!"
    assert Jotting.objects.count() == 1


@pytest.mark.parametrize("role", ["professional", "outsider", "anonymous"])
def test_who_may_not_see_the_session_saves_no_jotting(client, w, role):
    as_role(client, w, role).post(url(w, "listen/jotting/"), {"text": "Let op!"})

    assert not Jotting.objects.exists()


def test_a_session_of_another_organisation_is_hidden(client, w, other):
    login(client, w.listener)
    for page in ["listen/", "listen/state", "listen/jotting/"]:
        method = client.post if page.endswith("jotting/") else client.get
        assert method(f"/sessions/{other.session.pk}/{page}").status_code == 404


# — the listeners' view —


def test_listener_view_reminds_of_the_rules_and_shows_the_question(client, w):
    to_question(w, 1)

    response = as_role(client, w, "listener").get(url(w, "listen/"))

    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]  # private notes stay out of caches
    assert "U luistert in stilte; u reageert niet." in html
    assert "Toehoorders zwijgen." in html
    assert "Vraag 2 van 4" in html
    assert questions(w)[1].text in html
    assert 'aria-live="polite"' in html
    # No input but the pad: the pad's form is the only form in the page's content.
    content = html.split('id="main"')[1].split("<footer")[0]
    assert content.count("<textarea") == 1
    assert content.count("<form") == 1


def test_listener_state_follows_the_question(client, w):
    to_question(w, 0)
    as_role(client, w, "listener")
    assert questions(w)[0].text in client.get(url(w, "listen/state")).content.decode()

    to_question(w, 3)
    html = client.get(url(w, "listen/state")).content.decode()

    assert questions(w)[3].text in html
    assert "Vraag 4 van 4" in html


def test_a_listener_page_drawn_before_the_start_reloads_when_the_meeting_starts(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED)
    as_role(client, w, "listener")
    page = client.get(url(w, "listen/")).content.decode()
    assert "Het gesprek is nog niet begonnen." in page
    # No jotting pad yet (the leervragen form may be there: they are written before).
    assert "?pad=0" in page and "/listen/jotting/" not in page

    Session.objects.filter(pk=w.session.pk).update(status=Status.LIVE)
    response = client.get(url(w, "listen/state"), {"pad": "0"}, **HTMX)

    assert response["HX-Refresh"] == "true"


def test_listener_state_stops_polling_after_the_meeting(client, w):
    live.end_meeting(session_id=w.session.pk)

    response = as_role(client, w, "listener").get(url(w, "listen/state"), {"pad": "1"})

    assert response.status_code == 286
    assert "Nu volgt het nagesprek." in response.content.decode()


# — the jotting pad —


def save(client, w, text, base="", **extra):
    return client.post(url(w, "listen/jotting/"), {"text": text, "base": base, **extra}, **HTMX)


def test_the_pad_autosaves_and_says_when(client, w):
    as_role(client, w, "listener")

    response = save(client, w, "Terugbellen lijkt een blinde vlek.")

    jotting = Jotting.objects.get(session=w.session, author=w.listener)
    assert jotting.text == "Terugbellen lijkt een blinde vlek."
    html = response.content.decode()
    assert "Opgeslagen om " + timezone.localtime(jotting.updated_at).strftime("%H:%M") in html
    assert 'hx-swap-oob="true"' in html and jotting.updated_at.isoformat() in html
    page = client.get(url(w, "listen/")).content.decode()
    assert "Terugbellen lijkt een blinde vlek." in page


def test_the_next_save_names_the_version_it_saw(client, w):
    as_role(client, w, "listener")
    save(client, w, "eerste")
    version = Jotting.objects.get().updated_at.isoformat()

    save(client, w, "eerste, tweede", base=version)

    assert Jotting.objects.get().text == "eerste, tweede"


def test_a_stale_tab_cannot_wipe_what_another_tab_saved(client, w):
    as_role(client, w, "listener")
    save(client, w, "uit het eerste venster")

    response = save(client, w, "uit een oud venster", base="")

    assert OTHER_TAB in response.content.decode()
    assert Jotting.objects.get().text == "uit het eerste venster"
    # Saving what is already stored is never a conflict.
    assert OTHER_TAB not in save(client, w, "uit het eerste venster").content.decode()


def test_a_jotting_is_seen_by_its_author_only(client, w):
    second = UserFactory(username="second_listener")
    ListenerFactory(session=w.session, user=second, name="Tweede Toehoorder")
    secret = "PRIVÉ: de consulent klonk ongeduldig"
    as_role(client, w, "listener")
    save(client, w, secret)

    for role in ["facilitator", "co_facilitator", "coordinator"]:
        as_role(client, w, role)
        for page in [*ROOM_PAGES, "listen/state?pad=1", "", "guide/", "rules/", "listeners/"]:
            assert secret not in client.get(url(w, page)).content.decode(), (role, page)
    login(client, second)
    assert secret not in client.get(url(w, "listen/")).content.decode()

    # Another's save makes their own jotting and leaves the first one alone.
    save(client, w, "mijn eigen notitie")
    assert Jotting.objects.get(author=w.listener).text == secret
    assert Jotting.objects.get(author=second).text == "mijn eigen notitie"

    # In the debrief, where jottings are used, each still sees only their own.
    live.end_meeting(session_id=w.session.pk)
    for user in [w.facilitator, w.co_facilitator, w.coordinator, second]:
        login(client, user)
        for page in ["listen/", "debrief/"]:
            response = client.get(url(w, page))
            assert response.status_code == 200, (user, page)
            assert secret not in response.content.decode(), (user, page)
    login(client, w.listener)
    assert secret in client.get(url(w, "listen/")).content.decode()


def test_hostile_jotting_text_is_stored_exactly_and_shown_escaped(client, w):
    as_role(client, w, "listener")
    text = f"{SCRIPT} 🙂 مرحبا \u202e"

    save(client, w, text)

    assert Jotting.objects.get().text == text
    html = client.get(url(w, "listen/")).content.decode()
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html


def test_a_jotting_takes_ten_thousand_characters_and_refuses_more_in_dutch(client, w):
    as_role(client, w, "listener")

    assert save(client, w, "x" * 10_000).status_code == 200
    assert len(Jotting.objects.get().text) == 10_000

    base = Jotting.objects.get().updated_at.isoformat()
    response = save(client, w, "y" * 10_001, base=base)
    assert response.status_code == 200
    assert AT_MOST in response.content.decode()
    assert Jotting.objects.get().text == "x" * 10_000


def test_a_nul_byte_is_refused_in_dutch(client, w):
    as_role(client, w, "listener")

    response = save(client, w, "a\x00b")

    assert NUL_ERROR in response.content.decode()
    assert not Jotting.objects.exists()


def test_without_javascript_an_error_redraws_the_page_with_the_text(client, w):
    as_role(client, w, "listener")

    response = client.post(url(w, "listen/jotting/"), {"text": f"{SCRIPT}\x00"})

    assert response.status_code == 200
    html = response.content.decode()
    assert NUL_ERROR in html
    assert SCRIPT not in html
    assert not Jotting.objects.exists()


@pytest.mark.parametrize("status", [Status.PLANNED, Status.CLOSED])
def test_jottings_are_written_only_during_the_meeting_and_debrief(client, w, status):
    as_role(client, w, "listener")
    save(client, w, "tijdens het gesprek")
    Session.objects.filter(pk=w.session.pk).update(status=status)

    response = save(client, w, "te laat", base=Jotting.objects.get().updated_at.isoformat())

    assert NOT_NOW in response.content.decode()
    assert Jotting.objects.get().text == "tijdens het gesprek"


def test_jottings_can_still_be_written_in_the_debrief(client, w):
    live.end_meeting(session_id=w.session.pk)
    as_role(client, w, "listener")

    save(client, w, "voor het nagesprek")

    assert Jotting.objects.get().text == "voor het nagesprek"


def test_after_closing_the_pad_is_read_only(client, w):
    as_role(client, w, "listener")
    save(client, w, "mijn aantekening")
    Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)

    html = client.get(url(w, "listen/")).content.decode()

    assert "mijn aantekening" in html
    assert "readonly" in html and "hx-post" not in html
    assert "alleen nog te lezen" in html


def test_a_beacon_on_closing_the_page_is_saved_quietly(client, w):
    as_role(client, w, "listener")

    response = client.post(url(w, "listen/jotting/"), {"text": "laatste woorden", "beacon": "1"})

    assert response.status_code == 204
    assert Jotting.objects.get().text == "laatste woorden"


@pytest.mark.django_db
def test_save_jotting_refuses_a_closed_session():
    world = make_live(World())
    Session.objects.filter(pk=world.session.pk).update(status=Status.CLOSED)
    world.session.refresh_from_db()
    with pytest.raises(JottingRefused):
        save_jotting(session=world.session, author=world.listener, text="x", base_version="")
