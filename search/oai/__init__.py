"""OAI-PMH 2.0 at /oai: oai_dc for every public record, OLAC for language recordings.

Built with lxml rather than an OAI-PMH server library (see docs/open_doors.md): the
provider libraries on PyPI either keep their own copy of the records (django-oai-pmh) or
page with offsets (pyoai's BatchingServer), and here every list must go through the
access gate and resume from a (datestamp, id) cursor that stays right while records change.

- ``protocol``: arguments, errors, dates and resumption tokens (no database);
- ``sets``: set specs of a record and the list of sets;
- ``log``: the last-seen-public log (``search.models.OaiRecordLog``) and its upkeep;
- ``metadata``: oai_dc and OLAC elements of one record;
- ``views``: the six verbs.
"""
