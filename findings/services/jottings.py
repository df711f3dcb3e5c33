"""A listener's private jotting pad: notes for the debrief that only their author ever sees.

One Jotting per (session, author). Every read and write names the author, so no code path can
hand one person's notes to another. A pad autosaves as its author types; a save names the
version it started from (the stored `updated_at`), so a second tab or device cannot silently
wipe what the first one wrote.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from findings.models import Jotting
from sessions.constants import JOTTING
from spiegel.compiled import Prepared


class JottingRefused(ValidationError):
    """The jotting cannot be saved now; the message says why, in Dutch."""


def may_write(session) -> bool:
    """Jottings are written during the meeting and used in the debrief; afterwards read-only
    (the same phases as the policy's `can_write_jotting`)."""
    return session.status in JOTTING


def jotting_of(*, session, author) -> Jotting | None:
    rows = _JOTTING.rows(session=session.pk, author=author.pk)
    return rows[0] if rows else None


# One per (session, author); compiled once per process (spiegel.compiled.Prepared).
_JOTTING = Prepared(
    lambda session, author: Jotting.objects.filter(session=session, author=author)[:1],
    "session",
    "author",
)


def version_of(jotting) -> str:
    return jotting.updated_at.isoformat() if jotting and jotting.pk else ""


@transaction.atomic
def save_jotting(*, session, author, text, base_version) -> Jotting:
    """Store `text` as the author's jotting for `session` and return it.

    `base_version` is the version the author's page last saw ("" for none). If the stored
    jotting has moved on since (another tab saved other text), nothing is overwritten.
    """
    if not may_write(session):
        raise JottingRefused(
            _("Aantekeningen kunnen alleen tijdens het gesprek en het nagesprek worden gewijzigd.")
        )
    jotting, created = Jotting.objects.select_for_update().get_or_create(
        session=session, author=author, defaults={"text": text}
    )
    if created or jotting.text == text:
        return jotting
    if version_of(jotting) != base_version:
        raise JottingRefused(
            _(
                "Uw aantekeningen zijn intussen in een ander venster gewijzigd. Deze tekst is "
                "niet opgeslagen: kopieer wat u wilt bewaren en laad de pagina opnieuw."
            )
        )
    jotting.text = text
    jotting.save(update_fields=["text", "updated_at"])
    return jotting
