"""What an article page tells the places it is shared to: Open Graph and Twitter card
metadata, NewsArticle JSON-LD, and the share links.

Share links are plain links to each network's own share page, carrying the article's
canonical address and title and nothing else: no tracking parameter, no script of
theirs on our pages; nothing reaches a network until the reader follows a link.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .search import plain_text

SITE_NAME = "Notre Continent"
LOCALE = "fr_FR"
DESCRIPTION_LENGTH = 200

# As django.utils.html.json_script: inside <script>, "</script>" or "<!--" in a title must
# not end or change the element, so <, > and & are written as JSON \u escapes.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def description(article):
    """The article's summary, else the start of its text: one line, at most 200 characters."""
    text = " ".join(article.summary.split()) or plain_text(article.body)
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def _iso(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def published_time(article):
    return _iso(article.published_at)


def modified_time(article):
    """The last change readers may see; never before the publication (a date set ahead)."""
    return _iso(max(article.updated_at, article.published_at))


def cover_urls(article, absolute):
    """The cover's renditions, largest first, as absolute URLs; none without a cover."""
    return [absolute(f.url) for f in (article.cover_image, article.cover_thumbnail) if f]


def news_article(article, absolute):
    """schema.org NewsArticle of a published article; `absolute(path)` makes a full URL."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title,
        "description": description(article),
        "datePublished": published_time(article),
        "dateModified": modified_time(article),
        "articleSection": article.category.name,
        "inLanguage": "fr",
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": SITE_NAME,
            "url": absolute("/"),
        },
    }
    authors = []
    if article.author:
        author = article.author
        signature = {
            "@type": "Organization" if author.is_organisation else "Person",
            "name": author.public_name,
        }
        # A suspended account has no public page, as on the byline.
        if author.is_active:
            signature["url"] = absolute(author.get_absolute_url())
        authors.append(signature)
    if article.creator_credit:
        authors.append({"@type": "Person", "name": article.creator_credit})
    if authors:
        data["author"] = authors
    if images := cover_urls(article, absolute):
        data["image"] = images
    return data


def json_ld_script(data):
    """A <script type="application/ld+json"> data block: never run, so the strict
    Content-Security-Policy has nothing to allow, and escaped like json_script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )


@dataclass(frozen=True)
class ShareLink:
    network: str
    text: str  # what the link shows
    label: str  # its accessible name, which contains `text`
    href: str


def share_links(url, title):
    """WhatsApp first (most of our readers share there), then Facebook, X and e-mail."""
    return [
        ShareLink(
            "whatsapp",
            "WhatsApp",
            _("Partager sur WhatsApp"),
            "https://wa.me/?" + urlencode({"text": f"{title} {url}"}, quote_via=quote),
        ),
        ShareLink(
            "facebook",
            "Facebook",
            _("Partager sur Facebook"),
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote),
        ),
        ShareLink(
            "x",
            "X",
            _("Partager sur X"),
            "https://x.com/intent/tweet?" + urlencode({"text": title, "url": url}, quote_via=quote),
        ),
        ShareLink(
            "email",
            _("E-mail"),
            _("Envoyer par e-mail"),
            # RFC 6068: percent-encoded, spaces as %20, line breaks as CRLF.
            "mailto:?"
            + urlencode({"subject": title, "body": f"{title}\r\n\r\n{url}"}, quote_via=quote),
        ),
    ]
