from django import forms
from django.contrib import admin
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.forms import BODY_EXTENSIONS, EDITOR_CSP

from .models import Page


class PageAdminForm(forms.ModelForm):
    # The articles' editor: the same headings, lists, quotes and links, cleaned on save
    # by the same sanitizer.
    body = ProseEditorFormField(
        extensions=BODY_EXTENSIONS, label=_("Texte"), widget=AdminProseEditorWidget
    )

    class Meta:
        model = Page
        fields = ["title", "summary", "body"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The five pages exist from the migrations on; staff change their words, not their
    addresses, which the footer of every page links to."""

    form = PageAdminForm
    list_display = ("title", "address", "updated_at")
    readonly_fields = ("address", "updated_at")
    fields = ("address", "title", "summary", "body", "updated_at")

    @admin.display(description=_("adresse"))
    def address(self, page):
        return page.get_absolute_url()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @method_decorator(csp_override(EDITOR_CSP))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)
