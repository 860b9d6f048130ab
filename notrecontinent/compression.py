"""Compressed responses: text only, with Django's BREACH mitigation, and pages in pieces.

Django's GZipMiddleware pads each gzip stream with a random-length header field
("Heal the Breach"), so the length of a compressed page no longer tells an attacker
whether a guess matched a secret of the page. The secrets our pages carry are masked
anew for every response besides (the CSRF token, the comment form's signed single-use
token), and none is ever reflected next to a reader's input: see README, "Compression".

Only text is compressed: HTML, feeds, sitemaps, JSON, scripts and styles. Images and
uploaded files are compressed already; static files are served before this middleware
runs, by whitenoise, from the .gz and .br files collectstatic prepared.

Pages kept by the page cache are stored compressed, in pieces: the text between two
per-reader tokens is deflated once, when the page is rendered, and each response only
deflates its own tokens and joins the pieces into one gzip stream (`deflate`, `gzip_join`).
A token goes in as a "stored" block, not compressed at all: its length is its own, and
it shares no compression context with any other text of the page.
"""

import functools
import re
import secrets
import struct
import zlib
from dataclasses import dataclass

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = {
    "application/atom+xml",
    "application/javascript",
    "application/json",
    "application/rss+xml",
    "application/xml",
    "image/svg+xml",
}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Django's padding: a file name of 0 to 99 bytes in the gzip header.
MAX_RANDOM_BYTES = GZipMiddleware.max_random_bytes
LEVEL = 6
RAW_DEFLATE = -15
FINAL_BLOCK = zlib.compressobj(LEVEL, zlib.DEFLATED, RAW_DEFLATE).flush()


def is_compressible(content_type):
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES


def accepts_gzip(request):
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)


@dataclass(frozen=True)
class Deflated:
    """A piece of a page deflated on its own, to be joined with others into one gzip stream.

    `data` is raw deflate blocks, none final, ending on a byte boundary (a sync flush), so
    that pieces concatenate. A gzip stream ends with the CRC-32 of everything it holds:
    `crc` is the piece's own, and `shift` the linear map (one value per bit) that carries
    the CRC of whatever comes before over the piece's `size` bytes, so that joining pieces
    never reads their text again.
    """

    text: bytes | None
    data: bytes
    crc: int
    size: int
    shift: tuple

    def continue_crc(self, crc):
        carried, bit = 0, 0
        while crc:
            if crc & 1:
                carried ^= self.shift[bit]
            crc >>= 1
            bit += 1
        return carried ^ self.crc


@functools.lru_cache(maxsize=64)
def _crc_shift(size):
    # crc32(piece, start) = L(start) ^ crc32(piece, 0), L depending only on the length:
    # L's value on each bit, from zeros of that length.
    zeros = bytes(size)
    base = zlib.crc32(zeros)
    return tuple(zlib.crc32(zeros, 1 << bit) ^ base for bit in range(32))


def deflate(text):
    """A piece of a page, compressed."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, RAW_DEFLATE)
    data = compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return Deflated(None, data, zlib.crc32(text), len(text), _crc_shift(len(text)))


def stored(token):
    """A token as a deflate "stored" block: not compressed at all, so its length is just
    its own (a random token would not compress anyway), and nothing to set up per call."""
    data = b"".join(
        b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk
        for chunk in (token[i : i + 0xFFFF] for i in range(0, max(len(token), 1), 0xFFFF))
    )
    return Deflated(token, data, zlib.crc32(token), len(token), _crc_shift(len(token)))


def gzip_join(pieces):
    """One gzip stream of the pieces in order, with Django's random padding in its header."""
    crc, size = 0, 0
    for piece in pieces:
        crc = piece.continue_crc(crc)
        size += piece.size
    padding = b"a" * secrets.randbelow(MAX_RANDOM_BYTES) + b"\x00"
    # Magic, deflate, FNAME flag (the padding), no mtime, no extra flags, unknown OS.
    header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + padding
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return b"".join([header, *(p.data for p in pieces), FINAL_BLOCK, trailer])


def inflate(piece):
    """The text of a piece, for a client that does not take gzip."""
    if piece.text is not None:
        return piece.text
    return zlib.decompressobj(RAW_DEFLATE).decompress(piece.data)
