from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from comments import services as comment_services
from comments.admin import CommentAdmin
from comments.models import Comment
from notrecontinent.admin import ModerationMixin, report

from .models import Report


class ReportKindFilter(admin.SimpleListFilter):
    title = _("objet")
    parameter_name = "objet"

    def lookups(self, request, model_admin):
        return [("comment", _("Commentaire")), ("article", _("Article"))]

    def queryset(self, request, queryset):
        if self.value() == "comment":
            return queryset.filter(comment__isnull=False)
        if self.value() == "article":
            return queryset.filter(article__isnull=False)
        return queryset


@admin.register(Report)
class ReportAdmin(ModerationMixin, admin.ModelAdmin):
    moderation_permission = "comments.moderate_comment"
    list_display = (
        "target_link",
        "reason",
        "short_details",
        "created_at",
        "is_resolved",
        "resolved_by",
    )
    list_filter = ("is_resolved", ReportKindFilter, "reason", "created_at")
    list_select_related = ("comment__article", "article", "resolved_by")
    search_fields = ("details", "comment__body", "comment__name", "article__title", "ip_address")
    date_hierarchy = "created_at"
    actions = ["resolve", "remove_reported_comments"]
    fields = (
        "target_link",
        "reason",
        "details",
        "reporter",
        "ip_address",
        "created_at",
        "is_resolved",
        "resolved_by",
        "resolved_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("contenu signalé"))
    def target_link(self, obj):
        if obj.comment_id:
            comment = obj.comment
            return format_html(
                '{} <a href="{}">{}</a>',
                _("Commentaire :"),
                reverse("admin:comments_comment_change", args=[comment.pk]),
                Truncator(f"{comment.name} — {comment.body}").chars(80),
            )
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Article :"),
            reverse("admin:articles_article_change", args=[obj.article_id]),
            Truncator(obj.article.title).chars(80),
        )

    @admin.display(description=_("précisions"))
    def short_details(self, obj):
        return Truncator(obj.details).chars(80)

    @admin.action(description=_("Marquer comme traités"), permissions=["moderate"])
    def resolve(self, request, queryset):
        n = 0
        for item in queryset.open():
            item.resolve(by=request.user)
            n += 1
        report(
            self,
            request,
            ngettext_lazy(
                "%(count)d signalement traité.", "%(count)d signalements traités.", "count"
            ),
            n,
        )

    @admin.action(
        description=_("Supprimer les commentaires signalés et clore les signalements"),
        permissions=["moderate"],
    )
    def remove_reported_comments(self, request, queryset):
        reports = list(queryset.filter(comment__isnull=False).select_related("comment"))
        changed = comment_services.moderate(
            [r.comment for r in reports], Comment.Status.REMOVED, by=request.user
        )
        for item in reports:
            if not item.is_resolved:
                item.resolve(by=request.user)
        report(
            self,
            request,
            ngettext_lazy(
                "%(count)d commentaire supprimé.", "%(count)d commentaires supprimés.", "count"
            ),
            len(changed),
        )


# The comments' admin, seen from this app: what readers reported about each comment.
# Reports build on comments, never the reverse, so this app extends the comments'
# admin rather than the comments app knowing about reports.


class ReportedFilter(admin.SimpleListFilter):
    title = _("signalements")
    parameter_name = "signale"

    def lookups(self, request, model_admin):
        return [("open", _("Signalement à traiter")), ("any", _("Déjà signalé"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(reports__is_resolved=False).distinct()
        if self.value() == "any":
            return queryset.filter(reports__isnull=False).distinct()
        return queryset


class ReportInline(admin.TabularInline):
    model = Report
    fk_name = "comment"
    extra = 0
    can_delete = False
    fields = ("reason", "details", "created_at", "is_resolved", "resolved_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReportedCommentAdmin(CommentAdmin):
    list_display = (*CommentAdmin.list_display, "open_reports")
    list_filter = (*CommentAdmin.list_filter, ReportedFilter)
    inlines = (*CommentAdmin.inlines, ReportInline)
    change_list_template = "admin/reports/comment_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("reports", filter=Q(reports__is_resolved=False)))
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "open_reports": Report.objects.open().count()}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("signalements"), ordering="open_report_count")
    def open_reports(self, obj):
        return obj.open_report_count or ""


admin.site.unregister(Comment)
admin.site.register(Comment, ReportedCommentAdmin)
