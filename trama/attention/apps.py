from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttentionConfig(AppConfig):
    name = "trama.attention"
    verbose_name = _("Rete di attenzione")

    def ready(self):
        from . import extensions

        extensions.register()
