"""Send the clients' e-mails about actions done or dropped; run it daily (cron, systemd timer).

manage.py send_follow_mails            # sends now, in this process
manage.py send_follow_mails --enqueue  # hands the run to the task workers (db_worker)

Each member who asked for it gets at most one mail a week; news that comes sooner waits for
the next run after the week is over, in one mail.
"""

from django.core.management.base import BaseCommand

from findings.tasks import send_follow_mails


class Command(BaseCommand):
    help = (
        "Stuurt cliënten die dat wilden één korte e-mail over verbeteracties die gedaan zijn of "
        "niet doorgaan (hoogstens één per week)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet de taak in de wachtrij voor de task workers in plaats van nu te versturen.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = send_follow_mails.enqueue()
            self.stdout.write(f"Taak in de wachtrij gezet: {result.id}")
            return
        done = send_follow_mails.call()
        self.stdout.write(
            self.style.SUCCESS(
                f"{done['sent']} e-mail(s) aan cliënten verstuurd over {done['actions']} "
                f"verbeteractie(s), {done['failed']} mislukt."
            )
        )
        if done["failed"]:
            self.stderr.write(self.style.WARNING("Niet alle e-mails konden worden verstuurd."))
