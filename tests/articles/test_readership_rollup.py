"""The Readership rollup behind "Les plus lus" and the authors' view counts, and the
single-flight cache of the widget."""

import datetime
import json
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import readership, services
from articles.models import Article, DailyViews, Readership
from articles.readership import most_read_list
from articles.tasks import refresh_readership
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

THREADS = 8
# A safety net for the thread hand-offs below: never reached when the code is right.
HAND_OFF_TIMEOUT = 30


def days_ago(n, today=None):
    return (today or timezone.localdate()) - datetime.timedelta(days=n)


def rollup(article):
    row = Readership.objects.get(article=article)
    return row.views, row.recent_views


def counted(article):
    return DailyViews.objects.filter(article=article).aggregate(n=Sum("views"))["n"] or 0


def titles(entries):
    return [entry["title"] for entry in entries]


# Kept as views are counted


def test_counting_adds_to_all_time_and_to_the_seven_days():
    article = ArticleFactory()
    DailyViews.add(article.pk, count=3)
    DailyViews.add(article.pk, day=days_ago(6), count=4)  # the window's first day
    DailyViews.add(article.pk, day=days_ago(7), count=50)  # just outside
    DailyViews.add(article.pk)
    assert rollup(article) == (58, 8)
    assert counted(article) == 58


def test_a_rollup_row_goes_with_its_article():
    article = ArticleFactory()
    DailyViews.add(article.pk)
    article.delete()
    assert not Readership.objects.exists()


# Aged once a day


@pytest.mark.parametrize("batch", [1, 2, 2000])
def test_refresh_moves_the_window_and_keeps_all_time_figures(batch):
    today = timezone.localdate()
    steady, faded, old = ArticleFactory(), ArticleFactory(), ArticleFactory()
    DailyViews.add(steady.pk, day=days_ago(3), count=5)
    DailyViews.add(steady.pk, count=2)
    DailyViews.add(faded.pk, day=days_ago(6), count=3)
    DailyViews.add(old.pk, day=days_ago(20), count=100)
    assert [rollup(a) for a in (steady, faded, old)] == [(7, 7), (3, 3), (100, 0)]

    four_days_on = today + datetime.timedelta(days=4)
    assert Readership.refresh_recent(four_days_on, batch=batch) == 2  # steady and faded
    assert [rollup(a) for a in (steady, faded, old)] == [(7, 2), (3, 0), (100, 0)]
    assert list(Article.objects.published().most_read()) == [steady, old, faded]

    # Days without any refresh: figures from an older window still drop to zero.
    Readership.refresh_recent(today + datetime.timedelta(days=30), batch=batch)
    assert [rollup(a) for a in (steady, faded, old)] == [(7, 0), (3, 0), (100, 0)]
    assert list(Article.objects.published().most_read()) == [old, steady, faded]


def test_refresh_command():
    article = ArticleFactory()
    DailyViews.add(article.pk, day=days_ago(2), count=4)
    Readership.objects.update(recent_views=99)  # as if counted in another window
    out = call_command_output("refresh_readership")
    assert "mises à jour : 1 article." in out
    assert rollup(article) == (4, 4)
    # The day is done: the first "Les plus lus" of the day does not age the rollup again.
    Readership.objects.update(recent_views=99)
    assert readership.refresh_recent_views_once_a_day() is False
    assert rollup(article) == (4, 99)


def call_command_output(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def refreshes(monkeypatch):
    """The days Readership.refresh_recent is asked to age the rollup to (it still does)."""
    asked = []
    real_refresh = Readership.refresh_recent

    def counting_refresh(today=None):
        asked.append(today)
        return real_refresh(today)

    monkeypatch.setattr(Readership, "refresh_recent", counting_refresh)
    return asked


@pytest.fixture
def alpha_and_bravo(settings):
    """Alpha read 5 times today, Bravo 500 times a month ago: Alpha leads the week. Every
    list is stale at once."""
    settings.MOST_READ_CACHE_SECONDS = 0
    hit, classic = ArticleFactory(title="Alpha"), ArticleFactory(title="Bravo")
    DailyViews.add(hit.pk, count=5)
    DailyViews.add(classic.pk, day=days_ago(30), count=500)
    assert titles(most_read_list()) == ["Alpha", "Bravo"]


@pytest.mark.usefixtures("alpha_and_bravo")
def test_the_widget_ages_the_rollup_once_on_a_new_day(refreshes):

    next_week = timezone.localdate() + datetime.timedelta(days=7)
    assert titles(most_read_list(today=next_week)) == ["Bravo", "Alpha"]
    assert titles(most_read_list(today=next_week)) == ["Bravo", "Alpha"]
    assert refreshes == [next_week]


@pytest.mark.usefixtures("alpha_and_bravo")
def test_no_request_ages_the_rollup_a_late_day_is_queued_for_the_worker(settings, refreshes):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    in_a_week = timezone.localdate() + datetime.timedelta(days=7)

    def at(hour, minute):
        return timezone.make_aware(
            datetime.datetime.combine(in_a_week, datetime.time(hour, minute))
        )

    def queued():
        return list(
            DBTaskResult.objects.filter(task_path="articles.tasks.refresh_readership").values_list(
                "args_kwargs", flat=True
            )
        )

    with time_machine.travel(at(0, 5), tick=False):
        # The scheduled job's time (00:02) is just past: the requests leave it the work.
        assert titles(most_read_list()) == ["Alpha", "Bravo"]
    assert (refreshes, queued()) == ([], [])

    with time_machine.travel(at(0, 20), tick=False):
        # The job is late: the request that recomputes the list queues it, once, and
        # serves last week's figures meanwhile.
        assert titles(most_read_list()) == ["Alpha", "Bravo"]
        assert titles(most_read_list()) == ["Alpha", "Bravo"]
        assert refreshes == []
        assert queued() == [{"args": [in_a_week.isoformat()], "kwargs": {}}]

        # The worker runs it; the list follows (Alpha's 5 views are 7 days old now).
        assert refresh_readership.call(in_a_week.isoformat()) is True
        assert refreshes == [in_a_week]
        assert titles(most_read_list()) == ["Bravo", "Alpha"]

        # The scheduled job, come late, finds the day done.
        assert refresh_readership.call() is False
    assert refreshes == [in_a_week]


def test_a_failed_refresh_is_taken_up_by_a_later_request(settings, monkeypatch):
    settings.MOST_READ_CACHE_SECONDS = 0
    real_refresh = Readership.refresh_recent
    attempts = []

    def failing_once(today=None):
        attempts.append(today)
        if len(attempts) == 1:
            raise DatabaseError("connexion perdue")
        return real_refresh(today)

    monkeypatch.setattr(Readership, "refresh_recent", failing_once)
    hit, classic = ArticleFactory(title="Alpha"), ArticleFactory(title="Bravo")
    DailyViews.add(hit.pk, count=5)
    DailyViews.add(classic.pk, day=days_ago(30), count=500)
    most_read_list()
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    assert titles(most_read_list(today=next_week)) == ["Alpha", "Bravo"]  # still served
    assert titles(most_read_list(today=next_week)) == ["Bravo", "Alpha"]
    most_read_list(today=next_week)
    assert attempts == [next_week, next_week]


# Exact under concurrency: the views counted are the views authors see


@pytest.mark.django_db(transaction=True)
def test_rollup_equals_the_counted_views_after_concurrent_counts(client):
    author = UserFactory()
    articles = [ArticleFactory(author=author, title=f"Texte {n}") for n in range(3)]
    yesterday = days_ago(1)
    start = threading.Barrier(THREADS)
    errors = []

    def count(worker):
        try:
            start.wait(timeout=HAND_OFF_TIMEOUT)
            for n in range(30):
                article = articles[(worker + n) % len(articles)]
                DailyViews.add(article.pk, day=yesterday if n % 5 == 0 else None)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(rollup(a)[0] for a in articles) == THREADS * 30
    for article in articles:
        assert rollup(article) == (counted(article), counted(article))

    # What the author is shown: "Mes articles", the data export.
    client.force_login(author)
    shown = {
        a.title: a.total_views
        for a in client.get(reverse("articles:my_articles")).context["articles"]
    }
    assert shown == {a.title: counted(a) for a in articles}
    export = json.loads(client.get(reverse("accounts:data_export")).content)
    assert {a["title"]: a["views"] for a in export["articles"]} == shown


# The widget's cache: one process recomputes, the others serve the previous list


@pytest.mark.django_db(transaction=True)
def test_concurrent_expiry_causes_one_recompute(settings, monkeypatch):
    settings.MOST_READ_CACHE_SECONDS = 0  # the cached list is stale as soon as it is made
    alpha, bravo = ArticleFactory(title="Alpha"), ArticleFactory(title="Bravo")
    DailyViews.add(alpha.pk, count=5)
    previous = most_read_list()
    assert titles(previous) == ["Alpha"]
    DailyViews.add(bravo.pk, count=50)

    recomputes = []
    release = threading.Event()
    real_entries = readership.most_read_entries

    def slow_entries(*args, **kwargs):
        # The recomputing process holds the lock until every other one has been served.
        recomputes.append(threading.current_thread().name)
        release.wait(timeout=HAND_OFF_TIMEOUT)
        return real_entries(*args, **kwargs)

    monkeypatch.setattr(readership, "most_read_entries", slow_entries)
    served = []
    done = threading.Condition()

    def render():
        try:
            entries = most_read_list()
            with done:
                served.append(entries)
                done.notify_all()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=render) for _ in range(THREADS)]
    for t in threads:
        t.start()
    with done:
        assert done.wait_for(lambda: len(served) == THREADS - 1, timeout=HAND_OFF_TIMEOUT)
    release.set()
    for t in threads:
        t.join(timeout=HAND_OFF_TIMEOUT)

    assert len(recomputes) == 1
    assert [titles(e) for e in served[: THREADS - 1]] == [["Alpha"]] * (THREADS - 1)
    assert titles(served[-1]) == ["Bravo", "Alpha"]


@pytest.mark.django_db(transaction=True)
def test_an_unpublished_article_leaves_even_a_list_being_recomputed(monkeypatch):
    alpha, bravo = ArticleFactory(title="Alpha"), ArticleFactory(title="Bravo")
    DailyViews.add(alpha.pk, count=5)
    DailyViews.add(bravo.pk, count=3)
    read, release = threading.Event(), threading.Event()
    real_entries = readership.most_read_entries

    def entries_then_wait(*args, **kwargs):
        entries = real_entries(*args, **kwargs)
        read.set()
        release.wait(timeout=HAND_OFF_TIMEOUT)
        return entries

    monkeypatch.setattr(readership, "most_read_entries", entries_then_wait)
    computed = []

    def render():
        try:
            computed.append(most_read_list())
        finally:
            connections.close_all()

    thread = threading.Thread(target=render)
    thread.start()
    assert read.wait(timeout=HAND_OFF_TIMEOUT)
    services.send_back_to_draft(alpha, by=UserFactory(is_staff=True))  # while it is computed
    release.set()
    thread.join(timeout=HAND_OFF_TIMEOUT)
    assert titles(computed[0]) == ["Alpha", "Bravo"]  # read before the change

    monkeypatch.setattr(readership, "most_read_entries", real_entries)
    assert titles(most_read_list()) == ["Bravo"]


# Filled from the history already counted


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_rollup_from_daily_views():
    before = [("articles", "0003_full_text_search")]
    after = [("articles", "0004_readership")]
    executor = MigrationExecutor(connections["default"])
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    category = old.get_model("articles", "Category").objects.create(name="Santé", slug="sante")
    article = old.get_model("articles", "Article").objects.create(
        title="Lu", slug="lu", category=category, status="published", published_at=timezone.now()
    )
    views = old.get_model("articles", "DailyViews").objects
    views.create(article=article, day=days_ago(0), views=2)
    views.create(article=article, day=days_ago(6), views=3)
    views.create(article=article, day=days_ago(7), views=40)

    executor = MigrationExecutor(connections["default"])
    executor.migrate(after)
    row = executor.loader.project_state(after).apps.get_model("articles", "Readership").objects
    assert list(row.values_list("article_id", "views", "recent_views")) == [(article.pk, 45, 5)]

    executor = MigrationExecutor(connections["default"])
    executor.migrate(executor.loader.graph.leaf_nodes())
