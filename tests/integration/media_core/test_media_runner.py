"""The runner: timeouts, limits, sandbox, progress, records (real processes)."""

import os
import shutil
import socket

import pytest

from media_pipeline.core import MediaError, RunLimits, Runner, tool_version
from media_pipeline.core.runner import detect_isolation
from tests.support.requirements import require


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _zombie_children() -> list[str]:
    me = str(os.getpid())
    zombies = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and fields[1] == me:
            zombies.append(pid)
    return zombies


def test_timeout_kills_the_whole_process_group_and_leaves_no_zombie(runner):
    endless = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=64x64",
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(MediaError) as info:
        runner.run(endless, limits=RunLimits(timeout_s=2))
    err = info.value
    assert err.code == "timeout" and err.permanent is False
    assert err.record is not None and err.record.timed_out
    assert not _group_alive(err.record.pid)
    assert _zombie_children() == []


def test_cpu_limit_stops_a_runaway_tool(runner):
    endless = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=640x480",
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(MediaError) as info:
        runner.run(endless, limits=RunLimits(timeout_s=30, cpu_s=1))
    assert info.value.code == "timeout"
    assert "CPU" in info.value.detail


def test_stdout_cap_stops_a_flood(runner):
    flood = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "anoisesrc",
        "-f",
        "s16le",
        "pipe:1",
    ]
    with pytest.raises(MediaError) as info:
        runner.run(flood, limits=RunLimits(timeout_s=30, max_stdout_bytes=1_000_000))
    assert info.value.code == "too_large"


def test_run_record_has_argv_version_and_stderr_tail(runner):
    with pytest.raises(MediaError) as info:
        runner.run(["ffmpeg", "-hide_banner", "-i", "file:/nonexistent.mp4"])
    rec = info.value.record
    assert rec.argv[0] == "ffmpeg" and rec.returncode not in (0, None)
    assert rec.version.startswith("ffmpeg ")
    assert "nonexistent" in rec.stderr_tail
    assert rec.as_dict()["argv"][-1] == "file:/nonexistent.mp4"


def test_tool_versions_are_named():
    assert tool_version("ffmpeg").startswith("ffmpeg 5") or tool_version("ffmpeg").startswith(
        "ffmpeg "
    )
    assert tool_version("ffprobe").split()[0] == "ffprobe"
    if shutil.which("pdftoppm"):
        assert tool_version("pdftoppm").split()[0] == "pdftoppm"


def test_progress_is_reported_from_zero_to_one(runner):
    seen = []
    runner.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-nostats",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=64x64:d=4",
            "-progress",
            "pipe:1",
            "-f",
            "null",
            "-",
        ],
        on_progress=seen.append,
        progress_duration_s=4,
    )
    assert seen and seen[-1] == 1.0
    assert seen == sorted(seen) and all(0 <= f <= 1 for f in seen)


def test_isolation_is_reported():
    assert Runner().isolation == detect_isolation()
    assert Runner(isolation="none").isolation == "none"
    with pytest.raises(ValueError):
        Runner(isolation="docker")


def test_sandbox_hides_etc_passwd_and_other_files(runner, tmp_path):
    require("sandbox", detect_isolation() == "bwrap", "bubblewrap is not usable here")
    secret = tmp_path / "neighbour.wav"
    secret.write_bytes(b"RIFF")
    for path in ("/etc/passwd", str(secret)):
        with pytest.raises(MediaError) as info:
            runner.run(["ffmpeg", "-hide_banner", "-i", "file:" + path, "-f", "null", "-"])
        assert "No such file or directory" in info.value.record.stderr_tail


def test_sandbox_has_no_network(runner):
    require("sandbox", detect_isolation() != "none", "no network namespace is available")
    # A listener on this machine's loopback: reachable from a normal process,
    # not from inside the tool's own network namespace.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.settimeout(0.5)
        port = server.getsockname()[1]
        with pytest.raises(MediaError) as info:
            runner.run(
                [
                    "ffmpeg",
                    "-hide_banner",
                    "-nostdin",
                    "-i",
                    f"tcp://127.0.0.1:{port}?timeout=2000000",
                    "-f",
                    "null",
                    "-",
                ],
                limits=RunLimits(timeout_s=20),
            )
        assert info.value.code == "tool_failed"
        with pytest.raises(TimeoutError):
            server.accept()
