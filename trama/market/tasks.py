from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama import embeddings
from trama.background.registry import describe

from . import meaning
from .models import Need, Offer


def embed_record(model, pk, touch=False):
    """Compute and store the meaning vector of one record of `model` (a MeaningMixin); False when it is
    gone, has no text, or its text changed meanwhile (a newer task is queued)."""
    record = model.objects.filter(pk=pk).first()
    if record is None or not record.meaning_text or not embeddings.covers(record.meaning_text):
        return False  # a script the model does not know would get a vector that says nothing
    return bool(_store(model, record, meaning.vectors_for([record.meaning_text])[0], touch))


def embed_missing(city, batch_size=256):
    """Embed, in batches, the city's records without a current vector (offers, needs, and the models other
    apps registered with meaning.register); returns {model: how many were done}."""
    done = {}
    for model, touch in meaning.embedded_models().items():
        count = 0
        # A model without a city of its own (people's services) names the way to it.
        missing = model.objects.filter(**{getattr(model, "MEANING_CITY", "city"): city}).exclude(embedding_model=meaning.MODEL_TAG).order_by("pk")
        ids = list(missing.values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            records = [r for r in model.objects.filter(pk__in=ids[start : start + batch_size]) if embeddings.covers(r.meaning_text)]
            vectors = meaning.vectors_for([r.meaning_text for r in records])
            for record, vector in zip(records, vectors, strict=True):
                count += _store(model, record, vector, touch=touch)
        done[model] = count
    return done


def _store(model, record, vector, touch):
    current = model.objects.filter(pk=record.pk, **{name: getattr(record, name) for name in model.MEANING_FIELDS})
    changes = {"embedding": meaning.to_bytes(vector), "embedding_model": meaning.MODEL_TAG}
    if touch:
        changes["updated_at"] = timezone.now()  # so the ranking index re-reads the offer with its vector
    # Only if the text is still the one embedded: a newer text has its own task queued.
    done = current.update(**changes)
    if done and not touch:
        from .answers import touch_sources_of

        touch_sources_of(model)  # update() sends no signal: the answers' index must hear of the vector
    return done


@task()
def embed_offer(offer_id):
    """Compute what an offer's title and description mean, for the ranking (market.meaning); then tell the
    workers of the old needs it answers strongly (answers.tell_old_needs_of_strong_offer)."""
    done = embed_record(Offer, offer_id, touch=True)
    offer = Offer.objects.filter(pk=offer_id, status=Offer.Status.OPEN).first() if done else None
    if offer is not None:
        from .answers import tell_old_needs_of_strong_offer

        tell_old_needs_of_strong_offer(offer)  # here, not in the request: it reads every open need of the city
    return done


@task()
def embed_need(need_id):
    """Compute what a need's text means, for the ranking (market.meaning)."""
    return embed_record(Need, need_id)


@task()
def embed_service(service_id):
    """Compute what an organisation's service means, for proposing it to needs (market.meaning)."""
    from trama.people.models import Service

    return embed_record(Service, service_id)


describe(embed_offer, _("Calcolo del significato di un'offerta"))
describe(embed_need, _("Calcolo del significato di una richiesta"))
describe(embed_service, _("Calcolo del significato di un servizio"))
