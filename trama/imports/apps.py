from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "trama.imports"
    verbose_name = _("Importazione di elenchi")

    def ready(self):
        # The kinds about people register their resources with resources.RESOURCES.
        from . import people_resources  # noqa: F401
