from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Article, Category

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    title = _("Notre Continent — derniers articles")
    description = _("Les derniers articles publiés sur Notre Continent, le journal citoyen.")

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.byline_name)

    def item_categories(self, item):
        return [item.category.name]


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category.objects.active(), slug=slug)

    def title(self, obj):
        return _("Notre Continent — %(category)s") % {"category": obj.name}

    def description(self, obj):
        return _("Les derniers articles publiés dans la rubrique %(category)s.") % {
            "category": obj.name
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return Article.objects.published().in_category(obj).for_listing()[:FEED_SIZE]
