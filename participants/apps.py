from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Mensen en organisaties")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from participants.access import remember_administration
        from spiegel.middleware import IdleTimeoutMiddleware

        # The idle clock starts at sign-in, so the first page after it writes no session.
        user_logged_in.connect(IdleTimeoutMiddleware.start_clock, dispatch_uid="spiegel-idle-clock")
        # Whether to show the beheerders' link, without a query on every page.
        user_logged_in.connect(remember_administration, dispatch_uid="remember_administration")
