from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trama.access import in_city
from trama.background.progress import DONE, FAILED, QUEUED, RUNNING, STATES, progress_of, render_progress
from trama.permissions import permission_required
from trama.shortcuts import keyset_page

from . import audit, erasure, exports, rectification, tasks
from .forms import ErasureDecisionForm, ErasureRequestForm
from .models import AuditEntry, DataExport, ErasureRequest

AUDIT_PAGE_SIZE = 50


def notice(request):
    return render(request, "privacy/notice.html")  # the city comes from the context processor


@permission_required("privacy.view_audit")
def audit_log(request):
    # The log only grows: keyset pages cost the same at any depth.
    # The log names accounts by id (audit.pseudonym_of); the page shows today's username beside it.
    page = keyset_page(request, AuditEntry.objects.select_related("actor"), ["-at", "-pk"], AUDIT_PAGE_SIZE)
    return render(request, "privacy/audit_log.html", {"page": page})


# -- a person's copy of their data (art. 15 and 20) --------------------------------------------


def _person(request, pk, **kwargs):
    return get_object_or_404(exports.person_model(), pk=pk)


@require_POST
@permission_required("people.view_person", get_object=_person)
def export_person(request, pk, obj):
    """Staff ask for the record of a person in their scope."""
    export = exports.request_export(request.user, obj, path=request.path)
    return redirect("privacy:export", token=export.token)


def _own_person(request):
    """The person record of the signed-in account, for what someone asks about their own data; 404 if none."""
    person = exports.person_model().objects.filter(account=request.user).first()
    if person is None:
        raise Http404
    return person


@require_POST
@permission_required("privacy.export_own_data")
def export_mine(request):
    """Someone asks for their own record, from their profile."""
    person = _own_person(request)
    export = exports.request_export(request.user, person, path=request.path)
    return redirect("privacy:export", token=export.token)


def _own_export(request, token):
    # Only the account that asked finds its export: for anyone else the link does not exist.
    return get_object_or_404(DataExport.objects.only(*_EXPORT_STATUS_FIELDS), token=token, requested_by=request.user)


_EXPORT_STATUS_FIELDS = ("token", "person_id", "requested_by_id", "status", "progress", "created_at", "finished_at", "expires_at", "delivered_at")


@never_cache
@require_GET
@permission_required("privacy.export_own_data")
def export(request, token):
    obj = _own_export(request, token)
    progress = _export_progress(request, obj)
    if request.htmx:
        return render_progress(request, progress, {"export": obj})
    return render(request, "privacy/export.html", {"export": obj, "progress": progress})


# The copy handed over, or left to expire, was done: what became of it is the result's to say.
_EXPORT_STATES = {**STATES, DataExport.Status.DELIVERED: DONE, DataExport.Status.EXPIRED: DONE}


def _export_progress(request, export):
    retry = ""
    if export.status == DataExport.Status.FAILED:
        own = exports.person_model().objects.filter(pk=export.person_id, account=request.user).exists()
        retry = reverse("privacy:export_mine") if own else reverse("privacy:export_person", args=[export.person_id])
    return progress_of(
        export,
        element_id="export-progress",
        poll_url=reverse("privacy:export", args=[export.token]),
        label=_("Preparazione della copia dei dati"),
        failure=_("riprova più tardi o avvisa chi gestisce la piattaforma"),
        task=tasks.build_export,
        task_args=(export.pk,),
        states=_EXPORT_STATES,
        retry_url=retry,
        retry_post=True,
        result_template="privacy/_export_result.html",
    )


@never_cache
@require_GET
@permission_required("privacy.export_own_data")
def export_download(request, token):
    obj = _own_export(request, token)
    content = exports.deliver(obj, request.user, path=request.path)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{obj.filename}"'
    return response


# -- erasure of a person's data (art. 17) ----------------------------------------------------------


def _ask_erasure(request, person, mine):
    """The page that explains what erasure does and records the request once the tick is there."""
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = erasure.request_erasure(request.user, person, form.cleaned_data["reason"], path=request.path)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Richiesta di cancellazione registrata: il coordinamento la confermerà o dirà perché no."))
            return redirect("privacy:erasure", pk=obj.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "person": person,
        "mine": mine,
        "open_request": erasure.open_request_of(person),
        "refused": ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.REFUSED).first(),
    }
    return render(request, "privacy/erasure_request.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("people.view_person", get_object=_person)
def erasure_person(request, pk, obj):
    """Staff record the erasure request of a person in their scope."""
    return _ask_erasure(request, obj, mine=False)


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("privacy.erase_own_data")
def erasure_mine(request):
    """Someone asks, from their profile, for their own data to be erased."""
    person = _own_person(request)
    return _ask_erasure(request, person, mine=True)


@never_cache
@require_GET
@permission_required("privacy.decide_erasure")
def erasures(request):
    """The coordinator's list: the requests of people in their scope, the ones to decide first."""
    # A coordinator's scope is their city (people.view_person), asked here without importing the people app.
    rows = ErasureRequest.objects.filter(in_city(request.user, "person__city"))
    waiting = list(rows.filter(status__in=ErasureRequest.OPEN).order_by("requested_at", "pk"))
    decided = list(rows.exclude(status__in=ErasureRequest.OPEN)[:50])
    return render(request, "privacy/erasures.html", {"waiting": waiting, "decided": decided})


def _erasure(request, pk, **kwargs):
    return get_object_or_404(ErasureRequest.objects.select_related("person", "requested_by", "decided_by"), pk=pk)


@never_cache
@require_GET
@permission_required("privacy.follow_erasure", get_object=_erasure)
def erasure_detail(request, pk, obj):
    """A request, how far its erasure has got, and for the coordinator the decision."""
    decide = erasure.may_decide(request.user, obj.person)
    progress = _erasure_progress(obj)
    if request.htmx:
        return render(request, "privacy/_erasure_progress.html", {"erasure": obj, "progress": progress})
    form = ErasureDecisionForm() if decide else None
    return render(request, "privacy/erasure.html", {"erasure": obj, "form": form, "progress": progress})


# Before the decision (pending) and after a refusal there is no work to follow: the page says the request's state.
_ERASURE_STATES = {
    ErasureRequest.Status.CONFIRMED: QUEUED,
    ErasureRequest.Status.RUNNING: RUNNING,
    ErasureRequest.Status.DONE: DONE,
    ErasureRequest.Status.FAILED: FAILED,
}


def _erasure_progress(request_):
    if request_.status not in _ERASURE_STATES:
        return None
    # No retry button: the coordinator confirms again with the decision form on this same page.
    return progress_of(
        request_,
        element_id="erasure-progress",
        poll_url=reverse("privacy:erasure", args=[request_.pk]),
        label=_("Cancellazione dei dati"),
        failure=_("non ha cambiato nulla; il coordinamento può riprovare"),
        task=tasks.run_erasure,
        task_args=(request_.pk,),
        states=_ERASURE_STATES,
        result_template="privacy/_erasure_result.html",
    )


@never_cache
@require_POST
@permission_required("privacy.decide_erasure", get_object=_erasure)
def erasure_decide(request, pk, obj):
    form = ErasureDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == ErasureDecisionForm.CONFIRM:
                erasure.confirm(request.user, obj, path=request.path)
                messages.success(request, _("Cancellazione confermata: i dati vengono cancellati ora."))
            else:
                erasure.refuse(request.user, obj, form.cleaned_data["refusal_reason"], path=request.path)
                messages.success(request, _("Richiesta rifiutata; il motivo resta scritto nella richiesta."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("privacy:erasure", pk=obj.pk)
    obj.refresh_from_db()
    return render(request, "privacy/erasure.html", {"erasure": obj, "form": form, "progress": _erasure_progress(obj)}, status=400)


# -- rectification of a person's data (art. 16) --------------------------------------------------


def _rectify(request, person, mine):
    """The form of the fields of the person's rows this account may correct; saved with the reason, in one go."""
    parts = rectification.parts_for(request.user, person)
    form = rectification.RectificationForm(parts, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = rectification.rectify(request.user, person, form, path=request.path)
        except ValidationError as error:
            form.add_error(error)
        else:
            labels = done.field_labels()
            messages.success(request, _("Rettifica registrata. Dati corretti: %(fields)s.") % {"fields": ", ".join(labels)})
            return redirect(request.path)
    audit.record_read(request, person, reason=rectification.READ_REASON)
    for model, rows in _others_by_model(parts, person).items():
        audit.record_page(request, model, [row.pk for row in rows], rectification.READ_REASON)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "mine": mine, "history": rectification.history_of(person)[:20]}
    response = render(request, "privacy/rectification.html", context, status=status)
    response.personal_data = True
    return response


def _others_by_model(parts, person):
    """The rows the form shows besides the person's own record, by model: one audit entry per model."""
    rows = {}
    for part in parts:
        if part.row != person:
            rows.setdefault(part.row.__class__, []).append(part.row)
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("people.view_person", get_object=_person)
def rectify_person(request, pk, obj):
    """Staff correct the data of a person in their scope, as the person asks."""
    return _rectify(request, obj, mine=False)


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("privacy.rectify_own_data")
def rectify_mine(request):
    """Someone corrects their own data, from their profile."""
    person = _own_person(request)
    return _rectify(request, person, mine=True)
