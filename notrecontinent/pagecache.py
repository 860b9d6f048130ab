"""Whole pages cached for anonymous readers; what belongs to one reader is done per request.

Who is served from the cache: a GET or HEAD with no session cookie, no message
waiting (Django's `messages` cookie) and no other personal cookie (`personal_cookie()`:
the comment form's « Se souvenir de moi »), asking for a page with no query parameter other
than the page's own (`?avant=`, `?commentaires=`…). Everyone else — a signed-in user, a
reader whose session remembers a comment awaiting moderation — gets a page rendered for
them, and that page is never stored. A page is stored only if rendering it left no trace
of a person: no cookie set, nothing written to the session, no message, no CSP nonce.

What stays per request, cached page or not:
- the page's side effects: the view (`on_hit`, called on every page served from the
  cache, does what the view would have done besides rendering: count the view);
- its secrets: the CSRF token and the values a template asks for through
  `per_request()` (the comment form's single-use token) are rendered as placeholders,
  and every response gets fresh values in their place (`get_token` also sets the
  reader's CSRF cookie, so the form posts without a 403).

Responses say `Cache-Control: private, no-cache` and `Vary: Cookie`: no shared cache
(proxy, CDN) may keep a page, since each carries its reader's tokens.

Headers: a stored page keeps, besides its type, those that describe it and are the same
for every reader (`CONTENT_HEADERS`: a feed's `Last-Modified`, which lets a crawler ask
`If-Modified-Since`, a sitemap's `X-Robots-Tag`). Every other header is each response's
own, made for it as for a page rendered: cookies, CSP, `Vary`, `Cache-Control`.

Invalidation: a stored page carries the version stamps it was rendered under, the
site's (any public page) and, for an article page, the article's, and is served only
while they are current (they are read in the same round trip as the page). The services
that change what readers see bump them once their transaction commits: `changed_site()`
(an article published, edited, taken offline…) and `changed_article(slug)` (a comment
shown or hidden). A stamp is a random string, not a counter: a stamp lost from the cache
starts a new generation, and can never bring back pages of an old one. What no service
announces (a profile's display name, a category renamed, "Les plus lus") shows within
PAGE_CACHE_SECONDS.

Expiry: after PAGE_CACHE_SECONDS one process renders the page again while the others
keep serving the previous copy for up to PAGE_CACHE_STALE_SECONDS: an expiry never
makes every worker render at once.
"""

import functools
import hashlib
import re
import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from .compression import accepts_gzip, deflate, gzip_join, inflate, stored

STAMP_SECONDS = 24 * 60 * 60
RENEWAL_SECONDS = 30
MESSAGES_COOKIE = "messages"
MAX_PARAM_LENGTH = 40
# Cookies that, like the session's, make a page personal: their reader gets a page
# rendered for them, never stored. An app adds its own (personal_cookie) when it is ready.
PERSONAL_COOKIES = {MESSAGES_COOKIE}
# What a stored page keeps of its headers. Not what says who may keep it and how long
# (Cache-Control, Expires, Vary), nor cookies. No ETag either: no view here sets one, and
# a strong one names bytes that the copies gzipped here (`_deliver`) do not keep.
CONTENT_HEADERS = ("Content-Disposition", "Content-Language", "Last-Modified", "X-Robots-Tag")


def personal_cookie(name):
    """Readers who send this cookie get pages rendered for them (the cookie fills in
    something of theirs, such as the comment form's name and e-mail)."""
    PERSONAL_COOKIES.add(name)


def placeholder(name):
    """What stands for a per-request value in a stored page: unguessable, so that no
    text of a reader or an author can ever be mistaken for it."""
    return "nc" + salted_hmac("notrecontinent.pagecache", name, algorithm="sha256").hexdigest()[:30]


# Invalidation -------------------------------------------------------------------------


def _stamp_key(scope):
    return f"pagecache:stamp:{scope}"


def _bump(*scopes):
    def bump():
        cache.set_many({_stamp_key(s): secrets.token_hex(8) for s in scopes}, STAMP_SECONDS)

    # Once committed: a page rendered from the old data then carries the old stamp.
    transaction.on_commit(bump)


def changed_site():
    """Every public page may have changed: listings, article pages, feeds."""
    _bump("site")


def changed_article(slug):
    """An article's page has changed, and nothing else (its comments)."""
    _bump(f"article:{slug}")


def _current_stamp(key):
    # Two processes may start a generation together: the first one's stamp holds.
    cache.add(key, secrets.token_hex(8), STAMP_SECONDS)
    return cache.get(key)


# Serving ------------------------------------------------------------------------------


def _is_anonymous_reader(request, params):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or any(
        name in request.COOKIES for name in PERSONAL_COOKIES
    ):
        return False
    return all(
        name in params and len(values) == 1 and len(values[0]) <= MAX_PARAM_LENGTH
        for name, values in request.GET.lists()
    )


def _page_key(request):
    query = urlencode(sorted(request.GET.items()))
    where = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "pagecache:page:" + hashlib.blake2b(where.encode(), digest_size=16).hexdigest()


def _lookup(request, scopes):
    """The page's key, the stamps it must carry now, and the copy the cache holds if it
    carries them: one round trip to the cache."""
    key = _page_key(request)
    stamp_keys = [_stamp_key(scope) for scope in scopes]
    found = cache.get_many([key, *stamp_keys])
    stamps = [found.get(k) or _current_stamp(k) for k in stamp_keys]
    if None in stamps:
        return None, None, None
    stamp = "-".join(stamps)
    entry = found.get(key)
    return key, stamp, entry if entry is not None and entry["stamp"] == stamp else None


def _leaves_no_trace(request, response):
    """Rendering this page for this reader touched nothing personal: it may be shared."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not (session is not None and session.modified)
        and not len(messages.get_messages(request))
        and not get_nonce(request)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


# Per-request values --------------------------------------------------------------------

CSRF = "csrf"


def per_request(request, maker, *args):
    """A value every response must make anew, such as a single-use form token.

    On a page being rendered for the cache this returns a placeholder, and each response
    gets `maker(*args)` in its place; otherwise it returns `maker(*args)` itself. `maker`
    is the dotted path of a function, `args` plain values: both are kept with the page.
    """
    deferred = getattr(request, "pagecache_deferred", None)
    if deferred is None:
        return import_string(maker)(*args)
    mark = placeholder(f"{maker}{args!r}")
    deferred[mark] = (maker, args)
    return mark


@functools.cache
def _function(path):
    return import_string(path)


def _values(request):
    """The values of this response, made once each: a mark found twice gets one value."""
    made = {}

    def value(mark, maker, args):
        if mark not in made:
            # The CSRF token is masked anew for each response, and get_token() sets the
            # reader's cookie when it has none.
            made[mark] = str(get_token(request) if maker == CSRF else _function(maker)(*args))
        return made[mark].encode()

    return value


def _pieces(content, deferred):
    """The page cut at its placeholders: deflated text, and the placeholders between."""
    marks = [mark for mark in deferred if mark.encode() in content]
    if not marks:
        return [deflate(content)]
    pattern = re.compile(b"|".join(re.escape(mark.encode()) for mark in marks))
    pieces, position = [], 0
    for found in pattern.finditer(content):
        pieces += [deflate(content[position : found.start()]), found.group().decode()]
        position = found.end()
    return [*pieces, deflate(content[position:])]


def _content_headers(response):
    return {name: response[name] for name in CONTENT_HEADERS if response.has_header(name)}


def _with_values(request, content, deferred):
    """A page just rendered, with this request's values in place of its placeholders."""
    value = _values(request)
    for mark, (maker, args) in deferred.items():
        # Only where the page has one: a page without a form sets no CSRF cookie.
        if mark.encode() in content:
            content = content.replace(mark.encode(), value(mark, maker, args))
    return content


def _deliver(request, entry):
    """A stored page with this request's values in place: gzip when the reader takes it."""
    value = _values(request)
    deferred = entry["deferred"]
    parts = [
        stored(value(piece, *deferred[piece])) if isinstance(piece, str) else piece
        for piece in entry["pieces"]
    ]
    content_type = entry["content_type"]
    # A rolling deploy shares the cache: a page stored by code that kept no headers is
    # served without them until it expires (and that code ignores the ones kept here).
    headers = entry.get("headers", {})
    if accepts_gzip(request):
        response = HttpResponse(gzip_join(parts), content_type=content_type, headers=headers)
        response["Content-Encoding"] = "gzip"
    else:
        content = b"".join(inflate(p) for p in parts)
        response = HttpResponse(content, content_type=content_type, headers=headers)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _personal(response):
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def cache_for_readers(*, params=(), scopes=None, describe=None, on_hit=None):
    """Decorate a view, to serve anonymous readers from the cache.

    The view returns a TemplateResponse (rendered here, with per-request values in
    placeholders) or a plain response (a feed, a sitemap), stored as it is.

    params: the query parameters the page understands (any other bypasses the cache); a
    set may grow once the apps are ready (another app's part of the page adds its own);
    scopes(**view_kwargs): the stamps of the page besides the site's (`article:<slug>`);
    describe(response): what `on_hit` needs of the page, kept with it (plain values: the
    article's id, not the article);
    on_hit(request, meta): the view's own work besides rendering, for a page served from
    the cache.
    Per-request values: the CSRF token always; others through `per_request()`.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            key = stamp = entry = None
            if settings.PAGE_CACHE_SECONDS > 0 and _is_anonymous_reader(request, params):
                extra = scopes(**kwargs) if scopes else ()
                key, stamp, entry = _lookup(request, ["site", *extra])
            if entry:
                fresh = entry["fresh_until"] > time.time()
                if fresh or not cache.add(f"{key}:renewing", 1, RENEWAL_SECONDS):
                    if on_hit:
                        on_hit(request, entry["meta"])
                    return _personal(_deliver(request, entry))
            request.pagecache_deferred = {}
            try:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                deferred = {}
                if hasattr(response, "render") and not response.is_rendered:
                    csrf = placeholder("csrf_token")
                    response.context_data = {**(response.context_data or {}), "csrf_token": csrf}
                    response.render()
                    deferred[csrf] = (CSRF, ())
                deferred.update(request.pagecache_deferred)
            finally:
                del request.pagecache_deferred
            meta = describe(response) if describe else {}
            if key and _leaves_no_trace(request, response):
                cache.set(
                    key,
                    {
                        "pieces": _pieces(response.content, deferred),
                        "deferred": deferred,
                        "content_type": response["Content-Type"],
                        "headers": _content_headers(response),
                        "meta": meta,
                        "stamp": stamp,
                        "fresh_until": time.time() + settings.PAGE_CACHE_SECONDS,
                    },
                    settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_STALE_SECONDS,
                )
                cache.delete(f"{key}:renewing")
            response.content = _with_values(request, response.content, deferred)
            return _personal(response)

        return wrapped

    return decorator
