"""The bench's look inside the database it measures, run as a separate process.

`python -m tests.bench.probe <command>` with the same environment (DATABASE_URL,
REDIS_URL, CACHE_KEY_PREFIX) as the gunicorn under test; it prints one line of JSON.
Nothing here is timed: it prepares the S database, finds the pages to measure, counts
the SQL queries each page makes (Django's test client and CaptureQueriesContext against
the same database and cache) and reads view counts, so that the bench can check that
every counted request was counted.

Commands:
  prepare-s   give one demo article 2,000 approved comments (threads of three)
  targets     the URLs to measure and the words to search
  queries     stdin: JSON list of {"name", "path", "reader"}; SQL queries per page
  views SLUG  the views counted for an article, all days
"""

import json
import math
import os
import re
import sys
from collections import Counter
from urllib.parse import urlsplit

BUSY_COMMENTS = 2000
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
WORD = re.compile(r"[^\W\d_]{6,}")


def setup_django():
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "notrecontinent.settings")
    import django

    django.setup()


def prepare_s():
    """One demo article gets 2,000+ approved comments, so S has a busy thread too."""
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from articles.models import Article
    from comments.models import Comment

    article = (
        Article.objects.published()
        .annotate(n=Count("comments"))
        .order_by("-n", "-published_at", "-pk")
        .first()
    )
    already = Comment.objects.visible().on_article(article).count()
    threads = math.ceil(max(BUSY_COMMENTS - already, 0) / 3)
    start = timezone.now() - timezone.timedelta(days=3)

    def make(parent, i, level):
        comment = Comment(
            article=article,
            name=f"Lecteur {i}",
            email=f"lecteur{i}@example.org",
            body=(
                f"Commentaire {i} au niveau {level} : merci pour cet article, "
                "la situation décrite ressemble à celle de notre région."
            ),
            status=Comment.Status.APPROVED,
            created_at=start + timezone.timedelta(seconds=60 * i + level),
        )
        comment.attach_to(parent)
        return comment

    with transaction.atomic():
        roots = Comment.objects.bulk_create(make(None, i, 1) for i in range(threads))
        replies = Comment.objects.bulk_create(make(p, i, 2) for i, p in enumerate(roots))
        Comment.objects.bulk_create(make(p, i, 3) for i, p in enumerate(replies))
    return {"article": article.slug, "comments": already + 3 * threads}


def _first_ok(client, paths):
    for path in paths:
        if path and client.get(path).status_code == 200:
            return path
    return None


def _keyset_last_page(published, category):
    """The last page of a listing paged by keyset (articles.pagination), if it is."""
    try:
        from articles.pagination import OLDER, Cursor
        from articles.views import CategoryView
    except ImportError:
        return None
    per_page = getattr(CategoryView, "per_page", 12)
    edge = (
        published.filter(category=category).order_by("published_at", "pk")[per_page : per_page + 1]
    ).first()
    if edge is None:
        return None
    return f"{category.get_absolute_url()}?{OLDER}={Cursor.of(edge)}"


def _sitemap_page(client):
    """The index's largest section page, or None when /sitemap.xml is not an index."""
    body = client.get("/sitemap.xml").content.decode()
    if "<sitemapindex" not in body:
        return None
    locs = re.findall(r"<loc>([^<]+)</loc>", body)
    articles = [loc for loc in locs if "article" in loc] or locs
    if not articles:
        return None
    url = urlsplit(articles[0].replace("&amp;", "&"))
    return url.path + (f"?{url.query}" if url.query else "")


def _words():
    """The words most and least found in titles and summaries."""
    from articles.models import Article

    frequency = Counter()
    for title, summary in (
        Article.objects.published().values_list("title", "summary").iterator(chunk_size=5000)
    ):
        frequency.update({w.casefold() for w in WORD.findall(f"{title} {summary}")})
    common = os.environ.get("BENCH_COMMON_WORD") or frequency.most_common(1)[0][0]
    # The least frequent word (generated text draws on a small vocabulary: maybe not once).
    rare = os.environ.get("BENCH_RARE_WORD") or min(
        frequency, key=lambda w: (frequency[w], -len(w), w)
    )
    return common, rare


def targets():
    from django.db.models import Count, Exists, OuterRef
    from django.test import Client

    from articles.models import Article, Category
    from articles.views import CategoryView
    from comments.models import Comment

    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT=BROWSER)
    published = Article.objects.published()
    category = Category.objects.active().annotate(n=Count("articles")).order_by("-n", "pk").first()
    in_category = published.filter(category=category).count()
    per_page = getattr(CategoryView, "paginate_by", None) or getattr(CategoryView, "per_page", 12)
    last_page = max(1, math.ceil(in_category / per_page))
    category_url = category.get_absolute_url()
    # The last page; if the site caps how deep a numbered listing goes, the deepest it serves.
    numbered = [f"{category_url}?page={n}" for n in sorted({last_page, 100, 50, 2}, reverse=True)]
    deep = _first_ok(client, [_keyset_last_page(published, category), *numbered])
    empty = (
        published.filter(~Exists(Comment.objects.filter(article=OuterRef("pk"))))
        .order_by("-published_at", "-pk")
        .first()
    )
    busiest = (
        Comment.objects.visible()
        .values("article")
        .annotate(n=Count("pk"))
        .order_by("-n", "article")
        .first()
    )
    busy = published.get(pk=busiest["article"])
    common, rare = _words()
    return {
        "category": category_url,
        "category_articles": in_category,
        "category_deep": deep,
        "article_empty": empty.get_absolute_url(),
        "article_busy": busy.get_absolute_url(),
        "article_busy_comments": busiest["n"],
        "common_word": common,
        "rare_word": rare,
        "sitemap_page": _sitemap_page(client),
        "articles": published.count(),
        "comments": Comment.objects.count(),
    }


def queries(pages):
    """SQL queries of each page: the first request (cold caches) and the next (warm)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for n, page in enumerate(pages):
        results = []
        for attempt in range(2):
            reader = page["reader"]
            agent = BROWSER if reader == "same" else f"{BROWSER} probe-{os.getpid()}-{n}-{attempt}"
            client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT=agent)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page["path"], HTTP_X_FORWARDED_FOR=f"192.0.2.{n % 250 + 1}")
            results.append(len(captured) if response.status_code == 200 else None)
        counts[page["name"]] = results
    return counts


def views(slug):
    from articles.models import Article
    from articles.readership import flush_views

    flush_views()
    return {"views": Article.objects.filter(slug=slug).with_view_totals().get().total_views}


def main(argv):
    setup_django()
    command = argv[0]
    if command == "prepare-s":
        result = prepare_s()
    elif command == "targets":
        result = targets()
    elif command == "queries":
        result = queries(json.load(sys.stdin))
    elif command == "views":
        result = views(argv[1])
    else:
        raise SystemExit(f"commande inconnue : {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
