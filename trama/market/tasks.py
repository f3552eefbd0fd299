from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe

from . import meaning
from .models import Need, Offer


def _embed(model, pk, touch):
    record = model.objects.filter(pk=pk).first()
    if record is None:
        return False
    text = record.meaning_text
    vector = meaning.vectors_for([text])[0] if text else None
    current = model.objects.filter(pk=pk, **{name: getattr(record, name) for name in model.MEANING_FIELDS})
    changes = {"embedding": None if vector is None else meaning.to_bytes(vector), "embedding_model": meaning.MODEL_TAG if vector is not None else ""}
    if touch:
        changes["updated_at"] = timezone.now()  # so the ranking index re-reads the offer with its vector
    # Only if the text is still the one embedded: a newer text has its own task queued.
    return bool(current.update(**changes))


@task()
def embed_offer(offer_id):
    """Compute what an offer's title and description mean, for the ranking (market.meaning)."""
    return _embed(Offer, offer_id, touch=True)


@task()
def embed_need(need_id):
    """Compute what a need's text means, for the ranking (market.meaning)."""
    return _embed(Need, need_id, touch=False)


describe(embed_offer, _("Calcolo del significato di un'offerta"))
describe(embed_need, _("Calcolo del significato di una richiesta"))
