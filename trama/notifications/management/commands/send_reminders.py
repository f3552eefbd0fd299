from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trama.notifications.tasks import send_reminders


class Command(BaseCommand):
    help = _("Invia i promemoria delle scadenze (abbinamenti, incontri, accordi); da cron, una volta al giorno.")

    def add_arguments(self, parser):
        parser.add_argument("--in-background", action="store_true", help=_("Accoda il lavoro al worker invece di farlo subito."))

    def handle(self, *args, in_background=False, **options):
        if in_background:
            send_reminders.enqueue()
            self.stdout.write(_("Promemoria accodati."))
            return
        self.stdout.write(_("Promemoria inviati: %(n)d.") % {"n": send_reminders.call()})
