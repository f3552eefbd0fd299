from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Need, Offer, OfferDeletions


@receiver(m2m_changed, sender=Offer.neighbourhoods.through)
def touch_offer_when_its_neighbourhoods_change(sender, instance, action, reverse, pk_set, **kwargs):
    # The ranking index notices changes through updated_at; M2M writes do not touch it by themselves.
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        Offer.objects.filter(pk__in=pk_set or ()).update(updated_at=timezone.now())
    else:
        Offer.objects.filter(pk=instance.pk).update(updated_at=timezone.now())


@receiver(post_delete, sender=Offer)
def count_a_deleted_offer(sender, instance, **kwargs):
    # In the deleting transaction: a deletion rolled back is not counted.
    OfferDeletions.objects.get_or_create(city_id=instance.city_id)
    OfferDeletions.objects.filter(city_id=instance.city_id).update(count=F("count") + 1)


@receiver(user_logged_in)
def claim_public_door_draft(sender, request, user, **kwargs):
    """A visitor who wrote at a public door and then registers (or signs in) finds it in the market.

    people's sign-in and registration cannot call the market (it is above them): Django's
    `user_logged_in` is how the market hears of it. Listed in docs/architecture.md, "Side effects of a save".
    """
    if request is None or not hasattr(request, "session"):
        return
    from .services import claim_draft

    made = claim_draft(request, user)
    if made is None:
        return
    if isinstance(made, Need):
        messages.success(request, _("La tua richiesta è nel mercato: un operatore del quartiere ti risponderà presto."))
    else:
        messages.success(request, _("La tua offerta è nel mercato: grazie!"))
