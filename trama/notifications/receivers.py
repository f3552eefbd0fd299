"""What this app hears from below: sign-ins, and events of apps that cannot call `notify` (docs/architecture.md)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse

from trama.privacy.erasure import may_follow
from trama.privacy.signals import erasure_confirmed, export_ready

from .models import Kind
from .queries import unreachable_channels, unread_count
from .services import notify


@receiver(user_logged_in, dispatch_uid="notifications.count_at_sign_in")
def count_at_sign_in(sender, user, **kwargs):
    # Counted with the sign-in, so that the pages after it read the bell's count from the cache.
    unread_count(user, fresh=True)
    unreachable_channels(user, fresh=True)


@receiver(export_ready, dispatch_uid="notifications.export_ready")
def tell_export_ready(sender, export, **kwargs):
    # Only the account that asked may download the copy (privacy.exports.deliver).
    notify(Kind.EXPORT_READY, [export.requested_by], url=reverse("privacy:export", args=[export.token]), key=f"export-ready:{export.pk}")


@receiver(erasure_confirmed, dispatch_uid="notifications.erasure_confirmed")
def tell_erasure_confirmed(sender, erasure, by, **kwargs):
    # Who recorded the request follows it (privacy.erasure.may_follow); the coordinator who confirmed it knows.
    requester = erasure.requested_by
    if requester is not None and requester.pk != by.pk and may_follow(requester, erasure):
        notify(Kind.ERASURE_CONFIRMED, [requester], url=reverse("privacy:erasure", args=[erasure.pk]), key=f"{Kind.ERASURE_CONFIRMED}:{erasure.pk}")
