"""Kitchen tables (issue 11): preparing the tables, capturing per table by its own host,
golden tips stored once, the plenary's merge, the report's chapter, an action from a tip.

The matrix of tests/test_permissions.py covers the session's roles; the table's host, who is
no role there, is tested here.
"""

import uuid

import pytest
from django.utils import timezone

from findings.models import Finding, GoldenTip, ImprovementAction
from findings.services.tips import tips_overview
from participants.constants import Role
from sessions.constants import Status
from sessions.models import Session, SessionTable
from tests.factories import (
    ImprovementActionFactory,
    MembershipFactory,
    PanelMemberFactory,
    UserFactory,
    World,
)
from tests.fixtures import login
from tests.pdf_helpers import pdf_text

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def w(db):
    world = World(status="planned")
    world.host = UserFactory(username="host", first_name="Gert", last_name="Gastheer")
    MembershipFactory(user=world.host, organisation=world.client_org, role=Role.FACILITATOR)
    world.ambassador = PanelMemberFactory(session=world.session)
    world.table1 = SessionTable.objects.create(
        session=world.session, name="Tafel 1", position=1, host=world.host
    )
    world.table2 = SessionTable.objects.create(
        session=world.session, name="Tafel 2", position=2, ambassador=world.ambassador
    )
    Session.objects.filter(pk=world.session.pk).update(status=Status.LIVE, live_at=timezone.now())
    world.session.refresh_from_db()
    return world


def tip(client, w, table, text, theme="Contact en kennismaken", client_id=None):
    data = {"client_id": str(client_id or uuid.uuid4()), "theme": theme, "text": text}
    return client.post(f"/sessions/{w.session.pk}/tables/{table.pk}/tips/", data, **JSON)


def test_the_facilitator_prepares_tables_and_a_table_needs_a_host_or_an_ambassador(w, client):
    login(client, w.facilitator)
    url = f"/sessions/{w.session.pk}/tables/"
    data = {"tables-TOTAL_FORMS": "1", "tables-INITIAL_FORMS": "0", "tables-0-name": "Keuken"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Kies een tafelleider of een ambassadeur" in response.content.decode()
    assert w.session.tables.count() == 2

    data |= {"tables-0-ambassador": w.member.pk, "tables-0-panel_members": [w.member.pk]}
    data["tables-0-listeners"] = [w.listener_entry.pk]
    assert client.post(url, data).status_code == 302
    table = w.session.tables.get(name="Keuken")
    assert (table.ambassador, list(table.panel_members.all())) == (w.member, [w.member])
    assert (list(table.listeners.all()), table.position) == ([w.listener_entry], 3)
    page = client.get(url).content.decode()
    assert "Keuken" in page and w.member.pseudonym in page and "Gert Gastheer" in page

    removed = {
        "tables-TOTAL_FORMS": "1",
        "tables-INITIAL_FORMS": "1",
        "tables-0-id": w.table1.pk,
        "tables-0-name": "Tafel 1",
        "tables-0-host": w.host.pk,
        "tables-0-DELETE": "on",
    }
    assert client.post(url, removed).status_code == 302
    assert not w.session.tables.filter(pk=w.table1.pk).exists()


def test_a_table_host_captures_at_their_own_table_only(w, client):
    login(client, w.host)
    assert client.get(f"/sessions/{w.session.pk}/").status_code == 200
    assert client.get(f"/sessions/{w.session.pk}/tables/{w.table1.pk}/live/").status_code == 200
    assert client.get(f"/sessions/{w.session.pk}/tables/{w.table2.pk}/live/").status_code == 403
    assert client.get(f"/sessions/{w.session.pk}/live/").status_code == 403
    assert client.get(f"/sessions/{w.session.pk}/panel/").content.count(b"@") == 0

    note = {"client_id": str(uuid.uuid4()), "text": "Bel de huisarts gewoon.", "kind": "positive"}
    url = f"/sessions/{w.session.pk}/tables/{w.table1.pk}/live/findings/"
    first = client.post(url, note, **JSON)
    again = client.post(url, note, **JSON)
    assert (first.status_code, again.status_code) == (201, 200)
    finding = Finding.objects.get(client_id=note["client_id"])
    assert (finding.table, finding.created_by) == (w.table1, w.host)
    other = f"/sessions/{w.session.pk}/tables/{w.table2.pk}/live/findings/"
    assert client.post(other, note | {"client_id": str(uuid.uuid4())}, **JSON).status_code == 403

    # Correcting a note of the own table: the same optimistic check (409 on a stale version).
    edit = f"/sessions/{w.session.pk}/live/findings/{finding.pk}/"
    changed = {"version": 1, "text": "Bel de huisarts.", "kind": "positive"}
    assert client.post(edit, changed, HTTP_HX_REQUEST="true").status_code == 200
    assert client.post(edit, changed | {"text": "Oud"}, HTTP_HX_REQUEST="true").status_code == 409
    finding.refresh_from_db()
    assert (finding.text, finding.version) == ("Bel de huisarts.", 2)


def test_tips_are_stored_once_and_refused_with_a_reason(w, client):
    login(client, w.host)
    same = uuid.uuid4()
    assert tip(client, w, w.table1, "Ken elkaar bij naam.", client_id=same).status_code == 201
    assert tip(client, w, w.table1, "Ken elkaar bij naam.", client_id=same).status_code == 200
    refused = tip(client, w, w.table1, "Zonder thema", theme=" ")
    assert refused.status_code == 400
    assert refused.json()["errors"] == ["Geef de tip een thema."]
    assert list(w.table1.tips.values_list("text", flat=True)) == ["Ken elkaar bij naam."]
    # The facilitators capture for the ambassador's table, which has no account.
    login(client, w.facilitator)
    assert tip(client, w, w.table2, "Nodig elkaar uit.").status_code == 201
    # After the meeting a tip made before its end is still taken; a later one is refused.
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF, ended_at=timezone.now())
    late = {"captured_at": (timezone.now() - timezone.timedelta(minutes=1)).isoformat()}
    url = f"/sessions/{w.session.pk}/tables/{w.table2.pk}/tips/"
    data = {"client_id": str(uuid.uuid4()), "theme": "Samenwerking", "text": "Laat"}
    assert client.post(url, data | late, **JSON).status_code == 201
    assert client.post(url, data | {"client_id": str(uuid.uuid4())}, **JSON).status_code == 400


def test_the_plenary_merges_duplicates_keeping_where_each_came_from(w, client):
    login(client, w.host)
    tip(client, w, w.table1, "Bel elkaar op.")
    login(client, w.facilitator)
    tip(client, w, w.table2, "Bel of mail elkaar.")
    tip(client, w, w.table2, "Denk out of the box.", theme="Out-of-the-box denken")
    a, b, c = GoldenTip.objects.order_by("pk")
    url = f"/sessions/{w.session.pk}/plenary/"
    refused = client.post(url, {"tips": [a.pk], "theme": "Contact", "text": "Eén"})
    assert refused.status_code == 400
    assert "minstens twee tips" in refused.content.decode()
    data = {"tips": [a.pk, b.pk], "theme": "Contact en kennismaken", "text": "Bel en mail."}
    assert client.post(url, data).status_code == 302
    merged = GoldenTip.objects.get(table=None)
    assert set(merged.merged_from.all()) == {a, b}
    page = client.get(url).content.decode()
    assert "Bel en mail." in page and "Tafel 1, Tafel 2" in page
    tables, joint = tips_overview(w.session)
    assert [[t.number for t in table.tip_list] for table in tables] == [[1], [1, 2]]
    assert [(t.plenary_number, t.text) for t in joint] == [
        (1, "Bel en mail."),
        (2, "Denk out of the box."),
    ]
    # Listeners read the plenary; merging is the facilitators'.
    login(client, w.listener)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"tips": [merged.pk, c.pk], "theme": "X", "text": "Y"}).status_code == 403
    )
    # The presenter screen's part shows the tables' tips as they come in.
    screen = client.get(f"/sessions/{w.session.pk}/plenary/screen").content.decode()
    assert "Denk out of the box." in screen and "Tafel 2" in screen
    login(client, w.facilitator)
    assert client.post(f"/sessions/{w.session.pk}/plenary/{merged.pk}/split/").status_code == 302
    assert not GoldenTip.objects.filter(table=None).exists()
    assert GoldenTip.objects.filter(merged_into__isnull=False).count() == 0


def test_the_report_has_a_golden_tips_chapter_and_an_action_can_come_from_a_tip(w, client):
    login(client, w.host)
    tip(client, w, w.table1, "Ken elkaar bij naam.")
    tip(client, w, w.table1, "Maak samenwerkingsafspraken.", theme="Duurzame samenwerking")
    login(client, w.facilitator)
    tip(client, w, w.table2, "Ken elkaar persoonlijk.")
    a, _b, c = GoldenTip.objects.order_by("pk")
    client.post(
        f"/sessions/{w.session.pk}/plenary/",
        {"tips": [a.pk, c.pk], "theme": "Contact en kennismaken", "text": "Leer elkaar kennen."},
    )
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF, ended_at=timezone.now())
    response = client.get(f"/sessions/{w.session.pk}/report.pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "Gouden tips" in text
    # Notes at the tables carry a table, not a question: no empty question above them.
    assert w.question.text not in text and "niets genoteerd" not in text
    assert "Tafel 1" in text and "Tafelleider: Gert Gastheer" in text
    assert f"Ambassadeur: {w.ambassador.pseudonym}" in text
    assert "Maak samenwerkingsafspraken." in text
    assert "Leer elkaar kennen. Tafel 1, Tafel 2" in text

    merged = GoldenTip.objects.get(table=None)
    login(client, w.listener)
    form = client.get(f"/sessions/{w.session.pk}/debrief/actions/new/?tip={merged.pk}")
    assert "Leer elkaar kennen." in form.content.decode()
    data = {
        "from_tip": merged.pk,
        "title": "Kennismakingsronde met huisartsen",
        "owner": w.listener.pk,
        "due_date": (timezone.localdate() + timezone.timedelta(days=30)).isoformat(),
        "priority": "normal",
    }
    assert client.post(f"/sessions/{w.session.pk}/debrief/actions/new/", data).status_code == 302
    action = ImprovementAction.objects.get()
    assert (action.from_tip, action.findings.count()) == (merged, 0)
    without = data | {"from_tip": "", "title": "Zonder herkomst"}
    refused = client.post(f"/sessions/{w.session.pk}/debrief/actions/new/", without)
    assert "minstens één bevinding" in refused.content.decode()


def test_hostile_keys_and_texts_get_a_dutch_answer_never_a_500(w, client):
    login(client, w.facilitator)
    huge = "99999999999999999999"
    for field in ("host", "ambassador", "panel_members", "listeners"):
        data = {"tables-TOTAL_FORMS": "1", "tables-INITIAL_FORMS": "0", "tables-0-name": "X"}
        response = client.post(
            f"/sessions/{w.session.pk}/tables/", data | {f"tables-0-{field}": huge}
        )
        assert response.status_code == 200, field
    plenary = f"/sessions/{w.session.pk}/plenary/"
    assert client.post(plenary, {"tips": [huge], "theme": "x", "text": "y"}).status_code == 400
    long_tip = {"tips": ["abc"], "theme": "<script>", "text": "y" * 400}
    assert client.post(plenary, long_tip).status_code == 400
    assert tip(client, w, w.table1, "<script>alert(1)</script>").status_code == 201
    page = client.get(f"/sessions/{w.session.pk}/tables/{w.table1.pk}/live/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert tip(client, w, w.table1, "y" * 281).status_code == 400
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF, ended_at=timezone.now())
    login(client, w.listener)
    form = client.get(f"/sessions/{w.session.pk}/debrief/actions/new/?tip={huge}")
    assert form.status_code == 200


def test_an_action_keeps_its_tip_when_the_tip_is_merged_again_and_stops_a_split(w, client):
    login(client, w.facilitator)
    for text in ("Bel elkaar op.", "Bel of mail elkaar.", "Ken elkaar bij naam."):
        tip(client, w, w.table2, text)
    a, b, c = GoldenTip.objects.order_by("pk")
    url = f"/sessions/{w.session.pk}/plenary/"
    client.post(url, {"tips": [a.pk, b.pk], "theme": "Contact", "text": "Bel en mail."})
    first = GoldenTip.objects.get(table=None)
    action = ImprovementActionFactory(session=w.session, owner=w.listener, from_tip=first)
    client.post(url, {"tips": [first.pk, c.pk], "theme": "Contact", "text": "Ken en bel."})
    second = GoldenTip.objects.get(table=None)
    action.refresh_from_db()
    assert action.from_tip == second
    assert set(second.merged_from.all()) == {a, b, c}

    response = client.post(f"{url}{second.pk}/split/", follow=True)
    assert "al een verbeteractie gemaakt" in response.content.decode()
    assert GoldenTip.objects.filter(table=None).get() == second


def test_the_live_page_leads_to_the_tables_only_when_there_are_tables(w, client):
    login(client, w.facilitator)
    tables_url = f'href="/sessions/{w.session.pk}/tables/"'

    assert tables_url in client.get(f"/sessions/{w.session.pk}/live/").text

    SessionTable.objects.filter(session=w.session).delete()
    assert tables_url not in client.get(f"/sessions/{w.session.pk}/live/").text
