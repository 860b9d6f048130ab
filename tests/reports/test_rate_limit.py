"""Floods of paperwork, reports: one client address files at most 10 reports an hour,
whatever it targets (429, in French); a repeated report of one thing is still stored once."""

import threading
from html import unescape

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

HOUR = 60 * 60
LIMITED = "Vous avez envoyé trop de signalements en peu de temps"


@pytest.fixture
def comments(db):
    article = ArticleFactory()
    return CommentFactory.create_batch(12, article=article)


def report(client, comment, **extra):
    return client.post(
        reverse("reports:comment", kwargs={"pk": comment.pk}), {"reason": "spam"}, **extra
    )


def test_the_eleventh_report_within_the_hour_is_refused_with_a_429(client, comments):
    """The issue's flood: 12 reports on 12 comments from one address were all stored."""
    answers = [report(client, comment) for comment in comments]
    assert [a.status_code for a in answers] == [302] * 10 + [429] * 2
    assert Report.objects.count() == 10
    page = unescape(answers[-1].content.decode())
    assert LIMITED in page
    assert "Celui-ci n'a pas été transmis : réessayez plus tard." in page


def test_articles_and_comments_share_the_budget(client, comments):
    for comment in comments[:9]:
        report(client, comment)
    article = comments[0].article
    url = reverse("reports:article", kwargs={"slug": article.slug})
    assert client.post(url, {"reason": "false"}).status_code == 302
    assert client.post(url, {"reason": "false"}).status_code == 429
    assert Report.objects.count() == 10


def test_repeats_are_still_stored_once_and_count_against_the_budget(client, comments):
    for _ in range(10):
        assert report(client, comments[0]).status_code == 302
    assert Report.objects.count() == 1
    assert report(client, comments[1]).status_code == 429


@pytest.mark.parametrize(
    "disguise",
    [
        lambda n: {"HTTP_USER_AGENT": f"Navigateur {n}"},
        lambda n: {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"},
        lambda n: {"HTTP_X_REAL_IP": f"198.51.100.{n}", "HTTP_FORWARDED": f"for=192.0.2.{n}"},
        lambda n: {"HTTP_COOKIE": f"sessionid=x{n}; csrftoken=y{n}"},
    ],
    ids=["user agent", "x-forwarded-for", "other headers", "cookies"],
)
def test_rotating_headers_does_not_reset_the_budget(comments, disguise):
    for n, comment in enumerate(comments):
        browser = Client(REMOTE_ADDR="203.0.113.9")  # a new browser each time
        status = report(browser, comment, **disguise(n)).status_code
        assert status == (302 if n < 10 else 429)
    assert Report.objects.count() == 10


def test_behind_our_proxy_the_client_cannot_choose_its_address(settings, comments):
    settings.TRUSTED_PROXY_COUNT = 1
    for n, comment in enumerate(comments):
        # Our proxy appends the address it saw; what the client wrote stands to its left.
        forwarded = f"198.51.100.{n}, 203.0.113.9"
        answer = report(Client(REMOTE_ADDR="10.0.0.2"), comment, HTTP_X_FORWARDED_FOR=forwarded)
        assert answer.status_code == (302 if n < 10 else 429)
    other = report(Client(REMOTE_ADDR="10.0.0.2"), comments[0], HTTP_X_FORWARDED_FOR="192.0.2.5")
    assert other.status_code == 302  # another reader behind the same proxy


def test_rotating_ipv6_addresses_within_one_network_does_not_reset_the_budget(comments):
    for n, comment in enumerate(comments):
        browser = Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
        assert report(browser, comment).status_code == (302 if n < 10 else 429)


def test_another_address_has_its_own_budget(comments):
    for comment in comments[:10]:
        report(Client(REMOTE_ADDR="203.0.113.9"), comment)
    assert report(Client(REMOTE_ADDR="203.0.113.9"), comments[10]).status_code == 429
    assert report(Client(REMOTE_ADDR="192.0.2.44"), comments[10]).status_code == 302


def test_signing_in_does_not_reset_the_budget(client, comments):
    for comment in comments[:10]:
        report(client, comment)
    client.force_login(UserFactory())
    assert report(client, comments[10]).status_code == 429


def test_the_budget_comes_back_after_the_hour(client, comments, clock):
    for comment in comments[:10]:
        report(client, comment)
    assert report(client, comments[10]).status_code == 429
    clock.shift(HOUR + 1)
    assert report(client, comments[10]).status_code == 302
    assert Report.objects.count() == 11


def test_an_invalid_form_is_answered_400_and_spends_nothing(client, comments):
    url = reverse("reports:comment", kwargs={"pk": comments[0].pk})
    for _ in range(20):
        assert client.post(url, {"reason": "nonsense"}).status_code == 400
    assert report(client, comments[0]).status_code == 302


def test_the_limit_is_a_setting(client, settings, comments):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "report": "2/h/ip"}
    assert [report(client, c).status_code for c in comments[:3]] == [302, 302, 429]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_from_one_address_stay_within_the_budget():
    article = ArticleFactory()
    targets = CommentFactory.create_batch(20, article=article)
    answers = []
    start = threading.Barrier(len(targets), timeout=30)

    def post(comment):
        try:
            browser = Client(REMOTE_ADDR="203.0.113.9")
            start.wait()
            answers.append(report(browser, comment).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == len(targets) and set(answers) <= {302, 429}
    stored = Report.objects.count()
    assert 1 <= stored <= 10
    assert answers.count(302) == stored
