"""The listeners' private jotting pad."""

from django import forms
from django.utils.translation import gettext_lazy as _

from findings.models import Jotting, ListenerLearning


class JottingForm(forms.Form):
    text = forms.CharField(
        label=_("Uw aantekeningen, alleen voor u zichtbaar"),
        required=False,
        strip=False,
        max_length=Jotting._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    base = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


def _limit(name):
    return ListenerLearning._meta.get_field(name).max_length


SHARED_LABEL = _(
    "Mijn collega’s mogen dit lezen (in het nagesprek en het verslag). Uit: alleen ik zie het."
)


class QuestionsForm(forms.Form):
    """Up to three leervragen, before the meeting."""

    question_1 = forms.CharField(
        label=_("Leervraag 1"),
        required=False,
        max_length=_limit("question_1"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    question_2 = forms.CharField(
        label=_("Leervraag 2"),
        required=False,
        max_length=_limit("question_2"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    question_3 = forms.CharField(
        label=_("Leervraag 3"),
        required=False,
        max_length=_limit("question_3"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    shared = forms.BooleanField(label=SHARED_LABEL, required=False)

    def questions(self):
        return [self.cleaned_data[f"question_{i}"] for i in (1, 2, 3)]


class ReflectionForm(forms.Form):
    """The reflection, after the meeting."""

    touched = forms.CharField(
        label=_("Wat raakte mij?"),
        required=False,
        max_length=_limit("touched"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    change = forms.CharField(
        label=_("Wat ga ik anders doen?"),
        required=False,
        max_length=_limit("change"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.BooleanField(label=SHARED_LABEL, required=False)
