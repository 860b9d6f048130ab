import re

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override

from notrecontinent.admin import (
    ModerationMixin,
    ServiceDeletionMixin,
    apply_to_each,
    confirmation_page,
    confirmed,
    short_datetime,
)

from . import diff, services
from .forms import EDITOR_CSP, ArticleAdminForm, CorrectionApprovalForm, RejectionForm
from .models import Article, ArticleVersion, Category
from .readership import flush_views

Status = Article.Status

# The changelist opens on the review queue: what waits for a moderator (oldest
# submission first), then what is online, then refused texts and drafts.
STATUS_ORDER = [Status.SUBMITTED, Status.PUBLISHED, Status.REJECTED, Status.DRAFT]
STATUS_RANK = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
    output_field=IntegerField(),
)
QUEUE_POSITION = Case(When(status=Status.SUBMITTED, then=F("submitted_at")))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "is_active", "article_count")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("order", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, category):
        return category.article_count


# The number of an article's waiting correction (read off the one-pending-version index).
WAITING_CORRECTION = (
    ArticleVersion.objects.waiting_corrections().filter(article=OuterRef("pk")).values("number")
)


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list shows no text: bodies stay in the database. It shows each article's
        # last version number, read off the (article, number) key.
        last_version = ArticleVersion.objects.filter(article=OuterRef("pk")).order_by("-number")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer("body")
            .annotate(
                last_version=Subquery(last_version.values("number")[:1]),
                waiting_correction_number=Subquery(WAITING_CORRECTION[:1]),
            )
        )


class WaitingCorrectionFilter(admin.SimpleListFilter):
    """Published articles whose author proposes a correction: part of the review queue."""

    title = _("correction proposée")
    parameter_name = "correction"

    def lookups(self, request, model_admin):
        return [("attente", _("En attente de relecture"))]

    def queryset(self, request, queryset):
        if self.value() == "attente":
            return queryset.filter(
                pk__in=ArticleVersion.objects.waiting_corrections().values("article")
            )
        return queryset


@admin.register(Article)
class ArticleAdmin(ModerationMixin, ServiceDeletionMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    moderation_permission = "articles.moderate_article"
    delete_service = staticmethod(services.delete)  # the cover files go too
    change_form_template = "admin/articles/article/change_form.html"
    list_display = (
        "title",
        "status_label",
        "category",
        "author",
        "submitted",
        "published",
        "is_featured",
        "version",
        "correction",
        "views",
    )
    # A date filter of five links, not a date hierarchy (which opens on every day of a
    # month when all the articles share it).
    list_filter = (
        "status",
        ("published_at", admin.DateFieldListFilter),
        WaitingCorrectionFilter,
        "category",
        "author__account_kind",
        "is_featured",
    )
    list_select_related = ("category", "author")
    search_fields = ("title", "author__username", "author__display_name")
    search_help_text = _("Titre, identifiant ou nom affiché de l'auteur")
    autocomplete_fields = ("author",)
    prepopulated_fields = {"slug": ("title",)}
    # The fieldsets show the form's cover_image (ArticleForm's PictureField); the model's
    # field stays out of the model form, so the upload never reaches it as sent.
    exclude = ("cover_image",)
    # The workflow's fields change through the actions only, which record who and when.
    readonly_fields = (
        "status",
        "review_version",
        "preview_link",
        "is_featured",
        "rejection_reason",
        "submitted_at",
        "published_at",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "updated_at",
        "revised_at",
    )
    fieldsets = (
        (
            _("Publication"),
            {
                "fields": (
                    ("status", "is_featured", "preview_link"),
                    "review_version",
                    "reviewed_version",
                    "rejection_reason",
                    ("submitted_at", "published_at"),
                    ("reviewed_by", "reviewed_at"),
                    ("created_at", "updated_at", "revised_at"),
                )
            },
        ),
        (_("Article"), {"fields": ("title", "slug", "author", "category", "summary", "body")}),
        (_("Image de couverture"), {"fields": ("cover_image", "cover_caption", "cover_credit")}),
        (_("Créateur de contenu"), {"fields": ("creator_credit",)}),
    )
    actions = ["publish", "reject", "feature", "unfeature", "send_back_to_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_view_totals()

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_ordering(self, request):
        return [
            STATUS_RANK.asc(),
            QUEUE_POSITION.asc(nulls_last=True),
            F("published_at").desc(nulls_last=True),
            F("updated_at").desc(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # An article's URL never changes once it has been published.
        if obj and obj.published_at:
            return (*self.readonly_fields, "slug")
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj and obj.published_at else super().get_prepopulated_fields(request, obj)

    def get_object(self, request, object_id, from_field=None):
        # A change posted from the form is checked (ArticleAdminForm.clean: the version
        # the moderator was shown) and saved against the article's row, locked until the
        # request's transaction ends: an author's withdrawal or new submission waits.
        if request.method == "POST" and transaction.get_connection().in_atomic_block:
            try:
                Article.objects.select_for_update().filter(pk=object_id).exists()
            except (ValidationError, ValueError):
                return None
        return super().get_object(request, object_id, from_field)

    def save_model(self, request, obj, form, change):
        if not change and not obj.author_id:
            obj.author = request.user
        # The version the moderator has now read: the one under review, or the one their
        # own change has just made of it. "Enregistrer et publier" publishes that one.
        obj.version_read = services.edit(obj, by=request.user)

    def view_on_site(self, obj):
        return (
            obj.get_absolute_url() if obj.is_public else reverse("articles:preview", args=[obj.pk])
        )

    def changelist_view(self, request, extra_context=None):
        flush_views()  # the "lectures" column shows every view counted so far
        counts = Article.objects.aggregate(
            **{status.value: Count("pk", filter=Q(status=status)) for status in Status}
        )
        # (status, count, whether it is the queue of work waiting for a moderator)
        status_counts = [
            (status, counts[status.value], status == Status.SUBMITTED and counts[status.value] > 0)
            for status in STATUS_ORDER
        ]
        return super().changelist_view(
            request,
            {
                **(extra_context or {}),
                "status_counts": status_counts,
                "waiting_corrections": ArticleVersion.objects.waiting_corrections().count(),
            },
        )

    # The add and change pages show the editor.
    @method_decorator(csp_override(EDITOR_CSP))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = (
            obj is not None
            and obj.status == Status.SUBMITTED
            and self.has_moderate_permission(request)
        )
        context["waiting_correction"] = (
            obj.waiting_correction() if obj is not None and obj.is_published else None
        )
        context["can_restore"] = (
            obj is not None and obj.is_published and self.has_moderate_permission(request)
        )
        context["live_revision"] = (
            obj.revisions().values_list("number", flat=True).first()
            if context["can_restore"]
            else None
        )
        # The article's history: each version, who sent it, what became of it.
        context["versions"] = (
            obj.versions.select_related("created_by", "decided_by").defer("body")
            if obj is not None
            else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        """The "Enregistrer et publier" button: the moderator's last edit, then publication
        of the version they read."""
        if "_publish" in request.POST and self.has_moderate_permission(request):
            read = getattr(obj, "version_read", None)
            try:
                services.publish(obj, by=request.user, version=read.number if read else None)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                gettext("« %(title)s » est publié.") % {"title": obj.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        return super().response_change(request, obj)

    # Columns

    @admin.display(description=_("état"), ordering=STATUS_RANK)
    def status_label(self, article):
        if article.status == Status.SUBMITTED:
            return format_html("<strong>{}</strong>", article.get_status_display())
        return article.get_status_display()

    @admin.display(description=_("version"), ordering="last_version")
    def version(self, article):
        return (
            gettext("n° %(number)d") % {"number": article.last_version}
            if article.last_version
            else "—"
        )

    @admin.display(description=_("correction"), ordering="waiting_correction_number")
    def correction(self, article):
        if not article.waiting_correction_number:
            return "—"
        return format_html(
            '<a href="{}"><strong>{}</strong></a>',
            reverse("admin:articles_article_correction", args=[article.pk]),
            gettext("À relire (n° %(number)d)") % {"number": article.waiting_correction_number},
        )

    @admin.display(description=_("version en relecture"))
    def review_version(self, article):
        version = article.version_under_review() if article.pk and article.is_submitted else None
        if version is None:
            return "—"
        return describe_version(version)

    @admin.display(description=_("soumis le"), ordering="submitted_at")
    def submitted(self, article):
        return short_datetime(article.submitted_at)

    @admin.display(description=_("publié le"), ordering="published_at")
    def published(self, article):
        return short_datetime(article.published_at)

    @admin.display(description=_("lectures"), ordering="total_views")
    def views(self, article):
        return article.total_views

    @admin.display(description=_("aperçu"))
    def preview_link(self, article):
        if not article.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("articles:preview", args=[article.pk]),
            gettext("Ouvrir l'aperçu de l'article"),
        )

    # A correction's review, and the restoration of a revision: pages of their own.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/correction/",
                self.admin_site.admin_view(self.correction_view),
                name="articles_article_correction",
            ),
            path(
                "<path:object_id>/restaurer/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _moderated_article(self, request, object_id):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        if not re.fullmatch(r"[0-9]{1,18}", object_id):
            raise Http404
        return get_object_or_404(Article.objects.select_related("author", "category"), pk=object_id)

    def correction_view(self, request, object_id):
        """The waiting correction against the live text, and the decision: approve the
        version shown, or refuse it with a reason; the author is told either way."""
        article = self._moderated_article(request, object_id)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        approval = CorrectionApprovalForm(request.POST if "_approve" in request.POST else None)
        refusal = RejectionForm(request.POST if "_refuse" in request.POST else None)
        if request.method == "POST":
            version = _posted_version(request)
            try:
                if approval.is_bound and approval.is_valid():
                    services.approve_correction(
                        article,
                        by=request.user,
                        version=version,
                        is_factual=approval.cleaned_data["is_factual"],
                        public_note=approval.cleaned_data["public_note"],
                    )
                    self.message_user(
                        request,
                        gettext("La correction de « %(title)s » est en ligne.")
                        % {"title": article.title},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
                if refusal.is_bound and refusal.is_valid():
                    services.refuse_correction(
                        article,
                        by=request.user,
                        version=version,
                        reason=refusal.cleaned_data["reason"],
                    )
                    self.message_user(
                        request,
                        gettext("Correction refusée ; son auteur a reçu le motif."),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
        correction = article.waiting_correction()
        if correction is None:
            self.message_user(
                request,
                gettext("Aucune correction de cet article n'attend la relecture."),
                messages.INFO,
            )
            return HttpResponseRedirect(change_url)
        if not approval.is_bound:
            approval = CorrectionApprovalForm(
                initial={"is_factual": correction.is_factual, "public_note": correction.author_note}
            )
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/articles/article/correction.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Correction proposée : %(title)s") % {"title": article.title},
                "subtitle": None,
                "opts": self.opts,
                "original": article,
                "correction": correction,
                "comparison": diff.compare(article, correction),
                "approval": approval,
                "refusal": refusal,
                "change_url": change_url,
            },
        )

    def restore_view(self, request, object_id):
        """Make an earlier revision (posted by the history's button) the published text."""
        article = self._moderated_article(request, object_id)
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        posted = request.POST.get("restore", "")
        number = int(posted) if re.fullmatch(r"[0-9]{1,9}", posted) else None
        try:
            revision = services.restore_revision(article, by=request.user, version=number)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext(
                    "Le texte en ligne est celui de la version n° %(old)d (nouvelle révision n° %(new)d)."
                )
                % {"old": number, "new": revision.number},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)

    # Actions: each calls the service of its change for every article selected; the
    # service refuses a change the article's status does not allow.

    @admin.action(description=_("Publier les articles sélectionnés…"), permissions=["moderate"])
    def publish(self, request, queryset):
        """Shows each article's version under review on a confirmation page, then publishes
        each in the version shown there; an article changed since is left for review."""
        articles = list(queryset.select_related("author"))
        if confirmed(request):
            shown = {article.pk: _posted_number(request, article) for article in articles}
            apply_to_each(
                self,
                request,
                articles,
                lambda article: services.publish(
                    article, by=request.user, version=shown[article.pk]
                ),
                ngettext_lazy("%(count)d article publié.", "%(count)d articles publiés.", "count"),
            )
            return None
        under_review = {
            version.article_id: version
            for version in ArticleVersion.objects.under_review()
            .filter(article__in=[a.pk for a in articles if a.is_submitted])
            .select_related("created_by")
            .defer("body")
        }
        publishable = [(a, under_review[a.pk]) for a in articles if a.pk in under_review]
        return confirmation_page(
            self,
            request,
            articles,
            template="admin/articles/article/publish.html",
            title=gettext("Publier des articles"),
            publishable=publishable,
            left_alone=[a for a in articles if a.pk not in under_review],
            can_confirm=bool(publishable),
        )

    @admin.action(description=_("Refuser les articles sélectionnés…"), permissions=["moderate"])
    def reject(self, request, queryset):
        """Asks for the reason on a confirmation page, then refuses with it."""
        form = RejectionForm(request.POST if confirmed(request) else None)
        articles = list(queryset.select_related("author"))
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            apply_to_each(
                self,
                request,
                articles,
                lambda article: services.reject(article, by=request.user, reason=reason),
                ngettext_lazy(
                    "%(count)d article refusé ; son auteur a reçu le motif.",
                    "%(count)d articles refusés ; leurs auteurs ont reçu le motif.",
                    "count",
                ),
            )
            return None
        refusable = [a for a in articles if a.is_submitted]
        return confirmation_page(
            self,
            request,
            articles,
            template="admin/articles/article/reject.html",
            title=gettext("Refuser des articles"),
            form=form,
            refusable=refusable,
            left_alone=[a for a in articles if not a.is_submitted],
            can_confirm=bool(refusable),
        )

    @admin.action(description=_("Mettre à la une"), permissions=["moderate"])
    def feature(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda article: services.feature(article, by=request.user),
            ngettext_lazy(
                "%(count)d article mis à la une.", "%(count)d articles mis à la une.", "count"
            ),
        )

    @admin.action(description=_("Retirer de la une"), permissions=["moderate"])
    def unfeature(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda article: services.unfeature(article, by=request.user),
            ngettext_lazy(
                "%(count)d article retiré de la une.",
                "%(count)d articles retirés de la une.",
                "count",
            ),
        )

    @admin.action(description=_("Renvoyer en brouillon"), permissions=["moderate"])
    def send_back_to_draft(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda article: services.send_back_to_draft(article, by=request.user),
            ngettext_lazy(
                "%(count)d article renvoyé en brouillon.",
                "%(count)d articles renvoyés en brouillon.",
                "count",
            ),
        )


def _posted_number(request, article):
    """The version number a confirmation page showed for `article`, or None."""
    posted = request.POST.get(f"version-{article.pk}", "")
    return int(posted) if re.fullmatch(r"[0-9]{1,9}", posted) else None


def _posted_version(request):
    """The correction number the review page showed, or None."""
    posted = request.POST.get("version", "")
    return int(posted) if re.fullmatch(r"[0-9]{1,9}", posted) else None


def describe_version(version):
    """The version in a line: its number, its kind, when and by whom, what changed."""
    who = version.created_by.public_name if version.created_by else gettext("compte supprimé")
    text = gettext("n° %(number)d, %(kind)s, le %(date)s par %(who)s") % {
        "number": version.number,
        "kind": version.get_kind_display().lower(),
        "date": formats.date_format(timezone.localtime(version.created_at), "d/m/Y H:i"),
        "who": who,
    }
    if version.changed_fields:
        text += " — " + gettext("modifié depuis la version précédente : %(fields)s") % {
            "fields": ", ".join(str(name) for name in version.changed_field_names())
        }
    return text
