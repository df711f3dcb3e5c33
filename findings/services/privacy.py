"""The privacy guard's workflow: check a session's texts, keep the hits, replace or dismiss them,
and refuse to make a report or letter final while hits are open (DESIGN.md §7).

The matched words are never stored (they are the personal data the guard protects against):
a hit keeps its offsets into the current text and a keyed hash of the words. Checking a text
again reconciles: a hit whose words are still there keeps its state (a dismissal survives an
edit elsewhere in the text) and moves with them; a hit whose words are gone is dropped.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from findings import privacy
from findings.constants import HitSource, HitState
from findings.models import Debrief, FeedbackLetter, Finding, ImprovementAction, Lesson, PrivacyHit
from sessions.models import Session

# Which texts are checked: source → (model, fields).
TEXTS = {
    HitSource.FINDING: (Finding, ("text",)),
    HitSource.LESSON: (Lesson, ("text",)),
    HitSource.DEBRIEF: (Debrief, ("impact", "act_on")),
    HitSource.ACTION: (
        ImprovementAction,
        ("title", "description", "client_sentence", "client_closing"),
    ),
    HitSource.LETTER: (FeedbackLetter, ("text",)),
}
SOURCE_OF = {model: source for source, (model, _fields) in TEXTS.items()}

# What must be clean before the session report becomes final (concluding the debrief closes
# the session); the letter has its own check.
REPORT_SOURCES = (HitSource.FINDING, HitSource.LESSON, HitSource.DEBRIEF, HitSource.ACTION)


class PrivacyRefused(ValidationError):
    """Open hits stand in the way, or a hit no longer matches its text; the message says so."""


def digest(words: str) -> str:
    """A keyed hash of the matched words: recognisable again, not readable."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, words.encode(), hashlib.sha256).hexdigest()


# — checking —


def check_text(*, session_id, source, object_id, field, text, known=()) -> list[PrivacyHit]:
    """Check one text and reconcile its hits; returns the hits now open. Words within one of
    the `known` strings (what the app itself wrote into the text on purpose) are no hit."""
    known = [k.casefold() for k in known if k]
    spans = [
        span
        for span in privacy.detect(text or "")
        if not any(span.text_in(text).casefold() in k for k in known)
    ]
    found = [(span, digest(span.text_in(text))) for span in spans]
    existing = list(
        PrivacyHit.objects.filter(source=source, object_id=object_id, field=field).exclude(
            state=HitState.REPLACED
        )
    )
    keep, create = [], []
    for span, words in found:
        match = next(
            (h for h in existing if h.kind == span.kind and h.digest == words and h not in keep),
            None,
        )
        if match is None:
            create.append(
                PrivacyHit(
                    session_id=session_id,
                    source=source,
                    object_id=object_id,
                    field=field,
                    start=span.start,
                    end=span.end,
                    kind=span.kind,
                    digest=words,
                )
            )
        else:
            match.start, match.end = span.start, span.end
            keep.append(match)
    gone = [h.pk for h in existing if h not in keep]
    if gone:
        PrivacyHit.objects.filter(pk__in=gone).delete()
    if keep:
        PrivacyHit.objects.bulk_update(keep, ["start", "end"])
    PrivacyHit.objects.bulk_create(create)
    return [h for h in keep + create if h.state == HitState.OPEN]


def check_object(obj) -> int:
    """Check every guarded field of a finding, lesson, debrief, action or letter."""
    source = SOURCE_OF[type(obj)]
    known = letter_known_words(obj.session_id) if source == HitSource.LETTER else ()
    opened = 0
    for field in TEXTS[source][1]:
        opened += len(
            check_text(
                session_id=obj.session_id,
                source=source,
                object_id=obj.pk,
                field=field,
                text=getattr(obj, field),
                known=known,
            )
        )
    return opened


def letter_known_words(session_id) -> list[str]:
    """What the drafted letter names on purpose (findings.services.debrief.draft_letter): the
    date of the meeting, the facilitators as contact (name, e-mail) and the organisations.
    None of it is a client's; flagging it would make every letter wait for four dismissals."""
    session = (
        Session.objects.select_related("facilitator", "co_facilitator")
        .prefetch_related("organisations")
        .get(pk=session_id)
    )
    known = [o.name for o in session.organisations.all()]
    for person in (session.facilitator, session.co_facilitator):
        if person is not None:
            known += [str(person), person.get_full_name(), person.email]
    if session.starts_at:
        with translation.override(session.language):
            known.append(formats.date_format(timezone.localtime(session.starts_at)))
    return known


def check_session(session_id) -> int:
    """Check every text of a session (after the meeting, in a background task); returns the
    number of open hits."""
    for model, _fields in TEXTS.values():
        objects = model.objects.filter(session_id=session_id)
        if model is Finding:
            objects = objects.filter(erased_at__isnull=True)
        for obj in objects:
            check_object(obj)
    return PrivacyHit.objects.filter(session_id=session_id).open().count()


# — what stands open —


def hits_for(session, *, sources, open_only=True):
    """The session's hits in `sources`, each with the words around it (`before`, `words`,
    `after`: for those who may edit these texts) and its neutral tag. One query for the hits
    and one per kind of text that has any."""
    hits = PrivacyHit.objects.filter(session=session, source__in=sources)
    hits = list(hits.open() if open_only else hits.select_related("decided_by"))
    texts = {}
    for source, (model, fields) in TEXTS.items():
        ids = {h.object_id for h in hits if h.source == source}
        if ids:
            for obj in model.objects.filter(session=session, pk__in=ids):
                for field in fields:
                    texts[source, obj.pk, field] = getattr(obj, field) or ""
    for hit in hits:
        text = texts.get((hit.source, hit.object_id, hit.field), "")
        hit.before = text[max(0, hit.start - 40) : hit.start]
        hit.words = text[hit.start : hit.end] if hit.is_open else ""
        hit.after = text[hit.end : hit.end + 40]
        # "…" only where the text goes on.
        hit.cut_before, hit.cut_after = hit.start > 40, hit.end + 40 < len(text)
        hit.tag = privacy.TAGS[hit.kind]
    return hits


def open_count(session, *, sources) -> int:
    return PrivacyHit.objects.filter(session=session, source__in=sources).open().count()


def review_url(session, source) -> str:
    """Where the hits of `source` are reviewed: the letter's on its page, the rest in the
    debrief."""
    name = "feedback_letter" if source == HitSource.LETTER else "debrief"
    return reverse(name, args=[session.pk]) + "#privacy"


def require_no_open_hits(session, *, sources, what) -> None:
    """Refuse, in Dutch, while hits in `sources` are neither replaced nor dismissed."""
    n = open_count(session, sources=sources)
    if n:
        raise PrivacyRefused(
            ngettext(
                "%(what)s kan nog niet definitief worden: %(n)s mogelijk persoonsgegeven is nog "
                "niet vervangen of weggestreept. Bekijk het bij de privacycontrole: %(url)s",
                "%(what)s kan nog niet definitief worden: %(n)s mogelijke persoonsgegevens zijn "
                "nog niet vervangen of weggestreept. Bekijk ze bij de privacycontrole: %(url)s",
                n,
            )
            % {"what": what, "n": n, "url": review_url(session, sources[0])}
        )


# — deciding —


def _current(hit):
    model, _fields = TEXTS[hit.source]
    return model.objects.select_for_update().get(pk=hit.object_id, session_id=hit.session_id)


@transaction.atomic
def replace_hit(*, hit, by) -> PrivacyHit:
    """Replace the hit's words by its neutral tag ("[naam]"); a finding keeps a revision."""
    hit = PrivacyHit.objects.select_for_update().get(pk=hit.pk)
    if not hit.is_open:
        return hit
    obj = _current(hit)
    text = getattr(obj, hit.field) or ""
    if hit.end > len(text) or digest(text[hit.start : hit.end]) != hit.digest:
        check_object(obj)
        raise PrivacyRefused(_("De tekst is intussen gewijzigd. Bekijk de controle opnieuw."))
    new_text = privacy.replace(text, privacy.Span(hit.start, hit.end, hit.kind))
    # Decided first, so the check that follows the edit leaves this hit alone.
    hit.state, hit.decided_by, hit.decided_at = HitState.REPLACED, by, timezone.now()
    hit.save(update_fields=["state", "decided_by", "decided_at"])
    if isinstance(obj, Finding):
        from findings.services.capture import edit_finding

        obj = edit_finding(
            finding_id=obj.pk,
            session=obj.session,
            user=by,
            expected_version=obj.version,
            text=new_text,
        )
    else:
        if isinstance(obj, FeedbackLetter) and obj.is_final:
            raise PrivacyRefused(_("De brief is al definitief."))
        setattr(obj, hit.field, new_text)
        obj.save(update_fields=[hit.field, "updated_at"] if hasattr(obj, "updated_at") else None)
    # The other hits in this text moved; the tag itself is no hit.
    check_object(obj)
    return hit


@transaction.atomic
def dismiss_hit(*, hit, by) -> PrivacyHit:
    """Not personal data (a street name that is also a surname, a public institution)."""
    hit = PrivacyHit.objects.select_for_update().get(pk=hit.pk)
    if hit.is_open:
        hit.state, hit.decided_by, hit.decided_at = HitState.DISMISSED, by, timezone.now()
        hit.save(update_fields=["state", "decided_by", "decided_at"])
    return hit
