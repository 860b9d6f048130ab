import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Fatou@Example.org",
    "username": "fatou",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "account_kind": "association",
    "display_name": "  Les Amis du Fleuve  ",
}


def link_in(message, path_prefix):
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_signup_page_is_french_and_ours(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "NOTRE CONTINENT" in html  # our base.html around allauth's form
    assert "Créer un compte" in html
    for field in ("email", "username", "password1", "password2", "account_kind", "display_name"):
        assert f'name="{field}"' in html
    assert "Association" in html and "ONG" in html and "Professionnel" in html


def test_signup_links_to_the_charter_and_the_privacy_policy_before_its_button(client):
    # On the empty form and on the form sent back with errors alike.
    for response in (client.get("/accounts/signup/"), client.post("/accounts/signup/", {})):
        html = response.content.decode()
        form = html[html.index('<form method="post" action="/accounts/signup/"') :]
        terms = " ".join(form[: form.index("Créer mon compte")].split())
        assert '<a href="/charte-de-moderation/">charte de modération</a>' in terms
        assert '<a href="/confidentialite/">politique de confidentialité</a>' in terms
    for page in ("/charte-de-moderation/", "/confidentialite/"):
        assert client.get(page).status_code == 200


def test_signup_requires_display_name_and_a_valid_kind(client):
    data = {**SIGNUP, "display_name": "", "account_kind": "ministre"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert not User.objects.exists()
    form = response.context["form"]
    assert "display_name" in form.errors and "account_kind" in form.errors


def test_signup_ignores_fields_it_does_not_offer(client):
    client.post("/accounts/signup/", {**SIGNUP, "is_staff": "on", "is_superuser": "on"})
    user = User.objects.get(username="fatou")
    assert not user.is_staff and not user.is_superuser


def test_signup_then_confirm_by_post_then_login(client, mailoutbox):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="fatou")
    assert user.email == "fatou@example.org"
    assert user.display_name == "Les Amis du Fleuve"
    assert user.account_kind == User.Kind.ASSOCIATION
    assert not is_logged_in(client)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["fatou@example.org"]
    assert message.subject.startswith("[Notre Continent] ")
    assert "Confirmez" in message.subject or "confirmer" in message.subject.lower()
    assert "Notre Continent" in message.body and "example.com" not in message.body
    confirm_path = link_in(message, "/accounts/confirm-email/")

    # Before confirmation, the right password does not open a session.
    response = client.post("/accounts/login/", {"login": "fatou", "password": PASSWORD})
    assert not is_logged_in(client)
    assert response.status_code == 302 and "confirm-email" in response["Location"]

    # Opening the link only shows a page with a button: a GET confirms nothing
    # (mail scanners follow links).
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not EmailAddress.objects.get(user=user).verified

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user, email="fatou@example.org").verified

    fresh = Client()
    fresh.post("/accounts/login/", {"login": "fatou", "password": PASSWORD})
    assert is_logged_in(fresh)


def test_invalid_confirmation_link_says_so_in_french(client):
    response = client.get("/accounts/confirm-email/nimportequoi/")
    assert response.status_code == 200
    assert "invalide" in response.content.decode() or "expiré" in response.content.decode()


def test_signup_with_a_taken_email_creates_nothing_and_warns_the_owner(client, citizen, mailoutbox):
    client.post("/accounts/signup/", {**SIGNUP, "email": "AWA@example.org"})
    assert not User.objects.filter(username="fatou").exists()
    # allauth prevents enumeration: same answer, and the owner is told by mail.
    assert mailoutbox and mailoutbox[0].to == ["awa@example.org"]


@pytest.mark.parametrize("login", ["awa", "awa@example.org", "AWA@Example.org"])
def test_login_by_username_or_email(client, citizen, login):
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_is_refused_in_french(client, citizen):
    response = client.post("/accounts/login/", {"login": "awa", "password": "mauvais"})
    assert response.status_code == 200
    assert not is_logged_in(client)
    assert "incorrect" in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, citizen):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "awa", "password": "mauvais"})
    # Even the right password is refused now, for this account, for a while.
    response = client.post("/accounts/login/", {"login": "awa", "password": PASSWORD})
    assert not is_logged_in(client)
    assert "Trop de tentatives" in response.content.decode()


def test_rate_limits_live_in_the_shared_cache(client, citizen, settings):
    from django.core.cache import cache

    client.post("/accounts/login/", {"login": "awa", "password": "mauvais"})
    cache.clear()  # what every worker shares: clearing it resets the budget
    for _ in range(4):
        client.post("/accounts/login/", {"login": "awa", "password": "mauvais"})
    client.post("/accounts/login/", {"login": "awa", "password": PASSWORD})
    assert is_logged_in(client)


def test_logout_by_get_does_not_log_out(client, citizen):
    client.force_login(citizen)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert is_logged_in(client)
    assert (
        "Se déconnecter" in response.content.decode() or "déconnecter" in response.content.decode()
    )
    client.post("/accounts/logout/")
    assert not is_logged_in(client)


def test_password_reset_by_mail(client, citizen, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "awa@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["awa@example.org"]
    assert "mot de passe" in message.body.lower()
    reset_path = link_in(message, "/accounts/password/reset/key/")

    response = client.get(reset_path)  # allauth moves the key out of the URL
    assert response.status_code == 302
    form_path = response["Location"]
    response = client.post(
        form_path, {"password1": "un-nouveau-secret-77", "password2": "un-nouveau-secret-77"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("un-nouveau-secret-77")


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "personne@example.org"})
    assert response.status_code == 302
    assert reverse("account_reset_password_done") in response["Location"]


def test_email_change_waits_for_confirmation_of_the_new_address(client, citizen, mailoutbox):
    client.force_login(citizen)
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    assert "NOTRE CONTINENT" in response.content.decode()
    client.post("/accounts/email/", {"action_add": "", "email": "awa.diop@example.org"})
    citizen.refresh_from_db()
    assert citizen.email == "awa@example.org"  # unchanged until confirmed
    message = mailoutbox[-1]
    assert message.to == ["awa.diop@example.org"]
    client.post(link_in(message, "/accounts/confirm-email/"))
    citizen.refresh_from_db()
    assert citizen.email == "awa.diop@example.org"
    assert list(EmailAddress.objects.filter(user=citizen).values_list("email", flat=True)) == [
        "awa.diop@example.org"
    ]


def test_suspended_account_cannot_log_in(client, citizen):
    citizen.suspend()
    response = client.post("/accounts/login/", {"login": "awa", "password": PASSWORD})
    assert not is_logged_in(client)
    response = client.get(response["Location"])
    assert "Compte suspendu" in response.content.decode()


def test_suspension_ends_an_open_session(client, citizen):
    client.force_login(citizen)
    assert client.get("/compte/").status_code == 200
    citizen.suspend()
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/login/", {"login": "awa", "password": PASSWORD}),
        ("/accounts/signup/", SIGNUP),
        ("/accounts/password/reset/", {"email": "awa@example.org"}),
    ],
)
def test_entrance_forms_enforce_csrf(citizen, path, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, data).status_code == 403


def test_logout_enforces_csrf(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/accounts/logout/").status_code == 403
    assert is_logged_in(client)
