"""Readers report a comment or an article ("Signaler")."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db):
    return ArticleFactory(title="Le fleuve Sénégal en crue")


def test_report_a_comment(client, article):
    comment = CommentFactory(article=article)
    url = reverse("reports:comment", kwargs={"pk": comment.pk})
    assert url in client.get(article.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "hate", "details": "Propos insultants."})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.comment, report.article, report.reason) == (comment, None, "hate")
    assert "signalement a été transmis" in client.get(response["Location"]).content.decode()


def test_report_an_article(client, article):
    url = reverse("reports:article", kwargs={"slug": article.slug})
    assert url in client.get(article.get_absolute_url()).content.decode()
    response = client.post(url, {"reason": "false", "details": ""})
    assert response.status_code == 302
    assert Report.objects.get().article == article


def test_a_report_needs_a_reason(client, article):
    url = reverse("reports:article", kwargs={"slug": article.slug})
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"reason": "other", "details": " "})
    assert response.status_code == 400
    assert "Précisez le motif" in response.content.decode()
    assert client.post(url, {"reason": "nonsense"}).status_code == 400
    assert not Report.objects.exists()


def test_a_repeated_report_from_one_address_is_counted_once(client, article):
    url = reverse("reports:article", kwargs={"slug": article.slug})
    client.post(url, {"reason": "spam"})
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert Report.objects.count() == 1


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REMOVED])
def test_only_visible_comments_can_be_reported(client, status):
    comment = CommentFactory(status=status)
    url = reverse("reports:comment", kwargs={"pk": comment.pk})
    assert client.get(url).status_code == 404


def test_report_needs_csrf(article):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("reports:article", kwargs={"slug": article.slug})
    assert browser.post(url, {"reason": "spam"}).status_code == 403


def test_the_report_pages_keep_their_addresses(article):
    comment = CommentFactory(article=article)
    assert reverse("reports:article", kwargs={"slug": article.slug}) == (
        f"/articles/{article.slug}/signaler/"
    )
    assert reverse("reports:comment", kwargs={"pk": comment.pk}) == (
        f"/commentaires/{comment.pk}/signaler/"
    )


def test_a_signed_in_reader_is_named_as_the_reporter(client, article):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("reports:article", kwargs={"slug": article.slug}), {"reason": "spam"})
    assert Report.objects.get().reporter == user


def test_behind_the_proxy_each_reader_reports_once_with_their_own_address(settings, article):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("reports:article", kwargs={"slug": article.slug})
    for forwarded in ("203.0.113.7", "203.0.113.8", "192.0.2.1, 203.0.113.7"):
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).post(url, {"reason": "spam"})
    assert sorted(Report.objects.values_list("ip_address", flat=True)) == [
        "203.0.113.7",
        "203.0.113.8",
    ]
