"""Rules for lesson packs: who may build them, what a visitor sees of them, how items are
added. Every record reaches a pack's visitors through the access gate."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ..models import LessonItem, LessonPack, RecordPage

TEACHERS_GROUP = "Teachers"
ADD_PERM = "archive.add_lessonpack"
CHANGE_PERM = "archive.change_lessonpack"


class LessonPackError(Exception):
    """A teacher's request that cannot be done, with a sentence to show them."""


def can_create_packs(user) -> bool:
    """Officers (who hold the add permission) and members of the Teachers group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(ADD_PERM) or user.groups.filter(name=TEACHERS_GROUP).exists()


def can_edit_pack(pack: LessonPack, user) -> bool:
    if not can_create_packs(user):
        return False
    return pack.owner_id == user.pk or user.has_perm(CHANGE_PERM)


def listed_packs(user, *, grade=None, subject=None):
    """Packs on the public "For teachers" page, with how many items this visitor may see."""
    visible = RecordPage.objects.visible_to(user).values("pk")
    packs = LessonPack.objects.filter(listed=True).annotate(
        visible_count=Count("items", filter=Q(items__record__in=visible))
    )
    if grade:
        packs = packs.filter(grade=grade)
    if subject:
        packs = packs.filter(subject=subject)
    return packs.order_by("grade", "title")


def visible_items(pack: LessonPack, user) -> list[LessonItem]:
    """The pack's items in the teacher's order, keeping only records the visitor may see."""
    visible = RecordPage.objects.visible_to(user).values("pk")
    return list(
        pack.items.filter(record__in=visible)
        .select_related("record", "record__content_type")
        .order_by("sort_order", "pk")
    )


def find_record_for(user, reference: str) -> RecordPage:
    """A record the editor may see, by accession number (what teachers copy from a page)."""
    reference = (reference or "").strip().upper()
    record = RecordPage.objects.visible_to(user).filter(accession_number=reference).first()
    if record is None:
        raise LessonPackError(_("No record with that accession number is available to you."))
    return record


@dataclass
class ClipRange:
    start_s: float | None = None
    end_s: float | None = None


def parse_clip(start: str, end: str) -> ClipRange:
    """Accept seconds ("75") or minutes:seconds ("1:15"); both empty means the whole record."""
    if not (start or "").strip() and not (end or "").strip():
        return ClipRange()
    try:
        values = [_seconds(v) for v in (start, end)]
    except ValueError as exc:
        raise LessonPackError(_("Write times as seconds or minutes:seconds, e.g. 1:15.")) from exc
    if values[0] >= values[1]:
        raise LessonPackError(_("A clip must end after it starts."))
    return ClipRange(*values)


def _seconds(text: str) -> float:
    text = (text or "").strip()
    if not text:
        raise ValueError("empty")
    parts = text.split(":")
    if len(parts) > 3:
        raise ValueError(text)
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    if total < 0:
        raise ValueError(text)
    return total


def add_item(pack: LessonPack, user, reference: str, start="", end="", note="") -> LessonItem:
    record = find_record_for(user, reference)
    clip = parse_clip(start, end)
    position = pack.items.count()
    return LessonItem.objects.create(
        pack=pack,
        record=record,
        start_s=clip.start_s,
        end_s=clip.end_s,
        note=(note or "").strip(),
        sort_order=position,
    )


def move_item(pack: LessonPack, item_id: int, offset: int) -> None:
    """Swap an item with its neighbour; renumbers so orders stay dense after deletions."""
    items = list(pack.items.order_by("sort_order", "pk"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        return
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(pack, items)


def remove_item(pack: LessonPack, item_id: int) -> None:
    pack.items.filter(pk=item_id).delete()
    _renumber(pack, list(pack.items.order_by("sort_order", "pk")))


def _renumber(pack: LessonPack, items: list[LessonItem]) -> None:
    """Dense positions 0..n-1, so moves stay simple after deletions."""
    for position, item in enumerate(items):
        if item.sort_order != position:
            LessonItem.objects.filter(pk=item.pk).update(sort_order=position)
    pack.save(update_fields=["updated_at"])


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"
