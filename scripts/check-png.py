#!/usr/bin/env python3
"""Fails when a PNG is (nearly) blank: fewer than 1% of its pixels differ from white. Standard library only."""
import struct, sys, zlib

def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), "expects 8-bit RGB(A)"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, rows, i = bytearray(stride), [], 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):  # undo the PNG row filter
            a = line[x - channels] if x >= channels else 0
            b, c = previous[x], previous[x - channels] if x >= channels else 0
            p = [0, a, b, (a + b) // 2, None][kind]
            if kind == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[x] = (line[x] + p) & 0xFF
        rows.append(line)
        previous = line
    return rows, width, height, channels

rows, width, height, channels = pixels(sys.argv[1])
inked = sum(1 for row in rows for x in range(0, width * channels, channels) if min(row[x:x + 3]) < 240)
fraction = inked / (width * height)
print(f"{sys.argv[1]}: {width}x{height}, {fraction:.1%} non-white")
sys.exit(0 if fraction >= 0.01 else 1)
