import base64

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from py_vapid import Vapid


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Command(BaseCommand):
    help = _("Genera una coppia di chiavi VAPID per gli avvisi sul telefono, da mettere nell'ambiente (mai nel repository).")

    def handle(self, *args, **options):
        vapid = Vapid()
        vapid.generate_keys()
        private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.stdout.write(f"TRAMA_VAPID_PRIVATE_KEY={_b64url(private)}")
        self.stdout.write(f"TRAMA_VAPID_PUBLIC_KEY={_b64url(public)}")
