import pytest

from tests.factories import UserFactory, VerifiedUserFactory


@pytest.fixture
def citizen(db):
    return VerifiedUserFactory(username="awa", email="awa@example.org", display_name="Awa Diop")


@pytest.fixture
def superuser(db):
    return UserFactory(username="chef", is_staff=True, is_superuser=True)
