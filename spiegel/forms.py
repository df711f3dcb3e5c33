"""Form pieces shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

# The largest primary key any of our databases can store (a signed 64-bit integer).
MAX_PK = 2**63 - 1


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids outside the 64-bit range before they reach the database.

    SQLite raises OverflowError (a 500) on `pk__in=[99999999999999999999]`; PostgreSQL refuses
    the value cleanly. Either way the user should just read "not a valid choice".
    """

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # non-numbers get Django's own "invalid_pk_value" message
            if not 0 < number <= MAX_PK:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def move_offset(request) -> int:
    """The ↑/↓ buttons of an ordered list post `direction=up`, or anything else for down."""
    return -1 if request.POST.get("direction") == "up" else 1
