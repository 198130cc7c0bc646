"""Read an image's format, size and mode from its header, never its pixels. Pure Python, reads only.

Format and mode names are Pillow's, so a finding says what `Image.open(path)` would say.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HEAD = 4096  # every header but a JPEG's fits; JPEG segments are walked with seeks
TAIL = 4096  # where end markers are looked for first, trailing padding included
CHUNK = 1 << 20  # how much is searched at a time when an end marker is not in the tail
EMPTY_FILE = "empty file (0 bytes)"

CHANNELS = {"1": 1, "L": 1, "P": 1, "I;16": 1, "I": 1, "F": 1, "LA": 2, "RGB": 3, "RGBA": 4, "CMYK": 4}
FORMAT_OF_SUFFIX = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".bmp": "BMP",
    ".gif": "GIF",
    ".webp": "WEBP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".ppm": "PPM",
    ".pgm": "PPM",
    ".pbm": "PPM",
    ".pnm": "PPM",
}


@dataclass(frozen=True)
class ImageInfo:
    format: str | None  # JPEG, PNG, BMP, GIF, WEBP, TIFF, PPM; None when not identified
    width: int
    height: int
    mode: str  # 1, L, LA, P, RGB, RGBA, CMYK, I;16, I, F; "" when not known
    channels: int
    truncated: bool = False  # the data stops before its end marker or its declared length
    error: str | None = None  # why the file cannot be read at all
    mislabelled: bool = False  # the suffix names another format than the bytes hold


Header = tuple[int, int, str, bool]  # width, height, mode, truncated


class _Broken(Exception):
    """The header cannot be read; the message says why."""


class _File:
    """Random access to a file, with its first bytes kept to spare small reads a system call."""

    def __init__(self, f: BinaryIO, size: int):
        self.f = f
        self.size = size
        self.head = f.read(HEAD)

    def at(self, offset: int, n: int) -> bytes:
        if offset + n <= len(self.head):
            return self.head[offset : offset + n]
        self.f.seek(offset)
        return self.f.read(n)

    def exactly(self, offset: int, n: int) -> bytes:
        data = self.at(offset, n)
        if len(data) < n:
            raise _Broken(f"the file ends at byte {self.size}, inside the header")
        return data

    def contains(self, needle: bytes, start: int) -> bool:
        """Whether `needle` occurs at or after `start`: the tail first, then the rest in chunks."""
        if start >= self.size:
            return False
        tail_start = max(start, self.size - TAIL)
        if needle in self.at(tail_start, self.size - tail_start):
            return True
        offset = start
        while offset < tail_start:
            n = min(CHUNK, tail_start - offset) + len(needle) - 1
            if needle in self.at(offset, n):
                return True
            offset += CHUNK
        return False


def read_image_info(path: Path) -> ImageInfo:
    """Format, size, mode and soundness of the image at `path`, from its header and its last bytes."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            if size == 0:
                return ImageInfo(None, 0, 0, "", 0, error=EMPTY_FILE)
            f.seek(0)
            file = _File(f, size)
            reader = _reader_for(file.head)
            if reader is None:
                return ImageInfo(
                    None, 0, 0, "", 0, error=f"cannot identify image file (starts {file.head[:8]!r})"
                )
            fmt, read = reader
            try:
                width, height, mode, truncated = read(file)
            except (_Broken, struct.error) as err:
                return ImageInfo(fmt, 0, 0, "", 0, truncated=True, error=f"broken {fmt} header: {err}")
    except OSError as err:
        return ImageInfo(None, 0, 0, "", 0, error=f"cannot open: {err.strerror or err}")
    expected = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    return ImageInfo(
        fmt,
        width,
        height,
        mode,
        CHANNELS.get(mode, 0),
        truncated,
        mislabelled=expected is not None and expected != fmt,
    )


def _reader_for(head: bytes) -> tuple[str, Callable[[_File], Header]] | None:
    if head.startswith(b"\xff\xd8"):
        return "JPEG", _jpeg
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG", _png
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF", _gif
    if head.startswith(b"BM"):
        return "BMP", _bmp
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP", _webp
    if head[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"):
        return "TIFF", _tiff
    if len(head) > 2 and head[0:1] == b"P" and head[1:2] in b"123456" and head[2:3].isspace():
        return "PPM", _pnm
    return None


# JPEG: SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the size; markers without a length
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_JPEG_MODES = {1: "L", 3: "RGB", 4: "CMYK"}


def _jpeg(file: _File) -> Header:
    pos, size_mode = 2, None
    while True:
        marker = file.exactly(pos, 2)
        if marker[0] != 0xFF:
            raise _Broken(f"no marker at byte {pos}")
        kind = marker[1]
        if kind == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if kind in _STANDALONE:
            pos += 2
            continue
        if kind == 0xD9:
            raise _Broken("end of image before any scan")
        length = struct.unpack(">H", file.exactly(pos + 2, 2))[0]
        if kind in _SOF:
            _, height, width, components = struct.unpack(">BHHB", file.exactly(pos + 4, 6))
            size_mode = (width, height, _JPEG_MODES.get(components, ""))
        if kind == 0xDA:  # start of scan: the entropy-coded data follows
            break
        pos += 2 + length
    if size_mode is None:
        raise _Broken("no frame header (SOF) before the scan")
    # entropy-coded data never holds FF D9 (an FF there is followed by 00 or a restart marker),
    # so the first FF D9 after the scan starts is the end of image, whatever follows it
    return (*size_mode, not file.contains(b"\xff\xd9", pos + 2 + length))


def _png(file: _File) -> Header:
    width, height, depth, colour = struct.unpack(">IIBB", file.exactly(16, 10))
    if colour == 0:
        mode = {1: "1", 16: "I;16"}.get(depth, "L")
    else:
        mode = {2: "RGB", 3: "P", 4: "LA", 6: "RGBA"}.get(colour, "")
    return width, height, mode, not _png_has_iend(file)


def _png_has_iend(file: _File) -> bool:
    if b"IEND" in file.at(max(8, file.size - TAIL), TAIL):
        return True
    pos = 8  # walk the chunks: data after IEND, however long, is not part of the image
    while pos + 8 <= file.size:
        length, kind = struct.unpack(">I4s", file.at(pos, 8))
        if kind == b"IEND":
            return True
        pos += 12 + length
    return False


def _gif(file: _File) -> Header:
    width, height, flags = struct.unpack("<HHB", file.exactly(6, 5))
    palette, pos = b"", 13
    if flags & 0x80:
        palette = file.exactly(pos, 3 << ((flags & 7) + 1))
        pos += len(palette)
    frames, truncated = 0, False
    try:  # walk the blocks to the trailer: the data has no length to check against the file's
        while (block := file.exactly(pos, 1)[0]) != 0x3B:
            if block == 0x2C:  # image descriptor, maybe with its own palette, then LZW data
                local = file.exactly(pos + 9, 1)[0]
                pos += 10
                if local & 0x80:
                    table = file.exactly(pos, 3 << ((local & 7) + 1))
                    palette = table if frames == 0 else palette
                    pos += len(table)
                frames, pos = frames + 1, pos + 1
            elif block == 0x21:  # extension: label, then sub-blocks
                pos += 2
            else:
                raise _Broken(f"unknown block 0x{block:02x} at byte {pos}")
            while length := file.exactly(pos, 1)[0]:
                pos += 1 + length
            pos += 1
    except _Broken:
        truncated = True
    # Pillow opens a first frame without a palette, or with the grey ramp 0, 1, 2..., as L
    ramp = all(palette[i] == palette[i + 1] == palette[i + 2] == i // 3 for i in range(0, len(palette), 3))
    return width, height, "L" if ramp else "P", truncated


def _bmp(file: _File) -> Header:
    data_offset, header_size = struct.unpack("<II", file.exactly(10, 8))
    if header_size == 12:  # OS/2 core header
        width, height, _, bits = struct.unpack("<HHHH", file.exactly(18, 8))
        compression, colours, entry = 0, 0, 3
    else:
        width, height, _, bits, compression = struct.unpack("<iiHHI", file.exactly(18, 16))
        colours = struct.unpack("<I", file.exactly(46, 4))[0] if header_size >= 36 else 0
        entry = 4
    height = abs(height)  # negative: rows stored top-down
    if bits <= 8:
        count = colours or 1 << bits
        palette = file.exactly(14 + header_size, count * entry)
        ramp = (0, 255) if count == 2 else range(count)
        grey = all(palette[i * entry : i * entry + 3] == bytes((v, v, v)) for i, v in enumerate(ramp))
        mode = ("1" if count == 2 else "L") if grey else "P"
    elif bits == 32 and compression in (3, 6) and header_size >= 56:
        alpha_mask = struct.unpack("<I", file.exactly(66, 4))[0]
        mode = "RGBA" if alpha_mask else "RGB"
    else:
        mode = "RGB"
    truncated = False
    if compression in (0, 3):  # uncompressed rows of 4-byte multiples; the last needs no padding
        row = (bits * width + 31) // 32 * 4
        truncated = file.size < data_offset + row * (height - 1) + (bits * width + 7) // 8
    return width, height, mode, truncated


def _webp(file: _File) -> Header:
    riff_size = struct.unpack("<I", file.exactly(4, 4))[0]
    chunk = file.exactly(12, 4)
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", file.exactly(26, 4))
        width, height, mode = w & 0x3FFF, h & 0x3FFF, "RGB"
    elif chunk == b"VP8L":
        bits = struct.unpack("<I", file.exactly(21, 4))[0]
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        mode = "RGBA" if bits >> 28 & 1 else "RGB"
    elif chunk == b"VP8X":
        flags = file.exactly(20, 1)[0]
        dims = file.exactly(24, 6)
        width = int.from_bytes(dims[:3], "little") + 1
        height = int.from_bytes(dims[3:], "little") + 1
        mode = "RGBA" if flags & 0x10 else "RGB"
    else:
        raise _Broken(f"unknown chunk {chunk!r}")
    return width, height, mode, file.size < riff_size + 8


# TIFF field types: their size in bytes, and the struct code of those that hold the tags read here
_TIFF_SIZES = {
    kind: size
    for size, kinds in {1: (1, 2, 6, 7), 2: (3, 8), 4: (4, 9, 11, 13), 8: (5, 10, 12, 16, 17, 18)}.items()
    for kind in kinds
}
_TIFF_CODES = {1: "B", 3: "H", 4: "I", 16: "Q"}
# ImageWidth, ImageLength, BitsPerSample, Photometric, StripOffsets, SamplesPerPixel, StripByteCounts,
# TileOffsets, TileByteCounts, ExtraSamples, SampleFormat
_TIFF_TAGS = frozenset({256, 257, 258, 262, 273, 277, 279, 324, 325, 338, 339})


def _tiff(file: _File) -> Header:
    order = "<" if file.head[:2] == b"II" else ">"
    # BigTIFF has 8-byte counts and values where classic TIFF has 4, and 8-byte entry counts
    word = "Q" if file.head[2:4] in (b"+\0", b"\0+") else "I"
    word_size = struct.calcsize(word)
    count = "Q" if word == "Q" else "H"
    ifd = struct.unpack(order + word, file.exactly(8 if word == "Q" else 4, word_size))[0]
    entries = struct.unpack(order + count, file.exactly(ifd, struct.calcsize(count)))[0]
    entry_size = 4 + 2 * word_size
    table = file.exactly(ifd + struct.calcsize(count), entries * entry_size)
    tags: dict[int, tuple[int, ...]] = {}
    end = 0  # where the last value stored out of its entry ends (palettes, strip tables...)
    for i in range(entries):
        entry = table[i * entry_size : (i + 1) * entry_size]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        n, value = struct.unpack(order + word, entry[4 : 4 + word_size])[0], entry[4 + word_size :]
        length = n * _TIFF_SIZES.get(kind, 1)
        if length > word_size:  # the value does not fit the entry: it lies at an offset
            offset = struct.unpack(order + word, value)[0]
            end = max(end, offset + length)
            if tag in _TIFF_TAGS and kind in _TIFF_CODES:
                value = file.exactly(offset, length)
        if tag in _TIFF_TAGS and kind in _TIFF_CODES:
            tags[tag] = struct.unpack(f"{order}{n}{_TIFF_CODES[kind]}", value[:length])
    width, height = tags.get(256, (0,))[0], tags.get(257, (0,))[0]
    if not width or not height:
        raise _Broken("no ImageWidth or ImageLength")
    mode = _tiff_mode(
        photometric=tags.get(262, (1,))[0],
        samples=tags.get(277, (1,))[0],
        bits=tags.get(258, (1,))[0],
        extra=tags.get(338, ()),
        floating=tags.get(339, (1,))[0] == 3,
    )
    offsets = tags.get(273) or tags.get(324) or ()
    lengths = tags.get(279) or tags.get(325) or ()
    end = max([end, *(o + n for o, n in zip(offsets, lengths))])
    return width, height, mode, file.size < end


def _tiff_mode(photometric: int, samples: int, bits: int, extra: tuple[int, ...], floating: bool) -> str:
    if photometric in (0, 1, 4):
        if samples == 2:
            return "LA"
        if floating:
            return "F"
        return {1: "1", 8: "L", 16: "I;16", 32: "I"}.get(bits, "")
    if photometric in (2, 6):  # RGB, YCbCr: Pillow hands both back as RGB
        return "RGBA" if samples == 4 and extra and extra[0] in (1, 2) else "RGB"
    return {3: "P", 5: "CMYK"}.get(photometric, "")


def _pnm(file: _File) -> Header:
    kind = file.head[1:2]
    fields, pos = [], 2
    wanted = 2 if kind in b"14" else 3
    head = file.head
    while len(fields) < wanted:
        while pos < len(head) and (head[pos : pos + 1].isspace() or head[pos] == ord("#")):
            if head[pos] == ord("#"):
                pos = head.find(b"\n", pos)
                pos = len(head) if pos < 0 else pos
            pos += 1
        start = pos
        while pos < len(head) and head[pos : pos + 1].isdigit():
            pos += 1
        if start == pos:
            raise _Broken(f"expected a number at byte {pos}")
        fields.append(int(head[start:pos]))
    width, height = fields[0], fields[1]
    maxval = fields[2] if wanted == 3 else 1
    mode = {b"1": "1", b"4": "1", b"3": "RGB", b"6": "RGB"}.get(kind) or ("L" if maxval < 256 else "I")
    if kind in b"123":  # plain text: its length is not known from the header
        return width, height, mode, False
    depth = 1 if maxval < 256 else 2
    data = (width + 7) // 8 * height if kind == b"4" else width * height * depth * (3 if kind == b"6" else 1)
    return width, height, mode, file.size < pos + 1 + data
