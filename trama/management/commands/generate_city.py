import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trama import synthetic
from trama.territory.demo import load_demo_territory
from trama.territory.queries import current_city

MAX_RESIDENTS = 5_000_000
MAX_YEARS = 20


class Command(BaseCommand):
    help = _(
        "Riempie il database con una città sintetica per le prove di carico: persone, organizzazioni, antenne, "
        "offerte, richieste, abbinamenti, contributi, segnalazioni, uscite e incontri (stesso seme, stessi dati)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=200_000, help=_("residenti della città"))
        parser.add_argument("--years", type=int, default=3, help=_("anni di attività del programma"))
        parser.add_argument("--seed", type=int, default=1, help=_("seme del generatore"))
        parser.add_argument(
            "--reference-date",
            default=None,
            help=_("ultimo giorno dei dati, AAAA-MM-GG (predefinito: %(date)s)") % {"date": synthetic.DEFAULT_REFERENCE_DATE.isoformat()},
        )
        parser.add_argument("--force", action="store_true", help=_("genera anche se il database contiene già dati reali (che non vengono toccati)"))

    def handle(self, *args, residents, years, seed, reference_date, force, **options):
        if not 1000 <= residents <= MAX_RESIDENTS:
            raise CommandError(_("I residenti devono essere tra 1.000 e %(max)s.") % {"max": number_format(MAX_RESIDENTS, force_grouping=True)})
        if not 1 <= years <= MAX_YEARS:
            raise CommandError(_("Gli anni devono essere tra 1 e %(max)s.") % {"max": MAX_YEARS})
        try:
            end = date.fromisoformat(reference_date) if reference_date else None
        except ValueError:
            raise CommandError(_("Data di riferimento non valida: usa il formato AAAA-MM-GG.")) from None
        if synthetic.real_data_exists() and not force:
            raise CommandError(
                _(
                    "Il database contiene già persone, segnalazioni o offerte reali: la città sintetica non viene generata. "
                    "Usa un database di prova, oppure --force per aggiungerla comunque."
                )
            )
        city = current_city() or load_demo_territory()
        if not city.neighbourhoods.exists():
            raise CommandError(_("La città «%(city)s» non ha quartieri.") % {"city": city.name})

        started = time.perf_counter()
        self.stdout.write(
            _("Città sintetica di %(residents)s residenti su %(years)s anni a «%(city)s» (seme %(seed)s)…")
            % {"residents": residents, "years": years, "city": city.name, "seed": seed}
        )
        counts = synthetic.generate_city(city, residents, years, seed, reference_date=end, log=self.stdout.write)
        self.stdout.write(
            _("Fatto in %(seconds).1f s: %(records)s record.") % {"seconds": time.perf_counter() - started, "records": sum(counts.values())}
        )
