"""Uploaded pictures (article covers, avatars): checked by decoding, re-encoded, stored.

The file's name and declared type are never trusted: Pillow decodes it, and only a
single-frame JPEG, PNG or WebP within the limits below is accepted. What is stored is a
fresh WebP encoding (no EXIF, GPS or other metadata) under a name chosen here.

Forms take the upload with `PictureField`; models make their renditions with `encode`
and put them in place with `store`. A file replaced, cleared or left behind by a deleted
row leaves storage through `delete_on_commit`, once the transaction commits.
"""

import io
import struct
import uuid
import warnings
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

# The one list of accepted pictures: Pillow's format name, and the type a browser offers.
ACCEPTED_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Longer side over shorter side. A 100 × 20 000 strip is neither a cover nor an avatar;
# within this ratio, a rendition brought down to a cover's width keeps a tenth of it
# (1 280 × 128 at worst), and no side scales to nothing.
MAX_ASPECT_RATIO = 10
# WebP's own limit. An accepted picture would fit in a WebP as it is, and so does each
# rendition: the cover is never enlarged, the thumbnail and the avatar have fixed sizes.
MAX_SIDE = 16_383

NOT_AN_IMAGE = _("Ce fichier n'est pas une image JPEG, PNG ou WebP lisible.")
TOO_LARGE = _("L'image dépasse 5 Mo.")
TOO_MANY_PIXELS = _("L'image dépasse 40 mégapixels.")
STRETCHED = _("L'image est trop étirée : son grand côté dépasse dix fois le petit.")
TOO_LONG_A_SIDE = _("L'image dépasse 16 383 pixels de côté.")
# What a form tells before the upload.
LIMITS = _(
    "JPEG, PNG ou WebP ; 5 Mo, 40 mégapixels et 16 383 pixels de côté au plus ; "
    "le grand côté au plus dix fois le petit."
)


# What Pillow raises on a file it cannot read: broken or truncated data, or data that
# breaks its parsers' expectations (struct.error, IndexError... from a forged header).
DECODING_ERRORS = (
    OSError,  # Image.UnidentifiedImageError among them
    SyntaxError,
    ValueError,
    EOFError,
    TypeError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    struct.error,
)


def open_upload(upload):
    """Decode an uploaded image, upright and in RGB or RGBA, or raise a ValidationError
    with a French message."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise ValidationError(_("Le fichier envoyé est vide."), code="empty")
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Pillow warns of a corrupt EXIF block: the uploader's business, dropped anyway.
            warnings.simplefilter("ignore", UserWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_TYPES))
            # Checked on the header, before any pixel is decoded.
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
            if max(image.size) > MAX_ASPECT_RATIO * min(image.size):
                raise ValidationError(STRETCHED, code="aspect_ratio")
            if max(image.size) > MAX_SIDE:
                raise ValidationError(TOO_LONG_A_SIDE, code="too_long_a_side")
            if getattr(image, "n_frames", 1) > 1 or getattr(image, "is_animated", False):
                raise ValidationError(
                    _("Les images animées ne sont pas acceptées."), code="animated"
                )
            image.load()
            if image.format not in ACCEPTED_TYPES:
                raise ValidationError(NOT_AN_IMAGE, code="invalid")
            # Turned upright and in the colours a WebP holds here, where a failure is a
            # refusal: encode() then only scales and writes, and a form that accepted the
            # file never fails to store it.
            return _normalised(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except DECODING_ERRORS:
        raise ValidationError(NOT_AN_IMAGE, code="invalid") from None


def _normalised(image):
    image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I"):
        # 16-bit greyscale: brought down to 8 bits, where a plain convert() clips to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def encode(image, *, width, height=None, quality=80):
    """A WebP rendition of `image` (from open_upload) `width` wide, never enlarged, or
    cropped to exactly `width` × `height` when a height is given; without metadata."""
    if height:
        image = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    elif image.width > width:
        # Never a side of 0 pixels, whatever the rules upstream let through.
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, "WEBP", quality=quality, method=4)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp")


def store(fieldfile, content):
    """Put `content` (a rendition from `encode`) in a model's file field, or empty the
    field when `content` is None. The file it replaces leaves storage once the
    transaction commits; the caller saves the row."""
    delete_on_commit(fieldfile)
    if content is None:
        setattr(fieldfile.instance, fieldfile.field.attname, "")
    else:
        fieldfile.save(content.name, content, save=False)


def delete_on_commit(*fieldfiles):
    """Remove the files these fields hold now from storage, once the transaction commits.

    A rollback removes nothing: the rows still name their files. (Outside any
    transaction Django runs the removal at once: write the row in an atomic block.)
    """
    for fieldfile in fieldfiles:
        if fieldfile:
            # robust: a storage that fails to delete leaves a stray file, logged, and
            # neither stops the other removals nor fails the committed request.
            transaction.on_commit(partial(fieldfile.storage.delete, fieldfile.name), robust=True)


class PictureField(forms.FileField):
    """A form's picture upload. The file input offers the accepted types; a file that
    open_upload refuses is refused with its French message. The cleaned value is the
    upload (False when "Effacer" is ticked); the model stores a re-encoded copy."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", LIMITS)
        # An empty file is refused by open_upload: one message, wherever it is sent.
        super().__init__(allow_empty_file=True, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ",".join(ACCEPTED_TYPES.values())}

    def validate(self, value):
        super().validate(value)
        if value:
            open_upload(value)
