from django.conf import settings
from django.utils.functional import SimpleLazyObject


def trama(request):
    from trama.territory.queries import city_of, current_city

    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        # Views that know their city pass their own; the header falls back to the account's city
        # (read with the account, no query of its own) or the configured one.
        "city": SimpleLazyObject(lambda: city_of(user) if signed_in else current_city()),
        "TRAMA_TILE_URL": settings.TRAMA_TILE_URL,
        "TRAMA_TILE_ATTRIBUTION": settings.TRAMA_TILE_ATTRIBUTION,
        # Each language named in itself, untranslated (get_available_languages would say "Inglese").
        "TRAMA_LANGUAGES": settings.LANGUAGES,
    }
