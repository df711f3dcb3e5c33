"""A client's rights at any time, also after the session is closed (AVG, DESIGN.md §7).

Withdrawal of consent lives in participants.services.panel (it touches the member only; the wrapper
here also drops the background export files that still hold the words); what needs the findings
lives here:

- `erase_panel_member`: the right to erasure. The member's words are replaced by a note in
  every finding and in every earlier version of it, the finding loses its link to the member,
  and the contact details and evaluation answers are deleted. The member row stays as a
  tombstone (a pseudonym, the consent record, when it was erased): it identifies no one, it
  keeps "Deelnemer C" from being handed out again, and the access log keeps pointing at it.
- `member_export`: inzage, everything stored about one member, as plain data for the JSON
  file and the PDF (findings.reports.documents renders it).

Both write the access log; erasure also records the request with its reason, so a closed
session's report can say that it changed and why in general terms.
"""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from findings.constants import ERASED_TEXT, FindingKind, HitSource
from findings.models import Finding, FindingRevision, PrivacyHit, ReportJob
from findings.services import follow
from participants.constants import AccessAction, RightsRequestKind
from participants.models import AccessLog, PanelMember, PanelMemberContact, RightsRequest
from participants.services import panel as participant_services
from participants.services.panel import RightsRefused, clean_reason
from sessions.models import Evaluation

# Background exports hold findings' words as they were when the file was made; their files
# wait a day for the requester. After a withdrawal or an erasure they are out of date.
WORD_HOLDING_JOBS = (ReportJob.Report.ACTIONS_CSV, ReportJob.Report.ACTIONS_XLSX)


def drop_stale_exports() -> int:
    """Delete the waiting export files, so no download hands out words that are now withdrawn
    or erased (whoever needs one asks again and gets it as it is now). They are caches of at
    most a day, for the whole installation: cheaper to drop them all than to find out which
    held this member's words."""
    deleted, _per_model = ReportJob.objects.filter(report__in=WORD_HOLDING_JOBS).delete()
    return deleted


@transaction.atomic
def withdraw_consent(*, member, by, reason, after_close=False) -> RightsRequest:
    """participants.services.panel.withdraw_consent, the member's personal link ended, and
    the waiting export files dropped."""
    request = participant_services.withdraw_consent(
        member=member, by=by, reason=reason, after_close=after_close
    )
    follow.end_for_member(member)  # the personal link and its e-mails end with the consent
    transaction.on_commit(drop_stale_exports)
    return request


def erased_text(language) -> str:
    with translation.override(language):
        return str(ERASED_TEXT)


@transaction.atomic
def erase_panel_member(*, member, by, reason, after_close=False) -> RightsRequest:
    """Erase what the client said and who they are; keep a tombstone. Refuses twice."""
    reason = clean_reason(reason)
    member = PanelMember.objects.select_for_update().select_related("session").get(pk=member.pk)
    if member.is_erased:
        raise RightsRefused(_("De gegevens van deze deelnemer zijn al gewist."))
    now = timezone.now()
    note = erased_text(member.session.language)
    own = list(Finding.objects.filter(speaker=member).values_list("pk", flat=True))
    # Every earlier version of their findings, and versions that once named them as speaker
    # (a note later given to someone else still held their words then).
    FindingRevision.objects.filter(Q(finding_id__in=own) | Q(speaker=member)).update(
        text=note, speaker=None
    )
    # A new version, so an editor who loaded the words before cannot save over the note
    # (edit_finding also refuses erased findings outright).
    Finding.objects.filter(pk__in=own).update(
        text=note, speaker=None, erased_at=now, updated_at=now, version=F("version") + 1
    )
    # The privacy guard's hits pointed into words that are gone (and must not hold up a report).
    PrivacyHit.objects.filter(source=HitSource.FINDING, object_id__in=own).delete()
    Evaluation.objects.filter(panel_member=member).delete()
    follow.end_for_member(member, now=now)
    PanelMemberContact.objects.filter(panel_member=member).delete()
    member.erased_at = now
    member.consent_withdrawn_at = member.consent_withdrawn_at or now
    member.save(update_fields=["erased_at", "consent_withdrawn_at", "updated_at"])
    request = RightsRequest.objects.create(
        session=member.session,
        panel_member=member,
        kind=RightsRequestKind.ERASURE,
        reason=reason,
        by=by,
        after_close=after_close,
    )
    AccessLog.record(
        by,
        AccessAction.ERASE_MEMBER,
        session=member.session,
        panel_member=member,
        detail=f"{member.pseudonym}: {len(own)} bevindingen gewist; {reason}",
    )
    transaction.on_commit(drop_stale_exports)
    return request


# — inzage —


def member_export(member, *, by, now=None) -> dict:
    """Everything Spiegel stores about one panel member, as plain data for the JSON file
    (DjangoJSONEncoder writes the dates as ISO 8601) and the PDF: the pseudonymous findings
    with their earlier versions, the contact details (or when they were purged or erased), the
    consent record and the requests, the evaluation answers, and when their data was viewed or
    exported (without the names of the staff who did)."""
    now = now or timezone.now()
    session = member.session
    contact = PanelMemberContact.objects.filter(panel_member=member).first()
    findings = list(
        Finding.objects.filter(speaker=member)
        .select_related("question")
        .order_by("created_at", "pk")
    )
    revisions = list(
        FindingRevision.objects.filter(speaker=member).order_by("finding_id", "version")
    )
    evaluation = Evaluation.objects.filter(panel_member=member).first()
    requests = list(member.rights_requests.order_by("at", "pk"))
    log = list(
        AccessLog.objects.filter(
            Q(panel_member=member) | Q(session=session, panel_member__isnull=True)
        ).order_by("at", "pk")
    )
    withheld = member.consent_withdrawn
    return {
        "made_at": now,
        "made_by": str(by),
        "session": {
            "title": session.title,
            "theme": session.theme,
            "starts_at": session.starts_at,
            "organisations": [o.name for o in session.organisations.order_by("name")],
            "status": session.get_status_display(),
            "closed_at": session.closed_at,
        },
        "panel_member": {
            "pseudonym": member.pseudonym,
            "status": member.get_status_display(),
            "invited_at": member.invited_at,
            "added_at": member.created_at,
            "erased_at": member.erased_at,
        },
        "contact": None
        if contact is None
        else {
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "needs_transport": contact.needs_transport,
            "needs_interpreter": contact.needs_interpreter,
            "brings_companion": contact.brings_companion,
            "access_notes": contact.access_notes,
            "compensation": contact.compensation,
        },
        "contact_purged_at": session.contacts_purged_at if contact is None else None,
        "consent": {
            "date": member.consent_date,
            "letter_version": member.consent_letter_version,
            "participation": member.consent_participation,
            "quotes": member.consent_quotes,
            "feedback_letter": member.consent_feedback,
            "withdrawn_at": member.consent_withdrawn_at,
        },
        "requests": [
            {"kind": r.get_kind_display(), "at": r.at, "reason": r.reason} for r in requests
        ],
        "findings": [
            {
                "question": f.question.text if f.question else None,
                "kind": f.get_kind_display(),
                "text": f.text,
                "captured_at": f.created_at,
                "in_reports": not withheld
                and (f.kind != FindingKind.QUOTE or member.may_be_quoted),
            }
            for f in findings
        ],
        "earlier_versions": [
            {"version": r.version, "text": r.text, "kind": r.get_kind_display()} for r in revisions
        ],
        "evaluation": None
        if evaluation is None or evaluation.responded_at is None
        else {
            "answered_at": evaluation.responded_at,
            "answers": [
                {
                    "question": str(Evaluation._meta.get_field(name).verbose_name),
                    "answer": getattr(evaluation, f"get_{name}_display")()
                    if getattr(evaluation, name)
                    else None,
                }
                for name in ("experience", "safety", "enough_time", "again")
            ],
            "comment": evaluation.comment,
        },
        "access_log": [{"at": row.at, "action": row.get_action_display()} for row in log],
    }


def log_member_export(member, *, by) -> None:
    AccessLog.record(
        by,
        AccessAction.EXPORT_MEMBER,
        session=member.session,
        panel_member=member,
        detail=f"{member.pseudonym}: inzage (PDF en JSON)",
    )
