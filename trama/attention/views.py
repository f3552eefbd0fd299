from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from trama.pdf import download, poster, site_url
from trama.people.lockouts import client_address
from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import form_errors_from, keyset_page, page_of, render_page
from trama.territory.queries import city_of, community_point_of

from . import certificates, services
from .forms import (
    AntennaApplicationForm,
    AntennaOnboardingForm,
    AttendanceForm,
    DeclineApplicationForm,
    EncounterForm,
    EnrolmentForm,
    LessonAnswerForm,
    OutreachForm,
    OutreachResultForm,
    RecordedSignalForm,
    SignalForm,
    TrainingModuleForm,
    TrainingSessionForm,
    TriageForm,
    onboarding_from_application,
)
from .models import Antenna, AntennaApplication, Attendance, Encounter, ModuleCompleted, OutreachTask, Signal, TrainingModule, TrainingSession
from .phone import THEME_COLOUR, phone_secret
from .queries import (
    antennas_visible_to,
    encounters_visible_to,
    enrolled_names,
    enrolled_sessions,
    online_completions,
    outreach_visible_to,
    signal_queue,
    signals_sent_by,
    training_coverage,
    upcoming_sessions,
)
from .rules import APPLICATIONS
from .training import online_module, online_modules

QUEUE_FILTERS = {"open": gettext_lazy("Aperte"), "new": gettext_lazy("Nuove"), "closed": gettext_lazy("Chiuse"), "all": gettext_lazy("Tutte")}


# Antennas ---------------------------------------------------------------


@permission_required("attention.send_signal")
def signal_create(request):
    form = SignalForm(request.POST or None, antenna=request.user)
    if request.method == "POST" and form.is_valid():
        _signal, created = services.send_signal_once(by=request.user, **form.cleaned_data)
        if created:
            messages.success(request, _("Grazie! La segnalazione è arrivata a chi lavora nel quartiere. Qui vedrai quando viene presa in carico."))
        else:
            messages.info(request, ALREADY_RECEIVED)
        return redirect("attention:my_signals")
    return render_page(request, "attention/signal_form.html", {"form": form}, form)


ALREADY_RECEIVED = gettext_lazy("Questa segnalazione era già arrivata: non è stata registrata una seconda volta.")


@require_POST
@permission_required("attention.send_signal")
def signal_from_phone(request):
    """The antenna's phone sends a signal it kept while it had no connection (trama/static/attention/phone.js): the
    form's fields and the key the phone chose, answered in JSON. 201 stored; 200 that key came before (nothing
    stored again); 400 with the form's messages; 409 a key of someone else's signal. Nothing stored but on 201."""
    form = SignalForm(request.POST, antenna=request.user)
    form.fields["client_key"].required = True
    form.fields["client_key"].error_messages["required"] = _("Manca la chiave della segnalazione: inviala di nuovo dal modulo.")
    if not form.is_valid():
        errors = {field: [str(message) for message in messages_] for field, messages_ in form.errors.items()}
        return JsonResponse({"message": _("La segnalazione non è stata accettata: correggila dal modulo."), "errors": errors}, status=400)
    try:
        signal, created = services.send_signal_once(by=request.user, **form.cleaned_data)
    except services.KeyOfAnotherSignal as refused:
        return JsonResponse({"message": str(refused)}, status=409)
    if created:
        return JsonResponse({"number": signal.pk, "message": _("Segnalazione arrivata.")}, status=201)
    return JsonResponse({"number": signal.pk, "message": str(ALREADY_RECEIVED)}, status=200)


@never_cache
@require_GET
@permission_required("attention.send_signal")
def phone_key(request):
    """The secret from which the antenna's phone derives the key that encrypts what it keeps (signals not yet sent,
    the copy of her list): see docs/security.md, "The antenna's phone". Never stored by a cache."""
    return JsonResponse(phone_secret(request.user))


@require_GET
def manifest(request):
    """The web app manifest of the antenna's signal form (public: browsers fetch it without cookies)."""
    data = {
        "name": _("Trama · Segnala"),
        "short_name": _("Segnala"),
        "description": _("Il modulo delle antenne di quartiere: segnala chi potrebbe avere bisogno, anche senza rete."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("attention:signal_create"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"attention/icons/segnala-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ]
        + [{"src": static("attention/icons/segnala-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False}, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@permission_required("attention.record_signal")
def signal_record(request):
    """Quick entry: a worker writes down a signal that came on a paper card, by phone or in person."""
    form = RecordedSignalForm(request.POST or None, worker=request.user)
    if request.method == "POST" and form.is_valid():
        signal = services.record_signal(by=request.user, **form.cleaned_data)
        messages.success(request, _("Segnalazione registrata: è nella coda del quartiere."))
        return redirect(signal)
    return render_page(request, "attention/signal_record.html", {"form": form}, form)


@permission_required("attention.view_own_signal")
def my_signals(request):
    if request.GET.get("copia") == "1":
        # The page the phone keeps for when it has no connection: nothing of the list in it, the script fills it
        # from the encrypted copy it keeps (attention/phone.js).
        return render_page(request, "attention/my_signals.html", {"copy_only": True})
    page = page_of(request, signals_sent_by(request.user))
    signals = list(page.object_list)
    # Recorded like any read of a signal: it describes someone else, whoever wrote it (privacy.audit).
    audit.record_page(request, Signal, [s.pk for s in signals], "le proprie segnalazioni")
    response = render_page(request, "attention/my_signals.html", {"page": page, "signals": signals})
    # Shown once: what changed since the last visit is no longer news.
    Signal.objects.filter(pk__in=[s.pk for s in signals if s.has_news_for_antenna]).update(antenna_seen_at=timezone.now())
    return response


def _own_signal(request, pk):
    # Unknown ids answer like other antennas' signals: nothing can be learnt by guessing.
    signal = Signal.objects.select_related("neighbourhood", "place").filter(pk=pk).first()
    if signal is None:
        raise PermissionDenied
    return signal


@permission_required("attention.view_own_signal", get_object=_own_signal)
def my_signal(request, pk, obj):
    audit.record_read(request, obj, reason="la propria segnalazione")
    return render_page(request, "attention/my_signal.html", {"signal": obj}, personal=True)


# Signals: queue and triage ------------------------------------------------


@permission_required("attention.view_signal")
def queue(request):
    status = request.GET.get("stato", "open")
    if status not in QUEUE_FILTERS:
        status = "open"
    page = keyset_page(request, signal_queue(request.user, status), ["-urgency", "-created_at", "-pk"])
    audit.record_page(request, Signal, [signal.pk for signal in page.object_list], "coda delle segnalazioni")
    return render_page(request, "attention/queue.html", {"page": page, "status": status, "filters": QUEUE_FILTERS}, personal=True)


def _signal(request, pk):
    return get_object_or_404(Signal.objects.select_related("neighbourhood", "place", "assigned_to", "person", "merged_into"), pk=pk)


@permission_required("attention.view_signal", get_object=_signal)
def signal_detail(request, pk, obj):
    audit.record_read(request, obj, reason="segnalazione")
    context = {
        "signal": obj,
        "outreach_tasks": obj.outreach_tasks.select_related("assigned_to"),
        "encounters": obj.encounters.select_related("worker"),
        "merged": obj.merged.all(),
    }
    return render_page(request, "attention/signal_detail.html", context, personal=True)


@permission_required("attention.triage_signal", get_object=_signal)
def signal_triage(request, pk, obj):
    form = TriageForm(request.POST or None, signal=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.triage(obj, by=request.user, outcome=data["outcome"], note=data["note"], merge_with=data["merge_with"], person=data["person"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Esito registrato."))
            return redirect(obj)
    return render_page(request, "attention/signal_triage.html", {"signal": obj, "form": form}, form, personal=True)


@permission_required("attention.triage_signal", get_object=_signal)
def signal_outreach(request, pk, obj):
    form = OutreachForm(request.POST or None, neighbourhood=obj.neighbourhood, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_outreach(by=request.user, signal=obj, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Uscita programmata: la segnalazione è presa in carico."))
            return redirect(obj)
    return render_page(request, "attention/outreach_form.html", {"signal": obj, "form": form}, form, personal=True)


@require_POST
@permission_required("attention.triage_signal", get_object=_signal)
def signal_close(request, pk, obj):
    try:
        services.close_signal(obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Segnalazione chiusa."))
    return redirect(obj)


# Outreach ---------------------------------------------------------------


@permission_required("attention.view_outreach")
def outreach_list(request):
    tasks = outreach_visible_to(request.user)
    if request.GET.get("mie") == "1":
        tasks = tasks.filter(assigned_to=request.user)
    page = page_of(request, tasks.order_by("status", "due_date", "pk"))
    audit.record_page(request, OutreachTask, [task.pk for task in page.object_list], "elenco uscite")
    return render_page(request, "attention/outreach_list.html", {"page": page, "mine": request.GET.get("mie") == "1"}, personal=True)


def _outreach(request, pk):
    return get_object_or_404(OutreachTask.objects.select_related("neighbourhood", "assigned_to", "signal"), pk=pk)


@permission_required("attention.view_outreach", get_object=_outreach)
def outreach_detail(request, pk, obj):
    form = OutreachResultForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("attention.change_outreach", obj):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.finish_outreach(obj, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Esito dell'uscita registrato."))
                return redirect(obj)
    audit.record_read(request, obj, reason="uscita")
    return render_page(request, "attention/outreach_detail.html", {"task": obj, "form": form}, form, personal=True)


# Encounters ---------------------------------------------------------------


@permission_required("attention.view_encounter")
def encounter_list(request):
    page = keyset_page(request, encounters_visible_to(request.user), ["-happened_at", "-pk"])
    audit.record_page(request, Encounter, [encounter.pk for encounter in page.object_list], "elenco incontri")
    return render_page(request, "attention/encounter_list.html", {"page": page}, personal=True)


def _source(request, param, model, perm):
    """The signal or outreach an encounter answers, given in the query string, if the user may act on it."""
    value = request.GET.get(param) or request.POST.get(param)
    if not value:
        return None
    if not str(value).isdigit():
        raise PermissionDenied
    obj = model.objects.filter(pk=value).first()
    if obj is None or not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


@permission_required("attention.add_encounter")
def encounter_create(request):
    signal = _source(request, "segnalazione", Signal, "attention.triage_signal")
    outreach = _source(request, "uscita", OutreachTask, "attention.change_outreach")
    form = EncounterForm(request.POST or None, user=request.user, signal=signal, outreach=outreach)
    if request.method == "POST" and form.is_valid():
        try:
            encounter = services.record_encounter(by=request.user, **form.service_arguments())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Incontro registrato."))
            return redirect(encounter)
    context = {"form": form, "signal": signal, "outreach": outreach}
    return render_page(request, "attention/encounter_form.html", context, form, personal=True)


def _encounter(request, pk):
    return get_object_or_404(Encounter.objects.select_related("neighbourhood", "worker", "person", "signal"), pk=pk)


@permission_required("attention.view_encounter", get_object=_encounter)
def encounter_detail(request, pk, obj):
    audit.record_read(request, obj, reason="incontro")
    return render_page(request, "attention/encounter_detail.html", {"encounter": obj}, personal=True)


# Antennas and training ------------------------------------------------------


@permission_required("attention.onboard_antenna")
def antenna_list(request):
    antennas = antennas_visible_to(request.user).annotate(trainings=Count("attendances", distinct=True))
    page = page_of(request, antennas.order_by("account__first_name", "pk"))
    return render_page(request, "attention/antenna_list.html", {"page": page}, personal=True)


@permission_required("attention.onboard_antenna")
def antenna_onboard(request):
    form = AntennaOnboardingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        antenna = services.onboard_antenna(request, form)
        messages.success(request, _("Invito inviato a %(email)s.") % {"email": antenna.account.email})
        return redirect(antenna)
    return render_page(request, "attention/antenna_form.html", {"form": form}, form)


def _antenna(request, pk):
    return get_object_or_404(Antenna.objects.select_related("account", "organisation"), pk=pk)


@permission_required("attention.view_antenna", get_object=_antenna)
def antenna_detail(request, pk, obj):
    audit.record_read(request, obj.account, reason="scheda antenna")
    context = {
        "antenna": obj,
        "neighbourhoods": obj.account.neighbourhoods.all(),
        "attended": obj.attendances.select_related("session__module", "session__place").order_by("-session__starts_at"),
    }
    return render_page(request, "attention/antenna_detail.html", context, personal=True)


@require_safe  # a download: GET (and HEAD) only
@permission_required("attention.view_antenna", get_object=_antenna)
def antenna_card(request, pk, obj):
    """The A6 card an antenna keeps on the counter: the address of her signal form, two lines of what to do, and the
    phone of the community point of her neighbourhood. It names no one; loading her profile is still a read."""
    audit.record_read(request, obj.account, reason="cartolina dell'antenna")
    neighbourhood = obj.account.neighbourhoods.order_by("name", "pk").first()
    point = community_point_of(neighbourhood) if neighbourhood is not None else None
    lines = [
        _("Hai notato qualcuno in difficoltà?"),
        _("Scrivi che cosa hai visto. Non serve il nome."),
        _("Chi lavora nel quartiere passa a trovarlo."),
    ]
    pdf = poster(
        _("Segnala"),
        lines,
        site_url(reverse("attention:signal_create")),
        point.phone if point else "",
        footer=str(neighbourhood or ""),
        size="A6",
    )
    return download(pdf, f"cartolina-antenna-{obj.pk}.pdf")


@permission_required("attention.view_training")
def module_list(request):
    city = request.user.city
    modules = TrainingModule.objects.filter(city=city) if city else TrainingModule.objects.all()
    attended = []
    profile = Antenna.objects.filter(account=request.user).first()
    if profile is not None:
        attended = profile.attendances.select_related("session__module", "session__place").order_by("-session__starts_at")
    done = dict(request.user.modules_completed.values_list("module", "pk"))
    online = [(module, done.get(module.slug)) for module in online_modules()]
    context = {
        "modules": modules,
        "attended": attended,
        "profile": profile,
        "online": online,
        "upcoming": upcoming_sessions(request.user.city_id, timezone.now()),
        "enrolled": enrolled_sessions(profile),
        "can_enrol": request.user.has_perm("attention.enrol_training") and profile is not None,
    }
    return render_page(request, "attention/module_list.html", context)


@permission_required("attention.manage_training")
def module_create(request):
    form = TrainingModuleForm(request.POST or None, city=request.user.city)
    if request.method == "POST" and form.is_valid():
        module = form.save()
        messages.success(request, _("Modulo creato."))
        return redirect(module)
    return render_page(request, "attention/module_form.html", {"form": form}, form)


def _module(request, pk):
    modules = TrainingModule.objects.filter(city=request.user.city) if request.user.city_id else TrainingModule.objects.all()
    return get_object_or_404(modules, pk=pk)


@permission_required("attention.view_training", get_object=_module)
def module_detail(request, pk, obj):
    return _module_page(request, obj)


def _module_page(request, module, form=None):
    """The module's page: its content, the sessions held (with attendance, for staff) and those to come (with
    enrolment, for antennas). `form` is an enrolment that went wrong, shown with its message and a 400."""
    sessions = module.sessions.filter(starts_at__lte=timezone.now()).select_related("place").annotate(present=Count("attendances"))
    profile = Antenna.objects.filter(account=request.user).first()
    context = {
        "module": module,
        "sessions": sessions,
        "upcoming": upcoming_sessions(module.city_id, timezone.now(), module_id=module.pk),
        "enrolled": enrolled_sessions(profile),
        "can_enrol": request.user.has_perm("attention.enrol_training") and profile is not None,
        "enrol_form": form,
    }
    return render_page(request, "attention/module_detail.html", context, form)


@permission_required("attention.manage_training", get_object=_module)
def session_create(request, pk, obj):
    form = TrainingSessionForm(request.POST or None, city=request.user.city)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.module = obj
        session.save()
        messages.success(request, _("Incontro di formazione aggiunto: ora puoi segnare le presenze."))
        return redirect("attention:attendance", pk=session.pk)
    return render_page(request, "attention/session_form.html", {"module": obj, "form": form}, form)


def _session(request, pk):
    return get_object_or_404(TrainingSession.objects.select_related("module", "place"), pk=pk)


@permission_required("attention.manage_training", get_object=_session)
def attendance(request, pk, obj):
    antennas = antennas_visible_to(request.user).filter(active=True)
    form = AttendanceForm(request.POST or None, antennas=antennas, initial={"antennas": list(obj.attendances.values_list("antenna_id", flat=True))})
    if request.method == "POST" and form.is_valid():
        services.record_attendance(obj, form.cleaned_data["antennas"], by=request.user)
        messages.success(request, _("Presenze registrate."))
        return redirect(obj.module)
    context = {"session": obj, "form": form, "enrolled_names": enrolled_names(obj, antennas)}
    return render_page(request, "attention/attendance_form.html", context, form)


def _session_of_city(request, pk):
    sessions = TrainingSession.objects.select_related("module", "place")
    if request.user.city_id:
        sessions = sessions.filter(module__city_id=request.user.city_id)
    return get_object_or_404(sessions, pk=pk)


@require_POST
@permission_required("attention.enrol_training", get_object=_session_of_city)
def session_enrol(request, pk, obj):
    """An antenna puts her name down for a session to come, or takes it back."""
    form = EnrolmentForm(request.POST)
    profile = Antenna.objects.filter(account=request.user).first()
    if profile is None:
        form.add_error(None, _("Il tuo profilo di antenna non è ancora pronto: chiedi a chi lavora nel tuo quartiere."))
    elif form.is_valid():
        try:
            if form.cleaned_data["azione"] == EnrolmentForm.ENROL:
                services.enrol(obj, profile)
                messages.success(request, _("Iscrizione fatta per l'incontro del %(date)s. Il giorno prima ti arriva un promemoria.") % _when(obj))
            elif services.cancel_enrolment(obj, profile):
                messages.success(request, _("Iscrizione all'incontro del %(date)s annullata.") % _when(obj))
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect(obj.module)
    return _module_page(request, obj.module, form)


def _when(session):
    return {"date": timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")}


def _attendance_record(request, pk):
    related = ("session__module__city", "session__place", "antenna__account")
    return get_object_or_404(Attendance.objects.select_related(*related), pk=pk)


@require_safe  # a download: GET (and HEAD) only
@permission_required("attention.view_certificate", get_object=_attendance_record)
def attendance_certificate(request, pk, obj):
    """The certificate of an in-person session attended: the antenna's own, or one of the antennas staff may see."""
    audit.record_read(request, obj, reason="attestato di formazione")
    return download(certificates.attendance_certificate(obj), f"attestato-formazione-{obj.pk}.pdf")


def _completion(request, pk):
    return get_object_or_404(ModuleCompleted.objects.select_related("account__city"), pk=pk)


@require_safe  # a download: GET (and HEAD) only
@permission_required("attention.view_online_certificate", get_object=_completion)
def online_certificate(request, pk, obj):
    """The certificate of an online module completed."""
    module = online_module(obj.module)
    if module is None:
        raise Http404
    audit.record_read(request, obj, reason="attestato di formazione online")
    return download(certificates.online_certificate(obj, module), f"attestato-formazione-online-{obj.pk}.pdf")


@permission_required("attention.view_coverage")
def coverage(request):
    kinds, rows = training_coverage(request.user)
    online = [(module, *online_completions(request.user, module.slug)) for module in online_modules()]
    return render_page(request, "attention/coverage.html", {"kinds": kinds, "rows": rows, "online": online})


# Becoming an antenna ------------------------------------------------------------------------


def become_antenna(request):
    """The public page where anyone may offer to be an antenna of their neighbourhood."""
    city = city_of(request.user)
    form = AntennaApplicationForm(request.POST if request.method == "POST" else None, city=city)
    if request.method == "POST":
        source = services.application_source(client_address(request))
        if services.too_many_applications(source):
            message = _("Sono arrivate troppe candidature da questa connessione: riprova fra un'ora, per favore.")
            return render(request, "attention/become_antenna.html", {"form": form, "refused": message}, status=429)
        if form.is_valid():
            # A robot that filled the trap is thanked like anyone, and nothing is stored.
            if not form.is_robot:
                services.apply_to_be_antenna(city=city, source=source, **form.service_arguments())
            return render(request, "attention/become_antenna_done.html")
    return render_page(request, "attention/become_antenna.html", {"form": form}, form)


@permission_required("attention.review_application")
def application_list(request):
    status = request.GET.get("stato", AntennaApplication.Status.PENDING)
    if status not in AntennaApplication.Status.values:
        status = AntennaApplication.Status.PENDING
    applications = APPLICATIONS.visible_to(request.user).filter(status=status).select_related("neighbourhood")
    page = page_of(request, applications.order_by("-created_at", "-pk"))
    audit.record_page(request, AntennaApplication, [a.pk for a in page.object_list], "candidature di antenna")
    context = {"page": page, "status": status, "statuses": AntennaApplication.Status.choices}
    return render_page(request, "attention/application_list.html", context, personal=True)


def _application(request, pk):
    # Out of scope answers like an id that does not exist: a worker learns nothing of other neighbourhoods.
    return get_object_or_404(APPLICATIONS.visible_to(request.user).select_related("neighbourhood", "account", "decided_by"), pk=pk)


@permission_required("attention.review_application", get_object=_application)
def application_detail(request, pk, obj):
    audit.record_read(request, obj, reason="candidatura di antenna")
    context = {"application": obj, "decline_form": DeclineApplicationForm()}
    return render_page(request, "attention/application_detail.html", context, personal=True)


@permission_required("attention.review_application", get_object=_application)
def application_accept(request, pk, obj):
    if obj.status != AntennaApplication.Status.PENDING:
        messages.error(request, _("Questa candidatura è già stata valutata."))
        return redirect(obj)
    form = AntennaOnboardingForm(request.POST or None, user=request.user, initial=onboarding_from_application(obj))
    if request.method == "POST" and form.is_valid():
        try:
            antenna = services.accept_application(request, obj, form)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Candidatura accolta: invito inviato a %(email)s.") % {"email": antenna.account.email})
            return redirect(antenna)
    audit.record_read(request, obj, reason="candidatura di antenna")
    return render_page(request, "attention/application_accept.html", {"application": obj, "form": form}, form, personal=True)


@require_POST
@permission_required("attention.review_application", get_object=_application)
def application_decline(request, pk, obj):
    form = DeclineApplicationForm(request.POST)
    if form.is_valid():
        try:
            declined = services.decline_application(obj, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if declined.email:
                messages.success(request, _("Candidatura non accolta: le abbiamo scritto un'e-mail gentile, senza il motivo, che resta scritto qui."))
            else:
                messages.success(
                    request,
                    _("Candidatura non accolta: non ha lasciato un'e-mail, avvisala tu al telefono %(phone)s. Il motivo resta scritto qui.")
                    % {"phone": declined.phone},
                )
            return redirect("attention:applications")
    audit.record_read(request, obj, reason="candidatura di antenna")
    context = {"application": obj, "decline_form": form}
    return render_page(request, "attention/application_detail.html", context, form, personal=True)


# Online training ------------------------------------------------------------------------------


def _online_module(slug):
    module = online_module(slug)
    if module is None:
        raise Http404
    return module


@permission_required("attention.follow_training")
def online_module_detail(request, slug):
    module = _online_module(slug)
    done = set(request.user.lessons_done.filter(module=module.slug).values_list("lesson", flat=True))
    completed = request.user.modules_completed.filter(module=module.slug).first()
    lessons = [(lesson, lesson.slug in done) for lesson in module.lessons]
    context = {"module": module, "lessons": lessons, "completed": completed}
    return render_page(request, "attention/online_module.html", context)


@permission_required("attention.follow_training")
def online_lesson(request, slug, number):
    module = _online_module(slug)
    lesson = module.lesson(number)
    if lesson is None:
        raise Http404
    form = LessonAnswerForm(request.POST or None, lesson=lesson)
    feedback = None
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen
        if chosen is not None and not chosen.correct:
            # A wrong answer is answered with its feedback, not recorded: the lesson waits for the right one.
            feedback = chosen
        else:
            complete = services.complete_lesson(request.user, module, number)
            if chosen is not None:
                messages.success(request, _("Giusto. %(feedback)s") % {"feedback": chosen.feedback})
            if number < len(module.lessons):
                return redirect("attention:online_lesson", slug=module.slug, number=number + 1)
            if complete:
                messages.success(request, _("Hai completato il modulo «%(title)s». Grazie!") % {"title": module.title})
            return redirect("attention:online_module", slug=module.slug)
    context = {"module": module, "lesson": lesson, "form": form, "feedback": feedback, "total": len(module.lessons)}
    return render_page(request, "attention/online_lesson.html", context, form)
