from allauth.core import ratelimit
from allauth.core.exceptions import RateLimited
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)

from notrecontinent import pagecache

from . import services
from .forms import EDITOR_CSP, ArticleForm, CorrectionForm
from .models import Article, ArticleVersion, Category
from .pagination import NEWER, OLDER, ArticleListView
from .readership import count_view, flush_views

HOME_LATEST = 8
HOME_PER_CATEGORY = 3


@method_decorator(pagecache.cache_for_readers(), name="get")
class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        # The lead is the newest featured article, else the newest one: two short reads of
        # two indexes rather than one sort of every published article by "featured".
        featured = published.filter(is_featured=True).first()
        newest = list(published[: HOME_LATEST + 1])
        lead = featured or (newest[0] if newest else None)
        latest = [a for a in newest if a != lead][:HOME_LATEST]
        shown = {a.pk for a in latest} | ({lead.pk} if lead else set())
        return super().get_context_data(
            lead=lead, latest=latest, sections=self._sections(exclude=shown), **kwargs
        )

    def _sections(self, exclude):
        """The latest articles of each active category, in two queries whatever their number.

        Each category row carries the ids of its HOME_PER_CATEGORY newest articles, each one
        a LIMIT 1 read of the category's listing index: the cost does not grow with the
        archive, as ranking every article of every category would.
        """
        newest = (
            Article.objects.published()
            .in_category(OuterRef("pk"))
            .exclude(pk__in=exclude)
            .order_by("-published_at", "-pk")
            .values("pk")
        )
        slots = [f"newest_{i}" for i in range(HOME_PER_CATEGORY)]
        categories = Category.objects.active().annotate(
            **{slot: Subquery(newest[i : i + 1]) for i, slot in enumerate(slots)}
        )
        picks = [(c, [getattr(c, slot) for slot in slots]) for c in categories]
        ids = {pk for _, pks in picks for pk in pks if pk is not None}
        articles = Article.objects.for_listing().order_by().in_bulk(ids)
        sections = [(c, [articles[pk] for pk in pks if pk in articles]) for c, pks in picks]
        return [(c, shown) for c, shown in sections if shown]


@method_decorator(pagecache.cache_for_readers(params=(OLDER, NEWER)), name="get")
class CategoryView(ArticleListView):
    template_name = "articles/category_detail.html"

    def get_articles(self, articles):
        self.category = get_object_or_404(Category.objects.active(), slug=self.kwargs["slug"])
        return articles.in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


def _article_for_counting(response):
    article = response.context_data["object"]
    return {
        "pk": article.pk,
        "author_id": article.author_id,
        "status": article.status,
        "published_at": article.published_at,
    }


def _count_cached_view(request, meta):
    # The same rule as an uncached page: count_view decides, before the page is served.
    count_view(request, Article(**meta))


# Query parameters of an article page; the apps that add to the page add theirs (the
# comments: their page, the comment answered) through ArticleDetailView.add_query_params.
ARTICLE_PAGE_PARAMS = set()


@method_decorator(
    pagecache.cache_for_readers(
        params=ARTICLE_PAGE_PARAMS,
        scopes=lambda slug: [f"article:{slug}"],
        describe=_article_for_counting,
        on_hit=_count_cached_view,
    ),
    name="get",
)
class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"

    @staticmethod
    def add_query_params(*names):
        ARTICLE_PAGE_PARAMS.update(names)

    def get_queryset(self):
        return Article.objects.published().select_related("category", "author")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        count_view(request, self.object)
        return response


@method_decorator(pagecache.cache_for_readers(params={"q", "page"}), name="get")
class SearchView(ListView):
    """Published articles matching ?q=, best first; an empty query shows the form only."""

    template_name = "articles/article_search.html"
    context_object_name = "articles"
    paginate_by = 12

    def get_queryset(self):
        self.results = Article.objects.published().search(self.request.GET.get("q", ""))
        return self.results

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search_query=self.results.query.text, results=self.results, **kwargs
        )


# The contributor space: a citizen's own articles. Another citizen's article is a 404.


class ContributorMixin(LoginRequiredMixin):
    def get_queryset(self):
        return Article.objects.by_author(self.request.user).select_related("category")


# The number of an article's waiting correction, for its row in "Mes articles".
WAITING_CORRECTION = (
    ArticleVersion.objects.under_review()
    .filter(article=OuterRef("pk"), kind=ArticleVersion.Kind.CORRECTION)
    .values("number")
)


class MyArticlesView(ContributorMixin, ListView):
    """My articles with their status and figures, in a fixed number of queries."""

    template_name = "articles/my_articles.html"
    context_object_name = "articles"
    paginate_by = 20
    # Figures that apps built on articles add to each row (comments: comment_count), each
    # an expression over the article computed in the page's one query. They register them
    # from their AppConfig.ready(), so that articles imports none of those apps.
    row_figures = {}

    @classmethod
    def add_row_figure(cls, name, expression):
        """Annotate each article of the page with `expression` (OuterRef("pk") is the article)."""
        cls.row_figures = {**cls.row_figures, name: expression}

    def get_queryset(self):
        flush_views()  # the figures shown are every view counted so far
        return (
            super()
            .get_queryset()
            .with_view_totals()
            .annotate(
                **self.row_figures, waiting_correction_number=Subquery(WAITING_CORRECTION[:1])
            )
            .defer("body")
            .order_by("-updated_at", "-pk")
        )


@method_decorator(csp_override(EDITOR_CSP), name="dispatch")
class ArticleCreateView(LoginRequiredMixin, CreateView):
    model = Article
    form_class = ArticleForm
    template_name = "articles/article_form.html"

    @transaction.atomic  # a replaced cover's files go once the new ones are committed
    def form_valid(self, form):
        form.instance.author = self.request.user
        self.object = form.save()
        return _after_save(self.request, self.object)


@method_decorator(csp_override(EDITOR_CSP), name="dispatch")
class ArticleUpdateView(ContributorMixin, UpdateView):
    """Authors edit drafts and refused articles; the page explains why the others are locked."""

    form_class = ArticleForm
    template_name = "articles/article_form.html"

    @transaction.atomic  # a replaced cover's files go once the new ones are committed
    def form_valid(self, form):
        if not self.object.is_editable_by_author:
            messages.error(self.request, gettext("Cet article ne peut pas être modifié."))
            return redirect("articles:edit", pk=self.object.pk)
        self.object = form.save()
        return _after_save(self.request, self.object)


def _after_save(request, article):
    """Where the form's buttons lead: keep writing, preview, or send for review."""
    action = request.POST.get("action")
    if action == "submit":
        return _submit(request, article)
    if action == "preview":
        return redirect("articles:preview", pk=article.pk)
    messages.success(request, gettext("Brouillon enregistré."))
    return redirect("articles:edit", pk=article.pk)


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(LoginRequiredMixin, DetailView):
    """An unpublished article as it will look, for its author and the moderators only."""

    template_name = "articles/article_preview.html"

    def get_queryset(self):
        articles = Article.objects.select_related("category", "author")
        if self.request.user.has_perm("articles.moderate_article"):
            return articles
        return articles.by_author(self.request.user)

    def get_context_data(self, **kwargs):
        # The number moderators find again on the publication's confirmation page.
        version = self.object.version_under_review() if self.object.is_submitted else None
        return super().get_context_data(version_under_review=version, **kwargs)


@login_required
@require_POST
def submit_article(request, pk):
    return _submit(request, get_object_or_404(Article.objects.by_author(request.user), pk=pk))


def _submit(request, article):
    """Submit, within the author's budget of submissions (settings.ACCOUNT_RATE_LIMITS):
    only a submission that is made counts, and one over the budget is undone, the text
    kept as it was saved."""
    try:
        with transaction.atomic():
            services.submit(article)
            if not ratelimit.consume(request, action="submit_article", user=request.user):
                raise RateLimited
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("articles:edit", pk=article.pk)
    except RateLimited:
        article.refresh_from_db()
        return render(
            request, "articles/article_submit_limited.html", {"article": article}, status=429
        )
    messages.success(
        request,
        gettext(
            "Votre article est envoyé à l'équipe de modération. "
            "Vous recevrez un e-mail dès qu'il aura été relu."
        ),
    )
    return redirect("articles:my_articles")


@login_required
@require_POST
def withdraw_article(request, pk):
    article = get_object_or_404(Article.objects.by_author(request.user), pk=pk)
    try:
        services.withdraw(article)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Votre article est retiré de la relecture : il redevient un brouillon."),
        )
    return redirect("articles:my_articles")


class ArticleDeleteView(ContributorMixin, DeleteView):
    template_name = "articles/article_confirm_delete.html"
    success_url = reverse_lazy("articles:my_articles")

    def form_valid(self, form):
        if not self.object.is_deletable_by_author:
            messages.error(self.request, gettext("Cet article ne peut pas être supprimé."))
            return redirect(reverse("articles:my_articles"))
        services.delete(self.object)
        messages.success(
            self.request,
            gettext("L'article « %(title)s » est supprimé.") % {"title": self.object.title},
        )
        return redirect(self.success_url)


# Corrections of a published article: the author proposes, changes or withdraws one; the
# page stays as it is until a moderator decides (articles.services).


@method_decorator(csp_override(EDITOR_CSP), name="dispatch")
class CorrectionView(LoginRequiredMixin, FormView):
    """ "Proposer une correction": the form, prefilled with the live text or with the
    correction that waits; another citizen's article is a 404."""

    form_class = CorrectionForm
    template_name = "articles/article_correction_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.article = get_object_or_404(
            Article.objects.by_author(request.user).select_related("category"), pk=kwargs["pk"]
        )
        if not self.article.is_correctable_by_author:
            messages.error(request, gettext("Seul un article publié peut être corrigé."))
            return redirect("articles:my_articles")
        self.waiting = self.article.waiting_correction()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        source = self.waiting or self.article
        proposal = Article(
            category=self.article.category,
            **{name: getattr(source, name) for name in ArticleVersion.TEXT_FIELDS},
        )
        return {**super().get_form_kwargs(), "instance": proposal}

    def get_initial(self):
        if self.waiting is None:
            return {"replaces": ""}
        return {
            "replaces": self.waiting.number,
            "note": self.waiting.author_note,
            "is_factual": self.waiting.is_factual,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(article=self.article, waiting=self.waiting, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data.get("cover_image")
        cover = False if upload is False else upload if isinstance(upload, UploadedFile) else None
        try:
            # Within the author's budget of texts sent for review (the submissions'): only a
            # proposal that is made counts, and one over the budget is undone.
            with transaction.atomic():
                version = services.propose_correction(
                    self.article,
                    by=self.request.user,
                    text=data,
                    cover=cover,
                    note=data["note"],
                    is_factual=data["is_factual"],
                    replaces=data["replaces"],
                )
                if not ratelimit.consume(
                    self.request, action="submit_article", user=self.request.user
                ):
                    raise RateLimited
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except RateLimited:
            if cover:  # the new cover's files: the rollback left nothing naming them
                for field_name in services.COVER_FIELDS:
                    stored = self.article.stored_file(field_name, getattr(version, field_name))
                    stored.storage.delete(stored.name)
            form.add_error(
                None,
                gettext(
                    "Vous avez envoyé trop de textes à la relecture en peu de temps : cette "
                    "correction n'a pas été enregistrée. Réessayez plus tard."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        messages.success(
            self.request,
            gettext(
                "Votre correction est envoyée à l'équipe de modération. L'article reste en "
                "ligne tel quel jusqu'à sa décision."
            ),
        )
        return redirect("articles:my_articles")


@login_required
@require_POST
def withdraw_correction(request, pk):
    article = get_object_or_404(Article.objects.by_author(request.user), pk=pk)
    try:
        services.withdraw_correction(article)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, gettext("Votre correction est retirée : l'article en ligne n'a pas changé.")
        )
    return redirect("articles:my_articles")
