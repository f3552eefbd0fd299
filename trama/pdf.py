"""What every PDF Trama writes shares: its fonts.

DejaVu Sans, which covers Italian and the scripts of the neighbourhood's languages, comes inside
matplotlib's package: nothing is fetched at run time.
"""


def font_dir():
    import matplotlib

    return f"{matplotlib.get_data_path()}/fonts/ttf"


def add_fonts(pdf):
    """DejaVu regular as "DejaVu" and bold as "DejaVu" style "B", on an fpdf2 document."""
    pdf.add_font("DejaVu", "", f"{font_dir()}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", f"{font_dir()}/DejaVuSans-Bold.ttf")


def download(pdf, filename):
    """An HTTP response that downloads the PDF's bytes as `filename`."""
    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def site_url(path):
    """The absolute address of a path on the public site (TRAMA_SITE_URL): what a printed QR code must carry, since
    paper outlives the request that printed it (a worker may print it from an internal address)."""
    from django.conf import settings

    return settings.TRAMA_SITE_URL.rstrip("/") + path


def qr_image(url):
    """The QR code of `url` as a grey image, one pixel a module (the PDF scales it without blurring), with the quiet
    zone. Grey rather than 1-bit: fpdf2 would store a 1-bit image in CCITT fax, which few readers of PDF decode."""
    import io

    import segno
    from PIL import Image

    out = io.BytesIO()
    segno.make(url, error="m", boost_error=False, micro=False).save(out, kind="png", scale=1, border=4)
    return Image.open(io.BytesIO(out.getvalue())).convert("L")


def poster(title, lines, url, phone, footer="", size="A4"):
    """A printable sheet (A4 poster or A6 card): a title, one idea a line, the QR code of `url` with the address
    written out below it (for whoever cannot scan), and the phone number of the community point in large type.

    Returns the PDF's bytes. The dates inside the file are fixed, so the same data print the same file."""
    from datetime import UTC, datetime

    from django.utils.translation import gettext as _
    from fpdf import FPDF, XPos, YPos

    small = size == "A6"
    pdf = FPDF(format=(105, 148) if small else "A4")  # fpdf2 knows A4 by name, not A6
    pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
    add_fonts(pdf)
    pdf.set_title(title)
    pdf.set_author("Trama")
    margin = 8 if small else 18
    pdf.set_margins(margin, margin)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 2 * margin

    pdf.set_font("DejaVu", "B", 16 if small else 34)
    pdf.multi_cell(0, 7 if small else 15, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2 if small else 6)
    pdf.set_font("DejaVu", "", 9 if small else 18)
    for line in lines:
        pdf.multi_cell(0, 4.5 if small else 9, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1 if small else 3)

    side = 38 if small else 90
    top = max(pdf.get_y() + 2, pdf.h - margin - side - (26 if small else 62))
    pdf.image(qr_image(url), x=margin, y=top, w=side, h=side, alt_text=_("Codice QR di %(url)s") % {"url": url})
    pdf.set_xy(margin, top + side + 1)
    pdf.set_font("DejaVu", "", 7 if small else 12)
    pdf.multi_cell(0, 3.5 if small else 6, url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if phone:
        x = margin + side + (4 if small else 10)
        pdf.set_xy(x, top + (4 if small else 12))
        pdf.set_font("DejaVu", "", 9 if small else 18)
        pdf.multi_cell(
            width - side - (4 if small else 10), 5 if small else 9, _("Oppure telefona al punto di comunità:"), new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        pdf.set_font("DejaVu", "B", 14 if small else 30)
        pdf.multi_cell(width - side - (4 if small else 10), 7 if small else 14, phone, new_x=XPos.LEFT, new_y=YPos.NEXT)
    if footer:
        pdf.set_xy(margin, pdf.h - margin - (5 if small else 8))
        pdf.set_font("DejaVu", "", 7 if small else 11)
        pdf.multi_cell(0, 3.5 if small else 5, footer, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
