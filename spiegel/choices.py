"""Choice labels without Django's per-call cost."""


def label_of(choices, value) -> str:
    """The label of `value` in a TextChoices class, in the active language; an unknown value
    as it is. Django's get_FOO_display() builds (and translates) a dict of every choice on
    each call, which showed in the profile of every list page."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
