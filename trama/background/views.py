from django.shortcuts import render

from trama.permissions import permission_required
from trama.shortcuts import page_of

from . import queries


@permission_required("background.view_tasks")
def troubled_tasks(request):
    page = page_of(request, queries.troubled())
    page.object_list = [queries.Attempt(result) for result in page.object_list]
    return render(request, "background/troubled_tasks.html", {"page": page, "most": queries.max_attempts()})
