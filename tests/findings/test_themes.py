"""Theme suggestions: the local suggester (findings.themes) and the debrief's page for them
(/sessions/<id>/debrief/suggestions/): nothing is assigned without a person, accepting goes
the usual way, rejections are remembered, new groups are named by a person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from findings import themes as suggester
from findings.models import DismissedSuggestion, Finding, Theme, theme_home
from tests.factories import FindingFactory, ThemeFactory
from tests.fixtures import login

THEMED = [
    ("Ik heb drie keer gebeld en niemand nam op.", 1),
    ("Ze zouden terugbellen, maar ik werd nooit teruggebeld.", 1),
    ("Het telefoonnummer van het wijkteam was altijd in gesprek.", 1),
    ("De brief over de beschikking was vol moeilijke woorden.", 2),
    ("Ik begreep de brieven van de gemeente niet.", 2),
    ("In de beschikking stond niet wat ik kon doen als ik het oneens was.", 2),
]
NAMES = {1: "Bereikbaarheid", 2: "Brieven"}


# — the suggester, without a database —


def test_the_theme_whose_findings_share_the_words_comes_first():
    result = suggester.suggest(
        [(10, "Niemand belde mij terug."), (11, "Die brief was niet te begrijpen.")],
        THEMED,
        names=NAMES,
    )
    assert result.suggestions[10].best == 1
    assert result.suggestions[11].best == 2
    assert [theme for theme, _score in result.suggestions[10].ranked] == [1, 2]


def test_words_every_theme_uses_do_not_decide_the_theme():
    """'ons kind' and 'de hulpverlener' are in most findings; 'school' is what this one is
    about. A plain centroid followed the common words to the largest theme."""
    themed = [
        ("De hulpverlener van ons kind was aardig.", 1),
        ("De hulpverlener kwam bij ons kind thuis.", 1),
        ("Ons kind vond de hulpverlener fijn.", 1),
        ("De school belde over ons kind.", 2),
        ("De mentor op school snapte ons kind.", 2),
        ("School en hulpverlener praatten niet samen.", 2),
        ("Ons kind stond een jaar op de wachtlijst.", 3),
        ("De wachtlijst was lang.", 3),
        ("Tijdens de wachtlijst kwam de hulpverlener niet.", 3),
    ]
    result = suggester.suggest(
        [(9, "Ons kind bleef thuis van school, de hulpverlener kwam.")],
        themed,
        names={1: "Bejegening", 2: "School", 3: "Wachtlijst"},
    )
    assert result.suggestions[9].best == 2


def test_stems_join_the_forms_of_a_verb():
    assert suggester.stems("terugbellen gebeld bellen") == ["terugbel", "bel", "bel"]
    assert "ik" not in suggester.words("Ik werd nooit gebeld")


def test_findings_that_fit_no_theme_are_proposed_as_a_group_named_by_their_words():
    unthemed = [
        (20, "De scootmobiel was te groot voor mijn berging."),
        (21, "Mijn scootmobiel was weken kapot bij de leverancier."),
        (22, "De reparatie van de scootmobiel duurde een maand."),
    ]
    result = suggester.suggest(unthemed, THEMED, names=NAMES)
    assert not any(result.suggestions[pk].fits for pk, _text in unthemed)
    assert len(result.groups) == 1
    assert sorted(result.groups[0].finding_ids) == [20, 21, 22]
    assert "scootmobiel" in result.groups[0].name.lower()


def test_without_any_theme_every_finding_can_only_be_grouped():
    result = suggester.suggest(
        [(1, "Wachtlijst van een jaar."), (2, "Weer op de wachtlijst gezet.")], []
    )
    assert result.suggestions[1].ranked == []
    assert [sorted(g.finding_ids) for g in result.groups] == [[1, 2]]


@pytest.mark.parametrize("text", ["", "   ", "12 34", "ik de het", "<>", "🙂\u202e"])
def test_texts_without_words_get_no_suggestion_and_no_error(text):
    result = suggester.suggest([(1, text), (2, text)], [], names={})
    assert all(not s.ranked for s in result.suggestions.values())
    assert result.groups == []


# — the page —


@pytest.fixture
def w(debrief_world):
    """The debrief world with two themes of organisation A that an earlier session filled."""
    w = debrief_world
    w.reach = ThemeFactory(organisation=w.org_a, name="Bereikbaarheid")
    w.letters = ThemeFactory(organisation=w.org_a, name="Brieven")
    for text, theme in THEMED:
        FindingFactory(
            session=w.other_session, text=text, theme=w.reach if theme == 1 else w.letters
        )
    return w


def page(w):
    return f"/sessions/{w.session.pk}/debrief/suggestions/"


def test_the_listener_sees_the_best_theme_first_for_a_finding(client, w):
    login(client, w.listener)
    response = client.get(page(w))
    assert response.status_code == 200
    html = response.content.decode()
    # "Niemand belde terug na de aanvraag." → Bereikbaarheid, selected first.
    row = html[html.index(f'id="suggestion-{w.findings[6].pk}"') :]
    row = row[: row.index("</li>")]
    assert "Voorstel: <strong>Bereikbaarheid</strong>" in row
    assert f'<option value="{w.reach.pk}" selected>' in row
    # Nothing was assigned by looking.
    assert not Finding.objects.filter(session=w.session, theme__isnull=False).exists()


def test_the_debrief_links_to_the_suggestions_while_findings_are_unthemed(client, w):
    login(client, w.listener)
    html = client.get(f"/sessions/{w.session.pk}/debrief/").content.decode()
    assert f'href="{page(w)}"' in html
    login(client, w.facilitator)
    assert (
        f'href="{page(w)}"' not in client.get(f"/sessions/{w.session.pk}/debrief/").content.decode()
    )


def test_accepting_puts_the_finding_under_the_theme_and_answers_htmx_with_its_row(client, w):
    login(client, w.listener)
    finding = w.findings[6]
    response = client.post(
        f"{page(w)}{finding.pk}/",
        {"decision": "accept", "theme": w.reach.pk},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    assert "Thema “Bereikbaarheid” toegekend." in response.content.decode()
    finding.refresh_from_db()
    assert finding.theme == w.reach
    assert f'id="suggestion-{finding.pk}"' not in client.get(page(w)).content.decode()


def test_changing_the_suggestion_assigns_the_theme_the_person_chose(client, w):
    login(client, w.coordinator)
    finding = w.findings[6]
    response = client.post(f"{page(w)}{finding.pk}/", {"decision": "accept", "theme": w.letters.pk})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.theme == w.letters


def test_accepting_without_a_theme_is_refused_in_dutch(client, w):
    login(client, w.listener)
    response = client.post(
        f"{page(w)}{w.findings[6].pk}/",
        {"decision": "accept", "theme": ""},
        headers={"hx-request": "true"},
    )
    assert "Kies een thema om te accepteren." in response.content.decode()
    assert Finding.objects.get(pk=w.findings[6].pk).theme is None


def test_a_theme_of_another_organisation_is_refused(client, w, other):
    foreign = ThemeFactory(organisation=other.session.organisations.first(), name="Vreemd")
    login(client, w.listener)
    response = client.post(
        f"{page(w)}{w.findings[6].pk}/", {"decision": "accept", "theme": foreign.pk}
    )
    assert response.status_code == 302
    assert Finding.objects.get(pk=w.findings[6].pk).theme is None


def test_rejecting_keeps_the_finding_unthemed_and_stops_suggesting_it(client, w):
    login(client, w.listener)
    finding = w.findings[6]
    response = client.post(f"{page(w)}{finding.pk}/", {"decision": "dismiss"})
    assert response.status_code == 302
    assert DismissedSuggestion.objects.filter(finding=finding, dismissed_by=w.listener).exists()
    finding.refresh_from_db()
    assert finding.theme is None
    html = client.get(page(w)).content.decode()
    assert f'id="suggestion-{finding.pk}"' not in html
    assert "waarvan u de suggestie afwees" in html


def test_a_finding_of_another_session_is_404(client, w):
    login(client, w.listener)
    response = client.post(f"{page(w)}{w.other_finding.pk}/", {"decision": "dismiss"})
    assert response.status_code == 404


def test_a_proposed_group_becomes_a_theme_under_the_name_a_person_gives_it(client, w):
    login(client, w.listener)
    chosen = [w.findings[0].pk, w.findings[3].pk]
    response = client.post(
        f"{page(w)}group/",
        {"decision": "accept", "name": "  Vast  aanspreekpunt ", "findings": chosen},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name="Vast aanspreekpunt")
    # Made where the session's themes live: its organisation, or the network it shares.
    assert theme.organisation == theme_home(w.session)
    assert set(theme.findings.values_list("pk", flat=True)) == set(chosen)


def test_a_group_without_a_name_is_refused_and_nothing_is_made(client, w):
    login(client, w.listener)
    response = client.post(
        f"{page(w)}group/",
        {"decision": "accept", "name": "", "findings": [w.findings[0].pk]},
        follow=True,
    )
    assert "Geef het thema een naam." in response.content.decode()
    assert not Theme.objects.exclude(pk__in=[w.reach.pk, w.letters.pk]).exists()


def test_rejecting_a_group_dismisses_its_findings(client, w):
    login(client, w.listener)
    chosen = [w.findings[0].pk, w.findings[3].pk]
    client.post(f"{page(w)}group/", {"decision": "dismiss", "name": "", "findings": chosen})
    assert set(DismissedSuggestion.objects.values_list("finding", flat=True)) == set(chosen)


def test_the_facilitator_reads_the_debrief_but_gets_no_suggestions(client, w):
    login(client, w.facilitator)
    assert client.get(page(w)).status_code == 403
    response = client.post(f"{page(w)}{w.findings[6].pk}/", {"decision": "dismiss"})
    assert response.status_code == 403
    assert not DismissedSuggestion.objects.exists()


def test_the_page_answers_in_the_same_number_of_queries_whatever_the_findings(client, w):
    login(client, w.listener)
    client.get(page(w))  # warm caches (sklearn import, the user's session)
    with CaptureQueriesContext(connection) as few:
        client.get(page(w))
    for i in range(25):
        FindingFactory(session=w.session, text=f"Ik wachtte {i} weken op een telefoontje.")
        FindingFactory(
            session=w.other_session, text=f"Brief nummer {i} was onleesbaar.", theme=w.letters
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(page(w))
    assert response.status_code == 200
    # session with roles, themes, unthemed findings (with speakers), themed findings, the
    # count of rejected ones, plus the layout's own.
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "accept", "name": "a\x00b", "findings": ["1"]},
        {"decision": "accept", "name": "x" * 10_000, "findings": ["1"]},
        {"decision": "bogus", "name": "Thema", "findings": ["1"]},
        {"decision": "accept", "name": "Thema", "findings": ["99999999999999999999", "<x>"]},
    ],
)
def test_hostile_group_posts_are_refused_in_dutch_and_make_nothing(client, w, data):
    login(client, w.listener)
    data = {
        **data,
        "findings": [str(w.findings[0].pk) if f == "1" else f for f in data["findings"]],
    }
    response = client.post(f"{page(w)}group/", data, follow=True)
    assert response.status_code == 200
    assert response.context["messages"] and all(
        m.level_tag == "error" for m in response.context["messages"]
    )
    assert Theme.objects.filter(organisation=w.org_a).count() == 2


def test_markup_in_a_finding_and_a_group_name_is_shown_escaped(client, w):
    FindingFactory(session=w.session, text="<b>scootmobiel</b> kapot")
    FindingFactory(session=w.session, text="<b>scootmobiel</b> te groot")
    login(client, w.listener)
    html = client.get(page(w)).content.decode()
    assert "&lt;b&gt;scootmobiel&lt;/b&gt;" in html and "<b>scootmobiel" not in html
