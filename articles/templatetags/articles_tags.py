from django import template
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from .. import sharing
from ..models import NAV_CACHE_KEY, Article, ArticleVersion, Category
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
    request = context.get("request")
    current, kind = _current_section(context, request)
    match = getattr(request, "resolver_match", None)
    return {
        "categories": categories,
        "current": current,
        "current_kind": kind,
        "current_name": next((c["name"] for c in categories if c["slug"] == current), ""),
        "home_url": reverse("articles:home"),
        "home_name": gettext("Accueil"),
        "is_home": match is not None and match.view_name == "articles:home",
    }


def _current_section(context, request):
    """The slug of the section the page belongs to, and its aria-current value: "page" on
    the section's own page, "true" on one of its articles (its page, or its page again
    after a comment post, under the article's URL); (None, None) elsewhere."""
    category = context.get("category")
    if isinstance(category, Category):
        return category.slug, "page"
    article = context.get("article")
    if (
        isinstance(article, Article)
        and article.category_id
        and request is not None
        and request.path.startswith(article.get_absolute_url())
    ):
        return article.category.slug, "true"
    return None, None


@register.inclusion_tag("admin/articles/waiting.html")
def articles_waiting():
    """The moderators' dashboard lines: how many articles, and how many corrections of
    published articles, wait for review."""
    return {
        "count": Article.objects.awaiting_review().count(),
        "status": Article.Status.SUBMITTED,
        "corrections": ArticleVersion.objects.waiting_corrections().count(),
    }


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
