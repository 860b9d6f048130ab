"""The admin site (Django's default one, accounts.apps.AdminConfig names this class): its
log-in goes through the same failed-login budgets as the site's."""

from allauth.core import ratelimit
from django.contrib import admin

from .forms import AdminLoginForm, is_throttled


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        # allauth's login view limits every attempt per client address ("login"), then
        # its form the failures; the admin's log-in page does the same, with the same
        # budgets, and answers 429 as the site's does.
        if request.method == "POST" and (
            refused := ratelimit.consume_or_429(request, action="login")
        ):
            return refused
        response = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        if form is not None and is_throttled(form):
            response.status_code = 429
        return response
