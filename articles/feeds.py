import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Article, Category

FEED_SIZE = 20

# Characters XML 1.0 cannot carry at all. A text typed with one (a vertical tab pasted
# into a title) still reaches the feed, without it: Django's feed writer would refuse the
# whole feed, and a reader's parser the document.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value):
    """A plain-text field as an XML element carries it: the XML writer escapes it once."""
    return NOT_XML.sub("", str(value))


class LatestArticlesFeed(Feed):
    """RSS 2.0. An item's <description> is HTML to feed readers (the one element the
    specification lets carry HTML, and where readers render it): the summary, plain text,
    is escaped into it, so readers show its "<" as text. Every other element is plain text
    (title, category, author), written as such."""

    title = _("Notre Continent — derniers articles")
    description = _("Les derniers articles publiés sur Notre Continent, le journal citoyen.")

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return text(item.title)

    def item_description(self, item):
        return escape(text(item.summary))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return text(item.byline_name)

    def item_categories(self, item):
        return [text(item.category.name)]


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category.objects.active(), slug=slug)

    def title(self, obj):
        return _("Notre Continent — %(category)s") % {"category": text(obj.name)}

    def description(self, obj):
        return _("Les derniers articles publiés dans la rubrique %(category)s.") % {
            "category": text(obj.name)
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return Article.objects.published().in_category(obj).for_listing()[:FEED_SIZE]
