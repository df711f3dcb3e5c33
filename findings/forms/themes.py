"""Accepting, changing or rejecting the debrief's theme suggestions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from findings.forms.debrief import ThemeChoiceField, ThemeForm
from spiegel.forms import SafeModelMultipleChoiceField

ACCEPT, DISMISS = "accept", "dismiss"
DECISIONS = [(ACCEPT, _("Accepteren")), (DISMISS, _("Afwijzen"))]


class SuggestionForm(forms.Form):
    """One finding (from the URL): put it under the chosen theme, or reject the suggestions."""

    decision = forms.ChoiceField(choices=DECISIONS)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"] = ThemeChoiceField(session, label=_("Thema"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ACCEPT and not data.get("theme"):
            self.add_error("theme", _("Kies een thema om te accepteren."))
        return data


class GroupForm(ThemeForm):
    """A proposed new theme: its name as the person wrote it, and the findings they kept."""

    decision = forms.ChoiceField(choices=DECISIONS)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"] = SafeModelMultipleChoiceField(
            queryset=session.findings.filter(theme__isnull=True),
            label=_("Bevindingen"),
            error_messages={"required": _("Kies eerst een of meer bevindingen.")},
        )
        if self.data.get("decision") == DISMISS:
            self.fields["name"].required = False
