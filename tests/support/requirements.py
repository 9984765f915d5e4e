"""A suite whose system tool is missing fails loudly, unless its opt-out variable is set.

`make test` installs every tool these suites need, so a missing one means the machine is
not what the README promises: that must show as a failure, not a quiet skip. Someone who
knowingly runs without a tool sets the suite's opt-out (for example ``DSS_SKIP_BROWSER=1``);
the suite is then skipped with that reason, and ``scripts/run_tests.py`` lists it in the
run's last lines.
"""

import os

import pytest

OPT_OUTS = {
    "browser": "DSS_SKIP_BROWSER",
    "media": "DSS_SKIP_MEDIA",
    "sandbox": "DSS_SKIP_SANDBOX",
}


def opted_out(suite: str) -> bool:
    return os.environ.get(OPT_OUTS[suite], "") not in ("", "0")


def require(suite: str, available: bool, what: str, *, module: bool = False) -> None:
    """Fail (or skip when opted out) when ``available`` is false; ``what`` says what is missing."""
    if available:
        return
    variable = OPT_OUTS[suite]
    if opted_out(suite):
        pytest.skip(f"{what}; skipped because {variable}=1", allow_module_level=module)
    pytest.fail(
        f"{what}. `make test` installs it (scripts/system_deps.sh); "
        f"set {variable}=1 to run without this suite on purpose.",
        pytrace=False,
    )
