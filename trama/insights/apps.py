from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "trama.insights"
    verbose_name = _("Indicatori e dati aperti")

    def ready(self):
        from . import figures

        figures.connect()
