"""On 2G, in Chromium: paint times of the public pages and start times of the audio tiers.
Results go in docs/benchmarks.md "## On 2G, in Chromium".

    .venv/bin/python bench/two_g.py               # 5 fresh visits per figure (median)
    .venv/bin/python bench/two_g.py --runs 3      # quicker

Builds a throwaway data folder (SQLite, demo archive, plus a record with a 1-minute and a
10-minute speech-like recording processed by the media core), serves it with production settings on
127.0.0.1 (``runserver --noreload --insecure``, static files by whitenoise, as bench/site.py)
and drives Debian's Chromium through Playwright with DevTools network emulation: 250 kb/s
down, 300 ms per request, cache off (tests/support/two_g.py, shared with the browser test).

Baselines in the same run:
- the old speech tier, Opus in Ogg, made by the same core with the previous preset;
- files of the sizes that each tier needed before it played, downloaded whole on the same
  link through the same door (fetch, no player): the network's floor for that many bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + the ORM

from bench.site import environment, manage  # noqa: E402
from tests.support import two_g  # noqa: E402

PORT = 8767
CHROMIUM = "/usr/bin/chromium"
OLD_OGG = "bench_opus_ogg"
LENGTHS = {"1 min": 60, "10 min": 600}
TIERS = [  # (label, recording length, derivative name)
    ("AAC 128k, MP4 faststart (normal tier)", "1 min", "audio_aac"),
    ("Opus 32k, WebM cues first (data saver)", "1 min", "audio_opus"),
    ("AAC-LC 40k mono, MP4 faststart (speech, Apple)", "1 min", "audio_speech_aac"),
    ("Opus 32k, Ogg (old data saver, baseline)", "1 min", OLD_OGG),
    ("AAC 128k, MP4 faststart (normal tier)", "10 min", "audio_aac"),
    ("Opus 32k, WebM cues first (data saver)", "10 min", "audio_opus"),
    ("AAC-LC 40k mono, MP4 faststart (speech, Apple)", "10 min", "audio_speech_aac"),
]


def build(env, work: Path) -> dict:
    """In-process: the speech record, its processed tiers and the old Ogg tier."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from archive.models import EthnicGroup, RecordingPage
    from media_pipeline.core import inspect_media, presets
    from media_pipeline.core.audio import make_audio_tiers
    from media_pipeline.core.plan import DerivativeSpec
    from media_pipeline.models import DerivativeFile
    from media_pipeline.services.ingest import ingest_file
    from media_pipeline.services.processing import process_asset
    from media_pipeline.services.runner import default_runner
    from tests.factories import make_record

    record = make_record(
        RecordingPage,
        "Kể chuyện người Tày (2G)",
        groups=list(EthnicGroup.objects.filter(slug="tay")),
        slug="ke-chuyen-2g",
        summary_vi="Một câu chuyện kể dài một phút.",
    )
    assets, wavs = {}, {}
    for length, seconds in LENGTHS.items():
        wavs[length] = two_g.speech_like_wav(work, seconds=seconds)
        with open(wavs[length], "rb") as fh:
            asset = ingest_file(fh, wavs[length].name, record=record, title=length).asset
        process_asset(asset.pk)
        assets[length] = asset.pk
    call_command("update_index", verbosity=0)

    # The previous speech preset, made by the same core into the asset's folder.
    old = dataclasses.replace(
        presets.AUDIO_OPUS_SPEECH,
        name=OLD_OGG,
        container="ogg",
        extension="opus",
        mime="audio/ogg; codecs=opus",
        version="1",
    )
    opus = DerivativeFile.objects.get(asset_id=assets["1 min"], name="audio_opus")
    root = Path(settings.DSS_DERIVATIVES_ROOT)
    folder = (root / opus.path).parent
    runner = default_runner()
    wav = str(wavs["1 min"])
    info = inspect_media(wav, runner)
    spec = DerivativeSpec(OLD_OGG, old, presets.preset_key(old))
    (made,), _runs = make_audio_tiers(wav, info.sniffed, info.probe, [spec], folder, runner)
    DerivativeFile.objects.create(
        asset_id=assets["1 min"],
        name=OLD_OGG,
        path=str(Path(made.path).relative_to(root)),
        mime=made.mime,
        size=made.size,
        preset_key=made.preset_key,
    )
    sizes = {
        (length, d.name): d.size
        for length, pk in assets.items()
        for d in DerivativeFile.objects.filter(asset_id=pk)
    }
    return {
        "record": record.url,
        "assets": assets,
        "asset": assets["1 min"],
        "sizes": sizes,
        "folder": folder,
        "root": root,
    }


def serve(env) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/vi/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("runserver did not answer")


def median(values) -> float:
    return statistics.median(values)


def measure(browser, base: str, site: dict, runs: int, emulate: bool) -> dict:
    """Pages, tiers and floors on one link model (DevTools emulation or the paced relay)."""
    pages = {"home": "/vi/", "search": "/vi/search/?q=hat+ru", "record": site["record"]}
    for url in pages.values():  # warm the server's page cache, as after the first visitor
        urllib.request.urlopen(base + url, timeout=60).read()

    def visit(fn, cookies=None):
        page, link = two_g.open_page(browser, base, cookies, emulate=emulate)
        try:
            return fn(page, link)
        finally:
            page.context.close()

    def start(page, link, length, tier):
        page.goto(site["record"], wait_until="load")
        return two_g.measure_audio_start(page, link, f"/files/{site['assets'][length]}/{tier}")

    result = {"pages": {}, "tiers": {}, "floors": {}}
    for name, url in pages.items():
        paints = [visit(lambda p, lk, u=url: two_g.measure_paint(p, lk, u)) for _ in range(runs)]
        result["pages"][name] = (
            median(p.fcp_s for p in paints),
            median(p.lcp_s for p in paints),
            median(p.bytes for p in paints),
        )
    for _label, length, tier in TIERS:
        starts = [visit(lambda p, lk, n=length, t=tier: start(p, lk, n, t)) for _ in range(runs)]
        needed = int(median(s.bytes_before_playing for s in starts))
        key = (length, tier)
        result["tiers"][key] = (median(s.playing_s for s in starts), needed)
        # Floor: a file of exactly the bytes this tier needed, through the same door.
        link_name = "devtools" if emulate else "paced"
        url = add_floor_file(site, f"{tier}_{length.replace(' ', '')}_{link_name}", needed)
        fetched = [
            visit(lambda p, lk, u=url: (p.goto("/vi/"), two_g.measure_fetch(p, u))[1])
            for _ in range(runs)
        ]
        result["floors"][key] = median(f["seconds"] for f in fetched)
    return result


def add_floor_file(site: dict, tier: str, size: int) -> str:
    """Random bytes of ``size`` served by /files/ like a tier (no player involved)."""
    from media_pipeline.models import DerivativeFile

    name = f"bench_floor_{tier}"
    path = site["folder"] / f"{name}.bin"
    path.write_bytes(os.urandom(size))
    DerivativeFile.objects.create(
        asset_id=site["asset"],
        name=name,
        path=str(path.relative_to(site["root"])),
        mime="application/octet-stream",
        size=size,
        preset_key="bench",
    )
    return f"/files/{site['asset']}/{name}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dss-bench-2g-"))
    (work / "data").mkdir()
    env = environment(work / "data")
    env["DSS_SEARCH_RATE_PER_MINUTE"] = "0"
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo")
    site = build(env, work)
    server = serve(env)
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            base = f"http://127.0.0.1:{PORT}"
            devtools = measure(browser, base, site, args.runs, emulate=True)
            with two_g.PacedRelay(PORT) as relay:
                paced = measure(browser, f"http://127.0.0.1:{relay.port}", site, args.runs, False)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    report(args.runs, site, devtools, paced)


def report(runs, site, devtools, paced):
    print(
        f"Chromium, {two_g.DOWN_KBPS} kb/s down, {two_g.RTT_MS} ms round trip, cache off; "
        f"runserver (production settings); median of {runs} fresh visits. DevTools = Chromium's "
        "network emulation; paced = tests/support/two_g.py PacedRelay (1,400-byte packets)."
    )
    print()
    print("| page | FCP (DevTools) | LCP (DevTools) | FCP (paced) | LCP (paced) | bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (fcp, lcp, size) in devtools["pages"].items():
        pfcp, plcp, _ = paced["pages"][name]
        print(f"| {name} | {fcp:.2f} s | {lcp:.2f} s | {pfcp:.2f} s | {plcp:.2f} s | {size:,.0f} |")
    print()
    print(
        "| audio tier (speech-like) | length | file | playing (DevTools) | bytes before | "
        "same bytes as a plain file | playing (paced) | bytes before | same bytes, plain |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, length, tier in TIERS:
        key = (length, tier)
        d_play, d_bytes = devtools["tiers"][key]
        p_play, p_bytes = paced["tiers"][key]
        print(
            f"| {label} | {length} | {site['sizes'][key] / 1024:,.0f} KiB | {d_play:.2f} s "
            f"| {d_bytes:,} | {devtools['floors'][key]:.2f} s | {p_play:.2f} s | {p_bytes:,} "
            f"| {paced['floors'][key]:.2f} s |"
        )


if __name__ == "__main__":
    main()
