"""Image files for the tests that upload covers and avatars: plain pictures, and the
corpus every upload of the site is tested against, broken and hostile files that must be
refused and sound but awkward ones that must come out clean.

The corpus serves the tests of notrecontinent/images.py, of the article form, of the
admin's cover and of the profile's avatar. A sample is what a browser would post: bytes,
a file name and a declared type, none of which the site trusts. A REFUSED sample carries
the French message the person reads; an ACCEPTED one may carry `leak`, bytes (metadata, a
payload) that must not survive the re-encoding.
"""

import dataclasses
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

NOT_AN_IMAGE = "Ce fichier n'est pas une image JPEG, PNG ou WebP lisible."
TOO_MANY_PIXELS = "L'image dépasse 40 mégapixels."
STRETCHED = "L'image est trop étirée : son grand côté dépasse dix fois le petit."
TOO_LONG_A_SIDE = "L'image dépasse 16 383 pixels de côté."
ANIMATED = "Les images animées ne sont pas acceptées."
TOO_LARGE = "L'image dépasse 5 Mo."
EMPTY = "Le fichier envoyé est vide."


@dataclasses.dataclass(frozen=True)
class Sample:
    id: str
    content: bytes
    name: str
    content_type: str
    message: str = ""  # refused: what the person reads
    leak: bytes = b""  # accepted: what must not reach storage

    def __str__(self):  # the test's id
        return self.id

    def upload(self):
        return SimpleUploadedFile(self.name, self.content, content_type=self.content_type)


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 30), mode="RGB", **save_kwargs):
    """A plain one-colour picture encoded as `fmt`."""
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def upload(fmt="PNG", size=(800, 450), name=None, **params):
    """A sound picture, as a browser posts it."""
    name = name or f"photo.{fmt.lower()}"
    return SimpleUploadedFile(name, image_bytes(fmt, size, **params), content_type=f"image/{fmt}")


def _noisy_png(size=(400, 400)):
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width, height, *, depth=8, color_type=0, pixel=b"\x00", rows=None):
    """A PNG written by hand: a header that may announce more than the data holds."""
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + pixel * width for _ in range(height if rows is None else rows))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw))
        + _png_chunk(b"IEND", b"")
    )


def _bad_checksum_png():
    data = bytearray(image_bytes("PNG", size=(64, 64)))
    data[29] ^= 0xFF  # the last byte of the header chunk's CRC
    return bytes(data)


def _jpeg_claiming(width, height):
    """A sound JPEG whose frame header is rewritten to announce width × height pixels."""
    data = bytearray(image_bytes("JPEG", size=(16, 16)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _animated(fmt):
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _jpeg_with_gps():
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "AppareilEspion"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (14.0, 41.0, 37.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (17.0, 26.0, 48.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _jpeg_turned_by_exif():
    """Stored 400 × 300, shown 300 × 400: EXIF orientation 6 (turn 90° clockwise)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return image_bytes("JPEG", size=(400, 300), exif=exif)


def _jpeg_with_broken_exif():
    data = image_bytes("JPEG", size=(300, 200))
    # An APP1 "Exif" segment whose TIFF header is garbage.
    segment = b"Exif\x00\x00" + b"II*\x00\xff\xff\xff\x7f" + b"\x00" * 16
    app1 = b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment
    return data[:2] + app1 + data[2:]


def _png_with_script_in_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    return image_bytes("PNG", size=(700, 400), pnginfo=info)


def _jpeg_with_icc_profile():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return image_bytes("JPEG", size=(300, 200), icc_profile=profile), profile[-64:]


_ICC_JPEG, _ICC_TAIL = _jpeg_with_icc_profile()
_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
_HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

REFUSED = [
    Sample("svg named png", _SVG, "image.png", "image/png", NOT_AN_IMAGE),
    Sample("svg declared svg", _SVG, "dessin.svg", "image/svg+xml", NOT_AN_IMAGE),
    Sample("html named jpg", _HTML, "photo.jpg", "image/jpeg", NOT_AN_IMAGE),
    Sample(
        "html behind a jpeg magic number",
        b"\xff\xd8\xff\xe0" + _HTML,
        "photo.jpg",
        "image/jpeg",
        NOT_AN_IMAGE,
    ),
    Sample(
        "php named jpg", b"<?php system($_GET['c']); ?>", "photo.jpg", "image/jpeg", NOT_AN_IMAGE
    ),
    Sample(
        "pdf named jpg",
        b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "doc.jpg",
        "image/jpeg",
        NOT_AN_IMAGE,
    ),
    Sample(
        "truncated jpeg",
        image_bytes("JPEG", size=(1600, 1200))[:3000],
        "coupee.jpg",
        "image/jpeg",
        NOT_AN_IMAGE,
    ),
    Sample("truncated png", _noisy_png()[:5000], "coupee.png", "image/png", NOT_AN_IMAGE),
    Sample("png with a bad checksum", _bad_checksum_png(), "crc.png", "image/png", NOT_AN_IMAGE),
    Sample(
        "gif",
        image_bytes("GIF", size=(40, 40), mode="P", color=1),
        "a.gif",
        "image/gif",
        NOT_AN_IMAGE,
    ),
    Sample(
        "gif named png",
        image_bytes("GIF", size=(40, 40), mode="P", color=1),
        "a.png",
        "image/png",
        NOT_AN_IMAGE,
    ),
    Sample("bmp", image_bytes("BMP", size=(40, 40)), "image.bmp", "image/bmp", NOT_AN_IMAGE),
    Sample(
        "tiff named jpg", image_bytes("TIFF", size=(40, 40)), "scan.jpg", "image/jpeg", NOT_AN_IMAGE
    ),
    Sample("animated gif", _animated("GIF"), "anim.gif", "image/gif", NOT_AN_IMAGE),
    Sample("animated gif named png", _animated("GIF"), "anim.png", "image/png", NOT_AN_IMAGE),
    Sample("animated png", _animated("PNG"), "anim.png", "image/png", ANIMATED),
    Sample("animated webp", _animated("WEBP"), "anim.webp", "image/webp", ANIMATED),
    Sample(
        "bomb png 49 megapixels", _png(7000, 7000, rows=1), "b.png", "image/png", TOO_MANY_PIXELS
    ),
    Sample(
        "bomb png 10 gigapixels",
        _png(100_000, 100_000, rows=1),
        "bombe.png",
        "image/png",
        TOO_MANY_PIXELS,
    ),
    Sample(
        "bomb jpeg 3.6 gigapixels",
        _jpeg_claiming(60_000, 60_000),
        "bombe.jpg",
        "image/jpeg",
        TOO_MANY_PIXELS,
    ),
    Sample("huge dimensions 1 x 30000", _png(1, 30_000), "fil.png", "image/png", STRETCHED),
    Sample("strip 100 x 20000", _png(100, 20_000), "bande.png", "image/png", STRETCHED),
    Sample("strip 20000 x 100", _png(20_000, 100), "bande.png", "image/png", STRETCHED),
    # Issue 9: answered 500, their renditions past WebP's 16 383 pixels or scaled to 0.
    Sample("line 1 x 20000", _png(1, 20_000), "ligne.png", "image/png", STRETCHED),
    Sample("line 20000 x 1", _png(20_000, 1), "ligne.png", "image/png", STRETCHED),
    Sample("strip 16384 x 2", _png(16_384, 2), "bande.png", "image/png", STRETCHED),
    # Within 40 megapixels and the ratio, one pixel longer than a WebP may be.
    Sample("wide 16384 x 1640", _png(16_384, 1_640), "large.png", "image/png", TOO_LONG_A_SIDE),
    Sample("tall 1640 x 16384", _png(1_640, 16_384), "haute.png", "image/png", TOO_LONG_A_SIDE),
    Sample("zero bytes", b"", "vide.jpg", "image/jpeg", EMPTY),
    Sample(
        "over 5 MB",
        b"\xff\xd8\xff\xe0" + b"\x00" * (5 * 1024 * 1024),
        "lourde.jpg",
        "image/jpeg",
        TOO_LARGE,
    ),
]

ACCEPTED = [
    Sample("jpeg with exif gps", _jpeg_with_gps(), "vacances.jpg", "image/jpeg", leak=b"Espion"),
    Sample("jpeg with a broken exif block", _jpeg_with_broken_exif(), "b.jpg", "image/jpeg"),
    Sample("jpeg turned by exif", _jpeg_turned_by_exif(), "tournee.jpg", "image/jpeg"),
    Sample("jpeg with an icc profile", _ICC_JPEG, "icc.jpg", "image/jpeg", leak=_ICC_TAIL),
    Sample(
        "cmyk jpeg",
        image_bytes("JPEG", size=(300, 200), mode="CMYK", color=(0, 50, 100, 0)),
        "cmjn.jpg",
        "image/jpeg",
    ),
    Sample(
        "greyscale progressive jpeg",
        image_bytes("JPEG", size=(300, 200), mode="L", color=90, progressive=True),
        "gris.jpg",
        "image/jpeg",
    ),
    Sample(
        "16-bit greyscale png",
        _png(300, 200, depth=16, pixel=struct.pack(">H", 32768)),
        "16bits.png",
        "image/png",
    ),
    Sample(
        "16-bit rgb png",
        _png(300, 200, depth=16, color_type=2, pixel=struct.pack(">HHH", 65535, 32768, 0)),
        "48bits.png",
        "image/png",
    ),
    Sample(
        "png with transparency",
        image_bytes("PNG", size=(300, 200), mode="RGBA", color=(0, 0, 0, 0)),
        "t.png",
        "image/png",
    ),
    Sample(
        "palette png with transparency",
        image_bytes("PNG", size=(300, 200), mode="P", color=0, transparency=0),
        "p.png",
        "image/png",
    ),
    Sample(
        "png with script in a text chunk",
        _png_with_script_in_text(),
        "c.png",
        "image/png",
        leak=b"script",
    ),
    Sample(
        "polyglot png and html",
        image_bytes("PNG", size=(300, 200)) + _HTML,
        "poly.png",
        "image/png",
        leak=b"script",
    ),
    Sample(
        "polyglot jpeg and zip",
        image_bytes("JPEG", size=(300, 200)) + b"PK\x03\x04" + b"\x00" * 26 + b"evil.php<?php ?>",
        "poly.jpg",
        "image/jpeg",
        leak=b"php",
    ),
    Sample("wrong extension png named jpg", image_bytes("PNG"), "photo.jpg", "image/jpeg"),
    Sample("wrong type webp declared gif", image_bytes("WEBP"), "photo.gif", "image/gif"),
    Sample(
        "lossless webp with alpha",
        image_bytes("WEBP", mode="RGBA", lossless=True),
        "a.webp",
        "image/webp",
    ),
    Sample("one pixel", image_bytes("PNG", size=(1, 1)), "point.png", "image/png"),
    # As stretched as the rules allow: no rendition side scales to 0.
    Sample("panorama 10 to 1", image_bytes("PNG", size=(2000, 200)), "pano.png", "image/png"),
    Sample("tall 1 to 10", image_bytes("JPEG", size=(140, 1400)), "haute.jpg", "image/jpeg"),
    Sample("thin 10 x 1", image_bytes("PNG", size=(10, 1)), "trait.png", "image/png"),
    Sample("thin 1 x 10", image_bytes("WEBP", size=(1, 10)), "trait.webp", "image/webp"),
]
