"""The one subprocess runner: every ffmpeg, ffprobe and pdftoppm call goes through here.

Why a single runner: uploaded media is hostile input and the tools that parse it
are large C programs. Concentrating process creation in one place means the
limits (wall clock, CPU seconds, address space, output size), the sandbox and
the audit record are applied to every call without exception.

Isolation, strongest first (``Runner.isolation`` says which one is in use):

* ``"bwrap"`` – bubblewrap with every namespace unshared (no network), a
  read-only view of ``/usr`` and the loader files only, each input file bound
  read-only by itself and each output directory bound read-write. ``/etc/passwd``
  and the rest of the host are not visible.
* ``"unshare-net"`` – ``unshare -n``: no network, but the filesystem is shared.
* ``"none"`` – plain process; callers still pass ``-protocol_whitelist`` so
  ffmpeg only opens local files.
"""

from __future__ import annotations

import functools
import os
import resource
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field

from . import errors
from .errors import MediaError

GiB = 1024**3
MiB = 1024**2

ISOLATIONS = ("bwrap", "unshare-net", "none")


@dataclass(frozen=True)
class RunLimits:
    """Resource limits for one tool run.

    Attributes:
        timeout_s: wall-clock limit; the whole process group is killed after it.
        cpu_s: CPU-seconds limit (RLIMIT_CPU); ``None`` = unlimited.
        address_space_bytes: RLIMIT_AS; ``None`` = unlimited. Generous by default
            because x264 threads reserve large virtual arenas they never touch.
        max_file_bytes: RLIMIT_FSIZE, the largest file the tool may write.
        max_stdout_bytes: cap on captured stdout (ignored when stdout is streamed
            to a sink or parsed as progress).
        stderr_tail_bytes: how much of the end of stderr is kept in the record.
    """

    timeout_s: float = 3600.0
    cpu_s: int | None = None
    address_space_bytes: int | None = 8 * GiB
    max_file_bytes: int | None = 32 * GiB
    max_stdout_bytes: int = 64 * MiB
    stderr_tail_bytes: int = 16 * 1024


@dataclass(frozen=True)
class RunRecord:
    """What was run, for the preservation log (PREMIS-style event).

    ``argv`` is the tool's own argument list (without the sandbox wrapper), so
    it can be replayed with a bare tool for comparison.
    """

    argv: tuple[str, ...]
    tool: str
    version: str
    returncode: int | None
    elapsed_s: float
    stderr_tail: str
    isolation: str
    pid: int
    timed_out: bool = False

    def as_dict(self) -> dict:
        """JSON-serialisable form."""
        data = asdict(self)
        data["argv"] = list(self.argv)
        return data


@dataclass(frozen=True)
class RunResult:
    """A finished run: its record and captured stdout (empty when streamed)."""

    record: RunRecord
    stdout: bytes = field(repr=False, default=b"")


def _resolve_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MediaError(errors.TOOL_FAILED, f"tool {name!r} is not installed", permanent=False)
    return os.path.realpath(path)


@functools.cache
def tool_version(name: str) -> str:
    """Return ``"<tool> <version>"``, e.g. ``"ffmpeg 5.1.9-0+deb12u1"`` (cached).

    Runs the tool directly (no sandbox): no untrusted input is involved.
    """
    exe = _resolve_tool(name)
    flag = "-v" if name.startswith("pdf") else "-version"
    proc = subprocess.run(
        [exe, flag],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    text = (proc.stdout or proc.stderr).decode("utf-8", "replace")
    first = text.strip().splitlines()[0] if text.strip() else ""
    words = first.split()
    if len(words) >= 3 and words[1] == "version":
        return f"{name} {words[2]}"
    return f"{name} unknown"


def _preexec(limits: RunLimits) -> Callable[[], None]:
    def apply() -> None:
        # Own process group so a timeout can kill ffmpeg and everything it spawned.
        os.setsid()
        if limits.cpu_s is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        if limits.address_space_bytes is not None:
            resource.setrlimit(
                resource.RLIMIT_AS, (limits.address_space_bytes, limits.address_space_bytes)
            )
        if limits.max_file_bytes is not None:
            resource.setrlimit(
                resource.RLIMIT_FSIZE, (limits.max_file_bytes, limits.max_file_bytes)
            )
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _bwrap_prefix(
    read_paths: Iterable[str], write_dirs: Iterable[str], tool_path: str
) -> list[str]:
    args = [
        "bwrap",
        "--unshare-all",
        "--die-with-parent",
        "--clearenv",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--setenv",
        "LC_ALL",
        "C",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    # Mirror the host's /lib layout (merged-/usr symlinks or real directories).
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    # Only the loader cache, Debian's alternatives links (libblas etc.) and font
    # config (pdftoppm) from /etc; notably not passwd, hosts or resolv.conf.
    for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/alternatives", "/etc/fonts"):
        args += ["--ro-bind-try", etc, etc]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    tool_dir = os.path.dirname(tool_path)
    if not tool_dir.startswith("/usr/"):
        args += ["--ro-bind", tool_dir, tool_dir]
    for path in read_paths:
        args += ["--ro-bind", path, path]
    for path in write_dirs:
        args += ["--bind", path, path]
    args += ["--chdir", "/tmp", "--"]
    return args


def _works(argv: list[str]) -> bool:
    try:
        proc = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


@functools.cache
def detect_isolation() -> str:
    """Pick the strongest isolation that actually works on this machine (cached)."""
    true_path = _resolve_tool("true")
    if shutil.which("bwrap") and _works(_bwrap_prefix([], [], true_path) + [true_path]):
        return "bwrap"
    if shutil.which("unshare"):
        if _works(["unshare", "-n", "--", true_path]):
            return "unshare-net"
    return "none"


class _StderrTail:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buf = bytearray()

    def add(self, chunk: bytes) -> None:
        self.buf += chunk
        if len(self.buf) > 2 * self.limit:
            del self.buf[: len(self.buf) - self.limit]

    def text(self) -> str:
        return bytes(self.buf[-self.limit :]).decode("utf-8", "replace")


class _ProgressParser:
    """Parses ffmpeg ``-progress`` key=value lines into a 0..1 fraction."""

    def __init__(self, duration_s: float | None, callback: Callable[[float], None]) -> None:
        self.duration_us = (duration_s or 0) * 1e6
        self.callback = callback
        self.pending = b""
        self.last = -1.0

    def feed(self, chunk: bytes) -> None:
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            key, _, value = line.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us" and self.duration_us > 0:
                try:
                    fraction = min(max(int(value) / self.duration_us, 0.0), 1.0)
                except ValueError:
                    continue  # "N/A" before the first frame
                self._emit(fraction)
            elif key == "progress" and value == "end":
                self._emit(1.0)

    def _emit(self, fraction: float) -> None:
        if fraction > self.last:
            self.last = fraction
            self.callback(fraction)


class Runner:
    """Runs media tools with limits, sandboxing and an audit record.

    Args:
        isolation: ``"auto"`` (default: strongest that works), or one of
            ``"bwrap"``, ``"unshare-net"``, ``"none"`` to force a mode.
        limits: default :class:`RunLimits` for every run.
    """

    def __init__(self, isolation: str = "auto", limits: RunLimits | None = None) -> None:
        if isolation == "auto":
            isolation = detect_isolation()
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS}, not {isolation!r}")
        self.isolation = isolation
        self.limits = limits or RunLimits()

    def tool_version(self, name: str) -> str:
        """See :func:`tool_version`."""
        return tool_version(name)

    def wrap(
        self, argv: Sequence[str], read_paths: Iterable[str] = (), write_dirs: Iterable[str] = ()
    ) -> list[str]:
        """Return the full command line (sandbox prefix + tool argv) that :meth:`run` executes."""
        tool_path = _resolve_tool(argv[0])
        tool_argv = [tool_path, *argv[1:]]
        if self.isolation == "bwrap":
            reads = [os.path.realpath(p) for p in read_paths]
            writes = [os.path.realpath(p) for p in write_dirs]
            return _bwrap_prefix(reads, writes, tool_path) + tool_argv
        if self.isolation == "unshare-net":
            return ["unshare", "-n", "--", *tool_argv]
        return tool_argv

    def run(
        self,
        argv: Sequence[str],
        *,
        read_paths: Iterable[str] = (),
        write_dirs: Iterable[str] = (),
        limits: RunLimits | None = None,
        stdout_sink: Callable[[bytes], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
        progress_duration_s: float | None = None,
        check: bool = True,
    ) -> RunResult:
        """Run ``argv`` (a list, never a shell string) and return its result.

        Args:
            argv: tool name followed by its arguments, e.g. ``["ffprobe", ...]``.
                Paths inside must be absolute and real (symlinks resolved).
            read_paths: files the tool may read (bound read-only under bwrap).
            write_dirs: directories the tool may write (bound read-write).
            limits: overrides the runner's default limits for this run.
            stdout_sink: called with each stdout chunk instead of capturing it
                (constant memory for large PCM streams).
            on_progress: called with a 0..1 fraction parsed from ``-progress pipe:1``
                output on stdout; needs ``progress_duration_s``.
            check: raise :class:`MediaError` on a non-zero exit status.

        Raises:
            MediaError: ``timeout`` (transient) when the wall clock or CPU limit is
                hit; ``too_large`` when output caps are exceeded; ``no_space``
                (transient) on ENOSPC; ``tool_failed`` otherwise (permanent unless
                the tool was killed by a signal we did not send).
        """
        limits = limits or self.limits
        argv = [str(a) for a in argv]
        tool = os.path.basename(argv[0])
        version = tool_version(tool)
        full = self.wrap(argv, read_paths, write_dirs)
        progress = _ProgressParser(progress_duration_s, on_progress) if on_progress else None
        stderr_tail = _StderrTail(limits.stderr_tail_bytes)
        stdout_buf = bytearray()
        start = time.monotonic()
        deadline = start + limits.timeout_s
        timed_out = False
        overflow = False
        proc = subprocess.Popen(
            full,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            close_fds=True,
            preexec_fn=_preexec(limits),
        )
        pgid = proc.pid  # setsid() made the child its own group leader

        def record(returncode: int | None) -> RunRecord:
            return RunRecord(
                argv=tuple(argv),
                tool=tool,
                version=version,
                returncode=returncode,
                elapsed_s=round(time.monotonic() - start, 3),
                stderr_tail=stderr_tail.text(),
                isolation=self.isolation,
                pid=proc.pid,
                timed_out=timed_out,
            )

        sel = selectors.DefaultSelector()
        assert proc.stdout is not None and proc.stderr is not None
        sel.register(proc.stdout, selectors.EVENT_READ, "out")
        sel.register(proc.stderr, selectors.EVENT_READ, "err")
        try:
            while sel.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                for key, _ in sel.select(timeout=min(remaining, 1.0)):
                    chunk = os.read(key.fileobj.fileno(), 256 * 1024)
                    if not chunk:
                        sel.unregister(key.fileobj)
                        continue
                    if key.data == "err":
                        stderr_tail.add(chunk)
                    elif progress is not None:
                        progress.feed(chunk)
                    elif stdout_sink is not None:
                        stdout_sink(chunk)
                    else:
                        stdout_buf += chunk
                        if len(stdout_buf) > limits.max_stdout_bytes:
                            overflow = True
                if overflow:
                    break
            if not timed_out and not overflow:
                try:
                    proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
                except subprocess.TimeoutExpired:
                    timed_out = True
        except BaseException:
            _kill_group(pgid, proc)
            raise
        finally:
            sel.close()
            if timed_out or overflow:
                _kill_group(pgid, proc)
            proc.stdout.close()
            proc.stderr.close()
        if _group_members(pgid):
            # Stragglers that outlived the leader (a tool that forked).
            _kill_group(pgid, None)

        rec = record(proc.returncode)
        if timed_out:
            raise MediaError(
                errors.TIMEOUT,
                f"{tool} exceeded the {limits.timeout_s:g} s time limit and was killed",
                permanent=False,
                record=rec,
            )
        if overflow:
            raise MediaError(
                errors.TOO_LARGE,
                f"{tool} wrote more than {limits.max_stdout_bytes} bytes to stdout",
                record=rec,
            )
        if check and proc.returncode != 0:
            raise _failure(tool, proc.returncode, rec)
        return RunResult(record=rec, stdout=bytes(stdout_buf))


def _group_members(pgid: int) -> list[int]:
    members = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return members
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # Zombies cannot be signalled; they are their parent's to reap.
        if int(fields[2]) == pgid and fields[0] != b"Z":
            members.append(int(entry))
    return members


def _kill_group(pgid: int, proc: subprocess.Popen | None) -> None:
    """Kill every process of the group and make sure none is left, not even a zombie.

    The leader is killed last: under bwrap the leader is bwrap's monitor, which
    reaps the sandbox once its members are gone. Killing everything at once
    would orphan the sandbox's init to PID 1, and container init processes do
    not always reap orphans, leaving zombies behind.
    """
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        others = [pid for pid in _group_members(pgid) if pid != pgid]
        if not others:
            break
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if proc is not None:
            try:
                proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
        else:
            time.sleep(0.02)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc is not None:
        proc.wait()


def _failure(tool: str, returncode: int, rec: RunRecord) -> MediaError:
    tail = rec.stderr_tail.strip().splitlines()
    last = tail[-1] if tail else ""
    # ffmpeg traps SIGXCPU and exits 255 saying "received signal 24".
    cpu_signal = f"received signal {int(signal.SIGXCPU)}"
    if returncode in (-signal.SIGXCPU, 128 + signal.SIGXCPU) or cpu_signal in rec.stderr_tail:
        return MediaError(
            errors.TIMEOUT, f"{tool} exceeded its CPU-time limit", permanent=False, record=rec
        )
    if returncode in (-signal.SIGXFSZ, 128 + signal.SIGXFSZ) or "File too large" in rec.stderr_tail:
        return MediaError(
            errors.TOO_LARGE, f"{tool} exceeded the output file size limit", record=rec
        )
    if "No space left on device" in rec.stderr_tail:
        return MediaError(
            errors.NO_SPACE, f"{tool}: no space left on device", permanent=False, record=rec
        )
    if returncode < 0 or returncode > 128:
        # Killed by someone else (OOM killer, admin): the input may be fine.
        return MediaError(
            errors.TOOL_FAILED,
            f"{tool} was killed (status {returncode}): {last}",
            permanent=False,
            record=rec,
        )
    return MediaError(
        errors.TOOL_FAILED, f"{tool} failed (status {returncode}): {last}", record=rec
    )
