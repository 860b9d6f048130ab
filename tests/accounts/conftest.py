import io

import pytest
from django.contrib.auth.models import Permission
from PIL import Image

from tests.factories import UserFactory, VerifiedUserFactory

PASSWORD = "motdepasse-solide-42"


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


@pytest.fixture
def citizen(db):
    return VerifiedUserFactory(username="awa", email="awa@example.org", display_name="Awa Diop")


@pytest.fixture
def staff_moderator(db):
    """A moderator as the site has them: staff, not superuser, may view and change users."""
    user = VerifiedUserFactory(username="modo", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_user", "change_user"]
        )
    )
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="chef", is_staff=True, is_superuser=True)
