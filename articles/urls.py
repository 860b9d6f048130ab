from django.conf import settings
from django.contrib.sitemaps import views as sitemaps
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.generic import TemplateView
from django.views.i18n import JavaScriptCatalog

from notrecontinent.pagecache import cache_for_readers

from . import views
from .feeds import CategoryFeed, LatestArticlesFeed
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("categorie/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    # Feeds and sitemaps are kept whole for anonymous readers, like pages (pagecache).
    path("categorie/<slug:slug>/flux/", cache_for_readers()(CategoryFeed()), name="category_feed"),
    path("recherche/", views.SearchView.as_view(), name="search"),
    path("flux/", cache_for_readers()(LatestArticlesFeed()), name="feed"),
    # The index lists every page of every section; each page is cached under its own URL
    # (cache_page keys on the query string: ?p=2), and kept compressed by the page cache.
    path(
        "sitemap.xml",
        cache_for_readers()(cache_page(settings.SITEMAP_CACHE_SECONDS)(sitemaps.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_for_readers(params={"p"})(
            cache_page(settings.SITEMAP_CACHE_SECONDS)(sitemaps.sitemap)
        ),
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap_section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("contribuer/", views.MyArticlesView.as_view(), name="my_articles"),
    path("contribuer/nouveau/", views.ArticleCreateView.as_view(), name="create"),
    path("contribuer/<int:pk>/modifier/", views.ArticleUpdateView.as_view(), name="edit"),
    path("contribuer/<int:pk>/apercu/", views.ArticlePreviewView.as_view(), name="preview"),
    path("contribuer/<int:pk>/soumettre/", views.submit_article, name="submit"),
    path("contribuer/<int:pk>/retirer/", views.withdraw_article, name="withdraw"),
    path("contribuer/<int:pk>/corriger/", views.CorrectionView.as_view(), name="correct"),
    path(
        "contribuer/<int:pk>/corriger/retirer/",
        views.withdraw_correction,
        name="withdraw_correction",
    ),
    path("contribuer/<int:pk>/supprimer/", views.ArticleDeleteView.as_view(), name="delete"),
    # The editor's dialogs, in French.
    path(
        "contribuer/jsi18n/",
        cache_page(60 * 60)(JavaScriptCatalog.as_view(packages=["django_prose_editor"])),
        name="jsi18n",
    ),
]
