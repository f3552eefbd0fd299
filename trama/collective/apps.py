from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "trama.collective"
    verbose_name = _("Gruppi e incontri")

    def ready(self):
        from trama import extensions
        from trama.notifications.reminders import register

        from . import answers, reminders, signals

        signals.connect()
        register(reminders.meetings_tomorrow)
        extensions.person_panels.register("collective", extensions.Panel("collective/_person_panel.html", order=40))
        extensions.theme_panels.register("collective", extensions.Panel("collective/_theme_panel.html", order=10))
        answers.register()
