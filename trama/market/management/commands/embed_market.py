"""Compute the meaning vectors that offers, needs, groups and activities lack (written in bulk, or before the
worker embedded them)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trama.market.tasks import embed_missing
from trama.territory.models import City
from trama.territory.queries import current_city


class Command(BaseCommand):
    help = _("Calcola il significato di offerte, richieste, gruppi e attività che non lo hanno ancora.")

    def add_arguments(self, parser):
        parser.add_argument("--city", help=_("slug della città; senza, quella configurata"))

    def handle(self, *args, **options):
        city = City.objects.filter(slug=options["city"]).first() if options["city"] else current_city()
        if city is None:
            raise CommandError(_("Nessuna città trovata."))
        for model, count in embed_missing(city).items():
            self.stdout.write(
                _("%(city)s, %(what)s: %(n)d con il significato calcolato.")
                % {"city": city.name, "what": model._meta.verbose_name_plural, "n": count}
            )
