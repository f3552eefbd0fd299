import dataclasses

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from trama.access import COORDINATOR, role_of
from trama.background.progress import DONE, FAILED, QUEUED, RUNNING, progress_of, render_progress
from trama.permissions import permission_required
from trama.shortcuts import page_of
from trama.territory.queries import city_of

from . import files, services, tasks
from .forms import ImportForm
from .models import Import
from .resources import RESOURCES


def _import(request, pk, **kwargs):
    return get_object_or_404(Import.objects.select_related("requested_by"), pk=pk)


def _visible(user):
    runs = Import.objects.filter(city=city_of(user)).select_related("requested_by").defer("content", "rows")
    return runs if role_of(user) == COORDINATOR else runs.filter(requested_by=user)


def _page(request, form, status=200, **context):
    columns = [(Import.Kind(kind).label, resource.required) for kind, resource in RESOURCES.items()]
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
        run = services.start_preview(kind=form.cleaned_data["kind"], name=upload.name, data=upload.read(), city=city, by=request.user)
    except files.Refused as refusal:
        return _page(request, form, status=400, refusal=str(refusal))
    return redirect(run)


# The work each status belongs to, as the shared progress block names its states.
_PHASES = {
    "preview": (
        tasks.preview_import,
        gettext_lazy("Anteprima"),
        {"analysing": RUNNING, "preview_failed": FAILED, "preview": DONE},
    ),
    "import": (
        tasks.run_import,
        gettext_lazy("Importazione"),
        {"queued": QUEUED, "running": RUNNING, "done": DONE, "failed": FAILED},
    ),
    "undo": (
        tasks.undo_import,
        gettext_lazy("Annullamento dell'importazione"),
        {"undoing": RUNNING, "undo_failed": FAILED, "undone": DONE},
    ),
}


def _progress(run):
    task, label, states = _PHASES[run.phase]
    states = dict(states)
    if run.status == Import.Status.ANALYSING and run.progress == 0:
        states["analysing"] = QUEUED  # not taken by the worker yet
    if run.status == Import.Status.UNDOING:
        states["undoing"] = QUEUED if run.progress == 0 else RUNNING
    retry_url, retry_post = "", False
    if run.status == Import.Status.UNDO_FAILED:
        retry_url, retry_post = reverse("imports:undo", args=[run.pk]), True
    elif run.status in (Import.Status.PREVIEW_FAILED, Import.Status.FAILED):
        retry_url = reverse("imports:index")
    progress = progress_of(
        run,
        element_id="import-progress",
        poll_url=reverse("imports:progress", args=[run.pk]),
        label=label,
        failure=run.error or _("riprova più tardi o avvisa chi gestisce la piattaforma"),
        task=task,
        task_args=(run.pk,),
        states=states,
        retry_url=retry_url,
        retry_post=retry_post,
        result_template="imports/_result.html",
    )
    if run.phase == "undo":
        # One transaction: the worker cannot say how far it has got.
        progress = dataclasses.replace(progress, percent=None)
    return progress


def _detail(request, run, status=200):
    errors_first = sorted(run.rows, key=lambda row: (row["outcome"] != "error", row["line"]))
    return render(
        request, "imports/detail.html", {"run": run, "page": page_of(request, errors_first, size=200), "progress": _progress(run)}, status=status
    )


@never_cache
@require_http_methods(["GET"])
@permission_required("imports.view_import", get_object=_import)
def detail(request, pk, obj):
    return _detail(request, obj)


@never_cache
@require_http_methods(["GET"])
@permission_required("imports.view_import", get_object=_import)
def progress(request, pk, obj):
    return render_progress(request, _progress(obj), {"run": obj})


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
    if not services.start_undo(obj, by=request.user):
        message = _("Si può annullare solo un'importazione completata.")
        if services.log_expired(obj):
            message = _("Questo elenco di persone è stato importato più di un anno fa: i valori per annullarlo non sono più conservati.")
        return render(request, "imports/refused.html", {"run": obj, "message": message}, status=409)
    return redirect(obj)
