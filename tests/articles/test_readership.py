"""View counting: one GET of a published article page by a person, never lost, never twice."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from articles.models import DailyViews
from articles.readership import count_view, flush_views, is_bot
from tests.factories import ArticleFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/140.0 Mobile"


def views_of(article):
    flush_views()  # with Redis, views wait in its buffer until flushed
    return sum(DailyViews.objects.filter(article=article).values_list("views", flat=True))


def reader(ip="203.0.113.7", ua=BROWSER):
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)


def test_a_person_reading_counts_one_view_today():
    article = ArticleFactory()
    response = reader().get(article.get_absolute_url())
    assert response.status_code == 200
    flush_views()
    row = DailyViews.objects.get(article=article)
    assert (row.day, row.views) == (timezone.localdate(), 1)


@pytest.mark.parametrize(
    "user_agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "WhatsApp/2.23.20.0",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/140.0",
        "",
    ],
)
def test_bots_are_not_counted(user_agent):
    article = ArticleFactory()
    assert reader(ua=user_agent).get(article.get_absolute_url()).status_code == 200
    assert views_of(article) == 0


def test_bot_detection_keeps_browsers():
    assert not is_bot(BROWSER)
    assert not is_bot("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Version/17.5 Safari/605.1")
    assert is_bot("Mozilla/5.0 (compatible; YandexBot/3.0)")


def test_repeat_by_the_same_visitor_within_the_window_is_not_counted():
    article = ArticleFactory()
    visitor = reader()
    for _ in range(3):
        visitor.get(article.get_absolute_url())
    assert views_of(article) == 1
    reader(ip="198.51.100.23").get(article.get_absolute_url())
    assert views_of(article) == 2


def test_the_window_is_per_article():
    first, second = ArticleFactory(), ArticleFactory()
    visitor = reader()
    visitor.get(first.get_absolute_url())
    visitor.get(second.get_absolute_url())
    assert (views_of(first), views_of(second)) == (1, 1)


def test_a_signed_in_reader_is_one_visitor_whatever_the_address():
    article = ArticleFactory()
    user = UserFactory()
    for ip in ("203.0.113.1", "203.0.113.2"):
        visitor = reader(ip=ip)
        visitor.force_login(user)
        visitor.get(article.get_absolute_url())
    assert views_of(article) == 1


def test_a_repeat_counts_again_after_thirty_minutes(clock):
    article = ArticleFactory()
    visitor = reader()
    visitor.get(article.get_absolute_url())
    clock.shift(30 * 60 - 1)
    visitor.get(article.get_absolute_url())
    assert views_of(article) == 1
    clock.shift(2)
    visitor.get(article.get_absolute_url())
    assert views_of(article) == 2


def test_the_author_reading_their_own_article_is_not_counted():
    article = ArticleFactory()
    visitor = reader()
    visitor.force_login(article.author)
    assert visitor.get(article.get_absolute_url()).status_code == 200
    assert views_of(article) == 0


def test_head_requests_are_not_counted():
    article = ArticleFactory()
    assert reader().head(article.get_absolute_url()).status_code == 200
    assert views_of(article) == 0


def test_unpublished_articles_are_never_counted(rf):
    draft = DraftFactory()
    request = rf.get("/", HTTP_USER_AGENT=BROWSER)
    request.user = UserFactory()
    assert count_view(request, draft) is False
    assert views_of(draft) == 0


def test_a_counted_view_costs_two_writes(django_assert_num_queries, rf, settings):
    """Written at once (no Redis buffer): the day's row and the article's Readership
    rollup, in one transaction."""
    settings.VIEW_FLUSH_SECONDS = 0
    article = ArticleFactory()
    request = rf.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    request.user = UserFactory()
    with django_assert_num_queries(2):
        assert count_view(request, article) is True
    with django_assert_num_queries(0):
        assert count_view(request, article) is False


def test_daily_views_add_upserts_one_row_per_day():
    article = ArticleFactory()
    today = timezone.localdate()
    yesterday = today - timezone.timedelta(days=1)
    DailyViews.add(article.pk)
    DailyViews.add(article.pk, count=4)
    DailyViews.add(article.pk, day=yesterday)
    assert dict(DailyViews.objects.values_list("day", "views")) == {today: 5, yesterday: 1}


THREADS = 8
VIEWS_PER_THREAD = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_lose_no_increment():
    """8 threads, each a stream of distinct visitors, all reading the same article at once."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    start = threading.Barrier(THREADS)
    errors = []

    def read(thread_no):
        try:
            start.wait()
            for n in range(VIEWS_PER_THREAD):
                response = reader(ip=f"10.{thread_no}.{n}.1").get(url)
                assert response.status_code == 200
        except Exception as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert views_of(article) == THREADS * VIEWS_PER_THREAD
    assert DailyViews.objects.filter(article=article).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_lose_no_increment():
    """The counter alone, with no page around it: many writers on one (article, day) row."""
    article = ArticleFactory()
    start = threading.Barrier(THREADS)
    errors = []

    def add():
        try:
            start.wait()
            for _ in range(25):
                DailyViews.add(article.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert views_of(article) == THREADS * 25


def test_two_readers_behind_one_proxy_with_the_same_browser_are_two_views(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory()
    for address in ("203.0.113.7", "203.0.113.8"):
        behind_proxy = Client(
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address, HTTP_USER_AGENT=BROWSER
        )
        behind_proxy.get(article.get_absolute_url())
    assert views_of(article) == 2


def test_a_forged_forwarded_header_does_not_make_a_new_reader(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    article = ArticleFactory()
    for forged in ("", "192.0.2.1, ", "192.0.2.2, "):
        behind_proxy = Client(
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{forged}203.0.113.7",
            HTTP_USER_AGENT=BROWSER,
        )
        behind_proxy.get(article.get_absolute_url())
    assert views_of(article) == 1
