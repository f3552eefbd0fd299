from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "trama.people"
    verbose_name = _("Persone e account")

    def ready(self):
        from . import signals  # noqa: F401
