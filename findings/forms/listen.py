"""The listeners' private jotting pad."""

from django import forms
from django.utils.translation import gettext_lazy as _

from findings.models import Jotting


class JottingForm(forms.Form):
    text = forms.CharField(
        label=_("Uw aantekeningen, alleen voor u zichtbaar"),
        required=False,
        strip=False,
        max_length=Jotting._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    base = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
