from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trama.privacy.records import records


class Command(BaseCommand):
    help = _("Scrive il registro dei trattamenti (art. 30 GDPR) dal registro dei dati personali: manage.py privacy_records > docs/privacy.md")

    def handle(self, *args, **options):
        self.stdout.write(records(), ending="")
