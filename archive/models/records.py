"""Heritage records: festivals, customs and language recordings as Wagtail pages.

They share one concrete base table (``RecordPage``) rather than an abstract base, so that
access level, accession number, groups and places live in one place: the access gate,
search facets and later the API and OAI-PMH query a single table across all record types.
"""

from django.contrib.auth.models import Group
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet

from ..access import AccessLevel, can_view, visible_records_q
from ..blocks import BodyBlock
from ..fuzzy_dates import DatePrecision, FuzzyDate
from ..languages import bcp47
from ..record_form import RecordAdminForm
from ..rights import LICENCE_URLS, Licence, RightsStatement, licence_allows_download
from .protocols import ProtocolMode


class RecordQuerySet(PageQuerySet):
    def visible_to(self, user):
        return self.filter(visible_records_q(user))


RecordManager = PageManager.from_queryset(RecordQuerySet)


class RecordTag(TaggedItemBase):
    content_object = ParentalKey("archive.RecordPage", related_name="tagged_items")


class RecordPage(Page):
    """Fields and rules shared by every heritage record type. Never created on its own."""

    # Provincial officers keep records within their units (archive/record_form.py).
    base_form_class = RecordAdminForm

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    accession_number = models.CharField(
        _("accession number"), max_length=20, unique=True, editable=False, null=True
    )
    ethnic_groups = ParentalManyToManyField(
        "archive.EthnicGroup", blank=True, related_name="records", verbose_name=_("ethnic groups")
    )
    provinces = ParentalManyToManyField(
        "archive.Province",
        blank=True,
        related_name="records",
        verbose_name=_("provinces (current units)"),
    )
    former_provinces = ParentalManyToManyField(
        "archive.FormerProvince",
        blank=True,
        related_name="records",
        verbose_name=_("provinces (as named before July 2025)"),
        help_text=_("The current unit is added automatically."),
    )
    locality = models.CharField(_("commune, ward or village"), max_length=200, blank=True)
    subjects = ClusterTaggableManager(through=RecordTag, blank=True, verbose_name=_("subjects"))

    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        blank=True,
        default=DatePrecision.UNKNOWN,
    )
    date_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    date_month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    date_day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)

    source = models.TextField(_("source and provenance"), blank=True)
    # A bulk import's own key (a field register's row id, a partner's identifier), so a
    # sheet imported again updates the records it made instead of making new ones.
    source_identifier = models.CharField(
        _("source identifier"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("The identifier this record has in the sheet or system it came from."),
    )
    rights_statement = models.URLField(
        _("rights statement"),
        choices=RightsStatement.choices,
        default=RightsStatement.NOT_EVALUATED,
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, blank=True)
    access_level = models.CharField(
        _("access level"),
        max_length=12,
        choices=AccessLevel.choices,
        default=AccessLevel.PUBLIC,
        db_index=True,
    )
    allowed_groups = ParentalManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name=_("groups allowed to see it"),
        help_text=_("Only used when the access level is 'restricted to named groups'."),
    )
    tk_labels = ParentalManyToManyField(
        "archive.TKLabel",
        blank=True,
        related_name="records",
        verbose_name=_("Traditional Knowledge labels"),
        help_text=_("Local Contexts TK labels the community applies to this record."),
    )
    access_note = models.TextField(
        _("access note"),
        blank=True,
        help_text=_("Why access is limited, shown to visitors who may see the record."),
    )
    protocol_mode = models.CharField(
        _("how protocols combine"),
        max_length=3,
        choices=ProtocolMode.choices,
        default=ProtocolMode.ALL,
    )
    # Kept by the consent service (archive/services/consent.py) on every consent change,
    # so the gate reads one column instead of the consent history.
    consent_public_web_ok = models.BooleanField(
        _("all speakers consent to the public web"), default=True, editable=False
    )
    consent_archive_ok = models.BooleanField(
        _("no speaker has withdrawn consent to archiving"), default=True, editable=False
    )
    is_demo = models.BooleanField(_("demo material"), default=False)
    unverified = models.BooleanField(
        _("unverified facts"),
        default=False,
        help_text=_("Some facts come from uncertain sources and need checking by a curator."),
    )

    objects = RecordManager()

    is_creatable = False
    exclude_fields_in_copy = ["accession_number"]
    record_type = ""

    description_panels = [
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("vernacular_titles", label=_("Titles in the community's language")),
        InlinePanel("media_links", label=_("Media")),
    ]
    catalogue_panels = [
        MultiFieldPanel(
            [
                FieldPanel("ethnic_groups"),
                FieldPanel("provinces"),
                FieldPanel("former_provinces"),
                FieldPanel("locality"),
            ],
            heading=_("Who and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("date_precision"),
                FieldRowPanel(
                    [FieldPanel("date_year"), FieldPanel("date_month"), FieldPanel("date_day")]
                ),
            ],
            heading=_("Date"),
        ),
        FieldPanel("subjects"),
        InlinePanel("contributors", label=_("Contributors")),
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldPanel("rights_statement"),
                FieldPanel("licence"),
                FieldPanel("unverified"),
                FieldPanel("is_demo"),
            ],
            heading=_("Source and rights"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("access_level"),
                FieldPanel("allowed_groups"),
                InlinePanel("protocol_links", label=_("Cultural protocols")),
                FieldPanel("protocol_mode"),
                FieldPanel("tk_labels"),
                FieldPanel("access_note"),
            ],
            heading=_("Access"),
        ),
    ]

    class Meta:
        verbose_name = _("heritage record")
        verbose_name_plural = _("heritage records")
        permissions = [
            ("view_restricted_records", _("Can see records restricted to named groups")),
            ("view_closed_records", _("Can see closed records")),
        ]

    # -- rules about one record -------------------------------------------------------------

    def permissions_for_user(self, user):
        # Every Wagtail page view asks this: officers act only within their provincial
        # units (archive.permissions, through archive.admin_permissions).
        from ..admin_permissions import RecordPermissionTester

        return RecordPermissionTester(user, self)

    @property
    def fuzzy_date(self) -> FuzzyDate:
        return FuzzyDate(self.date_precision, self.date_year, self.date_month, self.date_day)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        problem = self.fuzzy_date.validation_error()
        if problem:
            raise ValidationError({"date_precision": problem})

    def is_visible_to(self, user) -> bool:
        return can_view(self, user)

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def allows_download(self) -> bool:
        return licence_allows_download(self.licence)

    @property
    def specific_type_label(self) -> str:
        return self.specific_class._meta.verbose_name

    def save(self, *args, **kwargs):
        if not self.accession_number:
            from ..accessioning import next_accession_number

            self.accession_number = next_accession_number()
        super().save(*args, **kwargs)

    # -- public serving ----------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        # A record the visitor may not see does not exist for them: 404, not 403, so that
        # even the existence (and title) of a closed record is not revealed.
        if not getattr(request, "is_preview", False) and not self.is_visible_to(request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..services.record_context import record_context

        context = super().get_context(request, *args, **kwargs)
        context.update(record_context(self, request))
        return context


class VernacularTitle(Orderable):
    """A name or title in the community's own language and script."""

    record = ParentalKey(RecordPage, related_name="vernacular_titles", on_delete=models.CASCADE)
    text = models.CharField(_("text"), max_length=255)
    language = models.CharField(_("language (ISO 639-3)"), max_length=3)
    script = models.CharField(
        _("script (ISO 15924)"),
        max_length=4,
        blank=True,
        help_text=_("For example Latn, Khmr, Tavt."),
    )

    panels = [FieldPanel("text"), FieldRowPanel([FieldPanel("language"), FieldPanel("script")])]

    @property
    def lang_tag(self) -> str:
        return bcp47(self.language, self.script)


class ContributorRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    SINGER = "singer", _("Singer")
    PERFORMER = "performer", _("Performer")
    INTERPRETER = "interpreter", _("Interpreter")
    RESEARCHER = "researcher", _("Researcher")
    RECORDER = "recorder", _("Recordist")
    TRANSCRIBER = "transcriber", _("Transcriber")
    TRANSLATOR = "translator", _("Translator")
    PHOTOGRAPHER = "photographer", _("Photographer")


class RecordContributor(Orderable):
    record = ParentalKey(RecordPage, related_name="contributors", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "archive.Person", on_delete=models.PROTECT, related_name="contributions"
    )
    role = models.CharField(_("role"), max_length=20, choices=ContributorRole.choices)

    panels = [FieldPanel("person"), FieldPanel("role")]


class FestivalCalendar(models.TextChoices):
    LUNAR = "lunar", _("Vietnamese lunar calendar")
    SOLAR = "solar", _("Solar (Gregorian) calendar")
    CHAM = "cham", _("Cham calendar")


class HeritageStatus(models.TextChoices):
    NONE = "none", _("Not listed")
    PROVINCIAL = "provincial", _("Provincial heritage")
    NATIONAL = "national", _("National intangible heritage")
    UNESCO_REPRESENTATIVE = "unesco_representative", _("UNESCO Representative List")
    UNESCO_URGENT = "unesco_urgent", _("UNESCO Urgent Safeguarding List")


class FestivalPage(RecordPage):
    calendar = models.CharField(
        _("calendar"), max_length=10, choices=FestivalCalendar.choices, default="lunar"
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day_start = models.PositiveSmallIntegerField(_("first day"), null=True, blank=True)
    day_end = models.PositiveSmallIntegerField(_("last day"), null=True, blank=True)
    leap_month = models.BooleanField(
        _("held in the leap month"),
        default=False,
        help_text=_(
            "Only for festivals held in a leap month; they happen only in years that have it."
        ),
    )
    recurrence_note = models.TextField(_("recurrence notes"), blank=True)
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"), null=True, blank=True)
    rituals = models.TextField(_("rituals and activities"), blank=True)
    heritage_status = models.CharField(
        _("heritage status"), max_length=30, choices=HeritageStatus.choices, default="none"
    )
    heritage_note = models.CharField(_("heritage listing"), max_length=255, blank=True)

    parent_page_types = ["archive.RecordIndexPage"]
    subpage_types = []
    record_type = "festival"

    content_panels = (
        Page.content_panels
        + RecordPage.description_panels
        + [
            MultiFieldPanel(
                [
                    FieldPanel("calendar"),
                    FieldRowPanel(
                        [FieldPanel("month"), FieldPanel("day_start"), FieldPanel("day_end")]
                    ),
                    FieldPanel("leap_month"),
                    FieldPanel("recurrence_note"),
                    FieldPanel("duration_days"),
                ],
                heading=_("When it is held"),
            ),
            FieldPanel("rituals"),
            FieldRowPanel([FieldPanel("heritage_status"), FieldPanel("heritage_note")]),
        ]
        + RecordPage.catalogue_panels
    )

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")

    def next_occurrences(self, after=None, count=2):
        from ..festival_dates import next_occurrences_for

        return next_occurrences_for(self, after=after, count=count)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["next_dates"] = self.next_occurrences(count=2)
        return context


class CustomCategory(models.TextChoices):
    RITE_OF_PASSAGE = "rite_of_passage", _("Rite of passage")
    BELIEF = "belief", _("Belief")
    MUSIC_DANCE = "music_dance", _("Music and dance")
    CRAFT = "craft", _("Craft")
    CUISINE = "cuisine", _("Cuisine")
    ATTIRE = "attire", _("Attire")
    FARMING = "farming", _("Farming")
    OTHER = "other", _("Other")


class CustomPage(RecordPage):
    category = models.CharField(_("category"), max_length=20, choices=CustomCategory.choices)

    parent_page_types = ["archive.RecordIndexPage"]
    subpage_types = []
    record_type = "custom"

    content_panels = (
        Page.content_panels
        + [FieldPanel("category")]
        + RecordPage.description_panels
        + RecordPage.catalogue_panels
    )

    class Meta:
        verbose_name = _("custom or practice")
        verbose_name_plural = _("customs and practices")


class RecordingGenre(models.TextChoices):
    SONG = "song", _("Song")
    STORY = "story", _("Story")
    PRAYER = "prayer", _("Prayer")
    CONVERSATION = "conversation", _("Conversation")
    WORD_LIST = "word_list", _("Word list")
    OTHER = "other", _("Other")


class RecordingPage(RecordPage):
    language = models.CharField(_("language (ISO 639-3)"), max_length=3)
    dialect = models.CharField(_("dialect"), max_length=100, blank=True)
    genre = models.CharField(_("genre"), max_length=20, choices=RecordingGenre.choices)
    recording_place = models.CharField(_("recording place"), max_length=255, blank=True)
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("In the language of the recording.")
    )
    translation = models.TextField(_("translation"), blank=True)

    parent_page_types = ["archive.RecordIndexPage"]
    subpage_types = []
    record_type = "recording"

    content_panels = (
        Page.content_panels
        + [
            FieldRowPanel([FieldPanel("language"), FieldPanel("dialect"), FieldPanel("genre")]),
            FieldPanel("recording_place"),
        ]
        + RecordPage.description_panels
        + [FieldPanel("transcript"), FieldPanel("translation")]
        + RecordPage.catalogue_panels
    )

    class Meta:
        verbose_name = _("language recording")
        verbose_name_plural = _("language recordings")

    @property
    def language_tag(self) -> str:
        return bcp47(self.language)


class RecordIndexPage(Page):
    """An archive section (festivals, customs, recordings) listing what the visitor may see."""

    intro = models.TextField(_("introduction"), blank=True)
    record_type = models.CharField(
        _("lists"),
        max_length=20,
        choices=[
            ("festival", _("Festivals")),
            ("custom", _("Customs and practices")),
            ("recording", _("Language recordings")),
        ],
    )

    parent_page_types = ["heritage.HomePage"]
    subpage_types = ["archive.FestivalPage", "archive.CustomPage", "archive.RecordingPage"]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("record_type")]

    class Meta:
        verbose_name = _("archive section")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from ..services.harvested import mark_sources

        context = super().get_context(request, *args, **kwargs)
        records = (
            RecordPage.objects.child_of(self)
            .visible_to(request.user)
            .order_by("title")
            .prefetch_related("ethnic_groups", "provinces")
        )
        page = Paginator(records, 24).get_page(request.GET.get("page"))
        # Cards of harvested records name their source: one query for the page's rows.
        page.object_list = mark_sources(page.object_list)
        context["records"] = page
        return context
