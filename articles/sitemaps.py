"""Sitemaps: /sitemap.xml is an index of the sections below, each paged (see urls.py)."""

import math

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from .models import Article, Category


class PagedSitemap(Sitemap):
    @property
    def limit(self):
        """URLs per page: SITEMAP_PAGE_SIZE, under the protocol's 50,000, pages stay light."""
        return settings.SITEMAP_PAGE_SIZE


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(PagedSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.active()


class PkRangePaginator:
    """Pages of a queryset by ranges of primary key: page n holds the rows whose pk lies
    in ((n - 1) × per_page, n × per_page].

    No OFFSET and no COUNT: a page is one range scan of the primary key index, whatever
    its number, and a row never moves to another page, so that pages cached at different
    times still hold every row exactly once. A page holds at most per_page rows, fewer
    where articles were deleted or are not public.
    """

    def __init__(self, queryset, per_page):
        self.queryset, self.per_page = queryset, per_page

    @cached_property
    def num_pages(self):
        last = self.queryset.aggregate(last=Max("pk"))["last"] or 0
        return max(1, math.ceil(last / self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(number) from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        first = (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gt=first, pk__lte=first + self.per_page).order_by("pk")
        return Page(rows, number, self)


class ArticleSitemap(PagedSitemap):
    changefreq = "weekly"
    priority = 0.8

    @cached_property
    def paginator(self):
        return PkRangePaginator(self.items(), self.limit)

    def items(self):
        # Only what the URL and lastmod need: bodies are long.
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The index would otherwise read every article; the pages carry each one's date.
        return None


SITEMAPS = {"home": HomeSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}
