"""The shape of what staff and participants send."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.constants import Face

from .constants import MAX_LINKS_AT_ONCE, MAX_TEXT
from .models import Round, Workshop, WorkshopCase, WorkshopRole

TOO_LONG = _(
    "Je tekst is te lang. Gebruik niet meer dan %(limit_value)d tekens. "
    "Je hebt er nu %(show_value)d."
)
NULL_CHARACTER = _("In je tekst staat een teken dat niet kan. Haal het weg en probeer het opnieuw.")
TEXT_ERRORS = {"max_length": TOO_LONG, "null_characters_not_allowed": NULL_CHARACTER}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["organisation", "title", "starts_at", "online_url"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = None


class RoleForm(forms.ModelForm):
    class Meta:
        model = WorkshopRole
        fields = ["name", "briefing"]
        widgets = {"briefing": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self):
        # The workshop is not a field of the form, so Django skips the unique constraint:
        # check it here (the view sets instance.workshop first) instead of failing on insert.
        name = self.cleaned_data["name"]
        taken = WorkshopRole.objects.filter(
            workshop_id=self.instance.workshop_id, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Deze workshop heeft al een rol met deze naam."))
        return name


class CaseForm(forms.ModelForm):
    class Meta:
        model = WorkshopCase
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["kind", "title", "instructions", "minutes"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}


class LinksForm(forms.Form):
    count = forms.IntegerField(
        label=_("Aantal nieuwe links"), min_value=1, max_value=MAX_LINKS_AT_ONCE, initial=5
    )


# — the participant, on a phone —


class RoleChoiceForm(forms.Form):
    role = forms.TypedChoiceField(
        label=_("Welke rol kies je?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een rol."),
            "invalid_choice": _("Kies een van de rollen van deze workshop."),
        },
    )
    display_name = forms.CharField(
        label=_("Je voornaam (mag leeg)"),
        required=False,
        max_length=80,
        help_text=_("Alleen de begeleider ziet deze naam. Je mag dit leeg laten."),
        error_messages=TEXT_ERRORS,
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.pk, role.name) for role in roles]


class RoundEvaluationForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label=_("Hoe voelde dit gesprek?"),
        choices=Face.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"invalid_choice": _("Kies een van de vijf gezichtjes.")},
    )
    experience = forms.CharField(
        label=_("Hoe ervaarde je het gesprek?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )
    gut_feeling = forms.CharField(
        label=_("Wat zegt je gevoel?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("feeling") or data.get("experience") or data.get("gut_feeling")
        ):
            raise forms.ValidationError(
                _("Je hebt nog niets ingevuld. Kies een gezichtje, of schrijf iets.")
            )
        return data
