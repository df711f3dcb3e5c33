"""Hostile input in every form (DESIGN.md §9): never a 5xx, a Dutch error or an escaped echo.

Each text field gets the same payloads. Markup, emoji and right-to-left text are saved exactly
and shown escaped; 10,000 characters and NUL bytes are refused with Django's Dutch message,
nothing is saved, and the other fields keep what the user typed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

import pytest

from participants.models import Listener, PanelMember, PanelMemberContact
from sessions.models import LibraryQuestion, Question, Rule, Session
from tests.factories import OrganisationFactory
from tests.fixtures import login, panel_form_data, session_form_data

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
LONG = "x" * 10_000
EMOJI = "🙂👩🏽‍⚕️"
RTL = "مرحبا"
RTL_OVERRIDE = "factuur\u202egpj.exe"
NUL = "a\x00b"
HUGE = "99999999999999999999"

NUL_ERROR = "Null-tekens zijn niet toegestaan."
REQUIRED = "Dit veld is verplicht."
INVALID_CHOICE = "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."
WHOLE_NUMBER = "Voer een geheel getal in."
AT_LEAST = "Zorg ervoor dat deze waarde minstens"
AT_MOST = "Zorg ervoor dat deze waarde hoogstens"
BAD_DATETIME = "Voer een geldige datum/tijd in."
BAD_DATE = "Voer een geldige datum in."
BAD_EMAIL = "Voer een geldig e-mailadres in."
BAD_URL = "Voer een geldige URL in."


def too_long(limit):
    return f"Zorg dat deze waarde niet meer dan {limit} tekens bevat (het zijn er nu 10000)."


def invalid_choice(value):
    return f"Selecteer een geldige keuze. {value} is geen beschikbare keuze."


def no_server_error(response):
    assert response.status_code < 500, response.status_code


# — text fields —


def session_values(field):
    return lambda w: list(Session.objects.order_by("pk").values_list(field, flat=True))


def newest_session(w):
    return f"/sessions/{Session.objects.latest('pk').pk}/"


def guide_texts(w):
    return list(
        Question.objects.filter(session=w.session).order_by("pk").values_list("text", flat=True)
    )


def rule_texts(w):
    return list(
        Rule.objects.filter(session=w.session).order_by("pk").values_list("text", flat=True)
    )


def contact_values(field):
    return lambda w: list(
        PanelMemberContact.objects.filter(panel_member__session=w.session)
        .order_by("pk")
        .values_list(field, flat=True)
    )


def member_values(field):
    return lambda w: list(
        PanelMember.objects.filter(session=w.session).order_by("pk").values_list(field, flat=True)
    )


def listener_values(field):
    return lambda w: list(
        Listener.objects.filter(session=w.session).order_by("pk").values_list(field, flat=True)
    )


def newest_member_form(w):
    member = PanelMember.objects.filter(session=w.session).latest("pk")
    return f"/sessions/{w.session.pk}/panel/{member.pk}/"


@dataclass(frozen=True)
class TextField:
    form: str
    field: str  # the POST key
    limit: int
    url: Callable
    data: Callable  # valid POST data for the form
    stored: Callable  # the field's stored values, oldest first (the newest is the one posted)
    keep: tuple  # another field and a value the user typed: survives an error re-render
    display: Callable | None = None  # the page showing the value; else where the POST lands

    def __str__(self):
        return f"{self.form} {self.field}"


def session_create(field, limit, keep=("location", "Behouden plaats"), **kwargs):
    return TextField(
        "session_create",
        field,
        limit,
        lambda w: "/sessions/new/",
        session_form_data,
        session_values(field),
        keep,
        newest_session,
        **kwargs,
    )


def guide_data(w):
    return {"new-text": "Vraag", "new-kind": "prepared", "new-planned_minutes": "10"}


def listener_data(w):
    return {"new-name": "Gast", "new-function": "Manager", "new-email": ""}


def listener_edit_data(w):
    return {"user": w.listener.pk, "name": "Lies", "function": "Manager", "email": ""}


TEXT_FIELDS = [
    session_create("title", 200),
    session_create("theme", 200),
    session_create("target_group", 200),
    session_create("location", 300, keep=("title", "Behouden titel")),
    session_create("notes", 4000),
    TextField(
        "session_edit",
        "title",
        200,
        lambda w: f"/sessions/{w.session.pk}/edit/",
        session_form_data,
        session_values("title"),
        ("location", "Behouden plaats"),
    ),
    TextField(
        "session_edit",
        "notes",
        4000,
        lambda w: f"/sessions/{w.session.pk}/edit/",
        session_form_data,
        session_values("notes"),
        ("location", "Behouden plaats"),
    ),
    TextField(
        "question_add",
        "new-text",
        2000,
        lambda w: f"/sessions/{w.session.pk}/guide/",
        guide_data,
        guide_texts,
        ("new-planned_minutes", "37"),
    ),
    TextField(
        "question_edit",
        "text",
        2000,
        lambda w: f"/sessions/{w.session.pk}/guide/{w.question.pk}/",
        lambda w: {"text": "Vraag", "kind": "prepared", "planned_minutes": "10"},
        guide_texts,
        ("planned_minutes", "37"),
        lambda w: f"/sessions/{w.session.pk}/guide/",
    ),
    TextField(
        "rule_add",
        "new-text",
        1000,
        lambda w: f"/sessions/{w.session.pk}/rules/",
        lambda w: {"new-text": "Regel"},
        rule_texts,
        None,
    ),
    TextField(
        "rule_edit",
        "text",
        1000,
        lambda w: f"/sessions/{w.session.pk}/rules/{w.rule.pk}/",
        lambda w: {"text": "Regel"},
        rule_texts,
        None,
        lambda w: f"/sessions/{w.session.pk}/rules/",
    ),
    *[
        TextField(
            "panel_add",
            f"contact-{field}",
            limit,
            lambda w: f"/sessions/{w.session.pk}/panel/",
            lambda w: panel_form_data(),
            contact_values(field),
            ("contact-email", "behouden@example.org"),
            display,
        )
        for field, limit, display in [
            ("name", 200, None),
            ("phone", 40, None),
            ("compensation", 200, newest_member_form),
            ("access_notes", 2000, newest_member_form),
        ]
    ],
    TextField(
        "panel_add",
        "member-consent_letter_version",
        50,
        lambda w: f"/sessions/{w.session.pk}/panel/",
        lambda w: panel_form_data(),
        member_values("consent_letter_version"),
        ("contact-email", "behouden@example.org"),
        newest_member_form,
    ),
    TextField(
        "panel_edit",
        "contact-name",
        200,
        lambda w: f"/sessions/{w.session.pk}/panel/{w.member.pk}/",
        lambda w: panel_form_data(),
        contact_values("name"),
        ("contact-email", "behouden@example.org"),
    ),
    *[
        TextField(
            "listener_add",
            f"new-{field}",
            limit,
            lambda w: f"/sessions/{w.session.pk}/listeners/",
            listener_data,
            listener_values(field),
            keep,
        )
        for field, limit, keep in [
            ("name", 200, ("new-function", "Behouden functie")),
            ("function", 120, ("new-name", "Behouden Naam")),
            ("organisation_name", 200, ("new-name", "Behouden Naam")),
        ]
    ],
    TextField(
        "listener_edit",
        "name",
        200,
        lambda w: f"/sessions/{w.session.pk}/listeners/{w.listener_entry.pk}/",
        listener_edit_data,
        listener_values("name"),
        ("function", "Behouden functie"),
    ),
]


def post_text(client, w, case, value):
    login(client, w.facilitator)
    data = case.data(w)
    if case.keep:
        data[case.keep[0]] = case.keep[1]
    data[case.field] = value
    return client.post(case.url(w), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", [SCRIPT, EMOJI, RTL, RTL_OVERRIDE], ids=["script", "emoji", "rtl", "rtl-override"]
)
@pytest.mark.parametrize("case", TEXT_FIELDS, ids=str)
def test_any_unicode_and_markup_is_saved_exactly_and_shown_escaped(client, world, case, value):
    response = post_text(client, world, case, value)

    assert response.status_code == 302
    assert case.stored(world)[-1] == value
    page = client.get(case.display(world) if case.display else response.url)
    assert page.status_code == 200
    assert escape(value, quote=False) in page.text
    assert SCRIPT not in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    TEXT_FIELDS,
    ids=str,
)
def test_ten_thousand_characters_are_refused_in_dutch_and_nothing_is_saved(client, world, case):
    login(client, world.facilitator)
    before = case.stored(world)

    response = post_text(client, world, case, LONG)

    assert response.status_code == 200
    assert too_long(case.limit) in response.text
    assert case.stored(world) == before
    if case.keep:
        assert case.keep[1] in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("case", TEXT_FIELDS, ids=str)
def test_a_nul_byte_is_refused_in_dutch_and_nothing_is_saved(client, world, case):
    login(client, world.facilitator)
    before = case.stored(world)

    response = post_text(client, world, case, NUL)

    assert response.status_code == 200
    assert NUL_ERROR in response.text
    assert case.stored(world) == before
    if case.keep:
        assert case.keep[1] in response.text


@pytest.mark.django_db
def test_markup_in_a_session_title_is_escaped_in_the_list_the_dashboard_and_the_title_tag(
    client, world
):
    login(client, world.facilitator)
    client.post("/sessions/new/", session_form_data(world, title=SCRIPT, theme=SCRIPT))

    for url in ("/", "/sessions/", newest_session(world), f"{newest_session(world)}guide/"):
        text = client.get(url).text
        assert ESCAPED_SCRIPT in text, url
        assert SCRIPT not in text, url
    assert f"<title>{ESCAPED_SCRIPT}" in client.get(newest_session(world)).text


# — numbers, dates, choices, e-mail and URLs —


def gamma_library_question(w):
    """A library question of an organisation outside the session's network."""
    return LibraryQuestion.objects.create(organisation=OrganisationFactory(), text="Vreemd").pk


def gamma_organisation(w):
    return OrganisationFactory(name="Gemeente Gamma").pk


SESSION_NEW = "/sessions/new/"


def session_bad(field, value, message):
    def data(w):
        v = value(w) if callable(value) else value
        return session_form_data(w, title="Behouden titel", **{field: v})

    return (SESSION_NEW, data, message, lambda w: Session.objects.count())


def guide_bad(field, value, message):
    def data(w):
        return {**guide_data(w), "new-text": "Behouden vraag", field: value}

    return (lambda w: f"/sessions/{w.session.pk}/guide/", data, message, guide_texts)


def library_bad(value, message):
    def data(w):
        return {"lib-questions": [value(w) if callable(value) else value]}

    return (lambda w: f"/sessions/{w.session.pk}/guide/library/", data, message, guide_texts)


def panel_bad(message, **fields):
    def data(w):
        return panel_form_data(**{"contact-name": "Behouden Naam", **fields})

    return (lambda w: f"/sessions/{w.session.pk}/panel/", data, message, member_values("pk"))


def listener_bad(message, **fields):
    def data(w):
        values = {k: v(w) if callable(v) else v for k, v in fields.items()}
        return {**listener_data(w), "new-function": "Behouden functie", **values}

    return (lambda w: f"/sessions/{w.session.pk}/listeners/", data, message, listener_values("pk"))


BAD_VALUES = {
    "session duration abc": session_bad("duration_minutes", "abc", WHOLE_NUMBER),
    "session duration -5": session_bad("duration_minutes", "-5", AT_LEAST),
    "session duration huge": session_bad("duration_minutes", HUGE, AT_MOST),
    "session date abc": session_bad("starts_at", "abc", BAD_DATETIME),
    "session date 30 February": session_bad("starts_at", "2030-02-30T10:00", BAD_DATETIME),
    "session date huge": session_bad("starts_at", HUGE, BAD_DATETIME),
    "session date -5": session_bad("starts_at", "-5", BAD_DATETIME),
    "session date year 1": session_bad(
        "starts_at", "0001-01-01T00:00", "Kies een datum tussen 2000 en 2100."
    ),
    "session date year 9999": session_bad(
        "starts_at", "9999-12-31T23:59", "Kies een datum tussen 2000 en 2100."
    ),
    "session javascript url": session_bad("online_url", "javascript:alert(1)", BAD_URL),
    "session language": session_bad("language", "xx", invalid_choice("xx")),
    "session forged facilitator": session_bad(
        "facilitator", lambda w: w.outsider.pk, INVALID_CHOICE
    ),
    "session facilitator abc": session_bad("facilitator", "abc", INVALID_CHOICE),
    "session facilitator huge": session_bad("facilitator", HUGE, INVALID_CHOICE),
    "session same co-facilitator": session_bad(
        "co_facilitator",
        lambda w: w.facilitator.pk,
        "De tweede gespreksleider moet iemand anders zijn dan de gespreksleider.",
    ),
    "session forged organisation": session_bad(
        "organisations", lambda w: [gamma_organisation(w)], "Selecteer een geldige keuze."
    ),
    "session organisation abc": session_bad(
        "organisations", ["abc"], "‘abc’ is geen geldige waarde."
    ),
    "session organisation huge": session_bad("organisations", [HUGE], invalid_choice(HUGE)),
    "session without organisation": session_bad("organisations", [], REQUIRED),
    "question minutes abc": guide_bad("new-planned_minutes", "abc", WHOLE_NUMBER),
    "question minutes -5": guide_bad("new-planned_minutes", "-5", AT_LEAST),
    "question minutes huge": guide_bad("new-planned_minutes", HUGE, AT_MOST),
    "question kind": guide_bad("new-kind", SCRIPT, "Selecteer een geldige keuze."),
    "library forged id": library_bad(gamma_library_question, "Selecteer een geldige keuze."),
    "library id abc": library_bad("abc", "‘abc’ is geen geldige waarde."),
    "library id -5": library_bad("-5", invalid_choice("-5")),
    "library id huge": library_bad(HUGE, invalid_choice(HUGE)),
    "library nothing chosen": (
        lambda w: f"/sessions/{w.session.pk}/guide/library/",
        lambda w: {},
        "Kies minstens één vraag.",
        guide_texts,
    ),
    "panel email": panel_bad(BAD_EMAIL, **{"contact-email": "geen-e-mail"}),
    "panel email markup": panel_bad(BAD_EMAIL, **{"contact-email": f"{SCRIPT}@example.org"}),
    "panel consent date abc": panel_bad(BAD_DATE, **{"member-consent_date": "abc"}),
    "panel consent date 30 February": panel_bad(BAD_DATE, **{"member-consent_date": "2026-02-30"}),
    "panel consent date huge": panel_bad(BAD_DATE, **{"member-consent_date": HUGE}),
    "panel consent without date": panel_bad(
        "Vul de datum van de toestemming in.", **{"member-consent_participation": "on"}
    ),
    "panel quotes without participation": panel_bad(
        "Citaten en de terugkoppelingsbrief vragen eerst toestemming voor deelname.",
        **{"member-consent_quotes": "on", "member-consent_date": "2026-01-05"},
    ),
    "panel status": panel_bad("Selecteer een geldige keuze.", **{"member-status": "bogus"}),
    "panel language unknown": panel_bad(
        "Selecteer een geldige keuze.", **{"member-language": "xx<script>"}
    ),
    "panel without name": panel_bad(REQUIRED, **{"contact-name": ""}),
    "listener email": listener_bad(BAD_EMAIL, **{"new-email": "geen-e-mail"}),
    "listener forged user": listener_bad(INVALID_CHOICE, **{"new-user": lambda w: w.outsider.pk}),
    "listener user abc": listener_bad(INVALID_CHOICE, **{"new-user": "abc"}),
    "listener user huge": listener_bad(INVALID_CHOICE, **{"new-user": HUGE}),
    "listener facilitator as user": listener_bad(
        INVALID_CHOICE, **{"new-user": lambda w: w.facilitator.pk}
    ),
    "listener without name": listener_bad(
        "Kies een collega of vul de naam van de gast in.", **{"new-name": ""}
    ),
    "session edit date abc": (
        lambda w: f"/sessions/{w.session.pk}/edit/",
        lambda w: session_form_data(w, title="Behouden titel", starts_at="abc"),
        BAD_DATETIME,
        session_values("title"),
    ),
    "question edit minutes -5": (
        lambda w: f"/sessions/{w.session.pk}/guide/{w.question.pk}/",
        lambda w: {"text": "Behouden vraag", "kind": "prepared", "planned_minutes": "-5"},
        AT_LEAST,
        guide_texts,
    ),
    "panel edit email": (
        lambda w: f"/sessions/{w.session.pk}/panel/{w.member.pk}/",
        lambda w: panel_form_data(**{"contact-name": "Behouden Naam", "contact-email": "geen"}),
        BAD_EMAIL,
        contact_values("name"),
    ),
    "panel edit consent date": (
        lambda w: f"/sessions/{w.session.pk}/panel/{w.member.pk}/",
        lambda w: panel_form_data(
            **{"contact-name": "Behouden Naam", "member-consent_date": "2026-13-01"}
        ),
        BAD_DATE,
        contact_values("name"),
    ),
    "listener edit email": (
        lambda w: f"/sessions/{w.session.pk}/listeners/{w.listener_entry.pk}/",
        lambda w: {
            "user": w.listener.pk,
            "name": "Lies",
            "function": "Behouden functie",
            "email": "geen",
        },
        BAD_EMAIL,
        listener_values("function"),
    ),
    "listener twice": listener_bad(
        "Deze gebruiker is al toehoorder bij dit gesprek.", **{"new-user": lambda w: w.listener.pk}
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "message", "stored"),
    [pytest.param(*case, id=name) for name, case in BAD_VALUES.items()],
)
def test_bogus_values_are_refused_in_dutch_and_the_rest_is_kept(
    client, world, url, data, message, stored
):
    login(client, world.facilitator)
    before = stored(world)
    posted = data(world)

    response = client.post(url if isinstance(url, str) else url(world), posted)

    no_server_error(response)
    assert response.status_code == 200
    assert message in response.text
    assert stored(world) == before
    assert SCRIPT not in response.text
    kept = [v for k, v in posted.items() if isinstance(v, str) and v.startswith("Behouden")]
    for value in kept:
        assert value in response.text


@pytest.mark.django_db
def test_editing_a_listener_into_a_user_who_already_listens_is_refused_in_dutch(client, world):
    colleague = Listener.objects.create(session=world.session, name="Collega", function="Manager")
    login(client, world.facilitator)

    response = client.post(
        f"/sessions/{world.session.pk}/listeners/{colleague.pk}/",
        {"user": world.listener.pk, "name": "", "function": "Manager"},
    )

    assert response.status_code == 200
    assert "Deze gebruiker is al toehoorder bij dit gesprek." in response.text
    assert Listener.objects.get(pk=colleague.pk).user is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", [SCRIPT, "abc", "-5", HUGE, NUL, "", "false", "False"])
def test_the_rules_setting_takes_any_value_without_error(client, world, value):
    login(client, world.facilitator)

    response = client.post(
        f"/sessions/{world.session.pk}/rules/settings/",
        {"settings-listener_questions_allowed": value},
    )

    assert response.status_code == 302
    world.session.refresh_from_db()
    # Django's checkbox reads only "", "false" and a missing key as unticked.
    assert world.session.listener_questions_allowed is (value.lower() not in ("", "false"))


@pytest.mark.django_db
@pytest.mark.parametrize("value", [SCRIPT, "abc", "-5", HUGE, NUL, EMOJI])
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{s}/guide/{q}/move/",
        "/sessions/{s}/rules/{r}/move/",
        "/sessions/{s}/listeners/{l}/briefed/",
    ],
)
def test_small_posts_ignore_bogus_values(client, world, path, value):
    login(client, world.facilitator)
    url = path.format(
        s=world.session.pk, q=world.question.pk, r=world.rule.pk, l=world.listener_entry.pk
    )

    response = client.post(url, {"direction": value, "briefed": value})

    assert response.status_code == 302


# — ids in addresses —


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{huge}/",
        "/sessions/{huge}/panel/",
        "/sessions/{s}/guide/{huge}/",
        "/sessions/{s}/rules/{huge}/",
        "/sessions/{s}/panel/{huge}/",
        "/sessions/{s}/listeners/{huge}/",
    ],
)
def test_huge_ids_in_addresses_answer_404(client, world, path):
    login(client, world.facilitator)

    response = client.get(path.format(s=world.session.pk, huge=HUGE))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{s}/guide/{huge}/delete/",
        "/sessions/{s}/rules/{huge}/move/",
        "/sessions/{s}/panel/{huge}/withdraw/",
        "/sessions/{s}/listeners/{huge}/briefed/",
        "/sessions/{s}/status/{script}/",
    ],
)
def test_huge_ids_and_markup_in_post_addresses_never_answer_500(client, world, path):
    login(client, world.facilitator)

    response = client.post(path.format(s=world.session.pk, huge=HUGE, script="%3Cscript%3E"))

    no_server_error(response)
    assert response.status_code in (403, 404)
    assert SCRIPT not in response.text


# — the list's search and filter —


@pytest.mark.django_db
@pytest.mark.parametrize("value", [SCRIPT, LONG, EMOJI, RTL, RTL_OVERRIDE, NUL, HUGE, "-5"])
@pytest.mark.parametrize("param", ["q", "status", "page"])
def test_the_session_list_survives_any_search_filter_or_page(client, world, param, value):
    login(client, world.facilitator)

    response = client.get("/sessions/", {param: value})

    assert response.status_code == 200
    assert SCRIPT not in response.text
    if param == "q" and value == SCRIPT:
        assert f'value="{ESCAPED_SCRIPT}"' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("value", [EMOJI, RTL, RTL_OVERRIDE, SCRIPT])
def test_a_search_finds_a_title_in_any_script(client, world, value):
    Session.objects.filter(pk=world.session.pk).update(title=f"Gesprek {value}")
    login(client, world.facilitator)

    response = client.get("/sessions/", {"q": value})

    assert f"Gesprek {escape(value, quote=False)}" in response.text
    assert "Geen gesprekken gevonden." not in response.text


@pytest.mark.django_db
def test_a_search_with_a_nul_byte_still_finds_the_session(client, world):
    login(client, world.facilitator)

    response = client.get("/sessions/", {"q": "Spiegel\x00gesprek"})

    assert response.status_code == 200
    assert world.session.title in response.text


# — login —

# Login takes a username or an e-mail address (participants.signin).
BAD_LOGIN = "Voer een juiste gebruikersnaam of e-mailadres en wachtwoord in."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        (SCRIPT, "x", BAD_LOGIN),
        (EMOJI, "x", BAD_LOGIN),
        (RTL_OVERRIDE, "x", BAD_LOGIN),
        ("facilitator", SCRIPT, BAD_LOGIN),
        # Django's login form sets max_length after building the field: no validator, so a
        # long name simply fails to log in.
        (LONG, "x", BAD_LOGIN),
        (NUL, "x", NUL_ERROR),
        ("facilitator", NUL, NUL_ERROR),
        ("", "", REQUIRED),
    ],
    ids=["script", "emoji", "rtl", "script-password", "long", "nul", "nul-password", "empty"],
)
def test_the_login_form_refuses_hostile_input_in_dutch(client, world, username, password, message):
    response = client.post("/accounts/login/", {"username": username, "password": password})

    assert response.status_code == 200
    assert message in response.text
    assert SCRIPT not in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_login_form_keeps_the_typed_username_escaped(client, world):
    response = client.post("/accounts/login/", {"username": SCRIPT, "password": "x"})

    assert f'value="{ESCAPED_SCRIPT}"' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", SCRIPT]
)
def test_login_never_redirects_off_site_or_to_script(client, world, next_url):
    page = client.get("/accounts/login/", {"next": next_url})
    assert SCRIPT not in page.text

    response = client.post(
        "/accounts/login/",
        {"username": "facilitator", "password": "demo-wachtwoord-123", "next": next_url},
    )

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert (target.scheme, target.netloc) == ("", "")
    assert "<" not in response.url
    if next_url != SCRIPT:
        assert response.url == "/"
