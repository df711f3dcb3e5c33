"""Fill the database with a realistic Dutch demo world: ``python manage.py demo``.

The content is in `findings.demo.world`, the building in `findings.demo.builder`; this command
guards against production, wraps the build in one transaction and prints the logins.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from findings.demo.builder import build_demo
from findings.demo.world import DEMO_PASSWORD, PEOPLE, SITE_URL
from participants.constants import Role
from sessions.models import TransitionError


class Command(BaseCommand):
    help = (
        "Vult de database met een realistische demo: organisaties, gebruikers (wachtwoord "
        "'demo') en een spiegelgesprek in elke fase. Opnieuw draaien ververst de demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook uitvoeren als DEBUG uit staat (niet op productie gebruiken).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demo-gegevens zijn alleen voor lokaal gebruik: zet DEBUG=1 of gebruik --force."
            )
        try:
            with transaction.atomic():
                demo = build_demo()
        except TransitionError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.report(demo)

    def report(self, demo):
        write = self.stdout.write
        write(self.style.SUCCESS("Demo-gegevens staan klaar."))
        write("")
        write("Spiegelgesprekken:")
        for session in demo.sessions:
            organisations = ", ".join(o.name for o in session.organisations.all())
            write(f"  {session.get_status_display():<11} {session.title} ({organisations})")
        write("")
        write(f"Inloggen (wachtwoord voor iedereen: {DEMO_PASSWORD}):")
        for person in PEOPLE:
            user = demo.users[person.username]
            if person.is_admin:
                role = "beheerder (Django-admin op /admin/)"
            else:
                organisation = demo.organisations[person.organisation].name
                role = f"{Role(person.role).label.lower()} bij {organisation}"
            write(f"  {person.username:<13} {user.get_full_name():<18} {role}")
        write("")
        write(f"Start de server met `python manage.py runserver` en open {SITE_URL}")
