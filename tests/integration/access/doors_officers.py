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
        # A record's admin doors (archive/admin_permissions.py): nobody in the matrix may
        # change records (the matrix officer holds no page rights), so every role is sent
        # away, with no title. Refusals by province are in tests/integration/archive/
        # test_roles.py.
        *(
            Door(
                name,
                lambda w, k, path=path: f"/admin/pages/{w.records[k].pk}/{path}",
                per="record",
                shown=(302,),
                hidden=(302,),
            )
            for name, path in (
                ("admin-edit", "edit/"),
                ("admin-history", "history/"),
                ("admin-compare", "revisions/compare/earliest...latest/"),
                ("admin-preview", "edit/preview/"),
                ("admin-move", "move/"),
                ("admin-unpublish", "unpublish/"),
            )
        ),
        # Bulk actions (archive/bulk_actions.py) for those without the admin. (The matrix
        # officer is unscoped staff; what a provincial officer is shown of a selection is
        # in tests/integration/archive/test_bulk_actions.py.)
        *(
            Door(
                f"admin-bulk-{action}",
                lambda w, k, a=action: f"/admin/bulk/wagtailcore/page/{a}/?id={w.records[k].pk}",
                per="record",
                roles=EVERYONE - OFFICER,
                shown=(302,),
                hidden=(302,),
            )
            for action in ("set_access_level", "set_protocols", "send_to_review", "publish")
        ),
    ]
