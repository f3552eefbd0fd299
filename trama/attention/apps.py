from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttentionConfig(AppConfig):
    name = "trama.attention"
    verbose_name = _("Rete di attenzione")

    def ready(self):
        from trama.notifications.reminders import register

        from . import extensions, reminders

        extensions.register()
        register(reminders.training_tomorrow)
