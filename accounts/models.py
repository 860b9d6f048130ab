from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notrecontinent.images import encode, open_upload, store

AVATAR_SIZE = 256


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

    @property
    def is_organisation(self):
        """Associations and NGOs sign as organisations; individuals and professionals as people."""
        return self.account_kind in (self.Kind.ASSOCIATION, self.Kind.ONG)

    @property
    def is_team(self):
        """Staff and superusers: the site's own team, who alone may sign as the newsroom."""
        return self.is_staff or self.is_superuser

    @property
    def shows_organisation(self):
        """The organisation is shown for associations, NGOs and professionals only."""
        return bool(self.organisation) and self.account_kind != self.Kind.PARTICULIER

    def set_avatar(self, upload):
        """Make an uploaded picture the avatar: decoded, cropped square, re-encoded as WebP.

        Raises ValidationError (French) for a bad file. The caller saves the user; the
        previous avatar file leaves storage once that commits.
        """
        store(self.avatar, encode(open_upload(upload), width=AVATAR_SIZE, height=AVATAR_SIZE))

    def remove_avatar(self):
        """No avatar any more; the caller saves the user, the file goes once that commits."""
        store(self.avatar, None)

    # Suspension by a moderator: Django refuses log-in (and any open session) to an
    # inactive account, so a suspended citizen can neither sign in nor submit; every
    # piece of their data is kept.

    def may_be_suspended_by(self, moderator):
        """Nobody suspends themselves or a superuser; only a superuser suspends staff."""
        if self.pk == moderator.pk or self.is_superuser:
            return False
        return moderator.is_superuser or not self.is_staff

    def suspend(self):
        self.is_active = False
        self.save(update_fields=["is_active"])

    def reactivate(self):
        self.is_active = True
        self.save(update_fields=["is_active"])
