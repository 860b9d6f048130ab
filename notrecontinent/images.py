"""Uploaded pictures (article covers, avatars): checked by decoding, then re-encoded.

The file's name and declared type are never trusted: Pillow decodes it, and only a
single-frame JPEG, PNG or WebP within the size limits is accepted. What is stored is a
fresh WebP encoding (no EXIF, GPS or other metadata) under a name chosen here.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def open_upload(upload):
    """Decode an uploaded image or raise a ValidationError with a French message."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo."), code="too_large")
    if size == 0:
        raise ValidationError(_("Le fichier envoyé est vide."), code="empty")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo."), code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("L'image dépasse 40 mégapixels."), code="too_many_pixels")
            if getattr(image, "n_frames", 1) > 1 or getattr(image, "is_animated", False):
                raise ValidationError(
                    _("Les images animées ne sont pas acceptées."), code="animated"
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("L'image dépasse 40 mégapixels."), code="too_many_pixels") from None
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError):
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG, PNG ou WebP lisible."), code="invalid"
        ) from None
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG, PNG ou WebP lisible."), code="invalid"
        )
    return image


def _normalised(image):
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def encode(image, *, width, height=None, quality=80):
    """A WebP rendition `width` wide (cropped to `height` when given), without metadata."""
    image = _normalised(image)
    if height:
        image = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    elif image.width > width:
        image = image.resize(
            (width, round(image.height * width / image.width)), Image.Resampling.LANCZOS
        )
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, "WEBP", quality=quality, method=4)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp")
