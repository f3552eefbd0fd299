"""Practice sheets: the staff's and partners' list and search, writing, review, publication, the public pages,
and "who has done something like this?" from a need."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama.access import is_partner
from trama.initiatives.queries import initiatives_visible_to
from trama.market.models import Need
from trama.permissions import permission_required, refuse
from trama.privacy import audit
from trama.shortcuts import form_errors_from, page_of, render_page
from trama.territory.queries import city_of, current_city

from . import forms, queries, services
from .models import Practice

PAGE_SIZE = 20


def practice_or_404(request, pk):
    return get_object_or_404(Practice.objects.select_related("initiative", "group", "organisation", "written_by", "reviewed_by"), pk=pk)


def _search(request, practices, form):
    if form.is_valid():
        data = form.cleaned_data
        practices = queries.search(practices, data["cerca"], data["tema"], data["quartiere"])
        if data.get("stato"):
            practices = practices.filter(status=data["stato"])
    elif form.is_bound:
        practices = practices.none()
    return practices


@permission_required("practices.list_practices")
def practice_list(request):
    city = city_of(request.user)
    form = forms.StaffSearchForm(request.GET or None, city=city)
    practices = _search(request, queries.practices_visible_to(request.user), form)
    page = page_of(request, practices.order_by("-updated_at", "-pk"), PAGE_SIZE)
    return render_page(request, "practices/practices.html", {"form": form, "page": page}, form=form)


def _prefill(request, user):
    initial = {}
    initiative = request.GET.get("iniziativa", "")
    if initiative.isdigit():
        found = initiatives_visible_to(user).filter(pk=initiative).first()
        if found is not None:
            initial["initiative"] = found.pk
            initial["title"] = found.name
    theme = request.GET.get("tema", "")
    if theme.isdigit():
        initial["themes"] = [int(theme)]
    return initial


@permission_required("practices.add_practice")
def practice_create(request):
    user, city = request.user, city_of(request.user)
    form = forms.PracticeForm(request.POST or None, user=user, city=city, initial=_prefill(request, user))
    if request.method == "POST" and form.is_valid():
        practice = form.save(commit=False)
        practice.city = city
        try:
            services.save_practice(practice, by=user, neighbourhoods=form.cleaned_data["neighbourhoods"], themes=form.cleaned_data["themes"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Scheda salvata come bozza. Quando è pronta, mandala in revisione."))
            return redirect("practices:detail", practice.pk)
    return render_page(request, "practices/practice_form.html", {"form": form}, form=form)


@permission_required("practices.view_practice", get_object=practice_or_404)
def practice_detail(request, pk, obj):
    user = request.user
    can_review = user.has_perm("practices.review_practice", obj)
    return render_page(
        request,
        "practices/practice_detail.html",
        {
            "practice": obj,
            "neighbourhoods": list(obj.neighbourhoods.order_by("name")),
            "themes": list(obj.themes.order_by("name")),
            "can_change": user.has_perm("practices.change_practice", obj),
            "can_review": can_review,
            "problems": services.publication_problems(obj) if can_review and obj.status == Practice.Status.APPROVED else [],
            "review_form": forms.ReviewForm(),
            "decisions": list(obj.decisions.select_related("decision__meeting", "body")) if not is_partner(user) else [],
        },
    )


@permission_required("practices.change_practice", get_object=practice_or_404)
def practice_edit(request, pk, obj):
    user = request.user
    form = forms.PracticeForm(
        request.POST or None,
        instance=obj,
        user=user,
        city=obj.city,
        initial={"neighbourhoods": list(obj.neighbourhoods.all()), "themes": list(obj.themes.all())},
    )
    if request.method == "POST" and form.is_valid():
        practice = form.save(commit=False)
        try:
            services.save_practice(practice, by=user, neighbourhoods=form.cleaned_data["neighbourhoods"], themes=form.cleaned_data["themes"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Scheda aggiornata."))
            return redirect("practices:detail", practice.pk)
    return render_page(request, "practices/practice_form.html", {"form": form, "practice": obj}, form=form)


MOVES = {
    "submit": ("practices.change_practice", services.submit, _("Scheda mandata in revisione.")),
    "approve": ("practices.review_practice", services.approve, _("Scheda approvata.")),
    "send_back": ("practices.review_practice", services.send_back, _("Scheda rimandata a chi l'ha scritta.")),
    "publish": ("practices.review_practice", services.publish, _("Scheda pubblicata: ora è sulle pagine pubbliche.")),
    "unpublish": ("practices.review_practice", services.unpublish, _("Scheda tolta dalle pagine pubbliche.")),
}


@require_POST
@permission_required("practices.view_practice", get_object=practice_or_404)
def practice_move(request, pk, obj):
    move = MOVES.get(request.POST.get("azione", ""))
    if move is None:
        raise BadRequest(_("Passaggio sconosciuto."))
    perm, function, done = move
    if not request.user.has_perm(perm, obj):
        return refuse(request)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        raise BadRequest(" ".join(str(e) for errors in form.errors.values() for e in errors))
    kwargs = {"note": form.cleaned_data["nota"]} if function in (services.approve, services.send_back) else {}
    try:
        function(obj, by=request.user, **kwargs)
    except ValidationError as error:
        return _refused(request, obj, error)
    messages.success(request, done)
    return redirect("practices:detail", obj.pk)


def _refused(request, practice, error):
    response = render_page(request, "practices/move_refused.html", {"practice": practice, "reasons": error.messages})
    response.status_code = 400
    return response


def _need_or_404(request, pk):
    return get_object_or_404(Need, pk=pk)


@permission_required("practices.compare_need", get_object=_need_or_404)
def similar_to_need(request, pk, obj):
    """Who has done something like this need? The sheets visible to the reader, closest first."""
    audit.record_read(request, obj, reason="schede di pratica simili al bisogno")
    found = queries.similar_to_need(queries.practices_visible_to(request.user), obj)
    return render_page(request, "practices/similar_to_need.html", {"need": obj, "found": found}, personal=True)


# -- public pages ------------------------------------------------------------------------------


def public_list(request):
    city = current_city()
    form = forms.SearchForm(request.GET or None, city=city)
    practices = _search(request, queries.published(city), form)
    page = page_of(request, practices.order_by("-published_at", "-pk"), PAGE_SIZE)
    return render_page(request, "practices/public_list.html", {"form": form, "page": page}, form=form)


def public_detail(request, pk):
    practice = get_object_or_404(queries.published(current_city()).select_related("organisation"), pk=pk)
    return render_page(
        request,
        "practices/public_detail.html",
        {"practice": practice, "neighbourhoods": list(practice.neighbourhoods.order_by("name")), "themes": list(practice.themes.order_by("name"))},
    )
