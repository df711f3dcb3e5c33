"""Send the improvement-action reminders once; run it daily (cron, systemd timer).

manage.py send_action_reminders            # sends now, in this process
manage.py send_action_reminders --enqueue  # hands the run to the task workers (db_worker)
"""

from django.core.management.base import BaseCommand

from findings.tasks import send_action_reminders


class Command(BaseCommand):
    help = (
        "Stuurt eigenaren en mede-eigenaren één e-mail over hun verbeteracties die te laat zijn "
        "of binnen zeven dagen af moeten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet de taak in de wachtrij voor de task workers in plaats van nu te versturen.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_action_reminders.enqueue()
            self.stdout.write(f"Taak in de wachtrij gezet: {result.id}")
            return
        done = send_action_reminders.call()
        self.stdout.write(
            self.style.SUCCESS(
                f"Herinneringen over {done['actions']} verbeteractie(s) verstuurd: "
                f"{done['sent']} e-mail(s), {done['failed']} mislukt."
            )
        )
        if done["failed"]:
            self.stderr.write(self.style.WARNING("Niet alle e-mails konden worden verstuurd."))
