"""scripts/opensearch.sh without a node: usage, status and stop say what they find.

Starting a node is exercised by the OpenSearch pass itself (CI starts one with this script).
"""

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "opensearch.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args, home: Path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "OPENSEARCH_HOME": str(home / "os")}
    env["OPENSEARCH_PORT"] = str(_free_port())
    return subprocess.run(
        ["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30
    )


def test_usage_status_and_stop_without_a_node(tmp_path):
    usage = _run(home=tmp_path)
    assert usage.returncode == 2 and "start|stop|status" in usage.stderr
    status = _run("status", home=tmp_path)
    assert status.returncode == 1 and "not running" in status.stdout
    stop = _run("stop", home=tmp_path)
    assert stop.returncode == 0 and "not running" in stop.stdout


def test_the_script_parses():
    assert subprocess.run(["bash", "-n", str(SCRIPT)]).returncode == 0
