"""What the apps' admin modules share: who may moderate, deletion through the app's
service, how a bulk action reports what it did, and the page an action shows before it
acts.

An action calls the one service function of its change for each object selected
(`apply_to_each`), never a bare queryset.update() that would skip the change's effects.

The task queue's list (django-tasks-db) is registered here too, with the columns that say
which e-mail failed and why.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .mail import deliver_email


class ModerationMixin:
    """Actions declared with permissions=["moderate"], and the moderators' buttons, need
    the permission this ModelAdmin names ("app_label.codename")."""

    moderation_permission = None

    def has_moderate_permission(self, request):
        return request.user.has_perm(self.moderation_permission)


class ServiceDeletionMixin:
    """Deleting from the admin, one object or a selection, goes through the app's service
    (`delete_service`, e.g. staticmethod(services.delete)), which takes the deletion's
    effects along: files, other data."""

    delete_service = None

    def delete_model(self, request, obj):
        self.delete_service(obj)

    @transaction.atomic  # all of the selection or none of it, as Django's own bulk delete
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(obj)


def short_datetime(value):
    """A list's date column, narrow: the day, then the time below (27/11/2026, 14:05),
    rather than the locale's "27 novembre 2026 14:05" on one line, so that the lists fit
    1280 px."""
    if value is None:
        return "-"
    value = timezone.localtime(value)
    return format_html("{}<br>{}", date_format(value, "d/m/Y"), date_format(value, "H:i"))


def apply_to_each(modeladmin, request, objects, change, done):
    """Apply `change` (a service function) to each object, then `report`. A change the
    object's state does not allow raises ValidationError: that object is reported as
    refused, with the reason. Returns the objects changed."""
    changed, refused = [], {}
    for obj in objects:
        try:
            change(obj)
        except ValidationError as error:
            refused.setdefault(" ".join(error.messages), []).append(obj)
        else:
            changed.append(obj)
    report(modeladmin, request, done, len(changed), refused)
    return changed


def report(modeladmin, request, done, count, refused=None):
    """Tell the moderator what a bulk action did: how many objects it changed (`done`, an
    ngettext_lazy whose number is "count"; nothing is said for none), then what it
    refused, one warning per reason naming the objects ({reason: [objects]})."""
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)
    for reason, objects in (refused or {}).items():
        modeladmin.message_user(
            request,
            gettext("%(objects)s : %(reason)s")
            % {"objects": ", ".join(f"« {obj} »" for obj in objects), "reason": reason},
            messages.WARNING,
        )


def confirmed(request):
    """Whether the action's confirmation page was posted back (see `confirmation_page`)."""
    return request.POST.get("post") == "yes"


def confirmation_page(modeladmin, request, objects, *, template, title, **context):
    """The page an action shows before it acts, in the pattern of Django's own "delete
    selected" page: the template extends admin/action_confirmation.html, which posts the
    selection back to the same action with post=yes."""
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": modeladmin.opts,
            "media": modeladmin.media,
            "objects": objects,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "can_confirm": True,
            **context,
        },
    )


class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only list of the queue, with what operators look for: which
    task, which try of an e-mail, and why it failed (the exception, never an address)."""

    list_display = (
        "task_name",
        "status",
        "attempt",
        "exception_class_path",
        "enqueued_at",
        "run_after",
        "finished_at",
    )
    list_filter = ("status", "task_path", "exception_class_path")
    search_fields = ("id",)

    @admin.display(description=_("essai"))
    def attempt(self, obj):
        if obj.task_path != deliver_email.module_path:
            return None
        args = obj.args_kwargs.get("args", [])
        return args[1] if len(args) > 1 else 1


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
