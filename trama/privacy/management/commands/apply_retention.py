from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trama.privacy import retention
from trama.privacy.registry import Erase
from trama.privacy.tasks import apply_retention


class Command(BaseCommand):
    help = _("Rende anonimi o cancella i dati personali conservati oltre il periodo dichiarato (docs/privacy.md).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("Dice che cosa andrebbe, senza cambiare nulla."))
        parser.add_argument("--in-background", action="store_true", help=_("Accoda il lavoro al worker invece di farlo subito."))

    def handle(self, *args, dry_run=False, in_background=False, **options):
        if in_background and not dry_run:
            apply_retention.enqueue()
            self.stdout.write(_("Conservazione accodata."))
            return
        outcomes = retention.apply_retention(dry_run=dry_run)
        if dry_run:
            self.stdout.write(_("Prova: nulla è stato cambiato. Ecco che cosa andrebbe:"))
        for outcome in outcomes:
            self.stdout.write(self.line(outcome, dry_run))

    def line(self, outcome, dry_run):
        values = {"what": outcome.what, "key": outcome.key, "count": outcome.count, "date": retention.day(outcome.before)}
        if outcome.action == Erase.ANONYMISE and dry_run:
            text = ngettext(
                "%(what)s (%(key)s): %(count)d riga da rendere anonima, con data anteriore al %(date)s",
                "%(what)s (%(key)s): %(count)d righe da rendere anonime, con data anteriore al %(date)s",
                outcome.count,
            )
        elif outcome.action == Erase.ANONYMISE:
            text = ngettext(
                "%(what)s (%(key)s): %(count)d riga resa anonima, con data anteriore al %(date)s",
                "%(what)s (%(key)s): %(count)d righe rese anonime, con data anteriore al %(date)s",
                outcome.count,
            )
        elif dry_run:
            text = ngettext(
                "%(what)s (%(key)s): %(count)d riga da cancellare, con data anteriore al %(date)s",
                "%(what)s (%(key)s): %(count)d righe da cancellare, con data anteriore al %(date)s",
                outcome.count,
            )
        else:
            text = ngettext(
                "%(what)s (%(key)s): %(count)d riga cancellata, con data anteriore al %(date)s",
                "%(what)s (%(key)s): %(count)d righe cancellate, con data anteriore al %(date)s",
                outcome.count,
            )
        return text % values
