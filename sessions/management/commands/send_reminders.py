"""Send the week-ahead reminders once; run it daily (cron, systemd timer) in production.

manage.py send_reminders            # sends now, in this process
manage.py send_reminders --enqueue  # hands the run to the task workers (db_worker)
"""

from django.core.management.base import BaseCommand

from sessions.tasks import send_reminders


class Command(BaseCommand):
    help = "Stuurt de herinneringen voor spiegelgesprekken die over een week beginnen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet de taak in de wachtrij voor de task workers in plaats van nu te versturen.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_reminders.enqueue()
            self.stdout.write(f"Taak in de wachtrij gezet: {result.id}")
            return
        done = send_reminders.call()
        sent = sum(counts["sent"] for counts in done.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Herinneringen voor {len(done)} gesprek(ken) verstuurd, {sent} e-mail(s)."
            )
        )
