"""The search index: one denormalised, folded row per heritage record.

Text columns hold ``search.folding.index_text`` output (accent-insensitive tokens, with
Khmer/Cham/Tai Viet n-grams) for the full-text engine, plus ``accent_key`` text for
ranking exact-accent matches first and plain display text for snippets. Facet values live
in ``SearchFacetValue`` rows so that multi-valued facets (groups, provinces, languages) are
counted with one GROUP BY.

The full-text structures themselves are vendor specific and created by migration 0002:
an FTS5 external-content table on SQLite, a weighted ``tsvector`` column with a GIN index
on PostgreSQL (see ``search/fulltext.py``).

Access is NOT decided here: every query joins ``record`` and filters it with
``archive.access.visible_records_q``. The access columns below are copies kept only for
Elasticsearch, which cannot join.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    record = models.OneToOneField(
        "archive.RecordPage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    record_type = models.CharField(max_length=20, db_index=True)
    accession = models.CharField(max_length=20, blank=True)

    # Display text, NFC, per language (snippets and results; English falls back to Vietnamese).
    title_vi = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    summary_vi = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    body_vi = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    transcript = models.TextField(blank=True)
    # The same text as time-coded segments, [[start_s, end_s, text], …] (times may be null):
    # results show the matching moments without loading the record and its media.
    segments = models.JSONField(default=list, blank=True)

    # What the full-text engine indexes (folded tokens), by weight class.
    title_folded = models.TextField(blank=True)
    names_folded = models.TextField(blank=True)
    body_folded = models.TextField(blank=True)
    transcript_folded = models.TextField(blank=True)

    # Tone marks kept: ranks "Lồng Tồng" above "Lòng tong" for the query "lồng tồng".
    title_accent = models.TextField(blank=True)
    names_accent = models.TextField(blank=True)

    sort_title = models.CharField(max_length=255, blank=True, db_index=True)

    # Copies for Elasticsearch only (the database backend asks the access gate instead).
    access_level = models.CharField(max_length=12, blank=True)
    allowed_group_ids = models.JSONField(default=list, blank=True)
    live = models.BooleanField(default=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # what changed since a time: how each process's in-memory copy catches up
        indexes = [models.Index(fields=["updated_at"], name="search_document_updated")]

    def __str__(self):
        return self.title_vi or self.accession


class SearchFacetValue(models.Model):
    """One facet value of one document, e.g. ("group", "tay") or ("decade", "1990")."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=12)
    value = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="search_facet_lookup"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "facet", "value"], name="search_facet_once")
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchIndexState(models.Model):
    """One row: a token replaced on every index write (reindex, rebuild, record saves).

    Cached search results (``search/cache.py``) are keyed by it, so no process can serve a
    result computed before the index or a record's access changed. A random token, not a
    counter, so that rolled-back transactions can never make two states share a key.
    """

    token = models.CharField(max_length=32, default="initial")

    def __str__(self):
        return self.token


# -- open doors: permanent identifiers and OAI-PMH (search/tombstones.py, search/oai/) --------


class TombstoneReason(models.TextChoices):
    DELETED = "deleted", _("Deleted from the archive")
    WITHDRAWN = "withdrawn", _("Withdrawn from publication")


class Tombstone(models.Model):
    """What is left of a published record that was deleted or withdrawn: /id/ answers 410
    with it. No key to the record, which may be gone; the title only if it was public."""

    accession = models.CharField(_("accession number"), max_length=20, unique=True)
    record_id = models.BigIntegerField(_("record id"))
    title_vi = models.TextField(_("title (Vietnamese)"), blank=True)
    title_en = models.TextField(_("title (English)"), blank=True)
    reason = models.CharField(_("reason"), max_length=12, choices=TombstoneReason.choices)
    removed_at = models.DateTimeField(_("removed at"))

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")

    def __str__(self):
        return self.accession


class OaiRecordLog(models.Model):
    """Every record the anonymous gate has ever shown, and whether it still does.

    OAI-PMH lists these rows: ``public`` ones with their metadata, the others as deleted
    (deletedRecord=persistent), so a harvester learns that a record was deleted, closed or
    lost its consent. ``datestamp`` (whole seconds, UTC) is when the record or its
    visibility last changed; lists walk (datestamp, id), which keeps resumption stable."""

    record_id = models.BigIntegerField(unique=True)
    accession = models.CharField(max_length=20, unique=True)
    record_type = models.CharField(max_length=20)
    # "|group:tay|province:cao-bang|type:recording|": the sets the record was last in.
    set_specs = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    datestamp = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["datestamp", "id"], name="search_oai_walk"),
            models.Index(fields=["record_type", "datestamp", "id"], name="search_oai_walk_type"),
        ]

    def __str__(self):
        return self.accession
