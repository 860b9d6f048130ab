"""manage.py generate_dataset, at a small size, on whichever database the suite runs on."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from accounts.models import User
from articles.management.commands._demo_content import CATEGORIES
from articles.models import Article, Category, DailyViews
from articles.sanitizer import clean_html
from comments.models import MAX_DEPTH, Comment
from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 15)
DAYS = 10


def generate(seed=3, articles=60, comments=900):
    stderr = io.StringIO()
    call_command(
        "generate_dataset",
        articles=articles,
        comments=comments,
        days=DAYS,
        seed=seed,
        today=TODAY,
        stdout=io.StringIO(),
        stderr=stderr,
    )
    return stderr.getvalue()


def snapshot():
    """What the same seed must reproduce: content and counts, not database ids."""
    return {
        "articles": list(
            Article.objects.order_by("pk").values_list(
                "title", "slug", "summary", "body", "status", "published_at", "category__slug"
            )
        ),
        "views": list(
            DailyViews.objects.order_by("article__pk", "day").values_list(
                "article__slug", "day", "views"
            )
        ),
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "article__slug", "depth", "status", "name", "body", "created_at"
            )
        ),
        "reports": Report.objects.count(),
    }


def test_small_dataset_keeps_every_invariant():
    progress = generate()
    assert "Articles" in progress and "100 %" in progress

    articles = Article.objects.all()
    assert articles.count() == 60
    assert articles.values("slug").distinct().count() == 60
    for article in articles:
        assert clean_html(article.body) == article.body
        assert len(article.body) > 2500
        assert article.title and article.summary and len(article.summary) <= 500
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert not published.filter(published_at__isnull=True).exists()
    assert Article.objects.published().count() == published.count()
    assert Article.objects.filter(status=Article.Status.SUBMITTED).exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert Article.objects.filter(status=Article.Status.REJECTED).exclude(rejection_reason="")

    # The search index follows the bulk load: an article's own title finds it.
    article = published.order_by("pk").first()
    assert article.pk in {a.pk for a in Article.objects.published().search(article.title)[:50]}

    # Every category of the site, and authors of every account kind.
    assert {slug for _, slug, _ in CATEGORIES} <= set(
        Category.objects.values_list("slug", flat=True)
    )
    assert Category.objects.filter(articles__isnull=True).count() == 0
    assert set(
        User.objects.filter(articles__isnull=False).values_list("account_kind", flat=True)
    ) == {kind for kind, _ in User.Kind.choices}

    # Views: within the window, never before publication, only for published articles;
    # a power law: a tenth of the articles hold most of the views.
    first_day = TODAY - datetime.timedelta(days=DAYS - 1)
    views = DailyViews.objects.all()
    assert views.filter(day__lt=first_day).count() == views.filter(day__gt=TODAY).count() == 0
    assert not views.exclude(article__status=Article.Status.PUBLISHED).exists()
    assert not views.filter(day__lt=F("article__published_at__date")).exists()
    # Every published article is read every day since its publication.
    assert set(views.values_list("article", flat=True)) == set(
        published.values_list("pk", flat=True)
    )
    totals = sorted(
        published.annotate(total=Sum("daily_views__views")).values_list("total", flat=True),
        key=lambda total: total or 0,
        reverse=True,
    )
    top = totals[: len(totals) // 10]
    assert sum(top) > sum(t or 0 for t in totals) / 2
    # The rollup "Les plus lus" and the authors read agrees with the day rows.
    first_in_week = TODAY - datetime.timedelta(days=6)
    for article in published.annotate(
        total=Sum("daily_views__views"),
        week=Sum("daily_views__views", filter=Q(daily_views__day__gte=first_in_week)),
    ).select_related("readership"):
        assert (article.readership.views, article.readership.recent_views) == (
            article.total,
            article.week or 0,
        )

    # Comments: threads three deep, depth coherent with the parent, on one article.
    comments = Comment.objects.all()
    assert comments.count() == 900
    assert not comments.filter(parent__isnull=True).exclude(depth=1).exists()
    assert not comments.filter(parent__isnull=False, depth=1).exists()
    replies = comments.filter(parent__isnull=False).select_related("parent", "reply_to")
    for reply in replies:
        assert reply.parent.article_id == reply.article_id == reply.reply_to.article_id
        assert reply.depth == min(reply.parent.depth + 1, MAX_DEPTH)
        assert reply.reply_to.status == Comment.Status.APPROVED
    assert set(comments.values_list("depth", flat=True)) == {1, 2, 3}
    statuses = dict(comments.values_list("status").annotate(n=Count("pk")))
    assert statuses[Comment.Status.APPROVED] > 0.8 * 900
    assert statuses[Comment.Status.PENDING] and statuses[Comment.Status.SPAM]
    assert not comments.exclude(article__status=Article.Status.PUBLISHED).exists()
    assert not comments.filter(created_at__lt=F("article__published_at")).exists()
    # One thread draws a crowd.
    largest = comments.values("article").annotate(n=Count("pk")).order_by("-n")[0]["n"]
    assert largest >= 900 // 5
    assert Report.objects.filter(comment__isnull=False).exists()
    assert Report.objects.filter(article__isnull=False).exists()

    # The ids continue where the generator stopped: the site can still create rows.
    last = max(comments.values_list("pk", flat=True))
    assert CommentFactory(article=ArticleFactory()).pk > last


def test_same_seed_same_data():
    generate(seed=7)
    first = snapshot()
    # Everything the articles own goes with them; categories and authors are reused.
    Article.objects.all().delete()
    generate(seed=7)
    assert snapshot() == first


def test_another_seed_other_data():
    generate(seed=7)
    first = snapshot()
    Article.objects.all().delete()
    generate(seed=8)
    second = snapshot()
    assert [a[0] for a in first["articles"]] != [a[0] for a in second["articles"]]
    assert [a[1] for a in first["articles"]] != [a[1] for a in second["articles"]]
    assert first["views"] != second["views"]
    assert first["comments"] != second["comments"]


def test_running_again_adds_without_breaking_uniqueness():
    existing = ArticleFactory(title="Un article déjà là")
    generate(seed=4, articles=30, comments=200)
    generate(seed=4, articles=30, comments=200)
    assert Article.objects.count() == 61
    assert Article.objects.values("slug").distinct().count() == 61
    assert Comment.objects.count() == 400
    assert Article.objects.filter(pk=existing.pk, title="Un article déjà là").exists()
    # Authors and categories are reused, not duplicated.
    assert User.objects.filter(username__startswith="auteur-").count() == 4
    assert Category.objects.count() == len(CATEGORIES) + 1


@pytest.mark.parametrize(
    "options",
    [{"articles": -1}, {"comments": -5}, {"days": 0}, {"articles": 5, "comments": 10}],
)
def test_bad_arguments_are_refused_in_french(options):
    with pytest.raises(CommandError, match="doit|Il faut|doivent"):
        call_command("generate_dataset", **{"articles": 60, "comments": 0, **options})
    assert not Article.objects.exists()


def test_a_bad_date_is_refused_in_french():
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("generate_dataset", "--today=demain", "--articles=20", "--comments=0")
