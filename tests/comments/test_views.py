"""The comment form and unsubscribe links as a browser meets them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.policy import make_form_token
from tests.factories import ArticleFactory, CommentFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_the_form_is_under_the_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Réagir à cet article" in html
    assert (
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *"
        in html
    )
    for name in (
        "name",
        "email",
        "body",
        "parent",
        "notify_replies",
        "token",
        "csrfmiddlewaretoken",
    ):
        assert f'name="{name}"' in html
    assert '<label class="form-label" for="id_body">Commentaire <span' in html


def test_a_signed_in_reader_has_name_and_email_filled_in_and_fixed(client, article, post_comment):
    user = UserFactory(display_name="Khadija Sow", email="khadija@example.org")
    client.force_login(user)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Khadija Sow"' in html
    assert "khadija@example.org" in html  # her own address, in her own form only
    post_comment(article, name="Quelqu'un d'autre", email="autre@example.org")
    comment = Comment.objects.get()
    assert (comment.name, comment.email, comment.user) == ("Khadija Sow", user.email, user)


def test_errors_are_in_french_beside_the_fields_and_input_is_kept(article, post_comment):
    response = post_comment(article, name="", email="awa@", body="Mon avis")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_name_error"' in html and "Ce champ est obligatoire." in html
    assert 'id="id_email_error"' in html
    assert "Mon avis</textarea>" in html
    assert 'value="awa@"' in html


def test_after_an_error_the_form_carries_a_fresh_token(article, post_comment):
    token = make_form_token(article.pk)
    html = post_comment(article, token=token, name="").content.decode()
    new_token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert new_token != token
    assert post_comment(article, token=new_token).status_code == 302


def test_get_on_the_post_url_is_not_allowed(client, article):
    assert client.get(reverse("comments:post", kwargs={"slug": article.slug})).status_code == 405


@pytest.mark.parametrize("factory", [DraftFactory])
def test_no_comment_on_an_unpublished_article(client, post_comment, factory):
    draft = factory()
    assert post_comment(draft).status_code == 404
    assert post_comment(ArticleFactory.build(slug="nexiste-pas")).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ["a", "b"], "email": ["x@y.org", "z"]},
        {"notify_replies": "peut-être"},
        {"body": "x" * 100_000},
        {"email": "a" * 500 + "@example.org"},
        {"name": "n" * 500},
        {"parent": "1; DROP TABLE comments_comment"},
        {"token": "\x00"},
    ],
)
def test_forged_posts_never_fail(client, article, data):
    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), data)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_csrf_is_enforced(article):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("comments:post", kwargs={"slug": article.slug})
    data = {
        "name": "Awa",
        "email": "awa@example.org",
        "body": "Bonjour",
        "token": make_form_token(article.pk),
    }
    assert browser.post(url, data).status_code == 403
    assert not Comment.objects.exists()
    html = browser.get(article.get_absolute_url()).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert browser.post(url, {**data, "csrfmiddlewaretoken": csrf}).status_code == 302
    assert Comment.objects.count() == 1


def test_hostile_names_and_texts_are_escaped(client, article):
    CommentFactory(
        article=article, name=HOSTILE, body=HOSTILE + '\nhttps://x.org/"onclick=alert(1)'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'onclick=alert(1)"' not in html
    assert "onerror=alert(1)>" not in html


def test_hostile_input_is_escaped_when_the_form_comes_back(article, post_comment):
    html = post_comment(article, name=HOSTILE, body=HOSTILE, email="x").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_a_hostile_reply_target_name_is_escaped(client, article):
    parent = CommentFactory(article=article, name=HOSTILE)
    html = client.get(f"{article.get_absolute_url()}?repondre={parent.pk}").content.decode()
    assert "<script>alert" not in html
    assert 'data-reply-name="&lt;script&gt;' in html


def test_email_addresses_never_appear_in_public_pages(client, article, no_flood, post_comment):
    top = CommentFactory(article=article, email="cache.moi@example.org")
    CommentFactory(parent=top, email="et.moi+aussi@example.net", notify_replies=True)
    removed = CommentFactory(
        article=article, email="retrait.modo@example.org", status=Comment.Status.REMOVED
    )
    CommentFactory(parent=removed, email="sous.supprime@example.org")
    # A reader who just posted sees their pending comment: still no address.
    post_comment(article, email="en.attente@example.org")
    addresses = {c.email for c in Comment.objects.all()}
    pages = [
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?repondre={top.pk}",
        reverse("reports:comment", kwargs={"pk": top.pk}),
        reverse("reports:article", kwargs={"slug": article.slug}),
        reverse("comments:unsubscribe", kwargs={"token": top.unsubscribe_token()}),
        "/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert not addresses & set(EMAIL_RE.findall(html)), url
        for address in addresses:
            assert address.split("@")[0] not in html, (url, address)


def test_an_email_written_in_a_comment_is_not_made_a_mailto_link(client, article):
    CommentFactory(article=article, body="Écrivez-moi : moi@example.org")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "moi@example.org" in html
    assert not re.search(r'href="mailto:[^"]*moi(@|%40)example\.org', html)


def test_behind_a_trusted_proxy_the_forwarded_address_is_kept(settings, article, post_comment):
    settings.TRUSTED_PROXY_COUNT = 1
    post_comment(article, ip="10.0.0.1", meta={"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.50"})
    assert Comment.objects.get().ip_address == "203.0.113.50"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(article, post_comment):
    post_comment(article, ip="198.51.100.9", meta={"HTTP_X_FORWARDED_FOR": "203.0.113.50"})
    assert Comment.objects.get().ip_address == "198.51.100.9"


def test_two_readers_behind_one_proxy_do_not_flood_each_other(settings, article, post_comment):
    settings.TRUSTED_PROXY_COUNT = 1
    for n, email in enumerate(["awa@example.org", "ibou@example.org"]):
        response = post_comment(
            article, ip="10.0.0.1", email=email, meta={"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        )
        assert response.status_code == 302
    # One of them again, with a forged header: the same client, refused.
    response = post_comment(
        article,
        ip="10.0.0.1",
        email="autre@example.org",
        meta={"HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.0"},
    )
    assert response.status_code == 429


def test_a_signed_in_reader_without_an_address_types_one(client, article, post_comment):
    user = UserFactory(email="")
    client.force_login(user)
    assert post_comment(article, email="").status_code == 400
    assert post_comment(article, email="saisie@example.org").status_code == 302
    assert Comment.objects.get().email == "saisie@example.org"
