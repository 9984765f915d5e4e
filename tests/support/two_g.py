"""Measuring the site on a 2G link in Chromium: shared by tests/browser/test_two_g.py (the
budgets) and bench/two_g.py (the figures in docs/benchmarks.md).

The link is Chromium's own network emulation (DevTools ``Network.emulateNetworkConditions``):
about 250 kb/s down, 300 ms added to every request, HTTP cache off, as a visitor's first
visit on a weak rural connection. Times are the page's own clocks (paint timing, media
events), not the test's, so a busy machine slows the server but not the arithmetic.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

DOWN_KBPS = 250
UP_KBPS = 100
RTT_MS = 300

# Budgets of issue 11, in seconds.
PAINT_BUDGET_S = 1.5
AUDIO_START_BUDGET_S = 3.0
# The data-saver tier must start at least as fast as the normal one. Both start within a
# few hundred ms of each other on an idle machine only if both are fast, and the tick of
# Chromium's media pipeline and the shared CPU add jitter: 0.25 s is allowed.
SAVER_TOLERANCE_S = 0.25

# Installed before any page script: records paint and largest-contentful-paint times.
PAINT_WATCH = """
window.__paint = {};
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__paint[e.name] = e.startTime; });
}).observe({type: 'paint', buffered: true});
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) {
    window.__paint.lcp = e.startTime;
    window.__paint.lcpInMain = !!(e.element && e.element.closest('main'));
  });
}).observe({type: 'largest-contentful-paint', buffered: true});
"""

# Presses play on the page's first player (or on ``src`` when given) and resolves when the
# 'playing' event fires and currentTime has moved on, with times relative to the press.
PLAY = """
async (src) => {
  const media = document.querySelector('[data-player]');
  if (src) { media.src = src; }
  const pressed = performance.now();
  const result = await new Promise((resolve) => {
    const give_up = setTimeout(() => resolve({error: 'no playing event in 30 s'}), 30000);
    media.addEventListener('playing', () => {
      clearTimeout(give_up);
      resolve({playing: performance.now() - pressed,
               playingEpoch: performance.timeOrigin + performance.now()});
    }, {once: true});
    media.addEventListener('error', () => {
      resolve({error: 'media error ' + (media.error && media.error.code)});
    }, {once: true});
    media.play().catch((e) => resolve({error: String(e)}));
  });
  if (result.error) return result;
  const start = media.currentTime;
  await new Promise((resolve) => {
    const check = () => (media.currentTime > start ? resolve() : setTimeout(check, 20));
    check();
  });
  result.advancing = performance.now() - pressed;
  result.src = media.currentSrc;
  return result;
}
"""

FETCH = """
async (url) => {
  const started = performance.now();
  const response = await fetch(url, {cache: 'no-store', credentials: 'same-origin'});
  const body = await response.arrayBuffer();
  const seconds = (performance.now() - started) / 1000;
  return {status: response.status, bytes: body.byteLength, seconds: seconds};
}
"""


def speech_like_wav(directory: Path, seconds: int = 60) -> Path:
    """Mono 16 kHz WAV shaped like speech: a voiced tone with wandering pitch and three
    harmonics, syllables at about 4 per second and a pause every few seconds."""
    out = Path(directory) / f"speech-like-{seconds}s.wav"
    if not out.exists():
        pitch = "(150+25*sin(2*PI*0.5*t))"
        voice = "+".join(
            f"{amp}*sin({2 * k}*PI*{pitch}*t)" for k, amp in ((1, 0.6), (2, 0.3), (3, 0.15))
        )
        expr = f"({voice})*(0.5+0.5*sin(2*PI*4*t))*gt(sin(2*PI*0.25*t)+0.5,0)"
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
             "-i", f"aevalsrc='{expr}':s=16000:d={seconds}", "-ac", "1", str(out)],
            check=True,
            timeout=120,
        )  # fmt: skip
    return out


class Link:
    """A throttled DevTools session on ``page``, recording the bytes of every response as
    they arrive (so the bytes fetched before playback started can be counted)."""

    def __init__(self, page, *, emulate=True):
        self.page = page
        self.urls: dict[str, str] = {}
        self.clock_offset: float | None = None  # wall time - DevTools monotonic time
        self.chunks: list[tuple[str, float, int]] = []  # request id, timestamp, bytes
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.dataReceived", self._data)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if emulate:
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": RTT_MS,
                    "downloadThroughput": DOWN_KBPS * 1000 / 8,
                    "uploadThroughput": UP_KBPS * 1000 / 8,
                },
            )
        self.cdp = cdp

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]
        if self.clock_offset is None:
            self.clock_offset = event["wallTime"] - event["timestamp"]

    def _data(self, event):
        self.chunks.append((event["requestId"], event["timestamp"], event["dataLength"]))

    def bytes_before(self, epoch_ms: float, url_part: str) -> int:
        """Bytes received for URLs containing ``url_part`` before wall time ``epoch_ms``."""
        self.page.wait_for_timeout(100)  # let the DevTools events already sent arrive
        cutoff = epoch_ms / 1000 - (self.clock_offset or 0)
        return sum(
            size
            for request, at, size in self.chunks
            if at <= cutoff and url_part in self.urls.get(request, "")
        )


@dataclass
class Paint:
    url: str
    fcp_s: float
    lcp_s: float
    lcp_in_main: bool
    bytes: int = 0


@dataclass
class AudioStart:
    src: str
    playing_s: float
    advancing_s: float
    bytes_before_playing: int
    extra: dict = field(default_factory=dict)


def open_page(browser, base_url: str, cookies: dict | None = None, *, emulate=True):
    """A fresh context (no cache, no cookies but ``cookies``) with the paint watch and a
    throttled link (``emulate=False``: not throttled by Chromium, e.g. behind a
    :class:`PacedRelay`)."""
    context = browser.new_context(base_url=base_url)
    if cookies:
        context.add_cookies([{"name": k, "value": v, "url": base_url} for k, v in cookies.items()])
    context.add_init_script(PAINT_WATCH)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page, Link(page, emulate=emulate)


def measure_paint(page, link: Link, url: str) -> Paint:
    """Navigate on the throttled link; first and largest contentful paint after navigation."""
    link.chunks.clear()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)  # the observers' callbacks run after the paint
    paint = page.evaluate("window.__paint")
    return Paint(
        url,
        fcp_s=paint["first-contentful-paint"] / 1000,
        lcp_s=paint.get("lcp", float("nan")) / 1000,
        lcp_in_main=bool(paint.get("lcpInMain")),
        bytes=sum(size for _r, _t, size in link.chunks),
    )


def measure_audio_start(page, link: Link, src: str | None = None) -> AudioStart:
    """Press play on the (already loaded) page's player and time the start of playback."""
    link.chunks.clear()
    result = page.evaluate(PLAY, src)
    if "error" in result:
        raise AssertionError(f"audio did not start: {result['error']}")
    played = result["src"].split("?")[0]
    return AudioStart(
        src=played,
        playing_s=result["playing"] / 1000,
        advancing_s=result["advancing"] / 1000,
        bytes_before_playing=link.bytes_before(result["playingEpoch"], "/files/"),
    )


def measure_fetch(page, url: str) -> dict:
    """Download ``url`` whole on the throttled link: the network's floor for that size."""
    return page.evaluate(FETCH, url)


class PacedRelay:
    """A 2G link in user space, for comparison with Chromium's emulation: a TCP relay on
    loopback that cuts the server's bytes into 1,400-byte packets, sends them one after the
    other at ``DOWN_KBPS`` on one link shared by all the browser's connections (as one radio
    link is), and delays each direction by half the round trip.

    DevTools emulation instead delays whole socket reads (tens of KB from a loopback server)
    until the link "has carried" them, so a player receives its first bytes in one late lump;
    packets trickle here as on a real link, so the player can start as soon as the header
    and its first seconds of audio have arrived.
    """

    PACKET = 1400

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.loop = asyncio.new_event_loop()
        self.free_at = {"down": 0.0, "up": 0.0}
        self.port = 0
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PacedRelay:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    async def _relay(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection(
            "127.0.0.1", self.upstream_port
        )
        # When the browser drops the connection (a closed tab, a player that moves on), its
        # queued bytes stop taking the link's time.
        closed = asyncio.Event()
        await asyncio.gather(
            self._pipe(client_reader, server_writer, "up", UP_KBPS, closed),
            self._pipe(server_reader, client_writer, "down", DOWN_KBPS, closed),
            return_exceptions=True,
        )
        for writer in (client_writer, server_writer):
            writer.close()

    async def _pipe(self, reader, writer, direction: str, kbps: int, closed) -> None:
        bytes_per_s = kbps * 1000 / 8
        one_way = RTT_MS / 2000
        waiting: asyncio.Queue = asyncio.Queue(maxsize=64)  # read ahead of the link, bounded
        in_flight: asyncio.Queue = asyncio.Queue()

        async def read():
            try:
                while not closed.is_set() and (data := await reader.read(65536)):
                    for i in range(0, len(data), self.PACKET):
                        await waiting.put(data[i : i + self.PACKET])
            finally:
                if direction == "up":
                    closed.set()  # the browser closed its side
                await waiting.put(None)

        async def transmit():
            while (packet := await waiting.get()) is not None:
                if closed.is_set():
                    continue  # dropped with the connection: the link is free for others
                start = max(self.loop.time(), self.free_at[direction])
                self.free_at[direction] = start + len(packet) / bytes_per_s
                await asyncio.sleep(self.free_at[direction] - self.loop.time())
                in_flight.put_nowait((self.free_at[direction] + one_way, packet))
            in_flight.put_nowait(None)

        async def deliver():
            try:
                while (item := await in_flight.get()) is not None:
                    due, packet = item
                    await asyncio.sleep(max(0.0, due - self.loop.time()))
                    writer.write(packet)
                    await writer.drain()
                if writer.can_write_eof():
                    writer.write_eof()
            except OSError:
                closed.set()

        await asyncio.gather(read(), transmit(), deliver())
