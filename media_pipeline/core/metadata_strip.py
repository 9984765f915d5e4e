"""Remove embedded metadata (EXIF with GPS and camera owner, XMP, IPTC, text chunks) from
JPEG and PNG bytes without re-encoding, so public image copies carry pixels only.

Working on the container structure keeps this cheap and lossless; anything that does not
parse as the expected format is returned unchanged for the caller to reject or re-encode.
"""

import struct
import zlib

# JPEG APPn segments that carry metadata rather than image data. APP0 (JFIF), APP2 (ICC
# colour profile) and APP14 (Adobe colour transform) are kept: dropping them changes colours.
_JPEG_METADATA_MARKERS = {
    0xE1,
    0xED,
    0xEC,
    0xE3,
    0xE4,
    0xE5,
    0xE6,
    0xE7,
    0xE8,
    0xE9,
    0xEA,
    0xEB,
    0xEF,
    0xFE,
}
_PNG_METADATA_CHUNKS = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def strip_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return data  # not a marker where one must be: leave the file alone
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is entropy-coded image data
            out += data[pos:]
            return bytes(out)
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment_end = pos + 2 + length
        if segment_end > len(data):
            return data
        if marker not in _JPEG_METADATA_MARKERS:
            out += data[pos:segment_end]
        pos = segment_end
    return data


def strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        return data
    out = bytearray(_PNG_SIGNATURE)
    pos = len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return data
        chunk = data[pos:end]
        crc = struct.unpack(">I", chunk[-4:])[0]
        if zlib.crc32(chunk[4:-4]) != crc:
            return data
        if kind not in _PNG_METADATA_CHUNKS:
            out += chunk
        pos = end
        if kind == b"IEND":
            return bytes(out)
    return data


def strip_metadata(data: bytes) -> bytes:
    """Strip JPEG or PNG metadata; other formats are returned as they are."""
    if data.startswith(b"\xff\xd8"):
        return strip_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return strip_png(data)
    return data
