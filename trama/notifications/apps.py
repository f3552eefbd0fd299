from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "trama.notifications"
    verbose_name = _("Notifiche")

    def ready(self):
        from . import receivers  # noqa: F401  (privacy, below this app, tells it through a signal)
