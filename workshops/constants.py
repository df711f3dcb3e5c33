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
            "U werkt bij de gemeente. U koopt hulp in en let op het geld. U wilt dat de "
            "cliënt goede hulp krijgt, maar de gemeente moet ook kunnen uitleggen waarom. "
            "Wat betekent kwaliteit voor u? Hoe weet u of de hulp goed is?"
        ),
    ),
    (
        _("Aanbieder"),
        _(
            "U werkt bij een aanbieder van jeugdhulp of Wmo-ondersteuning. U geeft de hulp. "
            "U heeft te maken met regels, formulieren en weinig tijd. Wat heeft u nodig om "
            "goede hulp te geven? Wat wilt u dat de gemeente begrijpt?"
        ),
    ),
    (
        _("Cliënt"),
        _(
            "U krijgt hulp, of u bent ouder van een kind dat hulp krijgt. Of u zit in een "
            "cliëntenraad. U weet hoe de hulp echt voelt. Wat is voor u goede hulp? Wanneer "
            "voelt u zich gehoord?"
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
            "Praat met elkaar over de casus, vanuit uw rol. Wat vindt u belangrijk? Wat "
            "verwacht u van de anderen?"
        ),
        20,
    ),
    (
        RoundKind.INPUT,
        _("Korte inbreng: samen veranderen"),
        _(
            "De begeleiders vertellen kort hoe een gesprek meer samen kan gaan. Luister en "
            "denk na: wat kunt u anders doen?"
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
