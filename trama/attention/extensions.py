"""What the attention network gives to other apps' extension points (`trama.extensions`), registered in
AttentionConfig.ready()."""

from trama import extensions


def signal_text(signal, city_id=None):
    """The fields of the themes app's copy of a signal's words; None once the signal is anonymised (what
    was noticed is gone: so is the copy)."""
    if signal.anonymised_at is not None:
        return None
    return {
        "city_id": signal.city_id,
        "text": signal.text,
        "neighbourhood_id": signal.neighbourhood_id,
        "person_id": signal.person_id,
        "written_at": signal.created_at,
    }


def encounter_text(encounter, city_id=None):
    """The fields of the themes app's copy of an encounter's notes (an encounter has its city through its
    neighbourhood: `city_id` saves reading it)."""
    if city_id is None:
        city_id = encounter.neighbourhood.city_id
    return {
        "city_id": city_id,
        "text": encounter.notes,
        "neighbourhood_id": encounter.neighbourhood_id,
        "person_id": encounter.person_id,
        "written_at": encounter.happened_at,
    }


def register():
    from .models import Encounter, Signal

    followed = (Signal.Status.NEW, Signal.Status.TAKEN_UP, Signal.Status.CONTACTED)
    extensions.text_sources.register("signal", extensions.TextSource("signal", Signal, signal_text, open_statuses=followed))
    extensions.text_sources.register("encounter", extensions.TextSource("encounter", Encounter, encounter_text, in_city="neighbourhood__city"))
    extensions.person_panels.register("attention", extensions.Panel("attention/_person_panel.html", order=20))
    extensions.service_worker_parts.register("attention", extensions.Panel("attention/sw_phone.js", order=10))
