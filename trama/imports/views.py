from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trama.access import COORDINATOR, role_of
from trama.permissions import permission_required
from trama.shortcuts import page_of
from trama.territory.queries import city_of

from . import files, services
from .forms import ImportForm
from .models import Import
from .resources import RESOURCES


def _import(request, pk, **kwargs):
    return get_object_or_404(Import.objects.select_related("requested_by"), pk=pk)


def _visible(user):
    runs = Import.objects.filter(city=city_of(user)).select_related("requested_by").defer("content", "rows")
    return runs if role_of(user) == COORDINATOR else runs.filter(requested_by=user)


def _page(request, form, status=200, **context):
    columns = {kind: resource.required for kind, resource in RESOURCES.items()}
    return render(request, "imports/index.html", {"form": form, "runs": _visible(request.user)[:20], "columns": columns, **context}, status=status)


@require_http_methods(["GET"])
@permission_required("imports.add_import")
def index(request):
    return _page(request, ImportForm())


@require_POST
@permission_required("imports.add_import")
def upload(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > files.MAX_BYTES:  # before reading it
        return _page(
            request, form, status=413, refusal=_("Il file supera %(mb)d MB: dividilo in più file.") % {"mb": files.MAX_BYTES // (1024 * 1024)}
        )
    city = city_of(request.user)
    if city is None:
        return _page(request, form, status=400, refusal=_("Nessuna città configurata."))
    try:
        run = services.preview(kind=form.cleaned_data["kind"], name=upload.name, data=upload.read(), city=city, by=request.user)
    except files.Refused as refusal:
        return _page(request, form, status=400, refusal=str(refusal))
    if run.pk is None:  # errors: shown to be fixed, nothing kept
        return _detail(request, run, status=400)
    return redirect(run)


def _detail(request, run, status=200):
    errors_first = sorted(run.rows, key=lambda row: (row["outcome"] != "error", row["line"]))
    return render(request, "imports/detail.html", {"run": run, "page": page_of(request, errors_first, size=200)}, status=status)


@require_http_methods(["GET"])
@permission_required("imports.view_import", get_object=_import)
def detail(request, pk, obj):
    return _detail(request, obj)


@require_http_methods(["GET"])
@permission_required("imports.view_import", get_object=_import)
def progress(request, pk, obj):
    return render(request, "imports/_progress.html", {"run": obj})


@require_POST
@permission_required("imports.view_import", get_object=_import)
def confirm(request, pk, obj):
    if not obj.can_confirm:
        return render(
            request,
            "imports/refused.html",
            {"run": obj, "message": _("Questa anteprima non può essere confermata: ha errori, non cambia nulla o è già stata confermata.")},
            status=409,
        )
    services.confirm(obj)
    return redirect(obj)


@require_POST
@permission_required("imports.undo_import", get_object=_import)
def undo(request, pk, obj):
    if obj.status != Import.Status.DONE:
        return render(request, "imports/refused.html", {"run": obj, "message": _("Si può annullare solo un'importazione completata.")}, status=409)
    notes = services.undo(obj, by=request.user)
    messages.success(request, _("Importazione annullata.") if not notes else _("Importazione annullata, tranne quanto indicato."))
    return redirect(obj)
