"""What the market gives to other apps' extension points (`trama.extensions`), registered in MarketConfig.ready()."""

from trama import extensions


def need_text(need, city_id=None):
    """The fields of the themes app's copy of a need's words."""
    return {
        "city_id": need.city_id,
        "text": need.text,
        "neighbourhood_id": need.neighbourhood_id,
        "person_id": need.person_id,
        "written_at": need.created_at,
    }


def register():
    from . import services
    from .models import Need

    extensions.text_sources.register("need", extensions.TextSource("need", Need, need_text, open_statuses=(Need.Status.OPEN, Need.Status.BROKERING)))
    extensions.person_panels.register("market", extensions.Panel("market/_person_panel.html", order=10))
    # What a person needs or could give, said at an encounter, becomes a need or an offer.
    extensions.encounter_records.register("need", services.record_need)
    extensions.encounter_records.register("offer", services.record_offer)
