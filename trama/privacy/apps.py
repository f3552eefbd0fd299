from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "trama.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # Each app declares its personal data in its own personal_data.py (see registry.py).
        autodiscover_modules("personal_data")
        from .retention import check_configuration

        check_configuration()
