from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "trama.initiatives"
    verbose_name = _("Iniziative")

    def ready(self):
        from trama.notifications.reminders import register

        from . import answers, reminders

        register(reminders.agreements_expiring)
        answers.register()
