"""For the web push tests: a VAPID key pair made for the test, and a browser's subscription keys."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_raw(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def switch_push_on(settings):
    """Push switched on with a key pair of this test's own (never a committed key); returns the public key."""
    key = ec.generate_private_key(ec.SECP256R1())
    settings.TRAMA_VAPID_PRIVATE_KEY = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.TRAMA_VAPID_PUBLIC_KEY = b64url(public_raw(key))
    settings.TRAMA_VAPID_SUBJECT = "mailto:trama@example.org"
    return settings.TRAMA_VAPID_PUBLIC_KEY


class Browser:
    """A browser's side of a subscription: its private key and auth secret, and what it gives the server."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        self.p256dh = b64url(public_raw(self.key))

    def subscription(self, endpoint="https://fcm.googleapis.com/fcm/send/abc123"):
        return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)}}
