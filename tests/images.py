"""Image files for the tests that upload covers and avatars."""

import io

from PIL import Image


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    """A plain one-colour picture encoded as `fmt`."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()
