from django import template
from django.core.cache import cache

from .. import sharing
from ..models import NAV_CACHE_KEY, Article, Category
from ..readership import most_read_list

register = template.Library()


@register.inclusion_tag("includes/most_read.html")
def most_read(limit=5):
    return {"entries": most_read_list()[:limit]}


@register.inclusion_tag("includes/category_nav.html", takes_context=True)
def category_nav(context):
    categories = cache.get_or_set(
        NAV_CACHE_KEY,
        lambda: [
            {"name": c.name, "slug": c.slug, "url": c.get_absolute_url()}
            for c in Category.objects.active()
        ],
        300,
    )
    return {"categories": categories, "current": context.get("current_category_slug")}


@register.inclusion_tag("admin/articles/waiting.html")
def articles_waiting():
    """The moderators' dashboard line: how many articles wait for review."""
    return {"count": Article.objects.awaiting_review().count(), "status": Article.Status.SUBMITTED}


# An article page's sharing: what it tells the sites it is shared to, and its share links.
# Addresses are absolute, on the host the page was asked for (as the page cache keys it).


@register.filter
def article_description(article):
    return sharing.description(article)


@register.inclusion_tag("articles/article_meta.html", takes_context=True)
def article_meta(context, article):
    absolute = context["request"].build_absolute_uri
    images = sharing.cover_urls(article, absolute)
    return {
        "article": article,
        "url": absolute(article.get_absolute_url()),
        "site_name": sharing.SITE_NAME,
        "locale": sharing.LOCALE,
        "description": sharing.description(article),
        "published_time": sharing.published_time(article),
        "modified_time": sharing.modified_time(article),
        "image": images[0] if images else "",
        "json_ld": sharing.json_ld_script(sharing.news_article(article, absolute)),
    }


@register.inclusion_tag("articles/share_links.html", takes_context=True)
def share_links(context, article):
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return {"url": url, "links": sharing.share_links(url, article.title)}
