"""Views are readers, not requests (issue 9): what a client says about itself (its browser
string, its cookies, its account) cannot add views beyond VIEWS_PER_ADDRESS per article
per address and window; only top-level page loads count."""

import threading

import pytest
from django.db import connections
from django.test import Client

from articles.models import DailyViews
from articles.readership import flush_views
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/140.0 Mobile"


def views_of(article):
    flush_views()  # with Redis, views wait in its buffer until flushed
    return sum(DailyViews.objects.filter(article=article).values_list("views", flat=True))


def browser(address="203.0.113.7", n=0, **headers):
    """A new client each time: no cookies, and a browser string of its own."""
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=f"{BROWSER} build/{n}", **headers)


@pytest.fixture
def article():
    return ArticleFactory()


def test_one_address_rotating_its_browser_string_adds_at_most_five_views(article):
    url = article.get_absolute_url()
    for n in range(170):
        assert browser(n=n).get(url).status_code == 200
    assert views_of(article) == 5


def test_the_budget_is_per_article_and_per_address(article):
    other = ArticleFactory()
    for n in range(8):
        browser(n=n).get(article.get_absolute_url())
        browser(n=n).get(other.get_absolute_url())
        browser("198.51.100.20", n=n).get(article.get_absolute_url())
    assert (views_of(article), views_of(other)) == (10, 5)


def test_accounts_signed_in_from_one_address_share_its_budget(article):
    for n in range(8):
        client = browser(n=n)
        client.force_login(UserFactory())
        client.get(article.get_absolute_url())
    assert views_of(article) == 5


def test_the_budget_comes_back_after_the_window(article, clock):
    url = article.get_absolute_url()
    for n in range(7):
        browser(n=n).get(url)
    clock.shift(30 * 60 + 1)
    for n in range(7, 14):
        browser(n=n).get(url)
    assert views_of(article) == 10


def test_an_ipv6_subscriber_cannot_rotate_through_its_own_prefix(article):
    url = article.get_absolute_url()
    for n in range(1, 9):
        browser(f"2001:db8:aa:bb::{n:x}", n=n).get(url)
        browser(f"2001:db8:aa:bb:{n:x}::1", n=n).get(url)
    # Another /64 is another subscriber.
    browser("2001:db8:aa:cc::1").get(url)
    assert views_of(article) == 6


def test_an_ipv4_client_of_an_ipv6_socket_is_the_same_address(article):
    url = article.get_absolute_url()
    for n in range(4):
        browser("203.0.113.9", n=n).get(url)
        browser("::ffff:203.0.113.9", n=100 + n).get(url)
    assert views_of(article) == 5


def test_behind_the_proxy_the_forwarded_address_is_what_is_limited(article, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = article.get_absolute_url()
    for n in range(9):
        # The client writes its own X-Forwarded-For entries; only the proxy's is read.
        Client(
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
            HTTP_USER_AGENT=f"{BROWSER} {n}",
        ).get(url)
    for n in range(3):
        Client(
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{20 + n}",
            HTTP_USER_AGENT=BROWSER,
        ).get(url)
    assert views_of(article) == 8


@pytest.mark.parametrize("destination", ["document", "Document", " document "])
def test_a_page_load_counts(article, destination):
    browser(HTTP_SEC_FETCH_DEST=destination).get(article.get_absolute_url())
    assert views_of(article) == 1


@pytest.mark.parametrize("destination", ["image", "iframe", "empty", "embed", "object", "", "x"])
def test_the_page_fetched_as_something_else_is_not_a_view(article, destination):
    response = browser(HTTP_SEC_FETCH_DEST=destination).get(article.get_absolute_url())
    assert response.status_code == 200
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_SEC_PURPOSE": "Prefetch;anonymous-client-ip"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_PURPOSE": "Prerender"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
)
def test_prefetch_and_prerender_are_not_views(article, header):
    response = browser(HTTP_SEC_FETCH_DEST="document", **header).get(article.get_absolute_url())
    assert response.status_code == 200
    assert views_of(article) == 0


def test_pages_served_from_the_page_cache_follow_the_same_rules(article, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = article.get_absolute_url()
    browser("198.51.100.1").get(url)  # renders and stores the page
    for n in range(20):
        browser(n=n).get(url)
    browser("198.51.100.2", HTTP_SEC_FETCH_DEST="image").get(url)
    browser("198.51.100.3", HTTP_SEC_PURPOSE="prefetch").get(url)
    assert views_of(article) == 1 + 5


@pytest.mark.django_db(transaction=True)
def test_a_burst_from_one_address_in_parallel_adds_exactly_five(article):
    url = article.get_absolute_url()
    threads, per_thread = 8, 6
    start = threading.Barrier(threads)
    errors = []

    def read(thread_no):
        try:
            start.wait()
            for n in range(per_thread):
                assert browser(n=thread_no * 100 + n).get(url).status_code == 200
        except Exception as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=read, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors
    assert views_of(article) == 5
