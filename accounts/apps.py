from allauth.account.apps import AccountConfig as AllauthAccountConfigBase
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # this module holds allauth's and the admin's configs too
    name = "accounts"
    verbose_name = _("Comptes")


class AllauthAccountConfig(AllauthAccountConfigBase):
    """django-allauth's account app, which holds the e-mail addresses. Allauth names it
    "Accounts", translated "Comptes" like this app: the dashboard showed two "Comptes"."""

    default = False
    verbose_name = _("Adresses e-mail")


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with accounts.adminsite.AdminSite as its default site."""

    default = False
    default_site = "accounts.adminsite.AdminSite"
