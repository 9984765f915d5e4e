"""The home page: featured records and the next festivals, for the visitor at hand."""

from ..lunar import today_in_vietnam
from ..models import CollectionPage, FestivalPage, RecordPage
from .harvested import mark_sources


def upcoming_festivals(user, limit: int = 6, today=None):
    """Visible festivals sorted by their next solar date (computed from lunar dates)."""
    today = today or today_in_vietnam()
    dated = []
    for festival in FestivalPage.objects.visible_to(user):
        occurrences = festival.next_occurrences(after=today, count=1)
        if occurrences:
            dated.append((occurrences[0], festival))
    dated.sort(key=lambda pair: pair[0].start)
    return dated[:limit]


def home_context(page, request) -> dict:
    user = request.user
    return {
        # Cards need only the shared fields, so no .specific(): one query whatever the mix.
        # Harvested ones name their source (one query for the six).
        "featured": mark_sources(
            RecordPage.objects.visible_to(user).order_by("-first_published_at")[:6]
        ),
        "upcoming": upcoming_festivals(user),
        "collections": CollectionPage.objects.live().order_by("title")[:6],
    }
