from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "trama.themes"
    verbose_name = _("Temi emergenti")

    def ready(self):
        from trama import extensions

        from . import signals

        extensions.text_sources.listen(signals.connect_source)
        signals.connect_theme_figures()
        extensions.person_panels.register("themes", extensions.Panel("themes/_person_panel.html", order=30))
