from django.shortcuts import get_object_or_404, render

from .models import EthnicGroup
from .services.queries import groups_with_counts, records_for_group


def group_list(request):
    groups = groups_with_counts(request.user).order_by("name")
    return render(request, "archive/group_list.html", {"groups": groups})


def group_detail(request, slug):
    group = get_object_or_404(EthnicGroup, slug=slug)
    records = list(records_for_group(group, request.user))
    by_type = {"festival": [], "custom": [], "recording": []}
    for record in records:
        by_type.setdefault(record.record_type, []).append(record)
    return render(
        request,
        "archive/group_detail.html",
        {"group": group, "by_type": by_type, "record_count": len(records)},
    )
