from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "trama.collective"
    verbose_name = _("Gruppi e incontri")

    def ready(self):
        from trama.notifications.reminders import register

        from . import answers, reminders, signals

        signals.connect()
        register(reminders.meetings_tomorrow)
        answers.register()
