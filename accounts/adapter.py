from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied

from notrecontinent.clientaddress import client_address
from notrecontinent.mail import queue_message

from .validators import validate_citizen_name


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The profile fields of the sign-up form are set before allauth's single save.
        data = form.cleaned_data
        user.display_name = data.get("display_name", "")
        user.account_kind = data.get("account_kind") or user.Kind.PARTICULIER
        return super().save_user(request, user, form, commit=commit)

    def clean_username(self, username, shallow=False):
        # Every username allauth lets a person choose is a citizen's: none poses as the team.
        username = super().clean_username(username, shallow=shallow)
        validate_citizen_name(username)
        return username

    def send_mail(self, template_prefix, email, context):
        # allauth renders the message here, in the request (its links need it); the task
        # worker sends it (notrecontinent/mail.py), so sign-up, confirmation and password
        # reset answer at once whatever the mail server does.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        queue_message(self.render_mail(template_prefix, email, context))

    def get_client_ip(self, request):
        # allauth's rate limits count per client as the rest of the site does.
        address = client_address(request)
        if address is None:
            # As allauth itself does: no address, no rate limit to key on.
            raise PermissionDenied
        return address
