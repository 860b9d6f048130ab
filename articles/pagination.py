"""Article listings paged by keyset: "Articles plus anciens", "Articles plus récents".

A page holds the articles just older (?avant=) or just newer (?apres=) than a cursor, the
(published_at, pk) of the article at the edge of the previous page. The database reads
them off the listing's index from that point: the 5,000th page costs what the first one
costs, and nothing is counted. A cursor reads like `20241004T021000.000000Z_1234`.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from .models import Article

OLDER = "avant"
NEWER = "apres"
# Listings were paged by number once (?page=N): such a link leads to the first page.
LEGACY_PAGE = "page"

CURSOR_FORMAT = "%Y%m%dT%H%M%S.%fZ"
# At most 18 digits: any larger id would overflow the database's integer.
CURSOR_RE = re.compile(r"(\d{8}T\d{6}\.\d{6}Z)_(\d{1,18})", re.ASCII)


@dataclass(frozen=True)
class Cursor:
    published_at: datetime.datetime
    pk: int

    def __str__(self):
        return f"{self.published_at.astimezone(datetime.UTC):{CURSOR_FORMAT}}_{self.pk}"

    @classmethod
    def of(cls, article):
        return cls(article.published_at, article.pk)

    @classmethod
    def parse(cls, value):
        """The cursor a link carries; a malformed one is a bad request, never a 500."""
        match = CURSOR_RE.fullmatch(value)
        if match:
            try:
                moment = datetime.datetime.strptime(match[1], CURSOR_FORMAT)
            except ValueError:  # a 13th month, a 30th of February…
                pass
            else:
                return cls(moment.replace(tzinfo=datetime.UTC), int(match[2]))
        raise BadRequest(gettext("Ce lien vers une page d'articles n'est pas valide."))


@dataclass
class Page:
    articles: list
    older: str | None = None  # cursor of the next page down, when there is one
    newer: str | None = None

    @property
    def is_paginated(self):
        return bool(self.older or self.newer)


class ArticleListView(TemplateView):
    """Published articles, newest first, a page at a time.

    Subclasses narrow the published articles in get_articles(); the template gets them as
    `articles`, and `page` for includes/keyset_pagination.html.
    """

    per_page = 12

    def get_articles(self, articles):
        return articles

    def get(self, request, *args, **kwargs):
        params = request.GET
        if LEGACY_PAGE in params:
            return HttpResponsePermanentRedirect(self._first_page_url())
        if OLDER in params and NEWER in params:
            raise BadRequest(gettext("Ce lien vers une page d'articles n'est pas valide."))
        if OLDER in params:
            page = self._older(Cursor.parse(params[OLDER]))
        elif NEWER in params:
            page = self._newer(Cursor.parse(params[NEWER]))
            if page is None:
                return HttpResponseRedirect(self._first_page_url())
        else:
            page = self._first()
        context = self.get_context_data(articles=page.articles, page=page, **kwargs)
        return self.render_to_response(context)

    def _listing(self, articles):
        return self.get_articles(articles.published()).for_listing()

    def _first(self):
        rows = list(self._listing(Article.objects)[: self.per_page + 1])
        return self._down(rows)

    def _older(self, cursor):
        # older_than() comes first: see ArticleQuerySet.older_than.
        articles = Article.objects.older_than(cursor.published_at, cursor.pk)
        rows = list(self._listing(articles)[: self.per_page + 1])
        # There is at least the cursor's own article above, unless it was forged.
        return self._down(rows, newer=str(Cursor.of(rows[0]) if rows else cursor))

    def _down(self, rows, newer=None):
        page = Page(rows[: self.per_page], newer=newer)
        if len(rows) > self.per_page:
            page.older = str(Cursor.of(page.articles[-1]))
        return page

    def _newer(self, cursor):
        """The page above the cursor; None when it is the first page, which has its own URL."""
        articles = Article.objects.newer_than(cursor.published_at, cursor.pk)
        rows = list(self._listing(articles).reverse()[: self.per_page + 1])
        if len(rows) <= self.per_page:
            return None
        shown = rows[: self.per_page][::-1]
        return Page(shown, older=str(Cursor.of(shown[-1])), newer=str(Cursor.of(shown[0])))

    def _first_page_url(self):
        params = self.request.GET.copy()
        for key in (LEGACY_PAGE, OLDER, NEWER):
            params.pop(key, None)
        query = params.urlencode()
        return f"{self.request.path}?{query}" if query else self.request.path
