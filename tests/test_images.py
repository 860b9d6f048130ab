"""notrecontinent/images.py: decoding, checks, re-encoding, and files in storage."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageFile

from notrecontinent.images import (
    MAX_ASPECT_RATIO,
    MAX_SIDE,
    PictureField,
    delete_on_commit,
    encode,
    open_upload,
    store,
)
from tests import images
from tests.factories import UserFactory


def rendition(sample, **size):
    """The stored bytes of a rendition of `sample`, and the picture they decode to."""
    data = encode(open_upload(sample.upload()), **size).read()
    return data, Image.open(io.BytesIO(data))


def pixel(picture, x=0, y=0):
    return picture.convert("RGBA").getpixel((x, y))


@pytest.mark.parametrize("sample", images.REFUSED, ids=str)
def test_a_hostile_file_is_refused_in_french(sample, monkeypatch):
    if sample.message in (images.TOO_MANY_PIXELS, images.TOO_LARGE):
        # Decoding a bomb's billions of pixels would take seconds and gigabytes: it is
        # refused before any pixel is decoded (checked without a clock, which a loaded
        # machine would fool). A truncated file, small, is found out by decoding it.
        def decode(image, *args, **kwargs):
            raise AssertionError(f"pixels of {sample} decoded")

        monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    with pytest.raises(ValidationError) as refused:
        open_upload(sample.upload())
    assert refused.value.messages == [sample.message]


@pytest.mark.parametrize("sample", images.ACCEPTED, ids=str)
@pytest.mark.parametrize(
    "size",
    [{"width": 1280}, {"width": 640, "height": 360}, {"width": 256, "height": 256}],
    ids=["cover", "thumbnail", "avatar"],
)
def test_an_accepted_file_becomes_a_clean_webp_rendition(sample, size):
    data, picture = rendition(sample, **size)
    assert picture.format == "WEBP"
    assert not getattr(picture, "is_animated", False)
    assert not picture.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(picture.info)
    if sample.leak:
        assert sample.leak not in data
    if "height" in size:
        assert picture.size == (size["width"], size["height"])
    else:
        assert picture.width <= size["width"]


def sample(id):
    return next(s for s in images.REFUSED + images.ACCEPTED if s.id == id)


def test_a_cover_is_brought_down_to_its_width_never_enlarged():
    big = open_upload(images.upload("JPEG", size=(2400, 1600)))
    assert Image.open(encode(big, width=1280)).size == (1280, 853)
    small = open_upload(images.upload("PNG", size=(800, 450)))
    assert Image.open(encode(small, width=1280)).size == (800, 450)


def test_a_rendition_is_named_here_never_after_the_upload():
    content = encode(open_upload(sample("jpeg with exif gps").upload()), width=1280)
    assert content.name.endswith(".webp") and "vacances" not in content.name
    other = encode(open_upload(sample("jpeg with exif gps").upload()), width=1280)
    assert other.name != content.name


def test_exif_orientation_is_applied_then_dropped():
    _, picture = rendition(sample("jpeg turned by exif"), width=1280)
    assert picture.size == (300, 400)


def test_sixteen_bit_grey_stays_mid_grey():
    _, picture = rendition(sample("16-bit greyscale png"), width=1280)
    red, green, blue, _alpha = pixel(picture)
    assert 120 <= red <= 136 and red == green == blue


def test_cmyk_colours_are_kept():
    _, picture = rendition(sample("cmyk jpeg"), width=1280)
    red, green, blue, _alpha = pixel(picture)
    assert red > 230 and 180 < green < 225 and 130 < blue < 180  # an orange


@pytest.mark.parametrize("id", ["png with transparency", "palette png with transparency"])
def test_transparency_is_kept(id):
    _, picture = rendition(sample(id), width=1280)
    assert pixel(picture)[3] == 0


# The rules, over the sizes around their limits

SIDES = [1, 2, 3, 10, 11, 100, 359, 361, 1279, 1281, 1800]
RENDITIONS = [{"width": 1280}, {"width": 640, "height": 360}, {"width": 256, "height": 256}]


def png(width, height):
    return SimpleUploadedFile("image.png", images._png(width, height), content_type="image/png")


def check_renditions(image, width, height):
    for size in RENDITIONS:
        picture = Image.open(encode(image, **size))
        picture.load()
        assert picture.format == "WEBP"
        if "height" in size:
            assert picture.size == (size["width"], size["height"])
        else:  # brought down to the width, never enlarged, in proportion, never 0 pixels
            assert picture.width == min(width, size["width"])
            assert picture.height == max(1, round(height * picture.width / width))


@pytest.mark.parametrize("height", SIDES)
@pytest.mark.parametrize("width", SIDES)
def test_every_size_gets_webp_renditions_or_a_french_refusal(width, height):
    stretched = max(width, height) > MAX_ASPECT_RATIO * min(width, height)
    try:
        image = open_upload(png(width, height))
    except ValidationError as refused:
        assert stretched, refused.messages
        assert refused.messages == [images.STRETCHED]
    else:
        assert not stretched
        check_renditions(image, width, height)


@pytest.mark.parametrize("size", [(MAX_SIDE, 1639), (1639, MAX_SIDE)], ids=["wide", "tall"])
def test_the_longest_side_a_webp_holds_is_accepted(size):
    assert MAX_SIDE == 16_383  # WebP's limit
    check_renditions(open_upload(png(*size)), *size)


# The form field


def test_picture_field_offers_the_accepted_types_and_says_the_limits():
    field = PictureField(required=False)
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"
    assert field.help_text == (
        "JPEG, PNG ou WebP ; 5 Mo, 40 mégapixels et 16 383 pixels de côté au plus ; "
        "le grand côté au plus dix fois le petit."
    )


@pytest.mark.parametrize("sample", images.REFUSED, ids=str)
def test_picture_field_refuses_what_open_upload_refuses(sample):
    with pytest.raises(ValidationError) as refused:
        PictureField(required=False).clean(sample.upload())
    assert refused.value.messages == [sample.message]


def test_picture_field_gives_back_the_upload_nothing_or_a_clear():
    field = PictureField(required=False)
    upload = images.upload()
    assert field.clean(upload) is upload
    assert field.clean(None) is None
    assert field.clean(False) is False  # "Effacer" ticked


# Files in storage


@pytest.fixture
def user_with_avatar(db):
    user = UserFactory()
    user.set_avatar(images.upload())
    user.save()
    return user


def test_store_replaces_the_file_once_the_transaction_commits(
    user_with_avatar, django_capture_on_commit_callbacks
):
    old = user_with_avatar.avatar.name
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        store(user_with_avatar.avatar, encode(open_upload(images.upload()), width=8))
        user_with_avatar.save()
        assert default_storage.exists(old)  # not before the commit
    assert not default_storage.exists(old)
    assert default_storage.exists(user_with_avatar.avatar.name)


def test_store_nothing_empties_the_field_and_removes_the_file_after_commit(
    user_with_avatar, django_capture_on_commit_callbacks
):
    old = user_with_avatar.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        store(user_with_avatar.avatar, None)
        user_with_avatar.save()
    user_with_avatar.refresh_from_db()
    assert not user_with_avatar.avatar
    assert not default_storage.exists(old)


def test_a_rolled_back_change_removes_nothing(user_with_avatar, django_capture_on_commit_callbacks):
    old = user_with_avatar.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            store(user_with_avatar.avatar, encode(open_upload(images.upload()), width=8))
            user_with_avatar.save()
            raise RuntimeError("something failed after the change")
        with pytest.raises(RuntimeError), transaction.atomic():
            delete_on_commit(user_with_avatar.avatar)
            raise RuntimeError("something failed before the row went")
    assert default_storage.exists(old)
    user_with_avatar.refresh_from_db()
    assert user_with_avatar.avatar.name == old
