from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trama.background.progress import DONE, RUNNING, TaskProgress, progress_of, render_progress
from trama.permissions import permission_required
from trama.privacy.suppression import threshold_for
from trama.shortcuts import public_cache
from trama.spreadsheets import csv_dict_writer, csv_writer
from trama.territory.queries import city_of, current_city, places_geojson, public_places

from . import indicators, periods, queries
from .models import Report
from .tasks import build_report


def _bad_request(request, message):
    return render(request, "insights/bad_request.html", {"message": message}, status=400)


def _period(request):
    text = request.GET.get("periodo")
    return periods.parse(text) if text is not None else periods.default()


def _year(request):
    text = (request.GET.get("anno") or "").strip()
    this_year = timezone.localdate().year
    if not text:
        return this_year
    try:
        period = periods.parse(text)
    except ValueError:
        period = None
    if period is None or period.kind != "year" or period.year > this_year:
        raise ValueError(_("Anno non valido: scegli un anno tra il %(first)s e il %(last)s.") % {"first": periods.FIRST_YEAR, "last": this_year})
    return period.year


def _map_indicator(request):
    key = request.GET.get("indicatore") or next(iter(indicators.REGISTRY))
    if key not in indicators.REGISTRY:
        raise ValueError(_("Indicatore non valido: scegline uno dall'elenco."))
    return indicators.REGISTRY[key]


@permission_required("insights.view_dashboard")
def dashboard(request):
    try:
        period = _period(request)
        shown = _map_indicator(request)
    except ValueError as error:
        return _bad_request(request, str(error))
    city = city_of(request.user)
    areas = queries.areas_for(request.user, city)
    goals, stored = queries.dashboard_and_time(city, period, areas) if areas else ([], None)
    context = {
        "period": period,
        "choices": periods.choices(),
        "areas": areas,
        "goals": goals,
        "figures": stored,
        "map_item": shown,
        "map_rows": queries.map_rows(city, shown, period, queries.neighbourhood_areas(request.user, city)),
        "indicators": indicators.by_goal(),
        "city": city,
        "progress": _figures_progress(request, refreshing=True) if stored and stored.refreshing else None,
    }
    return render(request, "insights/dashboard.html", context)


@require_GET
@permission_required("insights.view_dashboard")
def figures_progress(request):
    """Polled by the dashboard while its figures are computed again: "in corso" until the worker has stored them."""
    try:
        period = _period(request)
    except ValueError as error:
        return _bad_request(request, str(error))
    city = city_of(request.user)
    refreshing = queries.figures_refreshing(city, period, queries.areas_for(request.user, city))
    return render_progress(request, _figures_progress(request, refreshing), {"dashboard_url": _dashboard_url(request)})


def _dashboard_url(request):
    query = request.GET.urlencode()
    return reverse("insights:dashboard") + (f"?{query}" if query else "")


def _figures_progress(request, refreshing):
    query = request.GET.urlencode()
    # Nothing says how far the worker has got, nor whether it has started: "in corso" until it has stored them.
    return TaskProgress(
        element_id="figures-progress",
        poll_url=reverse("insights:figures_progress") + (f"?{query}" if query else ""),
        state=RUNNING if refreshing else DONE,
        label=_("Aggiornamento dei valori"),
        result_template="insights/_figures_result.html",
    )


def _indicator_and_period(request, key):
    item = indicators.REGISTRY.get(key)
    if item is None:
        raise Http404
    return item, _period(request)


@permission_required("insights.view_dashboard")
def chart(request, key):
    try:
        item, period = _indicator_and_period(request, key)
    except ValueError as error:
        return _bad_request(request, str(error))
    from . import charts  # matplotlib is loaded only when a chart is drawn

    city = city_of(request.user)
    areas = queries.areas_for(request.user, city)
    goals = queries.dashboard(city, period, areas, only={key})
    rows = goals[0][2][0][1] if goals else []
    png = charts.bar_chart(item, rows, f"{item.name} · {period.label}")
    return HttpResponse(png, content_type="image/png")


@permission_required("insights.view_dashboard")
def trend(request, key):
    """An indicator month by month: a fragment for the dashboard (HTMX), or a page of its own."""
    try:
        item, period = _indicator_and_period(request, key)
    except ValueError as error:
        return _bad_request(request, str(error))
    city = city_of(request.user)
    months, rows = queries.trend(city, item, period, queries.areas_for(request.user, city))
    table = [(month, [(area, values[index]) for area, values in rows]) for index, month in enumerate(months)]
    context = {"item": item, "period": period, "months": months, "areas": [area for area, _values in rows], "table": table}
    template = "insights/_trend.html" if request.htmx else "insights/trend.html"
    return render(request, template, context)


@permission_required("insights.view_dashboard")
def trend_chart(request, key):
    try:
        item, period = _indicator_and_period(request, key)
    except ValueError as error:
        return _bad_request(request, str(error))
    from . import charts

    city = city_of(request.user)
    months, rows = queries.trend(city, item, period, queries.areas_for(request.user, city))
    png = charts.line_chart(item, months, rows, f"{item.name} · {item.plotted_label}")
    return HttpResponse(png, content_type="image/png")


def open_data(request):
    try:
        year = _year(request)
    except ValueError as error:
        return _bad_request(request, str(error))
    city = current_city()
    this_year = timezone.localdate().year
    context = {
        "city": city,
        "year": year,
        "years": list(range(this_year, max(periods.FIRST_YEAR, this_year - 5) - 1, -1)),
        # Aggregates with small counts suppressed: kept for visitors not signed in (base.html), computed only when drawn.
        "tables": SimpleLazyObject(lambda: queries.open_counts(city, year)) if city else [],
        "last_hidden": threshold_for(city) - 1,
        "public_cache": public_cache(city),
    }
    return render(request, "insights/open_data.html", context)


def open_data_csv(request):
    try:
        year = _year(request)
    except ValueError as error:
        return _bad_request(request, str(error))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conteggi-{year}.csv"'
    writer = csv_writer(response)
    city = current_city()
    if city:
        writer.writerows(queries.open_counts_csv_rows(city, year))
    return response


def places(request):
    data = places_geojson(public_places(current_city()))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


def hsds_json(request):
    return JsonResponse(queries.hsds(current_city()), json_dumps_params={"ensure_ascii": False})


def hsds_csv(request, table):
    if table not in queries.HSDS_TABLES:
        raise Http404
    rows = queries.hsds(current_city())[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    if rows:
        writer = csv_dict_writer(response, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return response


# -- reports ---------------------------------------------------------------------------------


def _report(request, pk, **kwargs):
    return get_object_or_404(Report, pk=pk)


@permission_required("insights.request_report")
def reports(request):
    city = city_of(request.user)
    context = {
        "choices": periods.choices(),
        "period": periods.default(),
        "kinds": Report.Kind.choices,
        "reports": Report.objects.filter(city=city).select_related("requested_by")[:20] if city else [],
    }
    return render(request, "insights/reports.html", context)


@require_POST
@permission_required("insights.request_report")
def report_request(request):
    try:
        period = periods.parse(request.POST.get("periodo", ""))
    except ValueError as error:
        return _bad_request(request, str(error))
    kind = request.POST.get("tipo", "")
    if kind not in Report.Kind.values:
        return _bad_request(request, _("Formato non valido: scegli PDF o XLSX."))
    city = city_of(request.user)
    if city is None:
        return _bad_request(request, _("Nessuna città configurata."))
    report = Report.objects.create(city=city, period=period.param, kind=kind, requested_by=request.user)
    build_report.enqueue(report.pk)
    return redirect("insights:report", pk=report.pk)


@permission_required("insights.view_report", get_object=_report)
def report(request, pk, obj):
    return render(request, "insights/report.html", {"report": obj, "period": periods.parse(obj.period), "progress": _report_progress(obj)})


@permission_required("insights.view_report", get_object=_report)
def report_progress(request, pk, obj):
    return render_progress(request, _report_progress(obj), {"report": obj})


def _report_progress(report):
    return progress_of(
        report,
        element_id="report-progress",
        poll_url=reverse("insights:report_progress", args=[report.pk]),
        label=_("Preparazione del rapporto"),
        failure=_("riprova più tardi o avvisa chi gestisce la piattaforma"),
        task=build_report,
        task_args=(report.pk,),
        retry_url=reverse("insights:reports"),
        result_template="insights/_report_result.html",
    )


@permission_required("insights.view_report", get_object=_report)
def report_download(request, pk, obj):
    if obj.status != Report.Status.DONE or obj.content is None:
        raise Http404
    response = HttpResponse(bytes(obj.content), content_type=obj.content_type)
    response["Content-Disposition"] = f'attachment; filename="{obj.filename}"'
    return response
