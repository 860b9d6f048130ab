import json

from django.contrib import admin, messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notrecontinent.admin import (
    ModerationMixin,
    confirmation_page,
    confirmed,
    report,
    short_datetime,
)

from . import services
from .models import Comment, Discussion, ModerationSettings


class EmailFilter(admin.SimpleListFilter):
    """“Everything from this e-mail”: reached from the link beside each comment."""

    title = _("adresse e-mail")
    parameter_name = "email"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.by_email(self.value())
        return queryset


class ConfirmedFilter(admin.SimpleListFilter):
    """Whether the commenter proved the address (the link e-mailed to it, or signed in)."""

    title = _("adresse prouvée")
    parameter_name = "prouvee"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui")), ("non", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.proven()
        if self.value() == "non":
            return queryset.filter(email_confirmed_at__isnull=True, user__isnull=True)
        return queryset


@admin.register(Comment)
class CommentAdmin(ModerationMixin, admin.ModelAdmin):
    moderation_permission = "comments.moderate_comment"
    list_display = (
        "excerpt",
        "name",
        "status",
        "hold_reason",
        "article_link",
        "posted",
        "ip_address",
        "email_confirmed",
        "from_same_email",
    )
    list_filter = (
        "status",
        ConfirmedFilter,
        EmailFilter,
        ("article", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    list_select_related = ("article",)
    search_fields = ("name", "email", "ip_address", "body")
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove", "export_commenter_data", "erase_commenter_data"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "status",
                    "hold_reason",
                    "name",
                    ("email", "email_confirmed_at"),
                    "body",
                    "notify_replies",
                )
            },
        ),
        (_("Fil"), {"fields": ("article", "parent", "reply_to", "depth", "user")}),
        (
            _("Traçabilité"),
            {"fields": ("created_at", "ip_address", "user_agent", "moderated_by", "moderated_at")},
        ),
    )
    readonly_fields = (
        "hold_reason",
        "email_confirmed_at",
        "article",
        "parent",
        "reply_to",
        "depth",
        "user",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_by",
        "moderated_at",
    )

    def get_ordering(self, request):
        # Comments waiting for a decision come first, then the newest.
        waiting_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [waiting_first.asc(), "-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Comment.Status.choices
            ],
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("commentaire"))
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("posté le"), ordering="created_at")
    def posted(self, obj):
        return short_datetime(obj.created_at)

    @admin.display(description=_("article"), ordering="article__title")
    def article_link(self, obj):
        return format_html(
            '<a href="{}#comment-{}">{}</a>',
            obj.article.get_absolute_url(),
            obj.pk,
            Truncator(obj.article.title).chars(50),
        )

    @admin.display(description=_("adresse prouvée"), boolean=True)
    def email_confirmed(self, obj):
        """Confirmed by the link e-mailed to it, or posted from a signed-in account."""
        return obj.is_email_confirmed or obj.user_id is not None

    @admin.display(description=_("même e-mail"))
    def from_same_email(self, obj):
        if not obj.email:
            return ""
        url = reverse("admin:comments_comment_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>', url, urlencode({"email": obj.email}), _("Tout de cet e-mail")
        )

    def save_model(self, request, obj, form, change):
        """A status changed in the form goes through the same path as the bulk actions."""
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            services.moderate([obj], new_status, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    def _moderate(self, request, queryset, status, done):
        changed = services.moderate(queryset, status, by=request.user)
        for comment in changed:
            self.log_change(request, comment, [{"changed": {"fields": ["status"]}}])
        report(self, request, done, len(changed))

    @admin.action(
        description=_("Approuver les commentaires sélectionnés"), permissions=["moderate"]
    )
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.APPROVED,
            ngettext_lazy(
                "%(count)d commentaire approuvé.", "%(count)d commentaires approuvés.", "count"
            ),
        )

    @admin.action(description=_("Classer comme indésirables"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.SPAM,
            ngettext_lazy(
                "%(count)d commentaire classé indésirable.",
                "%(count)d commentaires classés indésirables.",
                "count",
            ),
        )

    @admin.action(
        description=_("Supprimer (masquer) les commentaires sélectionnés"), permissions=["moderate"]
    )
    def remove(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.REMOVED,
            ngettext_lazy(
                "%(count)d commentaire supprimé.", "%(count)d commentaires supprimés.", "count"
            ),
        )

    @staticmethod
    def _emails(queryset):
        # One entry per address, however each comment typed it.
        return sorted({c.email_key for c in queryset if c.email_key})

    @admin.action(
        description=_("Exporter les données de ces commentateurs"), permissions=["moderate"]
    )
    def export_commenter_data(self, request, queryset):
        data = {
            email: services.export_commenter_data(email=email) for email in self._emails(queryset)
        }
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="commentateurs.json"'
        return response

    @admin.action(
        description=_("Effacer les données de ces commentateurs"), permissions=["moderate"]
    )
    def erase_commenter_data(self, request, queryset):
        """Asks for confirmation on a page listing the addresses, then anonymises."""
        emails = self._emails(queryset)
        if not emails:
            self.message_user(request, _("Aucune adresse e-mail à effacer."), messages.WARNING)
            return None
        if confirmed(request):
            erased = sum(services.erase_commenter_data(email=email) for email in emails)
            report(
                self,
                request,
                ngettext_lazy(
                    "%(count)d commentaire anonymisé.",
                    "%(count)d commentaires anonymisés.",
                    "count",
                ),
                erased,
            )
            return None
        return confirmation_page(
            self,
            request,
            queryset,
            template="admin/comments/comment/erase_confirmation.html",
            title=_("Effacer les données de ces commentateurs ?"),
            counts=[(email, Comment.objects.by_email(email).count()) for email in emails],
        )


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to its form."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        obj = ModerationSettings.load()
        return HttpResponseRedirect(
            reverse("admin:comments_moderationsettings_change", args=[obj.pk])
        )


@admin.register(Discussion)
class DiscussionAdmin(admin.ModelAdmin):
    """A moderator closes, or keeps open, the comments of one article (the rule of the
    moderation settings applies to the articles without a row)."""

    list_display = ("article", "is_open", "changed_by", "changed_at")
    list_filter = ("is_open",)
    search_fields = ("article__title",)
    autocomplete_fields = ("article",)
    readonly_fields = ("changed_by", "changed_at")

    def _may_moderate(self, request):
        return request.user.is_active and request.user.has_perm("comments.moderate_comment")

    def has_view_permission(self, request, obj=None):
        return self._may_moderate(request)

    def has_add_permission(self, request):
        return self._may_moderate(request)

    def has_change_permission(self, request, obj=None):
        return self._may_moderate(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_moderate(request)

    def has_module_permission(self, request):
        return self._may_moderate(request)

    def get_readonly_fields(self, request, obj=None):
        # The article of an existing row stays: reopen or close, or delete the row.
        return (*self.readonly_fields, "article") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        services.set_comments_open(obj.article, obj.is_open, by=request.user)

    def delete_model(self, request, obj):
        services.forget_comments_decision(obj.article)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("article"):
            services.forget_comments_decision(obj.article)
