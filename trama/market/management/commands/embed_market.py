"""Compute the meaning vectors that offers and needs lack (written in bulk, or before the worker embedded them)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trama.market.tasks import embed_missing
from trama.territory.models import City
from trama.territory.queries import current_city


class Command(BaseCommand):
    help = _("Calcola il significato delle offerte e delle richieste che non lo hanno ancora.")

    def add_arguments(self, parser):
        parser.add_argument("--city", help=_("slug della città; senza, quella configurata"))

    def handle(self, *args, **options):
        city = City.objects.filter(slug=options["city"]).first() if options["city"] else current_city()
        if city is None:
            raise CommandError(_("Nessuna città trovata."))
        offers, needs = embed_missing(city)
        self.stdout.write(_("%(city)s: %(o)d offerte e %(n)d richieste con il significato calcolato.") % {"city": city.name, "o": offers, "n": needs})
