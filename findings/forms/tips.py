"""Forms of the kitchen tables: a table's golden tip, the plenary's merge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from findings.models import GOLDEN_TIP_LIMIT, TIP_THEME_LIMIT
from spiegel.forms import SafeModelMultipleChoiceField


class TipFieldsMixin(forms.Form):
    theme = forms.CharField(
        label=_("Thema"),
        max_length=TIP_THEME_LIMIT,
        error_messages={"required": _("Geef de tip een thema.")},
    )
    text = forms.CharField(
        label=_("Gouden tip"),
        max_length=GOLDEN_TIP_LIMIT,
        error_messages={"required": _("Schrijf eerst de tip op.")},
    )


class TipForm(TipFieldsMixin):
    client_id = forms.UUIDField(error_messages={"required": _("De tip mist haar id.")})
    captured_at = forms.DateTimeField(required=False)


class MergeForm(TipFieldsMixin):
    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tips"] = SafeModelMultipleChoiceField(
            queryset=session.golden_tips.filter(merged_into__isnull=True),
            label=_("Tips"),
            error_messages={"required": _("Kies minstens twee tips om samen te voegen.")},
        )
        self.fields["text"].label = _("Samengevoegde tip")
