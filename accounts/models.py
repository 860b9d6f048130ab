from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Kind(models.TextChoices):
        PARTICULIER = "particulier", _("Particulier")
        ASSOCIATION = "association", _("Association")
        ONG = "ong", _("ONG")
        PROFESSIONNEL = "professionnel", _("Professionnel")

    display_name = models.CharField(
        _("nom affiché"),
        max_length=80,
        blank=True,
        help_text=_("Le nom qui signe vos articles et vos commentaires."),
    )
    account_kind = models.CharField(
        _("type de compte"), max_length=20, choices=Kind, default=Kind.PARTICULIER
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=120,
        blank=True,
        help_text=_("Nom de l'association, de l'ONG ou de l'entreprise."),
    )
    bio = models.TextField(_("présentation"), max_length=1500, blank=True)
    website = models.URLField(_("site web"), blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("accounts:author", kwargs={"username": self.username})

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.username
