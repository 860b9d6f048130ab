import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from notrecontinent.images import encode, open_upload

from .sanitizer import clean_html
from .search import Results as SearchResults

# The navigation bar lists active categories on every page; it is cached under this key.
NAV_CACHE_KEY = "articles:nav-categories:v1"
# "Les plus lus" (articles_tags.most_read) is cached under this key. Saving or deleting an
# article or a category drops it, so an unpublished article leaves the widget at once.
MOST_READ_CACHE_KEY = "articles:most-read:v2"

# Cover renditions: the article page's width, and the 16:9 thumbnail of the lists.
COVER_WIDTH = 1280
COVER_THUMBNAIL_SIZE = (640, 360)


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Category(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete_many([NAV_CACHE_KEY, MOST_READ_CACHE_KEY])

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete_many([NAV_CACHE_KEY, MOST_READ_CACHE_KEY])
        return result


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, with a publication date that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_category(self, category):
        return self.filter(category=category)

    def by_author(self, user):
        return self.filter(author=user)

    def awaiting_review(self):
        return self.filter(status=Article.Status.SUBMITTED)

    def search(self, text):
        """Full-text search: the matches, best first, with highlighted snippets (search.py)."""
        return SearchResults(self, text)

    def older_than(self, published_at, pk):
        """Articles listed after (published_at, pk) in a listing's newest-first order.

        Chain it first, before published(): SQLite bounds an index range by the first
        upper bound it reads, and this one is the tighter.
        """
        return self.filter(published_at__lte=published_at).exclude(
            published_at=published_at, pk__gte=pk
        )

    def newer_than(self, published_at, pk):
        """Articles listed before (published_at, pk) in a listing's newest-first order."""
        return self.filter(published_at__gte=published_at).exclude(
            published_at=published_at, pk__lte=pk
        )

    def for_listing(self):
        """Newest first, with what a card shows. Never the body: a listing reads no text
        it does not print, whatever the length of the articles."""
        return (
            self.select_related("category", "author").defer("body").order_by("-published_at", "-pk")
        )

    def with_view_totals(self):
        return self.annotate(total_views=Coalesce(Sum("daily_views__views"), 0))

    def most_read(self, days=7):
        """Ordered by views over the last `days` days, then by all-time views.

        Articles read within the window come first; when the window is thin, the rest
        of the list is filled by all-time readership.
        """
        since = timezone.localdate() - datetime.timedelta(days=days - 1)
        return (
            self.annotate(
                recent_views=Coalesce(
                    Sum("daily_views__views", filter=Q(daily_views__day__gte=since)), 0
                ),
                total_views=Coalesce(Sum("daily_views__views"), 0),
            )
            .filter(total_views__gt=0)
            .order_by("-recent_views", "-total_views", "-published_at")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("En relecture")
        PUBLISHED = "published", _("Publié")
        REJECTED = "rejected", _("Refusé")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, blank=True)
    summary = models.TextField(
        _("chapô"),
        max_length=500,
        blank=True,
        help_text=_("Deux ou trois phrases qui donnent envie de lire la suite."),
    )
    body = models.TextField(_("texte"), blank=True)
    cover_image = models.ImageField(_("image de couverture"), upload_to="covers/", blank=True)
    cover_thumbnail = models.ImageField(
        _("vignette de couverture"), upload_to="covers/thumbs/", blank=True, editable=False
    )
    cover_caption = models.CharField(_("légende de l'image"), max_length=200, blank=True)
    cover_credit = models.CharField(_("crédit de l'image"), max_length=120, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("catégorie")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("auteur"),
    )
    creator_credit = models.CharField(
        _("créateur de contenu"),
        max_length=120,
        blank=True,
        help_text=_("Si le texte a été écrit par une autre personne que le titulaire du compte."),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    is_featured = models.BooleanField(_("à la une"), default=False)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relu par"),
    )
    reviewed_at = models.DateTimeField(_("relu le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, db_index=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("moderate_article", _("Peut publier ou refuser des articles"))]
        # One index per public listing, matching its filter and its order (published(),
        # then "-published_at", "-pk"): pages are read off the index, never sorted.
        # The two site-wide ones lead with the status: SQLite, which keeps no statistics
        # here, would otherwise prefer the index on the status alone and sort.
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_published_idx"
            ),
            models.Index(
                fields=["category", "-published_at", "-id"],
                condition=Q(status="published"),
                name="article_category_published_idx",
            ),
            models.Index(
                fields=["author", "-published_at", "-id"],
                condition=Q(status="published"),
                name="article_author_published_idx",
            ),
            # The home page's lead: the newest featured article.
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=Q(is_featured=True),
                name="article_featured_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)
        cache.delete(MOST_READ_CACHE_KEY)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(MOST_READ_CACHE_KEY)
        return result

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_published(self):
        """Published, whether or not its publication date has come (see is_public)."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_rejected(self):
        return self.status == self.Status.REJECTED

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def byline_name(self):
        return self.author.public_name if self.author else _("Auteur supprimé")

    def set_cover(self, upload):
        """Make an uploaded picture the cover, decoded and re-encoded as WebP without metadata.

        Two renditions: the article page's (COVER_WIDTH wide) and the lists' thumbnail
        (COVER_THUMBNAIL_SIZE, cropped). Raises ValidationError (French) for a bad file.
        The caller saves the article; the previous cover files are removed from storage.
        """
        image = open_upload(upload)
        cover = encode(image, width=COVER_WIDTH)
        thumbnail = encode(image, width=COVER_THUMBNAIL_SIZE[0], height=COVER_THUMBNAIL_SIZE[1])
        # An upload merely assigned by a form is not in storage yet: nothing to remove.
        previous = [f for f in (self.cover_image, self.cover_thumbnail) if f and f._committed]
        previous = [(f.storage, f.name) for f in previous]
        self.cover_image.save(cover.name, cover, save=False)
        self.cover_thumbnail.save(thumbnail.name, thumbnail, save=False)
        for storage, name in previous:
            storage.delete(name)

    def _unique_slug(self):
        base = slugify(self.title)[:200].strip("-") or "article"
        slug, n = base, 2
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    # Workflow. Every transition, from the site or the admin, goes through these.

    @property
    def is_editable_by_author(self):
        """Authors edit drafts and refused articles; a published text is changed by a moderator."""
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    @property
    def is_deletable_by_author(self):
        """Authors delete what never went public and is not under review."""
        return self.status in (self.Status.DRAFT, self.Status.REJECTED) and not self.published_at

    def _require(self, *statuses):
        if self.status not in statuses:
            raise ValidationError(
                _("Cette action n'est pas possible pour un article « %(status)s »."),
                params={"status": self.get_status_display()},
                code="bad_transition",
            )

    def submit(self):
        self._require(self.Status.DRAFT, self.Status.REJECTED)
        if not strip_tags(self.body).strip():
            raise ValidationError(
                _("Écrivez le texte de l'article avant de le soumettre."), code="empty_body"
            )
        self.status = self.Status.SUBMITTED
        self.submitted_at = timezone.now()
        self.save(update_fields=["status", "submitted_at", "updated_at"])

    def withdraw(self):
        self._require(self.Status.SUBMITTED)
        self.status = self.Status.DRAFT
        self.save(update_fields=["status", "updated_at"])

    def publish(self, *, by):
        self._require(self.Status.SUBMITTED)
        now = timezone.now()
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or now
        self.rejection_reason = ""
        self.reviewed_by, self.reviewed_at = by, now
        self.save()

    def reject(self, *, by, reason):
        self._require(self.Status.SUBMITTED)
        if not reason.strip():
            raise ValidationError(_("Indiquez le motif du refus."), code="no_reason")
        self.status = self.Status.REJECTED
        self.rejection_reason = reason.strip()
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.save()

    def send_back_to_draft(self, *, by):
        self._require(self.Status.SUBMITTED, self.Status.PUBLISHED, self.Status.REJECTED)
        self.status = self.Status.DRAFT
        self.is_featured = False
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.save()

    def set_featured(self, value, *, by):
        if value and self.status != self.Status.PUBLISHED:
            raise ValidationError(
                _("Seul un article publié peut être mis à la une."), code="not_published"
            )
        self.is_featured = value
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.save(update_fields=["is_featured", "reviewed_by", "reviewed_at", "updated_at"])


class DailyViews(models.Model):
    """Views of one article on one day (site time): one row upserted per counted view."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField(_("jour"))
    views = models.PositiveIntegerField(_("lectures"), default=0)

    class Meta:
        verbose_name = _("lectures du jour")
        verbose_name_plural = _("lectures par jour")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="one_row_per_article_day"),
        ]
        indexes = [models.Index(fields=["day", "article"])]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"

    @classmethod
    def add(cls, article_id, day=None, count=1):
        """Atomically add views: a single INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, day, views) VALUES (%s, %s, %s) "
                f"ON CONFLICT (article_id, day) DO UPDATE SET views = {table}.views + %s",
                [article_id, day or timezone.localdate(), count, count],
            )
