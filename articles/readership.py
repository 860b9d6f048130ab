"""Counting article views for "Les plus lus".

A view is one top-level GET of a published article page by a person. Not counted: bots,
HEAD requests, the article's own author, what the browser says is not a page load
(`Sec-Fetch-Dest` other than `document`; prefetch and prerender, `Sec-Purpose` or
`Purpose`), a repeat by the same visitor within VIEW_REPEAT_WINDOW, and, whatever its
browser strings or cookies, more than VIEWS_PER_ADDRESS views of one article from one
network address within that window (a reader cannot be told apart by what the client says
about itself, only by where it comes from).

Both checks are atomic cache operations (`cache.add`, `cache.incr`), shared by every
worker when the cache is Redis; a counted view costs two upserts in one transaction: the
day's row and the article's Readership rollup (DailyViews.add).
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from notrecontinent.clientaddress import client_address, network

from .models import MOST_READ_CACHE_KEY, MOST_READ_GENERATION_KEY, Article, DailyViews, Readership

logger = logging.getLogger(__name__)

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|bingpreview|facebookexternalhit|embedly|quora link preview|"
    r"whatsapp|telegram|skype|discord|slack|python-requests|python-urllib|curl|wget|httpx|"
    r"aiohttp|go-http-client|java/|okhttp|libwww|scrapy|headless|phantomjs|lighthouse|"
    r"pingdom|uptime|monitor|preview|feed|rss|http_request|apache-httpclient|axios|node-fetch",
    re.IGNORECASE,
)


def is_bot(user_agent):
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def _hashed(value):
    return hashlib.blake2b(value.encode(), digest_size=12).hexdigest()


def visitor_key(request, address):
    if request.user.is_authenticated:
        return _hashed(f"u{request.user.pk}")
    return _hashed("{}|{}".format(address, request.META.get("HTTP_USER_AGENT", "")))


def is_page_load(request):
    """What the browser says of the request: a top-level page load, not a fetch of the page
    as an image or a frame, nor a prefetch or prerender the reader may never see."""
    meta = request.META
    destination = meta.get("HTTP_SEC_FETCH_DEST")
    if destination is not None and destination.strip().lower() != "document":
        return False
    purpose = "{} {} {}".format(
        meta.get("HTTP_SEC_PURPOSE", ""), meta.get("HTTP_PURPOSE", ""), meta.get("HTTP_X_MOZ", "")
    ).lower()
    return "prefetch" not in purpose and "prerender" not in purpose


def _within_address_budget(article_id, address):
    """True while `address` (its /64, for IPv6) has added fewer than VIEWS_PER_ADDRESS
    views of the article in the current window; each call that answers True uses one."""
    key = f"viewed-from:{article_id}:{_hashed(str(network(address)))}"
    limit = settings.VIEWS_PER_ADDRESS
    if cache.add(key, 1, timeout=settings.VIEW_REPEAT_WINDOW):
        return limit >= 1
    try:
        return cache.incr(key) <= limit
    except ValueError:
        # The window ended between the two calls: this view opens a new one.
        return cache.add(key, 1, timeout=settings.VIEW_REPEAT_WINDOW) and limit >= 1


def count_view(request, article):
    """Record one view of `article` if this request is a person's first look in the window."""
    if request.method != "GET" or not article.is_public:
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT", "")) or not is_page_load(request):
        return False
    if request.user.is_authenticated and request.user.pk == article.author_id:
        return False
    address = client_address(request)
    key = f"viewed:{article.pk}:{visitor_key(request, address)}"
    if not cache.add(key, 1, timeout=settings.VIEW_REPEAT_WINDOW):
        return False
    if not _within_address_budget(article.pk, address):
        return False
    DailyViews.add(article.pk)
    return True


# "Les plus lus": the list every page shows, read from the Readership rollup and cached.
#
# The cache holds (fresh_until, generation, entries) for a day; it is fresh for
# MOST_READ_CACHE_SECONDS. When it goes stale, the one process that wins a short lock
# (cache.add) recomputes it, and ages the rollup if the day has changed, while the others
# keep serving the stale list: no stampede, no wait. With no usable list at all (first
# request, or a new generation after an article or a category changed), the process
# computes one: a few rows of one index, cheap.

MOST_READ_MAX = 10  # one cached list serves every length of the widget asked for
MOST_READ_LOCK_KEY = "articles:most-read:lock"
MOST_READ_LOCK_SECONDS = 30
MOST_READ_KEEP_SECONDS = 24 * 60 * 60  # how long a stale list may still be served
REFRESHED_KEY = "articles:readership-refreshed:{day}"
REFRESHING_KEY = "articles:readership-refreshing"
REFRESHING_SECONDS = 5 * 60


def most_read_entries(limit=MOST_READ_MAX):
    """Plain values, so the cached list never holds model instances or stale objects."""
    articles = (
        Article.objects.published()
        .most_read()
        .select_related("category")
        .only("title", "slug", "published_at", "category__name", "category__slug")[:limit]
    )
    return [
        {
            "title": a.title,
            "url": a.get_absolute_url(),
            "category": a.category.name,
            "category_url": a.category.get_absolute_url(),
        }
        for a in articles
    ]


def refresh_recent_views_once_a_day(today=None):
    """Age the rollup's 7-day figures the first time the site asks on a new day.

    One process at a time (a lock that expires, in case the process dies midway); the day
    is marked done only once the refresh has gone through, so an interrupted one is
    taken up again by a later request.
    """
    today = today or timezone.localdate()
    done = REFRESHED_KEY.format(day=today.isoformat())
    if cache.get(done) or not cache.add(REFRESHING_KEY, True, timeout=REFRESHING_SECONDS):
        return False
    try:
        Readership.refresh_recent(today)
        cache.set(done, True, timeout=2 * 24 * 60 * 60)
    finally:
        cache.delete(REFRESHING_KEY)
    return True


def most_read_list(today=None):
    """The "Les plus lus" entries, most read first (MOST_READ_MAX at most)."""
    cached = cache.get_many([MOST_READ_CACHE_KEY, MOST_READ_GENERATION_KEY])
    generation = cached.get(MOST_READ_GENERATION_KEY)
    entry = cached.get(MOST_READ_CACHE_KEY)
    if entry is None or entry[1] != generation:
        # Nothing to serve meanwhile: compute (every process that gets here; it is cheap).
        return _recompute_most_read(generation)
    fresh_until, _generation, entries = entry
    if time.time() < fresh_until:
        return entries
    if not cache.add(MOST_READ_LOCK_KEY, True, timeout=MOST_READ_LOCK_SECONDS):
        return entries  # another process is recomputing it
    try:
        # The one process that recomputes is the one that ages the rollup on a new day.
        try:
            refresh_recent_views_once_a_day(today)
        except DatabaseError:
            # The list from yesterday's figures is still right enough; a later request
            # takes the refresh up again.
            logger.exception("Readership.refresh_recent failed")
        return _recompute_most_read(generation)
    finally:
        cache.delete(MOST_READ_LOCK_KEY)


def _recompute_most_read(generation):
    entries = most_read_entries()
    fresh_until = time.time() + settings.MOST_READ_CACHE_SECONDS
    cache.set(MOST_READ_CACHE_KEY, (fresh_until, generation, entries), MOST_READ_KEEP_SECONDS)
    return entries
