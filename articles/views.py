from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Category
from .readership import count_view

HOME_LATEST = 8
HOME_PER_CATEGORY = 3


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        lead = published.order_by("-is_featured", "-published_at", "-pk").first()
        latest = list(published.exclude(pk=getattr(lead, "pk", None))[:HOME_LATEST])
        return super().get_context_data(
            lead=lead,
            latest=latest,
            sections=self._sections(exclude={a.pk for a in latest} | {getattr(lead, "pk", None)}),
            **kwargs,
        )

    def _sections(self, exclude):
        """The latest articles of each active category, in two queries whatever their number."""
        categories = list(Category.objects.active())
        ranked = (
            Article.objects.published()
            .for_listing()
            .filter(category__in=categories)
            .exclude(pk__in=exclude)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=F("category"), order_by=F("published_at").desc()
                )
            )
            .filter(rank__lte=HOME_PER_CATEGORY)
        )
        by_category = {c.pk: [] for c in categories}
        for article in ranked:
            by_category[article.category_id].append(article)
        return [(c, by_category[c.pk]) for c in categories if by_category[c.pk]]


class CategoryView(ListView):
    template_name = "articles/category_detail.html"
    context_object_name = "articles"
    paginate_by = 12

    def get_queryset(self):
        self.category = get_object_or_404(Category.objects.active(), slug=self.kwargs["slug"])
        return Article.objects.published().in_category(self.category).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return Article.objects.published().select_related("category", "author")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        count_view(request, self.object)
        return response
