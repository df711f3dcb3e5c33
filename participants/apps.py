from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Mensen en organisaties")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models import fields

        from participants.access import remember_administration
        from spiegel.middleware import IdleTimeoutMiddleware

        # The idle clock starts at sign-in, so the first page after it writes no session.
        user_logged_in.connect(IdleTimeoutMiddleware.start_clock, dispatch_uid="spiegel-idle-clock")
        # Whether to show the beheerders' link, without a query on every page.
        user_logged_in.connect(remember_administration, dispatch_uid="remember_administration")
        post_migrate.connect(create_cache_table, sender=self)
        # Django 6.1's blank choice of a select ("- Select an option -") has no Dutch in
        # Django's catalogue; Django asks to set it here. Ours is Dutch first, like every msgid.
        fields.BLANK_CHOICE_LABEL = _("- Kies een optie -")


def create_cache_table(using="default", verbosity=1, **kwargs):
    """The sign-in rate limits live in the database cache (settings.CACHES): `migrate` makes
    its table, so no installation can forget `createcachetable`."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
