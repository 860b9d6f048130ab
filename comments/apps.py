from django.apps import AppConfig
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Commentaires")

    def ready(self):
        # Comments build on articles, never the reverse: "Mes articles" shows each
        # article's approved comments because this app adds the figure to that page's
        # query (a subquery: no query more), not because articles counts comments.
        from articles.views import ArticleDetailView, MyArticlesView
        from notrecontinent import pagecache

        from . import remember, threads
        from .models import Comment

        # A reader whose browser remembers their name and e-mail gets an article page
        # rendered for them: a prefilled form is never stored in the page cache.
        pagecache.personal_cookie(remember.COOKIE)

        # The article page answers to the threads' page and to the comment answered.
        ArticleDetailView.add_query_params(threads.PAGE_PARAM, threads.REPLY_PARAM)

        approved = (
            Comment.objects.visible()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        MyArticlesView.add_row_figure("comment_count", Coalesce(Subquery(approved), 0))
