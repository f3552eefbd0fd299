"""The antenna's phone, installed as a web app that works with no connection (docs/security.md, "The antenna's phone").

What the phone keeps (signals written offline, the copy of her list) is encrypted with AES-GCM under a key the page
derives from a secret only a signed-in session of the antenna's account receives (`phone_secret`). The secret is
bound to the account and to its credentials: another account gets another one (the phone then discards what it
kept), and a changed password gives a new one. It is derived, not stored: nothing to keep in sync.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac

# Bootstrap Italia's primary blue: the bar of the installed app.
THEME_COLOUR = "#0066cc"


def phone_secret(user) -> dict[str, str]:
    """{"id", "key"}: the secret (256 bits, hex) for `user`'s phone, and a name for it that the page may keep in
    clear to tell whether what is stored on the phone belongs to the account now signed in."""
    secret = salted_hmac("trama.attention.phone", f"{user.pk}:{user.get_session_auth_hash()}", secret=settings.SECRET_KEY, algorithm="sha256")
    key = secret.hexdigest()
    return {"id": hmac.new(bytes.fromhex(key), b"name", hashlib.sha256).hexdigest()[:32], "key": key}
