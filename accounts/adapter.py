import unicodedata
from functools import reduce
from operator import or_

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notrecontinent.clientaddress import client_address
from notrecontinent.mail import queue_message

from .validators import validate_citizen_name

LOGIN_FAILED = "login_failed"


def login_budget_keys(credentials):
    """The failed-login budgets a login attempt spends: one per account its login could
    open, however it is typed; the typed login itself, folded, when it opens none.

    allauth keys its budget on the string typed, so "awa", "AWA" and "awa@example.org"
    would each get a fresh one against the same account. The accounts are looked up
    more widely than the authentication backends look (either field, username or
    e-mail, case-insensitively, as typed and in NFKC form, the form Django's admin
    login gives), so any string that can open an account spends that account's budget.
    """
    typed = {value.strip() for key in ("username", "email") if (value := credentials.get(key))}
    forms = typed | {unicodedata.normalize("NFKC", value) for value in typed}
    if not forms:
        return []
    match = reduce(
        or_,
        (
            Q(username__iexact=value)
            | Q(email__iexact=value)
            | Q(emailaddress__email__iexact=value)
            for value in forms
        ),
    )
    accounts = get_user_model().objects.filter(match).values_list("pk", flat=True).distinct()
    if keys := sorted(f"account:{pk}" for pk in accounts):
        return keys
    return sorted({f"login:{fold(value)}" for value in typed})


def fold(value):
    """Unicode's caseless identifier matching (NFKC, casefold, NFKC), as UTS #36 advises."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Trop de tentatives de connexion échouées pour ce compte ou depuis votre "
            "adresse. Réessayez dans quelques minutes, ou choisissez un nouveau mot de "
            "passe avec « Mot de passe oublié ? »."
        ),
    }

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

    # Failed logins. allauth's authenticate() spends the "login_failed" budget before
    # checking the password (per client address and per key) and gives it back when the
    # password is right. Every login form goes through it: the site's (allauth) and the
    # admin's (accounts.forms.AdminLoginForm). Here the key is the account.

    def pre_authenticate(self, request, **credentials):
        spent = []
        for key in login_budget_keys(credentials):
            usage = ratelimit.consume(request, app="allauth.account", action=LOGIN_FAILED, key=key)
            if usage is None:
                ratelimit.RateLimitUsage(usage=spent).rollback()
                raise self.validation_error("too_many_login_attempts")
            spent += usage.usage
        # What allauth's authenticate() gives back when the password is right.
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=spent)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # After a password reset (allauth calls this for each of the account's addresses):
        # the account's budget starts afresh, as allauth does for the typed address.
        for key in login_budget_keys(credentials):
            ratelimit.clear(request, app="allauth.account", action=LOGIN_FAILED, key=key)
