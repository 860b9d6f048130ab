"""Demo content: categories, authors, articles with covers and a view history.

Idempotent: categories, accounts and articles are looked up by slug or username, and
what exists is left alone. Articles go through the real workflow (articles.services:
submit, then publish by the demo moderator), so they are exactly what the site would
show; its e-mails are left out (notify=False): nobody wrote these texts.
"""

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from articles import services
from articles.models import Article, ArticleVersion, Category, DailyViews, Readership

from ._demo_content import (
    ARTICLES,
    AUTHORS,
    CATEGORIES,
    CATEGORY_COLOURS,
    MODERATOR,
    UNPUBLISHED,
)

HISTORY_DAYS = 21


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (rubriques, auteurs, articles, lectures)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si la base contient déjà au moins un article.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Des articles existent déjà : contenu de démonstration non chargé.")
            return
        with transaction.atomic():
            categories = self._categories()
            moderator = self._user(MODERATOR, is_staff=True)
            authors = {a["username"]: self._user(a) for a in AUTHORS}
            now = timezone.now()
            created = [
                self._published(spec, categories, authors, moderator, now) for spec in ARTICLES
            ]
            created = [a for a in created if a is not None]
            for spec in UNPUBLISHED:
                self._unpublished(spec, categories, authors)
            for article, spec in created:
                self._view_history(article, spec["popularity"])
            # The history was written in bulk: the rollup "Les plus lus" reads follows it.
            Readership.rebuild(timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Démonstration : {len(categories)} rubriques, {len(authors)} auteurs, "
                f"{len(created)} nouveaux articles publiés "
                f"({Article.objects.published().count()} en ligne)."
            )
        )

    def _categories(self):
        categories = {}
        for order, (name, slug, description) in enumerate(CATEGORIES, start=1):
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
        return categories

    def _user(self, spec, is_staff=False):
        user, created = get_user_model().objects.get_or_create(
            username=spec["username"],
            defaults={
                "email": spec["email"],
                "display_name": spec["display_name"],
                "account_kind": spec["account_kind"],
                "organisation": spec["organisation"],
                "bio": spec["bio"],
                "is_staff": is_staff,
            },
        )
        if created:
            # Demo accounts cannot log in; a moderator sets a password in the admin if needed.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _published(self, spec, categories, authors, moderator, now):
        if Article.objects.filter(slug=spec["slug"]).exists():
            return None
        published_at = now - datetime.timedelta(days=spec["days_ago"], hours=spec["hours_ago"])
        article = Article.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"].strip(),
            category=categories[spec["category"]],
            author=authors[spec["author"]],
            creator_credit=spec.get("creator_credit", ""),
            cover_caption=spec.get("cover_caption", ""),
            cover_credit=spec.get("cover_credit", ""),
        )
        if spec["cover"]:
            article.set_cover(cover_upload(spec["slug"], spec["category"]))
            article.save()
        version = services.submit(article, notify=False)
        services.publish(article, by=moderator, version=version.number, notify=False)
        if spec.get("featured"):
            services.feature(article, by=moderator)
        # A coherent history for the admin, dated in the past: written, submitted, then
        # reviewed and published.
        Article.objects.filter(pk=article.pk).update(
            created_at=published_at - datetime.timedelta(days=1),
            submitted_at=published_at - datetime.timedelta(hours=6),
            reviewed_at=published_at,
            published_at=published_at,
        )
        ArticleVersion.objects.filter(pk=version.pk).update(
            created_at=published_at - datetime.timedelta(hours=6), decided_at=published_at
        )
        article.refresh_from_db()
        return article, spec

    def _unpublished(self, spec, categories, authors):
        article, created = Article.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "body": spec["body"],
                "category": categories[spec["category"]],
                "author": authors[spec["author"]],
            },
        )
        if created and spec["status"] == Article.Status.SUBMITTED:
            services.submit(article, notify=False)

    def _view_history(self, article, popularity):
        """Daily views since publication (at most HISTORY_DAYS), fading as the article ages."""
        rng = random.Random(article.slug)
        today = timezone.localdate()
        published_on = timezone.localdate(article.published_at)
        rows = []
        for age in range(min((today - published_on).days, HISTORY_DAYS - 1) + 1):
            day = published_on + datetime.timedelta(days=age)
            views = round(popularity * rng.uniform(0.6, 1.4) / (1 + 0.3 * age))
            if views:
                rows.append(DailyViews(article=article, day=day, views=views))
        DailyViews.objects.bulk_create(rows)


def cover_upload(seed, category_slug, size=(1600, 900)):
    """An abstract cover (no text): the category's gradient with soft shapes, as a JPEG upload."""
    rng = random.Random(seed)
    start, end = CATEGORY_COLOURS[category_slug]
    width, height = size
    # A gradient at an angle: rotate Pillow's 256×256 ramp and keep its inner square,
    # which the rotation leaves free of empty corners.
    ramp = Image.linear_gradient("L").rotate(
        rng.choice([30, 60, 120, 150]), Image.Resampling.BICUBIC
    )
    mask = ramp.crop((53, 53, 203, 203)).resize(size, Image.Resampling.BICUBIC)
    image = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(rng.randint(5, 9)):
        radius = rng.randint(height // 8, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        tone = rng.choice([(255, 255, 255), (0, 0, 0), start, end])
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=(*tone, rng.randint(25, 70))
        )
    for _ in range(rng.randint(2, 4)):
        y = rng.randint(0, height)
        draw.rectangle(
            (0, y, width, y + rng.randint(8, 40)), fill=(255, 255, 255, rng.randint(20, 50))
        )
    image = Image.alpha_composite(
        image.convert("RGBA"), overlay.filter(ImageFilter.GaussianBlur(6))
    )
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=88)
    return SimpleUploadedFile(f"{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")
