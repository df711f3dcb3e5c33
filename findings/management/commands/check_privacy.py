"""Run the privacy guard over the sessions held before it existed, or again after its word
lists changed: texts are otherwise checked when they are saved and when a debrief concludes.

manage.py check_privacy                  # every session after its meeting, in this process
manage.py check_privacy --session 12 14  # only these
manage.py check_privacy --enqueue        # one task per session, for the task workers
"""

from django.core.management.base import BaseCommand

from findings.tasks import check_session_privacy
from sessions.constants import OVER
from sessions.models import Session


class Command(BaseCommand):
    help = "Controleert de teksten van gehouden spiegelgesprekken op persoonsgegevens."

    def add_arguments(self, parser):
        parser.add_argument(
            "--session", type=int, nargs="+", dest="sessions", help="Alleen deze gesprekken."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet per gesprek een taak in de wachtrij voor de task workers.",
        )

    def handle(self, *args, sessions=None, enqueue=False, **options):
        held = Session.objects.filter(status__in=OVER)
        if sessions:
            held = held.filter(pk__in=sessions)
        ids = list(held.order_by("pk").values_list("pk", flat=True))
        if enqueue:
            for pk in ids:
                check_session_privacy.enqueue(pk)
            self.stdout.write(f"{len(ids)} gesprek(ken) in de wachtrij gezet.")
            return
        open_hits = sum(check_session_privacy.call(pk) for pk in ids)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(ids)} gesprek(ken) gecontroleerd: {open_hits} mogelijke persoonsgegevens "
                "wachten op een beslissing."
            )
        )
