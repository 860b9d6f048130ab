"""Nobody poses as the newsroom: names reserved for the team, wherever a name is chosen."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.validators import poses_as_team
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

POSING = [
    "La rédaction",
    "Rédaction",
    "LA REDACTION",
    "Notre Continent",
    "NotreContinent",
    "notre-continent",
    "Modération",
    "Modérateur",
    "modératrice",
    "Administrateur",
    "Admin",
    "Équipe",
    "L'équipe",
    "Équipe officielle",
    "Le staff",
    "Support",
    "Rédacti0n",  # leetspeak
    "ＡＤＭＩＮ",  # full-width
    "A d m i n",  # spaced
    "Adrnin",  # "rn" for "m"
    "Аdmin",  # Cyrillic А
    "Ad\u200bmin",  # zero-width space
    "ℝ𝕖𝕕𝕒𝕔𝕥𝕚𝕠𝕟",  # double-struck
    "Mamadou, admin",
]

INNOCENT = [
    "Awa Diop",
    "Équipe verte de Thiès",
    "Les Amis du Fleuve",
    "Badminton Club de Ziguinchor",
    "Administration des douanes",
    "Redouane",
    "Édition Jokkoo",
    "Aminata Touré",
    "Team Sénégal Basket",
]


@pytest.mark.parametrize("name", POSING)
def test_names_posing_as_the_team(name):
    assert poses_as_team(name)


@pytest.mark.parametrize("name", INNOCENT)
def test_citizens_names(name):
    assert not poses_as_team(name)


# Sign-up ---------------------------------------------------------------------------------

SIGNUP = {
    "email": "awa@example.org",
    "username": "awa",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "account_kind": "particulier",
    "display_name": "Awa Diop",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "La Rédacti0n"),
        ("display_name", "ＡＤＭＩＮ"),
        ("username", "admin_nc"),
        ("username", "la_redaction"),
        ("username", "moderateur2"),
        ("username", "notre-continent"),
        ("username", "equipe"),
    ],
)
def test_signup_refuses_a_name_posing_as_the_team(client, field, value):
    response = client.post("/accounts/signup/", {**SIGNUP, field: value})
    assert response.status_code == 200
    assert not User.objects.exists()
    assert response.context["form"].errors[field] == [
        "Ce nom est réservé à l'équipe de Notre Continent : choisissez-en un autre, qui ne "
        "laisse pas croire que vous parlez au nom du site."
    ]


def test_signup_accepts_an_association_called_equipe(client):
    response = client.post(
        "/accounts/signup/",
        {**SIGNUP, "display_name": "Équipe verte de Thiès", "username": "equipe-verte"},
    )
    assert response.status_code == 302
    assert User.objects.get().display_name == "Équipe verte de Thiès"


# Profile ---------------------------------------------------------------------------------

PROFILE = {"account_kind": "particulier", "organisation": "", "bio": "", "website": ""}


@pytest.mark.parametrize("name", ["A d m i n", "Rédaction", "Modérateur"])
def test_a_citizen_cannot_rename_themselves_as_the_team(client, name):
    citizen = UserFactory(display_name="Awa Diop")
    client.force_login(citizen)
    response = client.post("/compte/modifier/", {**PROFILE, "display_name": name})
    assert response.status_code == 200
    assert "Ce nom est réservé" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.display_name == "Awa Diop"


def test_a_team_member_may_sign_as_the_newsroom(client, moderator):
    client.force_login(moderator)
    response = client.post("/compte/modifier/", {**PROFILE, "display_name": "La rédaction"})
    assert response.status_code == 302
    moderator.refresh_from_db()
    assert moderator.display_name == "La rédaction"


# Admin -----------------------------------------------------------------------------------


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_a_moderator_cannot_give_a_citizen_a_team_name(moderator_client):
    citizen = UserFactory(display_name="Awa Diop")
    response = moderator_client.post(
        change_url(citizen),
        {**PROFILE, "display_name": "Modérat1on", "_save": "Enregistrer"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["display_name"]
    citizen.refresh_from_db()
    assert citizen.display_name == "Awa Diop"


def superuser_form(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "date_joined_0": "2024-10-04",
        "date_joined_1": "02:10:00",
        "display_name": user.display_name,
        "account_kind": "particulier",
        "organisation": "",
        "bio": "",
        "website": "",
        "_save": "Enregistrer",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    "changes",
    [
        {"username": "redaction"},
        {"display_name": "", "first_name": "La", "last_name": "Rédaction"},
    ],
)
def test_a_superuser_cannot_either_for_a_citizen(client, superuser, changes):
    citizen = UserFactory(username="awa", display_name="Awa Diop")
    client.force_login(superuser)
    response = client.post(change_url(citizen), superuser_form(citizen, **changes))
    assert response.status_code == 200
    assert "Ce nom est réservé" in response.content.decode()
    citizen.refresh_from_db()
    assert (citizen.username, citizen.display_name) == ("awa", "Awa Diop")


def test_a_superuser_names_a_team_account_as_they_like(client, superuser):
    colleague = UserFactory(username="awa", display_name="Awa Diop")
    client.force_login(superuser)
    response = client.post(
        change_url(colleague),
        superuser_form(colleague, display_name="La rédaction", is_staff="on"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    colleague.refresh_from_db()
    assert colleague.display_name == "La rédaction" and colleague.is_staff


def test_demoting_a_team_member_who_signs_as_the_newsroom_asks_for_a_name(client, superuser):
    colleague = UserFactory(display_name="La rédaction", is_staff=True)
    client.force_login(superuser)
    response = client.post(change_url(colleague), superuser_form(colleague))  # is_staff off
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["display_name"]
    colleague.refresh_from_db()
    assert colleague.is_staff
