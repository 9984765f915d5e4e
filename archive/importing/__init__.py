"""Bulk import of records from a sheet (CSV or XLSX): parse → validate per row → plan → apply.

Every door (``manage.py import_records``, the admin's import page and its background task)
calls :func:`archive.importing.service.run_import`; the export (``archive.exporting``)
writes the same columns, so an exported sheet imports back without a change. See
``docs/officers_import.md`` for the columns as officers see them.
"""
