"""The demo's role-play workshop: ``python manage.py demo_workshop`` (the `demo` command
calls it by name at its end, since findings may not import workshops).

It builds, for the demo's facilitator and the coordinator's organisation, the workshop
"In gesprek over kwaliteit" as the seed describes it: seven participants who chose a role
other than their own, the three rounds held, and each round evaluated; the second open-table
conversation felt more open than the first. Running it again replaces it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from workshops import services
from workshops.models import Workshop

TITLE = "In gesprek over kwaliteit (demo)"
# Per participant: the role's position, and per round a face and two short texts (or "").
PLAYERS = [
    (
        1,
        "Marieke",
        [
            (2, "Iedereen verdedigde zijn eigen budget.", "Onrustig"),
            (4, "", "Nieuwsgierig"),
            (4, "We zochten samen naar wat Samira nodig heeft.", "Opgelucht"),
        ],
    ),
    (
        1,
        "",
        [
            (3, "Veel uitleg over regels.", ""),
            (3, "", ""),
            (4, "Meer vragen dan antwoorden, en dat was goed.", "Rustiger"),
        ],
    ),
    (
        2,
        "Kees",
        [
            (2, "Ik voelde me aangevallen over de wachtlijst.", "Boos"),
            (3, "Herkenbaar.", ""),
            (5, "De gemeente vroeg wat wij nodig hebben.", "Gehoord"),
        ],
    ),
    (
        2,
        "",
        [
            (3, "", "Afwachtend"),
            (4, "", ""),
            (4, "Het ging over de cliënt, niet over het contract.", ""),
        ],
    ),
    (
        3,
        "Ayşe",
        [
            (1, "Niemand vroeg wat de moeder wil.", "Verdrietig"),
            (3, "", "Hoopvol"),
            (5, "Nu werd ik wel gehoord als cliënt.", "Blij"),
        ],
    ),
    (
        3,
        "",
        [
            (2, "Het was een gesprek over geld.", ""),
            (4, "", ""),
            (4, "Samen een plan in plaats van drie plannen.", "Vertrouwen"),
        ],
    ),
    (3, "Johan", [(2, "", "Machteloos"), (3, "", ""), (4, "Een echte dialoog.", "")]),
]


class Command(BaseCommand):
    help = "Maakt de demo-workshop 'In gesprek over kwaliteit' met deelnemers en evaluaties."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Ook als DEBUG uit staat.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demo-gegevens zijn alleen voor lokaal gebruik: zet DEBUG=1 of gebruik --force."
            )
        users = get_user_model().objects
        facilitator = users.filter(username="facilitator").first()
        coordinator = users.filter(username="coordinator").first()
        membership = coordinator and coordinator.memberships.first()
        if facilitator is None or membership is None:
            raise CommandError("Maak eerst de demo: python manage.py demo")
        with transaction.atomic():
            Workshop.objects.filter(title=TITLE).delete()
            workshop = self.build(membership.organisation, facilitator)
        self.stdout.write(
            self.style.SUCCESS(f"Workshop: {workshop.title} (/workshops/{workshop.pk}/)")
        )
        link = workshop.participants.first()
        self.stdout.write(f"  een deelnemerslink: /w/{link.token}/")

    def build(self, organisation, facilitator):
        workshop = services.create_workshop(
            organisation=organisation,
            title=TITLE,
            facilitator=facilitator,
            starts_at=timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            - timezone.timedelta(days=7),
            online_url="https://meet.example.nl/in-gesprek-over-kwaliteit",
        )
        roles = list(workshop.roles.all())
        participants = services.add_links(workshop=workshop, count=len(PLAYERS))
        for participant, (role, name, _answers) in zip(participants, PLAYERS, strict=True):
            participant.workshop = workshop
            services.choose_role(
                participant=participant, role_id=roles[role - 1].pk, display_name=name
            )
        workshop = services.move(workshop=workshop, action="start")
        for index, round in enumerate(workshop.rounds.all()):
            if index:
                workshop = services.move(workshop=workshop, action="next")
            for participant, (_role, _name, answers) in zip(participants, PLAYERS, strict=True):
                participant.workshop = workshop
                feeling, experience, gut = answers[index]
                services.evaluate_round(
                    participant=participant,
                    round=round,
                    feeling=feeling,
                    experience=experience,
                    gut_feeling=gut,
                )
        # One more link, unused: to try the participant's page.
        services.add_links(workshop=workshop, count=1)
        return services.move(workshop=workshop, action="close")
