"""``update_index`` rebuilds the archive's search documents, then Wagtail's own indexes.

Overrides Wagtail's command of the same name (the ``search`` app comes first in
INSTALLED_APPS), so the one documented command rebuilds everything.
"""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search.indexing import rebuild


class Command(WagtailUpdateIndex):
    help = "Rebuild the archive search index and Wagtail's search indexes."

    def handle(self, **options):
        self.verbosity = options["verbosity"]
        if not options.get("schema_only"):
            count, seconds = rebuild(progress=self._progress)
            self.write(f"search: indexed {count} records in {seconds:.1f} s")
        super().handle(**options)

    def _progress(self, done, total):
        if self.verbosity > 1:
            self.write(f"search: {done}/{total}")
