"""The QR reader the poster tests decode with must itself read what segno writes, and refuse what it does not."""

import pytest

from trama.pdf import qr_image
from trama.tests.qr_reader import decode


def _pixels(url):
    image = qr_image(url)
    return [[image.getpixel((x, y)) for x in range(image.width)] for y in range(image.height)]


@pytest.mark.parametrize("length", [5, 30, 50, 70, 100, 110, 120])
def test_the_reader_decodes_versions_1_to_7(length):
    """Up to 122 bytes at level M: far more than TRAMA_SITE_URL and a path need."""
    url = ("https://trama.example/" + "abcdefghij" * 20)[:length]
    assert decode(_pixels(url)) == url


def test_the_reader_refuses_a_code_whose_format_was_damaged():
    pixels = _pixels("https://trama.example/")
    pixels[4 + 8][4 + 0] = 255 - pixels[4 + 8][4 + 0]  # the format's first bit: another level
    with pytest.raises(AssertionError):
        decode(pixels)
