"""Exchange with other instances: the peers we harvest, and what we hold from each.

A harvested record is an ordinary ``RecordPage`` (so pages, search, facets, sitemap and
OAI-PMH serve it through the usual machinery and the usual gate) plus one
``HarvestedRecord`` row naming its source. That row is what keeps it apart from local
records: nobody may edit it (``archive.permissions``), and the harvester only ever touches
pages it made itself.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class PeerProtocol(models.TextChoices):
    OAI_DC = "oai_dc", _("OAI-PMH, Dublin Core (oai_dc)")
    OLAC = "olac", _("OAI-PMH, OLAC")
    JSON_API = "json", _("JSON API")


class Peer(models.Model):
    """Another instance (a province, or the national aggregator) we harvest records from.

    Its media always stays at its own site: a harvested record links to it
    (``HarvestedRecord.media_urls``) and nothing is copied here."""

    label = models.SlugField(
        _("label"),
        max_length=50,
        unique=True,
        help_text=_("Short name, the namespace of its identifiers (lao-cai)."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    base_url = models.URLField(
        _("base URL"), help_text=_("The OAI-PMH endpoint (…/oai) or the JSON API root.")
    )
    protocol = models.CharField(
        _("protocol"), max_length=10, choices=PeerProtocol.choices, default=PeerProtocol.OAI_DC
    )
    set_spec = models.CharField(
        _("set"), max_length=200, blank=True, help_text=_("Only this OAI set, e.g. group:tay.")
    )
    since = models.DateTimeField(
        _("harvest from"), null=True, blank=True, help_text=_("First harvest starts here.")
    )
    enabled = models.BooleanField(_("harvest on schedule"), default=True)
    interval_minutes = models.PositiveIntegerField(_("every (minutes)"), default=24 * 60)
    public_key = models.TextField(
        _("public key"),
        blank=True,
        help_text=_("Ed25519 public key (PEM or raw base64) that signs its bundles."),
    )

    # The last successful point: the highest datestamp of a harvest that completed.
    last_datestamp = models.DateTimeField(_("harvested up to"), null=True, editable=False)
    last_success_at = models.DateTimeField(_("last complete harvest"), null=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, editable=False)
    # A harvest that stopped part-way: where it started and the token of the next page.
    pending_from = models.DateTimeField(null=True, editable=False)
    resumption_token = models.TextField(blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("name")]),
        FieldPanel("base_url"),
        FieldRowPanel([FieldPanel("protocol"), FieldPanel("set_spec"), FieldPanel("since")]),
        FieldRowPanel([FieldPanel("enabled"), FieldPanel("interval_minutes")]),
        MultiFieldPanel([FieldPanel("public_key")], heading=_("Trust")),
    ]

    class Meta:
        verbose_name = _("peer archive")
        verbose_name_plural = _("peer archives")
        ordering = ["label"]

    def __str__(self):
        return self.name or self.label


class HarvestedRecord(models.Model):
    """One record held here as a read-only copy of a peer's record."""

    peer = models.ForeignKey(
        Peer, on_delete=models.PROTECT, related_name="records", verbose_name=_("source")
    )
    record = models.OneToOneField(
        "archive.RecordPage",
        on_delete=models.CASCADE,
        related_name="harvested",
        verbose_name=_("record"),
    )
    # The source's own identifier (its OAI identifier); with the peer it is unique.
    remote_identifier = models.CharField(_("identifier at the source"), max_length=255)
    original_url = models.URLField(_("original"), max_length=500, blank=True)
    datestamp = models.DateTimeField(_("datestamp at the source"))
    media_urls = models.JSONField(_("media at the source"), default=list, blank=True)

    class Meta:
        verbose_name = _("harvested record")
        verbose_name_plural = _("harvested records")
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "remote_identifier"], name="harvested_once_per_peer"
            )
        ]

    def __str__(self):
        return f"{self.peer.label}:{self.remote_identifier}"
