from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.sanitizer import clean_html
from notrecontinent import pagecache


class Page(models.Model):
    """One of the site's trust pages (legal notice, about, contact, charter, privacy).

    The set is fixed: each page has a known address, linked from the footer of every
    page without reading the database. Staff edit the title and the text; the rows are
    created by the migrations and are never added or deleted.
    """

    class Slug(models.TextChoices):
        ABOUT = "a-propos", _("À propos")
        LEGAL = "mentions-legales", _("Mentions légales")
        CONTACT = "contact", _("Contact")
        CHARTER = "charte-de-moderation", _("Charte de modération")
        PRIVACY = "confidentialite", _("Politique de confidentialité")

    slug = models.SlugField(_("adresse"), max_length=40, choices=Slug, unique=True)
    title = models.CharField(_("titre"), max_length=120)
    summary = models.CharField(
        _("résumé"),
        max_length=300,
        blank=True,
        help_text=_("Une ou deux phrases, pour les moteurs de recherche et les partages."),
    )
    body = models.TextField(_("texte"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("page d'information")
        verbose_name_plural = _("pages d'information")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The same cleaning as article bodies: the one function that makes HTML safe.
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)
        # Pages are edited rarely; every cached page is let go rather than tracking which
        # ones link here (the footer's links do not depend on the page's content).
        pagecache.changed_site()

    def get_absolute_url(self):
        return reverse("sitepages:detail", kwargs={"slug": self.slug})
