"""Reports of the indicators for a period: an XLSX workbook and a PDF, built in the background.

A report shows what the coordinators see on the dashboard, for their whole city and
in full (the dashboard suppresses nothing for them): every indicator for each
neighbourhood and for the whole city, month by month and for the whole period, with
its trend (line charts in the PDF, a sheet of monthly values with charts in the XLSX). The
numbers depend only on the records and the period, so a closed period gives the same
numbers every time it is built.
"""

import io
import zipfile
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.writer.excel import ExcelWriter

from trama.pdf import add_fonts
from trama.privacy.suppression import threshold_for
from trama.spreadsheets import protect_workbook
from trama.territory.queries import neighbourhoods_of

from . import figures, indicators, targets
from .indicators import Area
from .models import Review, Target
from .periods import months_of, parse


def areas_of(city):
    """Each neighbourhood of the city on its own, then the whole city."""
    neighbourhoods = list(neighbourhoods_of(city))
    areas = [Area(f"q{n.pk}", n.name, frozenset([n.pk]), n.population, n.is_pilot) for n in neighbourhoods]
    if neighbourhoods:
        values = [n.population for n in neighbourhoods]
        population = sum(values) if None not in values else None
        areas.append(Area("city", _("Tutta la città"), frozenset(n.pk for n in neighbourhoods), population))
    return areas


def selected_stories(city, period):
    """[(review, [story])]: the participatory reviews of `city` that discussed figures of `period` (their periods
    overlap), each with the stories its table selected. Only selected stories are ever in a report: they exist
    only with the person's consent (withdrawn, they are erased) and were checked for personal details."""
    reviews = Review.objects.filter(city=city).select_related("neighbourhood", "meeting").prefetch_related("stories")
    out = []
    for review in reviews.order_by("neighbourhood__name", "meeting__starts_at", "pk"):
        discussed = parse(review.period)
        if discussed.start < period.end and period.start < discussed.end:
            out.append((review, sorted(review.stories.all(), key=lambda story: story.pk)))
    return out


def collect(city, period, progress=lambda share: None):
    """{"areas", "columns": [Period], "values": {period param: {indicator: {area: Value}}}}.

    The columns are the months of the period and, for a quarter or a year, the whole
    period. `progress` is called with the share done (0-1) after each column.
    """
    areas = areas_of(city)
    columns = months_of(period)
    if period.kind != "month":
        columns.append(period)
    items = list(indicators.in_order())
    values = {}
    for index, column in enumerate(columns, start=1):
        values[column.param] = figures.evaluate(items, city, column, areas) if areas else {}
        progress(index / len(columns))
    return {
        "areas": areas,
        "columns": columns,
        "values": values,
        "period": period,
        "city": city,
        "reviews": selected_stories(city, period),
        "progress": targets.progress(list(Target.objects.filter(city=city, year=period.year).select_related("neighbourhood")), city, areas),
    }


def months(data):
    """The months of the report's period (its columns without the whole period)."""
    return [column for column in data["columns"] if column.kind == "month"]


def trend_areas(data):
    """The areas a trend chart draws: the pilot neighbourhoods and the whole city (all of them when there is no pilot)."""
    areas = data["areas"]
    chosen = [a for a in areas if a.is_pilot or a.key == "city"]
    return chosen if len(chosen) > 1 else areas


def trend_rows(data, item, areas):
    """[(area, [Value per month])] of `item` over the months of the report."""
    return [(area, [data["values"][m.param][item.key][area.key] for m in months(data)]) for area in areas]


def has_data(data, item):
    return any(data["values"][c.param][item.key][a.key].has_data for c in data["columns"] for a in data["areas"])


def cell_number(item, value):
    """The number written in a spreadsheet cell: None without data, shares as fractions."""
    if not value.has_data:
        return None
    number = value.value
    if item.unit in ("count", "people"):
        return int(number)
    return round(float(number), 4)


def suppression_note(city):
    return _(
        "Nei dati aperti i conteggi da 1 a %(last)s sono nascosti (e, dove serve, altri conteggi perché i primi "
        "non si possano ricavare dai totali). Questo rapporto è riservato ai coordinatori e, come la loro "
        "dashboard, mostra i valori della città per intero: non va pubblicato così com'è."
    ) % {"last": threshold_for(city) - 1}


# -- XLSX -----------------------------------------------------------------------------------

# How a spreadsheet shows each unit: the number stays a number, the reader's spreadsheet writes it
# with its language's separators ("€ 1.234,50" in Italian), shares as percentages.
NUMBER_FORMATS = {"eur": '"€" #,##0.00', "share": "0.0%", "hours": "#,##0.0", "days": "0.0", "ratio": "0.00", "count": "#,##0", "people": "#,##0"}
RATE_FORMAT = "0.00"


def build_xlsx(data):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    header = [_("Codice"), _("Indicatore"), _("Area"), _("Periodo"), _("Valore"), _("Unità"), _("Per 1.000 residenti"), _("Nota")]
    for goal, label, items in indicators.by_goal():
        sheet = workbook.create_sheet(goal)
        sheet.append([f"{goal} · {label}"])
        sheet["A1"].font = bold
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = bold
        for item in items:
            for column in data["columns"]:
                results = data["values"][column.param].get(item.key, {})
                for area in data["areas"]:
                    value = results[area.key]
                    rate = round(value.per_1000, 4) if value.per_1000 is not None else None
                    unit = _("frazione (0-1)") if item.unit == "share" else str(item.unit_label)
                    sheet.append(
                        [item.key, str(item.name), str(area.label), column.label, cell_number(item, value), unit, rate, str(value.reason) or None]
                    )
                    sheet.cell(sheet.max_row, 5).number_format = NUMBER_FORMATS[item.unit]
                    sheet.cell(sheet.max_row, 7).number_format = RATE_FORMAT
        sheet.freeze_panes = "A3"
        for letter, width in zip("ABCDEFGH", (22, 44, 24, 10, 12, 18, 18, 50)):
            sheet.column_dimensions[letter].width = width

    _trend_sheet(workbook, data, bold)

    notes = workbook.create_sheet(_("Note"))
    notes.append([_("Rapporto degli indicatori"), data["city"].name, data["period"].label])
    notes["A1"].font = bold
    notes.append([_("Soppressione"), suppression_note(data["city"])])
    notes.append([])
    notes.append([_("Codice"), _("Obiettivo"), _("Indicatore"), _("Definizione"), _("Unità")])
    for cell in notes[4]:
        cell.font = bold
    for item in indicators.in_order():
        notes.append([item.key, item.goal, str(item.name), str(item.definition), str(item.unit_label)])
    for letter, width in zip("ABCDE", (22, 12, 44, 90, 16)):
        notes.column_dimensions[letter].width = width

    # Fixed metadata, so that the same period gives the same workbook.
    workbook.properties.creator = "Trama"
    workbook.properties.created = workbook.properties.modified = datetime(2000, 1, 1)
    # Workbook.save stamps the time of saving; ExcelWriter keeps the properties set above.
    protect_workbook(workbook)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def _trend_sheet(workbook, data, bold):
    """Each indicator month by month, one column per area, with a line chart beside it."""
    from openpyxl.chart import LineChart, Reference

    sheet = workbook.create_sheet(_("Andamento"))
    sheet.append(
        [_("Andamento mese per mese: per gli indicatori con un valore per 1.000 residenti si mostra quello; le percentuali sono frazioni (0-1).")]
    )
    sheet["A1"].font = bold
    row = 3
    columns = len(data["areas"]) + 1
    for item in indicators.in_order():
        sheet.cell(row, 1, f"{item.key} · {item.name}").font = bold
        sheet.cell(row, 2 + len(data["areas"]), str(item.plotted_label))
        header = row + 1
        sheet.cell(header, 1, _("Mese")).font = bold
        for index, area in enumerate(data["areas"], start=2):
            sheet.cell(header, index, str(area.label)).font = bold
        for offset, month in enumerate(months(data), start=1):
            sheet.cell(header + offset, 1, month.label)
            for index, area in enumerate(data["areas"], start=2):
                value = data["values"][month.param][item.key][area.key]
                if item.per_1000:
                    number = round(value.per_1000, 4) if value.per_1000 is not None else None
                else:
                    number = cell_number(item, value)
                sheet.cell(header + offset, index, number).number_format = RATE_FORMAT if item.per_1000 else NUMBER_FORMATS[item.unit]
        last = header + len(months(data))
        if len(months(data)) > 1 and has_data(data, item):
            chart = LineChart()
            chart.title = str(item.name)
            chart.height, chart.width = 7, 16
            chart.y_axis.title = str(item.plotted_label)
            chart.add_data(Reference(sheet, min_col=2, max_col=columns, min_row=header, max_row=last), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
            sheet.add_chart(chart, sheet.cell(row, columns + 3).coordinate)
        row = max(last + 2, row + 16)
    sheet.column_dimensions["A"].width = 24


# -- PDF ------------------------------------------------------------------------------------


def build_pdf(data, progress=lambda share: None):
    from fpdf import FPDF, XPos, YPos

    from . import charts

    period, city, areas = data["period"], data["city"], data["areas"]
    whole = data["values"][period.param]

    pdf = FPDF(format="A4")
    pdf.set_creation_date(timezone.make_aware(datetime(2000, 1, 1)))
    add_fonts(pdf)
    pdf.set_title(_("Indicatori del programma") + f" · {period.label}")
    pdf.set_author("Trama")
    pdf.set_auto_page_break(True, margin=15)

    def heading(text, size=16):
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def paragraph(text, size=10):
        pdf.set_font("DejaVu", "", size)
        pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def table(rows, widths):
        pdf.set_font("DejaVu", "", 9)
        with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=True) as grid:
            for row in rows:
                line = grid.row()
                for text in row:
                    line.cell(str(text))

    # Cover
    pdf.add_page()
    pdf.ln(60)
    heading(_("Indicatori del programma"), 24)
    heading(city.name, 16)
    paragraph(_("Periodo: %(period)s") % {"period": period.label}, 12)
    paragraph(_("Documento riservato ai coordinatori del programma."), 10)

    # Summary: the whole city, each indicator, the whole period
    pdf.add_page()
    heading(_("Sintesi"))
    paragraph(_("Valori di tutta la città per %(period)s. Le pagine seguenti li mostrano quartiere per quartiere.") % {"period": period.label})
    rows = [(_("Obiettivo"), _("Indicatore"), _("Valore"))]
    for item in indicators.in_order():
        value = whole.get(item.key, {}).get("city")
        rows.append((item.goal, str(item.name), item.display(value.value) if value else "–"))
    table(rows, (18, 110, 52))

    # Targets: where each indicator started, where it is, where it should get to
    if data.get("progress"):
        pdf.ln(4)
        heading(_("Verso gli obiettivi del %(year)s") % {"year": period.year}, 12)
        paragraph(
            _(
                "Per ogni obiettivo fissato: il punto di partenza, il valore dell'anno finora e l'obiettivo; la percentuale "
                "dice quanta strada è stata fatta dal punto di partenza all'obiettivo."
            ),
            9,
        )
        rows = [(_("Indicatore"), _("Area"), _("Avanzamento"), _("Punto di partenza"))]
        rows += [(str(p.item.name), p.area_label, f"{p.sentence} ({p.state})", p.baseline_source) for p in data["progress"]]
        table(rows, (50, 30, 65, 35))

    # The stories the neighbourhood tables selected, beside the numbers
    reviews = data.get("reviews") or []
    if any(stories for _review, stories in reviews) or any(review.comments for review, _stories in reviews):
        pdf.add_page()
        heading(_("Le storie scelte dai tavoli di quartiere"))
        paragraph(
            _(
                "Storie di cambiamento raccolte con il consenso delle persone, senza nomi, e scelte come le più "
                "significative dai tavoli di quartiere nella revisione partecipata; con i commenti dei tavoli sui numeri."
            ),
            9,
        )
        for review, stories in reviews:
            heading(f"{review.neighbourhood.name} · {review.meeting.title} · {review.meeting.starts_at:%d/%m/%Y}", 12)
            if review.comments:
                paragraph(_("Commenti sui numeri di %(period)s: %(text)s") % {"period": review.period_label, "text": review.comments})
            for story in stories:
                pdf.set_font("DejaVu", "B", 10)
                pdf.multi_cell(0, 5, story.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                paragraph(_("Che cosa è cambiato: %(text)s") % {"text": story.what_changed}, 9)
                paragraph(_("Per chi: %(text)s") % {"text": story.for_whom}, 9)
                paragraph(_("Perché è importante: %(text)s") % {"text": story.why_it_matters}, 9)
                if story.goal_labels:
                    paragraph(_("Obiettivi: %(goals)s") % {"goals": "; ".join(story.goal_labels)}, 9)

    # One page per goal
    goals = indicators.by_goal()
    for index, (goal, label, items) in enumerate(goals, start=1):
        pdf.add_page()
        heading(f"{goal} · {label}")
        shown = next((i for i in items if any(whole[i.key][a.key].has_data for a in areas)), items[0]) if areas else None
        if shown is not None:
            rows_of = [(area, whole[shown.key][area.key]) for area in areas]
            png = charts.bar_chart(shown, rows_of, f"{shown.name} · {period.label}")
            pdf.image(io.BytesIO(png), w=150)
            pdf.ln(2)
        rows = [(_("Indicatore"), _("Area"), _("Valore"))]
        for item in items:
            for area in areas:
                value = whole[item.key][area.key]
                rows.append((str(item.name), str(area.label), item.display(value.value)))
        table(rows, (90, 50, 40))
        told = [story for _review, stories in reviews for story in stories if goal in story.goals]
        if told:
            pdf.ln(2)
            heading(_("Storie di cambiamento legate a questo obiettivo"), 11)
            paragraph("; ".join(dict.fromkeys(story.title for story in told)), 9)
        if len(months(data)) > 1:
            drawn = [item for item in items if has_data(data, item)]
            if drawn:
                pdf.ln(4)
                heading(_("Andamento mese per mese"), 12)
                paragraph(
                    _(
                        "I quartieri in sperimentazione e tutta la città; per gli indicatori con un valore per 1.000 "
                        "residenti si mostra quello. I valori sono nel foglio di calcolo del rapporto."
                    ),
                    9,
                )
            for item in drawn:
                png = charts.line_chart(item, months(data), trend_rows(data, item, trend_areas(data)), f"{item.name} · {item.plotted_label}")
                pdf.image(io.BytesIO(png), w=150)
                pdf.ln(2)
        progress(index / len(goals))

    # Methodological notes
    pdf.add_page()
    heading(_("Note metodologiche"))
    paragraph(
        _(
            "Periodi: un mese, un trimestre o un anno di calendario; le date di inizio sono incluse, quelle di fine "
            "escluse. Ogni valore è calcolato dai registri della piattaforma, per quartiere e per tutta la città."
        )
    )
    heading(_("Riservatezza dei conteggi"), 12)
    paragraph(suppression_note(city))
    heading(_("Definizioni"), 12)
    for item in indicators.in_order():
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 5, new_x=XPos.LMARGIN, new_y=YPos.NEXT, text=f"{item.goal} · {item.name} ({item.unit_label})")
        paragraph(str(item.definition), 9)
    return bytes(pdf.output())
