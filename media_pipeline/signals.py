"""Signals the media app sends for the apps above it (search, the page cache).

The media app never imports its listeners: whoever needs to react (``search`` reindexes
the records concerned) connects to these in its own ``AppConfig.ready()``.
"""

from django.dispatch import Signal

# Sent with ``record_ids`` (an iterable of record primary keys) after the media shown on
# those records changed: a link added or removed, a caption track edited, processing done.
record_media_changed = Signal()
