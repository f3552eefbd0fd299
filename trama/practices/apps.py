from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "trama.practices"
    verbose_name = _("Pratiche e governo condiviso")

    def ready(self):
        from trama import extensions
        from trama.market import meaning

        from .models import Practice

        meaning.register(Practice)
        extensions.theme_panels.register("practices", extensions.Panel("practices/_theme_panel.html", order=30))
        extensions.decision_panels.register("practices", extensions.Panel("practices/_decision_actions.html", order=20))
        extensions.need_panels.register("practices", extensions.Panel("practices/_need_panel.html", order=10))
