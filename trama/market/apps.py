from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "trama.market"
    verbose_name = _("Mercato sociale")

    def ready(self):
        from trama.notifications.reminders import register
        from trama.people.models import Service

        from . import extensions, meaning, reminders, signals  # noqa: F401
        from .models import Need, Offer

        register(reminders.matches_not_started)
        register(reminders.follow_ups_due)
        register(reminders.offers_expiring)
        extensions.register()
        meaning.register(Offer, touch=True)
        meaning.register(Need)
        meaning.register(Service)  # people's services: below the market, their vector kept in their own table
