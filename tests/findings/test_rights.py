"""A client's rights at any time, also after closing (issue 10, DESIGN.md §7): withdrawal and
erasure by the facilitator or a coordinator with a recorded reason, reports and exports that
follow at once and say when a closed report changed, erasure that removes the words from every
version and never brings withdrawn words back, inzage as PDF and JSON, no-store, and contact
details viewed in the admin written to the access log.

The status codes of these addresses for every role are in tests/test_permissions.py.
"""

import io
import json
import uuid
import zipfile

import pytest
from django.db.models import RestrictedError
from openpyxl import load_workbook

from findings.constants import ERASED_TEXT
from findings.models import Finding, FindingRevision, ReportJob
from findings.services import rights as rights_services
from findings.services.capture import CaptureRefused, capture_finding, edit_finding
from findings.services.rights import erase_panel_member
from participants.constants import AccessAction, RightsRequestKind
from participants.models import AccessLog, PanelMember, PanelMemberContact, RightsRequest
from participants.services.panel import RightsRefused, withdraw_consent
from sessions.constants import Status
from sessions.models import Evaluation, Session
from tests.factories import (
    QUOTE_A,
    QUOTE_B,
    REAL_NAMES,
    WITHDRAWN_FINDING,
    PanelMemberFactory,
    ReportJobFactory,
    ReportWorld,
    UserFactory,
)
from tests.fixtures import login
from tests.pdf_helpers import pdf_text, weasyprint_log_must_stay_clean

pytestmark = pytest.mark.django_db

ERASED = str(ERASED_TEXT)
REASON = "Moeder van de deelnemer belde op 3 december."
NEEDS_REASON = "Geef de reden van het verzoek op."


@pytest.fixture(scope="module")
def shared_report_world(django_db_setup, django_db_blocker):
    """A closed session worth a report: A may be quoted, B withdrew, C gave no quote consent."""
    from tests.fixtures import built_once

    def build():
        w = ReportWorld()
        Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)
        w.session.refresh_from_db()
        return w

    with built_once(build, django_db_blocker) as built:
        yield built


@pytest.fixture
def w(shared_report_world, db):
    import copy

    return copy.deepcopy(shared_report_world)


def flat(text: str) -> str:
    return "".join(text.split())


def report_text(client, w) -> str:
    response = client.get(f"/sessions/{w.session.pk}/report.pdf")
    assert response.status_code == 200
    return flat(pdf_text(response.content))


def export_csv(client) -> str:
    response = client.get("/actions/export.csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def export_xlsx_text(client) -> str:
    response = client.get("/actions/export.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def rights_url(w, member, what):
    return f"/sessions/{w.session.pk}/panel/{member.pk}/{what}/"


# — withdrawal after closing —


@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_consent_is_withdrawn_after_closing_and_the_report_says_it_changed(client, w, role):
    login(client, w.user(role))
    assert flat(QUOTE_A) in report_text(client, w)

    response = client.post(rights_url(w, w.member, "withdraw"), {"withdraw-reason": REASON})

    assert response.status_code == 302
    assert response["Location"] == rights_url(w, w.member, "rights")
    w.member.refresh_from_db()
    assert w.member.consent_withdrawn
    request = RightsRequest.objects.get(panel_member=w.member)
    assert (request.kind, request.reason, request.by, request.after_close) == (
        RightsRequestKind.WITHDRAWAL,
        REASON,
        w.user(role),
        True,
    )
    assert AccessLog.objects.filter(
        action=AccessAction.WITHDRAW_CONSENT, panel_member=w.member, user=w.user(role)
    ).exists()
    text = report_text(client, w)
    assert flat(QUOTE_A) not in text
    assert flat("Gewijzigd na afsluiten op") in text
    assert flat("toestemming ingetrokken door een deelnemer") in text
    assert flat(REASON) not in text  # the reason may name the client: never in a report
    for name in REAL_NAMES:
        assert flat(name) not in text


def test_withdrawal_shows_in_the_action_exports_at_once(client, w):
    login(client, w.coordinator)
    finding = w.findings[0]  # A's positive finding, behind a new action
    w.new_action(findings=[finding], title="Keukentafel blijft")
    assert finding.text in export_csv(client)

    client.post(rights_url(w, w.member, "withdraw"), {"withdraw-reason": REASON})

    assert finding.text not in export_csv(client)
    assert finding.text not in export_xlsx_text(client)
    assert "(tekst weggelaten: geen toestemming)" in export_csv(client)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_withdrawal_without_a_fitting_reason_is_refused_in_dutch(client, w, reason):
    login(client, w.facilitator)

    response = client.post(rights_url(w, w.member, "withdraw"), {"withdraw-reason": reason})

    assert response.status_code == 200
    assert NEEDS_REASON in response.text or "niet meer dan 1000 tekens" in response.text
    w.member.refresh_from_db()
    assert not w.member.consent_withdrawn
    assert not RightsRequest.objects.exists()


def test_withdrawing_twice_says_so_and_records_once(client, w):
    login(client, w.facilitator)

    response = client.post(
        rights_url(w, w.member_b, "withdraw"), {"withdraw-reason": REASON}, follow=True
    )

    assert "De toestemming was al ingetrokken." in response.text
    assert not RightsRequest.objects.filter(panel_member=w.member_b).exists()


def test_a_listener_is_told_who_handles_clients_requests(client, w):
    login(client, w.listener)

    response = client.post(rights_url(w, w.member, "withdraw"), {"withdraw-reason": REASON})

    assert response.status_code == 403
    assert "handelen de gespreksleider en de coördinator af" in response.text
    w.member.refresh_from_db()
    assert not w.member.consent_withdrawn


def test_a_member_of_another_session_is_not_found(client, w, other):
    login(client, w.coordinator)

    for what in ("rights", "inzage"):
        assert client.get(rights_url(w, other.member, what)).status_code == 404
    response = client.post(rights_url(w, other.member, "erase"), {"erase-reason": REASON})
    assert response.status_code == 404
    assert PanelMemberContact.objects.filter(panel_member=other.member).exists()


# — erasure —


def test_erasure_replaces_the_words_in_every_finding_and_revision(w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    w.session.refresh_from_db()
    spoken = w.findings[0]  # A's
    edit_finding(
        finding_id=spoken.pk,
        session=w.session,
        user=w.facilitator,
        expected_version=1,
        text="De consulent nam écht de tijd.",
    )
    # A note once given to A, later to C: the version that named A held A's words.
    moved = w.findings[4]
    before = moved.text
    edit_finding(
        finding_id=moved.pk,
        session=w.session,
        user=w.facilitator,
        expected_version=1,
        speaker_id=w.member.pk,
    )
    edit_finding(
        finding_id=moved.pk,
        session=w.session,
        user=w.facilitator,
        expected_version=2,
        speaker_id=w.member_c.pk,
    )

    erase_panel_member(member=w.member, by=w.coordinator, reason=REASON)

    for finding in Finding.objects.filter(pk__in=[spoken.pk, w.quote_a.pk]):
        assert finding.text == ERASED
        assert finding.speaker_id is None
        assert finding.erased_at is not None
    assert set(FindingRevision.objects.filter(finding=spoken).values_list("text", flat=True)) == {
        ERASED
    }
    assert not FindingRevision.objects.filter(speaker=w.member).exists()
    moved.refresh_from_db()
    assert (moved.text, moved.speaker_id, moved.erased_at) == (before, w.member_c.pk, None)
    assert FindingRevision.objects.get(finding=moved, version=2).text == ERASED
    assert not PanelMemberContact.objects.filter(panel_member=w.member).exists()
    assert not Evaluation.objects.filter(panel_member=w.member).exists()
    w.member.refresh_from_db()
    assert w.member.is_erased and w.member.consent_withdrawn
    assert w.member.pseudonym == "Deelnemer A"  # the tombstone keeps the letter taken
    assert not Finding.objects.filter(text__contains="keukentafel").exists()


def test_erasing_a_withdrawn_member_never_brings_their_words_back(client, w):
    """The bug of issue 10: B withdrew; erasing B set the speaker to NULL and the report and
    the exports showed B's words again as words of nobody."""
    login(client, w.coordinator)
    before = report_text(client, w)
    assert flat(WITHDRAWN_FINDING) not in before
    assert flat(QUOTE_B) not in before
    assert WITHDRAWN_FINDING not in export_csv(client)  # the callback action's finding is B's

    response = client.post(rights_url(w, w.member_b, "erase"), {"erase-reason": REASON})

    assert response.status_code == 302
    after = report_text(client, w)
    assert flat(WITHDRAWN_FINDING) not in after
    assert flat(QUOTE_B) not in after
    assert flat("gegevens van een deelnemer gewist op diens verzoek") in after
    csv_text = export_csv(client)
    assert WITHDRAWN_FINDING not in csv_text
    assert ERASED in csv_text
    xlsx = export_xlsx_text(client)
    assert WITHDRAWN_FINDING not in xlsx
    assert ERASED in xlsx
    assert not Finding.objects.filter(text=WITHDRAWN_FINDING).exists()
    assert not FindingRevision.objects.filter(text=WITHDRAWN_FINDING).exists()


def test_erasing_an_erased_member_is_refused(w):
    erase_panel_member(member=w.member, by=w.coordinator, reason=REASON)

    with pytest.raises(RightsRefused):
        erase_panel_member(member=w.member, by=w.coordinator, reason=REASON)
    with pytest.raises(RightsRefused):
        withdraw_consent(member=w.member, by=w.coordinator, reason=REASON)


def test_a_member_who_spoke_cannot_be_deleted_so_their_words_stay_out(client, w):
    """Neither a delete in the admin nor the panel's delete button can orphan words."""
    with pytest.raises(RestrictedError):
        PanelMember.objects.get(pk=w.member_b.pk).delete()

    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    login(client, w.facilitator)
    response = client.post(f"/sessions/{w.session.pk}/panel/{w.member_b.pk}/delete/", follow=True)

    assert "Gegevens wissen" in response.text
    assert PanelMember.objects.filter(pk=w.member_b.pk).exists()
    assert Finding.objects.filter(text=WITHDRAWN_FINDING, speaker=w.member_b).exists()


def test_a_member_who_said_nothing_can_still_be_deleted(client, w):
    silent = PanelMemberFactory(session=w.session)
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    login(client, w.facilitator)

    response = client.post(f"/sessions/{w.session.pk}/panel/{silent.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{w.session.pk}/panel/"
    assert not PanelMember.objects.filter(pk=silent.pk).exists()


# — inzage —


def open_inzage(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [n.rsplit(".", 1)[1] for n in names] == ["json", "pdf"]
    return json.loads(archive.read(names[0])), archive.read(names[1])


def test_inzage_exports_everything_about_one_member_as_pdf_and_json_and_logs_it(client, w):
    login(client, w.coordinator)
    withdraw_consent(member=w.member_c, by=w.facilitator, reason=REASON, after_close=True)

    with weasyprint_log_must_stay_clean():
        response = client.get(rights_url(w, w.member_c, "inzage"))

    data, pdf = open_inzage(response)
    assert "inzage-spiegelgesprek" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert data["panel_member"]["pseudonym"] == "Deelnemer C"
    assert data["contact"]["name"] == REAL_NAMES[2]
    assert data["consent"]["quotes"] is False
    assert data["consent"]["withdrawn_at"]
    assert data["requests"][0]["reason"] == REASON
    texts = [f["text"] for f in data["findings"]]
    own = [f.text for f in Finding.objects.filter(speaker=w.member_c)]
    assert sorted(texts) == sorted(own) and own
    assert not any(f["in_reports"] for f in data["findings"])
    assert data["evaluation"]["comment"] == "Mijn buurvrouw Truus zei dat ook."
    assert all(f["text"] != QUOTE_A for f in data["findings"])  # nobody else's words
    text = flat(pdf_text(pdf))
    assert flat(REAL_NAMES[2]) in text
    assert flat(own[0]) in text
    assert flat(QUOTE_A) not in text and flat(REAL_NAMES[0]) not in text
    log = AccessLog.objects.get(action=AccessAction.EXPORT_MEMBER)
    assert (log.user, log.panel_member, log.session_id) == (w.coordinator, w.member_c, w.session.pk)


def test_inzage_of_an_erased_member_holds_only_the_tombstone(client, w):
    erase_panel_member(member=w.member, by=w.coordinator, reason=REASON, after_close=True)
    login(client, w.facilitator)

    data, pdf = open_inzage(client.get(rights_url(w, w.member, "inzage")))

    assert data["contact"] is None
    assert data["findings"] == [] and data["earlier_versions"] == []
    assert data["evaluation"] is None
    assert data["panel_member"]["erased_at"]
    assert flat(REAL_NAMES[0]) not in flat(pdf_text(pdf))


# — the rights page, no-store, the admin —


def test_the_rights_page_shows_the_forms_and_logs_the_view(client, w):
    login(client, w.coordinator)

    response = client.get(rights_url(w, w.member, "rights"))

    assert response.status_code == 200
    assert REAL_NAMES[0] in response.text
    assert "Toestemming intrekken" in response.text and "Gegevens wissen" in response.text
    assert f"/access-log/?member={w.member.pk}" in response.text
    assert AccessLog.objects.filter(
        action=AccessAction.VIEW_CONTACTS, panel_member=w.member, user=w.coordinator
    ).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{s}/panel/",
        "/sessions/{s}/panel/{m}/rights/",
        "/sessions/{s}/panel/{m}/inzage/",
        "/sessions/{s}/report.pdf",
        "/sessions/{s}/debrief/",
        "/access-log/",
        "/access-log/export.csv",
    ],
)
def test_pages_and_files_with_client_data_are_never_stored_by_a_cache(client, w, path):
    login(client, w.coordinator)

    response = client.get(path.format(s=w.session.pk, m=w.member.pk))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_static_files_stay_cacheable():
    """WhiteNoise answers static files before the no-store middleware sees them."""
    from django.conf import settings

    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "spiegel.middleware.NoStoreMiddleware"
    )


def test_contact_details_viewed_or_searched_in_the_admin_are_logged(client, w):
    admin = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    login(client, admin)

    page = client.get(f"/admin/participants/panelmember/{w.member.pk}/change/")
    search = client.get("/admin/participants/panelmember/", {"q": "Henk"})

    assert page.status_code == search.status_code == 200
    assert REAL_NAMES[0] in page.text
    rows = AccessLog.objects.filter(user=admin, action=AccessAction.VIEW_CONTACTS)
    assert rows.filter(panel_member=w.member, session=w.session).exists()
    assert rows.filter(detail__contains="Henk").exists()


def test_an_erased_finding_takes_no_edits_and_an_erased_pseudonym_no_new_words(w):
    """A debrief tab opened before the erasure must not save the words back over the note."""
    Session.objects.filter(pk=w.session.pk).update(status=Status.LIVE)
    w.session.refresh_from_db()
    finding = w.findings[0]
    erase_panel_member(member=w.member, by=w.coordinator, reason=REASON)

    with pytest.raises(CaptureRefused, match="gewist op verzoek"):
        edit_finding(
            finding_id=finding.pk,
            session=w.session,
            user=w.facilitator,
            expected_version=1,
            text="De consulent nam echt de tijd aan de keukentafel.",
        )
    with pytest.raises(CaptureRefused):
        capture_finding(
            session=w.session,
            user=w.facilitator,
            client_id=uuid.uuid4(),
            text="Nieuwe woorden.",
            kind="positive",
            speaker_id=w.member.pk,
        )
    finding.refresh_from_db()
    assert (finding.text, finding.version) == (ERASED, 2)


def test_the_admin_cannot_delete_a_member_who_spoke_either(client, w):
    admin = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    login(client, admin)
    url = f"/admin/participants/panelmember/{w.member_b.pk}/delete/"

    page = client.get(url)
    client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "kan niet worden verwijderd" in page.text  # Django's own Dutch
    assert Finding.objects.filter(text=WITHDRAWN_FINDING, speaker=w.member_b).exists()


def test_contact_details_are_corrected_after_closing_and_logged(client, w):
    login(client, w.coordinator)
    url = rights_url(w, w.member, "rectify")

    bad = client.post(url, {"contact-name": "", "contact-email": "geen-e-mail"})
    good = client.post(url, {"contact-name": "Henk de Vries", "contact-email": "h@example.org"})

    assert bad.status_code == 200
    assert "Dit veld is verplicht." in bad.text
    assert good.status_code == 302
    contact = PanelMemberContact.objects.get(panel_member=w.member)
    assert (contact.name, contact.email) == ("Henk de Vries", "h@example.org")
    assert AccessLog.objects.filter(
        action=AccessAction.EDIT_CONTACTS, panel_member=w.member, detail__contains="rectificatie"
    ).exists()


def test_nothing_to_correct_once_erased(client, w):
    erase_panel_member(member=w.member, by=w.coordinator, reason=REASON)
    login(client, w.facilitator)

    response = client.post(
        rights_url(w, w.member, "rectify"), {"contact-name": "Terug"}, follow=True
    )

    assert "Er zijn geen contactgegevens meer om te corrigeren." in response.text
    assert not PanelMemberContact.objects.filter(panel_member=w.member).exists()


def test_the_rights_page_speaks_english_when_chosen(client, w):
    login(client, w.coordinator)
    client.cookies["django_language"] = "en"

    response = client.get(rights_url(w, w.member, "rights"))

    assert response.status_code == 200
    assert "Withdraw consent" in response.text and "Erase data" in response.text
    assert "Download data access export" in response.text


@pytest.mark.parametrize("service", [rights_services.withdraw_consent, erase_panel_member])
def test_waiting_export_files_with_old_words_are_dropped(
    w, service, django_capture_on_commit_callbacks
):
    csv_job = ReportJobFactory(requested_by=w.coordinator, report=ReportJob.Report.ACTIONS_CSV)
    pdf_job = ReportJobFactory(requested_by=w.coordinator)  # the overview holds no findings

    with django_capture_on_commit_callbacks(execute=True):
        service(member=w.member, by=w.coordinator, reason=REASON)

    assert not ReportJob.objects.filter(pk=csv_job.pk).exists()
    assert ReportJob.objects.filter(pk=pdf_job.pk).exists()
