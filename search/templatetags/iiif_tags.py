"""``{% iiif_manifest_url page %}``: the record's IIIF manifest address, or "" when the
record has none (manifests exist only for what the anonymous gate shows, so a signed-in
visitor on a restricted record gets no link to a 404)."""

from django import template

from search.iiif.manifests import has_manifest

register = template.Library()


@register.simple_tag
def iiif_manifest_url(page) -> str:
    from django.urls import reverse

    if not has_manifest(page):
        return ""
    return reverse("iiif:manifest", args=[page.accession_number])
