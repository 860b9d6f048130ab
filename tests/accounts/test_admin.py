import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.test import Client

from accounts.models import User
from articles.models import Article
from tests import images
from tests.factories import PASSWORD, ArticleFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


def change_url(user):
    return f"/admin/accounts/user/{user.pk}/change/"


def run_action(client, action, *users):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_citizens_do_not_enter_the_admin(client, citizen):
    client.force_login(citizen)
    assert client.get(CHANGELIST).status_code == 302


def test_moderator_suspends_and_reactivates_a_citizen(moderator_client, citizen):
    response = run_action(moderator_client, "suspend", citizen)
    assert "1 compte suspendu" in response.content.decode()
    citizen.refresh_from_db()
    assert not citizen.is_active
    # Data are kept.
    assert citizen.email == "awa@example.org" and citizen.display_name == "Awa Diop"

    response = run_action(moderator_client, "reactivate", citizen)
    assert "1 compte réactivé" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.is_active


def test_suspended_citizen_is_refused_at_login_and_reactivated_one_gets_in(
    moderator_client, citizen
):
    run_action(moderator_client, "suspend", citizen)
    other = Client()
    other.post("/accounts/login/", {"login": "awa", "password": PASSWORD})
    assert "_auth_user_id" not in other.session
    run_action(moderator_client, "reactivate", citizen)
    other.post("/accounts/login/", {"login": "awa", "password": PASSWORD})
    assert "_auth_user_id" in other.session


def test_moderator_cannot_suspend_a_superuser_staff_or_themselves(
    moderator_client, moderator, superuser, citizen
):
    colleague = UserFactory(username="collegue", is_staff=True)
    response = run_action(moderator_client, "suspend", superuser, moderator, colleague, citizen)
    html = response.content.decode()
    assert "On ne suspend ni son propre compte" in html
    assert "1 compte suspendu" in html
    for user in (superuser, moderator, colleague):
        user.refresh_from_db()
        assert user.is_active
    citizen.refresh_from_db()
    assert not citizen.is_active


def test_superuser_may_suspend_a_moderator_but_not_themselves(client, superuser, moderator):
    client.force_login(superuser)
    run_action(client, "suspend", superuser, moderator)
    moderator.refresh_from_db()
    superuser.refresh_from_db()
    assert not moderator.is_active and superuser.is_active


def test_moderator_edits_a_public_profile_but_no_rights(moderator_client, citizen):
    page = moderator_client.get(change_url(citizen))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="display_name"' in html
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "is_active", "email"):
        assert f'name="{field}"' not in html
    assert "password/" not in html

    group = Group.objects.create(name="Tout-puissants")
    response = moderator_client.post(
        change_url(citizen),
        {
            "display_name": "Awa (propos modérés)",
            "account_kind": "particulier",
            "organisation": "",
            "bio": "",
            "website": "",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group.pk],
            "email": "moderateur-pirate@example.org",
            "is_active": "",
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.display_name == "Awa (propos modérés)"
    assert not citizen.is_staff and not citizen.is_superuser and citizen.is_active
    assert citizen.email == "awa@example.org"
    assert not citizen.groups.exists()


def test_moderator_cannot_escalate_their_own_rights(moderator_client, moderator):
    response = moderator_client.post(
        change_url(moderator),
        {
            "display_name": "Modo",
            "account_kind": "particulier",
            "is_superuser": "on",
            "user_permissions": [],
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 302
    moderator.refresh_from_db()
    assert not moderator.is_superuser
    assert moderator.has_perm("accounts.change_user")


def test_moderator_only_views_staff_accounts(moderator_client, superuser):
    page = moderator_client.get(change_url(superuser))
    assert page.status_code == 200
    assert 'name="display_name"' not in page.content.decode()
    response = moderator_client.post(
        change_url(superuser), {"display_name": "Piraté", "account_kind": "particulier"}
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.display_name != "Piraté"


def test_moderator_cannot_change_anyones_password(moderator_client, citizen, superuser):
    for user in (citizen, superuser):
        url = f"/admin/accounts/user/{user.pk}/password/"
        assert moderator_client.get(url).status_code == 403
        response = moderator_client.post(
            url, {"password1": "pirate-pirate-99", "password2": "pirate-pirate-99"}
        )
        assert response.status_code == 403
        user.refresh_from_db()
        assert not user.check_password("pirate-pirate-99")


def test_moderator_cannot_add_or_delete_users(moderator_client, citizen):
    assert moderator_client.get("/admin/accounts/user/add/").status_code == 403
    assert moderator_client.get(f"/admin/accounts/user/{citizen.pk}/delete/").status_code == 403


def test_superuser_keeps_the_full_form(client, superuser, citizen):
    client.force_login(superuser)
    html = client.get(change_url(citizen)).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "is_active", "email"):
        assert f'name="{field}"' in html
    assert client.get(f"/admin/accounts/user/{citizen.pk}/password/").status_code == 200


def test_changelist_filters_and_search(moderator_client, citizen):
    UserFactory(username="ong-verte", account_kind=User.Kind.ONG)
    response = moderator_client.get(CHANGELIST, {"account_kind__exact": "ong"})
    assert response.status_code == 200
    assert "ong-verte" in response.content.decode() and ">awa<" not in response.content.decode()
    response = moderator_client.get(CHANGELIST, {"q": "Awa Diop"})
    assert ">awa<" in response.content.decode()
    assert moderator_client.get(CHANGELIST, {"is_active__exact": "0"}).status_code == 200


def test_admin_deletion_follows_the_account_deletion_policy(
    client, superuser, citizen, django_capture_on_commit_callbacks
):
    published = ArticleFactory(author=citizen)
    draft = DraftFactory(author=citizen, cover=True)
    citizen.set_avatar(images.upload())
    citizen.save()
    files = [draft.cover_image.name, draft.cover_thumbnail.name, citizen.avatar.name]
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/accounts/user/{citizen.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert Article.objects.get(pk=published.pk).byline_name == "Auteur supprimé"
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_bulk_deletion_in_the_admin_follows_the_same_policy(
    client, superuser, django_capture_on_commit_callbacks
):
    users = [UserFactory(), UserFactory()]
    drafts = [DraftFactory(author=user) for user in users]
    for user in users:
        user.set_avatar(images.upload())
        user.save()
    avatars = [user.avatar.name for user in users]
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            {"action": "delete_selected", "_selected_action": [u.pk for u in users], "post": "yes"},
        )
    assert not User.objects.filter(pk__in=[u.pk for u in users]).exists()
    assert not Article.objects.filter(pk__in=[d.pk for d in drafts]).exists()
    assert not any(default_storage.exists(name) for name in avatars)


def test_moderator_removes_an_avatar_and_its_file(
    moderator_client, citizen, django_capture_on_commit_callbacks
):
    citizen.set_avatar(images.upload())
    citizen.save()
    avatar = citizen.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            change_url(citizen),
            {
                "display_name": citizen.display_name,
                "account_kind": citizen.account_kind,
                "remove_avatar": "on",
                "_save": "Enregistrer",
            },
        )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert not citizen.avatar
    assert not default_storage.exists(avatar)
