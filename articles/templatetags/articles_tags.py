from django import template
from django.conf import settings
from django.core.cache import cache

from ..models import MOST_READ_CACHE_KEY, NAV_CACHE_KEY, Article, Category

register = template.Library()

# One cached list serves every length of the widget asked for.
MOST_READ_MAX = 10


def most_read_entries(limit=MOST_READ_MAX):
    """Plain values, so the cached list never holds model instances or stale objects."""
    articles = (
        Article.objects.published()
        .most_read(days=7)
        .select_related("category")
        .only("title", "slug", "category__name", "category__slug")[:limit]
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


@register.inclusion_tag("includes/most_read.html")
def most_read(limit=5):
    entries = cache.get_or_set(
        MOST_READ_CACHE_KEY, most_read_entries, settings.MOST_READ_CACHE_SECONDS
    )
    return {"entries": entries[:limit]}


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
