"""Single entry point: inspect a stored original and make all its derivatives."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from . import audio, images, pdf, video
from .outputs import Derivative
from .plan import DerivativeSpec, plan_derivatives
from .probe import ProbeResult, effective_kind
from .probe import probe as run_probe
from .runner import Runner, RunRecord
from .sniff import Kind, Sniffed, sniff


@dataclass(frozen=True)
class Inspection:
    """What an original is: sniffed type, probe (audio/video only) and final kind."""

    sniffed: Sniffed
    probe: ProbeResult | None
    kind: Kind


@dataclass(frozen=True)
class ProcessResult:
    """Everything :func:`process_media` made.

    Attributes:
        kind: effective kind (a 3GP with only audio is ``"audio"``).
        derivatives: finished files, already in their final place.
        runs: one record per tool run (argv, tool version, status, time), in
            order, for the preservation log.
        plan: the specs that were executed.
    """

    kind: Kind
    derivatives: list[Derivative]
    runs: list[RunRecord]
    plan: list[DerivativeSpec] = field(default_factory=list)

    def get(self, name: str) -> Derivative | None:
        """The derivative called ``name``, if it was made."""
        return next((d for d in self.derivatives if d.name == name), None)


def inspect_media(path: str | os.PathLike[str], runner: Runner) -> Inspection:
    """Sniff and (for audio/video) probe and validate ``path``. Raises MediaError."""
    sniffed = sniff(path)
    if sniffed.kind in ("image", "pdf"):
        return Inspection(sniffed, None, sniffed.kind)
    result = run_probe(path, sniffed, runner)
    return Inspection(sniffed, result, effective_kind(sniffed, result))


def process_media(
    path: str | os.PathLike[str],
    sniffed: Sniffed,
    probe: ProbeResult | None,
    out_dir: str | os.PathLike[str],
    runner: Runner,
    on_progress: Callable[[float], None] | None = None,
) -> ProcessResult:
    """Make every derivative of ``path`` into ``out_dir`` and return them.

    Args:
        path: the stored original (read only).
        sniffed / probe: from :func:`inspect_media` (``probe`` is ``None`` for
            images and PDF).
        out_dir: existing directory for this original's derivatives.
        runner: the :class:`Runner` (decides isolation and limits).
        on_progress: called with 0..1 during long work (video ladder, audio tiers).

    Raises:
        MediaError: on any failure; no partial final file is left behind.
    """
    src = os.path.realpath(path)
    out = os.path.realpath(out_dir)
    report = on_progress or (lambda _f: None)
    if sniffed.kind == "image":
        specs = plan_derivatives("image", None)
        derivs = images.make_image_derivatives(src, sniffed.pillow_format or "", out)
        report(1.0)
        return ProcessResult("image", derivs, [], specs)
    if sniffed.kind == "pdf":
        specs = plan_derivatives("pdf", None)
        derivs, runs = pdf.make_pdf_thumbs(src, out, runner)
        report(1.0)
        return ProcessResult("pdf", derivs, runs, specs)
    if probe is None:
        raise ValueError("audio/video processing needs a probe result")
    kind = effective_kind(sniffed, probe)
    specs = plan_derivatives(kind, probe)
    derivs: list[Derivative] = []
    runs: list[RunRecord] = []
    if kind == "video":
        # The ladder dominates the cost; poster and strip are quick.
        made, recs = video.make_ladder(
            src, sniffed, probe, specs, out, runner, lambda f: report(f * 0.9)
        )
        derivs += made
        runs += recs
        for spec in specs:
            if spec.name == "poster":
                poster, recs = video.make_poster(src, sniffed, probe, spec, out, runner)
                derivs.append(poster)
                runs += recs
            elif spec.name == "thumbs":
                made, recs = video.make_thumbs(src, sniffed, probe, spec, out, runner)
                derivs += made
                runs += recs
    else:
        made, recs = audio.make_audio_tiers(
            src, sniffed, probe, specs, out, runner, lambda f: report(f * 0.8)
        )
        derivs += made
        runs += recs
        for spec in specs:
            if spec.name == "waveform":
                wave, recs = audio.make_waveform(src, sniffed, probe, spec, out, runner)
                derivs.append(wave)
                runs += recs
    report(1.0)
    return ProcessResult(kind, derivs, runs, specs)


__all__ = ["Inspection", "ProcessResult", "inspect_media", "process_media"]
