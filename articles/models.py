import datetime
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from notrecontinent import pagecache
from notrecontinent.images import encode, open_upload, store

from .sanitizer import clean_html
from .search import Results as SearchResults

# The navigation bar lists active categories on every page; it is cached under this key.
NAV_CACHE_KEY = "articles:nav-categories:v1"
# "Les plus lus" (articles.readership.most_read_list) is cached under this key, tagged with
# the generation under the second one. Saving or deleting an article or a category starts a
# new generation (forget_most_read), so an unpublished article leaves the widget at once,
# even if a recomputation that read it was under way.
MOST_READ_CACHE_KEY = "articles:most-read:v3"
MOST_READ_GENERATION_KEY = "articles:most-read:generation"

# Cover renditions: the article page's width, and the 16:9 thumbnail of the lists.
COVER_WIDTH = 1280
COVER_THUMBNAIL_SIZE = (640, 360)


# The longest body an article may have, as stored: its HTML, once cleaned. Far above any
# real article (a long investigation runs to 60 000 characters), far below what makes a
# page, a feed or the search index heavy.
BODY_MAX_LENGTH = 200_000


def validate_body_length(value):
    """An article's body, once cleaned as it will be stored, is at most BODY_MAX_LENGTH
    characters long."""
    length = len(clean_html(value))
    if length > BODY_MAX_LENGTH:
        raise ValidationError(
            _(
                "Le texte est trop long : %(length)s caractères, mise en forme comprise, "
                "pour %(limit)s au plus. Raccourcissez-le, ou publiez-le en plusieurs articles."
            ),
            code="max_length",
            params={
                "length": number_format(length, force_grouping=True),
                "limit": number_format(BODY_MAX_LENGTH, force_grouping=True),
            },
        )


def forget_most_read():
    cache.set(MOST_READ_GENERATION_KEY, secrets.token_hex(8), None)


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
        cache.delete(NAV_CACHE_KEY)
        forget_most_read()
        pagecache.changed_site()  # the navigation of every page

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(NAV_CACHE_KEY)
        forget_most_read()
        pagecache.changed_site()
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

    def claim_submission_notice(self, pk):
        """Whether the moderators may be told now that article `pk` waits for review: once
        per SUBMISSION_NOTICE_SECONDS at most, however many times it is withdrawn and
        submitted again. One conditional UPDATE claims the turn, so that of two concurrent
        claims, on either database, exactly one wins. Returns the claim's time when it is
        won (for release_submission_notice), None when it is not."""
        now = timezone.now()
        since = now - datetime.timedelta(seconds=settings.SUBMISSION_NOTICE_SECONDS)
        won = (
            self.filter(pk=pk)
            .filter(Q(moderators_notified_at__isnull=True) | Q(moderators_notified_at__lte=since))
            .update(moderators_notified_at=now)
        )
        return now if won else None

    def release_submission_notice(self, pk, claimed_at):
        """Give back a claim whose notice could not be sent: the next one may go at once."""
        self.filter(pk=pk, moderators_notified_at=claimed_at).update(moderators_notified_at=None)

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
        """`total_views`: all-time views, from the Readership rollup."""
        return self.annotate(total_views=Coalesce(F("readership__views"), 0))

    def most_read(self):
        """Ordered by views over the last 7 days, then by all-time views (Readership).

        Articles read within the window come first; when the window is thin, the rest
        of the list is filled by all-time readership.
        """
        return (
            self.filter(readership__views__gt=0)
            .annotate(
                recent_views=F("readership__recent_views"), total_views=F("readership__views")
            )
            .order_by("-readership__recent_views", "-readership__views", "-published_at")
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
    body = models.TextField(_("texte"), blank=True, validators=[validate_body_length])
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
    # When a published text last changed (an approved correction, a moderator's edit, a
    # restored revision): the page says "Mis à jour le". Featuring or counting never sets it.
    revised_at = models.DateTimeField(_("mis à jour le"), null=True, blank=True, editable=False)
    # The last factual correction, as the page's "Correction" line says it.
    correction_note = models.TextField(
        _("correction publiée"), blank=True, default="", db_default="", editable=False
    )
    corrected_at = models.DateTimeField(_("corrigé le"), null=True, blank=True, editable=False)
    # When moderators were last told of a submission (claim_submission_notice).
    moderators_notified_at = models.DateTimeField(
        _("modération prévenue le"), null=True, blank=True, editable=False
    )

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
        forget_most_read()
        self._announce_to_readers()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_most_read()
        self._announce_to_readers()
        return result

    def _announce_to_readers(self):
        """Pages cached for readers show an article that is or was public as it is now: a
        publication, an edit, a withdrawal, a deletion. A draft never published shows nowhere."""
        if self.published_at is not None:
            pagecache.changed_site()

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
        The caller saves the article; the previous files leave storage once that commits.
        """
        image = open_upload(upload)
        store(self.cover_image, encode(image, width=COVER_WIDTH))
        store(
            self.cover_thumbnail,
            encode(image, width=COVER_THUMBNAIL_SIZE[0], height=COVER_THUMBNAIL_SIZE[1]),
        )

    def store_proposed_cover(self, upload):
        """Store the renditions of a correction's proposed cover beside the live ones, under
        new names, without touching the article's fields: the live page keeps its cover
        until the correction is approved. Returns (cover name, thumbnail name); raises
        ValidationError (French) for a bad file."""
        image = open_upload(upload)
        names = []
        for name, content in (
            ("cover_image", encode(image, width=COVER_WIDTH)),
            (
                "cover_thumbnail",
                encode(image, width=COVER_THUMBNAIL_SIZE[0], height=COVER_THUMBNAIL_SIZE[1]),
            ),
        ):
            field = self._meta.get_field(name)
            names.append(field.storage.save(field.generate_filename(self, content.name), content))
        return tuple(names)

    def stored_file(self, field_name, name):
        """A file of this article's history (a version's cover) as its field's file."""
        field = self._meta.get_field(field_name)
        return field.attr_class(self, field, name)

    def remove_cover(self):
        """No cover any more; the caller saves the article, the files go once that commits."""
        store(self.cover_image, None)
        store(self.cover_thumbnail, None)

    def _unique_slug(self):
        base = slugify(self.title)[:200].strip("-") or "article"
        slug, n = base, 2
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    # Workflow. The rules of who may do what, read by views and templates:

    @property
    def is_editable_by_author(self):
        """Authors edit drafts and refused articles; a published text is changed by a moderator."""
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    @property
    def is_correctable_by_author(self):
        """A published text is changed by proposing a correction, which a moderator reviews."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_deletable_by_author(self):
        """Authors delete what never went public and is not under review."""
        return self.status in (self.Status.DRAFT, self.Status.REJECTED) and not self.published_at

    # Versions: what was sent for review, numbered (ArticleVersion).

    def text_snapshot(self):
        """What readers get of the article, as an ArticleVersion records it."""
        snapshot = {name: getattr(self, name) for name in ArticleVersion.TEXT_FIELDS}
        snapshot["cover_image"] = self.cover_image.name or ""
        return snapshot

    def version_under_review(self):
        """The version a moderator reads while the article waits for review, or None."""
        return self.versions.under_review().first()

    def _record_version(self, *, kind, by):
        previous = self.versions.order_by("-number").first()
        snapshot = self.text_snapshot()
        return self.versions.create(
            number=previous.number + 1 if previous else 1,
            kind=kind,
            created_by=by,
            changed_fields=previous.fields_changed_in(snapshot) if previous else [],
            **snapshot,
        )

    def _close_version(self, outcome, *, by, note=""):
        """Record what became of the version under review (none for an article submitted
        before versions were kept, or loaded in bulk)."""
        version = self.version_under_review()
        if version is not None:
            version.close(outcome, by=by, note=note)
        return version

    def _require_unchanged_since(self, number):
        """The version under review, when it is number `number` (the one the moderator
        read) and the article's text is still that version's."""
        version = self.version_under_review()
        if number is None:
            raise ValidationError(
                _("La version relue n'est pas indiquée : relisez l'article avant de le publier."),
                code="no_version_read",
            )
        if version is None or version.number != number or not version.matches(self):
            raise ValidationError(
                _(
                    "Le texte a changé depuis la version que vous avez relue : relisez la "
                    "nouvelle version avant de la publier."
                ),
                code="changed_since_review",
                params={"read": number, "current": version.number if version else None},
            )
        return version

    # Guarded transitions: each checks that the article's status allows the change, then
    # saves it with its version's record, and does nothing more. Only articles.services
    # calls them, adding the change's effects (e-mails, files): call
    # services.publish(article, by=..., version=...), never article.mark_published(...).

    def _require(self, *statuses):
        if self.status not in statuses:
            raise ValidationError(
                _("Cette action n'est pas possible pour un article « %(status)s »."),
                params={"status": self.get_status_display()},
                code="bad_transition",
            )

    def mark_submitted(self):
        """Returns the new version: a copy of the text as submitted, numbered."""
        self._require(self.Status.DRAFT, self.Status.REJECTED)
        if not strip_tags(self.body).strip():
            raise ValidationError(
                _("Écrivez le texte de l'article avant de le soumettre."), code="empty_body"
            )
        version = self._record_version(kind=ArticleVersion.Kind.SUBMISSION, by=self.author)
        self.status = self.Status.SUBMITTED
        self.submitted_at = timezone.now()
        self.save(update_fields=["status", "submitted_at", "updated_at"])
        return version

    def mark_withdrawn(self):
        self._require(self.Status.SUBMITTED)
        self._close_version(ArticleVersion.Outcome.WITHDRAWN, by=self.author)
        self.status = self.Status.DRAFT
        self.save(update_fields=["status", "updated_at"])

    def mark_edited(self, *, by):
        """A moderator has saved a change to the article. Under review, a text that is no
        longer the version's becomes a new version, by the moderator, which replaces it:
        the one to read and publish. Returns the version under review, if any."""
        if self.status != self.Status.SUBMITTED:
            return None
        version = self.version_under_review()
        if version is not None and version.matches(self):
            return version
        self._close_version(ArticleVersion.Outcome.SUPERSEDED, by=by)
        return self._record_version(kind=ArticleVersion.Kind.MODERATOR_EDIT, by=by)

    def mark_published(self, *, by, version):
        """`version`: the number of the version the moderator read."""
        self._require(self.Status.SUBMITTED)
        read = self._require_unchanged_since(version)
        now = timezone.now()
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or now
        self.rejection_reason = ""
        self.reviewed_by, self.reviewed_at = by, now
        self.save()
        read.close(ArticleVersion.Outcome.PUBLISHED, by=by, at=now)

    def mark_rejected(self, *, by, reason):
        self._require(self.Status.SUBMITTED)
        if not reason.strip():
            raise ValidationError(_("Indiquez le motif du refus."), code="no_reason")
        self.status = self.Status.REJECTED
        self.rejection_reason = reason.strip()
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.save()
        self._close_version(ArticleVersion.Outcome.REJECTED, by=by, note=self.rejection_reason)

    def mark_sent_back_to_draft(self, *, by):
        """Returns the version under review it closed (a submission, or a waiting
        correction of a published text), if any."""
        self._require(self.Status.SUBMITTED, self.Status.PUBLISHED, self.Status.REJECTED)
        closed = None
        if self.status in (self.Status.SUBMITTED, self.Status.PUBLISHED):
            closed = self._close_version(ArticleVersion.Outcome.SENT_BACK, by=by)
        self.status = self.Status.DRAFT
        self.is_featured = False
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.save()
        return closed

    # Corrections of a published text, and its revisions. A correction is a version the
    # author proposes (kind CORRECTION): it waits, numbered, while the page stays as it is,
    # and a moderator approves it by the number they read, as a submission. A revision is a
    # version that went live (outcome PUBLISHED): the first publication, each approved
    # correction, each moderator's edit of the published text, each restoration.

    def waiting_correction(self):
        return self.versions.waiting_corrections().first()

    def revisions(self):
        return self.versions.filter(outcome=ArticleVersion.Outcome.PUBLISHED)

    def mark_correction_proposed(self, *, by, text, note, is_factual):
        """`text`: the proposed TEXT_FIELDS (a cover by its file's name) and cover_thumbnail.
        Returns the new version. At most one waits per article (and the database says so)."""
        self._require(self.Status.PUBLISHED)
        if self.waiting_correction() is not None:
            raise ValidationError(
                _(
                    "Une correction de cet article attend déjà la relecture : modifiez-la ou "
                    "retirez-la."
                ),
                code="correction_waiting",
            )
        note = note.strip()
        if not note:
            raise ValidationError(_("Dites ce qui change et pourquoi."), code="no_correction_note")
        validate_body_length(text["body"])
        text = {**text, "body": clean_html(text["body"])}
        if not strip_tags(text["body"]).strip():
            raise ValidationError(
                _("Le texte de l'article ne peut pas être vide."), code="empty_body"
            )
        live = self.text_snapshot()
        changed = [name for name in ArticleVersion.TEXT_FIELDS if text[name] != live[name]]
        if not changed:
            raise ValidationError(
                _("Cette correction ne change rien à l'article en ligne."), code="no_change"
            )
        previous = self.versions.order_by("-number").first()
        return self.versions.create(
            number=previous.number + 1 if previous else 1,
            kind=ArticleVersion.Kind.CORRECTION,
            created_by=by,
            changed_fields=changed,
            author_note=note,
            is_factual=is_factual,
            **text,
        )

    def _require_waiting_correction(self, number):
        """The waiting correction, when it is number `number`, the one the moderator read."""
        correction = self.waiting_correction()
        if number is None:
            raise ValidationError(
                _("La version relue n'est pas indiquée : relisez la correction avant de décider."),
                code="no_version_read",
            )
        if correction is None or correction.number != number:
            raise ValidationError(
                _(
                    "La correction a changé depuis la version que vous avez relue (ou n'attend "
                    "plus) : relisez-la avant de décider."
                ),
                code="changed_since_review",
                params={"read": number, "current": correction.number if correction else None},
            )
        return correction

    def mark_correction_withdrawn(self, *, outcome=None, by=None):
        """The author takes the waiting correction back (or it is superseded by a change of
        it, or closed with the article). Returns the closed version, or None."""
        correction = self.waiting_correction()
        if correction is not None:
            correction.close(outcome or ArticleVersion.Outcome.WITHDRAWN, by=by or self.author)
        return correction

    def mark_correction_refused(self, *, by, version, reason):
        self._require(self.Status.PUBLISHED)
        correction = self._require_waiting_correction(version)
        if not reason.strip():
            raise ValidationError(_("Indiquez le motif du refus."), code="no_reason")
        correction.close(ArticleVersion.Outcome.REJECTED, by=by, note=reason.strip())
        return correction

    def mark_corrected(self, *, by, version, is_factual, public_note=""):
        """The moderator approves the waiting correction number `version` (the one they
        read): the published text becomes it. The URL, the publication date, the figures
        and the comments stay; the replaced cover's files stay with the revision that names
        them. Returns the correction, now a revision."""
        self._require(self.Status.PUBLISHED)
        correction = self._require_waiting_correction(version)
        before = self.text_snapshot()
        if correction.cover_image != self.cover_image.name:
            self.cover_image = correction.cover_image
            self.cover_thumbnail = correction.cover_thumbnail
        now = timezone.now()
        changed = self._take_text(correction, at=now, before=before)
        is_factual = is_factual or correction.is_factual
        if is_factual:
            public_note = (public_note or correction.author_note).strip()
            self.correction_note, self.corrected_at = public_note, now
        self.save()
        correction.changed_fields = changed
        correction.is_factual = is_factual
        correction.save(update_fields=["changed_fields", "is_factual"])
        correction.close(ArticleVersion.Outcome.PUBLISHED, by=by, at=now)
        return correction

    def mark_revised(self, *, by, before):
        """A moderator has saved a change to the published text (`before`: its snapshot
        as it was): a revision records it. Returns it, or None when the text is unchanged."""
        if self.status != self.Status.PUBLISHED:
            return None
        snapshot = self.text_snapshot()
        changed = [n for n in ArticleVersion.TEXT_FIELDS if snapshot[n] != before[n]]
        if not changed:
            return None
        now = timezone.now()
        self.revised_at = now
        self.save(update_fields=["revised_at", "updated_at"])
        return self._record_revision(
            ArticleVersion.Kind.MODERATOR_EDIT, by=by, at=now, changed=changed
        )

    def mark_restored(self, *, by, version):
        """Make revision number `version` the published text again: a new revision.
        Its cover comes back if its file is still stored. Returns the new revision."""
        self._require(self.Status.PUBLISHED)
        revision = self.revisions().filter(number=version).first()
        if revision is None:
            raise ValidationError(
                _("Cette révision n'existe pas pour cet article."), code="no_such_revision"
            )
        before = self.text_snapshot()
        storage = self.cover_image.storage
        if revision.cover_image != self.cover_image.name and (
            not revision.cover_image
            or (
                storage.exists(revision.cover_image)
                and revision.cover_thumbnail
                and storage.exists(revision.cover_thumbnail)
            )
        ):
            self.cover_image = revision.cover_image
            self.cover_thumbnail = revision.cover_thumbnail
        now = timezone.now()
        changed = self._take_text(revision, at=now, before=before)
        if not changed:
            raise ValidationError(
                _("Le texte en ligne est déjà celui de cette révision."), code="no_change"
            )
        self.save()
        return self._record_revision(
            ArticleVersion.Kind.RESTORATION,
            by=by,
            at=now,
            changed=changed,
            note=_("Restauration de la version n° %(number)d") % {"number": revision.number},
        )

    def _take_text(self, version, *, at, before):
        """Copy `version`'s text (not its cover, which the caller handles) into the article;
        returns the fields that changed since `before`, its snapshot."""
        for name in ArticleVersion.TEXT_FIELDS:
            if name != "cover_image":
                setattr(self, name, getattr(version, name))
        self.revised_at = at
        self.body = clean_html(self.body)
        after = self.text_snapshot()
        return [n for n in ArticleVersion.TEXT_FIELDS if after[n] != before[n]]

    def _record_revision(self, kind, *, by, at, changed, note=""):
        previous = self.versions.order_by("-number").first()
        return self.versions.create(
            number=previous.number + 1 if previous else 1,
            kind=kind,
            created_by=by,
            created_at=at,
            changed_fields=changed,
            cover_thumbnail=self.cover_thumbnail.name or "",
            outcome=ArticleVersion.Outcome.PUBLISHED,
            decided_by=by,
            decided_at=at,
            note=str(note),
            **self.text_snapshot(),
        )

    def mark_featured(self, value, *, by):
        if value and self.status != self.Status.PUBLISHED:
            raise ValidationError(
                _("Seul un article publié peut être mis à la une."), code="not_published"
            )
        self.is_featured = value
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.save(update_fields=["is_featured", "reviewed_by", "reviewed_at", "updated_at"])


class ArticleVersionQuerySet(models.QuerySet):
    def under_review(self):
        return self.filter(outcome=ArticleVersion.Outcome.PENDING)

    def waiting_corrections(self):
        return self.under_review().filter(kind=ArticleVersion.Kind.CORRECTION)


class ArticleVersion(models.Model):
    """A numbered copy of an article's text as it went to review, and what became of it.

    Each submission records one, and so does a moderator's change to a text under
    review. A moderator publishes a version by its number, and the publication is refused
    once the article's text is no longer that version's: what goes online is what was
    read. The rows are the article's history in the admin: who sent which text, who
    decided what, when. Another kind of version (a correction of a published article)
    can follow the same rule.
    """

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Soumission de l'auteur")
        MODERATOR_EDIT = "moderator_edit", _("Modification par la modération")
        CORRECTION = "correction", _("Correction proposée par l'auteur")
        RESTORATION = "restoration", _("Restauration d'une révision")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("En relecture")
        PUBLISHED = "published", _("Publiée")
        REJECTED = "rejected", _("Refusée")
        WITHDRAWN = "withdrawn", _("Retirée par l'auteur")
        SENT_BACK = "sent_back", _("Renvoyée en brouillon")
        SUPERSEDED = "superseded", _("Remplacée par une modification")

    # The article's fields a version copies: everything readers get of it but its
    # category. A cover is recorded by its file's name: each upload is stored under a new one.
    TEXT_FIELDS = (
        "title",
        "summary",
        "body",
        "cover_image",
        "cover_caption",
        "cover_credit",
        "creator_credit",
    )

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("numéro"))
    kind = models.CharField(_("nature"), max_length=20, choices=Kind, default=Kind.SUBMISSION)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("chapô"), blank=True)
    body = models.TextField(_("texte"), blank=True)
    cover_image = models.CharField(_("image de couverture"), max_length=255, blank=True)
    cover_caption = models.CharField(_("légende de l'image"), max_length=200, blank=True)
    cover_credit = models.CharField(_("crédit de l'image"), max_length=120, blank=True)
    creator_credit = models.CharField(_("créateur de contenu"), max_length=120, blank=True)
    # The cover's thumbnail (a correction's proposed cover is stored apart from the live
    # files until it is approved; a revision keeps its thumbnail for a restoration).
    cover_thumbnail = models.CharField(_("vignette de couverture"), max_length=255, blank=True)
    # A correction's "Ce qui change et pourquoi", and whether it corrects a fact.
    author_note = models.TextField(_("ce qui change et pourquoi"), blank=True)
    is_factual = models.BooleanField(_("correction factuelle"), default=False)
    # Which of TEXT_FIELDS differ from the previous version: the history shows them.
    changed_fields = models.JSONField(_("champs modifiés"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyée par"),
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    outcome = models.CharField(
        _("suite donnée"), max_length=20, choices=Outcome, default=Outcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    note = models.TextField(_("motif"), blank=True)

    objects = ArticleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("version d'article")
        verbose_name_plural = _("versions d'articles")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_number"),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(outcome="pending"),
                name="one_article_version_under_review",
            ),
        ]

    def __str__(self):
        return f"{self.article_id} n° {self.number}"

    def matches(self, article):
        """Whether `article`'s text is still this version's."""
        return not self.fields_changed_in(article.text_snapshot())

    def fields_changed_in(self, snapshot):
        return [name for name in self.TEXT_FIELDS if getattr(self, name) != snapshot[name]]

    def changed_field_names(self):
        """The changed fields, as the article form names them."""
        return [Article._meta.get_field(name).verbose_name for name in self.changed_fields]

    def close(self, outcome, *, by, at=None, note=""):
        self.outcome = outcome
        self.decided_by, self.decided_at = by, at or timezone.now()
        self.note = note
        self.save(update_fields=["outcome", "decided_by", "decided_at", "note"])


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
        """Atomically add views to the day's row and to the article's Readership.

        Two INSERT … ON CONFLICT DO UPDATE in one transaction, on SQLite and PostgreSQL:
        concurrent counts from any process add up, and none is lost.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        today = timezone.localdate()
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, day, views) VALUES (%s, %s, %s) "
                f"ON CONFLICT (article_id, day) DO UPDATE SET views = {table}.views + %s",
                [article_id, day or today, count, count],
            )
            Readership.add(cursor, article_id, count, day or today, today)


class ViewBatch(models.Model):
    """A batch of views moved from the cache's buffer into DailyViews (articles.readership).

    Written in the transaction that adds the batch's views: a flush that dies after its
    commit but before it could clear the batch from the cache leaves the batch there, and
    the next flush finds its name here and only clears it. Each batch is added once.
    """

    name = models.CharField(_("lot"), max_length=100, unique=True)
    applied_at = models.DateTimeField(_("ajouté le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lot de lectures")
        verbose_name_plural = _("lots de lectures")

    def __str__(self):
        return self.name


# "Les plus lus" and the authors' view counts read a rollup, never the whole history:
# Readership, one row per article read, kept by DailyViews.add as views are counted. Its
# 7-day figure is aged once a day by Readership.refresh_recent() (the widget's process does
# it when the day changes; `manage.py refresh_readership` lets a scheduler do it).

RECENT_DAYS = 7
# Readership.refresh_recent ages this many articles per transaction.
REFRESH_BATCH = 2000


def recent_window(today):
    """The first and last days of the 7-day window ending `today`."""
    return today - datetime.timedelta(days=RECENT_DAYS - 1), today


class Readership(models.Model):
    """An article's views: all time, and over the RECENT_DAYS days ending on `recent_on`."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="readership",
        verbose_name=_("article"),
    )
    views = models.PositiveBigIntegerField(_("lectures"), default=0)
    recent_views = models.PositiveIntegerField(_("lectures des 7 derniers jours"), default=0)
    recent_on = models.DateField(_("fenêtre de 7 jours arrêtée au"))

    class Meta:
        verbose_name = _("lectorat")
        verbose_name_plural = _("lectorats")
        # "Les plus lus" walks this index from the top and stops after a few articles.
        indexes = [models.Index(fields=["-recent_views", "-views"], name="readership_ranking")]

    def __str__(self):
        return f"{self.article_id}: {self.recent_views} / {self.views}"

    @classmethod
    def add(cls, cursor, article_id, count, day, today):
        """Add `count` views of `day` to the article's row, in the transaction that has just
        written the day's row.

        The all-time figure and, within the same window, the 7-day figure are increments:
        the row lock orders concurrent counts, on PostgreSQL as on SQLite, and none is lost.
        A count that finds the row from an earlier window sums the new window again from
        the article's day rows (at most RECENT_DAYS, by the (article, day) key); a count
        from a transaction started before midnight never moves the window back.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        daily = connection.ops.quote_name(DailyViews._meta.db_table)
        first, last = recent_window(today)
        in_window = count if first <= day <= last else 0
        cursor.execute(
            f"INSERT INTO {table} (article_id, views, recent_views, recent_on) "
            f"VALUES (%s, %s, (SELECT COALESCE(SUM(views), 0) FROM {daily} "
            "WHERE article_id = %s AND day >= %s AND day <= %s), %s) "
            "ON CONFLICT (article_id) DO UPDATE SET "
            f"views = {table}.views + excluded.views, "
            f"recent_views = CASE WHEN {table}.recent_on = excluded.recent_on "
            f"THEN {table}.recent_views + %s "
            f"WHEN {table}.recent_on < excluded.recent_on THEN excluded.recent_views "
            f"ELSE {table}.recent_views END, "
            f"recent_on = CASE WHEN {table}.recent_on < excluded.recent_on "
            f"THEN excluded.recent_on ELSE {table}.recent_on END",
            [article_id, count, article_id, first, last, today, in_window],
        )

    @classmethod
    def rebuild(cls, today, from_article=0):
        """Recompute the rows of articles numbered from `from_article` from their DailyViews.

        For bulk loads (the demo, the dataset generator) that write day rows directly.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        daily = connection.ops.quote_name(DailyViews._meta.db_table)
        first, last = recent_window(today)
        with connection.cursor() as cursor:
            # SQLite needs the WHERE to tell the upsert's ON CONFLICT from a join's ON.
            cursor.execute(
                f"INSERT INTO {table} (article_id, views, recent_views, recent_on) "
                "SELECT article_id, SUM(views), "
                "SUM(CASE WHEN day >= %s AND day <= %s THEN views ELSE 0 END), %s "
                f"FROM {daily} WHERE article_id >= %s GROUP BY article_id "
                "ON CONFLICT (article_id) DO UPDATE SET views = excluded.views, "
                "recent_views = excluded.recent_views, recent_on = excluded.recent_on",
                [first, last, today, from_article],
            )
            return cursor.rowcount

    @classmethod
    def refresh_recent(cls, today=None, batch=REFRESH_BATCH):
        """Age the 7-day figures to the window ending `today`; return the rows changed.

        Touches only articles read in the last RECENT_DAYS + 1 days (the extra day catches
        those whose last views have just left the window), found through the (day, article)
        index, and the few rows still counting views from an older window: the work is
        bounded by recent activity, not by the archive. It runs `batch` articles per short
        transaction, so a view counted meanwhile waits a moment at most.
        """
        today = today or timezone.localdate()
        table = connection.ops.quote_name(cls._meta.db_table)
        daily = connection.ops.quote_name(DailyViews._meta.db_table)
        first, last = recent_window(today)
        since = first - datetime.timedelta(days=1)
        read = list(
            DailyViews.objects.filter(day__gte=since, day__lte=last)
            .order_by("article_id")
            .values_list("article_id", flat=True)
            .distinct()
        )
        changed = 0
        for start in range(0, len(read), batch):
            low, high = read[start], read[min(start + batch, len(read)) - 1]
            window = (
                f"FROM {daily} WHERE day >= %s AND day <= %s AND article_id >= %s "
                "AND article_id <= %s"
            )
            with transaction.atomic(savepoint=False), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # Lock the rows first: a view counted meanwhile waits, then adds to the
                    # new figure instead of being missed by it. (SQLite has one writer.)
                    cursor.execute(
                        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} "
                        "WHERE article_id >= %s AND article_id <= %s AND article_id IN ("
                        f"SELECT article_id {window}) ORDER BY article_id FOR UPDATE) AS locked",
                        [low, high, since, last, low, high],
                    )
                cursor.execute(
                    f"UPDATE {table} SET recent_views = w.recent, recent_on = %s FROM ("
                    "SELECT article_id, SUM(CASE WHEN day >= %s THEN views ELSE 0 END) AS recent "
                    f"{window} GROUP BY article_id) AS w "
                    f"WHERE {table}.article_id = w.article_id "
                    f"AND {table}.article_id >= %s AND {table}.article_id <= %s",
                    [today, first, since, last, low, high, low, high],
                )
                changed += cursor.rowcount
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET recent_views = 0, recent_on = %s "
                "WHERE recent_views > 0 AND recent_on < %s",
                [today, today],
            )
            return changed + cursor.rowcount
