"""Articles waiting for review when versions were introduced get their version 1: a copy
of the text the moderators are reading, so that they can publish it by its number."""

from django.db import migrations
from django.utils import timezone



def record_versions(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleVersion = apps.get_model("articles", "ArticleVersion")
    waiting = Article.objects.filter(status="submitted", versions__isnull=True)
    for article in waiting.iterator(chunk_size=500):
        ArticleVersion.objects.create(
            article=article,
            number=1,
            created_by_id=article.author_id,
            created_at=article.submitted_at or timezone.now(),
            title=article.title,
            summary=article.summary,
            body=article.body,
            cover_image=article.cover_image.name or "",
            cover_caption=article.cover_caption,
            cover_credit=article.cover_credit,
            creator_credit=article.creator_credit,
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_versions")]

    operations = [migrations.RunPython(record_versions, migrations.RunPython.noop)]
