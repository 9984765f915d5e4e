"""Access-matrix doors of the open standard doors (issue 13): identifiers, JSON API, OAI-PMH,
IIIF, open data.

Role sets and helpers can be imported from ``test_access_matrix`` inside ``doors``: by the
time it is called, that module has defined them.
"""


def doors(Door):
    return []
