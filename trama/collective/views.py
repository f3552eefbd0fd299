from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama import extensions
from trama.access import is_staff_role, is_worker
from trama.background.progress import progress_of, render_progress
from trama.market.models import Need
from trama.people.models import Person
from trama.people.queries import people_visible_to
from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import form_errors_from, page_of, render_page
from trama.territory.queries import city_of, current_city, neighbourhoods_for

from . import answers, forms, ical, queries, services, suggestions, tasks
from .models import Decision, Group, Meeting, Suggestion, SuggestionRefresh

PAGE_SIZE = 25


# -- suggestions ----------------------------------------------------------------------------


@permission_required("collective.list_suggestions")
def suggestion_list(request):
    # A refresh asked for from this page: its state, polled by the page (HTMX) until it is done.
    refresh = queries.refresh_of_city(city_of(request.user), request.GET.get("aggiornamento"))
    progress = _refresh_progress(refresh) if refresh is not None else None
    if request.htmx and progress is not None:
        return render_progress(request, progress, {"refresh": refresh})
    status = request.GET.get("stato", Suggestion.Status.OPEN)
    if status not in Suggestion.Status.values:
        status = Suggestion.Status.OPEN
    page = page_of(request, queries.suggestions_visible_to(request.user, status), PAGE_SIZE)
    return render_page(
        request,
        "collective/suggestions.html",
        {
            "page": page,
            "status": status,
            "statuses": Suggestion.Status,
            "threshold": suggestions.group_threshold(),
            "refresh": refresh,
            "progress": progress,
        },
    )


def _refresh_progress(refresh):
    return progress_of(
        refresh,
        element_id="refresh-progress",
        poll_url=reverse("collective:suggestions") + f"?aggiornamento={refresh.pk}",
        label=_("Aggiornamento delle proposte"),
        failure=_("riprova più tardi o avvisa chi gestisce la piattaforma"),
        task=tasks.refresh_suggestions_of_city,
        task_args=(refresh.city_id, refresh.pk),
        retry_url=reverse("collective:suggestions_refresh"),
        retry_post=True,
        result_template="collective/_refresh_result.html",
    )


@require_POST
@permission_required("collective.refresh_suggestions")
def suggestions_refresh(request):
    """Queue a refresh of the city's suggestions; the page then says how far it has got (never "done" before)."""
    city = city_of(request.user)
    if city is None:
        return redirect("collective:suggestions")
    refresh = SuggestionRefresh.objects.create(city=city, requested_by=request.user)
    tasks.refresh_suggestions_of_city.enqueue(city.pk, refresh.pk)
    return redirect(reverse("collective:suggestions") + f"?aggiornamento={refresh.pk}")


def _suggestion(request, pk):
    return get_object_or_404(Suggestion.objects.select_related("neighbourhood", "theme", "decided_by"), pk=pk)


def _situations_for(request, suggestion):
    """The situations (texts and people) a worker of the neighbourhood reads; audited."""
    if not request.user.has_perm("collective.view_suggestion_people", suggestion):
        return None
    rows = queries.situations_of(suggestion, request.user)
    shown = sorted({row.person.pk for row in rows if row.visible and row.person is not None})
    audit.record_read(request, suggestion, reason="persone della proposta: " + ",".join(map(str, shown)))
    return rows


@permission_required("collective.view_suggestion", get_object=_suggestion)
def suggestion_detail(request, pk, obj):
    rows = _situations_for(request, obj)
    return render_page(
        request,
        "collective/suggestion_detail.html",
        {
            "suggestion": obj,
            "rows": rows,
            "hidden": sum(1 for r in rows if not r.visible) if rows else 0,
            "can_decide": request.user.has_perm("collective.decide_suggestion", obj) and obj.status == Suggestion.Status.OPEN,
            "groups": obj.groups.all(),
        },
        personal=rows is not None,
    )


@permission_required("collective.decide_suggestion", get_object=_suggestion)
def suggestion_dismiss(request, pk, obj):
    form = forms.DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dismiss_suggestion(obj, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Proposta scartata: non verrà riproposta."))
            return redirect("collective:suggestions")
    return render_page(request, "collective/suggestion_dismiss.html", {"suggestion": obj, "form": form}, form)


@permission_required("collective.decide_suggestion", get_object=_suggestion)
def suggestion_convene(request, pk, obj):
    people = queries.invitable_people(obj, request.user)
    form = forms.ConveneForm(request.POST or None, people=people, initial={"purpose": obj.purpose})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.convene_group(
                obj,
                name=data["name"],
                purpose=data["purpose"],
                by=request.user,
                members=list(data["members"]),
                consent=data["consent"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Gruppo convocato. Ora puoi fissare il primo incontro."))
            return redirect("collective:group", group.pk)
    if people:
        audit.record_read(request, obj, reason="persone da invitare: " + ",".join(str(p.pk) for p in people))
    return render_page(request, "collective/suggestion_convene.html", {"suggestion": obj, "form": form}, form, personal=True)


# -- groups ---------------------------------------------------------------------------------


@permission_required("collective.list_groups")
def group_list(request):
    status = request.GET.get("stato", "")
    if status not in Group.Status.values:
        status = ""
    page = page_of(request, queries.group_list(request.user, status), PAGE_SIZE)
    return render_page(request, "collective/groups.html", {"page": page, "status": status, "statuses": Group.Status})


def _group(request, pk, **kwargs):
    return get_object_or_404(Group.objects.select_related("neighbourhood", "facilitator", "suggestion"), pk=pk)


@permission_required("collective.view_group", get_object=_group)
def group_detail(request, pk, obj):
    staff = request.user.has_perm("collective.change_group", obj)
    members = list(queries.current_members(obj)) if staff else []
    if members:
        audit.record_read(request, obj, reason="membri del gruppo: " + ",".join(str(m.person_id) for m in members))
    # The other direction: the open needs it could answer, only those this worker may broker, audited.
    needs = answers.needs_it_answers(obj, for_user=request.user) if is_staff_role(request.user) else []
    if needs:
        audit.record_page(request, Need, [need.pk for need, _score, _parts in needs], "richieste a cui un gruppo potrebbe rispondere")
    meetings = obj.meetings.select_related("place").order_by("-starts_at", "-pk")
    now = timezone.now()
    return render_page(
        request,
        "collective/group_detail.html",
        {
            "group": obj,
            "needs": needs,
            "staff": staff,
            "members": members,
            "themes": obj.themes.all(),
            "upcoming": [m for m in meetings if m.starts_at >= now][::-1],
            "past": [m for m in meetings if m.starts_at < now],
            "panels": extensions.panels(extensions.group_panels),  # the initiative the group became
        },
        personal=staff or bool(needs),
    )


@permission_required("collective.add_group")
def group_create(request):
    form = forms.GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.create_group(
                city=data["neighbourhood"].city,
                neighbourhood=data["neighbourhood"],
                name=data["name"],
                purpose=data["purpose"],
                by=request.user,
                themes=data["themes"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Gruppo creato."))
            return redirect("collective:group", group.pk)
    return render_page(request, "collective/group_form.html", {"form": form}, form)


@permission_required("collective.change_group", get_object=_group)
def group_edit(request, pk, obj):
    form = forms.GroupForm(request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record_change(request, obj, reason="gruppo modificato")
        messages.success(request, _("Gruppo aggiornato."))
        return redirect("collective:group", obj.pk)
    return render_page(request, "collective/group_form.html", {"form": form, "group": obj}, form)


@permission_required("collective.change_group", get_object=_group)
def group_status(request, pk, obj):
    action = request.POST.get("action") or request.GET.get("azione", "")
    if action not in dict(forms.GroupStatusForm.ACTIONS):
        messages.error(request, _("Azione non valida."))
        return redirect("collective:group", obj.pk)
    form = forms.GroupStatusForm(request.POST or None, initial={"action": action})
    if action != "close":
        del form.fields["note"]
    if request.method == "POST" and form.is_valid():
        try:
            services.change_group_status(obj, action, by=request.user, note=form.cleaned_data.get("note", ""))
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Stato del gruppo aggiornato."))
            return redirect("collective:group", obj.pk)
    return render_page(request, "collective/group_status.html", {"group": obj, "form": form, "action": action}, form)


@permission_required("collective.change_group", get_object=_group)
def member_add(request, pk, obj):
    form = forms.MemberForm(request.POST or None, user=request.user, group=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(obj, form.cleaned_data["person"], by=request.user, consent=form.cleaned_data["consent"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Persona aggiunta al gruppo."))
            return redirect("collective:group", obj.pk)
    return render_page(request, "collective/member_form.html", {"group": obj, "form": form}, form, personal=True)


@permission_required("collective.change_group", get_object=_group)
def member_remove(request, pk, person_pk, obj):
    person = get_object_or_404(people_visible_to(request.user), pk=person_pk, group_memberships__group=obj)
    if request.method == "POST":
        if request.POST.get("confirm"):
            services.remove_member(obj, person, by=request.user)
            messages.success(request, _("La persona non fa più parte del gruppo."))
            return redirect("collective:group", obj.pk)
        messages.error(request, _("Spunta la conferma per procedere."))
    return render_page(request, "collective/member_remove.html", {"group": obj, "person": person}, personal=True)


# -- meetings -------------------------------------------------------------------------------


@permission_required("collective.add_meeting")
def meeting_create(request):
    group = None
    if request.GET.get("gruppo"):
        group = get_object_or_404(queries.groups_visible_to(request.user), pk=_int(request.GET["gruppo"]))
        if not request.user.has_perm("collective.change_group", group):
            raise PermissionDenied
    city = group.city if group else city_of(request.user)
    form = forms.MeetingForm(request.POST or None, user=request.user, group=group, city=city)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        try:
            services.save_meeting(meeting, by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Incontro fissato."))
            return redirect("collective:meeting", meeting.pk)
    return render_page(request, "collective/meeting_form.html", {"form": form, "group": group}, form)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _meeting(request, pk):
    return get_object_or_404(Meeting.objects.select_related("neighbourhood", "place", "group"), pk=pk)


@permission_required("collective.view_meeting", get_object=_meeting)
def meeting_detail(request, pk, obj):
    attendees = list(obj.attendees.order_by("display_name", "pk"))
    decisions = list(queries.decisions_of(obj))
    if attendees or any(d.need_id or d.offer_id for d in decisions):
        audit.record_read(request, obj, reason="presenze dell'incontro")
    can_change = request.user.has_perm("collective.change_meeting", obj)
    return render_page(
        request,
        "collective/meeting_detail.html",
        {
            "meeting": obj,
            "attendees": attendees,
            "decisions": decisions,
            "can_change": can_change,
            "decision_form": forms.DecisionForm(city=obj.city) if can_change else None,
            "decision_panels": extensions.panels(extensions.decision_panels),  # e.g. make it a commitment
        },
        personal=True,
    )


@permission_required("collective.change_meeting", get_object=_meeting)
def meeting_edit(request, pk, obj):
    form = forms.MeetingForm(request.POST or None, instance=obj, user=request.user, group=obj.group, city=obj.city)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        try:
            services.save_meeting(meeting, by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Incontro aggiornato."))
            return redirect("collective:meeting", obj.pk)
    return render_page(request, "collective/meeting_form.html", {"form": form, "meeting": obj, "group": obj.group}, form)


def _attendable(meeting):
    if meeting.group_id:
        return Person.objects.filter(group_memberships__group_id=meeting.group_id).distinct().order_by("display_name", "pk")
    return Person.objects.none()


@permission_required("collective.change_meeting", get_object=_meeting)
def meeting_record(request, pk, obj):
    members = _attendable(obj)
    form = forms.AttendanceForm(
        request.POST or None,
        members=members,
        initial={
            "attendees": list(obj.attendees.values_list("pk", flat=True)),
            "attendance_count": obj.attendance_count,
            "minutes": obj.minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_attendance(
                obj,
                by=request.user,
                attendees=list(data["attendees"]) if "attendees" in data else None,
                attendance_count=data["attendance_count"],
                minutes=data["minutes"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Presenze e verbale salvati."))
            return redirect("collective:meeting", obj.pk)
    # The form shows who attended: a read like the meeting's page.
    audit.record_read(request, obj, reason="presenze dell'incontro (modifica)")
    return render_page(request, "collective/meeting_record.html", {"meeting": obj, "form": form}, form, personal=True)


@require_POST
@permission_required("collective.change_meeting", get_object=_meeting)
def decision_add(request, pk, obj):
    form = forms.DecisionForm(request.POST, city=obj.city)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_decision(obj, by=request.user, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Decisione registrata."))
            return redirect("collective:meeting", obj.pk)
    return render_page(request, "collective/decision_form.html", {"meeting": obj, "form": form}, form)


def _decision(request, pk):
    return get_object_or_404(Decision.objects.select_related("meeting", "meeting__group", "meeting__neighbourhood"), pk=pk)


def _decision_meeting(request, pk):
    return _decision(request, pk).meeting


@require_POST
@permission_required("collective.change_meeting", get_object=_decision_meeting)
def decision_done(request, pk, obj):
    decision = _decision(request, pk)
    services.set_decision_done(decision, request.POST.get("done") == "1", by=request.user)
    messages.success(request, _("Decisione aggiornata."))
    return redirect("collective:meeting", obj.pk)


@permission_required("collective.change_meeting", get_object=_decision_meeting)
def decision_market(request, pk, obj):
    decision = _decision(request, pk)
    if decision.need_id or decision.offer_id:
        messages.info(request, _("Questa decisione ha già aperto una richiesta o un'offerta."))
        return redirect("collective:meeting", obj.pk)
    people = _attendable(obj) if obj.group_id else people_visible_to(request.user).filter(neighbourhood=obj.neighbourhood)
    people = people.filter(pk__in=people_visible_to(request.user).values("pk"), anonymised_at__isnull=True)
    form = forms.MarketForm(request.POST or None, people=people, decision=decision)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.open_in_market(decision, side=data["side"], person=data["person"], text=data["text"], kind=data["kind"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Aperta nel mercato."))
            return redirect("collective:meeting", obj.pk)
    return render_page(request, "collective/decision_market.html", {"meeting": obj, "decision": decision, "form": form}, form, personal=True)


# -- calendars ------------------------------------------------------------------------------


@permission_required("collective.view_calendar")
def calendar_view(request):
    city = city_of(request.user)
    neighbourhoods = list(neighbourhoods_for(request.user).order_by("name"))
    chosen = next((n for n in neighbourhoods if str(n.pk) == request.GET.get("quartiere", "")), None)
    if chosen is None and is_worker(request.user) and neighbourhoods:
        chosen = neighbourhoods[0]
    meetings = queries.meetings_visible_to(request.user)
    if chosen is not None:
        meetings = meetings.filter(neighbourhood=chosen)
    first = queries.parse_month(request.GET.get("mese"))
    days, previous, following = queries.month_of(meetings, first)
    return render_page(
        request,
        "collective/calendar.html",
        {
            "city": city,
            "neighbourhoods": neighbourhoods,
            "chosen": chosen,
            "days": days,
            "month": first,
            "previous": previous,
            "following": following,
        },
    )


def public_calendar(request):
    city = current_city()
    first = queries.parse_month(request.GET.get("mese"))
    meetings = queries.public_meetings(city) if city else Meeting.objects.none()
    days, previous, following = queries.month_of(meetings, first)
    return render_page(
        request,
        "collective/public_calendar.html",
        {
            "days": days,
            "month": first,
            "previous": previous,
            "following": following,
            "ical_url": request.build_absolute_uri(reverse("collective:public_ical")),
        },
    )


def public_meeting(request, pk):
    city = current_city()
    meeting = get_object_or_404(queries.public_meetings(city) if city else Meeting.objects.none(), pk=pk)
    return render_page(request, "collective/public_meeting.html", {"meeting": meeting})


def public_ical(request):
    city = current_city()
    since = timezone.now() - timezone.timedelta(days=ical.PAST_DAYS)
    meetings = queries.public_meetings(city).filter(starts_at__gte=since)[: ical.MAX_EVENTS] if city else []
    body = ical.calendar(
        meetings,
        city=city,
        name=_("Incontri pubblici"),
        url_for=lambda m: request.build_absolute_uri(reverse("collective:public_meeting", args=[m.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="incontri-pubblici.ics"'
    return response
