from django.conf import settings


def trama(request):
    return {
        "TRAMA_TILE_URL": settings.TRAMA_TILE_URL,
        "TRAMA_TILE_ATTRIBUTION": settings.TRAMA_TILE_ATTRIBUTION,
    }
