"""Send the week-ahead reminders once; run it daily (cron, systemd timer) in production.

manage.py send_reminders            # sends now, in this process
manage.py send_reminders --enqueue  # hands the run to the task workers (db_worker)
"""

from sessions.tasks import send_reminders
from spiegel.commands import TaskCommand


class Command(TaskCommand):
    help = "Stuurt de herinneringen voor spiegelgesprekken die over een week beginnen."
    task = send_reminders

    def summary(self, done):
        sent = sum(counts["sent"] for counts in done.values())
        return f"Herinneringen voor {len(done)} gesprek(ken) verstuurd, {sent} e-mail(s)."

    def failed(self, done):
        return False  # per session counts: a failure is in each session's own figures
