"""Teachers' pages: the public listing, a pack, its projector, handout and offline views, and
the builder. Thin: rules live in ``services.lesson_packs`` and ``services.offline_pack``."""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import ratelimit
from .forms_lessons import AddItemForm, LessonPackForm, PackFilterForm
from .models import LessonPack, RecordPage
from .services import lesson_packs as packs
from .services.offline_pack import OfflinePackTooLarge, plan_offline_pack, write_offline_pack
from .services.qr_codes import qr_svg
from .shell import cache_anonymous


def _pack(token) -> LessonPack:
    return get_object_or_404(LessonPack, token=token)


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _stable_url(request, item) -> str:
    lang = translation.get_language()
    path = f"/{lang}/id/{item.record.accession_number}/"
    return request.build_absolute_uri(path) + item.media_fragment


def teachers(request):
    form = PackFilterForm(request.GET or None)
    grade = subject = None
    if form.is_valid():
        grade, subject = form.cleaned_data["grade"], form.cleaned_data["subject"]
    context = {
        "form": form,
        "packs": list(packs.listed_packs(request.user, grade=grade, subject=subject)),
        "can_create": packs.can_create_packs(request.user),
        "my_packs": list(LessonPack.objects.filter(owner=request.user))
        if request.user.is_authenticated
        else [],
        "meta_title": _("For teachers"),
        "meta_description": _(
            "Lesson packs built from the archive, by grade and subject, to project, print or "
            "carry offline."
        ),
    }
    return render(request, "archive/lessons/teachers.html", context)


def _offline_summary(request, pack):
    try:
        plan = plan_offline_pack(pack, lang=translation.get_language(), site_url=_site_url(request))
    except OfflinePackTooLarge:
        return None
    return plan


def lesson_pack(request, token):
    pack = _pack(token)
    items = packs.visible_items(pack, request.user)
    plan = _offline_summary(request, pack)
    context = {
        "pack": pack,
        "items": items,
        "can_edit": packs.can_edit_pack(pack, request.user),
        "offline_size": plan.estimated_size if plan else None,
        "offline_count": len(plan.items) if plan else 0,
        "meta_title": pack.title,
        "meta_description": (pack.objectives or pack.title)[:200],
        "json_ld": _pack_json_ld(request, pack, items),
    }
    return render(request, "archive/lessons/pack.html", context)


def _pack_json_ld(request, pack, items) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": pack.title,
        "url": request.build_absolute_uri(pack.get_absolute_url()),
        "educationalLevel": pack.get_grade_display(),
        "about": pack.get_subject_display(),
        "teaches": pack.objectives,
        "inLanguage": translation.get_language(),
        "hasPart": [
            {
                "@type": "CreativeWork",
                "name": item.record.title,
                "url": _stable_url(request, item),
                "identifier": item.record.accession_number,
            }
            for item in items
        ],
    }


def projector(request, token):
    """One item per screen; next/previous are links, so arrow keys only need a little JS."""
    pack = _pack(token)
    items = packs.visible_items(pack, request.user)
    try:
        index = max(1, int(request.GET.get("item", "1")))
    except ValueError:
        index = 1
    if items and index > len(items):
        raise Http404
    current = items[index - 1] if items else None
    players = []
    if current is not None:
        from media_pipeline.presentation import players_for_record

        players = players_for_record(
            current.record, data_saver=request.COOKIES.get("datasaver") == "1", user=request.user
        )
    context = {
        "pack": pack,
        "item": current,
        "record": current.record.specific if current else None,
        "players": players,
        "index": index,
        "total": len(items),
        "noindex": True,
        "meta_title": pack.title,
    }
    return render(request, "archive/lessons/projector.html", context)


def handout(request, token):
    pack = _pack(token)
    items = packs.visible_items(pack, request.user)
    rows = []
    for number, item in enumerate(items, start=1):
        url = _stable_url(request, item)
        rows.append(
            {
                "number": number,
                "item": item,
                "url": url,
                "start": packs.format_time(item.start_s),
                "end": packs.format_time(item.end_s),
                "qr": qr_svg(url, label=_("QR code for %(title)s") % {"title": item.record.title}),
            }
        )
    context = {"pack": pack, "rows": rows, "noindex": True, "meta_title": pack.title}
    return render(request, "archive/lessons/handout.html", context)


def offline_zip(request, token):
    pack = _pack(token)
    try:
        plan = plan_offline_pack(pack, lang=translation.get_language(), site_url=_site_url(request))
    except OfflinePackTooLarge as exc:
        raise Http404 from exc
    path = _kept_zip(pack, plan)
    if path is None:
        if not ratelimit.allow("offline-pack", request, settings.DSS_OFFLINE_PACK_RATE_PER_MINUTE):
            answer = HttpResponse(
                _("Too many requests. Please wait a minute and try again."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            answer["Retry-After"] = "60"
            return answer
        path = _build_zip(pack, plan)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{plan.folder}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _zip_folder() -> Path:
    return Path(settings.DATA_DIR) / "offline-packs"


def _plan_version(plan) -> str:
    """A fingerprint of everything the ZIP is made from: the same plan (same items, same
    visibility, same texts, same media files) gives the same ZIP, so it is built once."""
    digest = hashlib.sha256(plan.folder.encode())
    for entry in plan.entries:
        digest.update(f"\0{entry.name}\0{entry.compress}\0".encode())
        if entry.data is not None:
            digest.update(hashlib.sha256(entry.data).digest())
        else:
            stat = entry.source.stat()
            digest.update(f"{entry.source}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _zip_path(pack, plan) -> Path:
    return _zip_folder() / f"{pack.token}-{_plan_version(plan)}.zip"


def _kept_zip(pack, plan) -> Path | None:
    path = _zip_path(pack, plan)
    return path if path.is_file() else None


def _build_zip(pack, plan) -> Path:
    """Write the ZIP next to its final name and rename it into place (two requests building
    the same version at once both end with a whole file); older versions are removed."""
    path = _zip_path(pack, plan)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        try:
            write_offline_pack(plan, part)
        except BaseException:
            Path(part.name).unlink(missing_ok=True)
            raise
    os.replace(part.name, path)
    for old in path.parent.glob(f"{pack.token}-*.zip"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def _editable(request, token) -> LessonPack:
    pack = _pack(token)
    if not packs.can_edit_pack(pack, request.user):
        raise PermissionDenied
    return pack


@login_required
def pack_new(request):
    if not packs.can_create_packs(request.user):
        raise PermissionDenied
    form = LessonPackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pack = form.save(commit=False)
        pack.owner = request.user
        pack.title = pack.title_vi or pack.title_en
        pack.save()
        return redirect("archive:lesson_pack_edit", token=pack.token)
    return render(
        request,
        "archive/lessons/edit.html",
        {"form": form, "pack": None, "noindex": True, "meta_title": _("New lesson pack")},
    )


@login_required
def pack_edit(request, token):
    pack = _editable(request, token)
    form = LessonPackForm(request.POST or None, instance=pack, prefix="pack")
    add_form = AddItemForm(prefix="item")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Lesson pack saved."))
        return redirect("archive:lesson_pack_edit", token=pack.token)
    context = {
        "form": form,
        "add_form": add_form,
        "pack": pack,
        "items": _items_for_editor(pack, request.user),
        "noindex": True,
        "meta_title": pack.title,
    }
    return render(request, "archive/lessons/edit.html", context)


def _items_for_editor(pack, user) -> list:
    """Every item, so the owner can reorder and remove them; an item whose record the owner
    may no longer see is marked ``hidden`` and shown without its title or number."""
    items = list(pack.items.select_related("record").order_by("sort_order", "pk"))
    visible = set(
        RecordPage.objects.visible_to(user)
        .filter(pk__in=[item.record_id for item in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.hidden = item.record_id not in visible
    return items


@login_required
@require_POST
def pack_add_item(request, token):
    pack = _editable(request, token)
    form = AddItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            packs.add_item(
                pack,
                request.user,
                form.cleaned_data["accession_number"],
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                form.cleaned_data["note"],
            )
            messages.success(request, _("Item added."))
        except packs.LessonPackError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Give the accession number of the record to add."))
    return redirect("archive:lesson_pack_edit", token=pack.token)


@login_required
@require_POST
def pack_item_action(request, token, item_id):
    pack = _editable(request, token)
    action = request.POST.get("action")
    if action == "up":
        packs.move_item(pack, item_id, -1)
    elif action == "down":
        packs.move_item(pack, item_id, 1)
    elif action == "remove":
        packs.remove_item(pack, item_id)
    return redirect("archive:lesson_pack_edit", token=pack.token)


teachers = cache_anonymous(teachers)
