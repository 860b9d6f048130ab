"""Sitemaps: /sitemap.xml is an index of the sections below, each paged (see urls.py).

URLs and their last change only: search engines ignore changefreq and priority.
"""

import math

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import Max
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.functional import cached_property

from .models import Article, Category


class PagedSitemap(Sitemap):
    @property
    def limit(self):
        """URLs per page: SITEMAP_PAGE_SIZE, under the protocol's 50,000, pages stay light."""
        return settings.SITEMAP_PAGE_SIZE


class HomeSitemap(Sitemap):
    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(PagedSitemap):
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
    """Every published article, by ranges of primary key, with the day it last changed.

    A page of SITEMAP_PAGE_SIZE URLs is made in a fraction of a second, then cached (urls.py):
    rows are (slug, day) tuples read from the primary key index, the URL is put together
    without resolving it each time, and the template is the leanest one.
    """

    def items(self):
        return Article.objects.published().values_list("slug", TruncDate("updated_at"))

    @cached_property
    def paginator(self):
        return PkRangePaginator(self.items(), self.limit)

    @cached_property
    def _url(self):
        # reverse() once: "/articles/-/" → ("/articles/", "/"), the slug goes in between.
        before, _dash, after = reverse("articles:detail", kwargs={"slug": "-"}).rpartition("-")
        return before, after

    def location(self, item):
        before, after = self._url
        return f"{before}{item[0]}{after}"

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        # The index would otherwise read every article; each page carries its articles' days.
        return None


SITEMAPS = {"home": HomeSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}
