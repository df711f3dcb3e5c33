from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    POSITIVE = "positive", _("Positief")
    IMPROVEMENT = "improvement", _("Verbeterpunt")
    WISH = "wish", _("Wens")
    QUOTE = "quote", _("Citaat")
    LATER = "later", _("Voor later")


FINDING_TEXT_LIMIT = 4000
