"""Audio derivatives: AAC listening copy, the two speech tiers (Opus in WebM, AAC-LC in
MP4, both with their index first), waveform peaks.

Loudness: web copies are normalised to about -16 LUFS with ``loudnorm`` in a
single pass (its dynamic mode). Two-pass would be slightly more faithful but
doubles the decode of hour-long recordings on a 2-core server; for listening
copies of field recordings the single pass is inaudibly different. Originals
are never touched. All tiers come from one decode (``asplit``).
"""

from __future__ import annotations

import json
import math
import os
import sys
from array import array
from collections.abc import Callable

import ffmpeg

from . import errors, outputs, presets
from .errors import MediaError
from .outputs import Derivative
from .plan import DerivativeSpec
from .probe import ProbeResult, probe
from .runner import Runner, RunRecord
from .sniff import Sniffed, sniff
from .video import GLOBAL_ARGS, compile_with_progress, open_input

ProgressFn = Callable[[float], None]


def _loudnorm(stream, preset: presets.AudioPreset):
    return stream.filter(
        "loudnorm", i=preset.loudness_i, tp=preset.true_peak, lra=preset.loudness_range
    ).filter("aresample", preset.sample_rate)


def _audio_output(stream, preset: presets.AudioPreset, source: ProbeResult, path: str):
    channels = min(
        preset.channels, (source.audio.channels if source.audio else None) or preset.channels
    )
    kwargs: dict[str, object] = {
        "f": preset.container,
        "c:a": preset.codec,
        "b:a": f"{preset.bitrate_k}k",
        "ac": channels,
        "ar": preset.sample_rate,
        "map_metadata": -1,
        "map_chapters": -1,
    }
    kwargs.update(preset.muxer_options())
    if preset.application:
        kwargs["application"] = preset.application
    return ffmpeg.output(stream, "file:" + path, **kwargs)


def audio_args(
    src: str, sniffed: Sniffed, source: ProbeResult, specs: list[DerivativeSpec], paths: list[str]
) -> list[str]:
    """One ffmpeg command: decode once, loudnorm, ``asplit`` into every audio tier."""
    inp = open_input(src, sniffed)
    tiers = [s.preset for s in specs]
    assert all(isinstance(p, presets.AudioPreset) for p in tiers)
    # The same loudness target for all tiers, so one loudnorm before the split.
    base = _loudnorm(inp["a:0"], tiers[0])  # type: ignore[arg-type]
    branches = (
        [base]
        if len(tiers) == 1
        else [base.filter_multi_output("asplit", len(tiers))[i] for i in range(len(tiers))]
    )
    outs = [
        _audio_output(b, p, source, path) for b, p, path in zip(branches, tiers, paths, strict=True)
    ]  # type: ignore[arg-type]
    return compile_with_progress(outs)


def make_audio_tiers(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    specs: list[DerivativeSpec],
    out_dir: str,
    runner: Runner,
    on_progress: ProgressFn | None = None,
) -> tuple[list[Derivative], list[RunRecord]]:
    """Make the audio tiers among ``specs`` (those with an :class:`AudioPreset`)."""
    specs = [s for s in specs if isinstance(s.preset, presets.AudioPreset)]
    if not specs or source.audio is None:
        return [], []
    src = os.path.realpath(src)
    out_dir = os.path.realpath(out_dir)
    exts = [s.preset.extension for s in specs]  # type: ignore[union-attr]
    tmps = [outputs.temp_path(out_dir, s.name, ext) for s, ext in zip(specs, exts, strict=True)]
    derivatives = []
    with outputs.temp_outputs(tmps):
        result = runner.run(
            audio_args(src, sniffed, source, specs, tmps),
            read_paths=[src],
            write_dirs=[out_dir],
            on_progress=on_progress,
            progress_duration_s=source.duration_s,
        )
        for spec, tmp, ext in zip(specs, tmps, exts, strict=True):
            try:
                checked = probe(tmp, sniff(tmp), runner)
            except MediaError as exc:
                raise MediaError(
                    errors.TOOL_FAILED,
                    f"{spec.name} failed validation: {exc.detail}",
                    record=result.record,
                ) from exc
            if checked.audio is None or (
                source.duration_s and (checked.duration_s or 0) < source.duration_s * 0.9 - 0.5
            ):
                raise MediaError(
                    errors.TOOL_FAILED, f"{spec.name} is incomplete", record=result.record
                )
            final = outputs.publish(tmp, outputs.final_path(out_dir, spec.name, ext))
            derivatives.append(
                Derivative(
                    name=spec.name,
                    path=final,
                    mime=spec.preset.mime,  # type: ignore[union-attr]
                    width=0,
                    height=0,
                    bitrate=checked.bit_rate or 0,
                    size=os.path.getsize(final),
                    preset_key=spec.preset_key,
                    duration_s=checked.duration_s,
                )
            )
    return derivatives, [result.record]


def pcm_args(src: str, sniffed: Sniffed, sample_rate: int) -> list[str]:
    """Decode the first audio stream to mono signed 16-bit PCM on stdout."""
    inp = open_input(src, sniffed)
    out = ffmpeg.output(
        inp["a:0"], "pipe:1", f="s16le", **{"c:a": "pcm_s16le", "ac": 1, "ar": sample_rate}
    )
    return out.global_args(*GLOBAL_ARGS).compile()


class PeakAccumulator:
    """Streams little-endian s16 PCM chunks into (min, max) pairs per bucket.

    Holds at most one bucket of samples, so memory does not grow with the
    length of the recording.
    """

    def __init__(self, samples_per_peak: int) -> None:
        self.samples_per_peak = max(1, samples_per_peak)
        self.carry = b""
        self.pending = array("h")
        self.peaks: list[tuple[int, int]] = []

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        usable = len(data) - len(data) % 2
        self.carry = data[usable:]
        samples = array("h")
        samples.frombytes(data[:usable])
        if sys.byteorder == "big":
            samples.byteswap()
        self.pending.extend(samples)
        n = self.samples_per_peak
        full = len(self.pending) // n * n
        for i in range(0, full, n):
            bucket = self.pending[i : i + n]
            self.peaks.append((min(bucket), max(bucket)))
        del self.pending[:full]

    def finish(self) -> list[tuple[int, int]]:
        if self.pending:
            self.peaks.append((min(self.pending), max(self.pending)))
            self.pending = array("h")
        return self.peaks


def make_waveform(
    src: str,
    sniffed: Sniffed,
    source: ProbeResult,
    spec: DerivativeSpec,
    out_dir: str,
    runner: Runner,
) -> tuple[Derivative, list[RunRecord]]:
    """Write ``waveform.json``: ``{"peaks": [[min, max], ...]}`` in -1..1.

    At most ``preset.peaks`` pairs, computed while ffmpeg streams PCM.
    """
    preset = spec.preset
    assert isinstance(preset, presets.WaveformPreset)
    src = os.path.realpath(src)
    out_dir = os.path.realpath(out_dir)
    duration = source.duration_s or 1.0
    per_peak = max(1, math.ceil(duration * preset.sample_rate / preset.peaks))
    acc = PeakAccumulator(per_peak)
    result = runner.run(
        pcm_args(src, sniffed, preset.sample_rate), read_paths=[src], stdout_sink=acc.feed
    )
    peaks = acc.finish()
    if len(peaks) > preset.peaks:
        # The container's duration can be a little short (codec priming/padding):
        # fold the surplus into the last pair rather than exceed the promised count.
        tail = peaks[preset.peaks - 1 :]
        peaks = [*peaks[: preset.peaks - 1], (min(lo for lo, _ in tail), max(hi for _, hi in tail))]
    if not peaks:
        raise MediaError(errors.CORRUPT, "no audio samples could be decoded", record=result.record)
    doc = {
        "version": 1,
        "preset_key": spec.preset_key,
        "sample_rate": preset.sample_rate,
        "samples_per_peak": per_peak,
        "duration_s": round(duration, 3),
        "peaks": [[round(lo / 32768, 4), round(hi / 32767, 4)] for lo, hi in peaks],
    }
    tmp = outputs.temp_path(out_dir, spec.name, "json")
    with outputs.temp_outputs([tmp]):
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, separators=(",", ":"))
        final = outputs.publish(tmp, outputs.final_path(out_dir, spec.name, "json"))
    return Derivative(
        spec.name,
        final,
        "application/json",
        0,
        0,
        0,
        os.path.getsize(final),
        spec.preset_key,
        duration,
    ), [result.record]
