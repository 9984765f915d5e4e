"""Cultural protocols, their links to records and media, and access requests.

A protocol is a community's rule for who may see an item: registered users, a named
group, men or women of a community (membership of the group the protocol names), a season
(date windows in the Vietnamese lunar or the solar calendar), or closed. Records and media
assets carry zero or more of them and say whether *all* must hold or *any* may. The rules
are decided in one place, ``archive.access``; these models only hold the data.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable


class ProtocolKind(models.TextChoices):
    REGISTERED = "registered", _("Registered users")
    GROUP = "group", _("Members of a community group")
    MEN = "men", _("Men only")
    WOMEN = "women", _("Women only")
    SEASONAL = "seasonal", _("Seasonal")
    CLOSED = "closed", _("Closed (the description is hidden too)")


class ProtocolMode(models.TextChoices):
    ALL = "all", _("All protocols must hold")
    ANY = "any", _("Any one protocol is enough")


class SeasonCalendar(models.TextChoices):
    LUNAR = "lunar", _("Vietnamese lunar calendar")
    SOLAR = "solar", _("Solar (Gregorian) calendar")


# Protocols decided by membership of the group they name.
GROUP_KINDS = (ProtocolKind.GROUP, ProtocolKind.MEN, ProtocolKind.WOMEN)


class Protocol(models.Model):
    """One cultural protocol, reusable across records and media."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown to visitors with the restriction.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProtocolKind.choices)
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("group"),
        help_text=_(
            "For community, men-only and women-only protocols: the group whose members "
            "may see the item."
        ),
    )
    calendar = models.CharField(
        _("calendar"),
        max_length=10,
        choices=SeasonCalendar.choices,
        default=SeasonCalendar.LUNAR,
        help_text=_("For seasonal protocols."),
    )
    start_month = models.PositiveSmallIntegerField(_("first month"), null=True, blank=True)
    start_day = models.PositiveSmallIntegerField(_("first day"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("last month"), null=True, blank=True)
    end_day = models.PositiveSmallIntegerField(_("last day"), null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("kind"),
        FieldPanel("group"),
        MultiFieldPanel(
            [
                FieldPanel("calendar"),
                FieldRowPanel([FieldPanel("start_month"), FieldPanel("start_day")]),
                FieldRowPanel([FieldPanel("end_month"), FieldPanel("end_day")]),
            ],
            heading=_("Season (inclusive; a window may run over the new year)"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("cultural protocol")
        verbose_name_plural = _("cultural protocols")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind in GROUP_KINDS and not self.group_id:
            raise ValidationError({"group": _("This kind of protocol needs a group.")})
        if self.kind == ProtocolKind.SEASONAL:
            window = (self.start_month, self.start_day, self.end_month, self.end_day)
            if any(v is None for v in window):
                raise ValidationError(
                    {"start_month": _("A seasonal protocol needs its first and last day.")}
                )
            for month in (self.start_month, self.end_month):
                if not 1 <= month <= 12:
                    raise ValidationError({"start_month": _("Months run from 1 to 12.")})
            for day in (self.start_day, self.end_day):
                if not 1 <= day <= 31:
                    raise ValidationError({"start_day": _("Days run from 1 to 31.")})

    def window_contains(self, month: int, day: int) -> bool:
        """Whether (month, day) of this protocol's calendar lies in its window."""
        start = (self.start_month or 0, self.start_day or 0)
        end = (self.end_month or 0, self.end_day or 0)
        here = (month, day)
        if start <= end:
            return start <= here <= end
        return here >= start or here <= end  # runs over the new year


class RecordProtocol(Orderable):
    """A protocol carried by a record (edited in the record's access panel)."""

    record = ParentalKey(
        "archive.RecordPage", related_name="protocol_links", on_delete=models.CASCADE
    )
    protocol = models.ForeignKey(
        Protocol, on_delete=models.PROTECT, related_name="record_links", verbose_name=_("protocol")
    )

    panels = [FieldPanel("protocol")]

    class Meta(Orderable.Meta):
        verbose_name = _("protocol of a record")
        constraints = [
            models.UniqueConstraint(fields=["record", "protocol"], name="unique_record_protocol")
        ]


class AssetProtocols(models.Model):
    """The protocols of one media asset. Kept in the catalogue so the media app stays below
    it; the media app asks through its access policy (``archive.media_access``)."""

    asset = models.OneToOneField(
        "media_pipeline.MediaAsset",
        on_delete=models.CASCADE,
        related_name="protocol_set",
        verbose_name=_("media asset"),
    )
    mode = models.CharField(
        _("how protocols combine"),
        max_length=3,
        choices=ProtocolMode.choices,
        default=ProtocolMode.ALL,
    )
    protocols = models.ManyToManyField(
        Protocol, blank=True, related_name="asset_sets", verbose_name=_("protocols")
    )

    panels = [FieldPanel("asset"), FieldPanel("mode"), FieldPanel("protocols")]

    class Meta:
        verbose_name = _("protocols of a media asset")
        verbose_name_plural = _("protocols of media assets")

    def __str__(self):
        return str(self.asset)


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AccessRequest(models.Model):
    """A registered visitor's request to see a restricted record; an approved request is a
    grant, a clause of the access gate until its expiry date has passed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name=_("visitor"),
    )
    record = models.ForeignKey(
        "archive.RecordPage",
        on_delete=models.CASCADE,
        related_name="access_requests",
        verbose_name=_("record"),
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("note to the visitor"), blank=True)
    expires_on = models.DateField(
        _("access until"),
        null=True,
        blank=True,
        help_text=_("Last day of access (Vietnam time). Leave empty for no end."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        permissions = [("decide_access_requests", _("Can decide any access request"))]

    def __str__(self):
        return f"{self.user} – {self.record_id} ({self.get_status_display()})"
