import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama import extensions
from trama.access import neighbourhood_scope
from trama.background.progress import progress_of, render_progress
from trama.permissions import permission_required
from trama.privacy import audit
from trama.privacy.suppression import threshold_for
from trama.shortcuts import form_errors_from, page_of, render_page
from trama.territory.queries import city_of

from . import forms, queries, services
from .models import LIVE, DiscoveryRun, Tag, TextItem, Theme
from .rules import RUNS
from .tasks import discover_themes

PAGE_SIZE = 25


def _audit_items(request, items, reason):
    """One audit entry per page read: the ids of the texts shown (they may be tied to people)."""
    audit.record_page(request, TextItem, [item.pk for item in items], reason)


def _posted(request):
    """The POST data to bind a form to (even when empty: unticked boxes send nothing), or None."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, fallback):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# -- themes ---------------------------------------------------------------------------------


@permission_required("themes.list_themes")
def theme_list(request):
    city = city_of(request.user)
    archive = request.GET.get("archivio") == "1"
    statuses = (Theme.Status.MERGED, Theme.Status.RETIRED) if archive else LIVE
    themes = queries.themes_of(city, statuses) if city else Theme.objects.none()
    page = page_of(request, themes, PAGE_SIZE)
    for theme in page.object_list:
        theme.visible_size = queries.visible_size(request.user, theme.size)
    last_run = DiscoveryRun.objects.filter(city=city).first() if city else None
    return render(request, "themes/themes.html", {"page": page, "archive": archive, "last_run": last_run})


def _theme(request, pk, **kwargs):
    return get_object_or_404(Theme.objects.select_related("merged_into", "split_from", "named_by"), pk=pk)


@permission_required("themes.view_theme", get_object=_theme)
def theme_detail(request, pk, obj):
    user = request.user
    examples = queries.examples_for(user, obj)
    _audit_items(request, examples, "esempi del tema")
    months = queries.monthly_sizes(user, obj)
    rows = queries.by_neighbourhood(user, obj)
    map_counts = {str(r["neighbourhood"].pk): r["count"] for r in rows}
    totals = queries.city_totals(user, obj)
    return render_page(
        request,
        "themes/theme_detail.html",
        {
            "theme": obj,
            "size": queries.visible_size(user, totals["items"]),
            "examples": examples,
            "months": months,
            "rows": rows,
            "totals": totals,
            "map_counts": json.dumps(map_counts),
            "events": obj.events.select_related("by"),
            "categories": obj.categories.all(),
            "can_change": user.has_perm("themes.change_theme", obj) and obj.is_live,
            "is_coordinator": neighbourhood_scope(user) is None,
            "last_hidden": threshold_for(obj.city) - 1,
            "merged_themes": obj.merged_themes.all(),
            "split_themes": obj.split_themes.all(),
            "panels": extensions.panels(extensions.theme_panels),  # groups and initiatives of the theme
        },
        personal=True,
    )


@permission_required("themes.view_theme", get_object=_theme)
def theme_chart(request, pk, obj):
    from . import charts  # matplotlib is loaded only when a chart is drawn

    png = charts.monthly_chart(queries.monthly_sizes(request.user, obj), _("Testi per mese · %(theme)s") % {"theme": obj.label}, _("Nessun testo"))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("themes.view_theme", get_object=_theme)
def theme_items(request, pk, obj):
    items = queries.items_of_theme_for(request.user, obj)
    page = page_of(request, items, PAGE_SIZE)
    _audit_items(request, page.object_list, "testi del tema")
    return render_page(request, "themes/theme_items.html", {"theme": obj, "page": page}, personal=True)


def _theme_action(request, obj, form, action, template_context):
    """Run `action(data)` on a valid POST and go back to the theme; otherwise show the form page."""
    if request.method == "POST" and form.is_valid():
        try:
            target, message = action(form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, message)
            return redirect(target)
    return render_page(request, "themes/theme_form.html", {"theme": obj, "form": form, **template_context}, form)


@permission_required("themes.change_theme", get_object=_theme)
def theme_name(request, pk, obj):
    initial = {"name": obj.name or obj.suggested_name[:120], "description": obj.description}
    form = forms.NameForm(_posted(request), initial=initial)

    def action(data):
        services.name_theme(obj, data["name"], description=data["description"], by=request.user)
        return obj, _("Nome del tema salvato.")

    title = _("Dai un nome al tema") if obj.status == Theme.Status.CANDIDATE else _("Rinomina il tema")
    return _theme_action(request, obj, form, action, {"title": title, "submit": _("Salva il nome"), "action": "name"})


@permission_required("themes.change_theme", get_object=_theme)
def theme_merge(request, pk, obj):
    form = forms.MergeForm(_posted(request), theme=obj)

    def action(data):
        services.merge_themes(obj, data["other"], by=request.user)
        return obj, _("Temi uniti.")

    return _theme_action(
        request,
        obj,
        form,
        action,
        {
            "title": _("Unisci un altro tema a questo"),
            "submit": _("Unisci"),
            "action": "merge",
            "danger": True,
            "explanation": _("I testi dell'altro tema passano a «%(theme)s»; l'altro tema resta nella storia come unito.") % {"theme": obj.label},
        },
    )


@permission_required("themes.change_theme", get_object=_theme)
def theme_split(request, pk, obj):
    form = forms.SplitForm(_posted(request))

    def action(data):
        parts = services.split_theme(obj, by=request.user)
        return parts[0], _("Il tema è stato separato in due temi proposti: date loro un nome.")

    return _theme_action(
        request,
        obj,
        form,
        action,
        {
            "title": _("Separa il tema in due"),
            "submit": _("Separa"),
            "action": "split",
            "danger": True,
            "explanation": _("Il motore divide i testi del tema in due gruppi; ognuno diventa un tema proposto."),
        },
    )


@permission_required("themes.change_theme", get_object=_theme)
def theme_retire(request, pk, obj):
    form = forms.RetireForm(_posted(request))

    def action(data):
        services.retire_theme(obj, by=request.user, reason=data["reason"])
        return reverse("themes:themes"), _("Tema archiviato.")

    return _theme_action(
        request,
        obj,
        form,
        action,
        {
            "title": _("Archivia il tema"),
            "submit": _("Archivia"),
            "action": "retire",
            "danger": True,
            "explanation": _("Un tema archiviato non conta più negli indicatori; resta consultabile nell'archivio."),
        },
    )


@permission_required("themes.change_theme", get_object=_theme)
def theme_categories(request, pk, obj):
    initial = {"categories": obj.categories.all(), "outside": obj.outside_categories}
    form = forms.CategoriesForm(_posted(request), initial=initial)

    def action(data):
        services.set_categories(obj, data["categories"], outside=data["outside"], by=request.user)
        return obj, _("Categorie del tema aggiornate.")

    return _theme_action(
        request,
        obj,
        form,
        action,
        {
            "title": _("Il tema e le categorie tradizionali"),
            "submit": _("Salva"),
            "action": "categories",
        },
    )


# -- items and tags ---------------------------------------------------------------------------


def _item(request, pk, **kwargs):
    return get_object_or_404(TextItem.objects.select_related("neighbourhood", "person"), pk=pk)


@permission_required("themes.view_item", get_object=_item)
def item_detail(request, pk, obj):
    audit.record_read(request, obj, reason="temi di un testo")
    tags = obj.tags.select_related("theme", "set_by").order_by("rejected", "-confidence", "pk")
    can_tag = request.user.has_perm("themes.tag_item", obj)
    form = forms.TagForm(city_id=obj.city_id) if can_tag else None
    return render_page(request, "themes/item_detail.html", {"item": obj, "tags": tags, "form": form, "can_tag": can_tag}, personal=True)


@require_POST
@permission_required("themes.tag_item", get_object=_item)
def item_tag(request, pk, obj):
    form = forms.TagForm(request.POST, city_id=obj.city_id)
    if form.is_valid():
        try:
            services.add_tag(obj, form.cleaned_data["theme"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Tema aggiunto al testo."))
            return redirect(_safe_next(request, obj.get_absolute_url()))
    tags = obj.tags.select_related("theme", "set_by").order_by("rejected", "-confidence", "pk")
    return render_page(request, "themes/item_detail.html", {"item": obj, "tags": tags, "form": form, "can_tag": True}, form, personal=True)


@require_POST
@permission_required("themes.tag_item", get_object=_item)
def item_untag(request, pk, theme_pk, obj):
    tag = get_object_or_404(Tag, item=obj, theme_id=theme_pk)
    services.reject_tag(tag, by=request.user)
    messages.success(request, _("Tema tolto dal testo: le prossime ricerche non lo rimetteranno."))
    return redirect(_safe_next(request, obj.get_absolute_url()))


# -- discovery runs ---------------------------------------------------------------------------


@permission_required("themes.run_discovery")
def runs(request):
    user = request.user
    city = city_of(user)
    form = forms.RunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if city is None:
            form.add_error(None, _("Nessuna città configurata."))
        else:
            hoods = [] if neighbourhood_scope(user) is None else list(user.neighbourhoods.all())
            try:
                run = services.start_run(
                    city=city,
                    by=user,
                    since=data["since"],
                    until=data["until"],
                    requested_themes=data["requested_themes"],
                    seed=data["seed"],
                    neighbourhoods=hoods,
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                return redirect(run)
    recent = RUNS.visible_to(user).filter(city=city).select_related("requested_by") if city else DiscoveryRun.objects.none()
    return render_page(request, "themes/runs.html", {"form": form, "runs": recent[:20]}, form)


def _run(request, pk, **kwargs):
    return get_object_or_404(DiscoveryRun.objects.select_related("requested_by"), pk=pk)


@permission_required("themes.view_run", get_object=_run)
def run_detail(request, pk, obj):
    themes = obj.themes.filter(status__in=LIVE) if obj.status == DiscoveryRun.Status.DONE else []
    return render(request, "themes/run_detail.html", {"run": obj, "themes": themes, "progress": _run_progress(obj)})


@permission_required("themes.view_run", get_object=_run)
def run_progress(request, pk, obj):
    return render_progress(request, _run_progress(obj), {"run": obj})


def _run_progress(run):
    return progress_of(
        run,
        element_id="run-progress",
        poll_url=reverse("themes:run_progress", args=[run.pk]),
        label=_("Ricerca di temi"),
        failure=_("riprova più tardi o avvisa chi gestisce la piattaforma"),
        task=discover_themes,
        task_args=(run.pk,),
        retry_url=reverse("themes:runs"),
        result_template="themes/_run_result.html",
    )
