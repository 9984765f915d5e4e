"""Tell a newcomer exactly which system tools are missing and how to install them.

The site runs without them (media processing waits until they exist), so this warns and
exits 0; ``--strict`` makes a missing tool an error, for CI.
"""

import shutil
import sys

TOOLS = {
    "ffmpeg": ("ffmpeg", "transcoding audio and video"),
    "ffprobe": ("ffmpeg", "reading media properties"),
    "pdftoppm": ("poppler-utils", "PDF thumbnails"),
    "bwrap": ("bubblewrap", "running ffmpeg in a sandbox that sees only its input file"),
}


def main() -> int:
    missing = [(cmd, pkg, why) for cmd, (pkg, why) in TOOLS.items() if not shutil.which(cmd)]
    if not missing:
        return 0
    packages = sorted({pkg for _, pkg, _ in missing})
    for cmd, pkg, why in missing:
        print(f"Missing system tool '{cmd}' (Debian package {pkg}), needed for {why}.")
    print(f"Install with:  sudo apt-get install -y {' '.join(packages)}")
    return 1 if "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
