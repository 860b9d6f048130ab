from django import template
from django.core.cache import cache

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
