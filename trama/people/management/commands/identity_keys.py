"""Generate Trama's keys for SPID and CIE sign-in: the private key set for TRAMA_OIDC_KEYS_FILE (or, with
--federation, for TRAMA_FEDERATION_KEYS_FILE), and the public one to register with the federation (docs/deploy.md,
"SPID e CIE")."""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from joserfc.jwk import RSAKey


class Command(BaseCommand):
    help = (
        "Writes a new private key set (one key to sign, one to decrypt; with --federation, one key to sign the entity "
        "configuration) and prints its public part."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the private key set (it must not exist)")
        parser.add_argument("--federation", action="store_true", help="the OpenID Federation's key, apart from the OpenID Connect keys")

    def handle(self, path, federation=False, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists: keys are not overwritten (the federation knows the old ones).")
        keys = [RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)]
        if not federation:
            keys.append(RSAKey.generate_key(2048, parameters={"use": "enc", "alg": "RSA-OAEP-256"}, auto_kid=True))
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump({"keys": [key.as_dict(private=True) for key in keys]}, file)
        self.stdout.write(json.dumps({"keys": [key.as_dict(private=False) for key in keys]}, indent=2))
