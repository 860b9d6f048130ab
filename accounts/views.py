import json

from allauth.account.views import LoginView as AllauthLoginView
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView, UpdateView

from articles.models import Article
from articles.pagination import ArticleListView

from . import services
from .forms import DeleteAccountForm, ProfileForm, is_throttled


class LoginView(AllauthLoginView):
    """allauth's log-in page, answering 429 Too Many Requests once the failed-login budget
    of the client's address or of the account is spent (accounts.adapter)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if is_throttled(form):
            response.status_code = 429
        return response


class AuthorView(ArticleListView):
    template_name = "accounts/author_detail.html"

    def get_articles(self, articles):
        # A suspended or deactivated account has no public page; nor has a member of the
        # team who publishes nothing under their name (their page would only show who
        # moderates the site).
        self.author = get_object_or_404(
            get_user_model(), username=self.kwargs["username"], is_active=True
        )
        if self.author.is_team and not Article.objects.published().by_author(self.author).exists():
            raise Http404
        return articles.by_author(self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


@method_decorator(never_cache, name="dispatch")
class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/user_profile.html"


@method_decorator(never_cache, name="dispatch")
class ProfileEditView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/user_form.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Votre profil est enregistré.")

    def get_object(self, queryset=None):
        return self.request.user

    @transaction.atomic  # a replaced avatar's file goes once the new one is committed
    def form_valid(self, form):
        return super().form_valid(form)


@never_cache
@require_GET
@login_required
def export_data(request):
    data = services.export_account_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"notre-continent-{request.user.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@method_decorator(never_cache, name="dispatch")
class DeleteAccountView(LoginRequiredMixin, FormView):
    form_class = DeleteAccountForm
    template_name = "accounts/user_confirm_delete.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        services.delete_account(self.request.user)
        logout(self.request)
        messages.success(self.request, _("Votre compte a été supprimé. Au revoir !"))
        return redirect(reverse("articles:home"))
