"""Open data packages (issue 13): every public metadata table as a Frictionless data package.

- ``fields``: the tables and their fields, titled and described in Vietnamese and English;
- ``rows``: what goes in them, read through the anonymous access gate only;
- ``package``: writes CSV + JSON + ``datapackage.json`` (+ a ZIP) into a folder;
- ``publish``: versioned folders under ``DSS_OPEN_DATA_DIR``, the changelog between
  versions, and when the task worker should build the next one;
- ``views``: the /open-data/ page and the door that offers only published files.

See docs/open_doors.md, "Open data".
"""
