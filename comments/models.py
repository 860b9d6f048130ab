import datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notrecontinent import pagecache
from notrecontinent.textnorm import EMAIL_KEY_LENGTH, email_key

# A top-level comment has depth 1; replies nest down to MAX_DEPTH. A reply to a comment
# already at MAX_DEPTH attaches beside it (under that comment's parent), still at MAX_DEPTH.
MAX_DEPTH = 3

UNSUBSCRIBE_SALT = "comments.unsubscribe"
EMAIL_CONFIRMATION_SALT = "comments.email-confirmation"
# How long the link that confirms a commenter's address stays valid.
EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 60 * 60

# The IP address and browser of a comment are kept this long (for abuse), then forgotten.
METADATA_RETENTION_DAYS = 90

# The top-level comment of a comment's thread: itself, or the one its `thread` names.
THREAD_ROOT = Coalesce("thread", "id")

# How long after posting a commenter may edit their comment (while it has no visible reply).
EDIT_WINDOW = datetime.timedelta(minutes=15)


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What readers see: approved comments only."""
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def on_article(self, article):
        return self.filter(article=article)

    def by_email(self, email):
        """Comments left with this address, however it is typed (case, Unicode forms)."""
        key = email_key(email)
        return self.filter(email_key=key) if key else self.none()

    def proven(self):
        """Comments whose address was proven: confirmed by its link, or posted signed in."""
        return self.filter(Q(email_confirmed_at__isnull=False) | Q(user__isnull=False))

    def top_level(self):
        return self.filter(parent__isnull=True)

    def purge_metadata(self, *, days=METADATA_RETENTION_DAYS):
        """Forget the IP address and browser of comments older than `days`; returns how many."""
        before = timezone.now() - datetime.timedelta(days=days)
        return (
            self.filter(created_at__lt=before)
            .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
            .update(ip_address=None, user_agent="")
        )

    def in_threads(self, roots):
        """The comments of the threads opened by `roots` (top-level comments' ids, or a
        subquery of them), the top-level comments included.

        A union rather than an OR of the two conditions: each half is then read from an
        index by SQLite and PostgreSQL alike, where an OR of subqueries scans the table.
        """
        comments = self.order_by()
        return comments.filter(pk__in=roots).union(comments.filter(thread__in=roots), all=True)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Approuvé")
        SPAM = "spam", _("Indésirable")
        REMOVED = "removed", _("Supprimé")
        # By its author (comments.services.delete_comment): its personal data are erased.
        DELETED = "deleted", _("Supprimé par son auteur")

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("article"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("réponse à"),
    )
    # The comment actually answered; differs from `parent` when the reply was attached
    # higher up because the answered comment sat at MAX_DEPTH.
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("en réponse au commentaire"),
    )
    # The top-level comment a reply's thread starts from; None for a top-level comment. An
    # article page reads whole threads by this column instead of walking the tree.
    thread = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # see the index comment_thread_idx
        related_name="+",
        verbose_name=_("fil"),
    )
    depth = models.PositiveSmallIntegerField(
        _("profondeur"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DEPTH)],
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("compte"),
    )
    name = models.CharField(_("nom"), max_length=80)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    # The address as the site compares it (notrecontinent.textnorm.email_key), kept by save().
    email_key = models.CharField(
        _("adresse e-mail normalisée"),
        max_length=EMAIL_KEY_LENGTH,
        blank=True,
        editable=False,
        db_index=True,
    )
    # Set when the commenter clicks the link e-mailed to the address: proof that the
    # comment comes from the owner of the address, which a typed address never is.
    email_confirmed_at = models.DateTimeField(
        _("adresse confirmée le"), null=True, blank=True, editable=False
    )
    body = models.TextField(_("commentaire"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    # Set once, by the moderation policy, when the comment is posted; kept after a
    # moderator's decision so that the history stays readable.
    hold_reason = models.CharField(_("motif de mise en attente"), max_length=200, blank=True)
    notify_replies = models.BooleanField(_("prévenir des réponses"), default=False)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("posté le"), default=timezone.now, db_index=True)
    # When its author last changed its text (comments.services.edit_comment), or deleted it.
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modéré par"),
    )
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        permissions = [("moderate_comment", _("Peut modérer les commentaires"))]
        # An article page reads its comments through the first three, whatever the number
        # of comments on the site (comments.threads).
        indexes = [
            # Counts of visible comments and of threads, read from the index alone.
            models.Index(
                fields=["article", "status", "thread", "id"], name="comment_article_status_idx"
            ),
            # The threads, newest first: top-level comments only; the status lets the
            # visible ones be told apart without reading the table.
            models.Index(
                fields=["article", "-created_at", "-id", "status"],
                condition=Q(parent__isnull=True),
                name="comment_thread_roots_idx",
            ),
            # The replies of a page's threads, and whether a thread shows anything.
            models.Index(fields=["thread", "status"], name="comment_thread_idx"),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__gte=1) & Q(depth__lte=MAX_DEPTH), name="comment_depth_range"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=1) | Q(parent__isnull=False, depth__gt=1),
                name="comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, thread__isnull=True)
                | Q(parent__isnull=False, thread__isnull=False),
                name="comment_thread_matches_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.email_key = email_key(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_deleted(self):
        return self.status == self.Status.DELETED

    # Self-service: what its author may still do (comments.services checks these again
    # under a lock before it changes anything).

    @property
    def editable_until(self):
        return self.created_at + EDIT_WINDOW

    def has_visible_replies(self):
        """An approved comment answers it: nested under it, or beside it (reply_to)."""
        return (
            Comment.objects.visible()
            .filter(Q(parent=self.pk) | Q(reply_to=self.pk))
            .exclude(pk=self.pk)
            .exists()
        )

    def owned_by(self, *, user=None, session_ids=()):
        """Whether this reader wrote it: a signed-in author through their account, an
        anonymous one from the browser session that posted it (its ids in the session).
        Nothing else: not a typed name or address."""
        if self.user_id is not None:
            return user is not None and user.is_authenticated and user.pk == self.user_id
        return self.pk in session_ids

    def unsubscribe_token(self):
        return signing.dumps({"c": self.pk}, salt=UNSUBSCRIBE_SALT)

    @classmethod
    def from_unsubscribe_token(cls, token):
        """The comment an unsubscribe link was made for, or None for a bad link."""
        try:
            data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), int):
            return None
        return cls.objects.filter(pk=data["c"]).first()

    @property
    def is_email_confirmed(self):
        return self.email_confirmed_at is not None

    def email_confirmation_token(self):
        """The signed link's token: this comment and its address, dated (valid 3 days)."""
        return signing.TimestampSigner(salt=EMAIL_CONFIRMATION_SALT).sign_object(
            {"c": self.pk, "k": self.email_key}
        )

    @classmethod
    def from_email_confirmation_token(cls, token):
        """The comment a confirmation link was sent for, or None for a bad or expired link,
        or one whose address has changed or been erased since."""
        try:
            data = signing.TimestampSigner(salt=EMAIL_CONFIRMATION_SALT).unsign_object(
                token, max_age=EMAIL_CONFIRMATION_MAX_AGE
            )
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("c"), int)
            or not isinstance(data.get("k"), str)
            or not data["k"]
        ):
            return None
        return (
            cls.objects.select_related("article").filter(pk=data["c"], email_key=data["k"]).first()
        )

    def stop_reply_notifications(self):
        """No more reply e-mails for this comment, nor any other comment from its e-mail."""
        return (
            Comment.objects.filter(Q(pk=self.pk) | Q(pk__in=Comment.objects.by_email(self.email)))
            .filter(notify_replies=True)
            .update(notify_replies=False)
        )

    def attach_to(self, parent):
        """Answer `parent`: nest under it, or beside it when it already sits at MAX_DEPTH."""
        self.reply_to = parent
        if parent is None:
            self.parent, self.depth, self.thread = None, 1, None
            return
        self.thread_id = parent.thread_id or parent.pk
        if parent.depth >= MAX_DEPTH:
            self.parent_id, self.depth = parent.parent_id, MAX_DEPTH
        else:
            self.parent, self.depth = parent, parent.depth + 1

    # Moderation. Only comments.services.moderate() calls this: the admin's actions and
    # change form go through it, and it sends the e-mails an approval triggers.
    def set_status(self, status, *, by=None):
        self.status = status
        self.moderated_by = by
        self.moderated_at = timezone.now() if by is not None else None
        self.save(update_fields=["status", "moderated_by", "moderated_at"])


class ModerationSettings(models.Model):
    """The one row of word lists and thresholds moderators tune in the admin."""

    CACHE_KEY = "comments:moderation-settings"

    moderation_words = models.TextField(
        _("mots à modérer"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne : le commentaire attend un modérateur."),
    )
    blocked_words = models.TextField(
        _("mots interdits"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne : le commentaire est classé indésirable."),
    )
    link_threshold = models.PositiveSmallIntegerField(
        _("seuil de liens"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("À partir de ce nombre de liens, le commentaire attend un modérateur."),
    )
    flood_seconds = models.PositiveSmallIntegerField(
        _("délai entre deux commentaires (secondes)"),
        default=15,
        help_text=_("Par adresse IP et par adresse e-mail. 0 désactive le contrôle."),
    )
    max_length = models.PositiveSmallIntegerField(
        _("longueur maximale"),
        default=3000,
        validators=[MinValueValidator(100), MaxValueValidator(10000)],
        help_text=_("Nombre maximal de caractères d'un commentaire."),
    )
    form_max_age = models.PositiveIntegerField(
        _("durée de validité du formulaire (secondes)"),
        default=2 * 60 * 60,
        validators=[MinValueValidator(60)],
    )
    close_after_days = models.PositiveIntegerField(
        _("fermer les commentaires après (jours)"),
        default=0,
        help_text=_(
            "Les commentaires se ferment sur les articles publiés depuis plus de ce nombre "
            "de jours. 0 : jamais."
        ),
    )

    class Meta:
        verbose_name = _("réglages de modération")
        verbose_name_plural = _("réglages de modération")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moderation_settings_singleton"),
        ]

    def __str__(self):
        return str(_("Réglages de modération"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        # close_after_days opens or closes the comments of article pages.
        pagecache.changed_site()

    @classmethod
    def load(cls):
        """The settings row, created with defaults on first use, cached between requests."""
        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, obj, 300)
        return obj

    def closes_after(self):
        """How long after publication an article's comments stay open; None: for ever."""
        return datetime.timedelta(days=self.close_after_days) if self.close_after_days else None

    @staticmethod
    def _lines(text):
        # As the moderator wrote them: comments.policy matches them after normalisation.
        return [w.strip() for w in text.splitlines() if w.strip()]

    @property
    def moderation_word_list(self):
        return self._lines(self.moderation_words)

    @property
    def blocked_word_list(self):
        return self._lines(self.blocked_words)


class Discussion(models.Model):
    """A moderator's decision to close, or to keep open, the comments of one article.

    Without a row the article follows the rule of the moderation settings
    (`close_after_days`); a row overrides it either way. comments.services.comments_open()
    is the one place that reads both.
    """

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="discussion",
        verbose_name=_("article"),
    )
    is_open = models.BooleanField(
        _("commentaires ouverts"),
        default=False,
        help_text=_(
            "Décoché : les commentaires sont fermés. Coché : ils restent ouverts même après "
            "le délai des réglages de modération. Supprimez la ligne pour revenir à la règle."
        ),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    changed_at = models.DateTimeField(_("décidé le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("fermeture des commentaires")
        verbose_name_plural = _("fermetures des commentaires")

    def __str__(self):
        return str(self.article)
