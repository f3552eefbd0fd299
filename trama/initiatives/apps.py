from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "trama.initiatives"
    verbose_name = _("Iniziative")

    def ready(self):
        from trama import extensions
        from trama.notifications.reminders import register

        from . import answers, reminders

        register(reminders.agreements_expiring)
        register(reminders.milestones_due)
        extensions.person_panels.register("initiatives", extensions.Panel("initiatives/_person_panel.html", order=50))
        extensions.theme_panels.register("initiatives", extensions.Panel("initiatives/_theme_panel.html", order=20))
        extensions.group_panels.register("initiatives", extensions.Panel("initiatives/_group_panel.html", order=10))
        extensions.decision_panels.register("initiatives", extensions.Panel("initiatives/_decision_actions.html", order=10))
        extensions.organisation_panels.register("initiatives", extensions.Panel("initiatives/_organisation_panel.html", order=10))
        answers.register()
