from allauth.account.apps import AccountConfig as AllauthAccountConfigBase
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module holds allauth's config too
    name = "accounts"
    verbose_name = _("Comptes")


class AllauthAccountConfig(AllauthAccountConfigBase):
    """django-allauth's account app, which holds the e-mail addresses. Allauth names it
    "Accounts", translated "Comptes" like this app: the dashboard showed two "Comptes"."""

    default = False
    verbose_name = _("Adresses e-mail")
