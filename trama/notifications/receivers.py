"""Events of apps below this one, which cannot call `notify` themselves (docs/architecture.md, the chain)."""

from django.dispatch import receiver
from django.urls import reverse

from trama.privacy.signals import export_ready

from .models import Kind
from .services import notify


@receiver(export_ready, dispatch_uid="notifications.export_ready")
def tell_export_ready(sender, export, **kwargs):
    # Only the account that asked may download the copy (privacy.exports.deliver).
    notify(Kind.EXPORT_READY, [export.requested_by], url=reverse("privacy:export", args=[export.token]),
           key=f"export-ready:{export.pk}")
