from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Mensen en organisaties")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from participants.access import remember_administration

        user_logged_in.connect(remember_administration, dispatch_uid="remember_administration")
