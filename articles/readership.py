"""Counting article views for "Les plus lus".

A view is one top-level GET of a published article page by a person. Not counted: bots,
HEAD requests, the article's own author, what the browser says is not a page load
(`Sec-Fetch-Dest` other than `document`; prefetch and prerender, `Sec-Purpose` or
`Purpose`), a repeat by the same visitor within VIEW_REPEAT_WINDOW, and, whatever its
browser strings or cookies, more than VIEWS_PER_ADDRESS views of one article from one
network address within that window (a reader cannot be told apart by what the client says
about itself, only by where it comes from).

Both checks are atomic cache operations (`cache.add`, `cache.incr`), shared by every
worker when the cache is Redis. A counted view is then recorded:
- with Redis as the cache, in a buffer there (one round trip: HINCRBY of the day's hash),
  moved into the database in batches by `flush_views()`, at most every
  VIEW_FLUSH_SECONDS, by whichever request comes, and before anything shows view figures;
- otherwise, straight into the database: two upserts in one transaction, the day's row
  and the article's Readership rollup (DailyViews.add).
"""

import datetime
import hashlib
import logging
import re
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from redis.exceptions import RedisError

from notrecontinent.clientaddress import client_address, network

from .models import (
    MOST_READ_CACHE_KEY,
    MOST_READ_GENERATION_KEY,
    Article,
    DailyViews,
    Readership,
    ViewBatch,
)

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


def _within_address_budget(key):
    """True while the address (its /64, for IPv6) has added fewer than VIEWS_PER_ADDRESS
    views of the article in the current window; each call that answers True uses one."""
    limit = settings.VIEWS_PER_ADDRESS
    if cache.add(key, 1, timeout=settings.VIEW_REPEAT_WINDOW):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between the two calls: this view opens a new one.
        return cache.add(key, 1, timeout=settings.VIEW_REPEAT_WINDOW) and limit >= 1
    # None: the cache went away between the two calls (Redis restarting), and a view that
    # cannot be checked is not counted.
    return count is not None and count <= limit


def count_view(request, article):
    """Record one view of `article` if this request is a person's first look in the window."""
    if request.method != "GET" or not article.is_public:
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT", "")) or not is_page_load(request):
        return False
    if request.user.is_authenticated and request.user.pk == article.author_id:
        return False
    address = client_address(request)
    seen_key = f"viewed:{article.pk}:{visitor_key(request, address)}"
    budget_key = f"viewed-from:{article.pk}:{_hashed(str(network(address)))}"
    redis = _redis() if settings.VIEW_FLUSH_SECONDS > 0 else None
    if redis is not None:
        return _count_in_redis(redis, article.pk, seen_key, budget_key)
    if not cache.add(seen_key, 1, timeout=settings.VIEW_REPEAT_WINDOW):
        return False
    if not _within_address_budget(budget_key):
        return False
    DailyViews.add(article.pk)
    return True


# Recording views -------------------------------------------------------------------------
#
# With Redis, the same rules as above and the record of a counted view take one round
# trip: a script sets the visitor's key, spends one of the address's views, adds one to
# the article in the buffer of its day (a hash of article id to views), and says whether
# a flush is due. flush_views() moves the buffers into the database, exactly once:
# 1. a Lua script renames each day's buffer to a batch of a unique name and lists it among
#    the batches to apply (atomic: a view counted meanwhile lands in a new buffer);
# 2. each listed batch, including any left by a flush that died, is added to DailyViews
#    and Readership in one transaction that also records its name (ViewBatch, unique);
# 3. only then is the batch deleted from Redis. A batch whose name is already recorded
#    was applied by a flush that died before step 3: it is deleted without being added.
# What the buffer holds is lost if Redis loses its data before a flush: at most
# VIEW_FLUSH_SECONDS of views, while readers keep coming.

BUFFER_KEY = "views:buffer:"  # + the day
BUFFER_DAYS_KEY = "views:buffer-days"
BATCHES_KEY = "views:batches"
BATCH_PREFIX = "views:batch:"
FLUSH_LOCK_KEY = "views:flush-lock"
FLUSH_DUE_KEY = "views:flush-due"
BATCH_NAMES_KEPT = datetime.timedelta(days=2)

TAKE_BUFFERS = """
local taken = {}
for _, day in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local buffer = ARGV[1] .. day
  if redis.call('EXISTS', buffer) == 1 then
    local batch = ARGV[2] .. day .. ':' .. ARGV[3]
    redis.call('RENAME', buffer, batch)
    redis.call('SADD', KEYS[2], batch)
    table.insert(taken, batch)
  end
  redis.call('SREM', KEYS[1], day)
end
return taken
"""

COUNT_VIEW = """
if not redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) then return -1 end
local used = redis.call('INCR', KEYS[2])
if used == 1 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
if used > tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
redis.call('SADD', KEYS[4], ARGV[4])
if redis.call('SET', KEYS[5], 1, 'NX', 'EX', ARGV[5]) then return 2 end
return 1
"""
_scripts = {}
# What the Redis client raises while Redis is down, restarting, loading its data, out of
# memory or read-only: the cache itself (django-redis, IGNORE_EXCEPTIONS) fails soft then,
# and so do these calls.
REDIS_AWAY = (RedisError,)
RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# A reader's request that finds a backlog (after a database outage) applies this many
# batches at most; the rest go with the next flushes and the scheduled one.
BATCHES_PER_READER_FLUSH = 5


def _redis():
    """The Redis client behind the default cache (django-redis), or None."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client else None


def buffered():
    return settings.VIEW_FLUSH_SECONDS > 0 and _redis() is not None


def _count_in_redis(redis, article_id, seen_key, budget_key):
    script = _scripts.get(redis)
    if script is None:
        script = _scripts[redis] = redis.register_script(COUNT_VIEW)
    day = timezone.localdate().isoformat()
    try:
        outcome = _run_count_script(script, seen_key, budget_key, article_id, day)
    except REDIS_AWAY:
        # Redis is away (restarting): a view that cannot be checked is not counted.
        logger.exception("count_view: Redis unavailable")
        return False
    if outcome == 2:  # no process has flushed for VIEW_FLUSH_SECONDS: this one does
        try:
            flush_views(wait=False)
        except DatabaseError:
            # The batch stays in Redis; the next flush adds it.
            logger.exception("flush_views failed")
    return outcome > 0


def _run_count_script(script, seen_key, budget_key, article_id, day):
    return script(
        keys=[
            cache.make_key(seen_key),
            cache.make_key(budget_key),
            cache.make_key(BUFFER_KEY + day),
            cache.make_key(BUFFER_DAYS_KEY),
            cache.make_key(FLUSH_DUE_KEY),
        ],
        args=[
            settings.VIEW_REPEAT_WINDOW,
            settings.VIEWS_PER_ADDRESS,
            article_id,
            day,
            settings.VIEW_FLUSH_SECONDS,
        ],
    )


def flush_views(wait=True):
    """Move the buffered views into the database; return how many were added.

    A no-op without the Redis buffer. Called before any view figure is shown, so that
    what authors and moderators see is every view counted so far: it then waits for a
    flush under way to finish. A reader's request (`wait=False`) does not wait.
    """
    redis = _redis() if settings.VIEW_FLUSH_SECONDS > 0 else None
    if redis is None:
        return 0
    # Call it outside any transaction: each batch is deleted from Redis once its own
    # transaction commits, and an outer one rolled back would lose it.
    try:
        return _flush(redis, wait)
    except REDIS_AWAY:
        # Redis is away (restarting): the buffers wait there for the next flush, and a batch
        # already added is known by its name (ViewBatch), never added twice.
        logger.exception("flush_views: Redis unavailable")
        return 0


def _flush(redis, wait):
    if not redis.smembers(cache.make_key(BUFFER_DAYS_KEY)) and not redis.scard(
        cache.make_key(BATCHES_KEY)
    ):
        return 0
    lock = cache.make_key(FLUSH_LOCK_KEY)
    token = secrets.token_hex(8)
    # A flush at a time (one that died releases the lock after 60 s).
    for _attempt in range(100 if wait else 1):
        if redis.set(lock, token, nx=True, ex=60):
            break
        if wait:
            time.sleep(0.05)
    else:
        if wait:
            # A long flush (a backlog) holds the lock: show the figures the database has.
            logger.warning("flush_views: another flush has held the lock for 5 s")
        return 0
    try:
        # Batches left by a failed flush (the database away) go first; the buffers are
        # taken only once none is left, so that an outage leaves one batch, not one per
        # try. A reader's request applies a few; a flush that waits goes through them all,
        # then takes the buffers.
        added = 0
        for _round in range(2 if wait else 1):
            if not redis.scard(cache.make_key(BATCHES_KEY)):
                redis.eval(
                    TAKE_BUFFERS,
                    2,
                    cache.make_key(BUFFER_DAYS_KEY),
                    cache.make_key(BATCHES_KEY),
                    cache.make_key(BUFFER_KEY),
                    cache.make_key(BATCH_PREFIX),
                    secrets.token_hex(8),
                )
            batches = sorted(b.decode() for b in redis.smembers(cache.make_key(BATCHES_KEY)))
            for batch in batches if wait else batches[:BATCHES_PER_READER_FLUSH]:
                added += _apply_batch(redis, batch)
        ViewBatch.objects.filter(applied_at__lt=timezone.now() - BATCH_NAMES_KEPT).delete()
        return added
    finally:
        redis.eval(RELEASE_LOCK, 1, lock, token)


def _apply_batch(redis, batch):
    name = batch[len(cache.make_key(BATCH_PREFIX)) :]  # "<day>:<token>"
    day = datetime.date.fromisoformat(name.partition(":")[0])
    counts = {int(k): int(v) for k, v in redis.hgetall(batch).items() if int(v) > 0}
    added = 0
    try:
        with transaction.atomic():
            ViewBatch.objects.create(name=name)
            existing = Article.objects.filter(pk__in=counts).values_list("pk", flat=True)
            for article_id in sorted(existing):  # the same order in every transaction
                DailyViews.add(article_id, day=day, count=counts[article_id])
                added += counts[article_id]
    except IntegrityError:
        if not ViewBatch.objects.filter(name=name).exists():
            raise
        added = 0  # applied by a flush that died before it could delete the batch
    redis.delete(batch)
    redis.srem(cache.make_key(BATCHES_KEY), batch)
    return added


# "Les plus lus": the list every page shows, read from the Readership rollup and cached.
#
# The cache holds (fresh_until, generation, entries) for a day; it is fresh for
# MOST_READ_CACHE_SECONDS. When it goes stale, the one process that wins a short lock
# (cache.add) recomputes it, and asks the task worker to age the rollup if the scheduled
# job is late on a new day, while the others keep serving the stale list: no stampede, no
# wait. With no usable list at all (first
# request, or a new generation after an article or a category changed), the process
# computes one: a few rows of one index, cheap.

MOST_READ_MAX = 10  # one cached list serves every length of the widget asked for
MOST_READ_LOCK_KEY = "articles:most-read:lock"
MOST_READ_LOCK_SECONDS = 30
MOST_READ_KEEP_SECONDS = 24 * 60 * 60  # how long a stale list may still be served
REFRESHED_KEY = "articles:readership-refreshed:{day}"
REFRESHING_KEY = "articles:readership-refreshing"
REFRESHING_SECONDS = 5 * 60
QUEUED_KEY = "articles:readership-queued:{day}"
QUEUED_SECONDS = 30 * 60
# The scheduled job (articles.tasks.refresh_readership) ages the rollup at 00:02. Past
# this time of day with the day not done, the job is late (no scheduler running): the
# request that recomputes "Les plus lus" queues it for the task worker. No request ever
# does the work itself (16 s at 100,000 articles); meanwhile the list keeps yesterday's
# 7-day figures.
LEFT_TO_THE_SCHEDULER_UNTIL = datetime.time(0, 15)


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
    """Age the rollup's 7-day figures to `today`'s window unless that is done: the
    scheduled job's way, and the task queued when the job is late (returns whether it ran).

    One process at a time (a lock that expires, in case the process dies midway); the day
    is marked done only once the refresh has gone through, so an interrupted one is
    taken up again.
    """
    today = today or timezone.localdate()
    done = REFRESHED_KEY.format(day=today.isoformat())
    if cache.get(done) or not cache.add(REFRESHING_KEY, True, timeout=REFRESHING_SECONDS):
        return False
    try:
        refresh_recent_views(today)
    finally:
        cache.delete(REFRESHING_KEY)
    return True


def queue_late_refresh(today=None):
    """Queue the day's ageing for the task worker when the scheduled job is late (see
    LEFT_TO_THE_SCHEDULER_UNTIL); once per QUEUED_SECONDS at most (returns whether queued).
    The task clears the mark when it starts, so a failed one is queued again."""
    from .tasks import refresh_readership  # the tasks module builds on this one

    now = timezone.localtime()
    today = today or now.date()
    if today == now.date() and now.time() < LEFT_TO_THE_SCHEDULER_UNTIL:
        return False
    day = today.isoformat()
    if cache.get(REFRESHED_KEY.format(day=day)):
        return False
    if not cache.add(QUEUED_KEY.format(day=day), True, timeout=QUEUED_SECONDS):
        return False
    refresh_readership.enqueue(day)
    return True


def refresh_recent_views(today=None):
    """Age the rollup's 7-day figures to today's window, and say the day is done, so that
    no request does it again (the scheduled job's way; returns the rows changed)."""
    today = today or timezone.localdate()
    flush_views()
    changed = Readership.refresh_recent(today)
    cache.set(REFRESHED_KEY.format(day=today.isoformat()), True, timeout=2 * 24 * 60 * 60)
    return changed


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
        # The one process that recomputes is the one that asks for a late day's ageing.
        try:
            queue_late_refresh(today)
        except DatabaseError:
            # The list from yesterday's figures is still right enough; a later request
            # asks again.
            logger.exception("the readership refresh could not be queued")
        return _recompute_most_read(generation)
    finally:
        cache.delete(MOST_READ_LOCK_KEY)


def _recompute_most_read(generation):
    try:
        flush_views(wait=False)
    except DatabaseError:
        logger.exception("flush_views failed")
    entries = most_read_entries()
    fresh_until = time.time() + settings.MOST_READ_CACHE_SECONDS
    cache.set(MOST_READ_CACHE_KEY, (fresh_until, generation, entries), MOST_READ_KEEP_SECONDS)
    return entries
