"""A cron-style management command that runs one background task now, or queues it.

    manage.py <command>            # runs the task now, in this process
    manage.py <command> --enqueue  # hands the run to the task workers (db_worker)

A subclass names its `task` and says in `summary(done)` what the run did; `failed(done)` tells
whether to warn that not everything went out.
"""

from django.core.management.base import BaseCommand


class TaskCommand(BaseCommand):
    task = None  # a django.tasks task taking no arguments

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Zet de taak in de wachtrij voor de task workers in plaats van nu te versturen.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = self.task.enqueue()
            self.stdout.write(f"Taak in de wachtrij gezet: {result.id}")
            return
        done = self.task.call()
        self.stdout.write(self.style.SUCCESS(self.summary(done)))
        if self.failed(done):
            self.stderr.write(self.style.WARNING("Niet alle e-mails konden worden verstuurd."))

    def summary(self, done) -> str:
        raise NotImplementedError

    def failed(self, done) -> bool:
        return bool(done.get("failed"))
