from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.people.models import Service

from .models import Need, Offer, OfferDeletions


@receiver(post_save, sender=Service)
def embed_a_saved_service(sender, instance, raw=False, **kwargs):
    """A service saved without a current meaning vector (new, or its text changed: people's Service.save
    emptied it) gets one from the task worker after the commit, as offers and needs do. people cannot
    name the market's task (it is above them): the market hears of the save."""
    from . import meaning

    if raw or instance.embedding_model == meaning.MODEL_TAG or not instance.meaning_text or not meaning.embed_on_save():
        return
    from .tasks import embed_service

    pk = instance.pk
    transaction.on_commit(lambda: embed_service.enqueue(pk))


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
