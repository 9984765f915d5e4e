"""Generate sample media for tests and benchmarks (ffmpeg lavfi + Pillow).

Every function writes into ``directory`` and returns the path. Clips are
small and short so the suite stays fast on 2 cores.
"""

from __future__ import annotations

import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

from PIL import Image

FFMPEG = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y"]
PASSWD_MARKER = "root:x:0:0"


def _ff(*args: str) -> None:
    subprocess.run([*FFMPEG, *args], check=True, stdin=subprocess.DEVNULL, timeout=300)


def video(
    directory: Path,
    name: str = "clip.mp4",
    *,
    size: str = "320x240",
    duration: float = 3,
    fps: int = 25,
    audio: bool = True,
    extra: tuple[str, ...] = (),
    vcodec: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
) -> Path:
    """testsrc2 picture with a sine tone (H.264 + AAC in MP4 by default)."""
    out = directory / name
    args = ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}:d={duration}"]
    if audio:
        args += [
            "-f",
            "lavfi",
            "-i",
            f"sine=f=440:sample_rate=48000:d={duration}",
            "-c:a",
            "aac",
            "-b:a",
            "96k",
        ]
    _ff(*args, *vcodec, *extra, "-shortest", str(out))
    return out


def video_1080p(directory: Path, duration: float = 2) -> Path:
    return video(directory, "hd1080.mp4", size="1920x1080", duration=duration)


def video_480p(directory: Path, duration: float = 2) -> Path:
    return video(directory, "sd480.mp4", size="854x480", duration=duration)


def rotated_video(directory: Path) -> Path:
    """Phone-style portrait video: landscape 320x180 frames with a 90° display matrix.

    ffmpeg 5.1 has no ``-display_rotation``; the legacy ``rotate`` stream tag is
    what its MP4 muxer turns into a display matrix.
    """
    plain = video(directory, "landscape.mp4", size="320x180", duration=2)
    out = directory / "rotated.mp4"
    _ff("-i", str(plain), "-c", "copy", "-metadata:s:v", "rotate=90", str(out))
    return out


def vfr_video(directory: Path) -> Path:
    """Keeps frames 0,1,5,6,10,11… of 25 fps: irregular timestamps like a phone."""
    return video(
        directory,
        "vfr.mp4",
        duration=3,
        audio=False,
        extra=("-vf", "select='lt(mod(n\\,5)\\,2)'", "-fps_mode", "vfr"),
    )


def interlaced_video(directory: Path) -> Path:
    """Top-field-first interlaced H.264 (like a digitised DV tape)."""
    return video(
        directory,
        "interlaced.mp4",
        size="320x240",
        duration=2,
        extra=(
            "-vf",
            "tinterlace=interleave_top,fieldorder=tff",
            "-flags",
            "+ilme+ildct",
            "-top",
            "1",
        ),
        vcodec=("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    )


def black_start_video(directory: Path) -> Path:
    """One second of black, then three seconds of picture."""
    out = directory / "black_start.mp4"
    _ff(
        "-filter_complex",
        "color=c=black:s=320x240:r=25:d=1[b];testsrc2=s=320x240:r=25:d=3[t];[b][t]concat=n=2:v=1:a=0",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        str(out),
    )  # fmt: skip
    return out


def wav(
    directory: Path,
    name: str = "tone.wav",
    *,
    channels: int = 2,
    rate: int = 44100,
    codec: str = "pcm_s16le",
    duration: float = 3,
) -> Path:
    out = directory / name
    _ff(
        "-f",
        "lavfi",
        "-i",
        f"sine=f=330:sample_rate={rate}:d={duration}",
        "-ac",
        str(channels),
        "-c:a",
        codec,
        str(out),
    )
    return out


def wav_6ch_96k_24bit(directory: Path) -> Path:
    return wav(directory, "surround.wav", channels=6, rate=96000, codec="pcm_s24le", duration=2)


def noise_wav(directory: Path, duration: float = 3) -> Path:
    out = directory / "noise.wav"
    _ff("-f", "lavfi", "-i", f"anoisesrc=d={duration}:c=pink:r=44100:a=0.5", str(out))
    return out


def mp3(directory: Path, duration: float = 3) -> Path:
    out = directory / "song.mp3"
    _ff(
        "-f",
        "lavfi",
        "-i",
        f"sine=f=220:d={duration}",
        "-c:a",
        "libmp3lame",
        "-b:a",
        "64k",
        str(out),
    )
    return out


def opus_voice_note(directory: Path, duration: float = 3) -> Path:
    """Mono 16 kHz Ogg Opus, like a messaging-app voice note."""
    out = directory / "voice.ogg"
    _ff(
        "-f",
        "lavfi",
        "-i",
        f"anoisesrc=d={duration}:c=brown:r=16000:a=0.3",
        "-ac",
        "1",
        "-c:a",
        "libopus",
        "-b:a",
        "16k",
        str(out),
    )
    return out


def aac_3gp(directory: Path, duration: float = 3) -> Path:
    """Audio-only 3GP with AAC (Debian's ffmpeg cannot encode AMR)."""
    out = directory / "phone.3gp"
    _ff(
        "-f",
        "lavfi",
        "-i",
        f"sine=f=500:sample_rate=16000:d={duration}",
        "-ac",
        "1",
        "-c:a",
        "aac",
        "-b:a",
        "32k",
        "-f",
        "3gp",
        str(out),
    )
    return out


def m4a(directory: Path, duration: float = 3) -> Path:
    out = directory / "music.m4a"
    _ff("-f", "lavfi", "-i", f"sine=f=440:d={duration}", "-c:a", "aac", "-b:a", "96k", str(out))
    return out


ARTIST = "Nguyễn Văn Chụp"


def jpeg_with_exif(directory: Path) -> Path:
    """64×32 landscape pixels, EXIF orientation 6 (display rotated 90° CW),
    plus GPS coordinates and an Artist tag that must never reach a derivative.
    The left half is red, so after rotation red must be at the top."""
    image = Image.new("RGB", (64, 32), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 32, 32))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x013B] = ARTIST  # Artist
    exif[0x8298] = "© Chủ sở hữu"  # Copyright
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}  # GPS
    out = directory / "photo.jpg"
    image.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out


def png(directory: Path, size: tuple[int, int] = (2000, 1000)) -> Path:
    out = directory / "scan.png"
    Image.new("RGB", size, (200, 180, 120)).save(out, "PNG")
    return out


def pdf(directory: Path) -> Path:
    out = directory / "document.pdf"
    page = Image.new("RGB", (600, 800), (255, 255, 255))
    page.paste((30, 60, 200), (50, 50, 550, 200))
    page.save(out, "PDF", resolution=72)
    return out


# --- hostile corpus -------------------------------------------------------


def empty_file(directory: Path) -> Path:
    out = directory / "empty.mp4"
    out.write_bytes(b"")
    return out


def truncated_mp4(directory: Path) -> Path:
    """An MP4 cut in the middle (moov atom at the end is lost)."""
    full = video(directory, "whole.mp4", duration=2)
    data = full.read_bytes()
    out = directory / "truncated.mp4"
    out.write_bytes(data[: len(data) // 2])
    return out


def html_as_mp4(directory: Path) -> Path:
    out = directory / "video.mp4"
    out.write_text("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n")
    return out


def text_as_mp4(directory: Path) -> Path:
    out = directory / "notes.mp4"
    out.write_text("Đây là một tệp văn bản, không phải video.\n")
    return out


def audio_as_jpg(directory: Path) -> Path:
    """An MP3 named .jpg: content says audio, so it is processed as audio."""
    source = mp3(directory, duration=2)
    out = directory / "picture.jpg"
    out.write_bytes(source.read_bytes())
    return out


def png_bomb(directory: Path, width: int = 30000, height: int = 30000) -> Path:
    """A few hundred bytes claiming 30000×30000 pixels (only the header is real)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * width
    idat = zlib.compress(row * 4, 9)  # a few rows; the decoder would want 30000
    out = directory / "bomb.png"
    out.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return out


HLS_PLAYLIST = (
    "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
)


def playlist_m3u8(directory: Path, name: str = "stream.m3u8") -> Path:
    out = directory / name
    out.write_text(HLS_PLAYLIST)
    return out


def playlist_as_avi(directory: Path) -> Path:
    """The bare trick: an HLS playlist uploaded with a video extension."""
    return playlist_m3u8(directory, "movie.avi")


def ffconcat(directory: Path) -> Path:
    out = directory / "list.mp4"
    out.write_text("ffconcat version 1.0\nfile '/etc/passwd'\nfile 'file:/etc/passwd'\n")
    return out


def hls_in_avi(directory: Path) -> Path:
    """A structurally valid AVI whose only stream is a GAB2 subtitle chunk
    carrying an HLS playlist that points at /etc/passwd — the shape of the
    2017 "ffmpeg SSRF / local file read via AVI" reports."""

    def ck(fourcc: bytes, data: bytes) -> bytes:
        pad = b"\x00" if len(data) % 2 else b""
        return fourcc + struct.pack("<I", len(data)) + data + pad

    def lst(kind: bytes, body: bytes) -> bytes:
        return b"LIST" + struct.pack("<I", len(body) + 4) + kind + body

    avih = struct.pack("<IIIIIIIIII4I", 40000, 0, 0, 0x10, 1, 0, 1, 0, 320, 240, 0, 0, 0, 0)
    strh = (
        b"txts"
        + b"\x00\x00\x00\x00"
        + struct.pack("<IHHIIIIIIIIhhhh", 0, 0, 0, 0, 0, 1, 25, 0, 1, 0, 0, 0, 0, 0, 0)
    )
    strf = b"\x00" * 16
    playlist = HLS_PLAYLIST.encode()
    name = "x\x00".encode("utf-16-le")
    gab2 = b"GAB2\x00" + struct.pack("<H", 2) + struct.pack("<I", len(name)) + name
    gab2 += struct.pack("<H", 4) + struct.pack("<I", len(playlist)) + playlist
    movi = lst(b"movi", ck(b"00tx", gab2))
    hdrl = lst(b"hdrl", ck(b"avih", avih) + lst(b"strl", ck(b"strh", strh) + ck(b"strf", strf)))
    idx1 = ck(b"idx1", b"00tx" + struct.pack("<III", 0x10, 4, len(gab2)))
    body = b"AVI " + hdrl + movi + idx1
    out = directory / "subtitled.avi"
    out.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return out


def vietnamese_nfd_name(directory: Path) -> Path:
    """A real clip whose path has NFD Vietnamese, spaces, a leading dash and ``..``."""
    sub = directory / "tải lên" / "x"
    sub.mkdir(parents=True)
    name = unicodedata.normalize("NFD", "-Bài hát ru của người Mường (bản gốc).mp4")
    clip = video(directory, "plain.mp4", duration=2)
    target = directory / "tải lên" / name
    clip.rename(target)
    return sub / ".." / name


def elan_file(directory: Path, name: str = "session.eaf") -> Path:
    """An ELAN file with a time-aligned transcript tier and a translation child tier."""
    from pympi.Elan import Eaf

    eaf = Eaf()
    eaf.add_linguistic_type("transcription")
    eaf.add_linguistic_type("translation", constraints="Symbolic_Association", timealignable=False)
    eaf.add_tier("Tày", ling="transcription")
    eaf.add_tier("Tiếng Việt", ling="translation", parent="Tày")
    eaf.add_annotation("Tày", 0, 1500, "Pjạ khửn")
    eaf.add_annotation("Tày", 1500, 3000, "Slấc mừa")
    eaf.add_ref_annotation("Tiếng Việt", "Tày", 500, "Trời sáng")
    eaf.add_ref_annotation("Tiếng Việt", "Tày", 2000, "Mùa đến")
    out = directory / name
    eaf.to_file(str(out))
    return out
