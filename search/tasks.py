"""Background index upkeep. Handlers pass record ids, never objects."""

from django_tasks import task


@task()
def reindex_records(record_ids: list[int]) -> int:
    from .indexing import reindex

    return reindex(record_ids)
