"""``update_index`` rebuilds the archive's search documents, then Wagtail's own indexes.

Overrides Wagtail's command of the same name (the ``search`` app comes first in
INSTALLED_APPS), so the one documented command rebuilds everything. With an engine
backend (``SEARCH_BACKEND=opensearch`` or ``elasticsearch``) the rebuild also fills a new
engine index and swaps the alias to it (``search.es.sync.rebuild_index``): searches keep
answering from the old index until the swap.
"""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search.backends import backend_name, engine_enabled
from search.indexing import rebuild
from search.memory.index import share as share_memory_copy


class Command(WagtailUpdateIndex):
    help = "Rebuild the archive search index and Wagtail's search indexes."

    def handle(self, **options):
        self.verbosity = options["verbosity"]
        if not options.get("schema_only"):
            count, seconds = rebuild(progress=self._progress)
            self.write(f"search: indexed {count} records in {seconds:.1f} s")
            # The in-memory copy, built once here for every web process to map.
            generation = share_memory_copy()
            if generation is not None:
                self.write(f"search: shared in-memory copy, generation {generation}")
            if engine_enabled():
                from search.es.client import alias, engine

                indices = ", ".join(engine().indices_of(alias())) or "nothing"
                self.write(f"search: {backend_name()} alias {alias()} now points to {indices}")
        super().handle(**options)

    def _progress(self, done, total):
        if self.verbosity > 1:
            self.write(f"search: {done}/{total}")
