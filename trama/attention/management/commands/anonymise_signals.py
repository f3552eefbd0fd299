from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trama.attention.tasks import anonymise_old_signals, anonymise_signals_that_led_to_nothing, retention_days


class Command(BaseCommand):
    help = _("Anonimizza le segnalazioni chiuse senza contatto più vecchie del periodo di conservazione.")

    def add_arguments(self, parser):
        parser.add_argument("--in-background", action="store_true", help=_("Accoda il lavoro al worker invece di farlo subito."))

    def handle(self, *args, **options):
        if options["in_background"]:
            anonymise_old_signals.enqueue()
            self.stdout.write(_("Anonimizzazione accodata."))
            return
        count = anonymise_signals_that_led_to_nothing()
        self.stdout.write(_("%(count)d segnalazioni anonimizzate (conservazione: %(days)d giorni).") % {"count": count, "days": retention_days()})
