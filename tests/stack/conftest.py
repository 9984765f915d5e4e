"""Stack tests start real services for a minute or more: they run only when selected with
``-m stack`` (their own pass), never as part of a run that did not ask for them."""

from tests.support.selection import skip_unless_selected


def pytest_collection_modifyitems(config, items):
    skip_unless_selected(config, items, "stack", "starts the production stack: run with -m stack")
