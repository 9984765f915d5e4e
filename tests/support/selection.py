"""Passes that start real services (``-m s3``, ``-m stack``) run only when selected."""

import re

import pytest


def selected(config, marker: str) -> bool:
    """Whether the run's ``-m`` expression asks for ``marker`` (and not ``not marker``)."""
    expression = config.getoption("markexpr") or ""
    return bool(re.search(rf"(?<!not )\b{marker}\b", expression))


def skip_unless_selected(config, items, marker: str, reason: str) -> None:
    """Skip the items marked ``marker`` unless the run selected that marker."""
    if selected(config, marker):
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker(marker) is not None:
            item.add_marker(skip)
