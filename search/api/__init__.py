"""The read-only JSON API under ``/api/v1/`` (django-ninja; docs/open_doors.md, "JSON API").

``site`` builds the API and its error answers, ``schemas`` says what each answer looks
like (the OpenAPI document is generated from them), ``describe`` turns rows the gate let
through into those shapes, ``answers`` adds ETag, Last-Modified, 304 and CORS, and
``endpoints`` wires the URLs. Every record, asset and count comes through
``archive.access`` (or ``search.service``, which asks it)."""
