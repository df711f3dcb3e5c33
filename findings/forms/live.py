"""Forms of the live page: check-in, capturing and correcting findings.

They only check the shape of what the browser sends; whether the question and the speaker
belong to the session is the service's job (one query, see findings.services.capture).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from findings.constants import FINDING_TEXT_LIMIT, FindingKind
from participants.constants import RecruitmentStatus
from spiegel.forms import MAX_PK, SafeModelMultipleChoiceField

EMPTY_TEXT = _("Schrijf eerst een notitie.")


class IdField(forms.IntegerField):
    """An optional primary key; values no database can hold are refused, not a 500."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=MAX_PK, **kwargs)


class FindingFieldsMixin(forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        max_length=FINDING_TEXT_LIMIT,
        error_messages={"required": EMPTY_TEXT},
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=FindingKind.choices)
    speaker = IdField(label=_("Spreker"))
    starred = forms.BooleanField(label=_("Kernmoment"), required=False)


class CaptureForm(FindingFieldsMixin):
    client_id = forms.UUIDField(error_messages={"required": _("De notitie mist haar id.")})
    question = IdField(label=_("Vraag"))
    captured_at = forms.DateTimeField(required=False)

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "client_id": data["client_id"],
            "text": data["text"],
            "kind": data["kind"],
            "question_id": data["question"],
            "speaker_id": data["speaker"],
            "starred": data["starred"],
            "captured_at": data["captured_at"],
        }


class EditForm(FindingFieldsMixin):
    version = forms.IntegerField(min_value=1, max_value=MAX_PK)

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "text": data["text"],
            "kind": data["kind"],
            "speaker_id": data["speaker"],
            "starred": data["starred"],
        }


def error_list(form) -> list[str]:
    """Every message of an invalid form, flat, for a JSON answer."""
    return [message for messages in form.errors.values() for message in messages]


class CheckInForm(forms.Form):
    members = SafeModelMultipleChoiceField(queryset=None, required=False)
    listeners = SafeModelMultipleChoiceField(queryset=None, required=False)
    # A hybrid session also records who of those present joined online.
    online_members = SafeModelMultipleChoiceField(queryset=None, required=False)
    online_listeners = SafeModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        members = session.panel_members.exclude(status=RecruitmentStatus.CANCELLED)
        self.fields["members"].queryset = self.fields["online_members"].queryset = members
        listeners = session.listeners.all()
        self.fields["listeners"].queryset = self.fields["online_listeners"].queryset = listeners
