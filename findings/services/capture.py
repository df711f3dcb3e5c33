"""Capturing and correcting findings: the parts that must never lose a word."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from findings.models import Finding, FindingRevision
from participants.models import PanelMember
from sessions.constants import Status


class CaptureRefused(ValidationError):
    """The finding cannot be stored here or now; the message says why, in Dutch."""


class EditConflict(Exception):
    """Someone changed the finding since the editor loaded it; carries the current state."""

    def __init__(self, current: Finding):
        super().__init__(_("Deze bevinding is intussen gewijzigd."))
        self.current = current


def may_capture(session, *, captured_at=None) -> bool:
    """While live; and afterwards only for notes the browser made before the meeting ended
    (queued while offline, delivered late), so ending the meeting never drops a word."""
    if session.status == Status.LIVE:
        return True
    return (
        session.status == Status.DEBRIEF
        and captured_at is not None
        and session.ended_at is not None
        and captured_at <= session.ended_at
    )


def _check_references(session, question_id, speaker_id):
    """Question and speaker must belong to this session: one query, whatever is given.

    Returns the speaker, loaded, so the stored note renders without another query.
    """
    if question_id is None and speaker_id is None:
        return None
    if speaker_id is None:
        speaker, found = None, session.questions.filter(pk=question_id).exists()
    else:
        # An erased member's pseudonym takes no new words (erasure is for good).
        members = PanelMember.objects.filter(session=session, pk=speaker_id, erased_at__isnull=True)
        if question_id is not None:
            members = members.filter(session__questions=question_id)
        speaker = members.first()
        found = speaker is not None
    if not found:
        raise CaptureRefused(_("De vraag of de spreker hoort niet bij dit gesprek."))
    return speaker


def _insert(**fields) -> Finding:
    """INSERT a finding whose client_id may already exist.

    A savepoint only when a transaction is already open (ATOMIC_REQUESTS, tests): there a
    failed INSERT would poison it. In autocommit a failed INSERT leaves nothing to undo, and
    the savepoint's two statements would be two of the five queries a capture may cost.
    """
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return Finding.objects.create(**fields)
    return Finding.objects.create(**fields)


def capture_finding(
    *,
    session,
    user,
    client_id,
    text,
    kind,
    question_id=None,
    speaker_id=None,
    starred=False,
    captured_at=None,
    table=None,
) -> tuple[Finding, bool]:
    """Store a finding once per client_id; return (finding, created).

    A retry of a note that already arrived returns the stored note unchanged, so double
    clicks, network retries and the browser's offline queue are all harmless. `table` is the
    table of a kitchen-table session the note was said at (the caller checked it is this
    session's and that the user captures there).
    """
    if not may_capture(session, captured_at=captured_at):
        raise CaptureRefused(_("Bevindingen worden alleen tijdens het gesprek vastgelegd."))
    speaker = _check_references(session, question_id, speaker_id)
    try:
        return (
            _insert(
                session=session,
                client_id=client_id,
                text=text,
                kind=kind,
                question_id=question_id,
                speaker=speaker,
                starred=starred,
                table=table,
                created_by=user,
            ),
            True,
        )
    except IntegrityError:
        existing = Finding.objects.select_related("speaker").filter(client_id=client_id).first()
        if existing is None or existing.session_id != session.pk:
            raise CaptureRefused(_("Deze bevinding kon niet worden opgeslagen.")) from None
        return existing, False


EDITABLE = ("text", "kind", "speaker_id", "starred")


@transaction.atomic
def edit_finding(*, finding_id, session, user, expected_version, **changes) -> Finding:
    """Apply `changes` if nobody changed the finding since `expected_version`.

    The old state goes into a FindingRevision (who, when, old text). A stale version raises
    EditConflict with the current finding, so the editor sees both texts and nothing is
    silently overwritten.
    """
    if session.status not in (Status.LIVE, Status.DEBRIEF):
        raise CaptureRefused(_("Bevindingen van dit gesprek kunnen niet meer worden gewijzigd."))
    current = Finding.objects.select_for_update().get(pk=finding_id, session=session)
    if current.is_erased:
        raise CaptureRefused(_("Deze bevinding is gewist op verzoek van de deelnemer."))
    if current.version != expected_version:
        raise EditConflict(current)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "speaker_id" in changes:
        _check_references(session, None, changes["speaker_id"])
    if all(getattr(current, name) == value for name, value in changes.items()):
        return current
    FindingRevision.objects.create(
        finding=current,
        version=current.version,
        text=current.text,
        kind=current.kind,
        speaker_id=current.speaker_id,
        starred=current.starred,
        edited_by=user,
    )
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*changes, "version", "updated_at"])
    if "text" in changes and session.status == Status.DEBRIEF:
        # After the meeting every saved word is checked (during it, the background check at
        # the end of the meeting does it, so typing stays fast).
        from findings.services.privacy import check_object

        check_object(current)
    return current
