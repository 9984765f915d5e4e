"""Access-matrix doors of the exchange between instances (issue 14): harvest feeds, bundles,
reports.

Role sets and helpers can be imported from ``test_access_matrix`` inside ``doors``: by the
time it is called, that module has defined them.
"""


def doors(Door):
    return [
        # The national role's coverage page (archive/exchange/admin.py) counts what each
        # peer shared: administrators only; signed-out visitors go to sign in, others are
        # refused. Harvested records themselves are ordinary record pages behind the gate.
        Door("exchange-coverage", lambda w, k: "/admin/exchange/coverage/", status=(302, 403)),
        # Reports received from provinces (archive/exchange/reports_admin.py) and their CSV:
        # administrators only, like the coverage page.
        Door("exchange-reports", lambda w, k: "/admin/exchange/reports/", status=(302, 403)),
        Door("exchange-reports-csv", lambda w, k: "/admin/exchange/reports.csv", status=(302, 403)),
    ]
