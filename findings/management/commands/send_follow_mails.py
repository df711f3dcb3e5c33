"""Send the clients' e-mails about actions done or dropped; run it daily (cron, systemd timer).

manage.py send_follow_mails            # sends now, in this process
manage.py send_follow_mails --enqueue  # hands the run to the task workers (db_worker)

Each member who asked for it gets at most one mail a week; news that comes sooner waits for
the next run after the week is over, in one mail.
"""

from findings.tasks import send_follow_mails
from spiegel.commands import TaskCommand


class Command(TaskCommand):
    help = (
        "Stuurt cliënten die dat wilden één korte e-mail over verbeteracties die gedaan zijn of "
        "niet doorgaan (hoogstens één per week)."
    )
    task = send_follow_mails

    def summary(self, done):
        return (
            f"{done['sent']} e-mail(s) aan cliënten verstuurd over {done['actions']} "
            f"verbeteractie(s), {done['failed']} mislukt."
        )
