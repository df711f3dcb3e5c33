"""Delete panel members' private details once the retention period after closing has passed.

Run daily (cron or a scheduler). Pseudonyms, consent records and findings stay.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Min
from django.utils import timezone

from participants.services import purge_contacts
from sessions.constants import Status
from sessions.models import Session


class Command(BaseCommand):
    help = "Wis contactgegevens van cliënten na de bewaartermijn van de organisatie."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Alleen tonen, niets wissen.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = []
        candidates = Session.objects.filter(
            status=Status.CLOSED, closed_at__isnull=False, contacts_purged_at__isnull=True
        ).annotate(retention=Min("organisations__retention_days"))
        for session in candidates:
            # The strictest organisation decides: the shortest retention period wins.
            retention = session.retention if session.retention is not None else 0
            if session.closed_at + timedelta(days=retention) <= now:
                due.append(session)
        for session in due:
            if dry_run:
                self.stdout.write(f"{session.pk}: {session.title}")
                continue
            purge_contacts(session=session)
        verb = "te wissen" if dry_run else "gewist"
        self.stdout.write(f"Contactgegevens {verb} voor {len(due)} gesprek(ken).")
