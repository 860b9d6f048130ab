"""Sign-up, log-in and the profile bring their errors into sight: a summary at the top of
the form, focused on arrival without a script, each field's error a link to the field,
and a page title that starts with "Erreur : ". The forms leave checking to the server
(novalidate), so that every reader gets the same summary."""

import re

import pytest
from django.urls import reverse

from tests.pages import block

pytestmark = pytest.mark.django_db


def summary(response):
    return block(response, r'<div class="error-summary"')


def title(response):
    return re.search(r"<title>([^<]*)</title>", response.content.decode()).group(1)


def test_sign_up(client):
    page = client.get(reverse("account_signup"))
    assert title(page) == "Créer un compte — NOTRE CONTINENT"
    assert re.search(r"<form [^>]*novalidate", page.content.decode())

    response = client.post(reverse("account_signup"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    assert title(response) == "Erreur : Créer un compte — NOTRE CONTINENT"
    found = summary(response)
    assert "autofocus" in found and 'tabindex="-1"' in found
    assert '<a href="#id_email">' in found and '<a href="#id_username">' in found


def test_log_in(client, citizen):
    response = client.post(reverse("account_login"), {"login": "awa", "password": "faux"})
    assert title(response) == "Erreur : Se connecter — NOTRE CONTINENT"
    found = summary(response)
    assert "une erreur est à corriger" in found
    assert "incorrect" in found


def test_profile(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:profile_edit"), {"display_name": "", "website": "ftp://x"}
    )
    assert title(response).startswith("Erreur : ")
    found = summary(response)
    assert '<a href="#id_display_name">' in found
    assert '<a href="#id_website">' in found
