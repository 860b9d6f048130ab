"""With Redis as the cache, counted views wait in a Redis buffer and are moved into the
database in batches (articles.readership.flush_views): exactly once, none lost under
concurrency, none added twice when a flush dies midway."""

import datetime
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles import readership
from articles.models import Article, DailyViews, Readership, ViewBatch
from articles.readership import flush_views
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture(autouse=True)
def redis_buffer(settings):
    """The buffer needs Redis: these tests run where the suite's cache is Redis (CI's
    PostgreSQL pass), and are skipped on the local-memory cache."""
    if readership._redis() is None:
        pytest.skip("the view buffer needs Redis as the cache (REDIS_URL)")
    settings.VIEW_FLUSH_SECONDS = 2


def read(article, n):
    return Client(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250 + 1}", HTTP_USER_AGENT=BROWSER).get(
        article.get_absolute_url()
    )


def in_database(article):
    days = sum(DailyViews.objects.filter(article=article).values_list("views", flat=True))
    rollup = Readership.objects.filter(article=article).values_list("views", flat=True).first()
    return days, rollup or 0


def not_due():
    """As if another process had just flushed, and "Les plus lus" (whose recomputation
    flushes first) were fresh: the next views stay in the buffer."""
    readership.most_read_list()
    cache.set(readership.FLUSH_DUE_KEY, True, timeout=60)


def test_a_counted_view_costs_no_query_and_waits_in_the_buffer(django_assert_num_queries, rf):
    article = ArticleFactory()
    not_due()
    request = rf.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    request.user = UserFactory()
    with django_assert_num_queries(0):
        assert readership.count_view(request, article) is True
    assert in_database(article) == (0, 0)
    assert flush_views() == 1
    assert in_database(article) == (1, 1)
    assert flush_views() == 0
    assert in_database(article) == (1, 1)


def test_the_flush_comes_on_its_own_while_readers_come(settings):
    article = ArticleFactory()
    readership.most_read_list()  # fresh: its recomputation would flush too
    cache.delete(readership.FLUSH_DUE_KEY)
    read(article, 1)  # the first view of a quiet site flushes at once
    assert in_database(article) == (1, 1)


def test_figures_shown_to_authors_and_moderators_include_the_buffer(client, admin_client):
    article = ArticleFactory()
    not_due()
    for n in range(7):
        read(article, n)
    assert in_database(article) == (0, 0)
    client.force_login(article.author)
    rows = client.get(reverse("articles:my_articles")).context["object_list"]
    assert [a.total_views for a in rows] == [7]
    for n in range(7, 10):
        read(article, n)
    listing = admin_client.get(reverse("admin:articles_article_changelist"))
    assert [a.total_views for a in listing.context["cl"].result_list] == [10]


def test_a_batch_applied_by_a_flush_that_died_is_not_added_again():
    article = ArticleFactory()
    not_due()
    for n in range(3):
        read(article, n)
    # A flush takes the buffer and commits its batch, then dies before deleting it.
    redis = readership._redis()
    redis.eval(
        readership.TAKE_BUFFERS,
        2,
        cache.make_key(readership.BUFFER_DAYS_KEY),
        cache.make_key(readership.BATCHES_KEY),
        cache.make_key(readership.BUFFER_KEY),
        cache.make_key(readership.BATCH_PREFIX),
        "died",
    )
    [batch] = [b.decode() for b in redis.smembers(cache.make_key(readership.BATCHES_KEY))]
    name = batch[len(cache.make_key(readership.BATCH_PREFIX)) :]
    ViewBatch.objects.create(name=name)
    DailyViews.add(article.pk, count=3)
    # Views counted meanwhile go to a new buffer.
    read(article, 3)
    assert flush_views() == 1
    assert in_database(article) == (4, 4)
    assert not redis.exists(batch)


def test_a_batch_left_by_a_flush_that_died_before_its_commit_is_added_once():
    article = ArticleFactory()
    not_due()
    for n in range(3):
        read(article, n)
    redis = readership._redis()
    redis.eval(
        readership.TAKE_BUFFERS,
        2,
        cache.make_key(readership.BUFFER_DAYS_KEY),
        cache.make_key(readership.BATCHES_KEY),
        cache.make_key(readership.BUFFER_KEY),
        cache.make_key(readership.BATCH_PREFIX),
        "died-early",
    )
    assert flush_views() == 3
    assert flush_views() == 0
    assert in_database(article) == (3, 3)


def test_views_of_an_article_deleted_before_the_flush_are_dropped_and_others_kept():
    kept, gone = ArticleFactory(), ArticleFactory()
    not_due()
    read(kept, 1)
    read(gone, 2)
    Article.objects.filter(pk=gone.pk).delete()
    assert flush_views() == 1
    assert in_database(kept) == (1, 1)


def test_views_buffered_yesterday_are_yesterdays(time_machine):
    article = ArticleFactory()
    not_due()
    late = readership.timezone.localtime().replace(hour=23, minute=59)
    time_machine.move_to(late, tick=False)
    yesterday = readership.timezone.localdate()
    read(article, 1)
    time_machine.move_to(late + datetime.timedelta(hours=12), tick=False)
    read(article, 2)
    flush_views()
    days = dict(DailyViews.objects.filter(article=article).values_list("day", "views"))
    assert days == {yesterday: 1, yesterday + datetime.timedelta(days=1): 1}


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_and_flushes_lose_and_double_nothing():
    article = ArticleFactory()
    threads, per_thread = 6, 25
    start = threading.Barrier(threads + 1)
    errors = []
    done = threading.Event()

    def readers(thread_no):
        try:
            start.wait()
            for n in range(per_thread):
                assert read(article, thread_no * 100 + n).status_code == 200
        except Exception as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def flusher():
        try:
            start.wait()
            while not done.is_set():
                flush_views()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=readers, args=(i,)) for i in range(threads)]
    flushing = threading.Thread(target=flusher)
    for worker in [*workers, flushing]:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    done.set()
    flushing.join(timeout=120)
    flush_views()
    assert not errors, errors
    assert in_database(article) == (threads * per_thread, threads * per_thread)


def take_buffers(token):
    readership._redis().eval(
        readership.TAKE_BUFFERS,
        2,
        cache.make_key(readership.BUFFER_DAYS_KEY),
        cache.make_key(readership.BATCHES_KEY),
        cache.make_key(readership.BUFFER_KEY),
        cache.make_key(readership.BATCH_PREFIX),
        token,
    )


def test_a_backlog_left_by_a_database_outage_is_applied_in_steps_and_exactly():
    article = ArticleFactory()
    not_due()
    for n in range(7):  # seven failed flushes, each leaving a batch of one view
        read(article, n)
        take_buffers(f"outage{n}")
    read(article, 7)  # and one view still in the buffer
    # A reader's request applies a few batches, and takes no new buffer meanwhile.
    assert flush_views(wait=False) == readership.BATCHES_PER_READER_FLUSH
    assert flush_views(wait=False) == 2
    assert in_database(article) == (7, 7)
    # Once no batch is left, the buffer goes too.
    assert flush_views(wait=False) == 1
    assert in_database(article) == (8, 8)


def test_a_flush_for_the_figures_goes_through_the_backlog_and_the_buffer():
    article = ArticleFactory()
    not_due()
    for n in range(7):
        read(article, n)
        take_buffers(f"outage{n}")
    read(article, 7)
    assert flush_views() == 8
    assert in_database(article) == (8, 8)


def test_a_flush_that_finds_the_lock_taken_shows_what_the_database_has(client):
    article = ArticleFactory()
    not_due()
    read(article, 1)
    readership._redis().set(cache.make_key(readership.FLUSH_LOCK_KEY), "another", ex=60)
    assert flush_views(wait=False) == 0
    client.force_login(article.author)
    response = client.get(reverse("articles:my_articles"))  # waits 5 s, then shows
    assert response.status_code == 200
    assert [a.total_views for a in response.context["object_list"]] == [0]
    readership._redis().delete(cache.make_key(readership.FLUSH_LOCK_KEY))
    assert flush_views() == 1
