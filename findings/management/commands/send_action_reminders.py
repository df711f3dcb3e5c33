"""Send the improvement-action reminders once; run it daily (cron, systemd timer).

manage.py send_action_reminders            # sends now, in this process
manage.py send_action_reminders --enqueue  # hands the run to the task workers (db_worker)
"""

from findings.tasks import send_action_reminders
from spiegel.commands import TaskCommand


class Command(TaskCommand):
    help = (
        "Stuurt eigenaren en mede-eigenaren één e-mail over hun verbeteracties die te laat zijn "
        "of binnen zeven dagen af moeten."
    )
    task = send_action_reminders

    def summary(self, done):
        return (
            f"Herinneringen over {done['actions']} verbeteractie(s) verstuurd: "
            f"{done['sent']} e-mail(s), {done['failed']} mislukt."
        )
