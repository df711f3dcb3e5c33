from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopStatus(models.TextChoices):
    PREPARING = "preparing", _("In voorbereiding")
    RUNNING = "running", _("Bezig")
    CLOSED = "closed", _("Afgesloten")


class RoundKind(models.TextChoices):
    OPEN_TABLE = "open_table", _("Open Tafel-gesprek")
    INPUT = "input", _("Korte inbreng")


# The most links a facilitator makes at once, and the longest texts a participant writes.
MAX_LINKS_AT_ONCE = 60
MAX_TEXT = 1000

# A new workshop starts from the seed's workshop "In gesprek over kwaliteit": three roles,
# one case, and the rounds open table, input, open table again. Everything can be edited.
DEFAULT_ROLES = (
    (
        _("Gemeente"),
        _(
            "Je werkt bij de gemeente. Je koopt hulp in en let op het geld. Je wilt dat de "
            "cliënt goede hulp krijgt, maar de gemeente moet ook kunnen uitleggen waarom. "
            "Wat betekent kwaliteit voor jou? Hoe weet je of de hulp goed is?"
        ),
    ),
    (
        _("Aanbieder"),
        _(
            "Je werkt bij een aanbieder van jeugdhulp of Wmo-ondersteuning. Je geeft de hulp. "
            "Je hebt te maken met regels, formulieren en weinig tijd. Wat heb je nodig om "
            "goede hulp te geven? Wat wil je dat de gemeente begrijpt?"
        ),
    ),
    (
        _("Cliënt"),
        _(
            "Je krijgt hulp, of je bent ouder van een kind dat hulp krijgt. Of je zit in een "
            "cliëntenraad. Je weet hoe de hulp echt voelt. Wat is voor jou goede hulp? Wanneer "
            "voel je je gehoord?"
        ),
    ),
)
DEFAULT_CASE = (
    _("Casus: Samira en haar zoon"),
    _(
        "Samira heeft een zoon van 12. Hij gaat niet meer naar school. Samira heeft hulp "
        "gevraagd. Na acht weken is er nog geen hulpverlener. Zij moest haar verhaal al drie "
        "keer vertellen. De aanbieder heeft een wachtlijst. De gemeente heeft een budget dat "
        "bijna op is. Wat is hier goede hulp? En wie doet wat?"
    ),
)
DEFAULT_ROUNDS = (
    (
        RoundKind.OPEN_TABLE,
        _("Open Tafel-gesprek"),
        _(
            "Praat met elkaar over de casus, vanuit je rol. Wat vind je belangrijk? Wat "
            "verwacht je van de anderen?"
        ),
        20,
    ),
    (
        RoundKind.INPUT,
        _("Korte inbreng: samen veranderen"),
        _(
            "De begeleiders vertellen kort hoe een gesprek meer samen kan gaan. Luister en "
            "denk na: wat kun je anders doen?"
        ),
        10,
    ),
    (
        RoundKind.OPEN_TABLE,
        _("Open Tafel-gesprek, nog een keer"),
        _(
            "Voer het gesprek opnieuw, vanuit dezelfde rol. Probeer nu samen te zoeken naar "
            "wat de cliënt helpt."
        ),
        20,
    ),
)
