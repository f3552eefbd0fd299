from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trama.access import neighbourhood_scope
from trama.background.progress import DONE, RUNNING, TaskProgress, progress_of, render_progress
from trama.initiatives.rules import INITIATIVES
from trama.people.rules import PEOPLE
from trama.permissions import permission_required
from trama.privacy import audit
from trama.privacy.suppression import threshold_for
from trama.shortcuts import form_errors_from, page_of, public_cache, render_page
from trama.spreadsheets import csv_dict_writer, csv_writer
from trama.territory.models import Neighbourhood
from trama.territory.queries import city_of, current_city, places_geojson, public_places
from trama.themes.models import Theme

from . import indicators, periods, queries, services, targets
from .forms import ReviewForm, StoryForm, TargetForm
from .models import Report, Review, Story, Target
from .reports import areas_of
from .rules import REVIEWS, STORIES, TARGETS
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
        **_dashboard_targets(request.user, city, period, areas),
    }
    return render(request, "insights/dashboard.html", context)


def _dashboard_targets(user, city, period, areas):
    """The progress towards the targets of the period's year in the dashboard's areas, by indicator, and a
    version of them for the cache of the cards (a target set or changed draws them again)."""
    if city is None or not areas:
        return {"targets": {}, "targets_version": ""}
    rows = list(TARGETS.visible_to(user).filter(city=city, year=period.year).select_related("neighbourhood"))
    by_item = {}
    for p in targets.progress(rows, city, areas):
        by_item.setdefault(p.item.key, []).append(p)
    version = ";".join(f"{t.pk}@{t.updated_at.isoformat()}" for t in sorted(rows, key=lambda t: t.pk))
    return {"targets": by_item, "targets_version": version}


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


# -- baselines and targets -------------------------------------------------------------------


def _target(request, pk, **kwargs):
    return get_object_or_404(Target.objects.select_related("neighbourhood"), pk=pk)


def _target_areas(city):
    """Every neighbourhood of the city on its own, and the whole city: the areas a target can be about."""
    return areas_of(city)


def target_progress(user, city, rows):
    """Progress of `rows` (targets `user` may see): a worker reads the whole city's figures with small counts hidden."""
    areas = _target_areas(city)
    in_scope = [t for t in rows if t.neighbourhood_id is not None or neighbourhood_scope(user) is None]
    outside = [t for t in rows if t not in in_scope]
    found = {p.target.pk: p for p in targets.progress(in_scope, city, areas)}
    found.update({p.target.pk: p for p in targets.progress(outside, city, areas, small=lambda item, number: targets.small_count(item, number, city))})
    return [found.get(t.pk) for t in rows]


def _target_year(request):
    text = (request.GET.get("anno") or "").strip()
    this_year = timezone.localdate().year
    if not text:
        return this_year
    last = this_year + 10
    if not (text.isdigit() and len(text) == 4 and periods.FIRST_YEAR <= int(text) <= last):
        raise ValueError(_("Anno non valido: scegli un anno tra il %(first)s e il %(last)s.") % {"first": periods.FIRST_YEAR, "last": last})
    return int(text)


@require_GET
@permission_required("insights.view_target")
def targets_list(request):
    city = city_of(request.user)
    try:
        year = _target_year(request)
    except ValueError as error:
        return _bad_request(request, str(error))
    key = request.GET.get("indicatore") or ""
    if key and key not in indicators.REGISTRY:
        return _bad_request(request, _("Indicatore non valido: scegline uno dall'elenco."))
    rows = TARGETS.visible_to(request.user).filter(city=city, year=year).select_related("neighbourhood")
    if key:
        rows = rows.filter(indicator=key)
    page = page_of(request, rows, 20)
    shown = list(page.object_list)
    context = {
        "page": page,
        "rows": list(zip(shown, target_progress(request.user, city, shown))),
        "year": year,
        "years": sorted({year, *range(timezone.localdate().year - 5, timezone.localdate().year + 3)}, reverse=True),
        "indicator_key": key,
        "indicators": indicators.by_goal(),
        "can_change": request.user.has_perm("insights.change_target"),
    }
    return render(request, "insights/targets.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("insights.change_target")
def target_create(request):
    city = city_of(request.user)
    if city is None:
        return _bad_request(request, _("Nessuna città configurata."))
    form = TargetForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        target = form.save(by=request.user)
        messages.success(request, _("Obiettivo salvato."))
        return redirect(reverse("insights:targets") + f"?anno={target.year}")
    return render_page(request, "insights/target_form.html", {"form": form}, form)


@require_http_methods(["GET", "POST"])
@permission_required("insights.change_target", get_object=_target)
def target_edit(request, pk, obj):
    form = TargetForm(request.POST or None, city=obj.city, instance=obj)
    if request.method == "POST" and form.is_valid():
        target = form.save(by=request.user)
        messages.success(request, _("Obiettivo aggiornato."))
        return redirect(reverse("insights:targets") + f"?anno={target.year}")
    return render_page(request, "insights/target_form.html", {"form": form, "object": obj}, form)


@require_http_methods(["GET", "POST"])
@permission_required("insights.change_target", get_object=_target)
def target_delete(request, pk, obj):
    if request.method == "POST":
        if request.POST.get("conferma") != "1":
            return _bad_request(request, _("Conferma di voler togliere l'obiettivo con il pulsante della pagina."))
        year = obj.year
        obj.delete()
        messages.success(request, _("Obiettivo tolto."))
        return redirect(reverse("insights:targets") + f"?anno={year}")
    item = indicators.REGISTRY.get(obj.indicator)
    return render(request, "insights/target_delete.html", {"target": obj, "item": item})


# -- stories of change -----------------------------------------------------------------------


def _story(request, pk, **kwargs):
    return get_object_or_404(Story.objects.select_related("neighbourhood", "organisation"), pk=pk)


def _story_form(request):
    user = request.user
    city = city_of(user)
    hoods = Neighbourhood.objects.filter(city=city).order_by("name")
    scope = neighbourhood_scope(user)
    is_partner = user.role == "partner"
    if scope is not None and not is_partner:
        hoods = hoods.filter(pk__in=scope)
    themes = Theme.objects.filter(city=city).exclude(name="").order_by("name")
    initiatives = INITIATIVES.visible_to(user).filter(city=city).order_by("name")
    people = None if is_partner else PEOPLE.visible_to(user).filter(neighbourhood__city=city).order_by("display_name", "pk")
    return StoryForm(request.POST or None, user=user, city=city, neighbourhoods=hoods, themes=themes, initiatives=initiatives, people=people)


@require_GET
@permission_required("insights.list_stories")
def stories(request):
    rows = STORIES.visible_to(request.user).select_related("neighbourhood")
    query = (request.GET.get("q") or "").strip()[:100]
    goal = request.GET.get("obiettivo") or ""
    if goal and goal not in indicators.GOALS:
        return _bad_request(request, _("Obiettivo non valido: scegline uno dall'elenco."))
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(what_changed__icontains=query) | Q(why_it_matters__icontains=query))
    if goal:
        rows = rows.filter(goals__contains=goal) if connection.vendor == "postgresql" else rows.filter(goals__icontains=f'"{goal}"')
    page = page_of(request, rows, 20)
    audit.record_page(request, Story, [s.pk for s in page.object_list], reason="storie di cambiamento")
    context = {"page": page, "query": query, "goal": goal, "goals": indicators.GOALS.items()}
    return render_page(request, "insights/stories.html", context, personal=True)


@require_http_methods(["GET", "POST"])
@permission_required("insights.add_story")
def story_create(request):
    form = _story_form(request)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
        organisation = None
        if request.user.role == "partner":
            organisation = request.user.organisations.filter(city=city_of(request.user)).order_by("pk").first()
            if organisation is None:
                form.add_error(None, _("Per raccontare una storia come partner devi far parte di un'organizzazione della città."))
                return render_page(request, "insights/story_form.html", {"form": form}, form)
        try:
            story = services.record_story(by=request.user, organisation=organisation, **data)
        except PermissionDenied as error:
            form.add_error("neighbourhood", str(error))
            return render_page(request, "insights/story_form.html", {"form": form}, form)
        audit.record_change(request, story, audit.Action.CREATE, reason="storia di cambiamento")
        messages.success(request, _("Storia registrata, con il consenso della persona."))
        return redirect("insights:story", story.pk)
    return render_page(request, "insights/story_form.html", {"form": form}, form)


@require_GET
@permission_required("insights.view_story", get_object=_story)
def story(request, pk, obj):
    audit.record_read(request, obj, reason="storia di cambiamento")
    context = {"story": obj, "themes": obj.themes.all(), "initiatives": obj.initiatives.all()}
    return render_page(request, "insights/story.html", context, personal=True)


@require_http_methods(["GET", "POST"])
@permission_required("insights.withdraw_story", get_object=_story)
def story_withdraw(request, pk, obj):
    """The person withdrew consent: after a confirmation, the story is erased from everything."""
    if request.method == "POST":
        if request.POST.get("conferma") != "1":
            return _bad_request(request, _("Conferma il ritiro del consenso con il pulsante della pagina."))
        audit.record_change(request, obj, audit.Action.DELETE, reason="consenso ritirato: storia cancellata")
        services.withdraw_consent(obj, by=request.user)
        messages.success(request, _("Consenso ritirato: la storia è stata cancellata e non compare più da nessuna parte."))
        return redirect("insights:stories")
    audit.record_read(request, obj, reason="storia di cambiamento: ritiro del consenso")
    return render_page(request, "insights/story_withdraw.html", {"story": obj}, personal=True)


# -- participatory reviews -------------------------------------------------------------------


def _review(request, pk, **kwargs):
    return get_object_or_404(Review.objects.select_related("neighbourhood", "meeting"), pk=pk)


@require_GET
@permission_required("insights.list_reviews")
def reviews_list(request):
    page = page_of(request, REVIEWS.visible_to(request.user).select_related("neighbourhood", "meeting"), 20)
    return render(request, "insights/reviews.html", {"page": page})


@require_http_methods(["GET", "POST"])
@permission_required("insights.add_review")
def review_create(request):
    user = request.user
    city = city_of(user)
    hoods = Neighbourhood.objects.filter(city=city).order_by("name")
    scope = neighbourhood_scope(user)
    if scope is not None:
        hoods = hoods.filter(pk__in=scope)
    chosen = STORIES.visible_to(user).filter(neighbourhood__in=hoods).select_related("neighbourhood").order_by("neighbourhood__name", "-created_at")
    form = ReviewForm(request.POST or None, neighbourhoods=hoods, stories=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.hold_review(by=user, **data)
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            audit.record_change(request, review, audit.Action.CREATE, reason="revisione partecipata")
            messages.success(request, _("Revisione registrata come incontro del tavolo di quartiere."))
            return redirect("insights:review", review.pk)
    return render_page(request, "insights/review_form.html", {"form": form}, form)


@require_GET
@permission_required("insights.view_review", get_object=_review)
def review(request, pk, obj):
    stories = list(obj.stories.all())
    audit.record_page(request, Story, [s.pk for s in stories], reason="storie scelte in una revisione")
    return render_page(request, "insights/review.html", {"review": obj, "stories": stories}, personal=bool(stories))
