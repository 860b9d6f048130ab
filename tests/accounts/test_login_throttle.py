"""Failed logins are throttled on every login form, the site's and the admin's: per client
address, and per account whichever way its login is typed (accounts/adapter.py)."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.adapter import login_budget_keys
from tests.factories import PASSWORD, ModeratorFactory, UserFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db

THROTTLED = "Trop de tentatives de connexion échouées"
PROXY = "10.0.0.1"


@pytest.fixture
def khady():
    """A khady, who may sign in on both forms: the site's and the admin's."""
    user = ModeratorFactory(username="Khady", email="khady.fall@example.org")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def site_login(client, login, password, **headers):
    return client.post("/accounts/login/", {"login": login, "password": password}, **headers)


def admin_login(client, login, password, **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": login, "password": password, "next": "/admin/"},
        **headers,
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def text(response):
    return unescape(response.content.decode())


@pytest.mark.parametrize("form", [site_login, admin_login], ids=["site", "admin"])
def test_fifteen_wrong_guesses_then_the_right_one_is_refused(client, khady, form):
    answers = [form(client, "Khady", f"essai-{n}").status_code for n in range(15)]
    # The first five are wrong passwords, told as such; then the account's budget is spent.
    assert answers == [200] * 5 + [429] * 10
    response = form(client, "Khady", PASSWORD)
    assert response.status_code == 429
    assert THROTTLED in text(response)
    assert not logged_in(client)
    # The form is shown again, with the message, not an error page.
    assert 'name="password"' in text(response)


@pytest.mark.parametrize(
    ("form", "login"),
    [
        (site_login, "khady"),
        (site_login, "KHADY"),
        (site_login, "khady.fall@example.org"),
        (site_login, "Khady.Fall@EXAMPLE.org"),
        (site_login, " ｋｈａｄｙ "),  # full-width letters: NFKC makes them "khady"
        (admin_login, "Khady"),
        (admin_login, "KHADY.FALL@example.org"),
        (admin_login, "ｋｈａｄｙ"),
    ],
)
def test_every_form_of_the_login_spends_the_same_budget(client, khady, form, login):
    # Five failures spread over both forms and every way of typing the account's login...
    site_login(client, "khady", "essai-1")
    site_login(client, "KHADY.FALL@example.org", "essai-2")
    admin_login(client, "khady", "essai-3")
    admin_login(client, "khady.fall@example.org", "essai-4")
    site_login(client, "Ｋｈａｄｙ", "essai-5")
    # ...and the account is closed to guesses on each of them, from any address.
    response = form(Client(), login, PASSWORD, REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429
    assert THROTTLED in text(response)


def test_the_budget_is_the_accounts_not_the_addresss(client, khady):
    for n in range(5):
        site_login(client, "khady", f"essai-{n}", REMOTE_ADDR=f"203.0.113.{n}")
    assert site_login(client, "khady", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 429


def test_another_account_keeps_its_budget(client, khady):
    other = VerifiedUserFactory(username="awa", email="awa@example.org")
    for n in range(5):
        site_login(client, "khady", f"essai-{n}")
    response = site_login(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_right_password_spends_nothing_and_gives_nothing_back(client, khady):
    for n in range(4):
        assert site_login(client, "khady", f"essai-{n}").status_code == 200
    assert site_login(client, "khady", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    # Still four failures counted: a success in between does not reset the budget.
    assert site_login(client, "khady", "essai-4").status_code == 200
    assert site_login(client, "khady", PASSWORD).status_code == 429


def test_an_unknown_login_is_throttled_like_a_real_one(client):
    """Same answers for an account that does not exist: the throttle tells nothing."""
    answers = [site_login(client, login, "essai").status_code for login in ["Fantome"] * 3]
    answers += [site_login(client, login, "essai").status_code for login in ["FANTOME", "fantome"]]
    assert answers == [200] * 5
    assert site_login(client, "ｆａｎｔｏｍｅ", "essai").status_code == 429


def test_the_day_budget_outlasts_the_five_minutes(client, khady, clock):
    for _round in range(4):
        for n in range(5):
            assert site_login(client, "khady", f"essai-{n}").status_code == 200
        assert site_login(client, "khady", PASSWORD).status_code == 429
        clock.shift(5 * 60)
    # 20 failures today: five minutes on, the account is still closed to guesses...
    assert site_login(client, "khady", PASSWORD).status_code == 429
    clock.shift(24 * 60 * 60 - 4 * 5 * 60)
    # ...until the day has passed.
    assert site_login(client, "khady", PASSWORD).status_code == 302


def test_a_password_reset_gives_the_account_its_budget_back(client, khady, mailoutbox):
    for n in range(5):
        site_login(client, "khady", f"essai-{n}")
    assert site_login(client, "khady", PASSWORD).status_code == 429

    reset = Client()
    reset.post("/accounts/password/reset/", {"email": "khady.fall@example.org"})
    (message,) = mailoutbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)
    form_path = reset.get(link)["Location"]
    reset.post(form_path, {"password1": "nouveau-secret-77", "password2": "nouveau-secret-77"})

    response = site_login(Client(), "khady", "nouveau-secret-77")
    assert response.status_code == 302


# Per client address, behind the proxy ---------------------------------------------------


@pytest.mark.parametrize("form", [site_login, admin_login], ids=["site", "admin"])
def test_rotating_x_forwarded_for_does_not_reset_the_address_budget(client, settings, khady, form):
    settings.TRUSTED_PROXY_COUNT = 1
    # Password spraying: one guess at each of many logins, from one client that writes a
    # new X-Forwarded-For each time; our proxy appends the address it really saw.
    for n in range(10):
        response = form(
            client,
            f"personne-{n}",
            "essai",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        )
        assert response.status_code == 200
    refused = form(
        client,
        "Khady",
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.200, 203.0.113.7",
    )
    assert refused.status_code == 429
    assert not logged_in(client)
    # Another client behind the same proxy keeps its own budget.
    other = Client()
    response = form(
        other, "Khady", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.8"
    )
    assert response.status_code == 302
    assert logged_in(other)


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings, khady):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        site_login(client, f"personne-{n}", "essai", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = site_login(client, "Khady", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


def test_too_many_attempts_on_the_admin_page_get_a_french_429(client, settings, khady):
    """Every POST to a login page counts per address (allauth's "login" limit), failed or not."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        admin_login(client, "", "")
    for form in (admin_login, site_login):
        response = form(client, "Khady", PASSWORD)
        assert response.status_code == 429
        assert "Trop de tentatives" in text(response)
        assert "NOTRE CONTINENT" in text(response)
    assert not logged_in(client)


def test_the_admin_form_still_lets_staff_in_and_keeps_citizens_out(client, khady):
    citizen = VerifiedUserFactory(username="awa", email="awa@example.org")
    response = admin_login(client, citizen.username, PASSWORD)
    assert response.status_code == 200
    assert not logged_in(client)
    response = admin_login(client, "khady.fall@example.org", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# The keys -------------------------------------------------------------------------------


def test_a_login_that_names_two_accounts_spends_both_budgets():
    # A username may look like an address; the backends then try both accounts.
    owner = UserFactory(username="lamine", email="lamine@example.org")
    lookalike = UserFactory(username="lamine@example.org", email="autre@example.org")
    keys = login_budget_keys({"username": "LAMINE@example.org", "email": "LAMINE@example.org"})
    assert keys == sorted([f"account:{owner.pk}", f"account:{lookalike.pk}"])
    assert login_budget_keys({"username": "lamine"}) == [f"account:{owner.pk}"]


def test_composed_and_decomposed_accents_are_one_account(client):
    """The name "Aïssatou" typed with a combining diaeresis (NFD, as some keyboards send
    it) is the account whose name Django stored composed (NFKC)."""
    VerifiedUserFactory(username="Aïssatou", email="aissatou@example.org")
    decomposed = "Ai\u0308ssatou"
    assert decomposed != "Aïssatou"
    for login in ["Aïssatou", decomposed, "Aïssatou", decomposed, "aissatou@example.org"]:
        assert site_login(client, login, "essai").status_code == 200
    assert site_login(client, decomposed, PASSWORD).status_code == 429
    assert admin_login(client, "Aïssatou", PASSWORD).status_code == 429


def test_keys_of_unknown_logins_fold_case_and_width():
    assert login_budget_keys({"username": " Fantôme "}) == ["login:fantôme"]
    assert login_budget_keys({"username": "ＦＡＮＴÔＭＥ"}) == ["login:fantôme"]
    assert login_budget_keys({}) == []
