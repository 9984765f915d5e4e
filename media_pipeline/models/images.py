from django.core.files.base import ContentFile
from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from ..core.metadata_strip import strip_metadata


class HeritageImage(AbstractImage):
    """Wagtail's image with renditions that never carry GPS, camera-owner or other metadata.

    Wagtail (through Willow) copies EXIF into JPEG and PNG renditions; photos taken in
    villages often hold the exact location and the photographer's name, so every rendition
    file is stripped before it is stored. Orientation is applied by Wagtail before saving.
    """

    admin_form_fields = Image.admin_form_fields

    def generate_rendition_file(self, filter, *, source=None):
        generated = super().generate_rendition_file(filter, source=source)
        generated.seek(0)
        cleaned = strip_metadata(generated.read())
        return ContentFile(cleaned, name=generated.name)


class HeritageRendition(AbstractRendition):
    image = models.ForeignKey(HeritageImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
