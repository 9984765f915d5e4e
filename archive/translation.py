"""Which fields are stored once per language (wagtail-modeltranslation)."""

from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import (
    CollectionIndexPage,
    CollectionPage,
    CustomPage,
    EthnicGroup,
    FestivalPage,
    LessonPack,
    Person,
    Protocol,
    RecordIndexPage,
    RecordingPage,
    RecordPage,
)


@register(RecordPage)
class RecordPageTR(TranslationOptions):
    fields = ("summary", "body", "access_note")


@register(FestivalPage)
class FestivalPageTR(TranslationOptions):
    fields = ("recurrence_note", "rituals")


@register(CustomPage)
class CustomPageTR(TranslationOptions):
    fields = ()


@register(RecordingPage)
class RecordingPageTR(TranslationOptions):
    fields = ("translation",)


@register(RecordIndexPage)
class RecordIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(CollectionPage)
class CollectionPageTR(TranslationOptions):
    fields = ("description",)


@register(CollectionIndexPage)
class CollectionIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(EthnicGroup)
class EthnicGroupTR(TranslationOptions):
    fields = ("name", "main_regions", "description")


@register(Person)
class PersonTR(TranslationOptions):
    fields = ("biography",)


@register(LessonPack)
class LessonPackTR(TranslationOptions):
    fields = ("title", "objectives", "activities", "questions")


@register(Protocol)
class ProtocolTR(TranslationOptions):
    fields = ("name", "description")
