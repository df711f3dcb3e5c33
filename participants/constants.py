from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Gemeente")
    NEIGHBOURHOOD_TEAM = "wijkteam", _("Wijkteam")
    YOUTH_PROTECTION = "jeugdbescherming", _("Jeugdbescherming")
    CARE_PROVIDER = "zorgaanbieder", _("Zorgaanbieder")
    CLIENT_INTEREST = "clientbelang", _("Cliëntbelangenorganisatie")
    NETWORK = "netwerk", _("Regionaal netwerk")


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Gespreksleider")
    PROFESSIONAL = "professional", _("Professional")
    COORDINATOR = "coordinator", _("Coördinator")
    ADMIN = "beheerder", _("Beheerder")


# What each role may do, in a sentence, for the beheerder choosing one.
ROLE_HELP = {
    Role.FACILITATOR: _("bereidt spiegelgesprekken voor en leidt ze."),
    Role.PROFESSIONAL: _(
        "luistert mee als toehoorder en werkt aan het nagesprek en de verbeteracties."
    ),
    Role.COORDINATOR: _(
        "ziet alle gesprekken van de organisatie, ook de contactgegevens van cliënten, en "
        "volgt de verbeteracties."
    ),
    Role.ADMIN: _(
        "nodigt leden uit, bepaalt hun rollen en richt spelregels, vragenbank en bewaartermijn in."
    ),
}


class RecruitmentStatus(models.TextChoices):
    INVITED = "invited", _("Uitgenodigd")
    CONFIRMED = "confirmed", _("Bevestigd")
    ATTENDED = "attended", _("Aanwezig geweest")
    CANCELLED = "cancelled", _("Afgemeld")
    NO_SHOW = "no_show", _("Niet verschenen")


# The members who count as confirmed: they said yes, or came.
CONFIRMED_STATUSES = (RecruitmentStatus.CONFIRMED, RecruitmentStatus.ATTENDED)


class ListenerFunction(models.TextChoices):
    """Suggestions only: the listener's function is free text."""

    WMO_CONSULTANT = "Wmo-consulent", _("Wmo-consulent")
    TEAM_COORDINATOR = "Wijkteamcoördinator", _("Wijkteamcoördinator")
    POLICY_OFFICER = "Beleidsmedewerker", _("Beleidsmedewerker")
    MANAGER = "Manager", _("Manager")
    YOUTH_WORKER = "Jeugdconsulent", _("Jeugdconsulent")
    SOCIAL_WORKER = "Maatschappelijk werker", _("Maatschappelijk werker")


class AccessAction(models.TextChoices):
    VIEW_CONTACTS = "view_contacts", _("Contactgegevens bekeken")
    EDIT_CONTACTS = "edit_contacts", _("Contactgegevens gewijzigd")
    PURGE_CONTACTS = "purge_contacts", _("Contactgegevens gewist")
    SEND_INVITATION = "send_invitation", _("Uitnodiging verstuurd")
    DOWNLOAD_REPORT = "download_report", _("Rapport gedownload")
    WITHDRAW_CONSENT = "withdraw_consent", _("Toestemming ingetrokken")
    ERASE_MEMBER = "erase_member", _("Gegevens van een deelnemer gewist")
    EXPORT_MEMBER = "export_member", _("Inzage geëxporteerd")
    VIEW_ACCESS_LOG = "view_access_log", _("Toegangslog bekeken")


class RightsRequestKind(models.TextChoices):
    """A client's right exercised through the facilitator or a coordinator (AVG)."""

    WITHDRAWAL = "withdrawal", _("Toestemming ingetrokken")
    ERASURE = "erasure", _("Gegevens gewist")


# Monotonic pseudonyms per session: A..Z, then AA, AB, …
PSEUDONYM_PREFIX = _("Deelnemer")


class RoleChangeKind(models.TextChoices):
    GRANTED = "granted", _("Rol gekregen")
    ENDED = "ended", _("Rol beëindigd")
    DEACTIVATED = "deactivated", _("Account gedeactiveerd")


# Contact details must outlive the feedback letter ("u zei, wij deden", some weeks after the
# debrief) and should not be kept much longer than the follow-up of the actions.
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 730

# How long an invitation's activation link works.
INVITATION_DAYS = 7

MIN_CONFIRMED_PANEL = 6
MAX_LISTENERS = 15
