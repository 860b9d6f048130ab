from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "account_kind", "is_active", "is_staff")
    list_filter = ("account_kind", "is_active", "is_staff", "groups")
    search_fields = ("username", "display_name", "email", "organisation")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Profil public"),
            {
                "fields": (
                    "display_name",
                    "account_kind",
                    "organisation",
                    "bio",
                    "website",
                    "avatar",
                )
            },
        ),
    )
