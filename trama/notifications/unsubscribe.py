"""One-click unsubscribe (RFC 8058): a signed link per account and kind, opened without signing in.

The token names only an account id and a kind; its signature (SECRET_KEY, a salt of its own) makes it
unforgeable and its timestamp makes it expire after TRAMA_UNSUBSCRIBE_DAYS. Anyone holding the link can
only stop e-mails of that kind to that account, which is what the link is for.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from .models import Kind

SALT = "trama.notifications.unsubscribe"
# The digest's link stops the daily digest: every kind the account gets in it.
DIGEST = "digest"


class InvalidLink(Exception):
    """The link was altered, has expired, or its account no longer exists."""


def token_for(account, kind):
    return signing.dumps([account.pk, str(kind)], salt=SALT, compress=False)


def link_for(account, kind):
    """The absolute address of the unsubscribe page for `account` and `kind` (or DIGEST)."""
    return settings.TRAMA_SITE_URL.rstrip("/") + reverse("notifications:unsubscribe", args=[token_for(account, kind)])


def read_token(token):
    """(account, kind) from a token made by `token_for`; InvalidLink when it cannot be trusted any more."""
    try:
        account_id, kind = signing.loads(token, salt=SALT, max_age=settings.TRAMA_UNSUBSCRIBE_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError) as error:  # SignatureExpired is a BadSignature
        raise InvalidLink from error
    if kind != DIGEST and kind not in Kind.values:
        raise InvalidLink
    account = get_user_model().objects.filter(pk=account_id, is_active=True).first() if isinstance(account_id, int) else None
    if account is None:
        raise InvalidLink
    return account, kind
