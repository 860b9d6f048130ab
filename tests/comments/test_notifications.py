"""E-mails sent through the tasks framework, and the one-click unsubscribe link."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments import services, tasks
from comments.models import Comment
from tests.factories import CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approve(django_capture_on_commit_callbacks):
    def run(comment, by=None):
        with django_capture_on_commit_callbacks(execute=True):
            services.moderate([comment], Comment.Status.APPROVED, by=by or ModeratorFactory())

    return run


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_the_author_is_told_when_a_comment_is_approved(article, approve):
    comment = CommentFactory(
        article=article, status=Comment.Status.PENDING, name="Binta", body="Bravo"
    )
    mail.outbox.clear()
    approve(comment)
    (message,) = sent_to(article.author.email)
    assert "Le fleuve Sénégal en crue" in message.subject
    assert "Binta" in message.body and "Bravo" in message.body
    assert (
        f"http://testserver-site{article.get_absolute_url()}#comment-{comment.pk}" in message.body
    )


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver-site"


def test_nothing_is_sent_while_a_comment_waits(
    article, post_comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article)
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert mail.outbox == []


def test_a_comment_approved_at_once_tells_the_author(
    client, article, post_comment, django_capture_on_commit_callbacks
):
    reader = UserFactory()
    CommentFactory(user=reader, email=reader.email)
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article)
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    assert len(sent_to(article.author.email)) == 1


def test_the_author_is_not_told_of_their_own_comment(article, approve):
    comment = CommentFactory(
        article=article,
        user=article.author,
        email=article.author.email,
        status=Comment.Status.PENDING,
    )
    approve(comment)
    assert mail.outbox == []


def test_approving_twice_does_not_send_twice(article, approve):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    approve(comment)
    approve(comment)
    assert len(sent_to(article.author.email)) == 1


def test_spam_and_removal_send_nothing(article, django_capture_on_commit_callbacks):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate([comment], Comment.Status.SPAM, by=ModeratorFactory())
        services.moderate([comment], Comment.Status.REMOVED, by=ModeratorFactory())
    assert mail.outbox == []


def test_an_opted_in_commenter_is_told_of_an_approved_reply(article, approve):
    parent = CommentFactory(
        article=article, email="parent@example.org", notify_replies=True, name="Aïssatou"
    )
    reply = CommentFactory(
        parent=parent, status=Comment.Status.PENDING, name="Lamine", body="Je réponds"
    )
    mail.outbox.clear()
    approve(reply)
    (message,) = sent_to("parent@example.org")
    assert "Lamine a répondu à votre commentaire" in message.subject
    assert "Je réponds" in message.body
    # The token is timestamped (signing.dumps): read it back rather than re-making it.
    prefix = "http://testserver-site" + reverse("comments:unsubscribe", kwargs={"token": "T"})
    before, after = prefix.split("T", 1)
    match = re.search(re.escape(before) + r"([^/\s]+)" + re.escape(after), message.body)
    assert match, message.body
    assert Comment.from_unsubscribe_token(match.group(1)) == parent
    unsubscribe = match.group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # No other commenter's address leaks into the message.
    assert reply.email not in message.message().as_string()


def test_a_commenter_who_did_not_opt_in_is_not_told(article, approve):
    parent = CommentFactory(article=article, email="parent@example.org", notify_replies=False)
    approve(CommentFactory(parent=parent, status=Comment.Status.PENDING))
    assert sent_to("parent@example.org") == []


def test_a_commenter_is_not_told_of_their_own_reply(article, approve):
    parent = CommentFactory(article=article, email="parent@example.org", notify_replies=True)
    approve(
        CommentFactory(parent=parent, email="PARENT@example.org", status=Comment.Status.PENDING)
    )
    assert sent_to("parent@example.org") == []


def test_the_commenter_answered_at_the_deepest_level_is_told(article, approve):
    top = CommentFactory(article=article)
    second = CommentFactory(parent=top)
    third = CommentFactory(parent=second, email="profond@example.org", notify_replies=True)
    reply = Comment(
        article=article, name="X", email="x@example.org", body="!", status=Comment.Status.PENDING
    )
    reply.attach_to(third)
    reply.save()
    approve(reply)
    assert len(sent_to("profond@example.org")) == 1
    assert sent_to(second.email) == []


def test_the_task_takes_json_arguments_only(article):
    comment = CommentFactory(article=article)
    result = tasks.notify_article_author.enqueue(comment.pk)
    assert result.return_value == 1


# Unsubscribe ---------------------------------------------------------------------------


def test_unsubscribe_get_asks_and_post_unsubscribes(client):
    comment = CommentFactory(email="parent@example.org", notify_replies=True)
    other = CommentFactory(email="Parent@example.org", notify_replies=True)
    someone_else = CommentFactory(notify_replies=True)
    url = reverse("comments:unsubscribe", kwargs={"token": comment.unsubscribe_token()})
    response = client.get(url)
    assert response.status_code == 200
    assert "Me désinscrire" in response.content.decode()
    comment.refresh_from_db()
    assert comment.notify_replies  # a GET (a mail scanner, a preview) changes nothing
    response = client.post(url)
    assert "vous ne recevrez plus" in response.content.decode()
    assert not Comment.objects.filter(pk__in=[comment.pk, other.pk], notify_replies=True).exists()
    someone_else.refresh_from_db()
    assert someone_else.notify_replies


def test_one_click_unsubscribe_works_without_a_csrf_token():
    comment = CommentFactory(notify_replies=True)
    url = reverse("comments:unsubscribe", kwargs={"token": comment.unsubscribe_token()})
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    comment.refresh_from_db()
    assert not comment.notify_replies


@pytest.mark.parametrize("token", ["nimportequoi", "eyJjIjoxfQ:forged", "x" * 300])
def test_a_bad_unsubscribe_token_is_a_404(client, token):
    CommentFactory(notify_replies=True)
    response = client.post(reverse("comments:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 404
    assert Comment.objects.get().notify_replies
