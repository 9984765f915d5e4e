"""``AuditEntry``: one append-only row per audited action Wagtail's own log does not hold."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryRefused(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    # Bulk paths skip ``save()``/``delete()``; close them too.
    def update(self, **kwargs):
        raise AuditEntryRefused(_("Audit entries cannot be changed."))

    def delete(self):
        raise AuditEntryRefused(_("Audit entries cannot be deleted."))


class AuditEntry(models.Model):
    """Who did what to which record, when. Names and titles are copied at the time, so an
    entry still reads right after the person or the record is renamed or removed."""

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("person"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    # The record concerned, if any (no foreign key: the entry outlives the record).
    record_id = models.IntegerField(_("record id"), null=True, blank=True, db_index=True)
    accession_number = models.CharField(_("accession number"), max_length=20, blank=True)
    label = models.CharField(_("object"), max_length=255, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        # Who may read the whole log (Administrators, Reviewers); provincial officers read
        # their own records' entries through ``archive.change_recordpage``.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditEntryRefused(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryRefused(_("Audit entries cannot be deleted."))
