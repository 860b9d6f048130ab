from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Category


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.active()


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        # Only what the URL and lastmod need: bodies can be long.
        return (
            Article.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"home": HomeSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}
