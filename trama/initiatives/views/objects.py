"""The catalogue of intervention objects (the activities initiatives run), and the activity a group uses."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama.access import works_in
from trama.collective.models import Group
from trama.permissions import permission_required, refuse
from trama.privacy import audit
from trama.shortcuts import render_page
from trama.territory.queries import city_of

from .. import forms, queries
from ..models import GroupActivity, InterventionObject
from .common import group_url

# -- catalogue of intervention objects ---------------------------------------------------------


@permission_required("initiatives.list_objects")
def object_list(request):
    objects = queries.objects_of(city_of(request.user))
    return render_page(
        request,
        "initiatives/objects.html",
        {
            "objects": objects,
            "can_manage": request.user.has_perm("initiatives.manage_objects"),
        },
    )


def _object(request, pk):
    return get_object_or_404(InterventionObject.objects.prefetch_related("themes"), pk=pk)


@permission_required("initiatives.view_object", get_object=_object)
def object_detail(request, pk, obj):
    initiatives = queries.initiatives_visible_to(request.user).filter(intervention_object=obj).order_by("name")
    return render_page(
        request,
        "initiatives/object_detail.html",
        {
            "object": obj,
            "initiatives": initiatives,
            "can_manage": request.user.has_perm("initiatives.manage_objects", obj),
        },
    )


@permission_required("initiatives.manage_objects")
def object_create(request):
    form = forms.InterventionObjectForm(request.POST or None, city=city_of(request.user))
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        audit.record_change(request, obj, audit.Action.CREATE, reason="oggetto di intervento")
        messages.success(request, _("Attività aggiunta al catalogo."))
        return redirect("initiatives:object", obj.pk)
    return render_page(request, "initiatives/object_form.html", {"form": form}, form)


@permission_required("initiatives.manage_objects", get_object=_object)
def object_edit(request, pk, obj):
    form = forms.InterventionObjectForm(request.POST or None, instance=obj, city=obj.city)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record_change(request, obj, reason="oggetto di intervento")
        messages.success(request, _("Attività aggiornata."))
        return redirect("initiatives:object", obj.pk)
    return render_page(request, "initiatives/object_form.html", {"form": form, "object": obj}, form)


@require_POST
@permission_required("initiatives.manage_objects", get_object=_object)
def object_active(request, pk, obj):
    obj.active = request.POST.get("active") == "1"
    obj.save(update_fields=["active"])
    audit.record_change(request, obj, reason="in uso" if obj.active else "non più in uso")
    messages.success(request, _("Attività di nuovo in uso.") if obj.active else _("Attività tolta dal catalogo in uso."))
    return redirect("initiatives:object", obj.pk)


# -- the group panel: the activity a group uses -------------------------------------------------


@require_POST
@permission_required("initiatives.add_initiative")
def group_activity(request, group_pk):
    group = get_object_or_404(Group.objects.select_related("neighbourhood"), pk=group_pk)
    if not works_in(request.user, group.neighbourhood):
        return refuse(request)
    obj = InterventionObject.objects.filter(city=group.city, active=True, pk=request.POST.get("intervention_object") or 0).first()
    if obj is None:
        GroupActivity.objects.filter(group=group).delete()
        messages.info(request, _("Il gruppo non usa più un'attività del catalogo."))
    else:
        GroupActivity.objects.update_or_create(group=group, defaults={"intervention_object": obj})
        messages.success(request, _("Attività del gruppo: %(name)s.") % {"name": obj.name})
    return redirect(group_url(group))
