"""Migrations leave the full-text machinery in place (a table rebuild on SQLite would drop
the FTS5 triggers silently, and every later save would stop reaching the full-text index)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_full_text_schema_survives_every_migration():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {name for (name,) in cursor.fetchall()}
            assert {
                "search_document_fts_insert",
                "search_document_fts_delete",
                "search_document_fts_update",
            } <= triggers
        else:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'search_searchdocument'"
            )
            columns = {name for (name,) in cursor.fetchall()}
            assert {"search_fts", "title_fts", "segments"} <= columns
