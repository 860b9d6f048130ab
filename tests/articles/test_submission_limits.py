"""Floods of paperwork, submissions: an author's submissions are rate-limited (429, in
French), and moderators hear of an article's submission once an hour at most."""

import socket
import threading
from html import unescape

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import CategoryFactory, DraftFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
HOUR = 60 * 60


@pytest.fixture
def moderators(db):
    return [ModeratorFactory(email="awa@example.org"), ModeratorFactory(email="modou@example.org")]


def submit(client, article):
    return client.post(reverse("articles:submit", args=[article.pk]))


def withdraw(client, article):
    return client.post(reverse("articles:withdraw", args=[article.pk]))


def notices():
    return [m for m in mail.outbox if "Article à relire" in m.subject]


# One "article soumis" notice per article per hour


def test_submit_withdraw_cycles_send_one_notice_per_moderator(client, moderators, committed):
    """The issue's flood: 5 cycles in a second sent 15 e-mails."""
    article = DraftFactory()
    client.force_login(article.author)
    for _ in range(5):
        with committed():
            assert submit(client, article).status_code == 302
        with committed():
            withdraw(client, article)
    assert sorted(m.to[0] for m in notices()) == ["awa@example.org", "modou@example.org"]


def test_the_next_notice_goes_an_hour_later(moderators, committed, clock):
    article = DraftFactory()
    with committed():
        services.submit(article)
    services.withdraw(article)
    clock.shift(HOUR - 1)
    with committed():
        services.submit(article)
    assert len(notices()) == 2
    services.withdraw(article)
    clock.shift(1)
    with committed():
        services.submit(article)
    assert len(notices()) == 4


def test_each_article_has_its_own_hour(moderators, committed):
    first, second = DraftFactory(), DraftFactory()
    with committed():
        services.submit(first)
        services.submit(second)
    assert len(notices()) == 4


def test_an_article_withdrawn_before_its_notice_went_gets_one_when_submitted_again(
    moderators, django_capture_on_commit_callbacks, committed
):
    article = DraftFactory()
    with django_capture_on_commit_callbacks() as queued:
        services.submit(article)
    services.withdraw(article)
    for callback in queued:  # the worker reaches the task after the withdrawal
        callback()
    assert notices() == []
    with committed():
        services.submit(article)
    assert len(notices()) == 2


def test_a_notice_queued_while_smtp_is_down_is_counted(moderators, settings, committed):
    """The notice's messages are queued (notrecontinent/mail.py), and the queue retries them
    until the server is back: the claim stands, so that no second notice follows."""
    article = DraftFactory()
    with socket.socket() as closed:  # a port nothing listens on: the SMTP server is down
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with committed():
        services.submit(article)  # the queue logs the failure; the submission stands
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert article.moderators_notified_at is not None
    assert Article.objects.claim_submission_notice(article.pk) is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_let_exactly_one_notice_go():
    article = DraftFactory()
    won = []
    start = threading.Barrier(8, timeout=30)

    def claim():
        try:
            start.wait()
            won.append(Article.objects.claim_submission_notice(article.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(won) == 8
    assert len([claimed for claimed in won if claimed is not None]) == 1


# An author's submissions within a budget: 5 an hour by default


def test_the_sixth_submission_within_the_hour_is_refused_with_a_429(client):
    author = UserFactory()
    articles = DraftFactory.create_batch(6, author=author)
    client.force_login(author)
    for article in articles[:5]:
        assert submit(client, article).status_code == 302

    response = submit(client, articles[5])

    assert response.status_code == 429
    page = unescape(response.content.decode())
    assert "Vous avez soumis trop d'articles à la relecture en peu de temps" in page
    assert "rien n'est perdu" in page
    articles[5].refresh_from_db()
    assert articles[5].status == Status.DRAFT
    assert not articles[5].versions.exists()


def test_the_form_over_the_budget_keeps_the_text_and_answers_429(client):
    author = UserFactory()
    client.force_login(author)
    for article in DraftFactory.create_batch(5, author=author):
        submit(client, article)
    form = {
        "title": "Le texte qui attendra",
        "summary": "",
        "body": "<p>Rien ne doit se perdre.</p>",
        "category": CategoryFactory().pk,
        "cover_caption": "",
        "cover_credit": "",
        "creator_credit": "",
        "action": "submit",
    }

    response = client.post(reverse("articles:create"), form)

    assert response.status_code == 429
    article = Article.objects.get(title="Le texte qui attendra")
    assert (article.status, article.body) == (Status.DRAFT, "<p>Rien ne doit se perdre.</p>")
    assert reverse("articles:edit", args=[article.pk]) in response.content.decode()


def test_the_budget_counts_submissions_made_not_attempts(client):
    author = UserFactory()
    client.force_login(author)
    empty = DraftFactory(author=author, body="")
    for _ in range(10):
        submit(client, empty)  # refused: nothing to read
    for article in DraftFactory.create_batch(5, author=author):
        assert submit(client, article).status_code == 302
    assert Article.objects.filter(author=author, status=Status.SUBMITTED).count() == 5


def test_the_budget_is_the_authors_whatever_the_session_address_or_browser(client):
    author = UserFactory()
    articles = DraftFactory.create_batch(6, author=author)
    for n, article in enumerate(articles[:5]):
        client.force_login(author)
        client.post(
            reverse("articles:submit", args=[article.pk]),
            HTTP_USER_AGENT=f"Navigateur {n}",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            REMOTE_ADDR=f"203.0.113.{n}",
        )
        client.logout()
    fresh = Client(REMOTE_ADDR="192.0.2.77", HTTP_USER_AGENT="Tout neuf")
    fresh.force_login(author)
    assert submit(fresh, articles[5]).status_code == 429

    other = UserFactory()  # another author, same address: a budget of their own
    fresh.force_login(other)
    assert submit(fresh, DraftFactory(author=other)).status_code == 302


def test_the_budget_comes_back_after_the_hour(client, clock):
    author = UserFactory()
    client.force_login(author)
    for article in DraftFactory.create_batch(5, author=author):
        submit(client, article)
    late = DraftFactory(author=author)
    assert submit(client, late).status_code == 429
    clock.shift(HOUR + 1)
    assert submit(client, late).status_code == 302


def test_the_limit_is_a_setting(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "submit_article": "1/h/user"}
    author = UserFactory()
    client.force_login(author)
    first, second = DraftFactory.create_batch(2, author=author)
    assert submit(client, first).status_code == 302
    assert submit(client, second).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_stay_within_the_budget():
    author = UserFactory()
    articles = DraftFactory.create_batch(8, author=author)
    answers = []
    start = threading.Barrier(len(articles), timeout=30)

    def post(article):
        try:
            browser = Client()
            browser.force_login(author)
            start.wait()
            answers.append(submit(browser, article).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(a,)) for a in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(set(answers)) <= [302, 429] and len(answers) == len(articles)
    submitted = Article.objects.filter(author=author, status=Status.SUBMITTED).count()
    assert 1 <= submitted <= 5
    assert answers.count(302) == submitted
