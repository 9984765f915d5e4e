"""Background index upkeep. Handlers pass record ids, never objects.

``reindex_records`` rewrites the records' database documents and, with an engine backend
(OpenSearch or Elasticsearch), copies them to the engine in the same task: an engine that
refuses the write fails the task (``search.es.client.IndexingError``), so it is reported.
"""

from django_tasks import task


@task()
def reindex_records(record_ids: list[int]) -> int:
    from .indexing import reindex

    return reindex(record_ids)
