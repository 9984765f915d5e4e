"""Access requests on the public site: a visitor's own requests and form, and the
liaison's queue. Rules live in ``services.access_requests``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms_access import AccessRequestForm, DecisionForm
from .models import AccessRequest, RecordPage
from .services import access_requests as requests_service


@never_cache
@login_required
def my_requests(request):
    initial = {"accession": request.GET.get("accession", "")[:20]}
    form = AccessRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            requests_service.ask(
                request.user, form.cleaned_data["accession"], form.cleaned_data["reason"]
            )
        except requests_service.NotRequestable:
            form.add_error("accession", _("No record with this accession number can be requested."))
        else:
            messages.success(request, _("Your request was sent to the community's liaison."))
            return redirect("archive:access_requests")
    mine = list(AccessRequest.objects.filter(user=request.user).select_related("record"))
    # A title is shown only while the visitor may see the record (a record closed since, or
    # a grant that has ended, shows its accession number alone).
    visible = set(
        RecordPage.objects.visible_to(request.user)
        .filter(pk__in=[r.record_id for r in mine])
        .values_list("pk", flat=True)
    )
    for item in mine:
        item.title_visible = item.record_id in visible
    context = {
        "form": form,
        "requests": mine,
        "is_liaison": requests_service.is_liaison(request.user),
        "meta_title": _("My access requests"),
    }
    return render(request, "archive/access/my_requests.html", context)


@never_cache
@login_required
def queue(request):
    if not requests_service.is_liaison(request.user):
        raise Http404
    pending = [
        (item, DecisionForm(prefix=f"r{item.pk}"))
        for item in requests_service.queue_for(request.user)
    ]
    context = {"pending": pending, "meta_title": _("Access requests to decide")}
    return render(request, "archive/access/queue.html", context)


@never_cache
@login_required
@require_POST
def decide(request, request_id):
    item = get_object_or_404(AccessRequest, pk=request_id, status="pending")
    if not requests_service.can_decide(request.user, item):
        raise Http404
    form = DecisionForm(request.POST, prefix=f"r{item.pk}")
    if not form.is_valid():
        messages.error(request, _("The decision could not be saved; check the form."))
        return redirect("archive:access_queue")
    requests_service.decide(
        item,
        request.user,
        approve=form.cleaned_data["decision"] == "approve",
        expires_on=form.cleaned_data["expires_on"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Decision saved."))
    return redirect("archive:access_queue")
