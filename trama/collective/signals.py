"""Keep suggestions fresh: a refresh is scheduled after needs, signals and encounters are saved."""

from django.db import transaction


def _city_of(instance):
    city_id = getattr(instance, "city_id", None)
    if city_id is None and getattr(instance, "neighbourhood_id", None):
        from trama.territory.models import Neighbourhood

        city_id = Neighbourhood.objects.filter(pk=instance.neighbourhood_id).values_list("city_id", flat=True).first()
    return city_id


def situation_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures
        return
    from .tasks import schedule_refresh

    city_id = _city_of(instance)
    transaction.on_commit(lambda: schedule_refresh(city_id))


def connect():
    from django.db.models.signals import post_delete, post_save

    from trama.attention.models import Encounter, Signal
    from trama.market.models import Need

    for model in (Need, Signal, Encounter):
        post_save.connect(situation_saved, sender=model, dispatch_uid=f"collective-refresh-{model._meta.label_lower}")
        post_delete.connect(situation_saved, sender=model, dispatch_uid=f"collective-refresh-del-{model._meta.label_lower}")
