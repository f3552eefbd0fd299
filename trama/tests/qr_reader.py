"""Reads back the QR code a printed PDF carries, with no decoder library: the image is taken out of the PDF, its
modules read, the format information, the mask and the codewords decoded as the standard (ISO/IEC 18004) lays them
out. Enough for what Trama prints: a clean image, one pixel a module, level M, versions 1 to 7, byte mode. It does not
correct errors (a printed-then-scanned code would need that; a rendered one has none), so a wrong bit fails loudly."""

import re
import zlib

# Level M: (blocks, data codewords per block) for versions 1-7, all blocks of one size up to version 7.
BLOCKS_M = {1: (1, 16), 2: (1, 28), 3: (1, 44), 4: (2, 32), 5: (2, 43), 6: (4, 27), 7: (4, 31)}
ALIGNMENT = {1: [], 2: [6, 18], 3: [6, 22], 4: [6, 26], 5: [6, 30], 6: [6, 34], 7: [6, 22, 38]}
MASKS = [
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
]


def images_in_pdf(pdf):
    """Each grey image XObject of the PDF as rows of pixel values (0 black, 255 white)."""
    images = []
    for found in re.finditer(rb"/Subtype /Image", pdf):
        start = pdf.rindex(b" obj", 0, found.start())
        stream = re.compile(rb">>\s*stream\r?\n").search(pdf, found.end())
        header = pdf[start : stream.start()]
        width = int(re.search(rb"/Width (\d+)", header).group(1))
        height = int(re.search(rb"/Height (\d+)", header).group(1))
        length = int(re.search(rb"/Length (\d+)", header).group(1))
        assert b"/DeviceGray" in header and b"/FlateDecode" in header, header
        raw = zlib.decompress(pdf[stream.end() : stream.end() + length])
        images.append(_unfilter_png(raw, width, height) if b"/Predictor 15" in header else _rows(raw, width, height))
    return images


def _rows(raw, width, height):
    return [list(raw[y * width : (y + 1) * width]) for y in range(height)]


def _unfilter_png(raw, width, height):
    """Undo the PNG predictors (one byte a pixel): each row starts with its filter type."""
    rows, previous = [], [0] * width
    for y in range(height):
        start = y * (width + 1)
        kind, line = raw[start], list(raw[start + 1 : start + 1 + width])
        for x in range(width):
            left = line[x - 1] if x else 0
            up, corner = previous[x], previous[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(line)
        previous = line
    return rows


def decode(pixels, border=4):
    """The text of the QR code in `pixels` (one pixel a module, `border` modules of quiet zone)."""
    n = len(pixels) - 2 * border
    version = (n - 17) // 4
    assert n == 17 + 4 * version and version in BLOCKS_M, f"unsupported size {n}"
    dark = [[pixels[border + r][border + c] < 128 for c in range(n)] for r in range(n)]

    # Format information, around the top-left finder, unmasked with the standard's pattern.
    cells = [(8, c) for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [(r, 8) for r in (7, 5, 4, 3, 2, 1, 0)]
    bits = int("".join("1" if dark[r][c] else "0" for r, c in cells), 2) ^ 0b101010000010010
    level, mask = bits >> 13, (bits >> 10) & 7
    assert level == 0, "level M expected"

    reserved = [[False] * n for _ in range(n)]

    def reserve(r0, c0, r1, c1):
        for r in range(max(r0, 0), min(r1, n)):
            for c in range(max(c0, 0), min(c1, n)):
                reserved[r][c] = True

    reserve(0, 0, 9, 9)
    reserve(0, n - 8, 9, n)
    reserve(n - 8, 0, n, 9)
    reserve(6, 0, 7, n)
    reserve(0, 6, n, 7)
    centres = ALIGNMENT[version]
    for r in centres:
        for c in centres:
            if not ((r == 6 and c == 6) or (r == 6 and c == centres[-1]) or (r == centres[-1] and c == 6)):
                reserve(r - 2, c - 2, r + 3, c + 3)
    if version >= 7:
        reserve(0, n - 11, 6, n - 8)
        reserve(n - 11, 0, n - 8, 6)

    # The data bits, two columns at a time from the right, up then down, skipping the timing column.
    stream = []
    column, upwards = n - 1, True
    while column > 0:
        if column == 6:
            column -= 1
        for step in range(n):
            r = n - 1 - step if upwards else step
            for c in (column, column - 1):
                if not reserved[r][c]:
                    stream.append(dark[r][c] ^ MASKS[mask](r, c))
        column -= 2
        upwards = not upwards
    codewords = [int("".join("1" if b else "0" for b in stream[i : i + 8]), 2) for i in range(0, len(stream) - 7, 8)]

    blocks, per_block = BLOCKS_M[version]
    data = [codewords[i * blocks + b] for b in range(blocks) for i in range(per_block)]
    bits = "".join(f"{word:08b}" for word in data)
    assert bits[:4] == "0100", f"byte mode expected, found {bits[:4]}"
    length = int(bits[4:12], 2)
    # ISO-8859-1 is the standard's default; segno writes text that fits it so, and no ECI header otherwise needed.
    return bytes(int(bits[12 + 8 * i : 20 + 8 * i], 2) for i in range(length)).decode("iso-8859-1")


def qr_in_pdf(pdf):
    """The text of the one QR code of a PDF printed by `trama.pdf.poster`."""
    (image,) = images_in_pdf(pdf)
    return decode(image)
