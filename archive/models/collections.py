from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page


class CollectionPage(Page):
    """A curated, ordered set of records with its own description."""

    description = models.TextField(_("description"), blank=True)

    parent_page_types = ["archive.CollectionIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("description"),
        InlinePanel("items", label=_("Records")),
    ]

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def visible_items(self, user):
        """Items in curator order, keeping only records the visitor may see."""
        from .records import RecordPage

        visible = RecordPage.objects.visible_to(user).values("pk")
        return self.items.filter(record__in=visible).select_related("record").order_by("sort_order")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = list(self.visible_items(request.user))
        context["items"] = items
        return context


class CollectionItem(Orderable):
    collection = ParentalKey(CollectionPage, related_name="items", on_delete=models.CASCADE)
    record = models.ForeignKey(
        "archive.RecordPage", on_delete=models.CASCADE, related_name="collection_items"
    )
    note = models.TextField(_("curator's note"), blank=True)

    panels = [FieldPanel("record"), FieldPanel("note")]


class CollectionIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["heritage.HomePage"]
    subpage_types = ["archive.CollectionPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("collections section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["collections"] = CollectionPage.objects.child_of(self).live().order_by("title")
        return context
