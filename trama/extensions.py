"""Extension points: where an app hears from the apps above it or beside it without naming them.

Dependencies point one way (docs/architecture.md), so themes may not import market or attention to read
their texts, nor people the apps whose panels its person page shows. Instead the apps that give
something register it here, in their `AppConfig.ready()` (as `admin.site.register` does), and the app
that uses it reads the registry when it needs it. This module sits below every app and imports none.

- `text_sources`: the records whose text themes copies (market's needs, attention's signals and
  encounters), each a `TextSource`; read by `themes.signals`, `themes.services` and
  `themes.personal_data`.
- `person_panels`, `theme_panels`, `group_panels`, `decision_panels`, `organisation_panels`, `need_panels`: the
  sections other apps add to a page of a lower app, each a `Panel`: a person's page
  (`people.views.person_detail`), a theme's (`themes.views.theme_detail`), a group's and the actions
  on each decision of a meeting (`collective.views.group_detail`, `meeting_detail`), an
  organisation's public page (`people.organisation_views.organisation_public`), a need's
  (`market.views.need_detail`).
- `service_worker_parts`: the scripts other apps add to the site's one service worker (`/sw.js`, served by
  `notifications.views.service_worker`), each a `Panel` whose template is JavaScript: attention's antenna
  phone with no connection.
- `encounter_records`: what an encounter may record besides its notes ("need", "offer": market's
  `record_need` and `record_offer`); read by `attention.services.record_encounter`, which keeps the
  words in the notes when nothing is registered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


class Registry:
    """Entries by key, in the order they were registered; `listen` hears of every entry, past and future."""

    def __init__(self, what):
        self.what = what
        self._entries = {}
        self._listeners = []

    def register(self, key, entry):
        """Add `entry` under `key`. Registering the same entry again does nothing; another one under a
        taken key is a configuration error (two apps would be giving the same thing)."""
        if key in self._entries:
            if self._entries[key] == entry:
                return
            raise ImproperlyConfigured(f"{self.what}: {key!r} is registered already")
        self._entries[key] = entry
        for listener in list(self._listeners):
            listener(key, entry)

    def listen(self, listener):
        """Call `listener(key, entry)` for every entry registered so far and every one registered later,
        so that the app listening need not be ready after the apps registering."""
        if listener not in self._listeners:
            self._listeners.append(listener)
            for key, entry in list(self._entries.items()):
                listener(key, entry)

    def get(self, key, default=None):
        return self._entries.get(key, default)

    def items(self):
        return list(self._entries.items())

    def __contains__(self, key):
        return key in self._entries

    def __iter__(self):
        return iter(list(self._entries))


@dataclass(frozen=True)
class TextSource:
    """A model whose records' text themes copies into a `TextItem` of source `kind`.

    `fields_of(record, city_id=None)` gives the copy's fields (city_id, text, neighbourhood_id,
    person_id, written_at), or None when the record must have no copy (an anonymised signal);
    `city_id` is the record's city when the caller knows it already (a bulk sync), to save a read.
    `in_city` is the lookup from the model to its city, for bulk syncs. A record whose `status` is in
    `open_statuses` is still followed: its copy does not expire before it (empty: the copy has its own
    clock only).
    """

    kind: str
    model: type
    fields_of: Callable
    in_city: str = "city"
    open_statuses: tuple = field(default=())


@dataclass(frozen=True)
class Panel:
    """A section of a page, drawn by including `template` with the page's own context; pages show their
    panels by ascending `order` (then by key), whatever order the apps were made ready in."""

    template: str
    order: int


def panels(registry):
    """The templates of `registry`'s panels, in the order the page shows them."""
    ordered = sorted(registry.items(), key=lambda item: (item[1].order, item[0]))
    return [panel.template for _key, panel in ordered]


text_sources = Registry("text source for themes")
person_panels = Registry("panel of the person page")
theme_panels = Registry("panel of the theme page")
group_panels = Registry("panel of the group page, for its staff")
decision_panels = Registry("actions on a decision of a meeting")
organisation_panels = Registry("panel of an organisation's public page")
need_panels = Registry("panel of a need's page")
encounter_records = Registry("what an encounter records")
service_worker_parts = Registry("part of the service worker")
