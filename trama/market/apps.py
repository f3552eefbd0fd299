from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "trama.market"
    verbose_name = _("Mercato sociale")

    def ready(self):
        from . import signals  # noqa: F401
