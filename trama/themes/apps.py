from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "trama.themes"
    verbose_name = _("Temi emergenti")

    def ready(self):
        from . import signals

        signals.connect()
