"""Golden tips: each table of a kitchen-table session ends with a few, the plenary merges them.

A table's tips arrive like its notes, through the browser's queue (static/js/tip-queue.js),
so each is stored once under its browser-made client_id, also when it arrives late. In the
plenary the facilitator merges tips that say the same into one merged tip (no table); the
tips it came from point to it, so the report can say where each came from.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from findings.models import GoldenTip, ImprovementAction
from findings.services.capture import CaptureRefused, may_capture

# The seed's themes (the Vlaardingen workshop of the werkplaats), offered as suggestions; a
# table may coin its own.
SUGGESTED_THEMES = ("Contact en kennismaken", "Duurzame samenwerking", "Out-of-the-box denken")


def _clean(theme, text):
    theme, text = " ".join(theme.split()), text.strip()
    if not text:
        raise CaptureRefused(_("Schrijf eerst de tip op."))
    if not theme:
        raise CaptureRefused(_("Geef de tip een thema."))
    return theme, text


def capture_tip(
    *, session, table, user, client_id, theme, text, captured_at=None
) -> tuple[GoldenTip, bool]:
    """Store a table's tip once per client_id; return (tip, created). Like a note, a tip
    made before the meeting ended is still taken when it arrives later."""
    if not may_capture(session, captured_at=captured_at):
        raise CaptureRefused(_("Gouden tips worden tijdens het gesprek vastgelegd."))
    theme, text = _clean(theme, text)
    try:
        with transaction.atomic():
            tip = GoldenTip.objects.create(
                session=session,
                table=table,
                client_id=client_id,
                theme=theme,
                text=text,
                created_by=user,
            )
        return tip, True
    except IntegrityError:
        existing = GoldenTip.objects.filter(client_id=client_id).first()
        if existing is None or existing.table_id != table.pk:
            raise CaptureRefused(_("Deze tip kon niet worden opgeslagen.")) from None
        return existing, False


@transaction.atomic
def merge_tips(*, session, tips, theme, text, user) -> GoldenTip:
    """Merge tips that say the same into one tip of the plenary, keeping where each came
    from. A merged tip can be merged again: its sources follow it, and so do the actions made
    from it."""
    tips = list(tips)
    if len(tips) < 2:
        raise ValidationError(_("Kies minstens twee tips om samen te voegen."))
    if any(t.session_id != session.pk or t.merged_into_id for t in tips):
        raise ValidationError(_("Een van de tips hoort niet (meer) bij de lijst."))
    theme, text = _clean(theme, text)
    merged = GoldenTip.objects.create(session=session, theme=theme, text=text, created_by=user)
    sources = [t.pk for t in tips if not t.is_merged]
    for earlier in (t for t in tips if t.is_merged):
        sources += list(earlier.merged_from.values_list("pk", flat=True))
        ImprovementAction.objects.filter(from_tip=earlier).update(from_tip=merged)
        earlier.delete()
    GoldenTip.objects.filter(pk__in=sources).update(merged_into=merged)
    return merged


@transaction.atomic
def split_tip(*, session, merged) -> None:
    """Undo a merge: the tips come back as they were. Not once an action came from the
    merged tip: the action would lose where it came from."""
    if not merged.is_merged or merged.session_id != session.pk:
        raise ValidationError(_("Alleen een samengevoegde tip kan weer worden gesplitst."))
    if merged.actions.exists():
        raise ValidationError(
            _("Van deze tip is al een verbeteractie gemaakt; daarom blijft hij samengevoegd.")
        )
    merged.merged_from.update(merged_into=None)
    merged.delete()


def tips_overview(session):
    """(tables, merged): the session's tables, each with all its tips as `tip_list` (numbered
    per table in the order they were written), and the merged list of the plenary (every tip
    not merged away, each with `sources`, the tables it came from; grouped by theme in the
    order the themes first appear, numbered as `plenary_number`). One query without tables,
    two with."""
    tables = list(session.tables.select_related("host", "ambassador"))
    if not tables:
        return [], []
    tips = list(session.golden_tips.order_by("created_at", "pk"))
    by_table = {table.pk: table for table in tables}
    for table in tables:
        table.tip_list = []
    merged_from = {}
    for tip in tips:
        tip.table = by_table.get(tip.table_id)
        if tip.table is not None:
            tip.table.tip_list.append(tip)
            tip.number = len(tip.table.tip_list)
        if tip.merged_into_id:
            merged_from.setdefault(tip.merged_into_id, []).append(tip)
    # A merged tip stands where its earliest source stood, so the plenary keeps the order in
    # which the tables came up with things; tips are grouped by theme in that order.
    entries = []
    for tip in tips:
        if tip.merged_into_id:
            continue
        origin = merged_from.get(tip.pk, []) if tip.is_merged else [tip]
        tip.sources = sorted({t.table for t in origin}, key=lambda t: (t.position, t.pk))
        entries.append((min((t.created_at, t.pk) for t in origin or [tip]), tip))
    by_theme = {}
    for _key, tip in sorted(entries, key=lambda entry: entry[0]):
        by_theme.setdefault(tip.theme.casefold(), []).append(tip)
    merged = [tip for group in by_theme.values() for tip in group]
    for number, tip in enumerate(merged, start=1):
        # Not `number`: a table's own tip is in both lists, with a number in each.
        tip.plenary_number = number
    return tables, merged
