"""Counting article views for "Les plus lus".

A view is one GET of a published article page by a person. Bots, HEAD requests, the
article's own author and a repeat by the same visitor within VIEW_REPEAT_WINDOW are not
counted. The repeat check is an atomic `cache.add`, shared by every worker when the
cache is Redis; a counted view costs one upsert of the day's row.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache

from notrecontinent.clientaddress import client_address

from .models import DailyViews

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|bingpreview|facebookexternalhit|embedly|quora link preview|"
    r"whatsapp|telegram|skype|discord|slack|python-requests|python-urllib|curl|wget|httpx|"
    r"aiohttp|go-http-client|java/|okhttp|libwww|scrapy|headless|phantomjs|lighthouse|"
    r"pingdom|uptime|monitor|preview|feed|rss|http_request|apache-httpclient|axios|node-fetch",
    re.IGNORECASE,
)


def is_bot(user_agent):
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def visitor_key(request):
    if request.user.is_authenticated:
        who = f"u{request.user.pk}"
    else:
        who = "{}|{}".format(client_address(request), request.META.get("HTTP_USER_AGENT", ""))
    return hashlib.blake2b(who.encode(), digest_size=12).hexdigest()


def count_view(request, article):
    """Record one view of `article` if this request is a person's first look in the window."""
    if request.method != "GET" or not article.is_public:
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if request.user.is_authenticated and request.user.pk == article.author_id:
        return False
    key = f"viewed:{article.pk}:{visitor_key(request)}"
    if not cache.add(key, 1, timeout=settings.VIEW_REPEAT_WINDOW):
        return False
    DailyViews.add(article.pk)
    return True
