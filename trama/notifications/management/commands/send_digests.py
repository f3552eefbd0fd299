from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trama.notifications.tasks import send_digests


class Command(BaseCommand):
    help = _("Invia a ogni account il riepilogo giornaliero delle notifiche; da cron, una volta al giorno.")

    def add_arguments(self, parser):
        parser.add_argument("--in-background", action="store_true", help=_("Accoda il lavoro al worker invece di farlo subito."))

    def handle(self, *args, in_background=False, **options):
        if in_background:
            send_digests.enqueue()
            self.stdout.write(_("Riepiloghi accodati."))
            return
        self.stdout.write(_("Riepiloghi inviati: %(n)d.") % {"n": send_digests.call()})
