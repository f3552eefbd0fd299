from django.conf import settings
from django.utils.functional import SimpleLazyObject


def trama(request):
    from trama.territory.queries import current_city

    return {
        # Views that know their city pass their own; the header falls back to the configured one.
        "city": SimpleLazyObject(current_city),
        "TRAMA_TILE_URL": settings.TRAMA_TILE_URL,
        "TRAMA_TILE_ATTRIBUTION": settings.TRAMA_TILE_ATTRIBUTION,
    }
