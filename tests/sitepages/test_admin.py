"""Staff edit the trust pages in the admin: their words, never their set or addresses."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from sitepages.models import Page
from tests.factories import ModeratorFactory, UserFactory
from tests.pages import visible_text
from tests.test_csp import assert_strict_page, directives

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:sitepages_page_changelist")


def change_url(address):
    return reverse("admin:sitepages_page_change", args=[Page.objects.get(slug=address).pk])


def edit(client, address, **fields):
    page = Page.objects.get(slug=address)
    data = {"title": page.title, "summary": page.summary, "body": page.body, **fields}
    return client.post(change_url(address), data)


def test_staff_edit_a_page_and_readers_see_it(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            admin_client,
            "mentions-legales",
            title="Mentions légales",
            body="<h2>Éditeur</h2><p>Association Notre Continent, Dakar.</p>",
        )
    assert response.status_code == 302
    text = visible_text(Client().get("/mentions-legales/"))
    assert "Association Notre Continent, Dakar." in text
    assert "[à compléter" not in text


def test_the_change_list_shows_the_five_pages_and_offers_no_addition(admin_client):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for slug in (
        "mentions-legales",
        "a-propos",
        "contact",
        "charte-de-moderation",
        "confidentialite",
    ):
        assert f"/{slug}/" in html
    assert reverse("admin:sitepages_page_add") not in html
    assert admin_client.get(reverse("admin:sitepages_page_add")).status_code == 403


def test_a_page_cannot_be_deleted_or_moved(admin_client):
    page = Page.objects.get(slug="contact")
    assert (
        admin_client.get(reverse("admin:sitepages_page_delete", args=[page.pk])).status_code == 403
    )
    # No "delete selected" action either.
    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [page.pk], "post": "yes"}
    )
    assert Page.objects.filter(slug="contact").exists()
    assert "delete_selected" not in admin_client.get(CHANGELIST).content.decode()
    # The address is not a field of the form: a posted slug is ignored.
    assert edit(admin_client, "contact", slug="autre-chose").status_code == 302
    assert Page.objects.filter(slug="contact").exists()
    assert response.status_code in (200, 302)


def test_the_form_shows_the_editor_under_the_strict_policy(admin_client):
    response = admin_client.get(change_url("charte-de-moderation"))
    assert_strict_page(response)
    assert "prose-editor" in response.content.decode()
    assert "sha256-" in directives(response)["style-src"]  # the editor's own stylesheet


def test_html_posted_by_staff_is_cleaned(admin_client):
    body = (
        '<p>Texte<img src="https://example.org/a.jpg" onerror="alert(1)"></p><script>x()</script>'
    )
    edit(admin_client, "a-propos", body=body)
    assert (
        Page.objects.get(slug="a-propos").body
        == '<p>Texte<img src="https://example.org/a.jpg"></p>'
    )


def test_an_empty_title_or_text_is_refused_in_french(admin_client):
    response = edit(admin_client, "contact", title="", body="")
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Page.objects.get(slug="contact").title == "Contact"


def test_editing_needs_the_permission(client):
    # A moderator reviews articles and comments; the publisher's pages are another right.
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert client.get(change_url("confidentialite")).status_code == 403
    assert edit(client, "confidentialite", title="Piraté").status_code == 403
    assert Page.objects.get(slug="confidentialite").title == "Politique de confidentialité"

    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="sitepages", codename="change_page")
    )
    client.force_login(editor)
    assert edit(client, "confidentialite", title="Vos données").status_code == 302
    assert Page.objects.get(slug="confidentialite").title == "Vos données"


def test_readers_never_reach_the_admin(client):
    response = client.get(change_url("contact"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
