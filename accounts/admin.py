from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notrecontinent.admin import ModerationMixin, ServiceDeletionMixin, apply_to_each
from notrecontinent.reserved import RESERVED_MESSAGE, poses_as_team

from . import services
from .models import User

PROFILE_FIELDS = ("display_name", "account_kind", "organisation", "bio", "website")
SUSPENSION_REFUSED = _(
    "On ne suspend ni son propre compte ni un superutilisateur, et seul un superutilisateur "
    "suspend un membre de l'équipe."
)


class UserAdminForm(UserChangeForm):
    # Avatars are only ever stored re-encoded (User.set_avatar); the admin may remove one.
    remove_avatar = forms.BooleanField(label=_("Retirer l'avatar"), required=False)

    def clean(self):
        """A citizen's account takes no name that poses as the team, whoever edits it."""
        data = super().clean()
        team = any(
            data.get(flag, getattr(self.instance, flag)) for flag in ("is_staff", "is_superuser")
        )
        if team:
            return data
        for field in ("display_name", "username"):
            if field in self.fields and poses_as_team(data.get(field) or ""):
                self.add_error(field, ValidationError(RESERVED_MESSAGE, code="reserved_name"))
        full_name = " ".join(
            data.get(f) or "" for f in ("first_name", "last_name") if f in self.fields
        )
        if full_name.strip() and poses_as_team(full_name):
            self.add_error(
                "last_name" if "last_name" in self.fields else None,
                ValidationError(RESERVED_MESSAGE, code="reserved_name"),
            )
        return data


@admin.register(User)
class UserAdmin(ModerationMixin, ServiceDeletionMixin, BaseUserAdmin):
    """Superusers manage everything; moderators (staff with change permission on users)
    edit public profiles and suspend citizens, never rights, passwords or staff accounts."""

    form = UserAdminForm
    moderation_permission = "accounts.change_user"
    # A superuser deleting an account applies the same policy as the citizen's own
    # deletion: published articles stay, anonymised; the rest goes.
    delete_service = staticmethod(services.delete_account)
    list_display = (
        "username",
        "display_name",
        "email",
        "account_kind",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = ("is_active", "account_kind", "is_staff", "groups")
    search_fields = ("username", "display_name", "email", "organisation")
    date_hierarchy = "date_joined"
    actions = ["suspend", "reactivate"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profil public"), {"fields": (*PROFILE_FIELDS, "avatar_preview", "remove_avatar")}),
    )
    moderator_fieldsets = (
        (
            _("Compte"),
            {"fields": ("username", "email", "is_active", "is_staff", "last_login", "date_joined")},
        ),
        (_("Profil public"), {"fields": (*PROFILE_FIELDS, "avatar_preview", "remove_avatar")}),
    )
    moderator_readonly_fields = (
        "username",
        "email",
        "is_active",
        "is_staff",
        "last_login",
        "date_joined",
        "avatar_preview",
    )

    class Media:
        css = {"all": ["css/admin.css"]}  # .avatar-preview

    @admin.display(description=_("avatar"))
    def avatar_preview(self, obj):
        if not obj.avatar:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="96" height="96" class="avatar-preview">',
            obj.avatar.url,
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.moderator_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("avatar_preview",)
        return self.moderator_readonly_fields

    def has_change_permission(self, request, obj=None):
        """Moderators change citizens' profiles (and their own), never another staff account."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
            return True
        return not (obj.is_staff or obj.is_superuser)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("remove_avatar"):
            obj.remove_avatar()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Suspendre les comptes sélectionnés"), permissions=["moderate"])
    def suspend(self, request, queryset):
        self._set_active(
            request,
            queryset,
            False,
            ngettext_lazy(
                "%(count)d compte suspendu : il ne peut plus se connecter.",
                "%(count)d comptes suspendus : ils ne peuvent plus se connecter.",
                "count",
            ),
        )

    @admin.action(description=_("Réactiver les comptes sélectionnés"), permissions=["moderate"])
    def reactivate(self, request, queryset):
        self._set_active(
            request,
            queryset,
            True,
            ngettext_lazy("%(count)d compte réactivé.", "%(count)d comptes réactivés.", "count"),
        )

    def _set_active(self, request, queryset, active, done):
        def change(user):
            if not user.may_be_suspended_by(request.user):
                raise ValidationError(SUSPENSION_REFUSED)
            if active:
                user.reactivate()
            else:
                user.suspend()

        apply_to_each(self, request, queryset.filter(is_active=not active), change, done)
