"""Fill the database with a realistic Dutch demo world: ``python manage.py demo``.

The content is in `findings.demo.world`, the building in `findings.demo.builder`; this command
guards against production, wraps the build in one transaction and prints the logins. The
role-play workshop is added by `manage.py demo_workshop` (workshops), called here by name.
`--scale N` adds N sessions of history on top (`findings.demo.scale`), to see and measure the
pages at the size of a whole region.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse

from findings.demo.builder import build_demo
from findings.demo.scale import build_scale
from findings.demo.world import DEMO_PASSWORD, PEOPLE, SITE_URL
from participants.constants import Role
from sessions.models import TransitionError


def follow_url(link) -> str:
    return SITE_URL.rstrip("/") + reverse("follow_page", args=[link.token])


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
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Voeg daarna N gesprekken met hun geschiedenis toe, verspreid over de "
                "organisaties van het netwerk (elke keer N erbij)."
            ),
        )
        parser.add_argument(
            "--scale-seed",
            type=int,
            default=1,
            metavar="SEED",
            help="Startwaarde van het toeval voor --scale: zelfde waarde, zelfde gegevens.",
        )

    def handle(self, *args, force=False, scale=0, scale_seed=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demo-gegevens zijn alleen voor lokaal gebruik: zet DEBUG=1 of gebruik --force."
            )
        if scale < 0:
            raise CommandError("--scale moet 0 of meer zijn.")
        try:
            with transaction.atomic():
                demo = build_demo()
                if scale:
                    started = time.perf_counter()
                    result = build_scale(scale, seed=scale_seed)
                    seconds = time.perf_counter() - started
        except TransitionError as error:
            raise CommandError(" ".join(error.messages)) from error
        if scale:
            # Tens of thousands of rows arrived at once. Until autovacuum gets to them,
            # PostgreSQL plans as if the tables held what they held before (`/` took 18 ms of
            # SQL instead of 9 at 10,000 sessions), and make loadtest measured whichever came
            # first. ANALYZE gives SQLite's planner its statistics too. On PostgreSQL VACUUM
            # as well, as autovacuum would: it marks the new pages all-visible, so the
            # index-only scans that serve the access filters need not visit the table (VACUUM
            # cannot run in a transaction, as when a test calls the command).
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.report(demo)
        # The role-play workshop is built by its own app, called by name: findings may not
        # import workshops (docs/architecture.md).
        self.stdout.write("")
        call_command("demo_workshop", force=True, stdout=self.stdout)
        if scale:
            self.report_scale(result, seconds)

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
                role = "platformbeheerder (/organisations/; Django-admin op /admin/)"
            else:
                organisation = demo.organisations[person.organisation].name
                role = f"{Role(person.role).label.lower()} bij {organisation}"
            write(f"  {person.username:<16} {user.get_full_name():<18} {role}")
        if demo.follow_links:
            write("")
            write("“U zei, wij deden”: de eigen pagina van cliënten (zonder inloggen):")
            for link in demo.follow_links:
                member = link.panel_member
                write(f"  {member.pseudonym} ({member.session.title}): {follow_url(link)}")
        write("")
        write(f"Start de server met `python manage.py runserver` en open {SITE_URL}")

    def report_scale(self, result, seconds):
        write = self.stdout.write
        write("")
        write(
            self.style.SUCCESS(
                f"Schaalgegevens (ronde {result.run}, seed {result.seed}): {result.sessions} "
                f"gesprekken in {seconds:.1f} s ({result.sessions / seconds:.0f} per seconde)."
            )
        )
        for label, count in sorted(result.rows.items()):
            write(f"  {label:<28} {count:>9}")
        write(f"Nieuwe accounts hebben ook wachtwoord {DEMO_PASSWORD}.")
