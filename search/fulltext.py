"""The full-text engine under the database backend: SQLite FTS5 or PostgreSQL tsvector.

Both index the FOLDED columns of ``SearchDocument`` (``folding.index_text`` output), so
neither engine's own accent handling matters: FTS5's unicode61 tokenizer never folds đ and
PostgreSQL's ``english`` configuration drops Vietnamese syllables that happen to be English
stop words (an, the, to, do, no). Queries are built by ``search.query_parser``, which quotes
every token, so visitor text can never become engine syntax.

Weights, highest first: title (incl. vernacular titles) > names (groups, places) > body >
transcript.

The engine only answers "which ids match" (as a SQL subquery, so the ORM can combine it
with the access gate and facet filters) and "best N ids among a candidate set".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from search import synonyms
from search.folding import tokens_for_query
from search.query_parser import ParsedQuery, fts5_match_expression, pg_tsquery

FTS_TABLE = "search_document_fts"
DOC_TABLE = "search_searchdocument"
FTS_COLUMNS = ("title_folded", "names_folded", "body_folded", "transcript_folded")
TSVECTOR_COLUMN = "search_fts"
# PostgreSQL: the title column alone, for suggestions. The full ``search_fts`` vector of a
# long record is TOASTed and must be read whole for every prefix candidate; this one is a
# few dozen bytes (migration 0003).
TITLE_TSVECTOR_COLUMN = "title_fts"


@dataclass(frozen=True, slots=True)
class Match:
    """A full-text condition: SQL returning matching record ids, with its parameters."""

    ids_sql: str
    params: tuple


class SQLiteEngine:
    # bm25 weights per FTS column, in FTS_COLUMNS order
    WEIGHTS = "10.0, 5.0, 1.5, 1.0"

    def match(self, parsed: ParsedQuery, *, relaxed: bool = False) -> Match | None:
        expr = (
            self._relaxed(parsed) if relaxed else fts5_match_expression(parsed, use_synonyms=True)
        )
        if not expr:
            return None
        return Match(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (expr,))

    def transcript_match(self, parsed: ParsedQuery) -> Match | None:
        expr = fts5_match_expression(parsed, columns=("transcript_folded",))
        if not expr:
            return None
        return Match(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (expr,))

    def title_prefix(self, parsed: ParsedQuery) -> Match | None:
        expr = fts5_match_expression(parsed, prefix=True, columns=("title_folded",))
        if not expr:
            return None
        return Match(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (expr,))

    @staticmethod
    def _relaxed(parsed: ParsedQuery) -> str:
        groups = [tokens_for_query(t) for t in parsed.terms]
        quoted = ['"' + " ".join(g).replace('"', '""') + '"' for g in groups if g]
        return " OR ".join(quoted)

    def rank(self, match: Match, candidates_sql: str, candidates_params, limit: int):
        """[(record_id, score)] best first (higher score is better)."""
        # "+rowid": without the unary plus SQLite hands the IN list to FTS5 as rowid
        # constraints and FTS5 re-runs the MATCH once per candidate (600 ms instead of 30 ms
        # on 2,000 documents).
        sql = (
            f"SELECT rowid, -bm25({FTS_TABLE}, {self.WEIGHTS}) AS score FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({candidates_sql}) "
            f"ORDER BY bm25({FTS_TABLE}, {self.WEIGHTS}) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match.params, *candidates_params, limit])
            return [(int(pk), float(score)) for pk, score in cursor.fetchall()]

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


class PostgresEngine:
    # ts_rank weights for {D, C, B, A}: transcript, body, names, title
    WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"

    def match(self, parsed: ParsedQuery, *, relaxed: bool = False) -> Match | None:
        tsquery = self._relaxed(parsed) if relaxed else self._with_synonyms(parsed)
        if not tsquery:
            return None
        return Match(
            f"SELECT record_id FROM {DOC_TABLE} "
            f"WHERE {TSVECTOR_COLUMN} @@ to_tsquery('simple', %s)",
            (tsquery,),
        )

    def transcript_match(self, parsed: ParsedQuery) -> Match | None:
        tsquery = pg_tsquery(parsed)
        if not tsquery:
            return None
        return Match(
            f"SELECT record_id FROM {DOC_TABLE} "
            f"WHERE to_tsvector('simple', transcript_folded) @@ to_tsquery('simple', %s) "
            f"AND {TSVECTOR_COLUMN} @@ to_tsquery('simple', %s)",
            (tsquery, tsquery),
        )

    def title_prefix(self, parsed: ParsedQuery) -> Match | None:
        lexemes = []
        for i, term in enumerate(parsed.terms):
            tokens = tokens_for_query(term)
            last = i == len(parsed.terms) - 1 and tokens == [term]
            lexemes += [_lexeme(t) + (":*A" if last else ":A") for t in tokens]
        if not lexemes:
            return None
        return Match(
            f"SELECT record_id FROM {DOC_TABLE} "
            f"WHERE {TITLE_TSVECTOR_COLUMN} @@ to_tsquery('simple', %s)",
            (" & ".join(lexemes),),
        )

    @staticmethod
    def _with_synonyms(parsed: ParsedQuery) -> str:
        main = pg_tsquery(parsed)
        if not main:
            return ""
        alternatives = []
        for alt in synonyms.expand(parsed.terms, parsed.accented_terms):
            tokens = [_lexeme(t) for t in tokens_for_query(alt)]
            if tokens:
                alternatives.append("(" + " <-> ".join(tokens) + ")")
        return " | ".join([f"({main})", *alternatives]) if alternatives else main

    @staticmethod
    def _relaxed(parsed: ParsedQuery) -> str:
        groups = [[_lexeme(t) for t in tokens_for_query(term)] for term in parsed.terms]
        return " | ".join("(" + " <-> ".join(g) + ")" for g in groups if g)

    def rank(self, match: Match, candidates_sql: str, candidates_params, limit: int):
        sql = (
            f"SELECT d.record_id, ts_rank('{self.WEIGHTS}', d.{TSVECTOR_COLUMN}, q) AS score "
            f"FROM {DOC_TABLE} d, to_tsquery('simple', %s) q "
            f"WHERE d.{TSVECTOR_COLUMN} @@ q AND d.record_id IN ({candidates_sql}) "
            f"ORDER BY score DESC, d.record_id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match.params[0], *candidates_params, limit])
            return [(int(pk), float(score)) for pk, score in cursor.fetchall()]

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOC_TABLE}")
            cursor.execute("ANALYZE search_searchfacetvalue")
            # The access gate joins these: after a bulk import their statistics are stale
            # until autovacuum comes by, and the planner then picks nested loops.
            cursor.execute("ANALYZE archive_recordpage")
            cursor.execute("ANALYZE wagtailcore_page")


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def engine() -> SQLiteEngine | PostgresEngine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SQLiteEngine()
    raise NotImplementedError(f"no full-text engine for {connection.vendor}")


# -- schema (used by migration 0002) ----------------------------------------------------------

SQLITE_SCHEMA = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        {", ".join(FTS_COLUMNS)},
        content='{DOC_TABLE}', content_rowid='record_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    f"""CREATE TRIGGER search_document_fts_insert AFTER INSERT ON {DOC_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {", ".join(FTS_COLUMNS)})
        VALUES (new.record_id, {", ".join("new." + c for c in FTS_COLUMNS)});
    END""",
    f"""CREATE TRIGGER search_document_fts_delete AFTER DELETE ON {DOC_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {", ".join(FTS_COLUMNS)})
        VALUES ('delete', old.record_id, {", ".join("old." + c for c in FTS_COLUMNS)});
    END""",
    f"""CREATE TRIGGER search_document_fts_update AFTER UPDATE ON {DOC_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {", ".join(FTS_COLUMNS)})
        VALUES ('delete', old.record_id, {", ".join("old." + c for c in FTS_COLUMNS)});
        INSERT INTO {FTS_TABLE}(rowid, {", ".join(FTS_COLUMNS)})
        VALUES (new.record_id, {", ".join("new." + c for c in FTS_COLUMNS)});
    END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

_PG_WEIGHTED = " || ".join(
    f"setweight(to_tsvector('simple'::regconfig, coalesce({col}, '')), '{w}')"
    for col, w in zip(FTS_COLUMNS, "ABCD", strict=True)
)
POSTGRES_SCHEMA = [
    f"ALTER TABLE {DOC_TABLE} ADD COLUMN {TSVECTOR_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({_PG_WEIGHTED}) STORED",
    f"CREATE INDEX search_document_fts_gin ON {DOC_TABLE} USING GIN ({TSVECTOR_COLUMN})",
]
POSTGRES_UNDO = [
    "DROP INDEX IF EXISTS search_document_fts_gin",
    f"ALTER TABLE {DOC_TABLE} DROP COLUMN IF EXISTS {TSVECTOR_COLUMN}",
]


def create_schema(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_SCHEMA, "postgresql": POSTGRES_SCHEMA}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_schema(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


POSTGRES_TITLE_SCHEMA = [
    f"ALTER TABLE {DOC_TABLE} ADD COLUMN {TITLE_TSVECTOR_COLUMN} tsvector "
    f"GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, "
    f"coalesce(title_folded, '')), 'A')) STORED",
    f"CREATE INDEX search_document_title_fts_gin ON {DOC_TABLE} "
    f"USING GIN ({TITLE_TSVECTOR_COLUMN})",
]
POSTGRES_TITLE_UNDO = [
    "DROP INDEX IF EXISTS search_document_title_fts_gin",
    f"ALTER TABLE {DOC_TABLE} DROP COLUMN IF EXISTS {TITLE_TSVECTOR_COLUMN}",
]


def create_title_schema(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_TITLE_SCHEMA:
            schema_editor.execute(sql)


def drop_title_schema(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_TITLE_UNDO:
            schema_editor.execute(sql)
