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
