from importlib import import_module

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trama.territory.demo import load_demo_territory
from trama.territory.models import Place

DEMO_APPS = ["market", "attention", "themes", "collective", "initiatives"]


class Command(BaseCommand):
    help = _("Carica la città dimostrativa e un account dimostrativo per ruolo (ripetibile: la seconda volta non cambia nulla).")

    def handle(self, *args, **options):
        # people depends on territory, never the other way: the project-level command joins them.
        from trama.people.demo import create_demo_accounts

        city = load_demo_territory()
        self.stdout.write(
            _("Città dimostrativa «%(city)s»: %(neighbourhoods)s quartieri, %(places)s luoghi.")
            % {
                "city": city.name,
                "neighbourhoods": city.neighbourhoods.count(),
                "places": Place.objects.filter(neighbourhood__city=city).count(),
            }
        )
        if city.neighbourhoods.filter(boundary_is_approximate=True).exists():
            self.stdout.write(_("I confini dei quartieri sono approssimativi: importa quelli reali con import_neighbourhoods."))
        accounts = create_demo_accounts(city)
        # Each app adds its own demo records (idempotent), in the order of their dependencies.
        summaries = []
        for app in DEMO_APPS:
            try:
                module = import_module(f"trama.{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"trama.{app}.demo":
                    raise
                continue
            summaries.append((module, module.load_demo(city)))
        # A later app's demo may add to an earlier app's records: an app with a summary() reports at the end.
        for module, summary in summaries:
            summary = module.summary(city) if hasattr(module, "summary") else summary
            if summary:
                self.stdout.write(str(summary))
        rows = [(_("utente"), _("ruolo"), _("password"))] + [tuple(row) for row in accounts]
        widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
