"""The reason recorded with a client's request (withdrawal of consent, erasure)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.services.panel import REASON_LIMIT


class RightsRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden en wie het vroeg"),
        help_text=_(
            "Bijvoorbeeld: “Moeder van de deelnemer belde op 3 december.” Deze reden komt in "
            "het toegangslog, niet in verslagen."
        ),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef de reden van het verzoek op.")},
    )
