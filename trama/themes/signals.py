"""Keep the themes app's copy of needs, signals and encounters in step with them.

Connected in ThemesConfig.ready() through apps.get_model: themes reads those apps' records
and never writes them.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from .models import TextItem

SOURCES = {
    TextItem.Source.NEED: ("market", "Need"),
    TextItem.Source.SIGNAL: ("attention", "Signal"),
    TextItem.Source.ENCOUNTER: ("attention", "Encounter"),
}


def _saved(source):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:  # loading fixtures
            return
        from .services import sync_item

        sync_item(source, instance)

    return receiver


def _deleted(source):
    def receiver(sender, instance, **kwargs):
        from .services import forget_item

        forget_item(source, instance.pk)

    return receiver


def connect():
    for source, (app_label, model_name) in SOURCES.items():
        model = apps.get_model(app_label, model_name)
        post_save.connect(_saved(source), sender=model, weak=False, dispatch_uid=f"themes-sync-{source}")
        post_delete.connect(_deleted(source), sender=model, weak=False, dispatch_uid=f"themes-forget-{source}")
