"""Wagtail images and documents leave only through the access gate.

An image or a document has no access level of its own: it may be seen where it is used.
Wagtail's reference index (``ReferenceIndex``, kept up to date on every save) says where
each one is used, and the rule is the strictest use wins:

- every record that uses it must be visible to the visitor (``archive.access``);
- every other page that uses it must be live and carry no Wagtail view restriction;
- other objects that use it (snippets, site settings) are public places;
- a file used nowhere is for the editors only (an upload not placed yet, or a transcript
  kept as a document).

People who work in the admin (``wagtailadmin.access_admin``) and officers who see closed
records receive every file: the admin shows the whole library to them already.

Images: ``/media/images/<rendition>`` (renditions, metadata stripped) follows the rule;
``/media/original_images/<file>`` (GPS and camera data kept) is for the admin only. Nothing
else under ``MEDIA_ROOT`` is served, in development too; a deployment must not alias
``MEDIA_ROOT`` in its web server.
"""

from __future__ import annotations

import mimetypes

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from archive.access import VIEW_CLOSED_PERM, visible_records_q
from archive.audit_events import record_event
from media_pipeline.sendfile import file_response

from .audit.actions import ORIGINAL_DOWNLOADED


def _staff(user) -> bool:
    return bool(
        user is not None
        and user.is_active
        and (user.has_perm("wagtailadmin.access_admin") or user.has_perm(VIEW_CLOSED_PERM))
    )


def visible_to(obj, user) -> bool:
    """Whether ``user`` may receive the image or document ``obj`` (see the module doc)."""
    if _staff(user):
        return True
    uses = ReferenceIndex.objects.filter(
        to_content_type=ReferenceIndex._get_base_content_type(obj), to_object_id=str(obj.pk)
    ).values_list("base_content_type_id", "object_id")
    page_type = ContentType.objects.get_for_model(Page).pk
    page_ids = set()
    for content_type_id, object_id in set(uses):
        if content_type_id != page_type:
            continue  # a snippet or a setting: a public place
        page_ids.add(int(object_id))
    if not uses:
        return False
    if not page_ids:
        return True
    from archive.models import RecordPage

    records = set(RecordPage.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
    if records:
        allowed = RecordPage.objects.filter(visible_records_q(user), pk__in=records)
        if allowed.count() != len(records):
            return False
    others = page_ids - records
    for page in Page.objects.filter(pk__in=others):
        # get_view_restrictions() covers restrictions set on an ancestor too.
        if not page.live or page.get_view_restrictions().exists():
            return False
    if len(others) != Page.objects.filter(pk__in=others).count():
        return False  # a use by a page that no longer exists: stale index, refuse
    return True


def _file_response(request, field_file, visible_to_all: bool):
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    # nginx sends the bytes when DSS_ACCEL_REDIRECT is on (media_pipeline.sendfile).
    response = file_response(request, field_file.path, content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # What anyone may see may be kept by the browser for a while, never by shared caches
    # (closing a record must take effect there at once, as for media in /files/); a
    # restricted file is not kept at all, so it cannot be read back from a shared computer.
    response["Cache-Control"] = "private, max-age=600" if visible_to_all else "private, no-store"
    return response


@require_safe
def serve_media(request, path: str):
    """``/media/<path>``: image renditions through the gate, originals for the admin only."""
    Image = get_image_model()
    if path.startswith("images/"):
        rendition = (
            Image.get_rendition_model().objects.select_related("image").filter(file=path).first()
        )
        if rendition is None or not visible_to(rendition.image, request.user):
            raise Http404
        return _file_response(request, rendition.file, visible_to(rendition.image, None))
    if path.startswith("original_images/"):
        image = Image.objects.filter(file=path).first()
        if image is None or not _staff(request.user):
            raise Http404
        record_event(ORIGINAL_DOWNLOADED, user=request.user, obj=image)  # the audit trail
        return _file_response(request, image.file, False)
    raise Http404


def refuse_hidden_document(document, request):
    """``before_serve_document`` hook: a 404 for a document the visitor may not see."""
    if not visible_to(document, request.user):
        raise Http404
