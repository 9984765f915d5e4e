"""Benchmark of the media core. Prints a table; see docs/benchmarks.md "## Media pipeline".

    .venv/bin/python bench/pipeline.py            # full: 5-min 1080p, 60-min WAV, 2 GB copy
    .venv/bin/python bench/pipeline.py --quick    # smoke: 30 s, 5 min, 200 MB / 400 MB

Samples are generated once into --cache-dir and reused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from media_pipeline.core import Runner, inspect_media, plan_derivatives
from media_pipeline.core.audio import make_audio_tiers, make_waveform
from media_pipeline.core.video import make_ladder

ROWS: list[tuple[str, str, str]] = []


def row(what: str, value: str, note: str = "") -> None:
    ROWS.append((what, value, note))
    print(f"  {what:<48} {value:>14}  {note}", flush=True)


def ffmpeg_gen(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *args], check=True)


def make_video(cache: Path, seconds: int) -> Path:
    path = cache / f"bench_1080p_{seconds}s.mp4"
    if not path.exists():
        tmp = path.with_suffix(".part.mp4")
        ffmpeg_gen(
            "-f", "lavfi", "-i", f"testsrc2=s=1920x1080:r=25:d={seconds}",
            "-f", "lavfi", "-i", f"sine=f=440:sample_rate=48000:d={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", str(tmp),
        )  # fmt: skip
        tmp.rename(path)
    return path


def make_wav(cache: Path, minutes: int) -> Path:
    path = cache / f"bench_{minutes}min.wav"
    if not path.exists():
        tmp = path.with_suffix(".part.wav")
        ffmpeg_gen(
            "-f",
            "lavfi",
            "-i",
            f"anoisesrc=d={minutes * 60}:c=pink:r=48000:a=0.3",
            "-ac",
            "2",
            str(tmp),
        )
        tmp.rename(path)
    return path


def make_blob(cache: Path, mib: int) -> Path:
    path = cache / f"blob_{mib}MiB.bin"
    if not path.exists() or path.stat().st_size != mib * 1024 * 1024:
        block = os.urandom(1024 * 1024)
        with open(path, "wb") as fh:
            for _ in range(mib):
                fh.write(block)
    return path


def timed(fn):
    start = time.monotonic()
    result = fn()
    return time.monotonic() - start, result


def bare(argv: list[str]) -> float:
    """Same ffmpeg arguments, no runner, no sandbox, output to /dev/null stdout."""
    start = time.monotonic()
    subprocess.run(
        argv,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - start


def bench_video(path: Path, runner: Runner) -> None:
    info = inspect_media(path, runner)
    duration = info.probe.duration_s or 1
    specs = plan_derivatives("video", info.probe)
    with tempfile.TemporaryDirectory(dir=path.parent) as out:
        t_one, (derivs, recs) = timed(
            lambda: make_ladder(str(path), info.sniffed, info.probe, specs, out, runner)
        )
        argv = [shutil.which("ffmpeg") or "ffmpeg", *recs[0].argv[1:]]
        t_bare = bare(argv)
        row(
            "video ladder 360p+720p, one decode (pipeline)",
            f"{t_one:.1f} s",
            f"{duration / t_one:.2f}× realtime",
        )
        row(
            "  of which the ffmpeg run itself (runner+bwrap)",
            f"{recs[0].elapsed_s:.1f} s",
            "rest: output validation",
        )
        row(
            "same argv, bare ffmpeg",
            f"{t_bare:.1f} s",
            f"overhead {recs[0].elapsed_s / t_bare:.3f}× (run), {t_one / t_bare:.3f}× (all)",
        )
        t_sep, (_, sep_recs) = timed(
            lambda: make_ladder(
                str(path), info.sniffed, info.probe, specs, out, runner, one_decode=False
            )
        )
        row(
            "video ladder, one run per rung (pipeline)",
            f"{t_sep:.1f} s",
            f"{t_sep / t_one:.2f}× the one-decode time",
        )
        for rec in sep_recs:
            rung = next((s.name for s in specs if any(s.name in a for a in rec.argv)), "?")
            row(
                f"  {rung} alone",
                f"{rec.elapsed_s:.1f} s",
                f"{duration / rec.elapsed_s:.2f}× realtime",
            )
        for d in derivs:
            row(f"  {d.name} output", f"{d.size / 1e6:.1f} MB", f"{d.bitrate / 1000:.0f} kb/s")


def bench_audio(path: Path, runner: Runner) -> None:
    info = inspect_media(path, runner)
    duration = info.probe.duration_s or 1
    specs = plan_derivatives("audio", info.probe)
    with tempfile.TemporaryDirectory(dir=path.parent) as out:
        t_tiers, (_, recs) = timed(
            lambda: make_audio_tiers(str(path), info.sniffed, info.probe, specs, out, runner)
        )
        t_bare = bare([shutil.which("ffmpeg") or "ffmpeg", *recs[0].argv[1:]])
        row(
            f"audio AAC+Opus loudnorm, {duration / 60:.0f} min WAV (pipeline)",
            f"{t_tiers:.1f} s",
            f"{duration / t_tiers:.1f}× realtime",
        )
        row(
            "same argv, bare ffmpeg",
            f"{t_bare:.1f} s",
            f"overhead {recs[0].elapsed_s / t_bare:.3f}× (run), {t_tiers / t_bare:.3f}× (all)",
        )
        wave_spec = next(s for s in specs if s.name == "waveform")
        t_wave, _ = timed(
            lambda: make_waveform(str(path), info.sniffed, info.probe, wave_spec, out, runner)
        )
        row(
            "waveform peaks (decode + Python streaming)",
            f"{t_wave:.1f} s",
            f"{duration / t_wave:.0f}× realtime",
        )


COPY_CHILD = """
import resource, sys, tempfile
sys.path.insert(0, {repo!r})
from media_pipeline.core import copy_to_store
with tempfile.TemporaryDirectory(dir={cache!r}) as d, open({src!r}, 'rb') as fh:
    copy_to_store(fh, d, max_bytes=1 << 40)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_store(cache: Path, small_mib: int, big_mib: int) -> None:
    repo = str(Path(__file__).resolve().parents[1])
    for mib in (small_mib, big_mib):
        blob = make_blob(cache, mib)
        code = COPY_CHILD.format(repo=repo, cache=str(cache), src=str(blob))
        start = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
        elapsed = time.monotonic() - start
        rss = int(out.stdout.strip()) / 1024
        row(
            f"copy_to_store {mib} MiB: peak RSS of the process",
            f"{rss:.0f} MiB",
            f"{mib / elapsed:.0f} MiB/s incl. fsync",
        )
    from media_pipeline.core import sha256_file

    blob = make_blob(cache, big_mib)
    sha256_file(blob)  # warm the page cache for a fair comparison
    t_py, _ = timed(lambda: sha256_file(blob))
    start = time.monotonic()
    subprocess.run(["sha256sum", str(blob)], check=True, capture_output=True)
    t_cli = time.monotonic() - start
    row(
        f"sha256_file {big_mib} MiB",
        f"{big_mib / t_py:.0f} MiB/s",
        f"sha256sum: {big_mib / t_cli:.0f} MiB/s",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument(
        "--cache-dir", default="/tmp/dss-bench", help="where samples are generated once"
    )
    parser.add_argument("--video-seconds", type=int)
    parser.add_argument("--audio-minutes", type=int)
    parser.add_argument("--big-mib", type=int)
    parser.add_argument("--skip", nargs="*", default=[], choices=["video", "audio", "store"])
    args = parser.parse_args()
    video_s = args.video_seconds or (30 if args.quick else 300)
    audio_min = args.audio_minutes or (5 if args.quick else 60)
    big = args.big_mib or (400 if args.quick else 2048)
    small = 200 if not args.quick else 100
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    runner = Runner()
    print(
        f"isolation={runner.isolation}  {runner.tool_version('ffmpeg')}  cores={os.cpu_count()}",
        flush=True,
    )
    if "video" not in args.skip:
        bench_video(make_video(cache, video_s), runner)
    if "audio" not in args.skip:
        bench_audio(make_wav(cache, audio_min), runner)
    if "store" not in args.skip:
        bench_store(cache, small, big)
    print("\n| measurement | value | note |\n|---|---:|---|")
    for what, value, note in ROWS:
        print(f"| {what.strip()} | {value} | {note} |")


if __name__ == "__main__":
    main()
