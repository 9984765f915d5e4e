"""Exchange with other instances: harvesting their public records (``harvest``), applying
a batch of records from a peer exactly like a harvest does (``apply_records``).

The network side (``fetch``, ``oai``) knows nothing of the database; the database side
(``apply``) knows nothing of the network, so a signed bundle can be applied like a page
of a harvest.
"""
