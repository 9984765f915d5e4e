"""Stack tests start real services for a minute or more: they run only when selected with
``-m stack`` (their own pass), never as part of a run that did not ask for them."""

import re

import pytest


def _selected(config) -> bool:
    expression = config.getoption("markexpr") or ""
    return bool(re.search(r"(?<!not )\bstack\b", expression))


def pytest_collection_modifyitems(config, items):
    if _selected(config):
        return
    skip = pytest.mark.skip(reason="starts the production stack: run with -m stack")
    for item in items:
        if item.get_closest_marker("stack") is not None:
            item.add_marker(skip)
