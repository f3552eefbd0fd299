from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe

from . import meaning
from .models import Need, Offer


def _embed(model, pk, touch):
    record = model.objects.filter(pk=pk).first()
    if record is None or not record.meaning_text:
        return False
    return bool(_store(model, record, meaning.vectors_for([record.meaning_text])[0], touch))


def embed_missing(city, batch_size=256):
    """Embed, in batches, the city's offers and needs without a current vector; returns (offers, needs) done."""
    done = []
    for model in (Offer, Need):
        count = 0
        missing = model.objects.filter(city=city).exclude(embedding_model=meaning.MODEL_TAG).order_by("pk")
        ids = list(missing.values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            records = list(model.objects.filter(pk__in=ids[start : start + batch_size]))
            vectors = meaning.vectors_for([r.meaning_text for r in records])
            for record, vector in zip(records, vectors, strict=True):
                count += _store(model, record, vector, touch=model is Offer)
        done.append(count)
    return tuple(done)


def _store(model, record, vector, touch):
    current = model.objects.filter(pk=record.pk, **{name: getattr(record, name) for name in model.MEANING_FIELDS})
    changes = {"embedding": meaning.to_bytes(vector), "embedding_model": meaning.MODEL_TAG}
    if touch:
        changes["updated_at"] = timezone.now()  # so the ranking index re-reads the offer with its vector
    # Only if the text is still the one embedded: a newer text has its own task queued.
    return current.update(**changes)


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
