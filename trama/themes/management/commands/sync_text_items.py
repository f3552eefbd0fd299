"""Bring the themes app's text items in line with needs, signals and encounters (after bulk imports)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trama.territory.models import City
from trama.territory.queries import current_city
from trama.themes.services import sync_text_items


class Command(BaseCommand):
    help = _("Allinea i testi letti dalla ricerca di temi con richieste, segnalazioni e incontri della città.")

    def add_arguments(self, parser):
        parser.add_argument("--city", help=_("slug della città; senza, quella configurata"))

    def handle(self, *args, **options):
        city = City.objects.filter(slug=options["city"]).first() if options["city"] else current_city()
        if city is None:
            raise CommandError(_("Nessuna città trovata."))
        created, updated, deleted = sync_text_items(city)
        self.stdout.write(
            _("%(city)s: %(c)d testi aggiunti, %(u)d aggiornati, %(d)d tolti.") % {"city": city.name, "c": created, "u": updated, "d": deleted}
        )
