"""Access-matrix doors of officers' tools (issue 12): admin, import, export, bulk actions,
audit log, dashboard.

Role sets and helpers can be imported from ``test_access_matrix`` inside ``doors``: by the
time it is called, that module has defined them.
"""


def doors(Door):
    from tests.integration.access.test_access_matrix import EVERYONE, OFFICER

    export = "/admin/records-export/download/?q=zqmatrix&format="
    return [
        # Export in the import template (archive/views_import.py): the officer receives
        # every record they may see (an XLSX is a ZIP: its cells are read too); others are
        # sent away from the admin. A selection by id reveals no hidden record either.
        *(
            Door(f"export-{fmt}", lambda w, k, u=export + fmt: u, roles=OFFICER, lists=True)
            for fmt in ("csv", "xlsx")
        ),
        Door("export-others", lambda w, k: export + "csv", roles=EVERYONE - OFFICER, status=(302,)),
        Door(
            "export-selection",
            lambda w, k: f"{export}csv&ids={w.records[k].pk}",
            per="record",
            roles=OFFICER,
            hidden=(200,),
        ),
        # Audit log and coverage (heritage/audit, heritage/dashboard): signed-out visitors
        # are sent to sign in, signed-in roles without an officer's role (the matrix officer
        # included: no publishing, no record editing) back to the admin's front page.
        *(
            Door(name, lambda w, k, url=url: url, status=(302,))
            for name, url in (
                ("audit-log", "/admin/audit-log/?record=zqmatrix"),
                ("audit-log-csv", "/admin/audit-log/audit-log.csv"),
                ("coverage", "/admin/coverage/"),
                ("coverage-csv", "/admin/coverage/coverage.csv"),
            )
        ),
    ]
