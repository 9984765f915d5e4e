"""The audit trail: who changed, published, opened up or looked at what.

Wagtail already logs page and snippet actions (create, edit, publish, unpublish, delete,
workflow, and the consent service's entries on each record); those stay in Wagtail's
tables. This package stores what Wagtail does not see — access and protocol changes on a
record, restricted media served, originals downloaded, imports and exports — as
append-only ``AuditEntry`` rows, and shows both logs merged to officers (``views``).
"""
