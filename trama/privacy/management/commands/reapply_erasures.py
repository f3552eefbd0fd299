"""`manage.py reapply_erasures`: erase again everyone of the ledger of erasures whom the database holds unerased.

`manage.py restore` does it by itself after restoring. Run it by hand when a backup of an older
release was restored: first `manage.py migrate`, then this.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trama.management.commands.restore import system_user
from trama.privacy import erasure


class Command(BaseCommand):
    help = _("Riapplica le cancellazioni del registro delle cancellazioni (dopo un ripristino da backup).")

    def add_arguments(self, parser):
        parser.add_argument("--operator", help=_("chi esegue il comando, per il registro accessi (predefinito: l'utente di sistema)"))

    def handle(self, *args, **options):
        operator = options["operator"] or system_user()
        erased = erasure.reapply_ledger(actor_label=f"{operator} (manage.py reapply_erasures)")
        self.stdout.write(_("Cancellazioni riapplicate: %(n)d.") % {"n": len(erased)})
