import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A report's IP address is kept this long (for abuse), then forgotten.
METADATA_RETENTION_DAYS = 90


class ReportQuerySet(models.QuerySet):
    def open(self):
        """What waits for a moderator: reports nobody has handled yet."""
        return self.filter(is_resolved=False)

    def purge_metadata(self, *, days=METADATA_RETENTION_DAYS):
        """Forget the IP address of reports older than `days`; returns how many."""
        before = timezone.now() - datetime.timedelta(days=days)
        return self.filter(created_at__lt=before, ip_address__isnull=False).update(ip_address=None)


class Report(models.Model):
    """A reader's report ("Signaler") of a comment or of an article."""

    class Reason(models.TextChoices):
        ILLEGAL = "illegal", _("Contenu illicite")
        HATE = "hate", _("Propos haineux ou discriminatoires")
        HARASSMENT = "harassment", _("Harcèlement ou menace")
        PRIVACY = "privacy", _("Atteinte à la vie privée")
        FALSE = "false", _("Fausse information")
        SPAM = "spam", _("Publicité ou contenu indésirable")
        OTHER = "other", _("Autre")

    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("commentaire"),
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("article"),
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason)
    details = models.TextField(_("précisions"), max_length=2000, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("signalé par"),
    )
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("signalé le"), default=timezone.now, db_index=True)
    is_resolved = models.BooleanField(_("traité"), default=False, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["is_resolved", "-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(comment__isnull=False) & Q(article__isnull=True))
                | (Q(comment__isnull=True) & Q(article__isnull=False)),
                name="report_targets_one_thing",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} — {self.target}"

    @property
    def target(self):
        return self.comment if self.comment_id else self.article

    def resolve(self, *, by):
        self.is_resolved = True
        self.resolved_by, self.resolved_at = by, timezone.now()
        self.save(update_fields=["is_resolved", "resolved_by", "resolved_at"])
