from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "trama.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from trama import extensions

        # Each app declares its personal data in its own personal_data.py (see registry.py).
        autodiscover_modules("personal_data")
        from .retention import check_configuration

        check_configuration()
        # Last on a person's page, after what the other apps hold about them: the person's rights.
        extensions.person_panels.register("privacy", extensions.Panel("privacy/_person_panel.html", order=90))
