"""Forms of the action pages: editing an action and recording its progress.

They check the shape of the input; the rules (closing notes, dates, who may own) live in
findings.actions, whose translated errors the views put back on the form.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from findings.constants import CLOSED_STATUSES, ActionStatus
from findings.models import ImprovementAction
from findings.services.actions import check_owner
from participants.models import Listener, Membership, User
from spiegel.forms import MAX_PK, SafeModelMultipleChoiceField

# Dates outside this range are typing mistakes (and year 1 cannot even be read back).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def check_year(value):
    if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Kies een datum tussen %(first)s en %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


class SafeModelChoiceField(forms.ModelChoiceField):
    """Refuses ids no database can hold before they reach it (SQLite would answer 500)."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number is not None and not 0 < number <= MAX_PK:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def people_for(action):
    """Who may own an action: members of the session's organisations, its listeners with an
    account, and whoever owns it now (so an edit never silently drops someone)."""
    person = OuterRef("pk")
    return User.objects.filter(
        Q(Exists(Membership.objects.filter(user=person, organisation__sessions=action.session_id)))
        | Q(Exists(Listener.objects.filter(user=person, session=action.session_id)))
        | Q(pk=action.owner_id)
        | Q(pk__in=action.co_owners.values("pk")),
        is_active=True,
    ).order_by("first_name", "last_name", "username")


class ActionForm(forms.ModelForm):
    """Edit what an action is about; status changes go through the progress form instead."""

    class Meta:
        model = ImprovementAction
        fields = [
            "title",
            "description",
            "owner",
            "co_owners",
            "due_date",
            "priority",
            "client_sentence",
            "from_reflection",
        ]
        field_classes = {"owner": SafeModelChoiceField, "co_owners": SafeModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "co_owners": forms.CheckboxSelectMultiple,
            "due_date": DateInput(),
            "client_sentence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_for(self.instance)
        self.fields["owner"].queryset = people
        self.fields["co_owners"].queryset = people
        self.fields["co_owners"].help_text = _(
            "Mede-eigenaren werken mee en krijgen ook de herinneringen."
        )
        self.fields["due_date"].help_text = _(
            "Een nieuwe datum ligt niet in het verleden; een datum die al verstreken is, mag "
            "blijven staan."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan")))

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        check_year(due)
        # An overdue action keeps its date when only other fields change; a *new* date must not
        # lie in the past, as when the action was created.
        if due and due != self.initial.get("due_date") and due < timezone.localdate():
            raise ValidationError(_("Kies een datum vanaf vandaag."))
        return due

    def clean(self):
        cleaned = super().clean()
        owner, co_owners = cleaned.get("owner"), cleaned.get("co_owners")
        if owner and co_owners is not None:
            # The owner is not also their own co-owner: dropped quietly, it changes nothing.
            cleaned["co_owners"] = [user for user in co_owners if user.pk != owner.pk]
        if owner and owner.pk != self.instance.owner_id:
            # A new owner belongs to the organisation that owns the action (a werkplaats: a
            # Schiedam action stays with Schiedam's people).
            try:
                check_owner(
                    session=self.instance.session,
                    organisation=self.instance.organisation,
                    owner=owner,
                )
            except ValidationError as error:
                self.add_error("owner", error)
        return cleaned

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Wat is er gebeurd?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    closing_note = forms.CharField(
        label=_("Afsluitende toelichting"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij Gedaan of Vervallen: wat is er bereikt, of waarom vervalt het?"),
    )

    client_closing = forms.CharField(
        label=_("Uitleg voor cliënten"),
        max_length=ImprovementAction._meta.get_field("client_closing").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Bij Gedaan of Vervallen, in eenvoudige taal: wat is er nu anders, of waarom gaat "
            "het niet door? Cliënten met een volglink lezen dit; geen namen."
        ),
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.initial.setdefault("status", action.status)
        self.initial.setdefault("closing_note", action.closing_note)
        self.initial.setdefault("client_closing", action.client_closing)
        self.helper = FormHelper()
        self.helper.form_id = "progress-form"
        self.helper.add_input(Submit("save", _("Voortgang vastleggen")))

    def clean(self):
        cleaned = super().clean()
        status, note = cleaned.get("status"), cleaned.get("closing_note", "")
        if status in CLOSED_STATUSES and not (note or "").strip():
            self.add_error(
                "closing_note",
                _("Schrijf bij afronden of laten vallen een afsluitende toelichting."),
            )
        elif (
            status
            and status == self.action.status
            and not (cleaned.get("text") or "").strip()
            and note == self.action.closing_note
            and (cleaned.get("client_closing") or "") == self.action.client_closing
        ):
            raise ValidationError(_("Schrijf wat er is gebeurd, of kies een nieuwe status."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        note = data["closing_note"]
        return {
            "text": data["text"],
            "status": data["status"],
            # Only touched when it matters: closing, or correcting the note of a closed action.
            "closing_note": note
            if data["status"] in CLOSED_STATUSES or note != self.action.closing_note
            else None,
            "client_closing": data["client_closing"]
            if data["client_closing"] != self.action.client_closing
            else None,
        }
