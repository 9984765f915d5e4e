"""Access-matrix doors of officers' tools (issue 12): admin, import, export, bulk actions,
audit log, dashboard.

Role sets and helpers can be imported from ``test_access_matrix`` inside ``doors``: by the
time it is called, that module has defined them.
"""


def doors(Door):
    return []
