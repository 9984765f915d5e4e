"""Officer-facing processing dashboard: state of every asset, derivatives, events, retry,
and attaching captions/transcripts. Thin: every action calls a service."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .core.captions import list_eaf_tiers
from .core.errors import MediaError
from .messages import sentence_for
from .models import AssetState, MediaAsset, TrackKind
from .services.captions import attach_file
from .services.processing import retry

MANAGE_PERM = "media_pipeline.change_mediaasset"


def _require(request):
    if not request.user.has_perm(MANAGE_PERM):
        raise PermissionDenied


def dashboard(request):
    _require(request)
    assets = MediaAsset.objects.order_by("-created_at").prefetch_related("derivatives")
    state = request.GET.get("state")
    if state in AssetState.values:
        assets = assets.filter(state=state)
    page = Paginator(assets, 50).get_page(request.GET.get("p"))
    busy = any(a.state in (AssetState.QUEUED, AssetState.RUNNING) for a in page)
    for asset in page:
        asset.error_sentence = sentence_for(asset.error_code) if asset.error_code else ""
    return TemplateResponse(
        request,
        "media_pipeline/admin/dashboard.html",
        {"page": page, "states": AssetState.choices, "current": state, "busy": busy},
    )


def detail(request, asset_id):
    _require(request)
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    return TemplateResponse(
        request,
        "media_pipeline/admin/detail.html",
        {
            "asset": asset,
            "error_sentence": sentence_for(asset.error_code) if asset.error_code else "",
            "events": asset.events.all()[:50],
            "tracks": asset.tracks.all(),
            "caption_form": CaptionForm(),
        },
    )


@require_POST
def retry_view(request, asset_id):
    _require(request)
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    retry(asset)
    messages.success(request, _("Processing was queued again."))
    return redirect("media_processing:detail", asset_id=asset.pk)


class CaptionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("WebVTT, ELAN (.eaf) or plain-text file"))
    language = forms.CharField(label=gettext_lazy("Language code"), max_length=20)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=TrackKind.choices)
    tier = forms.CharField(label=gettext_lazy("ELAN transcript tier"), required=False)
    translation_tier = forms.CharField(label=gettext_lazy("ELAN translation tier"), required=False)
    translation_language = forms.CharField(
        label=gettext_lazy("Translation language code"), required=False, max_length=20
    )


@require_POST
def attach_captions(request, asset_id):
    _require(request)
    asset = get_object_or_404(MediaAsset, pk=asset_id)
    form = CaptionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please fill in the file, language and kind."))
        return redirect("media_processing:detail", asset_id=asset.pk)
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        data = form.cleaned_data
        try:
            if suffix == ".eaf" and not data["tier"]:
                tiers = ", ".join(t.name for t in list_eaf_tiers(tmp.name))
                messages.error(request, _("Choose a tier. This file has: %s") % tiers)
                return redirect("media_processing:detail", asset_id=asset.pk)
            tracks = attach_file(
                asset,
                tmp.name,
                language=data["language"],
                kind=data["kind"],
                tier=data["tier"],
                translation_tier=data["translation_tier"],
                translation_language=data["translation_language"],
            )
        except (MediaError, UnicodeDecodeError, KeyError) as exc:
            detail = getattr(exc, "detail", str(exc))
            messages.error(request, f"{sentence_for('invalid_captions')} {detail}")
            return redirect("media_processing:detail", asset_id=asset.pk)
    count = sum(t.segments.count() for t in tracks)
    messages.success(request, _("Attached %(n)d segments.") % {"n": count})
    return redirect("media_processing:detail", asset_id=asset.pk)
