"""Keep the themes app's copy of needs, signals and encounters in step with them.

The models come from `trama.extensions.text_sources`, where the apps that own them register them in
their own AppConfig.ready(); ThemesConfig.ready() listens to that registry and connects a receiver to
each source as it is registered. themes reads those apps' records and never writes them.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_delete, post_save

from .models import Tag, TextItem, Theme, TraditionalCategory


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


def connect_source(kind, source):
    """Copy the texts of a registered `TextSource` on every save and forget them on every deletion."""
    if kind not in TextItem.Source.values or source.kind != kind:
        raise ImproperlyConfigured(f"{kind!r} is not a source of text items")
    post_save.connect(_saved(kind), sender=source.model, weak=False, dispatch_uid=f"themes-sync-{kind}")
    post_delete.connect(_deleted(kind), sender=source.model, weak=False, dispatch_uid=f"themes-forget-{kind}")


def connect_theme_figures():
    """What the theme page's kept figures count (queries._kept): a save or deletion forgets them in this process."""
    from django.db.models.signals import m2m_changed

    from trama.people.models import Person

    from .queries import forget_theme_figures

    for model in (Tag, TextItem, Theme, TraditionalCategory, Person):
        post_save.connect(forget_theme_figures, sender=model, weak=False, dispatch_uid=f"themes-figures-save-{model._meta.label}")
        post_delete.connect(forget_theme_figures, sender=model, weak=False, dispatch_uid=f"themes-figures-delete-{model._meta.label}")
    m2m_changed.connect(forget_theme_figures, sender=Theme.categories.through, weak=False, dispatch_uid="themes-figures-categories")
