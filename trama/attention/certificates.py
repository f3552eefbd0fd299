"""The certificate (attestato) of a training an antenna followed: in person or online, as a one-page PDF."""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from trama.pdf import add_fonts


def certificate(*, name: str, what: str, details: list[str], city: str) -> bytes:
    """A one-page A4 certificate: who, what she followed, when and where. The dates inside the file are fixed, so
    the same record prints the same file."""
    from fpdf import FPDF, XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
    add_fonts(pdf)
    title = _("Attestato di partecipazione")
    pdf.set_title(title)
    pdf.set_author("Trama")
    pdf.set_margins(25, 30)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 26)
    pdf.multi_cell(0, 14, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(14)
    pdf.set_font("DejaVu", "", 14)
    pdf.multi_cell(0, 8, _("Si attesta che"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 11, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 14)
    pdf.multi_cell(0, 8, what, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 12)
    for line in details:
        pdf.multi_cell(0, 7, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(16)
    pdf.set_font("DejaVu", "", 11)
    footer = _("Programma di welfare di comunità · %(city)s") % {"city": city} if city else _("Programma di welfare di comunità")
    pdf.multi_cell(0, 6, footer, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def attendance_certificate(attendance) -> bytes:
    """For an antenna marked present at an in-person session."""
    session = attendance.session
    module = session.module
    details = [
        _("il %(date)s") % {"date": timezone.localtime(session.starts_at).strftime("%d/%m/%Y")},
        _("durata: %(minutes)s minuti") % {"minutes": module.duration_minutes},
    ]
    if session.where:
        details.insert(1, _("presso %(place)s") % {"place": session.where})
    what = _("ha partecipato all'incontro di formazione «%(title)s»") % {"title": module.title}
    return certificate(name=str(attendance.antenna.account), what=what, details=details, city=str(module.city))


def online_certificate(completion, module) -> bytes:
    """For an account that completed an online module (`module` is the OnlineModule the completion names)."""
    details = [
        _("completato il %(date)s") % {"date": timezone.localtime(completion.completed_at).strftime("%d/%m/%Y")},
        _("durata: %(minutes)s minuti") % {"minutes": module.minutes},
    ]
    what = _("ha completato il modulo di formazione online «%(title)s»") % {"title": module.title}
    city = completion.account.city
    return certificate(name=str(completion.account), what=what, details=details, city=str(city) if city else "")
