#!/usr/bin/env python3
"""Draws KpiBot's Teams app icons (no image library needed): run `python3 make-icons.py` here.

color.png   192x192, the app colour tile: white rising bars on KpiBot blue, rounded corners.
outline.png 32x32, the same bars in white on a transparent background (Teams' rule for outline icons:
            https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#outline-icon).
"""
import struct
import zlib

BLUE = (0x1F, 0x6F, 0xEB, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def png(path, width, height, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def inside_rounded(x, y, size, radius):
    cx = min(max(x, radius), size - 1 - radius)
    cy = min(max(y, radius), size - 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def bars(scale):
    # Three rising bars (x0, x1, top), bottom at 5/6 of the height: the shape of a trend.
    return [(int(a * scale), int(b * scale), int(t * scale)) for a, b, t in ((0.20, 0.34, 0.58), (0.43, 0.57, 0.42), (0.66, 0.80, 0.22))]


def on_bar(x, y, size):
    bottom = int(size * 0.82)
    return any(x0 <= x < x1 and top <= y < bottom for x0, x1, top in bars(size))


png("color.png", 192, 192, lambda x, y: (WHITE if on_bar(x, y, 192) else BLUE) if inside_rounded(x, y, 192, 36) else CLEAR)
png("outline.png", 32, 32, lambda x, y: WHITE if on_bar(x, y, 32) else CLEAR)
